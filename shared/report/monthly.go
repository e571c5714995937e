package report

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// Monthly is what the monthly plant report is computed from.
type Monthly struct {
	// Dataset holds the plant's complaints, actions and plans.
	Dataset *analytics.Dataset
	// Month is any moment of the month reported, read in the settings'
	// calendar (Settings.Location, UTC by default).
	Month time.Time
	// Filter narrows the report to stations, a category or a severity; its
	// period is replaced by the month.
	Filter   analytics.Filter
	Settings analytics.Settings
	// Now is the moment of the snapshot figures (overdue actions, pending
	// verdicts); zero is the end of the month.
	Now       time.Time
	Plant     string // the plant's name, for the title
	Directory *Directory
	Lang      Lang
	// Complaints are the complaints the Dataset was built from. A Dataset
	// does not list them, and the time-to-resolve histogram needs each
	// duration: without them the histogram is left out.
	Complaints []domain.Complaint
	// GeneratedAt is printed in the footer; zero is Now.
	GeneratedAt time.Time
}

// ErrNoDataset is returned for a monthly report without data.
var ErrNoDataset = errors.New("report: the monthly report needs a Dataset")

// trendWeeks is how many weeks the trend chart shows, ending with the
// month: a month alone is four or five points, too few to see a trend.
const trendWeeks = 13

// chartPDF is the size of a full-width chart in the PDFs: 180 × 69 mm at
// 192 dots per inch, sharp on paper and on screen; two fit under the
// headline figures.
var chartPDF = ChartOptions{Width: 1360, Height: 520, Scale: 2}

const chartMM = 180.0

// WriteMonthly computes the month's indicators with shared/analytics and
// writes them as a PDF: headline figures, Paretos of categories and
// supplier stations, the weekly trend, the time to resolve, the station
// scorecards, the preventive plans' verdicts and the overdue actions.
func WriteMonthly(w io.Writer, in Monthly) error {
	if in.Dataset == nil {
		return ErrNoDataset
	}
	m := newMonthlyWriter(in)
	m.titleBlock()
	m.headline()
	if err := m.charts(); err != nil {
		return err
	}
	m.scorecards()
	m.prevention()
	m.overdue()
	return m.d.write(w)
}

// monthly holds the figures computed once for the whole report.
type monthly struct {
	in         Monthly
	l          Lang
	z          *time.Location
	dir        *Directory
	from, to   time.Time
	now        time.Time
	f          analytics.Filter
	rep        analytics.Report
	d          *doc
	generated  time.Time
	monthTitle string
}

func newMonthlyWriter(in Monthly) *monthly {
	z := in.Settings.Location
	if z == nil {
		z = time.UTC
	}
	y, mo, _ := in.Month.In(z).Date()
	from := time.Date(y, mo, 1, 0, 0, 0, 0, z)
	to := from.AddDate(0, 1, 0)
	now := in.Now
	if now.IsZero() {
		now = to
	}
	gen := in.GeneratedAt
	if gen.IsZero() {
		gen = now
	}
	f := in.Filter
	f.From, f.To = from, to
	l := in.Lang
	m := &monthly{in: in, l: l, z: z, dir: in.Directory, from: from, to: to, now: now, f: f, generated: gen,
		monthTitle: l.monthName(from)}
	m.rep = in.Dataset.Indicators(f, in.Settings, now)
	m.d = newDoc(pdfOptions{title: l.t("m.title"), subject: strings.TrimSpace(in.Plant + " · " + m.monthTitle),
		lang: l, generatedAt: gen, footer: fmt.Sprintf(l.t("8d.generated"), shortTime(gen, z))})
	return m
}

func (m *monthly) titleBlock() {
	d, l := m.d, m.l
	d.font("B", 18, pdfPrimary)
	title := l.t("m.title") + " — " + m.monthTitle
	d.lines(d.split(title, d.width), 9, d.width, "L")
	d.fields([]field{
		{l.t("m.period"), shortDate(m.from, m.z) + " → " + shortDate(m.to.Add(-time.Second), m.z)},
		{l.t("m.scope"), m.scope()},
	})
}

