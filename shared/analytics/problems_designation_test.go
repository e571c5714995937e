package analytics_test

import "testing"

// TestProblemsPartDesignationIsNoEvidence: the designation people write
// after the reference ("CAP-3302 Capot latéral") names the part, which is
// compared on its own; in the description it is no evidence of the same
// failure. Before, B's cracks joined A's burrs through "capot latéral".
func TestProblemsPartDesignationIsNoEvidence(t *testing.T) {
	ps := problemsOf(
		pc("A", 0, "CAP-3302 Capot latéral", "surface", "bavures sur le capot latéral"),
		pc("B", 5, "CAP-3302", "surface", "criques au pli sur capot latéral"),
	)
	sameProblem(t, ps, "A", "B", false)
}
