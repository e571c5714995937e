// Package dashboard holds the engineers' and managers' dashboard: the
// indicators of a period and station as figure tiles, charts drawn by
// shared/report's charting library, the clusters of recurring problems,
// and the exports.
package dashboard

import (
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
)

// Model is what the dashboard needs.
type Model interface {
	Reference() (model.Reference, error)
	Dashboard(q model.DashboardQuery) (model.Dashboard, error)
	DashboardCharts(d model.Dashboard, t model.ChartTitles, w, h int, lang string) (model.Charts, error)
	Export(kind model.ExportKind, q model.DashboardQuery, lang string, w io.Writer) error
}

// TileWidth and TileHeight size a figure tile: four lines of help at the
// caption size, four tiles side by side beside the menu at 1280 pixels.
const (
	TileWidth  = 250
	TileHeight = 168
)

// ChartWidth and ChartHeight are the size the charts are drawn at.
const (
	ChartWidth  = 560
	ChartHeight = 300
)

// Screen is the dashboard.
type Screen struct {
	env ui.Env
	m   Model
	q   model.DashboardQuery

	period  *widget.Select
	month   *widget.Select
	station *widget.Select
	months  []time.Time
	codes   []string // station codes, "" first
	ref     model.Reference

	tiles    *fyne.Container
	charts   []*canvas.Image
	clusters *fyne.Container
	problems *fyne.Container // problems.go
	themes   *fyne.Container // problems.go
	errLabel *widget.Label
	obj      fyne.CanvasObject

	// OpenComplaint, when set, opens a complaint of the recurring
	// problems (the shell pushes its screen).
	OpenComplaint func(id string)
	// OpenProblem and OpenRecurrences, when set, open a problem's page
	// and the list of the query's recurrences (problems.go).
	OpenProblem     func(id analytics.ProblemID)
	OpenRecurrences func(q model.DashboardQuery, period string)

	// Data is the last dashboard loaded, Charts its images (tests).
	Data   model.Dashboard
	Charts model.Charts
}

