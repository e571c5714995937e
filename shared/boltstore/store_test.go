package boltstore_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

func TestRecordNumbersComplaintsPerStation(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	year := time.Now().Year()
	for i := 1; i <= 3; i++ {
		st := complaint(t, s, file(t, s, filing("CUT1", "P-100", "burr on edge")))
		want := "PRESS2-" + itoa(year) + "-000" + itoa(i)
		if st.Complaint.Number != want {
			t.Fatalf("number %d = %s, want %s", i, st.Complaint.Number, want)
		}
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestRecordIsDurableAndResumes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "boucle.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "scratch"))
	last := s.Clock().Last()
	replica := s.Replica()
	s.Close()

	s, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Replica() != replica {
		t.Fatalf("replica changed across reopen: %s != %s", s.Replica(), replica)
	}
	if s.Clock().Last() < last {
		t.Fatal("clock state not saved with the events")
	}
	if st := complaint(t, s, id); st.Complaint.Status != domain.StatusNew {
		t.Fatalf("status after reopen = %s", st.Complaint.Status)
	}
	e := record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "eng1"})
	if e.HLC <= last {
		t.Fatal("HLC went backwards after a restart")
	}
}

func TestRecordRefusesAndWritesNothing(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "scratch"))
	cases := []struct {
		name  string
		actor boltstore.Actor
		cmd   boltstore.Command
		code  domain.Code
		field string
		rule  string
	}{
		{"ErrQuantity", operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: func() domain.Payload { p := filing("CUT1", "P", "d"); p.Quantity = 0; return p }()}, domain.EInvalid, "quantity", ""},
		{"ErrUnknownSupplier", operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("NOPE", "P", "d")}, domain.EInvalid, "supplier_station", ""},
		{"ErrUnknownCategory", operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: func() domain.Payload { p := filing("CUT1", "P", "d"); p.Category = "nope"; return p }()}, domain.EInvalid, "category", ""},
		{"ErrOperatorAcknowledges", operator, boltstore.Command{Type: domain.ComplaintAcknowledged, EntityID: id, Payload: &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "eng1"}}, domain.EForbidden, "", "permission.complaint.acknowledged"},
		{"ErrUnknownAssignee", engineer, boltstore.Command{Type: domain.ComplaintAcknowledged, EntityID: id, Payload: &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "ghost"}}, domain.EInvalid, "assignee", ""},
		{"ErrResolveNew", engineer, boltstore.Command{Type: domain.ComplaintResolved, EntityID: id, Payload: &domain.ResolvePayload{Summary: "done"}}, domain.EConflict, "", "complaint.resolve"},
		{"ErrNoComplaint", engineer, boltstore.Command{Type: domain.ComplaintResolved, EntityID: "missing", Payload: &domain.ResolvePayload{Summary: "done"}}, domain.ENotFound, "", "complaint.exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, outbox := logLen(t, s), 0
			_ = s.View(func(tx *boltstore.Tx) error { outbox = tx.OutboxLen(); return nil })
			_, err := s.Record(tc.actor, tc.cmd)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != tc.code || de.Field != tc.field || de.Rule != tc.rule {
				t.Fatalf("err = %#v, want code %s field %q rule %q", err, tc.code, tc.field, tc.rule)
			}
			after, outboxAfter := logLen(t, s), 0
			_ = s.View(func(tx *boltstore.Tx) error { outboxAfter = tx.OutboxLen(); return nil })
			if after != before || outboxAfter != outbox {
				t.Fatalf("a refused command wrote: log %d→%d, outbox %d→%d", before, after, outbox, outboxAfter)
			}
		})
	}
	// A refused filing does not consume a complaint number.
	next := complaint(t, s, file(t, s, filing("CUT1", "P-2", "ok")))
	if next.Complaint.Number[len(next.Complaint.Number)-4:] != "0002" {
		t.Fatalf("number after refusals = %s", next.Complaint.Number)
	}
}

func TestRecordSeveralCommandsIsAllOrNothing(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	before := logLen(t, s)
	_, err := s.Record(operator,
		boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("CUT1", "P", "first is fine")},
		boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("CUT1", "", "second lacks a part")},
	)
	if domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("err = %v", err)
	}
	if logLen(t, s) != before {
		t.Fatal("first command of a refused batch was written")
	}
}

