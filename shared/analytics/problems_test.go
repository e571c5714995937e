package analytics_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// pc builds a countable complaint against S with a part, a category and
// a description.
func pc(id string, day int, part, cat, desc string) domain.Complaint {
	c := rc(id, t0.Add(time.Duration(day)*analytics.Day), part)
	c.Category, c.Description = cat, desc
	return c
}

func problemsOf(cs ...domain.Complaint) *analytics.Problems {
	return analytics.NewDataset(analytics.Input{Complaints: cs}).Problems()
}

func sameProblem(t *testing.T, ps *analytics.Problems, a, b string, want bool) {
	t.Helper()
	pa, _ := ps.ProblemOf(a)
	pb, prop := ps.ProblemOf(b)
	if got := pa != "" && pa == pb; got != want {
		t.Errorf("%s and %s in one problem: got %v (%s, %s; %s's proposal %v), want %v", a, b, got, pa, pb, b, prop, want)
	}
}

func TestPartKey(t *testing.T) {
	for ref, want := range map[string]string{
		"BRK2041": "BRK2041", "brk-2041 ": "BRK2041", "BRK-2041": "BRK2041", " brk 2041": "BRK2041", "Brk.2041/": "BRK2041",
		"?": "", "N/A": "", "n/a": "", "voir photo": "", "Voir photo !": "", "-": "", "": "", " ": "", "???": "", "inconnu": "",
		"see photo": "", "XXX": "", "P-100": "P100", "pièce": "PIECE",
	} {
		if got := analytics.PartKey(ref); got != want {
			t.Errorf("PartKey(%q) = %q, want %q", ref, got, want)
		}
	}
}

// TestProblemsPartWrittenSeveralWays: issue 11, point 3. Before, part
// references were compared trimmed and upper-cased only: "BRK2041" and
// "BRK-2041" were two parts, and "?" or "N/A" a part of its own.
func TestProblemsPartWrittenSeveralWays(t *testing.T) {
	const burrs = "bavures sur le perçage du support"
	ps := problemsOf(
		pc("A", 0, "BRK2041", "surface", burrs),
		pc("B", 5, "brk-2041 ", "surface", "bavures sur le support, perçage"),
		pc("C", 9, "BRK-2O41", "surface", "burrs on the bracket drilling"), // O for 0: one typo
		pc("D", 12, "?", "surface", "rayures sur le capot"),
		pc("E", 14, "N/A", "surface", "étiquette illisible"),
		pc("F", 15, "voir photo", "surface", "fuite au test d'étanchéité"),
	)
	sameProblem(t, ps, "A", "B", true)
	sameProblem(t, ps, "A", "C", true)
	sameProblem(t, ps, "D", "E", false) // two unknown parts are no evidence
	sameProblem(t, ps, "E", "F", false)
	_, prop := ps.ProblemOf("C")
	if !slices.ContainsFunc(prop.Reasons, func(r analytics.Reason) bool { return r.Code == analytics.ReasonPartTypo }) {
		t.Errorf("C's reasons lack part_typo: %v", prop)
	}
}

// TestProblemsSamePartOtherCause: issue 11, point 1. Before, the same
// supplier, category and part made a recurrence whatever the failure:
// burrs and a wrong drilling on one bracket were linked.
func TestProblemsSamePartOtherCause(t *testing.T) {
	ps := problemsOf(
		pc("A", 0, "BRK2041", "dimensional", "bavures importantes sur le support, arêtes coupantes"),
		pc("B", 10, "BRK2041", "dimensional", "perçage décalé de 2 mm, trou mal positionné"),
		pc("C", 20, "BRK-2041", "dimensional", "burrs on the bracket, sharp edges"),
		pc("D", 30, "BRK2041", "dimensional", "trou décalé, perçage hors position"),
	)
	sameProblem(t, ps, "A", "B", false)
	sameProblem(t, ps, "A", "C", true) // the same burrs, in English
	sameProblem(t, ps, "B", "D", true)
	recs := analytics.NewDataset(analytics.Input{Complaints: []domain.Complaint{
		pc("A", 0, "BRK2041", "dimensional", "bavures importantes sur le support, arêtes coupantes"),
		pc("B", 10, "BRK2041", "dimensional", "perçage décalé de 2 mm, trou mal positionné"),
		pc("C", 20, "BRK-2041", "dimensional", "burrs on the bracket, sharp edges"),
	}}).Recurrences(analytics.Settings{})
	// issue 11, point 2: C links to A (its problem), not to the earliest
	// of the category in the window; B is no recurrence
	r, ok := recs.Lookup("C")
	eq(t, "C recurs", ok, true)
	eq(t, "C of", r.Of, "A")
	_, ok = recs.Lookup("B")
	eq(t, "B recurs", ok, false)
}

