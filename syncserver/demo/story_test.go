package demo_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/demo"
)

// demoPlant is a seeded demo plant as the test reads it.
type demoPlant struct {
	in       analytics.Input
	end      time.Time
	problems map[string]string // complaint id: its true problem
	// moves gives, for each complaint an engineer moved, what the
	// software saw just before the move.
	moves map[string]move
}

// move is an engineer's move of a complaint as the software saw it just
// before: the problem it proposed for the complaint, and the problem the
// engineer chose, from the log up to the move, folded.
type move struct {
	proposed, chosen analytics.ProblemID
	note             string
}

// seedDemo seeds the demo plant of a seed into a fresh store and reads it.
func seedDemo(t *testing.T, seed uint64) demoPlant {
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
	var log []domain.Event
	err = store.View(func(tx *boltstore.Tx) error {
		for _, typ := range []domain.EntityType{domain.EntityComplaint, domain.EntityAction, domain.EntityPlan} {
			if err := tx.ForEachState(typ, func(s *domain.State) { states = append(states, s) }); err != nil {
				return err
			}
		}
		for pos := uint64(1); pos <= tx.LogLen(); pos++ {
			e, err := tx.EventAt(pos)
			if err != nil {
				return err
			}
			log = append(log, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return demoPlant{in: analytics.FromStates(states), end: end, problems: res.Problems, moves: movesIn(t, log)}
}

// movesIn finds the engineers' moves in the log and what the software
// saw just before each, from the events recorded before it (the demo
// records in time order).
func movesIn(t *testing.T, log []domain.Event) map[string]move {
	t.Helper()
	out := map[string]move{}
	for i, e := range log {
		if e.Type != domain.ComplaintProblemMoved {
			continue
		}
		var p domain.ProblemDecisionPayload
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Fatal(err)
		}
		folded, _ := domain.Fold(log[:i])
		var states []*domain.State
		for _, s := range folded {
			states = append(states, s)
		}
		ps := analytics.NewDataset(analytics.FromStates(states)).Problems()
		m := move{chosen: analytics.ProblemID(p.Problem), note: p.Note}
		m.proposed, _ = ps.ProblemOf(e.EntityID)
		if named, _ := ps.ProblemOf(p.Problem); named != "" { // a problem named after its first complaint
			m.chosen = named
		}
		out[e.EntityID] = m
	}
	return out
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
		plant := seedDemo(t, seed)
		in, end, problems := plant.in, plant.end, plant.problems
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
		story(t, seed, ds, plant)
	}
}

// story checks the demo's story on its dataset.
func story(t *testing.T, seed uint64, ds *analytics.Dataset, plant demoPlant) {
	t.Helper()
	in, end := plant.in, plant.end
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
	// One problem back after prevention: the spatter's, whose action is
	// the one the recurrences name (the burrs plan stopped the burrs).
	backAfterPrevention := map[analytics.ProblemID]bool{}
	for _, rec := range ds.Recurrences(set).All() {
		if !rec.AfterPrevention {
			continue
		}
		backAfterPrevention[rec.Problem] = true
		if !slices.Contains(rec.PreventiveActions, spatterAction) || len(rec.Plans) > 0 || plant.problems[rec.ComplaintID] != plant.problems[rec.Of] {
			t.Errorf("seed %d: %+v back after prevention, want the spatter back after its action", seed, rec)
		}
	}
	if len(backAfterPrevention) != 1 {
		t.Errorf("seed %d: %d problems back after prevention, want 1 (the spatter)", seed, len(backAfterPrevention))
	}
	correctedLink(t, seed, ds, plant)
	// The burrs plan: started, no burrs since, its window over: effective.
	plans := 0
	for _, p := range in.Plans {
		if p.SupplierStation != "CUT1" {
			continue
		}
		plans++
		e, ok := ds.EffectivenessOf(analytics.SubjectPlan, p.ID, set, end)
		if !ok || e.Verdict != analytics.Effective {
			t.Errorf("seed %d: the burrs plan measured %+v, want effective", seed, e)
		}
	}
	if plans != 1 {
		t.Errorf("seed %d: %d burrs plans, want 1", seed, plans)
	}
}

// correctedLink checks the link an engineer corrected: spatter written
// otherwise, in English, the part unknown, which the software put in
// another problem when it was filed (a new one of its own, named after
// it, or another complaint's); the engineer moved it to the
// spatter's problem before its analysis, and the move is a correction —
// the software's proposal then was not the problem chosen, the problem
// chosen is its true problem, and the complaint is in it now.
func correctedLink(t *testing.T, seed uint64, ds *analytics.Dataset, plant demoPlant) {
	t.Helper()
	ps := ds.Problems()
	corrected := 0
	for _, c := range plant.in.Complaints {
		if c.Problem == "" {
			continue
		}
		corrected++
		m, ok := plant.moves[c.ID]
		got, why := ps.ProblemOf(c.ID)
		t.Logf("seed %d: %s (part %q) proposed in %s when filed, moved by an engineer to %s (%q); now in %s (%+v)",
			seed, c.Number, c.PartRef, m.proposed, m.chosen, m.note, got, why)
		switch {
		case !ok:
			t.Errorf("seed %d: %s is in problem %s but no move of it is in the log", seed, c.Number, c.Problem)
		case m.proposed == m.chosen:
			t.Errorf("seed %d: %s: the engineer moved it to %s, where the software already had it: a confirmation, not a correction", seed, c.Number, m.chosen)
		case plant.problems[c.Problem] != plant.problems[c.ID]:
			t.Errorf("seed %d: %s (truly %s) moved to the problem of %s (truly %s): a wrong correction", seed, c.Number, plant.problems[c.ID], c.Problem, plant.problems[c.Problem])
		case !why.Decided || c.PartRef != "?":
			t.Errorf("seed %d: %s (part %q) now in %s (%+v), want decided by the engineer, part unknown", seed, c.Number, c.PartRef, got, why)
		}
		if spatter, _ := ps.ProblemOf(c.Problem); got != spatter {
			t.Errorf("seed %d: %s is in %s, the problem it was moved to is %s", seed, c.Number, got, spatter)
		}
		if m.proposed != analytics.ProblemID(c.ID) && plant.problems[string(m.proposed)] == plant.problems[c.ID] {
			t.Errorf("seed %d: %s was proposed in the problem of %s, already its true problem", seed, c.Number, m.proposed)
		}
	}
	if corrected != 1 || len(plant.moves) != 1 {
		t.Errorf("seed %d: %d complaints moved by an engineer (%d moves in the log), want 1", seed, corrected, len(plant.moves))
	}
}