// The whole loop through the store: file → acknowledge → analyse → propose
// → choose → act → resolve → verify, with the outbox and the timeline.
func TestLifecycleThroughTheStore(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "Rayure profonde sur la face A"))
	record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(5 * day), Assignee: "eng1"})
	record(t, s, engineer, domain.ComplaintAnalysisRecorded, id, &domain.AnalysisPayload{Containment: ptr("sorted 200 parts"), Ishikawa: ptr(domain.IshikawaMachine), RootCause: ptr("worn guide rail")})
	record(t, s, engineer, domain.ComplaintSolutionProposed, id, &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{{ID: "a", Text: "replace the rail"}, {ID: "b", Text: "add a felt pad"}}})
	record(t, s, operator, domain.ComplaintSolutionChosen, id, &domain.ChooseSolutionPayload{SolutionID: "a"})
	evs, err := s.Record(engineer,
		boltstore.Command{Type: domain.ActionAssigned, EntityID: "act-1", Payload: &domain.ActionAssignedPayload{Kind: domain.ActionCorrective, Title: "Replace rail", Owner: "eng2", Due: time.Now().Add(2 * day), ComplaintID: id}},
		boltstore.Command{Type: domain.ComplaintActionLinked, EntityID: id, Payload: &domain.LinkActionPayload{ActionID: "act-1", Kind: domain.ActionCorrective, Title: "Replace rail"}},
	)
	if err != nil || len(evs) != 2 {
		t.Fatalf("assign action: %v", err)
	}
	record(t, s, engineer, domain.ActionCompleted, "act-1", &domain.NotePayload{Note: "rail replaced"})
	record(t, s, engineer, domain.ComplaintResolved, id, &domain.ResolvePayload{Summary: "rail replaced, parts sorted"})
	record(t, s, operator, domain.ComplaintVerified, id, &domain.VerifyPayload{Rating: 4, Comment: "ok"})

	st := complaint(t, s, id)
	if st.Complaint.Status != domain.StatusClosed || st.Complaint.Rating != 4 || st.Complaint.RootCause != "worn guide rail" {
		t.Fatalf("final complaint = %+v", st.Complaint)
	}
	var timeline []boltstore.TimelineEntry
	var outbox []domain.Event
	_ = s.View(func(tx *boltstore.Tx) (err error) {
		if timeline, err = tx.Timeline(id); err != nil {
			return err
		}
		outbox, err = tx.Outbox(1000)
		return err
	})
	if len(timeline) != 10 { // 8 complaint events + 2 action events
		t.Fatalf("timeline has %d entries", len(timeline))
	}
	for i := 1; i < len(timeline); i++ {
		if timeline[i-1].Event.Order().Compare(timeline[i].Event.Order()) >= 0 {
			t.Fatal("timeline not in fold order")
		}
	}
	for i := 1; i < len(outbox); i++ {
		if outbox[i].Seq != outbox[i-1].Seq+1 {
			t.Fatal("outbox not in contiguous replica sequence order")
		}
	}
}

// Arrival order and duplicates do not change the projection: events
// ingested in reverse order, twice, give the bytes of the writer's store.
func TestIngestOutOfOrderMatchesWriter(t *testing.T) {
	w := mustOpen(t, boltstore.Options{})
	seedPlant(t, w)
	id := file(t, w, filing("CUT1", "P-1", "dent"))
	record(t, w, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "eng1"})
	record(t, w, engineer, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "we are on it"})

	var all []boltstore.LoggedEvent
	_ = w.View(func(tx *boltstore.Tx) (err error) { all, _, err = tx.LogAfter(0, 1000); return err })
	events := make([]domain.Event, 0, 2*len(all))
	for i := len(all) - 1; i >= 0; i-- {
		events = append(events, all[i].Event)
	}
	events = append(events, events...)

	r := mustOpen(t, boltstore.Options{})
	for _, e := range events { // one transaction per event: the incremental path
		if _, err := r.Ingest([]domain.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := json.Marshal(complaint(t, w, id))
	b, _ := json.Marshal(complaint(t, r, id))
	if string(a) != string(b) {
		t.Fatalf("projections differ:\n%s\n%s", a, b)
	}
	if logLen(t, r) != uint64(len(all)) {
		t.Fatalf("duplicates stored: %d events for %d", logLen(t, r), len(all))
	}
}

func TestUnknownEventsAreKeptNotFolded(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	future := domain.Event{ID: uuid.Must(uuid.NewV7()), HLC: s.Clock().Now(), Replica: "other", Seq: 1, Author: "eng9",
		Role: domain.RoleEngineer, EntityType: domain.EntityComplaint, EntityID: id, Type: "complaint.photographed",
		Schema: 1, Payload: json.RawMessage(`{"angle":3}`)}
	newer := future
	newer.ID, newer.Seq, newer.Type, newer.Schema = uuid.Must(uuid.NewV7()), 2, domain.ComplaintMessagePosted, 9
	newer.Payload = json.RawMessage(`{"text":"v9 message"}`)
	if _, err := s.Ingest([]domain.Event{future, newer}); err != nil {
		t.Fatal(err)
	}
	before := complaint(t, s, id)
	_ = s.View(func(tx *boltstore.Tx) error {
		if got := tx.Unfolded(); len(got) != 2 {
			t.Fatalf("unfolded = %v", got)
		}
		tl, err := tx.Timeline(id)
		if err != nil || len(tl) != 3 || !tl[1].Unfolded || !tl[2].Unfolded {
			t.Fatalf("timeline = %+v, %v", tl, err)
		}
		return nil
	})
	if len(before.Complaint.Messages) != 0 || before.Meta.Events != 1 {
		t.Fatal("an event of a newer schema was folded")
	}
}

func TestClockFarAheadIsFlagged(t *testing.T) {
	now := time.Now()
	s := mustOpen(t, boltstore.Options{Now: func() time.Time { return now }})
	e := domain.Event{ID: uuid.Must(uuid.NewV7()), HLC: hlc.FromTime(now.Add(10 * time.Minute)), Replica: "fast", Seq: 1,
		Author: "admin", Role: domain.RoleAdmin, EntityType: domain.EntityStation, EntityID: "OVEN", Type: domain.StationDefined,
		Schema: 1, Payload: json.RawMessage(`{"name":"Oven"}`)}
	if _, err := s.Ingest([]domain.Event{e}); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		alerts := tx.ClockAlerts()
		if len(alerts) != 1 || alerts[0].Replica != "fast" || alerts[0].AheadMs != 600_000 {
			t.Fatalf("alerts = %+v", alerts)
		}
		return nil
	})
	if s.Clock().Now() <= e.HLC {
		t.Fatal("the far-ahead timestamp was not observed")
	}
}

