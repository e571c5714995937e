package boltstore

import (
	"encoding/json"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// caseState folds a complaint through the steps of a case of the push
// benchmark (filed, acknowledged, analysed, solutions proposed and chosen,
// an action linked, resolved, verified), each by another replica.
func caseState(tb testing.TB) *domain.State {
	deadline := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	containment, rootCause, ish := "Lot quarantined, 100% sorting at the supplier station", "Punch changed every 80k strokes instead of 50k", domain.IshikawaMachine
	whys := []string{"Burrs on edge", "Worn punch", "Punch change interval exceeded"}
	steps := []struct {
		author string
		role   domain.Role
		typ    domain.EventType
		p      domain.Payload
	}{
		{"op1", domain.RoleOperator, domain.ComplaintFiled, &domain.ComplaintFiledPayload{Number: "PRESS2-2026-0001", FilingStation: "PRESS2", SupplierStation: "CUT1",
			PartRef: "BRK-100", Lot: "L-7", Quantity: 5, Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint,
			Description: "Parts received with burrs on the inner edge; about one in ten affected, found at incoming inspection."}},
		{"eng1", domain.RoleEngineer, domain.ComplaintAcknowledged, &domain.AcknowledgePayload{Deadline: deadline, Assignee: "eng1"}},
		{"eng1", domain.RoleEngineer, domain.ComplaintAnalysisRecorded, &domain.AnalysisPayload{Containment: &containment, Whys: &whys, Ishikawa: &ish, RootCause: &rootCause}},
		{"eng1", domain.RoleEngineer, domain.ComplaintSolutionProposed, &domain.ProposeSolutionPayload{
			Options: []domain.SolutionOption{{ID: "rework", Text: "Deburr the lot at the supplier station"}, {ID: "replace", Text: "Replace the lot from stock"}}}},
		{"op1", domain.RoleOperator, domain.ComplaintSolutionChosen, &domain.ChooseSolutionPayload{SolutionID: "rework"}},
		{"eng1", domain.RoleEngineer, domain.ComplaintActionLinked, &domain.LinkActionPayload{ActionID: "a1", Kind: domain.ActionCorrective, Title: "Enforce the 50k punch change"}},
		{"eng1", domain.RoleEngineer, domain.ComplaintResolved, &domain.ResolvePayload{Summary: "Lot deburred, punch change enforced"}},
		{"op1", domain.RoleOperator, domain.ComplaintVerified, &domain.VerifyPayload{Rating: 4, Comment: "OK"}},
	}
	var events []domain.Event
	var parent uuid.UUID
	for i, s := range steps {
		e, err := domain.NewEvent(s.typ, "c1", s.p)
		if err != nil {
			tb.Fatal(err)
		}
		e.ID = uuid.Must(uuid.NewV7())
		e.HLC = hlc.New(deadline.UnixMilli()-int64(1000*(len(steps)-i)), 0)
		e.Replica, e.Seq, e.Author, e.Role = "ws-"+s.author, uint64(i+1), s.author, s.role
		if i > 0 {
			e.Parents = []uuid.UUID{parent}
		}
		parent = e.ID
		events = append(events, e)
	}
	st := domain.FoldEntity(domain.EntityKey{Type: domain.EntityComplaint, ID: "c1"}, events)
	if st.Complaint == nil || st.Complaint.Status != domain.StatusClosed {
		tb.Fatalf("the case did not close: %+v", st.Complaint)
	}
	return st
}

// BenchmarkStateEncode: a closed complaint's state as the store writes it
// (binary, with its complaint row), against JSON as it was.
func BenchmarkStateEncode(b *testing.B) {
	st := caseState(b)
	b.Run("binary", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = len(encodeStateValue(st))
			row := complaintRow(st)
			n += len(encodeComplaintRow(&row))
		}
		b.ReportMetric(float64(n), "bytes")
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			raw, _ := json.Marshal(st)
			row, _ := json.Marshal(complaintRow(st))
			n = len(raw) + len(row)
		}
		b.ReportMetric(float64(n), "bytes")
	})
}

// BenchmarkStateDecode: reading that state back.
func BenchmarkStateDecode(b *testing.B) {
	st := caseState(b)
	raw := encodeStateValue(st)
	js, _ := json.Marshal(st)
	b.Run("binary", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var back domain.State
			if err := decodeStateValue(raw, &back); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var back domain.State
			if err := json.Unmarshal(js, &back); err != nil {
				b.Fatal(err)
			}
		}
	})
}
