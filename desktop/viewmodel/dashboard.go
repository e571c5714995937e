package viewmodel

import (
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/report"
)

// analysis is the dataset of the whole store, cached until the store's log
// grows.
type analysis struct {
	mu      sync.Mutex
	version uint64
	built   bool
	snap    *snapshot
	// latest and refreshing serve the badges (see badgeSnapshot).
	latest     atomic.Pointer[snapshot]
	refreshing atomic.Bool
}

// syncBadgeLimit is the log length up to which the badges wait for a
// fresh dataset: below it a rebuild takes a fraction of a second.
const syncBadgeLimit = 200_000

// badgeSnapshot returns the dataset for the recurrence and effectiveness
// badges of one complaint or plan. On a large store it does not wait for
// a rebuild (seconds over 100k complaints) after every change: it returns
// the last build, possibly a few changes old (nil before the first), and
// refreshes it in the background.
func (m *Model) badgeSnapshot() *snapshot {
	var n uint64
	_ = m.store.View(func(t *boltstore.Tx) error { n = t.LogLen(); return nil })
	if n < syncBadgeLimit {
		s, err := m.snapshot()
		if err != nil {
			return nil
		}
		return s
	}
	if m.analysis.refreshing.CompareAndSwap(false, true) {
		go func() {
			defer m.analysis.refreshing.Store(false)
			_, _ = m.snapshot()
		}()
	}
	return m.analysis.latest.Load()
}

// snapshot is one build of the dataset with what the reports need beside it.
type snapshot struct {
	ds         *analytics.Dataset
	complaints []domain.Complaint
	actions    []domain.Action
	plans      []domain.Plan
	dir        *report.Directory
	index      *analytics.Index
	numbers    map[string]string
	version    uint64 // the store's log length it was built from
}

// snapshot returns the dataset, rebuilt only when the log length changed.
func (m *Model) snapshot() (*snapshot, error) {
	a := &m.analysis
	a.mu.Lock()
	defer a.mu.Unlock()
	var n uint64
	if err := m.store.View(func(t *boltstore.Tx) error { n = t.LogLen(); return nil }); err != nil {
		return nil, err
	}
	if a.built && a.version == n {
		return a.snap, nil
	}
	var states []*domain.State
	var users []domain.User
	err := m.store.View(func(t *boltstore.Tx) error {
		for _, typ := range []domain.EntityType{domain.EntityStation, domain.EntityCategory, domain.EntityComplaint, domain.EntityAction, domain.EntityPlan, domain.EntityProblem} {
			if err := t.ForEachState(typ, func(s *domain.State) { states = append(states, s) }); err != nil {
				return err
			}
		}
		var err error
		users, err = t.Users()
		n = t.LogLen()
		return err
	})
	if err != nil {
		return nil, err
	}
	in := analytics.FromStates(states)
	s := &snapshot{ds: analytics.NewDataset(in), complaints: in.Complaints, actions: in.Actions, plans: in.Plans,
		dir: report.NewDirectory(users, in.Stations, in.Categories), index: analytics.NewIndex(analytics.IndexOptions{}),
		numbers: make(map[string]string, len(in.Complaints)), version: n}
	s.index.AddAll(in.Complaints)
	for _, c := range in.Complaints {
		s.numbers[c.ID] = c.Number
	}
	if a.built {
		// Most changes are handling (an acknowledgement, an action, a
		// message): the problems found on the last build still hold and
		// are not found again (analytics.AdoptProblems).
		s.ds.AdoptProblems(a.snap.ds)
	}
	a.snap, a.version, a.built = s, n, true
	a.latest.Store(s)
	return s, nil
}

// dashboardFilter turns the dashboard's query into an analytics filter.
func (m *Model) dashboardFilter(q model.DashboardQuery) analytics.Filter {
	now := m.now()
	f := analytics.Filter{SupplierStation: q.Station, To: now}
	switch q.Period {
	case model.Last90Days:
		f.From = now.AddDate(0, 0, -90)
	case model.Last12Months:
		f.From = now.AddDate(-1, 0, 0)
	case model.Month:
		mo := q.Month
		if mo.IsZero() {
			mo = now
		}
		mo = mo.UTC()
		f.From = time.Date(mo.Year(), mo.Month(), 1, 0, 0, 0, 0, time.UTC)
		f.To = f.From.AddDate(0, 1, 0)
	default:
		f.From = now.AddDate(0, 0, -30)
	}
	return f
}

// Dashboard computes the indicators and the clusters of recurring problems
// for the query.
func (m *Model) Dashboard(q model.DashboardQuery) (model.Dashboard, error) {
	s, err := m.snapshot()
	if err != nil {
		return model.Dashboard{}, err
	}
	f := m.dashboardFilter(q)
	d := model.Dashboard{Report: s.ds.Indicators(f, analytics.Settings{}, m.now()), Numbers: s.numbers,
		Plans: planStages(s.plans, q.Station), Problems: recurringProblems(s, f),
		Themes: periodThemes(s, f)}
	for _, c := range s.index.Clusters(analytics.ClusterOptions{From: f.From, To: f.To, SameSupplier: true}) {
		if q.Station != "" && !hasStation(c.SupplierStations, q.Station) {
			continue
		}
		var row model.ClusterRow
		for _, t := range c.TopTerms {
			row.Terms = append(row.Terms, t.Label)
		}
		for _, id := range c.Complaints {
			row.Numbers = append(row.Numbers, s.numbers[id])
			row.IDs = append(row.IDs, id)
		}
		d.Clusters = append(d.Clusters, row)
	}
	return d, nil
}

