package syncserver_test

import (
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
	"boucle/syncserver"
)

// firmCase: a problem of two complaints (A, B: deep scratches on the
// P-100 housing), a preventive action X done on B, and C filed after it,
// past its investigation (settled), which the proposal joins to the
// problem. now is after X's window, every workstation heard from.
func firmCase(c domain.Complaint) (analytics.Input, time.Time) {
	t0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	day := analytics.Day
	complaint := func(id, number string, d int, part, desc string) domain.Complaint {
		return domain.Complaint{ID: id, Number: number, FilingStation: "ASSY5", SupplierStation: "PAINT4", PartRef: part,
			Category: "surface", Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: desc,
			FiledAt: t0.Add(time.Duration(d) * day), Status: domain.StatusResolved}
	}
	const scratches = "rayures profondes sur le carter, lot bloqué"
	c.FiledAt, c.Status = t0.Add(40*day), domain.StatusResolved
	if c.ID == "" {
		c = complaint("C", "N-0003", 40, "P-100", scratches)
	}
	return analytics.Input{
		Complaints: []domain.Complaint{complaint("A", "N-0001", 0, "P-100", scratches), complaint("B", "N-0002", 10, "P-100", scratches), c},
		Actions: []domain.Action{{ID: "X", Kind: domain.ActionPreventive, ComplaintID: "B", Status: domain.ActionStatusDone,
			DoneAt: t0.Add(20 * day)}},
	}, t0.Add(200 * day)
}

func dueFor(t *testing.T, in analytics.Input, now time.Time, id string) (*domain.VerdictPayload, analytics.Proposal) {
	t.Helper()
	ds := analytics.NewDataset(in)
	if p, _ := ds.Problems().ProblemOf("C"); p != "A" {
		t.Fatalf("C is in problem %q, not A's: the case does not hold", p)
	}
	_, prop := ds.Problems().ProblemOf("C")
	for _, c := range syncserver.DueVerdicts(ds, in, analytics.Settings{}, now, now) {
		if c.EntityID == id {
			return c.Payload.(*domain.VerdictPayload), prop
		}
	}
	return nil, prop
}

// The system records "ineffective" on evidence firmly linked to the
// problem, and names it in the note: each complaint by its number, with
// why it is of the problem. Before, the note only counted the complaints.
func TestRecordedVerdictNamesItsEvidence(t *testing.T) {
	in, now := firmCase(domain.Complaint{})
	v, prop := dueFor(t, in, now, "X")
	if v == nil || v.Effective {
		t.Fatalf("X: %+v, want ineffective (C's link %v)", v, prop)
	}
	for _, want := range []string{"1 complaint(s) of problem A", "Evidence: N-0003 (proposed, score", "same part (P100)", "similar description ("} {
		if !strings.Contains(v.Note, want) {
			t.Errorf("note %q does not say %q", v.Note, want)
		}
	}
}

// A complaint joined to the problem by a narrow margin (its part unknown,
// "?", on its words alone: a score under firmLink, 0.7) is the link an
// engineer is likeliest to move: the system does not record
// "ineffective" on it alone until an engineer confirms its problem.
// Before, it recorded it at once.
func TestRecordedIneffectiveWaitsForAFirmLink(t *testing.T) {
	narrow := domain.Complaint{ID: "C", Number: "N-0003", FilingStation: "ASSY5", SupplierStation: "PAINT4", PartRef: "?",
		Category: "surface", Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "rayures profondes sur le carter"}
	in, now := firmCase(narrow)
	v, prop := dueFor(t, in, now, "X")
	if prop.Score < analytics.ProposalThreshold || prop.Score >= 0.7 {
		t.Fatalf("C joined with %.2f, not a narrow margin: the case does not hold", prop.Score)
	}
	if v != nil {
		t.Fatalf("X recorded %+v on C, joined with %.2f", v, prop.Score)
	}

	in.Complaints[2].Problem = "A" // an engineer confirms
	v, _ = dueFor(t, in, now, "X")
	if v == nil || v.Effective || !strings.Contains(v.Note, "N-0003 (placed by an engineer)") {
		t.Fatalf("X once C is confirmed: %+v", v)
	}
}
