package report

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"boucle/shared/analytics"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	plottext "gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Series is a labelled series of values: the bars of a Pareto, the weeks of
// a trend. It is plain data so that the desktop dashboard and the server
// build it from whatever they hold (see ParetoSeries and WeeklySeries).
type Series struct {
	Title  string
	XLabel string
	YLabel string
	Labels []string
	Values []float64
}

// Distribution is a sample to show as a histogram, such as the times to
// resolve in days, with optional reference lines (median, p90).
type Distribution struct {
	Title   string
	XLabel  string
	YLabel  string
	Values  []float64
	Bins    int // 0 chooses √n, between 5 and 20
	Markers []Marker
}

// Marker is a vertical reference line on a distribution.
type Marker struct {
	Label string
	Value float64
}

// ChartOptions size a chart. Width and Height are the PNG's pixels; Scale
// is the device pixel ratio (2 on a HiDPI screen or for print): fonts and
// lines grow with it, so a chart reads the same on every screen.
type ChartOptions struct {
	Width, Height int     // pixels; 0 is 800 × 450
	Scale         float64 // 0 is 1 (96 dots per inch)
	Lang          Lang
	// MaxBars is the number of Pareto bars before the smallest are grouped
	// under "Others"; 0 is 10.
	MaxBars int
}

func (o ChartOptions) withDefaults() ChartOptions {
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = 800, 450
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.MaxBars <= 0 {
		o.MaxBars = 10
	}
	return o
}

// dpi maps points to pixels: at Scale 1 a 9-point label is 12 pixels high.
func (o ChartOptions) dpi() float64 { return 96 * o.Scale }

// size is the canvas size in points for the requested pixels.
func (o ChartOptions) size() (vg.Length, vg.Length) {
	return vg.Length(float64(o.Width) / o.dpi() * 72), vg.Length(float64(o.Height) / o.dpi() * 72)
}

// The palette: one blue for counts, one orange for cumulative and
// reference lines, greys for the frame, the same in every chart and in the
// PDFs' headings.
var (
	colorPrimary = color.RGBA{R: 0x2E, G: 0x6D, B: 0xB4, A: 0xFF}
	colorAccent  = color.RGBA{R: 0xE0, G: 0x7A, B: 0x1F, A: 0xFF}
	colorAccent2 = color.RGBA{R: 0x8E, G: 0x44, B: 0xAD, A: 0xFF}
	colorText    = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xFF}
	colorMuted   = color.RGBA{R: 0x77, G: 0x77, B: 0x77, A: 0xFF}
	colorGrid    = color.RGBA{R: 0xE3, G: 0xE6, B: 0xEA, A: 0xFF}
)

// maxLabelRunes is where a station or category label is cut on an axis,
// whatever room the chart has.
const maxLabelRunes = 28

// ErrNoSize is returned for a chart too small to draw anything legible.
var ErrNoSize = errors.New("report: chart smaller than 120 × 80 pixels")

// ParetoChart draws the series as a Pareto chart: bars sorted from the
// largest, the smallest grouped under "Others" beyond MaxBars, and the
// cumulative share as a line read on a percent scale on the right.
//
// When the bars' names would be cut under them (long category names on a
// dashboard-sized chart), the bars lie sideways instead, names whole on
// the left (paretoSideways).
func ParetoChart(s Series, opt ChartOptions) ([]byte, error) {
	p, err := paretoPlot(s, opt)
	if err != nil || p == nil {
		return nil, err
	}
	return render(p, opt.withDefaults())
}

// paretoPlot builds the Pareto's plot; an empty series gets renderEmpty's.
func paretoPlot(s Series, opt ChartOptions) (*plot.Plot, error) {
	opt = opt.withDefaults()
	labels, values := paretoBars(s, opt.MaxBars, opt.Lang.t("others"))
	p := newPlot(s.Title, s.XLabel, s.YLabel, opt)
	if len(values) == 0 || sum(values) == 0 {
		return p, emptyPlot(p)
	}
	w, h := opt.size()
	if wouldCut(p.X.Tick.Label, labels, w, h) {
		return paretoSideways(p, labels, values, opt)
	}
	top := niceCeil(slices.Max(values) * 1.12)
	p.Y.Min, p.Y.Max = 0, top
	bars, err := plotter.NewBarChart(plotter.Values(values), barWidth(w, len(values)))
	if err != nil {
		return nil, err
	}
	bars.Color, bars.LineStyle.Width = colorPrimary, 0
	cum, err := cumulativeLine(values, top)
	if err != nil {
		return nil, err
	}
	p.X.Min, p.X.Max = -0.6, float64(len(values))-0.4
	p.Add(horizontalGrid(), bars, cum, newPercentAxis(top, opt))
	setNominalX(p, labels, w, h)
	return p, nil
}

