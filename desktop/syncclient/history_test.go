package syncclient_test

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// historyStart is when the simulated plant's history begins.
var historyStart = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// history builds the log of n complaint cases, ten events per case, as
// shared/domain's fold benchmark does (the same shape, so the figures
// compare): filed at one of 20 stations, acknowledged, analysed, two
// solutions proposed, one chosen, a corrective action assigned, linked
// and completed, the complaint resolved and verified. Operators write
// from their station's replica, engineers from three quality desks; the
// reference data (stations, users) comes first, from the server's replica.
func history(tb testing.TB, n int) []domain.Event {
	h := &historyBuilder{tb: tb, seqs: map[string]uint64{}, last: make(map[domain.EntityKey]uuid.UUID, 2*n), events: make([]domain.Event, 0, 10*n+40)}
	h.reference()
	for _, step := range h.steps() {
		for i := range n {
			step(i)
		}
	}
	return h.events
}

const historyStations = 20

type historyAuthor struct {
	replica, login string
	role           domain.Role
}

type historyBuilder struct {
	tb     testing.TB
	seqs   map[string]uint64
	last   map[domain.EntityKey]uuid.UUID
	events []domain.Event
	tick   int64
}

func (h *historyBuilder) add(a historyAuthor, t domain.EventType, id string, p domain.Payload) {
	e, err := domain.NewEvent(t, id, p)
	if err != nil {
		h.tb.Fatal(err)
	}
	h.tick++
	ms := historyStart.UnixMilli() + h.tick
	e.HLC = hlc.New(ms, 0)
	e.ID = fixedV7(ms, uint64(h.tick))
	h.seqs[a.replica]++
	e.Replica, e.Seq, e.Author, e.Role = a.replica, h.seqs[a.replica], a.login, a.role
	if p, ok := h.last[e.Key()]; ok {
		e.Parents = []uuid.UUID{p}
	}
	h.last[e.Key()] = e.ID
	h.events = append(h.events, e)
}

func historyStation(i int) string { return fmt.Sprintf("ST%02d", i%historyStations) }

func historyOperator(i int) historyAuthor {
	return historyAuthor{replica: "ws-" + historyStation(i), login: fmt.Sprintf("op%02d", i%historyStations), role: domain.RoleOperator}
}

func historyEngineer(i int) historyAuthor {
	return historyAuthor{replica: fmt.Sprintf("qa-%d", i%3), login: fmt.Sprintf("eng%d", i%3), role: domain.RoleEngineer}
}

// reference defines the stations and users the cases name.
func (h *historyBuilder) reference() {
	srv := historyAuthor{replica: "history-server", login: "admin", role: domain.RoleAdmin}
	for i := range historyStations {
		h.add(srv, domain.StationDefined, historyStation(i), &domain.StationPayload{Name: "Station " + historyStation(i)})
		op := historyOperator(i)
		h.add(srv, domain.UserRegistered, op.login, &domain.UserPayload{DisplayName: op.login, Role: op.role, Station: historyStation(i)})
	}
	for i := range 3 {
		eng := historyEngineer(i)
		h.add(srv, domain.UserRegistered, eng.login, &domain.UserPayload{DisplayName: eng.login, Role: eng.role})
	}
}

