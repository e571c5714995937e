package analytics_test

import (
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestProposalLearnsWordingsFromOtherProblems: "orientation inversée" and
// "sous-ensemble retourné" tell one failure; two problems on other parts,
// each held together by its cause, hold both wordings. A new complaint
// on CQ-9450 saying "orientation inversée" is proposed Y (sous-ensemble
// retourné on CQ-9450) first, not the more recent Z (scratches on it).
// Before, both scored alike and the most recent came first.
func TestProposalLearnsWordingsFromOtherProblems(t *testing.T) {
	cause := func(c domain.Complaint, part string) domain.Complaint {
		return analysed(c, domain.IshikawaMethod, "Pas de détrompeur sur le gabarit "+part+".", "Montage inversé", "Pièce symétrique", "Pas de détrompeur")
	}
	ds := datasetOf(
		cause(pc("X1", 0, "AX-1001", "missing_part", "sous-ensemble retourné au montage"), "AX-1001"),
		cause(pc("X2", 4, "AX-1001", "missing_part", "orientation inversée, tout le lot"), "AX-1001"),
		cause(pc("W1", 6, "BZ-2732", "missing_part", "orientation inversée sur 12 pièces"), "BZ-2732"),
		cause(pc("W2", 8, "BZ-2732", "missing_part", "sous-ensemble retourné, lot bloqué"), "BZ-2732"),
		pc("Y", 10, "CQ-9450", "missing_part", "sous-ensemble retourné"),
		pc("Z", 12, "CQ-9450", "missing_part", "vis manquantes sur le couvercle"),
	)
	ps := ds.Problems()
	c := pc("N", 20, "CQ-9450", "missing_part", "orientation inversée")
	props := ps.Propose(&c, 5)
	y, _ := ps.ProblemOf("Y")
	if len(props) == 0 || props[0].Problem != y {
		t.Errorf("proposals for N: %v, want Y's problem %s first", props, y)
	}
}

func datasetOf(cs ...domain.Complaint) *analytics.Dataset {
	return analytics.NewDataset(analytics.Input{Complaints: cs})
}