// paretoBars sorts the bars from the largest (stable: ties keep the
// caller's order) and groups the tail beyond max into one last bar.
func paretoBars(s Series, limit int, others string) ([]string, []float64) {
	type bar struct {
		label string
		value float64
	}
	bars := make([]bar, 0, len(s.Values))
	for i, v := range s.Values {
		if v > 0 {
			bars = append(bars, bar{labelAt(s.Labels, i), v})
		}
	}
	slices.SortStableFunc(bars, func(a, b bar) int { return cmp.Compare(b.value, a.value) })
	if len(bars) > limit {
		rest := 0.0
		for _, b := range bars[limit-1:] {
			rest += b.value
		}
		bars = append(bars[:limit-1], bar{others, rest})
	}
	labels, values := make([]string, len(bars)), make([]float64, len(bars))
	for i, b := range bars {
		labels[i], values[i] = b.label, b.value
	}
	return labels, values
}

func labelAt(labels []string, i int) string {
	if i < len(labels) {
		return labels[i]
	}
	return ""
}

// cumulativeLine maps the cumulative share onto the count axis, 100% at
// its top, with a point on each bar.
func cumulativeLine(values []float64, top float64) (plot.Plotter, error) {
	total, run := sum(values), 0.0
	xys := make(plotter.XYs, len(values))
	for i, v := range values {
		run += v
		xys[i] = plotter.XY{X: float64(i), Y: run / total * top}
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, err
	}
	line.Color, line.Width = colorAccent, vg.Points(1.6)
	points.Color, points.Shape, points.Radius = colorAccent, draw.CircleGlyph{}, vg.Points(2.4)
	return plotters{line, points}, nil
}

// plotters draws several plotters as one.
type plotters []plot.Plotter

func (ps plotters) Plot(c draw.Canvas, p *plot.Plot) {
	for _, x := range ps {
		x.Plot(c, p)
	}
}

// percentAxis is the right-hand scale of a Pareto: 0 to 100% over the
// count axis's range. gonum/plot draws one Y axis; this plotter draws the
// second one and reserves its room through GlyphBoxes.
type percentAxis struct {
	top   float64
	style plottext.Style
	title plottext.Style
	label string
	line  draw.LineStyle
	tick  vg.Length
}

func newPercentAxis(top float64, opt ChartOptions) percentAxis {
	a := percentAxis{top: top, style: textStyle(8, false), title: textStyle(9, false),
		label: opt.Lang.t("chart.cumulative"), line: draw.LineStyle{Color: colorMuted, Width: vg.Points(0.6)},
		tick: vg.Points(3)}
	a.style.XAlign, a.style.YAlign = draw.XLeft, draw.YCenter
	a.title.XAlign, a.title.YAlign, a.title.Rotation = draw.XCenter, draw.YTop, -math.Pi/2
	a.title.Color = colorAccent
	return a
}

func (a percentAxis) tickLabel(pct int) string { return fmt.Sprintf("%d%%", pct) }

func (a percentAxis) Plot(c draw.Canvas, p *plot.Plot) {
	_, y := p.Transforms(&c)
	x := c.Max.X
	c.StrokeLine2(a.line, x, c.Min.Y, x, c.Max.Y)
	for pct := 0; pct <= 100; pct += 20 {
		ty := y(float64(pct) / 100 * a.top)
		c.StrokeLine2(a.line, x, ty, x+a.tick, ty)
		c.FillText(a.style, vg.Point{X: x + a.tick + vg.Points(2), Y: ty}, a.tickLabel(pct))
	}
	// Turned a quarter clockwise, the title extends left of its anchor.
	tx := x + a.tick + vg.Points(4) + a.style.Width(a.tickLabel(100)) + vg.Points(2) + a.title.Height(a.label)
	c.FillText(a.title, vg.Point{X: tx, Y: (c.Min.Y + c.Max.Y) / 2}, a.label)
}