// New builds the dashboard; Load fills it.
func New(env ui.Env, m Model) *Screen {
	s := &Screen{env: env, m: m, q: model.DashboardQuery{Period: model.Last30Days}}
	periods := []string{lang.X("dashboard.period.30d", "Last 30 days"), lang.X("dashboard.period.90d", "Last 90 days"),
		lang.X("dashboard.period.12m", "Last 12 months"), lang.X("dashboard.period.month", "Month")}
	keys := []model.Period{model.Last30Days, model.Last90Days, model.Last12Months, model.Month}
	s.period = widget.NewSelect(periods, nil)
	s.period.SetSelectedIndex(0)
	s.period.OnChanged = func(string) {
		s.q.Period = keys[s.period.SelectedIndex()]
		if s.q.Period == model.Month {
			s.month.Show()
		} else {
			s.month.Hide()
		}
		s.Load()
	}
	now := env.Now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var labels []string
	for i := range 12 {
		mo := first.AddDate(0, -i, 0)
		s.months = append(s.months, mo)
		labels = append(labels, mo.Format("2006-01"))
	}
	s.month = widget.NewSelect(labels, nil)
	s.month.SetSelectedIndex(0)
	s.q.Month = s.months[0]
	s.month.OnChanged = func(string) { s.q.Month = s.months[s.month.SelectedIndex()]; s.Load() }
	s.month.Hide()
	s.station = widget.NewSelect([]string{lang.X("dashboard.station.all", "All stations")}, nil)
	s.station.SetSelectedIndex(0)
	s.station.OnChanged = func(string) {
		if i := s.station.SelectedIndex(); i >= 0 && i < len(s.codes) {
			s.q.Station = s.codes[i]
		}
		s.Load()
	}
	s.codes = []string{""}

	exports := widget.NewButtonWithIcon(lang.X("dashboard.export", "Export"), theme.DownloadIcon(), nil)
	exports.OnTapped = func() {
		items := []*fyne.MenuItem{
			fyne.NewMenuItem(lang.X("dashboard.export.complaints_xlsx", "Export complaints (XLSX)"), func() { s.save(model.ExportComplaintsXLSX) }),
			fyne.NewMenuItem(lang.X("dashboard.export.complaints_csv", "Export complaints (CSV)"), func() { s.save(model.ExportComplaintsCSV) }),
			fyne.NewMenuItem(lang.X("dashboard.export.actions_xlsx", "Export actions (XLSX)"), func() { s.save(model.ExportActionsXLSX) }),
			fyne.NewMenuItem(lang.X("dashboard.export.actions_csv", "Export actions (CSV)"), func() { s.save(model.ExportActionsCSV) }),
			fyne.NewMenuItem(lang.X("dashboard.export.monthly", "Monthly report (PDF)"), func() { s.save(model.ExportMonthlyPDF) }),
		}
		c := fyne.CurrentApp().Driver().CanvasForObject(exports)
		if c == nil {
			return
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(exports).Add(fyne.NewPos(0, exports.Size().Height))
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos)
	}

	s.tiles = container.NewGridWrap(fyne.NewSize(TileWidth, TileHeight))
	for range 4 {
		img := canvas.NewImageFromResource(nil)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(ChartWidth/1.25, ChartHeight/1.25))
		s.charts = append(s.charts, img)
	}
	s.clusters = container.NewVBox()
	s.problems = container.NewVBox()
	s.themes = container.NewVBox()
	s.errLabel = ui.ErrorLabel()
	bar := container.NewHBox(widget.NewLabel(lang.X("dashboard.period", "Period")), ui.MinSize(s.period, 190, 0), s.month,
		widget.NewLabel(lang.X("dashboard.station", "Supplier station")), ui.MinSize(s.station, 240, 0), exports)
	body := container.NewVBox(s.errLabel, s.tiles,
		ui.Heading(lang.X("dashboard.charts", "Charts")),
		container.NewGridWithColumns(2, s.charts[0], s.charts[1], s.charts[2], s.charts[3]),
		ui.Heading(lang.X("dashboard.problems", "Recurring problems")), s.problems,
		ui.Heading(lang.X("dashboard.themes", "Themes of the period")), s.themes,
		ui.Heading(lang.X("dashboard.clusters", "Similar complaints")), s.clusters)
	s.obj = container.NewBorder(container.NewHScroll(bar), nil, nil, nil, container.NewVScroll(body))
	return s
}

// Content is the screen for the shell.
func (s *Screen) Content() ui.Content { return ui.Content{Object: s.obj, Refresh: s.Load} }

// Query is the current filter (tests).
func (s *Screen) Query() model.DashboardQuery { return s.q }

// Load fills the station list, then the figures, then the charts, each off
// the UI goroutine.
func (s *Screen) Load() {
	q := s.q
	titles := model.ChartTitles{
		Categories: lang.X("dashboard.chart.categories", "Complaints by category"),
		Suppliers:  lang.X("dashboard.chart.suppliers", "Complaints by supplier station"),
		Trend:      lang.X("dashboard.chart.trend", "Complaints per week"),
		Resolve:    lang.X("dashboard.chart.resolve", "Time to resolve"),
		Days:       lang.X("dashboard.chart.days", "days"),
		Complaints: lang.X("dashboard.chart.complaints", "complaints"),
	}
	language := i18n.Lang()
	type result struct {
		ref    model.Reference
		d      model.Dashboard
		charts model.Charts
		cerr   error
	}
	ui.Load(s.env, func() (result, error) {
		ref, err := s.m.Reference()
		if err != nil {
			return result{}, err
		}
		d, err := s.m.Dashboard(q)
		if err != nil {
			return result{}, err
		}
		c, cerr := s.m.DashboardCharts(d, titles, ChartWidth, ChartHeight, language)
		return result{ref: ref, d: d, charts: c, cerr: cerr}, nil
	}, func(r result, err error) {
		ui.SetError(s.errLabel, err)
		if err != nil {
			return
		}
		s.setReference(r.ref)
		if r.cerr != nil {
			ui.SetError(s.errLabel, r.cerr)
		}
		s.show(r.d, r.charts)
	})
}

