package report_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/report"
)

// categorySeries is a Pareto input with long French labels given out of
// order, more bars than the chart keeps and one empty category.
func categorySeries() report.Series {
	return report.Series{
		Title:  "Pareto des catégories",
		YLabel: "Réclamations",
		Labels: []string{"Étiquetage / documentation", "Aspect / surface", "Dimensionnel", "Pièce manquante ou erronée",
			"Contamination", "Dommage de manutention", "Quantité", "Livraison en retard", "Défaillance fonctionnelle",
			"Autre", "Traçabilité du lot fournisseur", "Vide"},
		Values: []float64{12, 41, 25, 9, 4, 7, 3, 2, 5, 1, 1, 0},
	}
}

func TestParetoChart(t *testing.T) {
	for _, size := range []struct{ w, h int }{{800, 450}, {360, 240}, {1600, 900}} {
		b, err := report.ParetoChart(categorySeries(), report.ChartOptions{Width: size.w, Height: size.h, Lang: report.French})
		if err != nil {
			t.Fatal(err)
		}
		checkPNG(t, b, size.w, size.h)
		dump(t, fmt.Sprintf("pareto-%d.png", size.w), b)
	}
}

func TestTrendChart(t *testing.T) {
	var weeks []analytics.PeriodCount
	start := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)
	for i := range 20 {
		ws := start.AddDate(0, 0, 7*i)
		y, w := ws.ISOWeek()
		weeks = append(weeks, analytics.PeriodCount{Period: isoWeek(y, w), Start: ws, Count: 5 + (i*7)%11})
	}
	s := report.WeeklySeries("Réclamations par semaine", weeks)
	if s.Labels[0] != "2025-W45" || s.Labels[1] != "W46" || s.Labels[8] != "2026-W01" {
		t.Errorf("labels %q", s.Labels[:10])
	}
	b, err := report.TrendChart(s, report.ChartOptions{Width: 700, Height: 300, Lang: report.French})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, b, 700, 300)
	dump(t, "trend.png", b)
}

func TestHistogramChart(t *testing.T) {
	var days []float64
	for i := range 60 {
		days = append(days, float64(i%13)*0.7+float64(i%3))
	}
	d := report.Distribution{Title: "Délai de résolution", XLabel: "Jours", YLabel: "Réclamations", Values: days,
		Markers: []report.Marker{{Label: "médiane 4,2 j", Value: 4.2}, {Label: "p90 8,4 j", Value: 8.4}}}
	b, err := report.HistogramChart(d, report.ChartOptions{Width: 640, Height: 360})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, b, 640, 360)
	dump(t, "histogram.png", b)
}

func TestChartsEmptyAndTooSmall(t *testing.T) {
	b, err := report.ParetoChart(report.Series{Title: "Empty"}, report.ChartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, b, 800, 450)
	if _, err := report.TrendChart(categorySeries(), report.ChartOptions{Width: 50, Height: 40}); err != report.ErrNoSize {
		t.Errorf("tiny chart: %v, want ErrNoSize", err)
	}
}

// checkPNG decodes the chart and checks its size and that something is
// drawn: a blank image has one colour.
func checkPNG(t *testing.T, b []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != (image.Point{X: w, Y: h}) {
		t.Fatalf("size %v, want %dx%d", got, w, h)
	}
	if n := colours(img); n < 10 {
		t.Errorf("only %d colours: blank chart?", n)
	}
}

func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bb, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bb, a}] = true
		}
	}
	return len(seen)
}

// TestHiDPI: Scale makes text and lines bigger, never the image.
func TestHiDPI(t *testing.T) {
	b, err := report.ParetoChart(categorySeries(), report.ChartOptions{Width: 1600, Height: 900, Scale: 2, Lang: report.French})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, b, 1600, 900)
}

func TestSeriesHelpers(t *testing.T) {
	rows := []analytics.ParetoRow{{Key: "surface", Count: 5}, {Key: "labelling", Count: 2}}
	s := report.ParetoSeries("P", rows, func(k string) string { return fixtureDirectory().CategoryLabel(k, report.French) })
	if s.Title != "P" || s.Labels[1] != "Étiquetage / documentation" || s.Values[0] != 5 {
		t.Errorf("ParetoSeries %+v", s)
	}
	if raw := report.ParetoSeries("", rows, nil); raw.Labels[0] != "surface" {
		t.Errorf("nil label func: %q", raw.Labels)
	}
	if d := report.DurationsInDays([]time.Duration{36 * time.Hour}); d[0] != 1.5 {
		t.Errorf("DurationsInDays %v", d)
	}
}

// TestConcurrentUse: the server draws charts and writes PDFs for several
// requests at once; each gives what it gives alone.
func TestConcurrentUse(t *testing.T) {
	in := eightDFixture(t)
	var want bytes.Buffer
	if err := report.WriteEightD(&want, in); err != nil {
		t.Fatal(err)
	}
	chart, err := report.ParetoChart(categorySeries(), report.ChartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 4 {
		go func() {
			var got bytes.Buffer
			err := report.WriteEightD(&got, in)
			if err == nil && !bytes.Equal(got.Bytes(), want.Bytes()) {
				err = fmt.Errorf("8D differs when written concurrently")
			}
			errs <- err
		}()
		go func() {
			b, err := report.ParetoChart(categorySeries(), report.ChartOptions{})
			if err == nil && !bytes.Equal(b, chart) {
				err = fmt.Errorf("chart differs when drawn concurrently")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestChartsOnePoint: one bar, one week, one duration still draw.
func TestChartsOnePoint(t *testing.T) {
	one := report.Series{Title: "Un", Labels: []string{"PRESSE2"}, Values: []float64{3}}
	for name, draw := range map[string]func() ([]byte, error){
		"pareto": func() ([]byte, error) { return report.ParetoChart(one, report.ChartOptions{}) },
		"trend":  func() ([]byte, error) { return report.TrendChart(one, report.ChartOptions{}) },
		"histogram": func() ([]byte, error) {
			return report.HistogramChart(report.Distribution{Values: []float64{2.5}, Markers: []report.Marker{{Label: "m", Value: 2.5}}}, report.ChartOptions{})
		},
		"histogram of equal values": func() ([]byte, error) {
			return report.HistogramChart(report.Distribution{Values: []float64{1, 1, 1, 1}}, report.ChartOptions{})
		},
	} {
		b, err := draw()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkPNG(t, b, 800, 450)
		dump(t, "one-"+strings.ReplaceAll(name, " ", "-")+".png", b)
	}
}
