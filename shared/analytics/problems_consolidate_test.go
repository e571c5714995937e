package analytics_test

import (
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestProblemsJoinedOnceTheirWordingIsTied: B tells A's warping in
// another wording and is never analysed; when it was filed, A's problem
// had met neither its words nor a cause to compare, and B started a
// problem of its own. C, filed later in B's words, has A's cause: it
// joins A, and A's problem now holds B's wording. Once the pass is over,
// B's problem is compared with A's as it became, and joins it. Before,
// B stayed apart: the recurrence B → A and the recurrence of the problem
// after A's preventive action were missed. An engineer's word stays: B
// said not to be of A, or placed in a problem of its own, stays apart.
func TestProblemsJoinedOnceTheirWordingIsTied(t *testing.T) {
	const cause = "Ordre des frappes inversé sur la gamme EQR-4470."
	whys := []string{"Voilage", "Ordre des frappes", "Gamme non suivie"}
	plant := func(b domain.Complaint) []domain.Complaint {
		return []domain.Complaint{
			analysed(pc("A", 0, "EQR-4470", "dimensional", "pièces voilées, tout le lot"), domain.IshikawaMethod, cause, whys...),
			// the words of the circumstances, in every category
			pc("E", 1, "CAP-3302", "surface", "rayures sur la face visible, sur 8 pièces"),
			pc("F", 2, "CAP-3302", "labelling", "fiche suiveuse absente, tout le lot"),
			pc("G", 3, "BAC-0915", "contamination", "huile sur les pièces, environ une pièce sur dix"),
			pc("D", 5, "EQR-4470", "dimensional", "trou de poinçonnage manquant"), // another failure of the part
			b,
			analysed(pc("C", 20, "eqr-4470", "dimensional", "pièce gondolée, sur 12 pièces"), domain.IshikawaMethod, cause, whys...),
		}
	}
	b := pc("B", 10, "EQR4470", "dimensional", "pièce gondolée, environ une pièce sur dix")

	ps := problemsOf(plant(b)...)
	sameProblem(t, ps, "A", "C", true)
	sameProblem(t, ps, "A", "B", true)
	sameProblem(t, ps, "A", "D", false)
	if _, prop := ps.ProblemOf("B"); prop.Problem != "A" || prop.Score < analytics.ProposalThreshold {
		t.Errorf("B's proposal %v: want problem A from the threshold", prop)
	}
	r, ok := analytics.NewDataset(analytics.Input{Complaints: plant(b)}).Recurrences(analytics.Settings{}).Lookup("B")
	if !ok || r.Of != "A" {
		t.Errorf("B's recurrence: %v %v, want of A", r, ok)
	}

	notA := b
	notA.NotProblems = []string{"A"}
	sameProblem(t, problemsOf(plant(notA)...), "A", "B", false)
	own := b
	own.Problem = "B"
	sameProblem(t, problemsOf(plant(own)...), "A", "B", false)
}
