package analytics_test

import (
	"slices"
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestProblemsTwoPartsOneSlipApart: two references of a station one
// character apart, each written often (ENS-7700 and ENS-7710, two
// assemblies), are two parts; a reference written once one slip away
// from them is one of them mistyped. Before, every pair one slip apart
// was one part mistyped: the motor assembly's unlatched connector (E)
// joined the fan assembly's.
func TestProblemsTwoPartsOneSlipApart(t *testing.T) {
	const latch = "connecteur non verrouillé au montage"
	var cs []domain.Complaint
	for i, x := range []struct{ id, part, desc string }{
		{"A", "ENS-7710", latch}, {"B", "ENS-7710", latch}, {"C", "ENS-7710", latch},
		{"D", "ENS-7700", "vis desserrées"}, {"F", "ENS-7700", "étiquette de test absente"}, {"G", "ENS-7700", "joint pincé"},
		{"E", "ENS-7700", latch},
		{"H", "ENS-7701", latch}, // a slip, written once
	} {
		cs = append(cs, pc(x.id, 2*i, x.part, "functional", x.desc))
	}
	ps := problemsOf(cs...)
	sameProblem(t, ps, "A", "E", false)
	pa, pe, ph := ps.Of("A"), ps.Of("E"), ps.Of("H")
	if ph != pa && ph != pe {
		t.Errorf("H, a slip of either, joined neither: %s, %s, %s", pa, pe, ph)
	}
	_, prop := ps.ProblemOf("H")
	if !slices.ContainsFunc(prop.Reasons, func(r analytics.Reason) bool { return r.Code == analytics.ReasonPartTypo }) {
		t.Errorf("H's reasons lack part_typo: %v", prop)
	}
}
