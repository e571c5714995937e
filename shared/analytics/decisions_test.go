package analytics_test

import (
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

func wantRule(t *testing.T, err error, rule string) {
	t.Helper()
	if e := domain.AsError(err); err == nil || e.Rule != rule {
		t.Fatalf("got %v, want a refusal by %s", err, rule)
	}
}

// What an engineer decided wins over the proposal: a confirmation keeps
// the complaint where it was proposed, a move puts it elsewhere (a new
// problem included), "not the same" keeps it out of a problem.
func TestDecisionsWin(t *testing.T) {
	const burrs = "bavures sur le support"
	a, b, c := pc("A", 0, "BRK2041", "surface", burrs), pc("B", 5, "BRK2041", "surface", burrs), pc("C", 9, "BRK2041", "surface", burrs)
	auto := problemsOf(a, b, c)
	sameProblem(t, auto, "A", "C", true)

	t.Run("Moved", func(t *testing.T) {
		b, c := b, c
		b.Problem, c.Problem = "p-new", "p-new"
		ps := problemsOf(a, b, c)
		sameProblem(t, ps, "A", "B", false)
		sameProblem(t, ps, "B", "C", true)
		got, prop := ps.ProblemOf("B")
		eq(t, "problem", got, analytics.ProblemID("p-new"))
		eq(t, "decided", prop.Decided, true)
		r, ok := analytics.NewDataset(analytics.Input{Complaints: []domain.Complaint{a, b, c}}).Recurrences(analytics.Settings{}).Lookup("C")
		eq(t, "C recurs B, the previous of its decided problem", ok && r.Of == "B", true)
	})
	t.Run("NotTheSame", func(t *testing.T) {
		c := c
		c.NotProblems = []string{"A"}
		ps := problemsOf(a, b, c)
		sameProblem(t, ps, "A", "C", false)
		got, prop := ps.ProblemOf("C")
		eq(t, "a problem of its own", got, analytics.ProblemID("C"))
		eq(t, "new", prop.New, true)
	})
	t.Run("ConfirmedAgainstTheProposal", func(t *testing.T) {
		d := pc("D", 12, "P-9", "labelling", "étiquette illisible")
		d.Problem = "A"
		ps := problemsOf(a, b, c, d)
		sameProblem(t, ps, "A", "D", true)
	})
}

// Moving a complaint to a problem of another supplier station asks for a
// confirmation and says why; merging follows the same rule, refuses a
// problem merged into itself or into a problem merged into it, and keeps
// the plans of both problems.
func TestDecisionRules(t *testing.T) {
	const burrs, paint = "bavures sur le support", "coulures de peinture"
	a, b := pc("A", 0, "BRK2041", "surface", burrs), pc("B", 5, "P-7", "surface", paint)
	other := pc("X", 7, "BRK2041", "surface", burrs)
	other.SupplierStation = "T"
	in := analytics.Input{Complaints: []domain.Complaint{a, b, other},
		Plans: []domain.Plan{
			{ID: "PL1", SupplierStation: "S", Categories: []string{"surface"}, Complaints: []string{"A"}, Status: domain.PlanStatusInProgress, StartedAt: t0},
			{ID: "PL2", SupplierStation: "S", Categories: []string{"surface"}, Complaints: []string{"B"}, Status: domain.PlanStatusInProgress, StartedAt: t0},
		}}
	ps := analytics.NewDataset(in).Problems()
	wantRule(t, ps.CheckMove("X", "A", false), "problem.other_supplier")
	if err := ps.CheckMove("X", "A", true); err != nil {
		t.Fatalf("confirmed move: %v", err)
	}
	if err := ps.CheckMove("B", "A", false); err != nil {
		t.Fatalf("same station: %v", err)
	}
	if err := ps.CheckMove("B", "p-new", false); err != nil {
		t.Fatalf("to a new problem: %v", err)
	}
	wantRule(t, ps.CheckMove("nope", "A", false), "problem.complaint")
	wantRule(t, ps.CheckMerge("A", "A", false), "problem.merge_self")
	wantRule(t, ps.CheckMerge("X", "A", false), "problem.other_supplier")
	if err := ps.CheckMerge("B", "A", false); err != nil {
		t.Fatalf("merge B into A: %v", err)
	}

	// B merged into A: one problem, both plans.
	in.Problems = []domain.Problem{{ID: "B", MergedInto: "A", MergedOrder: domain.OrderKey{HLC: 1}}}
	ps = analytics.NewDataset(in).Problems()
	sameProblem(t, ps, "A", "B", true)
	eq(t, "plans of A", ps.Plans("A"), []string{"PL1", "PL2"})
	eq(t, "plans of B, merged", ps.Plans("B"), []string{"PL1", "PL2"})
	eq(t, "complaints of B", ps.Complaints("B"), []string{"A", "B"})
	pr, _ := ps.Problem("A")
	eq(t, "merged from", pr.MergedFrom, []analytics.ProblemID{"B"})
	// A into B now would close a loop: refused, and ignored if recorded
	// anyway (concurrently, on another workstation)
	wantRule(t, ps.CheckMerge("A", "B", false), "problem.merge_cycle")
	in.Problems = append(in.Problems, domain.Problem{ID: "A", MergedInto: "B", MergedOrder: domain.OrderKey{HLC: 2}})
	ps = analytics.NewDataset(in).Problems()
	got, _ := ps.ProblemOf("B")
	eq(t, "the earlier merge wins", got, analytics.ProblemID("A"))
	// each plan's evidence is the merged problem's complaints
	e, _ := analytics.NewDataset(in).EffectivenessOf(analytics.SubjectPlan, "PL1", analytics.Settings{}, t0.Add(100*analytics.Day))
	eq(t, "PL1 evidence", e.Evidence, []string{"B"})
}
