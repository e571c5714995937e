package demo_test

import (
	"slices"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/demo"
)

// seedDemo seeds the demo plant of a seed into a fresh store and returns
// its states as the analytics read them, and the end of its history.
func seedDemo(t *testing.T, seed uint64) (analytics.Input, time.Time, map[string]string) {
	t.Helper()
	end := time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)
	clock := demo.NewClock(end)
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{Now: clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	res, err := demo.Seed(store, clock, demo.Options{End: end, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	var states []*domain.State
	err = store.View(func(tx *boltstore.Tx) error {
		for _, typ := range []domain.EntityType{domain.EntityComplaint, domain.EntityAction, domain.EntityPlan} {
			if err := tx.ForEachState(typ, func(s *domain.State) { states = append(states, s) }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return analytics.FromStates(states), end, res.Problems
}

// trueRecurrence counts the countable complaints whose problem (the
// defect they were seeded from) had another countable complaint at most
// 90 days before.
func trueRecurrence(in analytics.Input, problems map[string]string) (recurrences, countable int) {
	last := map[string]time.Time{}
	cs := slices.Clone(in.Complaints)
	slices.SortFunc(cs, func(a, b domain.Complaint) int { return a.FiledAt.Compare(b.FiledAt) })
	for _, c := range cs {
		switch c.Status {
		case domain.StatusRejected, domain.StatusDuplicate, domain.StatusWithdrawn:
			continue
		}
		countable++
		p := problems[c.ID]
		if at, ok := last[p]; ok && c.FiledAt.Sub(at) <= 90*24*time.Hour {
			recurrences++
		}
		last[p] = c.FiledAt
	}
	return recurrences, countable
}

// TestDemoPlantIsBelievable: the demo's dashboard shows a plant people
// recognise — between 15 and 35 % of complaints recurrences, as the
// dashboard counts them and of their true problem, 60 to 85 % resolved by
// their deadline (issue #11 found 90 % and 9 %) — and tells its story: a
// problem back after an ineffective preventive action, and an effective
// plan.
func TestDemoPlantIsBelievable(t *testing.T) {
	for _, seed := range []uint64{0, 7} { // 0: the plant `make run` seeds
		in, end, problems := seedDemo(t, seed)
		ds := analytics.NewDataset(in)
		set := analytics.Settings{}
		r := ds.Indicators(analytics.Filter{}, set, end)
		rec, countable := trueRecurrence(in, problems)
		t.Logf("seed %d: recurrence shown %d/%d = %.0f %%, true %d/%d; resolved by the deadline %d/%d = %.0f %%; after prevention %d", seed,
			r.Recurrence.Num, r.Recurrence.Den, r.Recurrence.Pct(), rec, countable, r.ResolvedByDeadline.Num, r.ResolvedByDeadline.Den, r.ResolvedByDeadline.Pct(),
			r.RecurrenceAfterPrevention.Num)
		if p := 100 * float64(rec) / float64(countable); p < 15 || p > 35 {
			t.Errorf("seed %d: true recurrence %.0f %%, want 15 to 35 %%", seed, p)
		}
		if p := r.Recurrence.Pct(); p < 15 || p > 35 {
			t.Errorf("seed %d: recurrence shown %.0f %%, want 15 to 35 %%", seed, p)
		}
		if p := r.ResolvedByDeadline.Pct(); p < 60 || p > 85 {
			t.Errorf("seed %d: resolved by the deadline %.0f %%, want 60 to 85 %%", seed, p)
		}
		story(t, seed, ds, in, end)
	}
}

// story checks the demo's story on its dataset.
func story(t *testing.T, seed uint64, ds *analytics.Dataset, in analytics.Input, end time.Time) {
	t.Helper()
	set := analytics.Settings{}
	// The spatter's preventive action: done, then the spatter came back
	// within the window — measured ineffective, and a recurrence after
	// prevention.
	var spatterAction string
	for _, a := range in.Actions {
		if a.Kind == domain.ActionPreventive && a.ComplaintID != "" {
			spatterAction = a.ID
		}
	}
	e, ok := ds.EffectivenessOf(analytics.SubjectAction, spatterAction, set, end)
	if !ok || e.Verdict != analytics.Ineffective || e.EvidenceCount == 0 {
		t.Errorf("seed %d: the spatter's preventive action measured %+v, want ineffective", seed, e)
	}
	back, corrected := false, 0
	for _, rec := range ds.Recurrences(set).All() {
		if c, _ := ds.Complaint(rec.ComplaintID); rec.AfterPrevention && c.PartRef == "CHS-5010 Châssis" && slices.Contains(rec.PreventiveActions, spatterAction) {
			back = true
		}
	}
	if !back {
		t.Errorf("seed %d: the spatter is not back after its preventive action", seed)
	}
	// The link an engineer corrected: spatter written otherwise, in
	// English, the part unknown, moved to the spatter's problem (without
	// the decision, the software's proposal is logged).
	ps := ds.Problems()
	for _, c := range in.Complaints {
		if c.Problem == "" {
			continue
		}
		corrected++
		got, why := ps.ProblemOf(c.ID)
		spatter, _ := ps.ProblemOf(c.Problem) // the problem is named after the spatter's first complaint
		if !why.Decided || got != spatter || c.PartRef != "?" {
			t.Errorf("seed %d: %s moved to %s by an engineer is in %s (%v), the spatter's problem is %s", seed, c.Number, c.Problem, got, why, spatter)
		}
		undecided := slices.Clone(in.Complaints)
		for i := range undecided {
			undecided[i].Problem = ""
		}
		was, _ := analytics.NewDataset(analytics.Input{Complaints: undecided, Actions: in.Actions, Plans: in.Plans}).Problems().ProblemOf(c.ID)
		t.Logf("seed %d: %s, moved by an engineer to the spatter's problem %s; the software had it in %s", seed, c.Number, got, was)
	}
	if corrected != 1 {
		t.Errorf("seed %d: %d links corrected by an engineer, want 1", seed, corrected)
	}
	// The burrs plan: started, no burrs since, its window over: effective.
	for _, p := range in.Plans {
		if p.SupplierStation != "CUT1" {
			continue
		}
		e, ok := ds.EffectivenessOf(analytics.SubjectPlan, p.ID, set, end)
		if !ok || e.Verdict != analytics.Effective {
			t.Errorf("seed %d: the burrs plan measured %+v, want effective", seed, e)
		}
	}
}
