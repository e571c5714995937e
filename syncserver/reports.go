package syncserver

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
	"boucle/shared/report"

	"github.com/gin-gonic/gin"
)

// The reports: the figures of shared/analytics (docs/kpis.md) over the
// whole plant, with the same filter parameters on every route, computed
// from one dataset the server keeps between requests (reportCache).

// snapshot is the plant as folded up to one position of the log: the
// states the reports are computed from, indexed once.
type snapshot struct {
	// version is the log position up to which every event is folded into
	// these states (boltstore: LogLen − Backlog).
	version uint64
	in      analytics.Input
	users   []domain.User
	ds      *analytics.Dataset

	// The text index and the exports' directory are built on first use:
	// indicators alone never pay for them.
	ixOnce  sync.Once
	ix      *analytics.Index
	indexed atomic.Bool // ix is built
	dirOnce sync.Once
	dir     *report.Directory
}

// index returns the text index of the snapshot's complaints.
func (sn *snapshot) index() *analytics.Index {
	sn.ixOnce.Do(func() {
		sn.ix = analytics.NewIndex(analytics.IndexOptions{})
		sn.ix.AddAll(sn.in.Complaints)
		sn.indexed.Store(true)
	})
	return sn.ix
}

// directory names the users, stations, categories, complaints and plans
// in the exports.
func (sn *snapshot) directory() *report.Directory {
	sn.dirOnce.Do(func() {
		sn.dir = report.NewDirectory(sn.users, sn.in.Stations, sn.in.Categories)
		for i := range sn.in.Complaints {
			sn.dir.Complaints[sn.in.Complaints[i].ID] = sn.in.Complaints[i].Number
		}
		for i := range sn.in.Plans {
			sn.dir.Plans[sn.in.Plans[i].ID] = sn.in.Plans[i].Title
		}
	})
	return sn.dir
}

// reportCache keeps the latest snapshot and rebuilds it only when the log
// has grown since: reading and indexing 100k complaints takes seconds,
// computing a report from them milliseconds. One build runs at a time
// (mu); requests arriving meanwhile wait for it rather than start their
// own.
// The cache reads the store on a context of its own: a build serves every
// request waiting for it, so no one request's cancellation may end it.
type reportCache struct {
	views ViewStore
	log   *slog.Logger
	mu    sync.Mutex // held while building
	snap  atomic.Pointer[snapshot]
	// used is set when a request reads the snapshot, cleared when Run
	// rebuilds it in the background: nobody asked, nothing is rebuilt.
	used atomic.Bool
	// asked is set by every request, cleared by Run's tick, which notes
	// the time in lastAsked (see dropIdle).
	asked atomic.Bool
	// builds counts the snapshots built, for the tests.
	builds atomic.Int64
	// Run's state between ticks (only Run's goroutine touches them): the
	// version seen at the last tick and when it last rebuilt.
	lastSeen  uint64
	lastBuild time.Time
	lastAsked time.Time
}

func newReportCache(views ViewStore, log *slog.Logger) *reportCache {
	return &reportCache{views: views, log: log}
}

// version returns the log position folded so far and whether events await
// projection.
func (rc *reportCache) version() (folded uint64, backlog bool, err error) {
	err = rc.views.ViewProjections(context.Background(), func(t ProjectionTx) error {
		b := t.Backlog()
		folded, backlog = t.LogLen()-b, b > 0
		return nil
	})
	return folded, backlog, err
}