// GlyphBoxes reserves the width of the tick labels and the title at the
// right edge of the data area.
func (a percentAxis) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	w := a.tick + vg.Points(4) + a.style.Width(a.tickLabel(100)) + a.title.Height(a.label) + vg.Points(4)
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: w}}}}
}

// TrendChart draws the series as a line over time, one point a period (a
// week for WeeklySeries), with the area under it shaded.
func TrendChart(s Series, opt ChartOptions) ([]byte, error) {
	opt = opt.withDefaults()
	p := newPlot(s.Title, s.XLabel, s.YLabel, opt)
	if len(s.Values) == 0 {
		return renderEmpty(p, opt)
	}
	xys := make(plotter.XYs, len(s.Values))
	for i, v := range s.Values {
		xys[i] = plotter.XY{X: float64(i), Y: v}
	}
	area, err := plotter.NewPolygon(areaUnder(xys))
	if err != nil {
		return nil, err
	}
	area.Color, area.LineStyle.Width = color.NRGBA{R: 0x2E, G: 0x6D, B: 0xB4, A: 0x30}, 0
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, err
	}
	line.Color, line.Width = colorPrimary, vg.Points(1.8)
	points.Color, points.Shape, points.Radius = colorPrimary, draw.CircleGlyph{}, vg.Points(2.2)
	p.Y.Min, p.Y.Max = 0, niceCeil(max(slices.Max(s.Values)*1.1, 1))
	p.X.Min, p.X.Max = -0.3, float64(len(s.Values))-0.7
	p.Add(horizontalGrid(), area, line, points)
	w, h := opt.size()
	setNominalX(p, thinLabels(s.Labels, len(s.Values), w), w, h)
	return render(p, opt)
}

// areaUnder closes the line down to zero.
func areaUnder(xys plotter.XYs) plotter.XYs {
	out := append(plotter.XYs{{X: xys[0].X, Y: 0}}, xys...)
	return append(out, plotter.XY{X: xys[len(xys)-1].X, Y: 0})
}

// thinLabels keeps one label in k so that labels never touch: a year of
// weeks shows one week in four.
func thinLabels(labels []string, n int, w vg.Length) []string {
	style := tickStyle()
	widest := vg.Length(0)
	for i := range n {
		widest = max(widest, style.Width(labelAt(labels, i)))
	}
	slot := w * 0.85 / vg.Length(max(n, 1))
	step := max(1, int(math.Ceil(float64((widest+vg.Points(6))/slot))))
	out := make([]string, n)
	for i := 0; i < n; i += step {
		out[i] = labelAt(labels, i)
	}
	return out
}

// HistogramChart draws the distribution as a histogram with its markers
// as dashed vertical lines named in a legend.
func HistogramChart(d Distribution, opt ChartOptions) ([]byte, error) {
	opt = opt.withDefaults()
	p := newPlot(d.Title, d.XLabel, d.YLabel, opt)
	if len(d.Values) == 0 {
		return renderEmpty(p, opt)
	}
	h, err := plotter.NewHist(plotter.Values(d.Values), bins(d))
	if err != nil {
		return nil, err
	}
	h.FillColor, h.LineStyle.Color, h.LineStyle.Width = colorPrimary, color.White, vg.Points(0.8)
	_, _, _, ymax := h.DataRange()
	// Room above the tallest bar for the legend, which the marker lines
	// stop short of.
	top := niceCeil(ymax * 1.3)
	p.Y.Min, p.Y.Max = 0, top
	p.Add(horizontalGrid(), h)
	for i, m := range d.Markers {
		line, err := markerLine(m.Value, ymax*1.08, i)
		if err != nil {
			return nil, err
		}
		p.Add(line)
		p.Legend.Add(m.Label, line)
	}
	p.X.Min = min(p.X.Min, 0)
	return render(p, opt)
}