// setReference fills the station filter the first time.
func (s *Screen) setReference(ref model.Reference) {
	s.ref = ref
	if len(s.codes) > 1 {
		return
	}
	opts := []string{lang.X("dashboard.station.all", "All stations")}
	for _, st := range ref.Stations {
		s.codes = append(s.codes, st.Code)
		opts = append(opts, st.Label())
	}
	s.station.Options = opts
	s.station.Refresh()
}

func (s *Screen) show(d model.Dashboard, c model.Charts) {
	s.Data, s.Charts = d, c
	s.tiles.Objects = nil
	for _, t := range Tiles(d, PeriodPhrase(s.q), s.ref.UserName) {
		s.tiles.Add(s.tileFor(t))
	}
	s.tiles.Refresh()
	for i, png := range [][]byte{c.Categories, c.Suppliers, c.Trend, c.Resolve} {
		if len(png) == 0 {
			s.charts[i].Resource = nil
		} else {
			s.charts[i].Resource = fyne.NewStaticResource(fmt.Sprintf("chart-%d.png", i), png)
		}
		s.charts[i].Refresh()
	}
	s.showProblems(d)
	s.showThemes(d)
	s.clusters.Objects = nil
	if len(d.Clusters) == 0 {
		s.clusters.Add(widget.NewLabel(lang.X("dashboard.clusters.none", "No recurring problem in the period.")))
	}
	for _, cl := range d.Clusters {
		s.clusters.Add(s.cluster(cl))
	}
	s.clusters.Refresh()
}

// cluster is a group of similar complaints: its words, then each
// complaint's number as a button that opens it.
func (s *Screen) cluster(cl model.ClusterRow) fyne.CanvasObject {
	l := widget.NewLabel(lang.X("dashboard.cluster_terms", "{{.Terms}} — {{.Count}} complaints:", map[string]any{
		"Terms": strings.Join(cl.Terms, ", "), "Count": len(cl.Numbers)}))
	l.Wrapping = fyne.TextWrapWord
	numbers := container.NewGridWrap(fyne.NewSize(190, 36))
	for i, n := range cl.Numbers {
		b := widget.NewButton(n, nil)
		b.Importance = widget.LowImportance
		if i < len(cl.IDs) {
			id := cl.IDs[i]
			b.OnTapped = func() {
				if s.OpenComplaint != nil {
					s.OpenComplaint(id)
				}
			}
		}
		numbers.Add(b)
	}
	return container.NewVBox(l, numbers)
}

// Tile is one figure: what it is, its value, a detail line, and a help
// line saying what it counts and over which period.
type Tile struct {
	Label, Value, Detail, Help string
	// Opens names the list a tap on the tile opens ("" none).
	Opens string
}

// PeriodPhrase names the query's period inside a sentence: "in the last
// 30 days", "in 2026-11".
func PeriodPhrase(q model.DashboardQuery) string {
	switch q.Period {
	case model.Last90Days:
		return lang.X("dashboard.in.90d", "in the last 90 days")
	case model.Last12Months:
		return lang.X("dashboard.in.12m", "in the last 12 months")
	case model.Month:
		return lang.X("dashboard.in.month", "in {{.Month}}", map[string]any{"Month": q.Month.Format("2006-01")})
	}
	return lang.X("dashboard.in.30d", "in the last 30 days")
}