// get returns a snapshot holding every event logged so far, building a new
// one if the log has grown since the last. The caller has caught the
// projections up (Store.CatchUp). The version read is the folded position,
// not the log's length: a push logging events between the catch-up and
// the build would otherwise be counted in a snapshot that lacks them, and
// never rebuilt. A request marks the snapshot used (see warm); the
// server's own evaluation does not, and keeps nothing (see keep).
func (rc *reportCache) get(request bool) (*snapshot, error) {
	if request {
		rc.used.Store(true)
		rc.asked.Store(true)
	}
	v, _, err := rc.version()
	if err != nil {
		return nil, err
	}
	if sn := rc.snap.Load(); sn != nil && sn.version >= v {
		return sn, nil
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if sn := rc.snap.Load(); sn != nil && sn.version >= v { // built while this request waited
		return sn, nil
	}
	return rc.build(rc.keep(request))
}

// keep tells whether a snapshot built now stays cached. A request's does.
// The server's own evaluation (at start, then hourly) keeps its snapshot
// only when reports are in use, a snapshot already cached: otherwise the
// dataset of a large plant would stay in the heap for nobody (265 MB for
// 100k complaints, over the server's soft memory limit, so that the
// garbage collector ran all through the pulls it served). The first
// report after start reads the states itself.
func (rc *reportCache) keep(request bool) bool {
	return request || rc.snap.Load() != nil
}

// maxPatch is the most events a snapshot is patched with; past it, every
// state is read again.
const maxPatch = 20_000

// build reads the states in one read transaction, indexes them and
// publishes the snapshot, or only returns it when not keep. Called with mu
// held.
//
// Reading every state back is the slow part (their bookkeeping is decoded
// too): about a second per 10k complaint cases on two cores. When the log
// grew by at most maxPatch events since the previous snapshot, only the
// entities those events touched are read again and patched into a copy of
// the previous input; the dataset is then indexed afresh and the text
// index, if built, updated in place: about half a second for 100k
// complaints (BenchmarkReportDatasetBuild).
func (rc *reportCache) build(keep bool) (*snapshot, error) {
	start := time.Now()
	prev := rc.snap.Load()
	sn := &snapshot{}
	var changed []*domain.Complaint
	patched := false
	err := rc.views.ViewProjections(context.Background(), func(t ProjectionTx) error {
		sn.version = t.LogLen() - t.Backlog()
		var err error
		if prev != nil {
			sn.in, changed, patched, err = patchInput(t, prev.in, prev.version)
		}
		if err == nil && !patched {
			sn.in, err = readInput(t)
		}
		if err != nil {
			return err
		}
		sn.users, err = t.Users()
		return err
	})
	if err != nil {
		return nil, err
	}
	sn.ds = analytics.NewDataset(sn.in)
	if prev != nil {
		// After events that only handle complaints, the problems found
		// for the previous snapshot hold (analytics.AdoptProblems).
		sn.ds.AdoptProblems(prev.ds)
	}
	if patched && prev.indexed.Load() {
		for _, c := range changed {
			prev.ix.Add(c) // the index is safe for concurrent use: requests on prev see a few newer complaints, which they skip
		}
		sn.ixOnce.Do(func() { sn.ix = prev.ix })
		sn.indexed.Store(true)
	}
	if keep {
		rc.snap.Store(sn)
	}
	rc.builds.Add(1)
	rc.log.Debug("reports: dataset built", "log_position", sn.version, "patched", patched, "kept", keep, "complaints", len(sn.in.Complaints),
		"actions", len(sn.in.Actions), "plans", len(sn.in.Plans), "took", time.Since(start))
	return sn, nil
}

// patchInput returns prev with the entities touched by the events logged
// after position since read again, and the complaints among them (pointers
// into the result). The slices of prev are never written: a slice with a
// change is copied first (once), the others are shared. It reads every
// event after since, folded or not: a superset of what changed up to the
// folded position. ok is false when more than maxPatch events were logged
// (read everything instead).
func patchInput(t ProjectionTx, prev analytics.Input, since uint64) (in analytics.Input, changed []*domain.Complaint, ok bool, err error) {
	events, more, err := t.LogAfter(since, maxPatch)
	if err != nil || more {
		return analytics.Input{}, nil, false, err
	}
	keys := map[domain.EntityKey]bool{}
	for _, le := range events {
		keys[le.Event.Key()] = true
	}
	complaints := &patch[domain.Complaint]{s: prev.Complaints, id: func(c *domain.Complaint) string { return c.ID }}
	actions := &patch[domain.Action]{s: prev.Actions, id: func(a *domain.Action) string { return a.ID }}
	plans := &patch[domain.Plan]{s: prev.Plans, id: func(p *domain.Plan) string { return p.ID }}
	stations := &patch[domain.Station]{s: prev.Stations, id: func(s *domain.Station) string { return s.Code }}
	categories := &patch[domain.Category]{s: prev.Categories, id: func(c *domain.Category) string { return c.Code }}
	problems := &patch[domain.Problem]{s: prev.Problems, id: func(p *domain.Problem) string { return p.ID }}
	var touched []int
	for k := range keys {
		st, err := t.State(k)
		if domain.ErrorCode(err) == domain.ENotFound {
			continue // only events this version does not fold
		}
		if err != nil {
			return analytics.Input{}, nil, false, err
		}
		switch {
		case st.Complaint != nil:
			touched = append(touched, complaints.put(*st.Complaint, len(keys)))
		case st.Action != nil:
			actions.put(*st.Action, len(keys))
		case st.Plan != nil:
			plans.put(*st.Plan, len(keys))
		case st.Station != nil:
			stations.put(*st.Station, len(keys))
		case st.Category != nil:
			categories.put(*st.Category, len(keys))
		case st.Problem != nil:
			problems.put(*st.Problem, len(keys))
		}
	}
	in = analytics.Input{Complaints: complaints.s, Actions: actions.s, Plans: plans.s, Stations: stations.s, Categories: categories.s,
		Problems: problems.s}
	for _, i := range touched { // after the appends: the slice no longer moves
		changed = append(changed, &in.Complaints[i])
	}
	return in, changed, true, nil
}

// patch replaces or appends entities of one type in a copy of a slice.
type patch[T any] struct {
	s   []T
	id  func(*T) string
	pos map[string]int // id → index, built with the copy
}

// put replaces the entity with v's id, or appends v, and returns its
// index. The first put copies the slice, with room for extra more.
func (p *patch[T]) put(v T, extra int) int {
	if p.pos == nil {
		p.s = append(make([]T, 0, len(p.s)+extra), p.s...)
		p.pos = make(map[string]int, len(p.s))
		for i := range p.s {
			p.pos[p.id(&p.s[i])] = i
		}
	}
	key := p.id(&v)
	if i, ok := p.pos[key]; ok {
		p.s[i] = v
		return i
	}
	p.s = append(p.s, v)
	p.pos[key] = len(p.s) - 1
	return len(p.s) - 1
}

// readInput lists the states the analytics read. It appends the entities
// as the store decodes them rather than collect the states first (their
// bookkeeping is most of their size); the result is analytics.FromStates
// of the same states.
func readInput(t ProjectionTx) (analytics.Input, error) {
	var in analytics.Input
	steps := []struct {
		typ domain.EntityType
		add func(*domain.State)
	}{
		{domain.EntityComplaint, func(s *domain.State) { in.Complaints = append(in.Complaints, *s.Complaint) }},
		{domain.EntityAction, func(s *domain.State) { in.Actions = append(in.Actions, *s.Action) }},
		{domain.EntityPlan, func(s *domain.State) { in.Plans = append(in.Plans, *s.Plan) }},
		{domain.EntityStation, func(s *domain.State) { in.Stations = append(in.Stations, *s.Station) }},
		{domain.EntityCategory, func(s *domain.State) { in.Categories = append(in.Categories, *s.Category) }},
		{domain.EntityProblem, func(s *domain.State) { in.Problems = append(in.Problems, *s.Problem) }},
	}
	for _, st := range steps {
		if err := t.ForEachState(st.typ, st.add); err != nil {
			return analytics.Input{}, err
		}
	}
	return in, nil
}

// Warming: Run rebuilds the snapshot off the request path once the log has
// been quiet for a tick, at most once per reportWarmMin, and only if a
// request used the snapshot since the last build.
const (
	reportWarmTick = 10 * time.Second
	reportWarmMin  = time.Minute
)

func (rc *reportCache) warm(now time.Time) error {
	if rc.dropIdle(now) {
		return nil
	}
	v, backlog, err := rc.version()
	if err != nil {
		return err
	}
	quiet := !backlog && v == rc.lastSeen
	rc.lastSeen = v
	sn := rc.snap.Load()
	if sn == nil || sn.version >= v || !quiet || !rc.used.Load() || now.Sub(rc.lastBuild) < reportWarmMin {
		return nil
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if sn := rc.snap.Load(); sn != nil && sn.version >= v {
		return nil
	}
	hadIndex := sn.indexed.Load()
	rc.used.Store(false)
	rc.lastBuild = now
	fresh, err := rc.build(true)
	if err == nil && hadIndex {
		fresh.index() // the similar-complaint look-ups were used: index now, not at the next keystroke
	}
	return err
}

// reportIdle is how long a dataset no request reads stays cached. A plant
// of 100k complaints keeps 260 MB in it, above the server's soft memory
// limit: the garbage collector would then run all through the pulls it
// serves. The next report after a drop reads every state again.
const reportIdle = 15 * time.Minute

// dropIdle forgets the snapshot when no request has read it for
// reportIdle, by Run's clock, and tells whether it did.
func (rc *reportCache) dropIdle(now time.Time) bool {
	if rc.asked.Swap(false) || rc.lastAsked.IsZero() {
		rc.lastAsked = now
	}
	if rc.snap.Load() == nil || now.Sub(rc.lastAsked) < reportIdle {
		return false
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.asked.Load() {
		return false // a request read it meanwhile
	}
	rc.snap.Store(nil)
	rc.used.Store(false)
	return true
}

// reportQuery is what every report route reads from its query string.
type reportQuery struct {
	Filter   analytics.Filter
	Settings analytics.Settings
	Now      time.Time // the server's clock
}

// maxWindowDays bounds the windows a request may ask for (ten years).
const maxWindowDays = 3650

// parseReportQuery reads the parameters shared by every report route:
// the filter (from, to, station, supplier_station, filing_station,
// category, severity) and the settings (recurrence_days,
// effectiveness_days). The first bad parameter is recorded in q as an
// invalid error naming it. Dates are read in the plant's calendar; from
// is included, to excluded, and a date given for to means the end of that
// day (as on /complaints): from=2026-03-01&to=2026-03-31 is March.
func (s *Server) parseReportQuery(q *query) reportQuery {
	loc := s.cfg.Analytics.Location
	rq := reportQuery{Settings: s.cfg.Analytics, Now: s.now()}
	f := &rq.Filter
	f.From = q.moment("from", loc, false)
	f.To = q.moment("to", loc, true)
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		q.fail(domain.FieldError("to", "must be after from"))
	}
	f.Station = q.code("station", domain.ValidStationCode)
	f.SupplierStation = q.code("supplier_station", domain.ValidStationCode)
	f.FilingStation = q.code("filing_station", domain.ValidStationCode)
	f.Category = q.code("category", domain.ValidCategoryCode)
	f.Severity = enum(q, "severity", domain.Severities)
	if d := q.intIn("recurrence_days", 1, maxWindowDays); d > 0 {
		rq.Settings.RecurrenceWindow = time.Duration(d) * analytics.Day
	}
	if d := q.intIn("effectiveness_days", 1, maxWindowDays); d > 0 {
		rq.Settings.EffectivenessWindow = time.Duration(d) * analytics.Day
	}
	return rq
}

// moment reads a date (midnight in loc, or the next midnight when
// endOfDay) or an RFC 3339 time.
func (q *query) moment(name string, loc *time.Location, endOfDay bool) time.Time {
	v := q.str(name)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	d, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		q.fail(domain.FieldError(name, "must be a date (2026-03-01) or an RFC 3339 time"))
		return time.Time{}
	}
	if endOfDay {
		return d.AddDate(0, 0, 1)
	}
	return d
}

// code reads a station or category code, checking its form (an unknown
// but well-formed code selects nothing).
func (q *query) code(name string, valid func(string) bool) string {
	v := q.str(name)
	if v != "" && !valid(v) {
		q.fail(domain.FieldError(name, "%q is not a code", v))
		return ""
	}
	return v
}

// intIn reads an integer in [lo, hi]; 0 when absent.
func (q *query) intIn(name string, lo, hi int) int {
	v := q.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		q.fail(domain.FieldError(name, "must be a whole number between %d and %d", lo, hi))
		return 0
	}
	return n
}

