package report

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// paretoSideways lays a Pareto's bars sideways, the largest on top, each
// name whole on the left and each bar followed by its count and the
// cumulative share ("14 · 30%"): a chart narrower than its names still
// names every bar in full, read left to right.
func paretoSideways(p *plot.Plot, labels []string, values []float64, opt ChartOptions) (*plot.Plot, error) {
	n := len(values)
	w, h := opt.size()
	// gonum counts Y upwards: the largest bar goes last to be drawn on top.
	rev := func(xs []float64) []float64 { out := slices.Clone(xs); slices.Reverse(out); return out }
	names := make([]string, n)
	style := p.Y.Tick.Label
	for i, l := range labels {
		// Whole up to the runes every chart keeps, and never more than
		// 45% of the width.
		names[n-1-i] = fitWidth(style, truncate(oneLine(l), maxLabelRunes), w*0.45)
	}
	top := niceCeil(slices.Max(values) * 1.25) // room for the figures after the longest bar
	bars, err := plotter.NewBarChart(plotter.Values(rev(values)), min(h*0.75/vg.Length(n)*0.7, h*0.12))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color, bars.LineStyle.Width = colorPrimary, 0
	figures, err := sidewaysFigures(values)
	if err != nil {
		return nil, err
	}
	p.X.Min, p.X.Max = 0, top
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Tick.Marker = integerTicks{}
	p.Y.Tick.Marker = nil
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	grid.Vertical.Color, grid.Vertical.Width = colorGrid, vg.Points(0.6)
	p.Add(grid, bars, figures)
	p.NominalY(names...)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Y.Tick.Length = 0
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	// The figures after the bars say what they are.
	p.X.Label.Text = opt.Lang.t("chart.figures")
	return p, nil
}

// sidewaysFigures writes each bar's count and cumulative share after it.
func sidewaysFigures(values []float64) (*plotter.Labels, error) {
	n, total, run := len(values), sum(values), 0.0
	xys, texts := make(plotter.XYs, n), make([]string, n)
	for i, v := range values {
		run += v
		xys[n-1-i] = plotter.XY{X: v, Y: float64(n - 1 - i)}
		texts[n-1-i] = fmt.Sprintf("%s · %d%%", trimFloat(v), int(math.Round(run/total*100)))
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = textStyle(8, false)
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
		l.TextStyle[i].Color = colorText
	}
	l.Offset = vg.Point{X: vg.Points(3)}
	return l, nil
}

// trimFloat writes a count without decimals, other values with one.
func trimFloat(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