// scope describes the filter in words.
func (m *monthly) scope() string {
	f, l := m.in.Filter, m.l
	var parts []string
	add := func(key, v string) {
		if v != "" {
			parts = append(parts, l.t(key)+l.colon()+v)
		}
	}
	add("m.station_column", m.dir.StationName(f.Station))
	add("col.supplier_station", m.dir.StationName(f.SupplierStation))
	add("col.filing_station", m.dir.StationName(f.FilingStation))
	if f.Category != "" {
		add("col.category", m.dir.CategoryLabel(f.Category, l))
	}
	add("col.severity", l.severity(f.Severity))
	if m.in.Plant != "" {
		parts = append([]string{m.in.Plant}, parts...)
	}
	if len(parts) == 0 || (len(parts) == 1 && m.in.Plant != "") {
		parts = append(parts, l.t("m.all"))
	}
	return strings.Join(parts, " · ")
}

// headline is the grid of the month's key figures.
func (m *monthly) headline() {
	r, l := &m.rep, m.l
	m.d.section(l.t("m.headline"))
	sat := r.Satisfaction
	mean, net := "—", "—"
	if sat.Rated > 0 {
		mean = l.decimal(sat.Mean, 1) + " / 5"
		net = signed(l, sat.Net)
	}
	prev := r.Prevention.Plans
	m.d.tiles([]tile{
		{l.t("m.filed"), itoa(r.Filed), fmt.Sprintf(l.t("m.countable"), r.Countable)},
		{l.t("m.ack"), l.duration(r.TimeToAcknowledge.Median), fmt.Sprintf(l.t("m.median_p90"), l.duration(r.TimeToAcknowledge.P90))},
		{l.t("m.resolve"), l.duration(r.TimeToResolve.Median), fmt.Sprintf(l.t("m.median_p90"), l.duration(r.TimeToResolve.P90))},
		rateTile(l, l.t("m.by_deadline"), r.ResolvedByDeadline),
		rateTile(l, l.t("m.first_time"), r.FirstTimeResolution),
		rateTile(l, l.t("m.reopen"), r.Reopen),
		rateTile(l, l.t("m.escalation"), r.Escalation),
		{l.t("m.recurrence"), ratePct(l, r.Recurrence), fmt.Sprintf(l.t("m.after_prev"), r.RecurrenceAfterPrevention.Num)},
		{l.t("m.satisfaction"), mean, fmt.Sprintf(l.t("m.rated"), sat.Rated, net)},
		{l.t("m.overdue"), itoa(r.OverdueActions.Total), fmt.Sprintf(l.t("m.overdue_now"), shortDate(m.now, m.z))},
		{l.t("8d.plans"), fmt.Sprintf("%d / %d", prev.Effective, prev.Ineffective),
			l.t("m.effective") + " / " + strings.ToLower(l.t("m.ineffective"))},
		{l.t("m.prev_actions"), fmt.Sprintf("%d / %d", r.Prevention.Actions.Effective, r.Prevention.Actions.Ineffective),
			l.t("m.effective") + " / " + strings.ToLower(l.t("m.ineffective"))},
	}, 4)
}

func rateTile(l Lang, label string, r analytics.Rate) tile {
	return tile{label, ratePct(l, r), fmt.Sprintf(l.t("m.of"), r.Num, r.Den)}
}

func ratePct(l Lang, r analytics.Rate) string {
	if r.Den == 0 {
		return "—"
	}
	return l.pct(r.Pct())
}