// floatIn reads a number in (lo, hi]; def when absent.
func (q *query) floatIn(name string, lo, hi, def float64) float64 {
	v := q.str(name)
	if v == "" {
		return def
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || !(x > lo && x <= hi) {
		q.fail(domain.FieldError(name, "must be a number above %g and at most %g", lo, hi))
		return def
	}
	return x
}

// reportRequest parses the shared parameters and whatever the route reads
// besides (extra, on the same query), then returns the current snapshot.
// On a bad parameter or a failure it records the error and returns false.
func (s *Server) reportRequest(c *gin.Context, extra func(*query)) (reportQuery, *snapshot, bool) {
	q := &query{c: c}
	rq := s.parseReportQuery(q)
	if extra != nil {
		extra(q)
	}
	if q.err != nil {
		_ = c.Error(q.err)
		return rq, nil, false
	}
	sn, err := s.reports.get(true)
	if err != nil {
		_ = c.Error(err)
		return rq, nil, false
	}
	return rq, sn, true
}

// reportIndicators: GET /reports/indicators, analytics.Report as is.
func (s *Server) reportIndicators(c *gin.Context) {
	rq, sn, ok := s.reportRequest(c, nil)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, sn.ds.Indicators(rq.Filter, rq.Settings, rq.Now))
}