func (h *historyBuilder) steps() []func(i int) {
	cid := func(i int) string { return fmt.Sprintf("c%07d", i) }
	aid := func(i int) string { return fmt.Sprintf("a%07d", i) }
	due := historyStart.Add(10 * 24 * time.Hour)
	return []func(i int){
		func(i int) {
			h.add(historyOperator(i), domain.ComplaintFiled, cid(i), &domain.ComplaintFiledPayload{
				Number: fmt.Sprintf("%s-2026-%05d", historyStation(i), i/historyStations+1), FilingStation: historyStation(i), SupplierStation: historyStation(i + 1),
				PartRef: fmt.Sprintf("BRK-%04d", i%997), Lot: fmt.Sprintf("L%05d", i%5003), Quantity: 1 + i%250,
				Category: domain.DefaultCategories[i%len(domain.DefaultCategories)].Code, Severity: domain.Severities[i%3],
				Kind: domain.KindComplaint, Description: "Parts received with burrs on the inner edge; about one in ten affected, found at incoming inspection."})
		},
		func(i int) {
			h.add(historyEngineer(i), domain.ComplaintAcknowledged, cid(i), &domain.AcknowledgePayload{
				Deadline: historyStart.Add(time.Duration(48+i%100) * time.Hour), Assignee: historyEngineer(i).login})
		},
		func(i int) {
			h.add(historyEngineer(i), domain.ComplaintAnalysisRecorded, cid(i), &domain.AnalysisPayload{
				Containment: ptr("Lot quarantined, 100% sorting at the supplier station"),
				Whys:        &[]string{"Burrs on edge", "Worn punch", "Punch change interval exceeded"},
				Ishikawa:    ptr(domain.IshikawaMachine), RootCause: ptr("Punch changed every 80k strokes instead of 50k")})
		},
		func(i int) {
			h.add(historyEngineer(i), domain.ComplaintSolutionProposed, cid(i), &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{
				{ID: "rework", Text: "Deburr the affected lot at the supplier station"}, {ID: "replace", Text: "Replace the lot from stock"}}})
		},
		func(i int) {
			h.add(historyOperator(i), domain.ComplaintSolutionChosen, cid(i), &domain.ChooseSolutionPayload{SolutionID: "rework"})
		},
		func(i int) {
			h.add(historyEngineer(i), domain.ActionAssigned, aid(i), &domain.ActionAssignedPayload{Kind: domain.ActionCorrective,
				Title: "Enforce the 50k punch change", Owner: historyEngineer(i).login, Due: due, ComplaintID: cid(i)})
		},
		func(i int) {
			h.add(historyEngineer(i), domain.ComplaintActionLinked, cid(i), &domain.LinkActionPayload{ActionID: aid(i),
				Kind: domain.ActionCorrective, Title: "Enforce the 50k punch change"})
		},
		func(i int) {
			h.add(historyEngineer(i), domain.ActionCompleted, aid(i), &domain.NotePayload{Note: "Counter added to the press"})
		},
		func(i int) {
			h.add(historyEngineer(i), domain.ComplaintResolved, cid(i), &domain.ResolvePayload{Summary: "Lot deburred, punch change enforced"})
		},
		func(i int) {
			h.add(historyOperator(i), domain.ComplaintVerified, cid(i), &domain.VerifyPayload{Rating: 1 + i%5, Comment: "OK"})
		},
	}
}

func ptr[T any](v T) *T { return &v }

// fixedV7 returns a UUIDv7 for the millisecond ms whose random bits are
// n, so that a history is the same on every run.
func fixedV7(ms int64, n uint64) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], uint64(ms)<<16)
	binary.BigEndian.PutUint64(u[8:16], n)
	u[6] = 0x70 | u[6]&0x0f // version 7
	u[8] = 0x80 | u[8]&0x3f // RFC 4122 variant
	return u
}

// ingestAll writes events into a store in big transactions: fixture
// building only (open the store with NoSync).
func ingestAll(tb testing.TB, s *boltstore.Store, events []domain.Event) {
	tb.Helper()
	const chunk = 50_000
	for len(events) > 0 {
		n := min(chunk, len(events))
		if _, err := s.Ingest(events[:n]); err != nil {
			tb.Fatal(err)
		}
		events = events[n:]
	}
}

func TestHistoryFoldsCleanly(t *testing.T) {
	s := openStore(t, t.TempDir()+"/h.db", "")
	ingestAll(t, s, history(t, 50))
	_ = s.View(func(tx *boltstore.Tx) error {
		if n := tx.ConflictedEntities(); n != 0 {
			t.Fatalf("%d conflicted entities", n)
		}
		page, err := tx.ListComplaints(boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusClosed}, Limit: 100})
		if err != nil || len(page.Rows) != 50 {
			t.Fatalf("%d closed complaints, %v", len(page.Rows), err)
		}
		return nil
	})
}
