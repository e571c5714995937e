package analytics_test

import (
	"testing"
	"time"

	"boucle/shared/analytics"
)

// BenchmarkIndicators1M states issue 11's goal for the figures: every
// indicator and figure of the dashboard over the plant of 100k complaints
// (about 1M events) in at most 300 ms, read from the state the app holds
// up to date (the dataset with its problems found and what it caches for
// the figures, the similarity index built: one refresh before the timer).
// One operation is one refresh of the dashboard for a period:
// the indicators, the station scorecards, the recurring problems (every
// recurrence of the period with its problem), the prevention verdicts,
// the themes with their problems and the clusters of similar complaints.
// Each figure's share of the process's CPU time is reported beside the
// total (ms per refresh): on a loaded machine the wall time says little.
func BenchmarkIndicators1M(b *testing.B) {
	p := plant(b)
	ds := analytics.NewDataset(p.in)
	_ = ds.Problems()
	_ = ds.Recurrences(analytics.Settings{})
	for _, period := range []struct {
		name string
		days int
	}{{"90-days", 90}, {"12-months", 365}} {
		f := analytics.Filter{From: p.now.AddDate(0, 0, -period.days), To: p.now}
		b.Run(period.name, func(b *testing.B) {
			var fig dashboardFigures
			fig.refresh(ds, benchIndex, f, p.now)
			fig = dashboardFigures{}
			cpu := cpuTime()
			for b.Loop() {
				fig.refresh(ds, benchIndex, f, p.now)
			}
			reportCPU(b, cpu)
			fig.report(b)
		})
	}
}

// dashboardFigures adds up the CPU time of each figure of a dashboard
// refresh.
type dashboardFigures struct {
	indicators, scorecards, recurring, prevention, themes, clusters time.Duration
}

func (d *dashboardFigures) refresh(ds *analytics.Dataset, ix *analytics.Index, f analytics.Filter, now time.Time) {
	s := analytics.Settings{}
	lap := cpuTime()
	next := func(into *time.Duration) {
		t := cpuTime()
		*into += t - lap
		lap = t
	}
	_ = ds.Indicators(f, s, now)
	next(&d.indicators)
	_ = ds.Scorecards(f, s, now)
	next(&d.scorecards)
	ps, rec := ds.Problems(), ds.Recurrences(s)
	byProblem := map[analytics.ProblemID]int{}
	for _, c := range ds.Complaints(f) {
		r, ok := rec.LinkOf(c.ID)
		if !ok {
			continue
		}
		if byProblem[r.Problem]++; byProblem[r.Problem] == 1 {
			if _, ok := ps.Problem(r.Problem); !ok { // its row names it
				panic("a recurrence of no problem")
			}
		}
	}
	next(&d.recurring)
	_ = ds.Effectiveness(f, s, now)
	next(&d.prevention)
	_ = ds.Themes(f, s, analytics.ThemeOptions{Period: analytics.Month, Top: 16})
	next(&d.themes)
	_ = ix.Clusters(analytics.ClusterOptions{From: f.From, To: f.To, SameSupplier: true})
	next(&d.clusters)
}

func (d *dashboardFigures) report(b *testing.B) {
	n := float64(b.N)
	for name, v := range map[string]time.Duration{"indicators-cpu-ms": d.indicators, "scorecards-cpu-ms": d.scorecards,
		"recurring-cpu-ms": d.recurring, "prevention-cpu-ms": d.prevention, "themes-cpu-ms": d.themes, "clusters-cpu-ms": d.clusters} {
		b.ReportMetric(float64(v.Microseconds())/1000/n, name)
	}
}
