package report_test

import (
	"io"
	"testing"

	"boucle/shared/report"
)

// BenchmarkEightD writes the 8D of a realistic complaint: 27 events, 4
// actions, a plan, 3 attachments (target: 200 ms on 2 cores).
func BenchmarkEightD(b *testing.B) {
	in := eightDFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := report.WriteEightD(io.Discard, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMonthlyReport computes and writes the monthly report of a
// plant of 1,200 complaints a quarter (400 in the month), charts included.
func BenchmarkMonthlyReport(b *testing.B) {
	in := monthlyInput(1200)
	b.ReportAllocs()
	for b.Loop() {
		if err := report.WriteMonthly(io.Discard, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkXLSX1000 exports 1,000 complaints to XLSX.
func BenchmarkXLSX1000(b *testing.B) {
	cs, _, _ := plantFixture(1000)
	opt := report.ExportOptions{Lang: report.French, Location: paris, Directory: fixtureDirectory()}
	b.ReportAllocs()
	for b.Loop() {
		if err := report.WriteComplaintsXLSX(io.Discard, cs, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCSV1000 exports 1,000 complaints to CSV.
func BenchmarkCSV1000(b *testing.B) {
	cs, _, _ := plantFixture(1000)
	opt := report.ExportOptions{Lang: report.French, Location: paris, Directory: fixtureDirectory(), BOM: true}
	b.ReportAllocs()
	for b.Loop() {
		if err := report.WriteComplaintsCSV(io.Discard, cs, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParetoChart draws a dashboard-sized Pareto.
func BenchmarkParetoChart(b *testing.B) {
	s := categorySeries()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := report.ParetoChart(s, report.ChartOptions{Width: 800, Height: 450}); err != nil {
			b.Fatal(err)
		}
	}
}