// ScorecardsReport is the answer of GET /reports/scorecards.
type ScorecardsReport struct {
	Filter     analytics.Filter      `json:"filter"`
	Settings   analytics.Settings    `json:"settings"`
	Now        time.Time             `json:"now"`
	Scorecards []analytics.Scorecard `json:"scorecards"`
}

func (s *Server) reportScorecards(c *gin.Context) {
	rq, sn, ok := s.reportRequest(c, nil)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, ScorecardsReport{Filter: rq.Filter, Settings: rq.Settings, Now: rq.Now,
		Scorecards: sn.ds.Scorecards(rq.Filter, rq.Settings, rq.Now)})
}

// EffectivenessReport is the answer of GET /reports/effectiveness: the
// measured verdict of every preventive action done and plan started in the
// period, in (DoneAt, subject, id) order. Each lists the first complaints
// of its evidence (parameter evidence, 20 by default, up to 200);
// evidence_count counts them all.
type EffectivenessReport struct {
	Filter        analytics.Filter          `json:"filter"`
	Settings      analytics.Settings        `json:"settings"`
	Now           time.Time                 `json:"now"`
	Effectiveness []analytics.Effectiveness `json:"effectiveness"`
}

// DefaultEvidence is how many proving complaints a verdict lists unless
// asked: a year of a large plant has tens of thousands of verdicts, and
// 200 ids each would make an answer of tens of megabytes.
const DefaultEvidence = 20