// A local event the server refuses leaves the outbox and the projection.
func TestRejectRefoldsWithoutTheEvent(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	msg := record(t, s, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "hello"})
	err := s.Update(func(tx *boltstore.Tx) error { return tx.Reject(&msg, domain.EForbidden, "user disabled") })
	if err != nil {
		t.Fatal(err)
	}
	if st := complaint(t, s, id); len(st.Complaint.Messages) != 0 {
		t.Fatal("rejected message still folded")
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		out, _ := tx.Outbox(100)
		for _, e := range out {
			if e.ID == msg.ID {
				t.Fatal("rejected event still in the outbox")
			}
		}
		if r := tx.Rejections(); len(r) != 1 || r[0].Reason != "user disabled" {
			t.Fatalf("rejections = %+v", r)
		}
		return nil
	})
}

func TestBlobsAreContentAddressed(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	sha, err := s.PutBlob([]byte("photo bytes"))
	if err != nil || len(sha) != 64 {
		t.Fatalf("PutBlob = %q, %v", sha, err)
	}
	if err := s.PutBlobChecked(sha, []byte("other bytes")); domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("mismatched bytes accepted: %v", err)
	}
	if _, err := s.PutBlob(make([]byte, domain.MaxAttachmentBytes+1)); domain.ErrorCode(err) != domain.ETooLarge {
		t.Fatalf("11 MB accepted: %v", err)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		b, err := tx.Blob(sha)
		if err != nil || string(b) != "photo bytes" {
			t.Fatalf("Blob = %q, %v", b, err)
		}
		return nil
	})
}

