package viewmodel_test

import (
	"slices"
	"testing"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// burrs files two complaints of one problem (burrs on BR-2040 from CUT1)
// and one of another (a wrong drilling on BR-3000).
func burrs(t *testing.T, s *boltstore.Store) (first, second, other string) {
	t.Helper()
	first = fixture.File(t, s, fixture.Filing("Burrs on the edge of the bracket, sharp to the touch"))
	second = fixture.File(t, s, fixture.Filing("Sharp burrs on the bracket edge again"))
	p := fixture.Filing("Hole drilled off position, the screw does not go in")
	p.PartRef = "BR-3000"
	other = fixture.File(t, s, p)
	return first, second, other
}

func TestProblemPanelShowsTheProposalThenTheDecision(t *testing.T) {
	// Given two complaints about burrs on one bracket
	m, s := newModel(t, fixture.Engineer)
	first, second, _ := burrs(t, s)
	// When the engineer opens the second
	cp, err := m.ComplaintProblem(second)
	must(t, err)
	// Then it looks like the first's problem, named after it, with a score
	// and its reasons (the same part among them)
	if cp.Problem.ID != analytics.ProblemID(first) || cp.Problem.Number == "" || cp.Problem.Complaints != 2 || cp.Decided != nil {
		t.Fatalf("panel = %+v", cp)
	}
	if cp.Proposal.Score < analytics.ProposalThreshold || !slices.ContainsFunc(cp.Proposal.Reasons, func(r analytics.Reason) bool { return r.Code == analytics.ReasonSamePart }) {
		t.Fatalf("proposal = %+v", cp.Proposal)
	}
	// When they confirm it
	must(t, m.ConfirmProblem(second, cp.Problem.ID))
	// Then the panel says who decided
	cp, err = m.ComplaintProblem(second)
	must(t, err)
	if cp.Decided == nil || cp.Decided.By != "Paul Martin" || cp.Decided.Type != domain.ComplaintProblemConfirmed || !cp.Proposal.Decided {
		t.Fatalf("after confirming: %+v", cp)
	}
	// When they say it is not the same problem after all
	must(t, m.DenyProblem(second, cp.Problem.ID))
	cp, err = m.ComplaintProblem(second)
	must(t, err)
	// Then it starts a problem of its own, and the panel lists who denied which
	if cp.Problem.ID != analytics.ProblemID(second) || len(cp.Denied) != 1 || cp.Denied[0].Problem.ID != analytics.ProblemID(first) || cp.Decided != nil {
		t.Fatalf("after denying: %+v", cp)
	}
}

func TestMovingToAProblemOfAnotherSupplierAsksFirst(t *testing.T) {
	// Given a CUT1 problem and a complaint against PAINT
	m, s := newModel(t, fixture.Engineer)
	first, _, _ := burrs(t, s)
	p := fixture.Filing("Paint runs on the bracket")
	p.SupplierStation = "PAINT"
	paint := fixture.File(t, s, p)
	// When it is moved to the CUT1 problem without confirming
	err := m.MoveToProblem(paint, analytics.ProblemID(first), false)
	// Then the move is refused by its rule, and nothing changed
	if ruleOf(err) != "problem.other_supplier" {
		t.Fatalf("move across stations: %v", err)
	}
	if cp, _ := m.ComplaintProblem(paint); cp.Problem.ID != analytics.ProblemID(paint) {
		t.Fatalf("moved anyway: %+v", cp.Problem)
	}
	// When the engineer confirms
	must(t, m.MoveToProblem(paint, analytics.ProblemID(first), true))
	cp, err := m.ComplaintProblem(paint)
	must(t, err)
	if cp.Problem.ID != analytics.ProblemID(first) || cp.Decided == nil || cp.Decided.Type != domain.ComplaintProblemMoved {
		t.Fatalf("after the confirmed move: %+v", cp)
	}
	// And a new problem is a problem of its own
	id, err := m.StartNewProblem(paint)
	must(t, err)
	if cp, _ := m.ComplaintProblem(paint); cp.Problem.ID != id || cp.Problem.Complaints != 1 {
		t.Fatalf("new problem: %+v", cp.Problem)
	}
}

func TestMergeRefusalsAndPlansKept(t *testing.T) {
	// Given two problems of CUT1, each named by a plan
	m, s := newModel(t, fixture.Engineer)
	first, _, other := burrs(t, s)
	planA := fixture.Submitted(t, s, first)
	planB := fixture.Submitted(t, s, other)
	a, b := analytics.ProblemID(first), analytics.ProblemID(other)
	// Then a problem cannot be merged into itself
	if err := m.MergeProblem(a, a, false); ruleOf(err) != "problem.merge_self" {
		t.Fatalf("merge into itself: %v", err)
	}
	// When b is merged into a
	must(t, m.MergeProblem(b, a, false))
	d, err := m.Problem(a)
	must(t, err)
	// Then a holds the three complaints and both plans stay linked
	if len(d.Complaints) != 3 || len(d.Plans) != 2 || !slices.ContainsFunc(d.Plans, func(p model.ProblemPlan) bool { return p.ID == planA }) ||
		!slices.ContainsFunc(d.Plans, func(p model.ProblemPlan) bool { return p.ID == planB }) {
		t.Fatalf("merged page: %d complaints, plans %+v", len(d.Complaints), d.Plans)
	}
	if len(d.MergedFrom) != 1 || d.MergedFrom[0].ID != b {
		t.Fatalf("merged from %+v", d.MergedFrom)
	}
	// And merging a into b, merged into it, is refused by its rule
	if err := m.MergeProblem(a, b, false); ruleOf(err) != "problem.merge_cycle" {
		t.Fatalf("merge into a descendant: %v", err)
	}
}

func TestSplitTakesComplaintsIntoANewProblem(t *testing.T) {
	// Given a problem of two complaints
	m, s := newModel(t, fixture.Engineer)
	first, second, _ := burrs(t, s)
	a := analytics.ProblemID(first)
	// Then taking every complaint out, or none, is refused
	if _, err := m.SplitProblem(a, []string{first, second}); ruleOf(err) != "problem.split_all" {
		t.Fatalf("split all: %v", err)
	}
	if _, err := m.SplitProblem(a, nil); fieldOf(err) != "complaints" {
		t.Fatalf("split none: %v", err)
	}
	// When the second is split off
	id, err := m.SplitProblem(a, []string{second})
	must(t, err)
	// Then each problem holds one complaint
	d, err := m.Problem(a)
	must(t, err)
	n, err := m.Problem(id)
	must(t, err)
	if len(d.Complaints) != 1 || len(n.Complaints) != 1 || n.Complaints[0].ID != second || !n.Complaints[0].Decided {
		t.Fatalf("after the split: %+v / %+v", d.Complaints, n.Complaints)
	}
}

func TestRecurrencesListNamesTheProblemAndThePrevious(t *testing.T) {
	// Given two complaints of one problem filed today
	m, s := newModel(t, fixture.Engineer)
	first, second, _ := burrs(t, s)
	// When the dashboard asks for the recurrences of the last 30 days
	rows, err := m.Recurrences(model.DashboardQuery{Period: model.Last30Days})
	must(t, err)
	// Then the second is one, of the first, in the first's problem
	if len(rows) != 1 || rows[0].ComplaintID != second || rows[0].PreviousID != first || rows[0].Problem.ID != analytics.ProblemID(first) || rows[0].AfterPrevention {
		t.Fatalf("recurrences = %+v", rows)
	}
}