func (s *Server) reportEffectiveness(c *gin.Context) {
	evidence := DefaultEvidence
	rq, sn, ok := s.reportRequest(c, func(q *query) {
		if q.str("evidence") != "" {
			evidence = q.intIn("evidence", 0, analytics.MaxEvidence)
		}
	})
	if !ok {
		return
	}
	c.JSON(http.StatusOK, EffectivenessReport{Filter: rq.Filter, Settings: rq.Settings, Now: rq.Now,
		Effectiveness: TrimEvidence(sn.ds.Effectiveness(rq.Filter, rq.Settings, rq.Now), evidence)})
}

// TrimEvidence keeps the first n complaints of each verdict's evidence
// (EvidenceCount still counts them all), as /reports/effectiveness does.
func TrimEvidence(es []analytics.Effectiveness, n int) []analytics.Effectiveness {
	for i := range es {
		if len(es[i].Evidence) > n {
			es[i].Evidence = es[i].Evidence[:n:n]
			if n == 0 {
				es[i].Evidence = nil
			}
		}
	}
	return es
}

// RecurrencesReport is the answer of GET /reports/recurrences: the
// recurring complaints that pass the filter (the complaint they recur
// is found over all the data), in filing order, the first Limit of Total.
type RecurrencesReport struct {
	Filter      analytics.Filter   `json:"filter"`
	Settings    analytics.Settings `json:"settings"`
	Total       int                `json:"total"`
	Recurrences []RecurrenceRow    `json:"recurrences"`
}