func TestBackupIsACompleteCopy(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(dst); err != nil {
		t.Fatal(err)
	}
	c, err := boltstore.Open(dst, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if complaint(t, c, id).Complaint.Number == "" {
		t.Fatal("backup lacks the complaint")
	}
}

// A local write while pulled events await projection (a long first sync)
// sees them: the entity is refolded from the log, so the new event names
// the latest heads and the references resolve; pulled events logged in
// bulk, not yet in the per-entity index, too.
func TestRecordDuringBacklogSeesUnprojectedEvents(t *testing.T) {
	for name, appendFn := range map[string]func(*boltstore.Tx, *domain.Event) (boltstore.IngestStatus, error){
		"Append": (*boltstore.Tx).Append, "AppendBulk": (*boltstore.Tx).AppendBulk,
	} {
		t.Run(name, func(t *testing.T) {
			w := mustOpen(t, boltstore.Options{})
			seedPlant(t, w)
			id := file(t, w, filing("CUT1", "P-1", "dent"))
			ack := record(t, w, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "eng1"})
			var all []boltstore.LoggedEvent
			_ = w.View(func(tx *boltstore.Tx) (err error) { all, _, err = tx.LogAfter(0, 1000); return err })

			r := mustOpen(t, boltstore.Options{})
			err := r.Update(func(tx *boltstore.Tx) error {
				for i := range all {
					if _, err := appendFn(tx, &all[i].Event); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			msg := record(t, r, engineer, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "on it"})
			if len(msg.Parents) != 1 || msg.Parents[0] != ack.ID {
				t.Fatalf("parents = %v, want the acknowledgement %s", msg.Parents, ack.ID)
			}
			if err := r.CatchUp(); err != nil {
				t.Fatal(err)
			}
			st := complaint(t, r, id)
			if st.Complaint.Status != domain.StatusAcknowledged || len(st.Complaint.Messages) != 1 || st.Meta.Events != 3 {
				t.Fatalf("after catch-up: %+v", st.Complaint)
			}
		})
	}
}

// A log pulled in bulk (AppendBulk, in several transactions) folds into
// the projections of a store that ingested each event as it came; before
// the fold, a timeline already shows every logged event of its complaint.
func TestBulkAppendedLogFoldsAsIngested(t *testing.T) {
	s, _, _ := plantWithComplaints(t, 30)
	id := file(t, s, filing("CUT1", "P-9", "burrs"))
	record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "eng1"})
	record(t, s, engineer, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "sorting the lot"})
	var all []boltstore.LoggedEvent
	_ = s.View(func(tx *boltstore.Tx) (err error) { all, _, err = tx.LogAfter(0, 10_000); return err })

	for name, fold := range map[string]func(*boltstore.Store) error{"Project": (*boltstore.Store).CatchUp, "Rebuild": (*boltstore.Store).Rebuild} {
		t.Run(name, func(t *testing.T) {
			r := mustOpen(t, boltstore.Options{})
			for part := range slices.Chunk(all, 25) {
				err := r.Update(func(tx *boltstore.Tx) error {
					for i := range part {
						if _, err := tx.AppendBulk(&part[i].Event); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			_ = r.View(func(tx *boltstore.Tx) error {
				if tl, err := tx.Timeline(id); err != nil || len(tl) != 3 {
					t.Fatalf("timeline before the fold: %d events, %v; want 3", len(tl), err)
				}
				return nil
			})
			if err := fold(r); err != nil {
				t.Fatal(err)
			}
			if statesHash(t, r) != statesHash(t, s) {
				t.Fatal("the projections of the log pulled in bulk differ from the ingested ones")
			}
		})
	}
}

// Rebuild gives the projections of folding every event as it came.
func TestRebuildEqualsIncrementalProjection(t *testing.T) {
	s, _, ids := plantWithComplaints(t, 30)
	before := map[string]string{}
	for _, id := range ids {
		b, _ := json.Marshal(complaint(t, s, id))
		before[id] = string(b)
	}
	if err := s.Rebuild(); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if b, _ := json.Marshal(complaint(t, s, id)); string(b) != before[id] {
			t.Fatalf("%s differs after rebuild", id)
		}
	}
	if got := pages(t, s, boltstore.ComplaintFilter{Assignee: "eng1"}); len(got) != 10 {
		t.Fatalf("assignee index after rebuild: %d rows", len(got))
	}
}

// The complainant is the filing station: an operator of another station
// may not choose the solution of its complaint.
func TestOnlyTheFilingStationActsAsComplainant(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	if _, err := s.Record(admin,
		boltstore.Command{Type: domain.UserRegistered, EntityID: "op.press", Payload: &domain.UserPayload{DisplayName: "Op Press", Role: domain.RoleOperator, Station: "PRESS2"}},
		boltstore.Command{Type: domain.UserRegistered, EntityID: "op.paint", Payload: &domain.UserPayload{DisplayName: "Op Paint", Role: domain.RoleOperator, Station: "PAINT"}},
	); err != nil {
		t.Fatal(err)
	}
	id := file(t, s, filing("CUT1", "P-1", "dent")) // filed at PRESS2
	record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "eng1"})
	record(t, s, engineer, domain.ComplaintAnalysisRecorded, id, &domain.AnalysisPayload{RootCause: ptr("worn die")})
	record(t, s, engineer, domain.ComplaintSolutionProposed, id, &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{{ID: "a", Text: "new die"}}})

	choose := boltstore.Command{Type: domain.ComplaintSolutionChosen, EntityID: id, Payload: &domain.ChooseSolutionPayload{SolutionID: "a"}}
	_, err := s.Record(boltstore.Actor{Login: "op.paint", Role: domain.RoleOperator}, choose)
	if de := domain.AsError(err); de.Code != domain.EForbidden || de.Rule != "complaint.complainant" {
		t.Fatalf("operator of another station: err = %v", err)
	}
	if _, err := s.Record(boltstore.Actor{Login: "op.press", Role: domain.RoleOperator}, choose); err != nil {
		t.Fatalf("operator of the filing station: %v", err)
	}
}
