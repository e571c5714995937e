package boltstore_test

import (
	"slices"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

// remote builds a valid event of another replica, as a push carries it.
func remote(tb testing.TB, s *boltstore.Store, replica string, seq uint64, a boltstore.Actor, typ domain.EventType, id string, p domain.Payload) domain.Event {
	tb.Helper()
	e, err := domain.NewEvent(typ, id, p)
	if err != nil {
		tb.Fatal(err)
	}
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), s.Clock().Now(), replica, seq, a.Login, a.Role
	return e
}

// A refused push is kept apart: not in the log (so never pulled), not
// folded, but the replica's next sequence number moves on.
func TestStoreRejectionKeepsTheEventOutOfTheLog(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	before := logLen(t, s)
	msg := remote(t, s, "ws-1", 1, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "refused"})
	ok := remote(t, s, "ws-1", 2, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "kept"})
	err := s.Update(func(tx *boltstore.Tx) error {
		if err := tx.StoreRejection(&msg, domain.EForbidden, "author disabled"); err != nil {
			return err
		}
		if got := tx.ReplicaSeq("ws-1"); got != 1 {
			t.Fatalf("replica seq after a refusal = %d, want 1", got)
		}
		_, err := tx.Ingest(&ok)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := logLen(t, s); n != before+1 {
		t.Fatalf("log grew by %d, want 1 (the refused event stays out)", n-before)
	}
	if st := complaint(t, s, id); len(st.Complaint.Messages) != 1 || st.Complaint.Messages[0].Text != "kept" {
		t.Fatalf("messages = %+v", st.Complaint.Messages)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		r, found := tx.Rejection(msg.ID)
		if !found || r.Code != domain.EForbidden || r.Reason != "author disabled" {
			t.Fatalf("rejection = %+v, %v", r, found)
		}
		if _, found := tx.Rejection(ok.ID); found {
			t.Fatal("accepted event has a rejection")
		}
		e, err := tx.RejectedEvent(msg.ID)
		if err != nil || e.ID != msg.ID || string(e.Payload) != string(msg.Payload) {
			t.Fatalf("RejectedEvent = %+v, %v", e, err)
		}
		if tx.HasEvent(msg.ID) {
			t.Fatal("refused event is in the log")
		}
		_, _, err = tx.LogRaw(before, 100, func(_ uint64, raw []byte) error {
			if e, _ := domain.DecodeEvent(raw); e.ID == msg.ID {
				t.Fatal("refused event streamed from the log")
			}
			return nil
		})
		return err
	})
	err = s.Update(func(tx *boltstore.Tx) error { return tx.StoreRejection(&ok, domain.EInvalid, "too late") })
	if domain.ErrorCode(err) != domain.EInternal {
		t.Fatalf("refusing a logged event: %v", err)
	}
}

