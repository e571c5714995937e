package analytics_test

import (
	"testing"

	"boucle/shared/domain"
)

// TestProblemsPartNamedByTheCause: an operator who did not know the part
// ("?") leaves the engineer's analysis to say it: the cause names the
// BRK-2041 program. X's problem is then a problem of BRK-2041, and Y, on
// BRK-2041 in other words and not analysed yet, joins it. Before, X's
// problem had no part and Y scored 0.40 against it.
func TestProblemsPartNamedByTheCause(t *testing.T) {
	x := analysed(pc("X", 0, "?", "dimensional", "bavures coupantes en sortie de découpe"), domain.IshikawaMethod,
		"Pression de gaz du programme BRK-2041 réduite sans validation.", "Bavures", "Gaz trop faible", "Réglage modifié sans validation")
	ps := problemsOf(x, pc("Y", 6, "BRK-2041", "dimensional", "bavures coupantes, lot bloqué"))
	sameProblem(t, ps, "X", "Y", true)
}
