package analytics_test

import "testing"

// TestProblemsAnotherPartOfAStationWideProblem: a problem already seen on
// several parts is a failure of the station (its machine, its bath):
// another part says little against it. Before, C, the same words on a
// third part, scored 0.45 against A and B's problem and started its own.
func TestProblemsAnotherPartOfAStationWideProblem(t *testing.T) {
	const desc = "rayures profondes sur la face peinte"
	b := pc("B", 5, "BZ-2732", "surface", desc)
	b.Problem = "A" // an engineer put it with A: the same failure on another part
	ps := problemsOf(pc("A", 0, "AX-1001", "surface", desc), b, pc("C", 10, "CQ-9450", "surface", desc))
	sameProblem(t, ps, "A", "C", true)
}