// Events relayed with a hole leave the high-water mark at the hole; the
// replica's own in-order re-push (duplicates included) closes it.
func TestAdvanceReplicaClosesHoles(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	evs := make([]domain.Event, 4)
	for i := range evs {
		evs[i] = remote(t, s, "ws-2", uint64(i+1), operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "m"})
	}
	mustUpdate(t, s, func(tx *boltstore.Tx) error {
		for _, i := range []int{0, 2, 3} { // seq 2 missing
			if _, err := tx.Ingest(&evs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	seqs := func() map[string]uint64 {
		var m map[string]uint64
		_ = s.View(func(tx *boltstore.Tx) error { m = tx.ReplicaSeqs(); return nil })
		return m
	}
	if got := seqs()["ws-2"]; got != 1 {
		t.Fatalf("mark with a hole = %d, want 1", got)
	}
	mustUpdate(t, s, func(tx *boltstore.Tx) error {
		if _, err := tx.Ingest(&evs[1]); err != nil {
			return err
		}
		for _, e := range evs[2:] { // already stored: duplicates move the mark on
			if err := tx.AdvanceReplica(e.Replica, e.Seq); err != nil {
				return err
			}
		}
		return nil
	})
	if got := seqs(); got["ws-2"] != 4 || got[s.Replica()] == 0 {
		t.Fatalf("marks after re-push = %v", got)
	}
}

func TestRenewReplicaRestartsTheSequence(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	old := s.Replica()
	replica, err := s.RenewReplica()
	if err != nil || replica == old || s.Replica() != replica {
		t.Fatalf("RenewReplica = %q, %v (old %s, now %s)", replica, err, old, s.Replica())
	}
	e := record(t, s, admin, domain.StationDefined, "OVEN9", &domain.StationPayload{Name: "Oven"})
	if e.Replica != replica || e.Seq != 1 {
		t.Fatalf("first event after renewal: replica %s seq %d", e.Replica, e.Seq)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		if n := tx.OutboxLen(); n != 1 {
			t.Fatalf("outbox = %d, want only the new event", n)
		}
		return nil
	})
}

// clockAt returns a store clock that reads *now.
func clockAt(now *time.Time) func() time.Time { return func() time.Time { return *now } }

func TestQueryComplaintsFiltersWhatNoIndexCovers(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s := mustOpen(t, boltstore.Options{Now: clockAt(&now)})
	seedPlant(t, s)
	var ids []string // one a day; even days against CUT1, odd ones filed by PAINT
	for i := range 12 {
		now = now.Add(day)
		p := filing("CUT1", "P", "burr")
		if i%2 == 1 {
			p = filing("PRESS2", "P", "burr")
			p.FilingStation = "PAINT"
		}
		ids = append(ids, file(t, s, p))
	}
	query := func(q boltstore.ComplaintQuery) []string {
		t.Helper()
		var out []string
		for {
			var page boltstore.ComplaintPage
			_ = s.View(func(tx *boltstore.Tx) (err error) { page, err = tx.QueryComplaints(q); return err })
			for _, r := range page.Rows {
				out = append(out, r.ID)
			}
			if page.Next == "" {
				return out
			}
			q.Cursor = page.Next
		}
	}
	rev := func(ids ...string) []string { out := slices.Clone(ids); slices.Reverse(out); return out }
	t.Run("StationEitherSide", func(t *testing.T) {
		got := query(boltstore.ComplaintQuery{Station: "CUT1", ComplaintFilter: boltstore.ComplaintFilter{Limit: 4}})
		if want := rev(ids[0], ids[2], ids[4], ids[6], ids[8], ids[10]); !slices.Equal(got, want) {
			t.Fatalf("CUT1 = %v, want %v", got, want)
		}
		if got := query(boltstore.ComplaintQuery{Station: "PRESS2", ComplaintFilter: boltstore.ComplaintFilter{Limit: 5}}); len(got) != 12 {
			t.Fatalf("PRESS2 (filing or supplier of every complaint) = %d", len(got))
		}
	})
	t.Run("FiledRange", func(t *testing.T) {
		q := boltstore.ComplaintQuery{From: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 8, 8, 0, 0, 0, time.UTC),
			ComplaintFilter: boltstore.ComplaintFilter{Limit: 2}}
		if got, want := query(q), rev(ids[2:7]...); !slices.Equal(got, want) {
			t.Fatalf("range = %v, want %v", got, want)
		}
		q.Station = "PAINT"
		if got, want := query(q), rev(ids[3], ids[5]); !slices.Equal(got, want) {
			t.Fatalf("range at PAINT = %v, want %v", got, want)
		}
	})
	t.Run("OverdueByDeadline", func(t *testing.T) {
		for i, id := range ids[:3] {
			record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: now.Add(time.Duration(i+1) * time.Hour), Assignee: "eng1"})
		}
		q := boltstore.ComplaintQuery{Station: "CUT1", ComplaintFilter: boltstore.ComplaintFilter{Overdue: true, Now: now.Add(day), Limit: 1}}
		if got, want := query(q), []string{ids[0], ids[2]}; !slices.Equal(got, want) {
			t.Fatalf("overdue at CUT1 = %v, want %v", got, want)
		}
	})
}