func bins(d Distribution) int {
	if d.Bins > 0 {
		return d.Bins
	}
	return min(20, max(5, int(math.Ceil(math.Sqrt(float64(len(d.Values)))))))
}

func markerLine(x, top float64, i int) (*plotter.Line, error) {
	line, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}})
	if err != nil {
		return nil, err
	}
	line.Color = []color.Color{colorAccent, colorAccent2, colorMuted}[min(i, 2)]
	line.Width, line.Dashes = vg.Points(1.6), []vg.Length{vg.Points(5), vg.Points(3)}
	return line, nil
}

// ParetoSeries turns an analytics Pareto into a series; label names each
// key (a category's label, a station's name), nil keeps the keys.
func ParetoSeries(title string, rows []analytics.ParetoRow, label func(key string) string) Series {
	s := Series{Title: title, Labels: make([]string, len(rows)), Values: make([]float64, len(rows))}
	for i, r := range rows {
		s.Labels[i], s.Values[i] = r.Key, float64(r.Count)
		if label != nil {
			s.Labels[i] = label(r.Key)
		}
	}
	return s
}

// WeeklySeries turns analytics' weekly counts into a trend series labelled
// by week ("W05", with the year where it changes).
func WeeklySeries(title string, weeks []analytics.PeriodCount) Series {
	s := Series{Title: title, Labels: make([]string, len(weeks)), Values: make([]float64, len(weeks))}
	year := ""
	for i, w := range weeks {
		s.Values[i] = float64(w.Count)
		s.Labels[i] = w.Period
		if y, wk, ok := splitWeek(w.Period); ok {
			s.Labels[i] = wk
			if y != year {
				s.Labels[i] = y + "-" + wk
				year = y
			}
		}
	}
	return s
}

// splitWeek splits "2026-W05" into "2026" and "W05".
func splitWeek(p string) (string, string, bool) {
	if len(p) == 8 && p[4] == '-' && p[5] == 'W' {
		return p[:4], p[5:], true
	}
	return "", "", false
}

// DurationsInDays converts durations to days, the unit of a
// time-to-resolve histogram.
func DurationsInDays(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = d.Hours() / 24
	}
	return out
}

// newPlot is a plot in the house style: sans-serif text, grey frame,
// no vertical grid.
func newPlot(title, xlabel, ylabel string, opt ChartOptions) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(11, true)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = textStyle(9, false)
		a.Label.TextStyle.Color, a.Label.TextStyle.YAlign = colorMuted, draw.YBottom
		a.Tick.Label = tickStyle()
		a.LineStyle.Color, a.Tick.Color = colorMuted, colorMuted
		a.Padding = vg.Points(2)
	}
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Y.Tick.Marker = integerTicks{}
	p.Legend.TextStyle = textStyle(8, false)
	p.Legend.TextStyle.XAlign, p.Legend.TextStyle.YAlign = draw.XLeft, draw.YBottom
	p.Legend.Padding = vg.Points(2)
	p.Legend.Top = true
	p.Legend.YOffs = -vg.Points(2)
	return p
}

// textStyle is Liberation Sans, the PDFs' font, in the house colour.
func textStyle(size float64, bold bool) plottext.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return plottext.Style{Color: colorText, Font: font.From(f, vg.Points(size)), XAlign: draw.XCenter,
		YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
}

func tickStyle() plottext.Style {
	s := textStyle(8, false)
	s.YAlign = draw.YTop
	return s
}

func horizontalGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color, g.Horizontal.Width = colorGrid, vg.Points(0.6)
	return g
}

// setNominalX names the bars so that labels never overlap: side by side
// when they fit, else turned at the gentlest angle that keeps neighbours
// apart, and cut with "…" so that a turned label takes at most 30%
// of the chart's height.
func setNominalX(p *plot.Plot, labels []string, w, h vg.Length) {
	cut, angle := nominalX(p.X.Tick.Label, labels, w, h)
	if angle != 0 {
		p.X.Tick.Label.Rotation = angle
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YTop
	}
	p.NominalX(cut...)
	p.X.Tick.Length = 0
	p.Y.Padding = vg.Points(2)
}