// planStages counts the plans by stage now, those against station only
// when it is set. The figure tiles measure plans from their start; these
// counts are what a signature changes.
func planStages(plans []domain.Plan, station string) model.PlanStages {
	var out model.PlanStages
	for _, p := range plans {
		if station != "" && p.SupplierStation != station {
			continue
		}
		switch p.Status {
		case domain.PlanStatusSubmitted:
			out.Submitted++
		case domain.PlanStatusApproved:
			out.Approved++
		case domain.PlanStatusInProgress:
			out.InProgress++
		}
	}
	return out
}

func hasStation(cs []analytics.Count, code string) bool {
	for _, c := range cs {
		if c.Key == code {
			return true
		}
	}
	return false
}

// DashboardCharts draws the dashboard's charts at w × h pixels with the
// charting library of shared/report.
func (m *Model) DashboardCharts(d model.Dashboard, t model.ChartTitles, w, h int, lang string) (model.Charts, error) {
	s, err := m.snapshot()
	if err != nil {
		return model.Charts{}, err
	}
	l := report.ParseLang(lang)
	opt := report.ChartOptions{Width: w, Height: h, Lang: l}
	r := d.Report
	var out model.Charts
	cat := func(code string) string { return s.dir.CategoryLabel(code, l) }
	if out.Categories, err = report.ParetoChart(report.ParetoSeries(t.Categories, r.ParetoCategories, cat), opt); err != nil {
		return out, err
	}
	if out.Suppliers, err = report.ParetoChart(report.ParetoSeries(t.Suppliers, r.ParetoSuppliers, s.dir.StationName), opt); err != nil {
		return out, err
	}
	if out.Trend, err = report.TrendChart(report.WeeklySeries(t.Trend, r.Volume.ByWeek), opt); err != nil {
		return out, err
	}
	var ttr []time.Duration
	for _, c := range s.ds.Complaints(r.Filter) {
		if !c.ResolvedAt.IsZero() {
			ttr = append(ttr, c.ResolvedAt.Sub(c.FiledAt))
		}
	}
	out.Resolve, err = report.HistogramChart(report.Distribution{Title: t.Resolve, XLabel: t.Days,
		YLabel: t.Complaints, Values: report.DurationsInDays(ttr)}, opt)
	return out, err
}

// Export writes one of the dashboard's exports for the query to w.
func (m *Model) Export(kind model.ExportKind, q model.DashboardQuery, lang string, w io.Writer) error {
	s, err := m.snapshot()
	if err != nil {
		return err
	}
	f := m.dashboardFilter(q)
	l := report.ParseLang(lang)
	opt := report.ExportOptions{Lang: l, Directory: s.dir, Now: m.now(), BOM: true}
	if l == report.French {
		opt.Comma = ';'
	}
	switch kind {
	case model.ExportComplaintsCSV, model.ExportComplaintsXLSX:
		var cs []domain.Complaint
		for _, c := range s.ds.Complaints(f) {
			cs = append(cs, *c)
		}
		if kind == model.ExportComplaintsCSV {
			return report.WriteComplaintsCSV(w, cs, opt)
		}
		return report.WriteComplaintsXLSX(w, cs, opt)
	case model.ExportActionsCSV, model.ExportActionsXLSX:
		var as []domain.Action
		for _, a := range s.ds.Actions(f) {
			as = append(as, *a)
		}
		if kind == model.ExportActionsCSV {
			return report.WriteActionsCSV(w, as, opt)
		}
		return report.WriteActionsXLSX(w, as, opt)
	default:
		month := m.now()
		if q.Period == model.Month && !q.Month.IsZero() {
			month = q.Month
		}
		mf := f
		mf.From, mf.To = time.Time{}, time.Time{}
		return report.WriteMonthly(w, report.Monthly{Dataset: s.ds, Month: month, Filter: mf, Now: m.now(),
			Plant: "Boucle", Directory: s.dir, Lang: l, Complaints: s.complaints})
	}
}

// EightD writes the PDF 8D report of a complaint to w: its state, its
// actions, the plans naming it or holding one of its actions, and its
// timeline.
func (m *Model) EightD(id, lang string, w io.Writer) error {
	in := report.EightD{Lang: report.ParseLang(lang)}
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.Complaint(id)
		if err != nil {
			return err
		}
		in.Complaint = st
		page, err := t.ListActions(boltstore.ActionFilter{ComplaintID: id, Limit: boltstore.MaxPageSize})
		if err != nil {
			return err
		}
		in.Actions = page.Actions
		mine := map[string]bool{}
		for _, a := range in.Actions {
			mine[a.ID] = true
		}
		plans, err := t.Plans()
		if err != nil {
			return err
		}
		for _, p := range plans {
			if slices.Contains(p.Complaints, id) || slices.ContainsFunc(p.Actions, func(a string) bool { return mine[a] }) {
				in.Plans = append(in.Plans, p)
			}
		}
		entries, err := t.Timeline(id)
		if err != nil {
			return err
		}
		for _, e := range entries {
			in.Timeline = append(in.Timeline, report.TimelineEvent(e))
		}
		users, err := t.Users()
		if err != nil {
			return err
		}
		stations, err := t.Stations()
		if err != nil {
			return err
		}
		cats, err := t.Categories()
		in.Directory = report.NewDirectory(users, stations, cats)
		return err
	})
	if err != nil {
		return err
	}
	return report.WriteEightD(w, in)
}