// signed writes a net score with its sign: "+35" or "−12".
func signed(l Lang, v float64) string {
	s := l.decimal(v, 0)
	if v > 0 {
		return "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

// charts draws the Paretos, the weekly trend and the time to resolve.
func (m *monthly) charts() error {
	l := m.l
	opt := chartPDF
	opt.Lang = l
	cats := ParetoSeries(l.t("m.pareto_cat"), m.rep.ParetoCategories, func(k string) string { return m.dir.CategoryLabel(k, l) })
	sups := ParetoSeries(l.t("m.pareto_sup"), m.rep.ParetoSuppliers, m.stationLabel)
	cats.YLabel, sups.YLabel = l.t("chart.count"), l.t("chart.count")
	trend := WeeklySeries(l.t("m.trend"), m.trendWeeks())
	trend.YLabel = l.t("chart.count")
	jobs := []chartJob{
		{"pareto-categories", func() ([]byte, error) { return ParetoChart(cats, opt) }},
		{"pareto-suppliers", func() ([]byte, error) { return ParetoChart(sups, opt) }},
		{"trend", func() ([]byte, error) { return TrendChart(trend, opt) }},
	}
	if m.in.Complaints != nil {
		ttr := m.resolveDistribution(m.resolveTimes())
		jobs = append(jobs, chartJob{"ttr", func() ([]byte, error) { return HistogramChart(ttr, opt) }})
	}
	for _, c := range jobs {
		b, err := c.draw()
		if err != nil {
			return err
		}
		m.chart(c.name, b)
	}
	return nil
}

// chartJob draws one chart of the report.
type chartJob struct {
	name string
	draw func() ([]byte, error)
}

// stationLabel is a station's code, with its name when short enough to
// stay readable under a bar.
func (m *monthly) stationLabel(code string) string {
	if n := m.dir.StationName(code); len([]rune(n)) <= 20 {
		return n
	}
	return code
}

func (m *monthly) chart(name string, png []byte) {
	h := chartMM * float64(chartPDF.Height) / float64(chartPDF.Width)
	m.d.ensure(h + 4)
	m.d.image(name, png, pageMarginX, chartMM, h)
	m.d.pdf.SetY(m.d.pdf.GetY() + h + 4)
}

// trendWeeks counts the complaints of the trendWeeks complete ISO weeks
// that end in the month, with the report's filter. A week cut by the end
// of the month would show as a false drop.
func (m *monthly) trendWeeks() []analytics.PeriodCount {
	// The Monday on or before the first instant after the month.
	end := m.to.AddDate(0, 0, -((int(m.to.Weekday()) + 6) % 7))
	end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, m.z)
	f := m.f
	f.From, f.To = end.AddDate(0, 0, -7*trendWeeks), end
	return m.in.Dataset.Indicators(f, m.in.Settings, m.now).Volume.ByWeek
}

// resolveTimes are the times to resolve of the month's complaints, the
// population of the report's TimeToResolve.
func (m *monthly) resolveTimes() []time.Duration {
	var out []time.Duration
	for i := range m.in.Complaints {
		c := &m.in.Complaints[i]
		if !c.ResolvedAt.IsZero() && m.f.Match(c) {
			out = append(out, c.ResolvedAt.Sub(c.FiledAt))
		}
	}
	return out
}

func (m *monthly) resolveDistribution(ds []time.Duration) Distribution {
	l, st := m.l, m.rep.TimeToResolve
	d := Distribution{Title: l.t("m.ttr"), XLabel: l.t("chart.days"), YLabel: l.t("chart.count"), Values: DurationsInDays(ds)}
	if st.Count > 0 {
		d.Markers = []Marker{
			{Label: l.t("chart.median") + " " + l.duration(st.Median), Value: st.Median.Hours() / 24},
			{Label: l.t("chart.p90") + " " + l.duration(st.P90), Value: st.P90.Hours() / 24},
		}
	}
	return d
}

// scorecards is one row per station, as supplier and as client.
func (m *monthly) scorecards() {
	l := m.l
	m.d.section(l.t("m.scorecards"))
	cards := m.in.Dataset.Scorecards(m.f, m.in.Settings, m.now)
	rows := make([]trow, 0, len(cards))
	for _, c := range cards {
		s := c.AsSupplier
		rec := itoa(s.Recurrences)
		if s.RecurrencesAfterPrevention > 0 {
			rec += fmt.Sprintf(" (%d)", s.RecurrencesAfterPrevention)
		}
		rows = append(rows, trow{cells: []string{m.dir.StationName(c.Station), itoa(s.Received),
			l.duration(s.TimeToAcknowledge.Median), l.duration(s.TimeToResolve.Median), l.duration(s.TimeToResolve.P90),
			rec, itoa(s.OpenActions), itoa(s.OverdueActions), itoa(c.AsClient.Filed)}})
	}
	m.d.table([]tcol{{l.t("m.station_column"), 26, "L"}, {l.t("m.received"), 9, "R"}, {l.t("m.ack_med"), 12, "R"},
		{l.t("m.res_med"), 12, "R"}, {l.t("m.res_p90"), 12, "R"}, {l.t("m.recurrences"), 15, "R"},
		{l.t("m.open_actions"), 11, "R"}, {l.t("m.overdue_short"), 10, "R"}, {l.t("m.filed_client"), 11, "R"}}, rows, 8)
}

// prevention shows the verdicts of the month and of the plans of the last
// twelve months, the ineffective first: they are what a manager acts on.
func (m *monthly) prevention() {
	l, p := m.l, m.rep.Prevention
	m.d.section(l.t("m.prevention"))
	m.d.subheading(l.t("m.prev_month"))
	m.d.table([]tcol{{"", 40, "L"}, {l.t("m.effective"), 20, "R"}, {l.t("m.ineffective"), 20, "R"}, {l.t("m.pending"), 20, "R"}},
		[]trow{
			{cells: []string{l.t("m.prev_plans"), itoa(p.Plans.Effective), itoa(p.Plans.Ineffective), itoa(p.Plans.Pending)}},
			{cells: []string{l.t("m.prev_actions"), itoa(p.Actions.Effective), itoa(p.Actions.Ineffective), itoa(p.Actions.Pending)}},
		}, 8.5)
	m.d.subheading(l.t("m.plans_year"))
	plans := m.yearPlans()
	if len(plans) == 0 {
		m.d.note(l.t("m.no_plan"))
		return
	}
	const maxRows = 20
	rows := make([]trow, 0, min(len(plans), maxRows))
	for _, e := range plans[:min(len(plans), maxRows)] {
		rows = append(rows, m.planRow(e))
	}
	m.d.table([]tcol{{l.t("col.title"), 37, "L"}, {l.t("m.station_column"), 17, "L"}, {l.t("m.started"), 12, "L"},
		{l.t("m.window_end"), 13, "L"}, {l.t("m.evidence"), 13, "R"}, {l.t("col.verdict"), 12, "L"}}, rows, 8)
	if len(plans) > maxRows {
		m.d.note(fmt.Sprintf(l.t("m.more_rows"), len(plans)-maxRows))
	}
}

func (m *monthly) yearPlans() []analytics.Effectiveness {
	f := m.f
	f.From = m.to.AddDate(-1, 0, 0)
	var plans []analytics.Effectiveness
	for _, e := range m.in.Dataset.Effectiveness(f, m.in.Settings, m.now) {
		if e.Subject == analytics.SubjectPlan {
			plans = append(plans, e)
		}
	}
	rank := map[analytics.Verdict]int{analytics.Ineffective: 0, analytics.Pending: 1, analytics.Effective: 2}
	slices.SortStableFunc(plans, func(a, b analytics.Effectiveness) int { return cmp.Compare(rank[a.Verdict], rank[b.Verdict]) })
	return plans
}

func (m *monthly) planRow(e analytics.Effectiveness) trow {
	row := trow{cells: []string{e.Title, m.dir.StationName(e.SupplierStation), shortDate(e.DoneAt, m.z),
		shortDate(e.WindowEnd, m.z), itoa(e.EvidenceCount), m.l.t("verdict." + string(e.Verdict))}}
	switch e.Verdict {
	case analytics.Effective:
		row.tone = &pdfGood
	case analytics.Ineffective:
		row.tone = &pdfBad
	}
	return row
}

// overdue lists who and which station owe late actions, largest first.
func (m *monthly) overdue() {
	l, o := m.l, m.rep.OverdueActions
	m.d.section(l.t("m.overdue_owner"))
	if o.Total == 0 {
		m.d.note(l.t("m.overdue_none"))
		return
	}
	const maxRows = 15
	rows := make([]trow, 0, maxRows)
	for _, c := range o.ByOwner[:min(len(o.ByOwner), maxRows)] {
		rows = append(rows, trow{cells: []string{m.dir.UserName(c.Key), m.dir.StationName(m.dir.UserStation(c.Key)), itoa(c.Count)}})
	}
	m.d.table([]tcol{{l.t("col.owner"), 40, "L"}, {l.t("m.station_column"), 40, "L"}, {l.t("m.count"), 20, "R"}}, rows, 8.5)
	if len(o.ByOwner) > maxRows {
		m.d.note(fmt.Sprintf(l.t("m.more_rows"), len(o.ByOwner)-maxRows))
	}
}
