package analytics_test

import (
	"sync"
	"testing"
	"time"

	"boucle/shared/analytics"
)

// The benchmarks share one synthetic plant of 100k complaints over 2025,
// built once and outside the timers. Targets on a 2-core machine (issue 5):
// every indicator ≤ 300 ms, one similar-complaint look-up ≤ 20 ms.

const benchComplaints = 100_000

var (
	benchOnce  sync.Once
	benchPlant *genPlant
	benchIndex *analytics.Index
)

func plant(b *testing.B) *genPlant {
	b.Helper()
	benchOnce.Do(func() {
		benchPlant = generatePlant(benchComplaints, 42)
		benchIndex = analytics.NewIndex(analytics.IndexOptions{})
		benchIndex.AddAll(benchPlant.in.Complaints)
		b.Logf("plant: %d complaints, %d actions, %d plans, ~%d events",
			len(benchPlant.in.Complaints), len(benchPlant.in.Actions), len(benchPlant.in.Plans), benchPlant.events)
	})
	return benchPlant
}

var yearFilter = analytics.Filter{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}

// BenchmarkIndicators times what a dashboard refresh or a report request
// costs from the folded states: indexing the dataset, every indicator of
// the year (recurrences and effectiveness included) and the scorecards.
func BenchmarkIndicators(b *testing.B) {
	p := plant(b)
	b.Run("dataset+report+scorecards", func(b *testing.B) {
		cpu := cpuTime()
		defer reportCPU(b, cpu)
		for b.Loop() {
			ds := analytics.NewDataset(p.in)
			_ = ds.Indicators(yearFilter, analytics.Settings{}, p.now)
			_ = ds.Scorecards(yearFilter, analytics.Settings{}, p.now)
		}
	})
	b.Run("report-on-built-dataset", func(b *testing.B) {
		ds := analytics.NewDataset(p.in)
		for b.Loop() {
			_ = ds.Indicators(yearFilter, analytics.Settings{}, p.now)
		}
	})
	b.Run("report-with-problems-found", func(b *testing.B) {
		// the problems are found once per dataset (issue 11): the report
		// alone, as the server serves it from its snapshot
		ds := analytics.NewDataset(p.in)
		_ = ds.Problems()
		cpu := cpuTime()
		for b.Loop() {
			_ = ds.Indicators(yearFilter, analytics.Settings{}, p.now)
		}
		reportCPU(b, cpu)
	})
	b.Run("one-station-quarter", func(b *testing.B) {
		ds := analytics.NewDataset(p.in)
		f := analytics.Filter{From: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), To: yearFilter.To, Station: "PRESSE"}
		for b.Loop() {
			_ = ds.Indicators(f, analytics.Settings{}, p.now)
		}
	})
}

// benchQueries are descriptions as an operator types them, in both
// languages, some with words the index has never seen.
var benchQueries = []string{
	"rayures profondes sur le carter",
	"rayure",
	"cote hors tolérance sur la bride, lot entier concerné",
	"missing screw on the housing",
	"huile sur les pièces au fond du bac",
	"étiquette illisible",
	"fuite au test machine M12",
	"pièce tordue chocs de manutention côté opérateur",
	"scratched surface on the bracket found at incoming inspection",
	"bavure inconnue sur le gabarit",
}

// BenchmarkSimilar times one duplicate-hint look-up against 100k complaints.
func BenchmarkSimilar(b *testing.B) {
	plant(b)
	b.Run("all-stations", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_ = benchIndex.Similar(benchQueries[i%len(benchQueries)], "", 10)
			i++
		}
	})
	b.Run("one-supplier", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_ = benchIndex.Similar(benchQueries[i%len(benchQueries)], "PRESSE", 10)
			i++
		}
	})
	b.Run("after-add", func(b *testing.B) {
		// a complaint filed elsewhere between two keystrokes: the weights
		// are refreshed before the look-up
		c := benchPlant.in.Complaints[0]
		i := 0
		for b.Loop() {
			benchIndex.Add(&c)
			_ = benchIndex.Similar(benchQueries[i%len(benchQueries)], "", 10)
			i++
		}
	})
}

// BenchmarkIndexBuild times indexing 100k complaints from nothing.
func BenchmarkIndexBuild(b *testing.B) {
	p := plant(b)
	for b.Loop() {
		ix := analytics.NewIndex(analytics.IndexOptions{})
		ix.AddAll(p.in.Complaints)
		_ = ix.Similar("rayures", "", 1) // includes the first weight refresh
	}
}

// BenchmarkClusters groups the complaints of the last quarter (~25k).
func BenchmarkClusters(b *testing.B) {
	p := plant(b)
	from := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, bc := range []struct {
		name string
		opts analytics.ClusterOptions
	}{
		{"same-supplier", analytics.ClusterOptions{From: from, SameSupplier: true}},
		{"all-suppliers", analytics.ClusterOptions{From: from}},
		{"same-supplier-12-months", analytics.ClusterOptions{From: p.now.AddDate(-1, 0, 0), To: p.now, SameSupplier: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// found afresh each time, as after a change of the index
			// (BenchmarkIndicators1M gets them from the cache)
			cpu := cpuTime()
			for b.Loop() {
				benchIndex.ForgetClusters()
				_ = benchIndex.Clusters(bc.opts)
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkThemes lists the monthly themes of the year.
func BenchmarkThemes(b *testing.B) {
	p := plant(b)
	ds := analytics.NewDataset(p.in)
	for b.Loop() {
		_ = ds.Themes(yearFilter, analytics.Settings{}, analytics.ThemeOptions{Period: analytics.Month})
	}
}

// BenchmarkProblems times finding the problem of every complaint of the
// plant (issue 11), on a dataset already indexed, and proposing the
// problem of one new complaint (goal ≤ 5 ms over 100k complaints).
func BenchmarkProblems(b *testing.B) {
	p := plant(b)
	ds := analytics.NewDataset(p.in)
	b.Run("assign-all", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			ps := ds.FindProblems()
			b.ReportMetric(float64(ps.Len()), "problems")
		}
		reportCPU(b, cpu)
	})
	b.Run("adopt-after-handling", func(b *testing.B) {
		// what the app pays for its problems after an event that only
		// handles a complaint: a new dataset adopts the last one's
		// problems (AdoptProblems) instead of finding them again
		prev := analytics.NewDataset(p.in)
		_ = prev.Problems()
		cpu := cpuTime()
		for b.Loop() {
			next := analytics.NewDataset(p.in)
			if !next.AdoptProblems(prev) {
				b.Fatal("not adopted")
			}
			_ = next.Problems()
		}
		reportCPU(b, cpu)
	})
	b.Run("propose-one", func(b *testing.B) {
		ps := ds.Problems()
		c := p.in.Complaints[len(p.in.Complaints)/2]
		i := 0
		for b.Loop() {
			c.Description = benchQueries[i%len(benchQueries)]
			_ = ps.Propose(&c, 5)
			i++
		}
	})
}

// reportCPU adds the CPU time per operation since start (all cores, GC
// included): on a machine shared with other jobs, wall time says little.
func reportCPU(b *testing.B, start time.Duration) {
	if start > 0 && b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
	}
}
