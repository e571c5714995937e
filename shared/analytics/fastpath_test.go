package analytics_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/analytics/labelled"
	"boucle/shared/domain"
)

// The figures computed by a faster method must be exactly those of the
// straightforward one (kept in the package's tests as Reference…): on the
// 100k-complaint bench plant, and on the labelled plant replayed in the
// order the server received its events (the late workstation included),
// at every step.

var (
	bigPlantOnce sync.Once
	bigPlant     *genPlant
)

// benchFixture is the benchmarks' plant of 100k complaints.
func benchFixture(t *testing.T) *genPlant {
	t.Helper()
	if testing.Short() {
		t.Skip("the 100k-complaint plant takes seconds")
	}
	bigPlantOnce.Do(func() { bigPlant = generatePlant(benchComplaints, 42) })
	return bigPlant
}

// labelledSteps replays the labelled plant of seed 1 in arrival order and
// calls check with the dataset the server held every 10 days.
func labelledSteps(t *testing.T, check func(now time.Time, in analytics.Input)) {
	t.Helper()
	p := labelled.Generate(1)
	p.Replay(10*analytics.Day, func(now time.Time, states []*domain.State) []labelled.Command {
		check(now, analytics.FromStates(states))
		return nil
	})
}

// themeFilters are the dashboard's periods and a few report filters.
func themeFilters(now time.Time) []analytics.Filter {
	return []analytics.Filter{
		{From: now.AddDate(0, 0, -30), To: now},
		{From: now.AddDate(0, 0, -90), To: now},
		{From: now.AddDate(-1, 0, 0), To: now},
		{},
		{From: now.AddDate(0, 0, -90), To: now, Category: "surface"},
	}
}

func sameThemes(t *testing.T, ds *analytics.Dataset, now time.Time) {
	t.Helper()
	for _, f := range themeFilters(now) {
		for _, opts := range []analytics.ThemeOptions{{Period: analytics.Month}, {Period: analytics.Week, Top: 3, MinCount: 3}, {Period: analytics.Month, Top: 16}} {
			got, want := ds.Themes(f, analytics.Settings{}, opts), ds.ReferenceThemes(f, analytics.Settings{}, opts)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("themes at %s, filter %+v, %+v: differ from the reference\n got %.600v\nwant %.600v", now.Format(time.DateOnly), f, opts, got, want)
			}
		}
	}
}

func TestThemesAreTheReferenceOnTheBenchPlant(t *testing.T) {
	p := benchFixture(t)
	sameThemes(t, analytics.NewDataset(p.in), p.now)
}

func TestThemesAreTheReferenceOnTheLabelledPlant(t *testing.T) {
	steps := 0
	labelledSteps(t, func(now time.Time, in analytics.Input) {
		sameThemes(t, analytics.NewDataset(in), now)
		steps++
	})
	if steps < 20 {
		t.Fatalf("%d steps", steps)
	}
}

func sameClusters(t *testing.T, ix *analytics.Index, now time.Time) {
	t.Helper()
	for _, f := range themeFilters(now) {
		for _, opts := range []analytics.ClusterOptions{{SameSupplier: true}, {}, {SameSupplier: true, Threshold: 0.3}, {Threshold: 0.8, MinSize: 3}} {
			opts.From, opts.To = f.From, f.To
			got, want := ix.Clusters(opts), ix.ReferenceClusters(opts)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("clusters at %s, %+v: differ from the reference\n got %.600v\nwant %.600v", now.Format(time.DateOnly), opts, got, want)
			}
		}
	}
}

func TestClustersAreTheReferenceOnTheBenchPlant(t *testing.T) {
	p := benchFixture(t)
	ix := analytics.NewIndex(analytics.IndexOptions{})
	ix.AddAll(p.in.Complaints)
	from := p.now.AddDate(0, 0, -90)
	for _, opts := range []analytics.ClusterOptions{{From: from, SameSupplier: true}, {From: from}, {From: from, SameSupplier: true, Threshold: 0.3}} {
		got, want := ix.Clusters(opts), ix.ReferenceClusters(opts)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v: %d clusters, the reference %d", opts, len(got), len(want))
		}
	}
}

func TestClustersAreTheReferenceOnTheLabelledPlant(t *testing.T) {
	labelledSteps(t, func(now time.Time, in analytics.Input) {
		ix := analytics.NewIndex(analytics.IndexOptions{})
		ix.AddAll(in.Complaints)
		sameClusters(t, ix, now)
	})
}