func TestQueryActionsBeyondThePendingIndex(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s := mustOpen(t, boltstore.Options{Now: clockAt(&now)})
	seedPlant(t, s)
	cut := file(t, s, filing("CUT1", "P", "burr"))
	paint := file(t, s, filing("PAINT", "P", "drip"))
	assign := func(id, complaintID string, kind domain.ActionKind, owner string, due time.Time) {
		record(t, s, engineer, domain.ActionAssigned, id, &domain.ActionAssignedPayload{Kind: kind, Title: id, Owner: owner, Due: due, ComplaintID: complaintID})
	}
	assign("a1", cut, domain.ActionContainment, "eng1", now.Add(1*day))
	assign("a2", cut, domain.ActionCorrective, "eng2", now.Add(3*day))
	assign("a3", paint, domain.ActionCorrective, "eng1", now.Add(2*day))
	assign("a4", paint, domain.ActionCorrective, "eng2", now.Add(4*day))
	record(t, s, engineer, domain.ActionCompleted, "a2", &domain.NotePayload{})
	record(t, s, engineer, domain.ActionCancelled, "a4", &domain.ReasonPayload{Reason: "not needed"})
	query := func(q boltstore.ActionQuery) []string {
		t.Helper()
		var out []string
		for {
			var page boltstore.ActionPage
			if err := s.View(func(tx *boltstore.Tx) (err error) { page, err = tx.QueryActions(q); return err }); err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Actions {
				out = append(out, a.ID)
			}
			if page.Next == "" {
				return out
			}
			q.Cursor = page.Next
		}
	}
	cases := []struct {
		name string
		q    boltstore.ActionQuery
		want []string
	}{
		{"All", boltstore.ActionQuery{Limit: 3}, []string{"a1", "a2", "a3", "a4"}},
		{"Done", boltstore.ActionQuery{Statuses: []domain.ActionStatus{domain.ActionStatusDone, domain.ActionStatusCancelled}, Limit: 1}, []string{"a2", "a4"}},
		{"PendingByDue", boltstore.ActionQuery{Statuses: []domain.ActionStatus{domain.ActionStatusOpen}, Limit: 1}, []string{"a1", "a3"}},
		{"Overdue", boltstore.ActionQuery{Overdue: true, Now: now.Add(36 * time.Hour)}, []string{"a1"}},
		{"StationOfTheComplaint", boltstore.ActionQuery{Station: "PAINT"}, []string{"a3", "a4"}},
		{"OwnerAndKind", boltstore.ActionQuery{Owner: "eng2", Kind: domain.ActionCorrective}, []string{"a2", "a4"}},
		{"DueRange", boltstore.ActionQuery{DueFrom: now.Add(2 * day), DueTo: now.Add(3 * day)}, []string{"a2", "a3"}},
		{"DueRangePending", boltstore.ActionQuery{Statuses: []domain.ActionStatus{domain.ActionStatusOpen}, DueFrom: now.Add(2 * day), DueTo: now.Add(3 * day)}, []string{"a3"}},
		{"Complaint", boltstore.ActionQuery{ComplaintID: cut, Statuses: []domain.ActionStatus{domain.ActionStatusDone}}, []string{"a2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := query(tc.q); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		if _, err := tx.QueryActions(boltstore.ActionQuery{Cursor: "zz"}); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("bad cursor: %v", err)
		}
		return nil
	})
}

func mustUpdate(tb testing.TB, s *boltstore.Store, fn func(*boltstore.Tx) error) {
	tb.Helper()
	if err := s.Update(fn); err != nil {
		tb.Fatal(err)
	}
}