// Tiles are the figure tiles of a dashboard; period is PeriodPhrase of
// its query, name gives a login's display name. The help lines follow
// docs/kpis.md.
func Tiles(d model.Dashboard, period string, name func(login string) string) []Tile {
	r := d.Report
	in := map[string]any{"Period": period}
	dur := func(label, help string, d analytics.DurationStats) Tile {
		if d.Count == 0 {
			return Tile{Label: label, Value: "—", Help: help}
		}
		short := func(d time.Duration) string {
			if d >= time.Hour {
				d = d.Round(time.Hour)
			}
			return i18n.Duration(d)
		}
		return Tile{Label: label, Value: i18n.Duration(d.Median), Help: help, Detail: lang.X("dashboard.durations", "p90 {{.P90}} · mean {{.Mean}}",
			map[string]any{"P90": short(d.P90), "Mean": short(d.Mean)})}
	}
	rate := func(label, help string, r analytics.Rate) Tile {
		if r.Den == 0 {
			return Tile{Label: label, Value: "—", Help: help}
		}
		return Tile{Label: label, Value: fmt.Sprintf("%.0f %%", r.Pct()), Detail: fmt.Sprintf("%d / %d", r.Num, r.Den), Help: help}
	}
	var owners []string
	for i, c := range r.OverdueActions.ByOwner {
		if i == 3 {
			owners = append(owners, "…")
			break
		}
		owners = append(owners, fmt.Sprintf("%s %d", name(c.Key), c.Count))
	}
	sat := Tile{Label: lang.X("dashboard.tile.satisfaction", "Satisfaction"), Value: "—",
		Help: lang.X("dashboard.help.satisfaction", "Mean rating (1 to 5) given at closing, complaints filed {{.Period}}; net: % rating 4–5 minus % rating 1–2.", in)}
	if r.Satisfaction.Rated > 0 {
		sat.Value = fmt.Sprintf("%.1f / 5", r.Satisfaction.Mean)
		sat.Detail = lang.X("dashboard.satisfaction", "net {{.Net}} · {{.Rated}} ratings", map[string]any{
			"Net": fmt.Sprintf("%+.0f", r.Satisfaction.Net), "Rated": r.Satisfaction.Rated})
	}
	p := r.Prevention.Plans
	recurrence := rate(lang.X("dashboard.tile.recurrence", "Recurrences"),
		lang.X("dashboard.help.recurrence", "Countable complaints filed {{.Period}} of a problem already seen in the 90 days before (same failure, as proposed or decided).", in), r.Recurrence)
	recurrence.Opens = opensRecurrences
	if r.Recurrence.Den > 0 {
		recurrence.Detail = recurrenceDetail(r.Recurrence.Num, r.Recurrence.Den)
	}
	return []Tile{
		{Label: lang.X("dashboard.tile.volume", "Complaints filed"), Value: fmt.Sprint(r.Filed),
			Detail: lang.X("dashboard.countable", "{{.Count}} countable", map[string]any{"Count": r.Countable}),
			Help:   lang.X("dashboard.help.volume", "Complaints filed {{.Period}}, every status. Countable: not rejected, duplicate or withdrawn.", in)},
		dur(lang.X("dashboard.tile.tta", "Time to acknowledge (median)"),
			lang.X("dashboard.help.tta", "From filing to acknowledgement, complaints filed {{.Period}} and acknowledged. p90: 9 in 10 took less.", in), r.TimeToAcknowledge),
		dur(lang.X("dashboard.tile.ttr", "Time to resolve (median)"),
			lang.X("dashboard.help.ttr", "From filing to the latest resolution, complaints filed {{.Period}} now resolved or closed.", in), r.TimeToResolve),
		rate(lang.X("dashboard.tile.deadline", "Resolved by deadline"),
			lang.X("dashboard.help.deadline", "Countable complaints filed {{.Period}} resolved by the announced deadline, of those resolved or past it.", in), r.ResolvedByDeadline),
		rate(lang.X("dashboard.tile.ftr", "First-time resolution"),
			lang.X("dashboard.help.ftr", "Complaints filed {{.Period}} closed and never reopened, of those closed or reopened.", in), r.FirstTimeResolution),
		rate(lang.X("dashboard.tile.reopen", "Reopened"),
			lang.X("dashboard.help.reopen", "Complaints filed {{.Period}} reopened at least once, of those resolved at least once.", in), r.Reopen),
		rate(lang.X("dashboard.tile.escalation", "Escalated"),
			lang.X("dashboard.help.escalation", "Complaints filed {{.Period}} escalated at least once (by someone or automatically), of all filed.", in), r.Escalation),
		recurrence,
		sat,
		{Label: lang.X("dashboard.tile.overdue", "Overdue actions"), Value: fmt.Sprint(r.OverdueActions.Total), Detail: strings.Join(owners, ", "),
			Help: lang.X("dashboard.help.overdue", "Actions open or in progress past their due date, now, whatever the period; by owner.")},
		{Label: lang.X("dashboard.tile.plans_to_approve", "Plans to approve"), Value: fmt.Sprint(d.Plans.Submitted),
			Detail: lang.X("dashboard.plans_stages", "{{.Approved}} approved · {{.Running}} in progress", map[string]any{"Approved": d.Plans.Approved, "Running": d.Plans.InProgress}),
			Help:   lang.X("dashboard.help.plans_to_approve", "Plans waiting for a manager's signature now, whatever the period; then those approved not started, and those under way.")},
		{Label: lang.X("dashboard.tile.plans", "Preventive plans"), Value: fmt.Sprintf("%d / %d / %d", p.Effective, p.Ineffective, p.Pending),
			Detail: lang.X("dashboard.plans", "effective / ineffective / pending"),
			Help:   lang.X("dashboard.help.plans", "Plans started {{.Period}}: ineffective once a complaint of their scope comes within 90 days, effective after 90 days without.", in)},
	}
}

