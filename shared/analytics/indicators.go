package analytics

import (
	"slices"
	"time"

	"boucle/shared/domain"
)

// Report holds the indicators of a period. Unless said otherwise, the
// population is the cohort of complaints filed in the filter's period that
// pass its other fields; each field's comment gives its numerator and
// denominator, and docs/kpis.md gives them in full.
type Report struct {
	Filter   Filter    `json:"filter"`
	Now      time.Time `json:"now"`
	Settings Settings  `json:"settings"`

	// Filed is the cohort's size (every status).
	Filed int `json:"filed"`
	// Countable is the cohort less the rejected, duplicate and withdrawn
	// complaints: real occurrences of problems.
	Countable int `json:"countable"`

	Volume Volume `json:"volume"`
	// Paretos count countable complaints, largest first.
	ParetoCategories []ParetoRow `json:"pareto_categories"`
	ParetoSuppliers  []ParetoRow `json:"pareto_suppliers"`

	// AcknowledgedAt − FiledAt over the acknowledged complaints.
	TimeToAcknowledge DurationStats `json:"time_to_acknowledge"`
	// ResolvedAt − FiledAt over the complaints resolved now (the latest
	// resolution when reopened and resolved again).
	TimeToResolve DurationStats `json:"time_to_resolve"`
	// Resolved no later than the announced deadline / countable complaints
	// with a deadline that are resolved or whose deadline has passed.
	ResolvedByDeadline Rate `json:"resolved_by_deadline"`
	// Closed and never reopened / closed or reopened at least once.
	FirstTimeResolution Rate `json:"first_time_resolution"`
	// Reopened at least once / resolved at least once.
	Reopen Rate `json:"reopen"`
	// Escalated at least once / Filed.
	Escalation Rate `json:"escalation"`
	// Recurrences / Countable.
	Recurrence Rate `json:"recurrence"`
	// Recurrences after prevention / recurrences.
	RecurrenceAfterPrevention Rate `json:"recurrence_after_prevention"`

	Satisfaction Satisfaction `json:"satisfaction"`
	// Overdue actions at now, whatever the period (see OverdueActions).
	OverdueActions OverdueActions `json:"overdue_actions"`
	// Verdicts of the plans started and preventive actions done in the
	// period (see Effectiveness).
	Prevention PreventionSummary `json:"prevention"`
}

// Volume counts the cohort (every status) along each dimension. The
// categorical counts are sorted by key; the calendar counts run from the
// period holding From (or the first filing) to the one holding To (or the
// last filing), empty periods included.
type Volume struct {
	ByFilingStation   []Count       `json:"by_filing_station"`
	BySupplierStation []Count       `json:"by_supplier_station"`
	ByCategory        []Count       `json:"by_category"`
	BySeverity        []Count       `json:"by_severity"`
	ByKind            []Count       `json:"by_kind"`
	ByStatus          []Count       `json:"by_status"`
	ByWeek            []PeriodCount `json:"by_week"`
	ByMonth           []PeriodCount `json:"by_month"`
}

// Satisfaction summarises the ratings (1 to 5) given when closing.
type Satisfaction struct {
	Rated int `json:"rated"`
	// Mean rating, 0 when none.
	Mean float64 `json:"mean"`
	// Distribution[i] is the number of ratings i+1.
	Distribution [5]int `json:"distribution"`
	// Satisfied rated 4 or 5, dissatisfied 1 or 2.
	Satisfied    int `json:"satisfied"`
	Dissatisfied int `json:"dissatisfied"`
	// Net = 100 × (Satisfied − Dissatisfied) / Rated, in percentage
	// points, from −100 to +100 (an NPS-like figure on a 1–5 scale).
	Net float64 `json:"net"`
}

// OverdueActions counts the actions still open or in progress past their
// due date at now. It is a snapshot: the period of the filter does not
// apply (an action is late today whatever period is looked at); its
// stations, category and severity apply through the action's complaint
// (or plan). Both lists are sorted by count descending, then key.
type OverdueActions struct {
	Total     int     `json:"total"`
	ByOwner   []Count `json:"by_owner"`
	ByStation []Count `json:"by_station"` // the supplier station that owes the action
}

// Indicators computes every indicator of the report.
func (ds *Dataset) Indicators(f Filter, s Settings, now time.Time) Report {
	s = s.withDefaults()
	cohort := ds.selected(f)
	r := Report{Filter: f, Now: now, Settings: s, Filed: len(cohort)}
	r.Volume = ds.volume(cohort, f, s.Location)
	r.ParetoCategories, r.ParetoSuppliers = ds.paretos(cohort)
	r.TimeToAcknowledge, r.TimeToResolve = ds.responseTimes(cohort)
	ds.rates(&r, cohort, s, unixNano(now))
	r.Satisfaction = ds.satisfaction(cohort)
	r.OverdueActions = ds.overdueActions(f, unixNano(now))
	r.Prevention = ds.prevention(f, s, unixNano(now))
	return r
}

