package analytics_test

import (
	"reflect"
	"slices"
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

// sameProblems compares everything the problems decide on two datasets
// of the same states.
func sameProblems(t *testing.T, got, want *analytics.Dataset, in analytics.Input, now time.Time) {
	t.Helper()
	gp, wp := got.Problems(), want.Problems()
	for _, c := range in.Complaints {
		g, gpr := gp.ProblemOf(c.ID)
		w, wpr := wp.ProblemOf(c.ID)
		if g != w || !reflect.DeepEqual(gpr, wpr) {
			t.Fatalf("at %s, complaint %s: problem %s %v, from scratch %s %v", now.Format(time.DateOnly), c.ID, g, gpr, w, wpr)
		}
	}
	s := analytics.Settings{}
	for what, pair := range map[string][2]any{
		"problems":      {gp.All(), wp.All()},
		"recurrences":   {got.Recurrences(s).All(), want.Recurrences(s).All()},
		"indicators":    {got.Indicators(analytics.Filter{}, s, now), want.Indicators(analytics.Filter{}, s, now)},
		"effectiveness": {got.Effectiveness(analytics.Filter{}, s, now), want.Effectiveness(analytics.Filter{}, s, now)},
		"themes": {got.Themes(analytics.Filter{From: now.AddDate(0, 0, -90), To: now}, s, analytics.ThemeOptions{}),
			want.Themes(analytics.Filter{From: now.AddDate(0, 0, -90), To: now}, s, analytics.ThemeOptions{})},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Fatalf("at %s: the %s differ from those found from scratch", now.Format(time.DateOnly), what)
		}
	}
}

// The labelled plant replayed in arrival order every 6 hours: each
// dataset adopts the previous one's problems when it may, and everything
// they decide is what finding them afresh gives.
func TestAdoptedProblemsAreFoundFromScratchOnTheLabelledPlant(t *testing.T) {
	p := labelled.Generate(1)
	var prev *analytics.Dataset
	adopted, steps := 0, 0
	p.Replay(6*time.Hour, func(now time.Time, states []*domain.State) []labelled.Command {
		in := analytics.FromStates(states)
		ds := analytics.NewDataset(in)
		if ds.AdoptProblems(prev) {
			adopted++
		}
		sameProblems(t, ds, analytics.NewDataset(in), in, now)
		prev, steps = ds, steps+1
		return nil
	})
	t.Logf("%d steps, problems adopted at %d", steps, adopted)
	if adopted < steps/10 {
		t.Fatalf("problems adopted at %d steps of %d", adopted, steps)
	}
}

// On the 100k plant, a dataset whose complaints were only handled
// (assigned, actions linked, rated, moved on) and whose preventive actions
// were done adopts the problems and answers as finding them afresh.
func TestAdoptedProblemsAreFoundFromScratchOnTheBenchPlant(t *testing.T) {
	p := benchFixture(t)
	prev := analytics.NewDataset(p.in)
	_ = prev.Problems()
	_ = prev.Themes(analytics.Filter{}, analytics.Settings{}, analytics.ThemeOptions{}) // its tokens are adopted too
	in := p.in
	in.Complaints = slices.Clone(p.in.Complaints)
	for i := 0; i < len(in.Complaints); i += 7 {
		c := &in.Complaints[i]
		c.Assignee, c.Rating = "eng99", 1+i%5
		c.Actions = append(slices.Clone(c.Actions), domain.ActionLink{ID: "extra", Kind: domain.ActionPreventive})
		if c.Status == domain.StatusAcknowledged {
			c.Status = domain.StatusInvestigating
		}
	}
	// preventive actions done, recorded late: prevention came earlier to
	// their problems
	in.Actions = slices.Clone(p.in.Actions)
	late := 0
	for i := range in.Actions {
		if a := &in.Actions[i]; a.Kind == domain.ActionPreventive && a.Status == domain.ActionStatusOpen {
			a.Status, a.DoneAt = domain.ActionStatusDone, a.AssignedAt.Add(time.Hour)
			late++
		}
	}
	if late == 0 {
		t.Fatal("no preventive action to record late")
	}
	ds := analytics.NewDataset(in)
	if !ds.AdoptProblems(prev) {
		t.Fatal("handling only: the problems were not adopted")
	}
	sameProblems(t, ds, analytics.NewDataset(in), in, p.now)
	in.Complaints[100].Description += " fissure"
	if analytics.NewDataset(in).AdoptProblems(prev) {
		t.Fatal("a description changed: the problems were adopted")
	}
}