// RecurrenceRow is an analytics.Recurrence with its gap in whole seconds,
// like every duration of the API (the outer Gap hides the embedded one).
type RecurrenceRow struct {
	analytics.Recurrence
	Gap int64 `json:"gap_seconds"`
}

// maxRecurrences bounds one answer; total says how many there are.
const maxRecurrences = 5000

func (s *Server) reportRecurrences(c *gin.Context) {
	limit := 0
	rq, sn, ok := s.reportRequest(c, func(q *query) { limit = cmp.Or(q.intIn("limit", 1, maxRecurrences), 1000) })
	if !ok {
		return
	}
	out := RecurrencesReport{Filter: rq.Filter, Settings: rq.Settings, Recurrences: []RecurrenceRow{}}
	for _, r := range sn.ds.Recurrences(rq.Settings).All() {
		if c, ok := sn.ds.Complaint(r.ComplaintID); !ok || !rq.Filter.Match(c) {
			continue
		}
		out.Total++
		if len(out.Recurrences) < limit {
			out.Recurrences = append(out.Recurrences, RecurrenceRow{Recurrence: r, Gap: int64(r.Gap.Round(time.Second) / time.Second)})
		}
	}
	c.JSON(http.StatusOK, out)
}

// ThemesReport is the answer of GET /reports/themes.
type ThemesReport struct {
	Filter analytics.Filter        `json:"filter"`
	Period analytics.Granularity   `json:"period"`
	Themes []analytics.ThemePeriod `json:"themes"`
}

func (s *Server) reportThemes(c *gin.Context) {
	var opts analytics.ThemeOptions
	rq, sn, ok := s.reportRequest(c, func(q *query) {
		opts.Period = cmp.Or(enum(q, "period", []analytics.Granularity{analytics.Week, analytics.Month}), analytics.Month)
		opts.Top = q.intIn("top", 1, 100)
		opts.MinCount = q.intIn("min_count", 1, 1000)
	})
	if !ok {
		return
	}
	c.JSON(http.StatusOK, ThemesReport{Filter: rq.Filter, Period: opts.Period, Themes: sn.ds.Themes(rq.Filter, rq.Settings, opts)})
}

// ClustersReport is the answer of GET /reports/clusters.
type ClustersReport struct {
	Filter       analytics.Filter    `json:"filter"`
	Threshold    float64             `json:"threshold"`
	SameSupplier bool                `json:"same_supplier"`
	Clusters     []analytics.Cluster `json:"clusters"`
}

// defaultClusterDays is the period clustered when the request gives none,
// the dashboard's: single linkage over every complaint ever filed links
// everything to everything sooner or later.
const defaultClusterDays = 90