// TestRecurrencePreventionOnAnyComplaintOfTheProblem: issue 11, point 4.
// Before, only the complaint linked to was looked at: C (day 150) linked
// to B (day 80; A is outside the window), which had no prevention, so C
// did not count as back after prevention although its problem had a
// preventive action done on A on day 100.
func TestRecurrencePreventionOnAnyComplaintOfTheProblem(t *testing.T) {
	const desc = "rayures profondes sur le carter"
	in := analytics.Input{
		Complaints: []domain.Complaint{pc("A", 0, "P-100", "surface", desc), pc("B", 80, "P-100", "surface", desc), pc("C", 150, "P-100", "surface", desc)},
		Actions:    []domain.Action{{ID: "X", Kind: domain.ActionPreventive, ComplaintID: "A", Status: domain.ActionStatusDone, DoneAt: t0.Add(100 * analytics.Day)}},
	}
	r, ok := analytics.NewDataset(in).Recurrences(analytics.Settings{}).Lookup("C")
	eq(t, "recurrence", ok, true)
	eq(t, "of", r.Of, "B")
	eq(t, "after prevention (action on A, another complaint of the problem)", r.AfterPrevention, true)
	eq(t, "actions", r.PreventiveActions, []string{"X"})
}

// TestPlanEffectivenessOnItsProblems: issue 11, point 5. Before, any
// complaint of the plan's station and category was evidence.
func TestPlanEffectivenessOnItsProblems(t *testing.T) {
	day := analytics.Day
	plan := domain.Plan{ID: "PL", SupplierStation: "S", Categories: []string{"surface"}, Complaints: []string{"A"},
		Status: domain.PlanStatusInProgress, StartedAt: t0.Add(5 * day)}
	other := pc("B", 10, "P-999", "surface", "coulures de peinture sur la face avant")
	same := pc("C", 12, "p100", "surface", "scratches on the housing")
	in := analytics.Input{Complaints: []domain.Complaint{pc("A", 0, "P-100", "surface", "rayures sur le carter"), other}, Plans: []domain.Plan{plan}}
	e, _ := analytics.NewDataset(in).EffectivenessOf(analytics.SubjectPlan, "PL", analytics.Settings{}, t0.Add(100*day))
	eq(t, "another problem of the category: effective", e.Verdict, analytics.Effective)
	eq(t, "the problems it addresses", e.Problems, []analytics.ProblemID{"A"})
	in.Complaints = append(in.Complaints, same)
	e, _ = analytics.NewDataset(in).EffectivenessOf(analytics.SubjectPlan, "PL", analytics.Settings{}, t0.Add(100*day))
	eq(t, "its problem back: ineffective", e.Verdict, analytics.Ineffective)
	eq(t, "evidence", e.Evidence, []string{"C"})
}

// TestPropose: the filing form asks which problem a new complaint looks
// like; the answer names the reasons.
func TestPropose(t *testing.T) {
	ps := problemsOf(
		pc("A", 0, "BRK2041", "surface", "rayures profondes sur le carter"),
		pc("B", 3, "BRK2041", "surface", "rayures sur le carter, lot entier"),
		pc("C", 6, "P-7", "labelling", "étiquette illisible"),
	)
	c := pc("N", 9, "brk 2041", "surface", "deep scratches on the housing")
	got := ps.Propose(&c, 3)
	if len(got) == 0 {
		t.Fatal("no proposal")
	}
	eq(t, "problem", got[0].Problem, analytics.ProblemID("A"))
	if got[0].Score < analytics.ProposalThreshold {
		t.Errorf("score %v under the threshold", got[0].Score)
	}
	var codes []analytics.ReasonCode
	for _, r := range got[0].Reasons {
		codes = append(codes, r.Code)
	}
	for _, want := range []analytics.ReasonCode{analytics.ReasonSimilarText, analytics.ReasonSamePart, analytics.ReasonSameCategory} {
		if !slices.Contains(codes, want) {
			t.Errorf("reasons %v lack %s", codes, want)
		}
	}
	eq(t, "complaints of A", ps.Complaints("A"), []string{"A", "B"})
	p, ok := ps.Problem("A")
	eq(t, "found", ok, true)
	eq(t, "parts", p.Parts, []string{"BRK2041"})
	eq(t, "supplier", p.SupplierStation, "S")
}

// TestProblemsIgnoreArrivalOrder: the problems depend on the recorded
// order (FiledAt, then id), never on the order the complaints reached the
// replica.
func TestProblemsIgnoreArrivalOrder(t *testing.T) {
	p := generatePlant(3000, 7)
	want := map[string]analytics.ProblemID{}
	ds := analytics.NewDataset(p.in)
	for _, c := range p.in.Complaints {
		want[c.ID], _ = ds.Problems().ProblemOf(c.ID)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		in := p.in
		in.Complaints = slices.Clone(in.Complaints)
		r.Shuffle(len(in.Complaints), func(i, j int) { in.Complaints[i], in.Complaints[j] = in.Complaints[j], in.Complaints[i] })
		ps := analytics.NewDataset(in).Problems()
		for _, c := range in.Complaints {
			if got, _ := ps.ProblemOf(c.ID); got != want[c.ID] {
				t.Fatalf("%s: problem %s after a shuffle, %s before", c.ID, got, want[c.ID])
			}
		}
	}
}

// TestBlankPartMatchesNothing: issue 11, point 3. A blank part sent over
// the API (part_ref " ") used to count as "no part", which matched every
// part: B recurred A. It is an unknown part now, which matches none.
func TestBlankPartMatchesNothing(t *testing.T) {
	in := analytics.Input{Complaints: []domain.Complaint{rc("A", t0, " "), rc("B", t0.Add(analytics.Day), "P1"), rc("C", t0.Add(2*analytics.Day), "P2")}}
	recs := analytics.NewDataset(in).Recurrences(analytics.Settings{})
	eq(t, "recurrences", recs.Len(), 0)
}
