package analytics

import (
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
)

// Verdict is the effectiveness of a preventive action or plan, measured
// from the complaints that came (or did not come) after it.
type Verdict string

const (
	Pending     Verdict = "pending"     // the window is still open and no complaint came
	Effective   Verdict = "effective"   // the window ended with no complaint
	Ineffective Verdict = "ineffective" // a complaint came within the window
)

// SubjectKind says whether an Effectiveness is about an action or a plan.
type SubjectKind string

const (
	SubjectAction SubjectKind = "action"
	SubjectPlan   SubjectKind = "plan"
)

// Effectiveness is the measured verdict of one preventive action (once
// done) or plan (once started). The rule (docs/kpis.md, "Effectiveness"):
// with T the moment it was done (the action's DoneAt, the plan's
// StartedAt) and N the effectiveness window, the countable complaints of
// the problems it addresses (its complaint's; a plan's complaints') filed
// in (T, T+N] and not after now are the evidence. Any evidence makes it
// ineffective at once; none and now ≥ T+N makes it effective; otherwise
// it is pending with DaysLeft whole days to go.
type Effectiveness struct {
	Subject         SubjectKind `json:"subject"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	SupplierStation string      `json:"supplier_station"`
	Categories      []string    `json:"categories"`
	ComplaintID     string      `json:"complaint_id,omitempty"` // an action's complaint
	// Problems are the problems it addresses, whose later complaints are
	// the evidence; none when it falls back on its station and categories.
	Problems  []ProblemID `json:"problems,omitempty"`
	DoneAt    time.Time   `json:"done_at"`
	WindowEnd time.Time   `json:"window_end"`
	Verdict   Verdict     `json:"verdict"`
	// Evidence lists the first MaxEvidence proving complaints by
	// (FiledAt, ID): the first one alone proves the verdict, and a verdict
	// event carries at most 200. EvidenceCount counts them all.
	Evidence      []string `json:"evidence,omitempty"`
	EvidenceCount int      `json:"evidence_count"`
	DaysLeft      int      `json:"days_left,omitempty"`
	// Recorded is the status people (or the system) recorded in the
	// domain, so that a screen can show where it differs from the data.
	Recorded string `json:"recorded"`
}

// MaxEvidence is the most complaint ids an Effectiveness lists, the limit
// of a verdict event's evidence.
const MaxEvidence = 200

// subject is a preventive action done or a plan started.
type subject struct {
	kind   SubjectKind
	index  int32 // into actions or plans
	scope  *scope
	doneAt int64
}

// listSubjects lists the subjects with a known scope, by (doneAt, kind, ID).
func (ds *Dataset) listSubjects() []subject {
	out := make([]subject, 0, len(ds.plans)+len(ds.actions)/4)
	for i, p := range ds.plans {
		if !p.StartedAt.IsZero() {
			out = append(out, subject{kind: SubjectPlan, index: int32(i), scope: &ds.planScope[i], doneAt: unixNano(p.StartedAt)})
		}
	}
	for i, a := range ds.actions {
		if isDonePreventive(a) && ds.actScope[i].valid {
			out = append(out, subject{kind: SubjectAction, index: int32(i), scope: &ds.actScope[i], doneAt: unixNano(a.DoneAt)})
		}
	}
	slices.SortFunc(out, func(a, b subject) int {
		if a.doneAt != b.doneAt {
			return cmpInt(a.doneAt, b.doneAt)
		}
		if a.kind != b.kind {
			return strings.Compare(string(a.kind), string(b.kind))
		}
		return strings.Compare(ds.subjectID(&a), ds.subjectID(&b))
	})
	return out
}

func (ds *Dataset) subjectID(s *subject) string {
	if s.kind == SubjectPlan {
		return ds.plans[s.index].ID
	}
	return ds.actions[s.index].ID
}

// Effectiveness measures every preventive action done and every plan
// started whose done moment is in the filter's period and whose scope
// passes the filter, ordered by (DoneAt, subject kind, ID).
func (ds *Dataset) Effectiveness(f Filter, s Settings, now time.Time) []Effectiveness {
	s = s.withDefaults()
	c := ds.compile(f)
	out := []Effectiveness{}
	for i := range ds.subjects {
		sub := &ds.subjects[i]
		if c.inPeriod(sub.doneAt) && c.matchScope(ds, sub.scope) {
			out = append(out, ds.effectiveness(sub, s.EffectivenessWindow, now))
		}
	}
	return out
}

// EffectivenessOf measures one action or plan, for the badge on its
// screen; false when it is not a preventive action done or a plan started.
func (ds *Dataset) EffectivenessOf(kind SubjectKind, id string, s Settings, now time.Time) (Effectiveness, bool) {
	s = s.withDefaults()
	index := int32(-1)
	if kind == SubjectPlan {
		if i, ok := ds.planIdx[id]; ok {
			index = i
		}
	} else if i, ok := slices.BinarySearchFunc(ds.actions, id, func(a *domain.Action, id string) int { return strings.Compare(a.ID, id) }); ok {
		index = int32(i)
	}
	for i := range ds.subjects {
		if sub := &ds.subjects[i]; sub.kind == kind && sub.index == index {
			return ds.effectiveness(sub, s.EffectivenessWindow, now), true
		}
	}
	return Effectiveness{}, false
}

func (ds *Dataset) effectiveness(sub *subject, window time.Duration, now time.Time) Effectiveness {
	problems := ds.subjectProblems(sub)
	v, evidence, count := ds.measure(sub, problems, int64(window), unixNano(now), MaxEvidence)
	e := Effectiveness{Subject: sub.kind, ID: ds.subjectID(sub), SupplierStation: ds.stations.names[sub.scope.supplier],
		Verdict: v, EvidenceCount: count}
	if sub.kind == SubjectPlan {
		p := ds.plans[sub.index]
		e.Title, e.Recorded, e.DoneAt = p.Title, string(p.Status), p.StartedAt
	} else {
		a := ds.actions[sub.index]
		e.Title, e.Recorded, e.DoneAt = a.Title, string(a.Status), a.DoneAt
	}
	e.WindowEnd = e.DoneAt.Add(window)
	if sub.scope.complaint >= 0 {
		e.ComplaintID = ds.complaints[sub.scope.complaint].ID
	}
	for _, c := range sub.scope.categories {
		e.Categories = append(e.Categories, ds.categories.names[c])
	}
	if len(evidence) > 0 {
		e.Evidence = make([]string, len(evidence))
		for k, p := range evidence {
			e.Evidence[k] = ds.complaints[p].ID
		}
	}
	if len(problems) > 0 {
		ps := ds.Problems()
		e.Problems = make([]ProblemID, len(problems))
		for k, i := range problems {
			e.Problems[k] = ps.list[i].id
		}
	}
	if v == Pending {
		e.DaysLeft = ceilDays(e.WindowEnd.Sub(now))
	}
	return e
}

// measure computes the verdict of a subject and lists the positions of the
// first limit proving complaints: the countable complaints of the problems
// it addresses (subjectProblems) filed in (doneAt, end], not after now. A
// problem's complaints are sorted by filing time: two binary searches per
// problem.
// A subject that addresses no known problem (a plan naming no complaint,
// an action whose complaint is not countable) falls back on its scope:
// the complaints against its supplier station in its categories.
func (ds *Dataset) measure(sub *subject, problems []int32, window, now int64, limit int) (v Verdict, evidence []int32, count int) {
	end := sub.doneAt + window
	last := min(end, now)
	ps := ds.Problems()
	lists := ps.membersOf(problems)
	if lists == nil {
		for _, cat := range sub.scope.categories {
			lists = append(lists, ds.groups[groupKey{sub.scope.supplier, cat}])
		}
	}
	for _, group := range lists {
		lo, hi := ds.filedAfter(group, sub.doneAt), ds.filedAfter(group, last)
		if hi > lo {
			count += hi - lo
			evidence = append(evidence, group[lo:min(hi, lo+limit)]...)
		}
	}
	if len(lists) > 1 {
		slices.Sort(evidence) // positions order complaints by (FiledAt, ID)
	}
	evidence = evidence[:min(limit, len(evidence))]
	switch {
	case count > 0:
		return Ineffective, evidence, count
	case now >= end:
		return Effective, nil, 0
	}
	return Pending, nil, 0
}

// subjectProblems lists the problems (indices) a subject addresses: an
// action's complaint's; a plan's complaints'; an action of a plan that
// names no complaint, the plan's.
func (ds *Dataset) subjectProblems(sub *subject) []int32 {
	ps := ds.Problems()
	plan := int32(-1)
	if sub.kind == SubjectPlan {
		plan = sub.index
	} else if a := ds.actions[sub.index]; a.ComplaintID == "" {
		if pi, ok := ds.planIdx[a.PlanID]; ok {
			plan = pi
		}
	}
	if plan >= 0 {
		var pos []int32
		for _, id := range ds.plans[plan].Complaints {
			if p, ok := ds.pos[id]; ok {
				pos = append(pos, p)
			}
		}
		return ps.problemsOfPositions(pos)
	}
	if sub.scope.complaint >= 0 {
		return ps.problemsOfPositions([]int32{sub.scope.complaint})
	}
	return nil
}

// membersOf returns the complaints (positions) of each problem, nil for
// none.
func (ps *Problems) membersOf(problems []int32) [][]int32 {
	if len(problems) == 0 {
		return nil
	}
	out := make([][]int32, len(problems))
	for i, pr := range problems {
		out[i] = ps.list[pr].members
	}
	return out
}

// filedAfter returns the index of the first position of sorted whose
// complaint was filed strictly after t.
func (ds *Dataset) filedAfter(sorted []int32, t int64) int {
	i, _ := slices.BinarySearchFunc(sorted, t, func(p int32, t int64) int {
		if ds.facts[p].filed > t {
			return 1
		}
		return -1 // filed at or before t: the search lands after them
	})
	return i
}

// PreventionSummary counts the verdicts of plans and of preventive actions.
type PreventionSummary struct {
	Plans   VerdictCounts `json:"plans"`
	Actions VerdictCounts `json:"actions"`
}

// VerdictCounts counts verdicts.
type VerdictCounts struct {
	Effective   int `json:"effective"`
	Ineffective int `json:"ineffective"`
	Pending     int `json:"pending"`
}

func (v *VerdictCounts) add(x Verdict) {
	switch x {
	case Effective:
		v.Effective++
	case Ineffective:
		v.Ineffective++
	default:
		v.Pending++
	}
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