// reportClusters groups the countable complaints of the period (the last
// 90 days when no bound is given). Clusters depend only on the period: the
// other fields of the filter choose which clusters are listed (those with
// a complaint passing them), they do not cut links.
func (s *Server) reportClusters(c *gin.Context) {
	opts := analytics.ClusterOptions{}
	rq, sn, ok := s.reportRequest(c, func(q *query) {
		opts.Threshold = q.floatIn("threshold", 0, 1, 0.5)
		opts.SameSupplier = q.bool("same_supplier")
		opts.MinSize = q.intIn("min_size", 2, 1000)
	})
	if !ok {
		return
	}
	f := rq.Filter
	if f.From.IsZero() && f.To.IsZero() {
		f.From = rq.Now.Add(-defaultClusterDays * analytics.Day)
	}
	opts.From, opts.To = f.From, f.To
	fields := f
	fields.From, fields.To = time.Time{}, time.Time{}
	out := ClustersReport{Filter: f, Threshold: opts.Threshold, SameSupplier: opts.SameSupplier, Clusters: []analytics.Cluster{}}
	for _, cl := range sn.index().Clusters(opts) {
		for _, id := range cl.Complaints {
			if c, ok := sn.ds.Complaint(id); ok && fields.Match(c) {
				out.Clusters = append(out.Clusters, cl)
				break
			}
		}
	}
	c.JSON(http.StatusOK, out)
}

// SimilarReport is the answer of GET /reports/similar.
type SimilarReport struct {
	Query   string            `json:"q"`
	Filter  analytics.Filter  `json:"filter"`
	Matches []analytics.Match `json:"matches"`
}

// reportSimilar finds the complaints most similar to a text (the duplicate
// hint while filing), best first. The index answers for supplier_station
// itself; the other fields of the filter are checked on a wider pool of
// candidates.
func (s *Server) reportSimilar(c *gin.Context) {
	var aq analytics.Query
	k := 0
	rq, sn, ok := s.reportRequest(c, func(q *query) {
		aq = analytics.Query{Text: q.str("q"), PartRef: q.str("part"), Lot: q.str("lot"), ExcludeID: q.str("exclude")}
		if aq.Text == "" && aq.PartRef == "" && aq.Lot == "" {
			q.fail(domain.FieldError("q", "give the text to compare (or a part or a lot)"))
		}
		k = cmp.Or(q.intIn("k", 1, 100), 10)
	})
	if !ok {
		return
	}
	aq.SupplierStation = rq.Filter.SupplierStation
	rest := rq.Filter
	rest.SupplierStation = ""
	pool := k
	if rest != (analytics.Filter{}) {
		pool = min(20*k, 1000)
	}
	out := SimilarReport{Query: aq.Text, Filter: rq.Filter, Matches: []analytics.Match{}}
	for _, m := range sn.index().SimilarTo(aq, pool) {
		if c, ok := sn.ds.Complaint(m.ID); ok && rest.Match(c) && len(out.Matches) < k {
			out.Matches = append(out.Matches, m)
		}
	}
	c.JSON(http.StatusOK, out)
}

// lang reads lang=fr|en, else the preferred of the two in Accept-Language,
// else English.
func (q *query) lang() report.Lang {
	switch v := strings.ToLower(q.str("lang")); v {
	case "fr":
		return report.French
	case "en":
		return report.English
	case "":
		return acceptLanguage(q.c.GetHeader("Accept-Language"))
	default:
		q.fail(domain.FieldError("lang", "must be fr or en"))
		return report.English
	}
}

// acceptLanguage picks French or English from an Accept-Language header
// ("fr-FR,fr;q=0.9,en;q=0.8"): the one with the higher weight, the first
// listed on a tie; English when neither is listed.
func acceptLanguage(h string) report.Lang {
	best, bestQ := report.English, -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		var lang report.Lang
		switch {
		case tag == "fr" || strings.HasPrefix(tag, "fr-"):
			lang = report.French
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			lang = report.English
		default:
			continue
		}
		weight := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				weight = x
			}
		}
		if weight > bestQ {
			best, bestQ = lang, weight
		}
	}
	return best
}
