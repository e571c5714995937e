package analytics_test

import (
	"slices"
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestProposeRanksTheFailureOnItsPart: "angle ouvert" is a wording the
// bend-angle problem of CAP-3302 (B) has not met, but the bend-angle
// problem of BRK-2041 (A), with the same cause in the words of its own
// part, has. A new complaint on CAP-3302 saying "angle ouvert" is
// proposed B first: the failure from A, the part from B. The join score
// alone put C (another failure on CAP-3302, more recent) first.
func TestProposeRanksTheFailureOnItsPart(t *testing.T) {
	springback := func(c domain.Complaint, part string) domain.Complaint {
		return analysed(c, domain.IshikawaMethod, "Retour élastique non compensé sur la gamme "+part+".", "Angle faux", "Retour élastique")
	}
	ps := problemsOf(
		springback(pc("A1", 0, "BRK-2041", "dimensional", "angle de pliage hors tolérance"), "BRK-2041"),
		springback(pc("A2", 5, "BRK-2041", "dimensional", "angle ouvert, la pièce ne rentre pas"), "BRK-2041"),
		springback(pc("B1", 8, "CAP-3302", "dimensional", "équerrage faux sur le capot"), "CAP-3302"),
		analysed(pc("C1", 12, "CAP-3302", "dimensional", "trou de poinçonnage manquant"), domain.IshikawaMachine, "Poinçon cassé dans l'outil CAP-3302.", "Trou manquant"),
	)
	c := pc("N", 20, "CAP-3302", "dimensional", "angle ouvert, la pièce ne rentre pas")
	got := ps.Propose(&c, 3)
	b, _ := ps.ProblemOf("B1")
	if len(got) == 0 || got[0].Problem != b {
		t.Fatalf("proposals %v, want B1's problem %s first", got, b)
	}
	if got[0].Likelihood <= 0 || got[0].Likelihood > 1 || (len(got) > 1 && got[1].Likelihood > got[0].Likelihood) {
		t.Errorf("likelihoods %v: in (0, 1], the first the highest", got)
	}
	// And the reasons say why: A's wording, the same failure on another part
	if !slices.ContainsFunc(got[0].Reasons, func(r analytics.Reason) bool { return r.Code == analytics.ReasonKinProblem && r.Weight > 0 }) {
		t.Errorf("reasons of B %v: no %s", got[0].Reasons, analytics.ReasonKinProblem)
	}
}

// TestProposeReadsATypingSlip: "Faisceu" is no word of the dataset; the
// proposal reads it as "faisceau", one slip away, and proposes the
// pinched-harness problem, not the more recent loose-connector one on
// the same part.
func TestProposeReadsATypingSlip(t *testing.T) {
	ps := problemsOf(
		pc("H", 0, "FSC-7020", "functional", "faisceau pincé sous le carter"),
		pc("K", 6, "FSC-7020", "functional", "connecteur mal clipsé"),
	)
	c := pc("N", 10, "FSC-7020", "functional", "Faisceu, tout le lot")
	got := ps.Propose(&c, 2)
	if len(got) == 0 || got[0].Problem != "H" {
		t.Fatalf("proposals %v, want H first", got)
	}
	for _, r := range got[0].Reasons {
		if r.Code == analytics.ReasonSimilarText && r.Detail != "" {
			return
		}
	}
	t.Errorf("reasons %v: the description shares no word with H", got[0].Reasons)
}

// TestProposeSaysAWordingMetOnce: a problem whose complaints mostly say
// "arête coupante" once said "bavure au bord du perçage"; a new complaint
// in those words is closer to that one complaint than to the problem as a
// whole, and the proposal says so.
func TestProposeSaysAWordingMetOnce(t *testing.T) {
	ps := problemsOf(
		pc("A1", 0, "BRK-2041", "surface", "arête coupante sur la patte de fixation"),
		pc("A2", 3, "BRK-2041", "surface", "arête coupante, la patte blesse les doigts"),
		pc("A3", 6, "BRK-2041", "surface", "arête coupante sur la patte, bavure au bord du perçage"),
		pc("A4", 9, "BRK-2041", "surface", "patte de fixation avec arête coupante"),
	)
	c := pc("N", 12, "BRK-2041", "surface", "bavure au bord du perçage")
	got := ps.Propose(&c, 1)
	a, _ := ps.ProblemOf("A1")
	if len(got) == 0 || got[0].Problem != a {
		t.Fatalf("proposals %v, want A's problem %s", got, a)
	}
	if !slices.ContainsFunc(got[0].Reasons, func(r analytics.Reason) bool { return r.Code == analytics.ReasonLikeComplaint && r.Weight > 0 }) {
		t.Errorf("reasons %v: no %s", got[0].Reasons, analytics.ReasonLikeComplaint)
	}
}
