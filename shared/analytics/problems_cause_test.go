package analytics_test

import (
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// analysed adds a recorded analysis to a complaint.
func analysed(c domain.Complaint, fam domain.Ishikawa, root string, whys ...string) domain.Complaint {
	c.RootCause, c.Whys, c.Ishikawa = root, whys, fam
	return c
}

// TestProblemsCauseDecides: once both complaints are analysed, the cause
// decides (issue #11: "the same root cause" is the same problem). Before,
// the cause weighed at most +0.25 and nothing against, so:
//   - B, whose part was written "?", joined A through alike words although
//     its cause names another part's program (two problems);
//   - C, the station's worn nozzle again on another part, in other words,
//     started a problem of its own (one problem with A2).
func TestProblemsCauseDecides(t *testing.T) {
	program := func(part string) string { return "Pression de gaz du programme " + part + " réduite sans validation." }
	whys := []string{"Bavures", "Gaz d'assistance trop faible", "Réglage modifié sans validation"}
	nozzle := []string{"Bavures", "Buse usée", "Compteur d'heures non suivi"}
	ps := problemsOf(
		pc("E", 0, "PLT-1187", "surface", "rayures sur la platine"), // the station delivers PLT-1187 too
		analysed(pc("A", 0, "BRK-2041", "dimensional", "bavures coupantes sur le support, tout le lot"), domain.IshikawaMethod, program("BRK-2041"), whys...),
		analysed(pc("B", 8, "?", "dimensional", "bavures coupantes en sortie de découpe, 20 pièces"), domain.IshikawaMethod, program("PLT-1187"), whys...),
		analysed(pc("A2", 20, "FLN-0612", "dimensional", "grosses bavures côté intérieur, lot bloqué"), domain.IshikawaMachine, "Buse de découpe usée, changée au-delà de son intervalle.", nozzle...),
		analysed(pc("C", 30, "GSS-3310", "dimensional", "arêtes non ébavurées sur le gousset"), domain.IshikawaMachine, "Worn cutting nozzle, changed past its interval.", nozzle...),
	)
	sameProblem(t, ps, "A", "B", false)
	sameProblem(t, ps, "A2", "C", true)
	_, prop := ps.ProblemOf("B")
	if prop.Score >= analytics.ProposalThreshold {
		t.Errorf("B's best proposal %v reaches the threshold", prop)
	}
}