func tile(t Tile) fyne.CanvasObject {
	label := func(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
		l := widget.NewLabel(text)
		l.SizeName = size
		l.TextStyle.Bold = bold
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	help := widget.NewLabel(t.Help)
	help.SizeName = theme.SizeNameCaptionText
	help.Wrapping = fyne.TextWrapWord
	lines := container.New(tightVBox{}, label(t.Label, theme.SizeNameCaptionText, false),
		label(t.Value, theme.SizeNameSubHeadingText, true), label(t.Detail, theme.SizeNameCaptionText, false), help)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 4
	return container.NewStack(bg, lines)
}

// tightVBox stacks its objects without the theme's padding between them,
// so that three lines fit in a compact tile; the last one (the wrapped
// help) takes the rest of the tile.
type tightVBox struct{}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for i, o := range objs {
		h := o.MinSize().Height
		if i == len(objs)-1 {
			h = max(h, size.Height-y)
		}
		o.Resize(fyne.NewSize(size.Width, h))
		o.Move(fyne.NewPos(0, y))
		y += h - 2*theme.Padding()
	}
}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - 2*theme.Padding()
	}
	return s.AddWidthHeight(0, 2*theme.Padding())
}

// save asks where to write an export, then writes it off the UI goroutine.
func (s *Screen) save(kind model.ExportKind) {
	q, language := s.q, i18n.Lang()
	ui.SaveAs(s.env, FileName(kind, q, s.env.Now()), func(w io.Writer) error { return s.m.Export(kind, q, language, w) })
}

// FileName is the file an export is offered under.
func FileName(kind model.ExportKind, q model.DashboardQuery, now time.Time) string {
	day := now.Format("2006-01-02")
	if kind == model.ExportMonthlyPDF {
		mo := q.Month
		if q.Period != model.Month || mo.IsZero() {
			mo = now
		}
		day = mo.Format("2006-01")
	}
	name := "boucle-" + strings.ReplaceAll(string(kind), ".", "-"+day+".")
	if q.Station != "" {
		name = strings.Replace(name, "boucle-", "boucle-"+q.Station+"-", 1)
	}
	return name
}