func (ds *Dataset) volume(cohort []int32, f Filter, loc *time.Location) Volume {
	filing, supplier := make([]int, len(ds.stations.names)), make([]int, len(ds.stations.names))
	category, severity := make([]int, len(ds.categories.names)), make([]int, len(ds.severities.names))
	kind, status := make([]int, len(ds.kinds.names)), make([]int, len(ds.statuses.names))
	times := make([]int64, len(cohort))
	for i, p := range cohort {
		x := &ds.facts[p]
		filing[x.filing]++
		supplier[x.supplier]++
		category[x.category]++
		severity[x.severity]++
		kind[x.kind]++
		status[x.status]++
		times[i] = x.filed
	}
	return Volume{ByFilingStation: ds.stations.counts(filing), BySupplierStation: ds.stations.counts(supplier),
		ByCategory: ds.categories.counts(category), BySeverity: ds.severities.counts(severity),
		ByKind: ds.kinds.counts(kind), ByStatus: ds.statuses.counts(status),
		ByWeek: bucketise(times, f, Week, loc), ByMonth: bucketise(times, f, Month, loc)}
}

// paretos count the countable complaints.
func (ds *Dataset) paretos(cohort []int32) (categories, suppliers []ParetoRow) {
	cat, sup := make([]int, len(ds.categories.names)), make([]int, len(ds.stations.names))
	for _, p := range cohort {
		if x := &ds.facts[p]; x.countable {
			cat[x.category]++
			sup[x.supplier]++
		}
	}
	return pareto(ds.categories.counts(cat)), pareto(ds.stations.counts(sup))
}

func (ds *Dataset) responseTimes(cohort []int32) (tta, ttr DurationStats) {
	ack, res := make([]time.Duration, 0, len(cohort)), make([]time.Duration, 0, len(cohort))
	for _, p := range cohort {
		x := &ds.facts[p]
		if x.ack != noTime {
			ack = append(ack, time.Duration(x.ack-x.filed))
		}
		if x.resolved != noTime {
			res = append(res, time.Duration(x.resolved-x.filed))
		}
	}
	return durationStats(ack), durationStats(res)
}

// rates fills the shares of the report.
func (ds *Dataset) rates(r *Report, cohort []int32, s Settings, now int64) {
	recs := ds.Recurrences(s)
	closed := ds.statuses.lookup(string(domain.StatusClosed))
	for _, p := range cohort {
		x := &ds.facts[p]
		if x.countable {
			r.Countable++
			if recs.of[p] >= 0 {
				r.Recurrence.Num++
				r.RecurrenceAfterPrevention.Den++
				r.RecurrenceAfterPrevention.Num += b2i(recs.after[p])
			}
			onTime, decided := resolvedByDeadline(x, now)
			r.ResolvedByDeadline.Num += b2i(onTime)
			r.ResolvedByDeadline.Den += b2i(decided)
		}
		isClosed := int32(x.status) == closed
		r.FirstTimeResolution.Num += b2i(isClosed && x.reopens == 0)
		r.FirstTimeResolution.Den += b2i(isClosed || x.reopens > 0)
		r.Reopen.Num += b2i(x.reopens > 0)
		r.Reopen.Den += b2i(x.resolved != noTime || x.reopens > 0) // a reopening clears ResolvedAt
		r.Escalation.Num += b2i(x.escalated)
	}
	r.Recurrence.Den = r.Countable
	r.Escalation.Den = r.Filed
}

// resolvedByDeadline tells whether the complaint met its announced
// deadline, and whether that is known yet: it is not while the complaint is
// unresolved and the deadline is still ahead.
func resolvedByDeadline(x *fact, now int64) (onTime, decided bool) {
	switch {
	case x.deadline == noTime:
		return false, false
	case x.resolved != noTime:
		return x.resolved <= x.deadline, true
	}
	return false, now > x.deadline
}

func (ds *Dataset) satisfaction(cohort []int32) Satisfaction {
	var s Satisfaction
	sum := 0
	for _, p := range cohort {
		if rating := int(ds.facts[p].rating); rating > 0 {
			s.Rated++
			sum += rating
			s.Distribution[rating-1]++
		}
	}
	if s.Rated == 0 {
		return s
	}
	s.Satisfied = s.Distribution[3] + s.Distribution[4]
	s.Dissatisfied = s.Distribution[0] + s.Distribution[1]
	s.Mean = float64(sum) / float64(s.Rated)
	s.Net = 100 * float64(s.Satisfied-s.Dissatisfied) / float64(s.Rated)
	return s
}

func (ds *Dataset) overdueActions(f Filter, now int64) OverdueActions {
	c := ds.compile(f.withoutPeriod())
	owners, stations := counter{}, counter{}
	total := 0
	for i, due := range ds.pendingDue {
		if due == noTime || now <= due || !c.matchScope(ds, &ds.actScope[i]) {
			continue
		}
		total++
		owners[ds.actions[i].Owner]++
		stations[ds.stations.names[ds.actScope[i].supplier]]++
	}
	return OverdueActions{Total: total, ByOwner: owners.byCount(), ByStation: stations.byCount()}
}

// prevention counts the verdicts that Effectiveness would list, without
// listing the evidence.
func (ds *Dataset) prevention(f Filter, s Settings, now int64) PreventionSummary {
	c := ds.compile(f)
	var out PreventionSummary
	for i := range ds.subjects {
		sub := &ds.subjects[i]
		if !c.inPeriod(sub.doneAt) || !c.matchScope(ds, sub.scope) {
			continue
		}
		v, _, _ := ds.measure(sub, ds.subjectProblems(sub), int64(s.EffectivenessWindow), now, 0)
		if sub.kind == SubjectPlan {
			out.Plans.add(v)
		} else {
			out.Actions.add(v)
		}
	}
	return out
}

// byCount returns the counts largest first, then by key: the order of a
// "who is late" table.
func (c counter) byCount() []Count {
	rows := c.sorted()
	slices.SortStableFunc(rows, func(a, b Count) int { return b.Count - a.Count })
	return rows
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
