package report

import (
	"os"
	"slices"
	"testing"

	"boucle/shared/domain"
)

// The dashboard draws its Paretos at 560 × 300 pixels: every category's
// label, in both languages and whichever bar it names (the first, the
// largest, reached left of the axis), is written whole (it read
// "Surface / appe…"): under its bar when the names fit there, else on
// the left of bars laid sideways.
func TestParetoLabelsWholeAtDashboardSize(t *testing.T) {
	opt := ChartOptions{Width: 560, Height: 300}
	for _, fr := range []bool{false, true} {
		var all []string
		for _, c := range domain.DefaultCategories {
			if fr {
				all = append(all, c.LabelFR)
			} else {
				all = append(all, c.LabelEN)
			}
		}
		for first := range all {
			for _, n := range []int{1, 3, 6, len(all)} {
				labels := slices.Concat(all[first:], all[:first])[:n]
				values := make([]float64, n)
				for i := range values {
					values[i] = float64(n - i)
				}
				p, err := paretoPlot(Series{Title: "Complaints by category", Labels: labels, Values: values}, opt)
				if err != nil {
					t.Fatal(err)
				}
				axis, order := p.X, labels
				if p.X.Tick.Marker == (integerTicks{}) { // sideways: names on Y, the largest on top
					axis, order = p.Y, slices.Clone(labels)
					slices.Reverse(order)
				}
				ticks := axis.Tick.Marker.Ticks(axis.Min, axis.Max)
				if len(ticks) != n {
					t.Fatalf("%d bars, %d names", n, len(ticks))
				}
				for i, tk := range ticks {
					if tk.Label != order[i] {
						t.Errorf("%d bars: %q drawn as %q", n, order[i], tk.Label)
					}
				}
				if n == len(all) && first == 1 && os.Getenv("BOUCLE_CHART_OUT") != "" {
					if b, err := render(p, opt.withDefaults()); err == nil {
						_ = os.WriteFile(os.Getenv("BOUCLE_CHART_OUT")+map[bool]string{false: "-en.png", true: "-fr.png"}[fr], b, 0o644)
					}
				}
			}
		}
	}
}