// nominalX is how setNominalX writes the labels: cut to fit, and the
// angle they are turned by (0: side by side).
func nominalX(style plottext.Style, labels []string, w, h vg.Length) ([]string, float64) {
	cut := make([]string, len(labels))
	widest := vg.Length(0)
	for i, l := range labels {
		cut[i] = truncate(oneLine(l), maxLabelRunes)
		widest = max(widest, style.Width(cut[i]))
	}
	slot := w * 0.8 / vg.Length(max(len(labels), 1))
	if widest+vg.Points(4) <= slot {
		return cut, 0
	}
	angle := labelAngle(slot, style.Height("Hg")*1.2)
	room := h * 0.3 / vg.Length(math.Sin(angle))
	for i := range cut {
		r := room
		// The first label, turned, reaches left of its bar: keep it
		// inside the canvas (the Y axis takes a little of the width).
		if c := math.Cos(angle); i == 0 && c > 0.01 {
			r = min(r, (slot/2+w*0.06)/vg.Length(c))
		}
		cut[i] = fitWidth(style, cut[i], r)
	}
	return cut, angle
}

// wouldCut reports whether nominalX would cut a label shorter than
// maxLabelRunes, the cut every chart makes.
func wouldCut(style plottext.Style, labels []string, w, h vg.Length) bool {
	cut, _ := nominalX(style, labels, w, h)
	for i, l := range labels {
		if cut[i] != truncate(oneLine(l), maxLabelRunes) {
			return true
		}
	}
	return false
}

// labelAngle is the gentlest of 35°, 60° and 90° at which labels a slot
// apart leave a line of text between them.
func labelAngle(slot, line vg.Length) float64 {
	for _, deg := range []float64{35, 60} {
		if a := deg * math.Pi / 180; float64(slot)*math.Sin(a) >= float64(line) {
			return a
		}
	}
	return math.Pi / 2
}

// fitWidth cuts s with "…" until it is at most w wide.
func fitWidth(style plottext.Style, s string, w vg.Length) string {
	if style.Width(s) <= w {
		return s
	}
	r := []rune(strings.TrimSuffix(s, "…"))
	for len(r) > 1 && style.Width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// barWidth leaves 30% of each slot between bars, and keeps a lone bar from
// filling the chart.
func barWidth(w vg.Length, n int) vg.Length {
	return min(w*0.8/vg.Length(max(n, 1))*0.7, w*0.12)
}

// integerTicks puts about five ticks on round whole numbers: counts of
// complaints have no halves, and "25.00" reads worse than "25".
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceCeil(max((hi-lo)/5, 1))
	if step != math.Trunc(step) {
		step = math.Ceil(step)
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+step/1e6; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

// niceCeil rounds up to 1, 2, 2.5 or 5 times a power of ten, so that the
// top of an axis is a round number.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= v {
			return m * mag
		}
	}
	return 10 * mag
}

func sum(vs []float64) float64 {
	t := 0.0
	for _, v := range vs {
		t += v
	}
	return t
}

// render draws the plot on a white canvas at the requested pixels.
func render(p *plot.Plot, opt ChartOptions) ([]byte, error) {
	if opt.Width < 120 || opt.Height < 80 {
		return nil, ErrNoSize
	}
	w, h := opt.size()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(math.Round(opt.dpi()))))
	// A margin keeps the title and the outer labels off the image's edge.
	m := vg.Points(6)
	p.Draw(draw.Crop(draw.New(c), m, -m, m, -m))
	var buf bytes.Buffer
	// Fast compression: charts are redrawn often and embedded in PDFs;
	// a few more kilobytes do not matter.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderEmpty draws the title and a dash where the data would be, so a
// dashboard keeps its layout for an empty period.
func renderEmpty(p *plot.Plot, opt ChartOptions) ([]byte, error) {
	if err := emptyPlot(p); err != nil {
		return nil, err
	}
	return render(p, opt)
}

// emptyPlot turns p into renderEmpty's dash.
func emptyPlot(p *plot.Plot) error {
	p.HideAxes()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{"—"}})
	if err != nil {
		return err
	}
	l.TextStyle[0] = textStyle(20, false)
	l.TextStyle[0].Color, l.TextStyle[0].YAlign = colorMuted, draw.YCenter
	p.Add(l)
	return nil
}
