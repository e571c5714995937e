package domain_test

import (
	"encoding/binary"
	"fmt"
	gosync "sync"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// history builds the log of n complaint cases as a plant would record
// them, ten events per case: a complaint filed at a station, acknowledged,
// analysed, answered with two options, one chosen, a corrective action
// linked, assigned and completed, the complaint resolved and verified.
// Operators write from their station's replica, engineers from three
// quality desks; the log is in recording order (step by step across all
// cases), each event naming the entity's previous event as parent.
func history(tb testing.TB, n int) []domain.Event {
	type author struct {
		replica, login string
		role           domain.Role
	}
	const stations = 20
	seqs := map[string]uint64{}
	events := make([]domain.Event, 0, 10*n)
	last := make(map[domain.EntityKey]uuid.UUID, 2*n)
	start := epoch.UnixMilli()
	tick := int64(0)
	add := func(a author, t domain.EventType, id string, p domain.Payload) {
		e, err := domain.NewEvent(t, id, p)
		if err != nil {
			tb.Fatal(err)
		}
		tick++
		e.HLC = hlc.New(start+tick, 0)
		e.ID = fixedV7(start+tick, uint64(tick))
		seqs[a.replica]++
		e.Replica, e.Seq, e.Author, e.Role = a.replica, seqs[a.replica], a.login, a.role
		if p, ok := last[e.Key()]; ok {
			e.Parents = []uuid.UUID{p}
		}
		last[e.Key()] = e.ID
		events = append(events, e)
	}
	station := func(i int) string { return fmt.Sprintf("ST%02d", i%stations) }
	operator := func(i int) author {
		return author{replica: "ws-" + station(i), login: fmt.Sprintf("op%02d", i%stations), role: domain.RoleOperator}
	}
	engineer := func(i int) author {
		return author{replica: fmt.Sprintf("qa-%d", i%3), login: fmt.Sprintf("eng%d", i%3), role: domain.RoleEngineer}
	}
	cid := func(i int) string { return fmt.Sprintf("c%06d", i) }
	aid := func(i int) string { return fmt.Sprintf("a%06d", i) }
	steps := []func(i int){
		func(i int) {
			add(operator(i), domain.ComplaintFiled, cid(i), &domain.ComplaintFiledPayload{
				Number: fmt.Sprintf("%s-2026-%04d", station(i), i/stations+1), FilingStation: station(i), SupplierStation: station(i + 1),
				PartRef: fmt.Sprintf("BRK-%04d", i%997), Lot: fmt.Sprintf("L%05d", i%5003), Quantity: 1 + i%250,
				Category: domain.DefaultCategories[i%len(domain.DefaultCategories)].Code, Severity: domain.Severities[i%3],
				Kind: domain.KindComplaint, Description: "Parts received with burrs on the inner edge; about one in ten affected, found at incoming inspection.",
			})
		},
		func(i int) {
			add(engineer(i), domain.ComplaintAcknowledged, cid(i), &domain.AcknowledgePayload{
				Deadline: epoch.Add(time.Duration(48+i%100) * time.Hour), Assignee: engineer(i).login})
		},
		func(i int) {
			add(engineer(i), domain.ComplaintAnalysisRecorded, cid(i), &domain.AnalysisPayload{
				Containment: ptr("Lot quarantined, 100% sorting at the supplier station"),
				Whys:        &[]string{"Burrs on edge", "Worn punch", "Punch change interval exceeded"},
				Ishikawa:    ptr(domain.IshikawaMachine), RootCause: ptr("Punch changed every 80k strokes instead of 50k")})
		},
		func(i int) {
			add(engineer(i), domain.ComplaintSolutionProposed, cid(i), &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{
				{ID: "rework", Text: "Deburr the affected lot at the supplier station"}, {ID: "replace", Text: "Replace the lot from stock"}}})
		},
		func(i int) {
			add(operator(i), domain.ComplaintSolutionChosen, cid(i), &domain.ChooseSolutionPayload{SolutionID: "rework"})
		},
		func(i int) {
			add(engineer(i), domain.ActionAssigned, aid(i), &domain.ActionAssignedPayload{Kind: domain.ActionCorrective,
				Title: "Enforce the 50k punch change", Owner: engineer(i).login, Due: epoch.Add(10 * 24 * time.Hour), ComplaintID: cid(i)})
		},
		func(i int) {
			add(engineer(i), domain.ComplaintActionLinked, cid(i), &domain.LinkActionPayload{ActionID: aid(i),
				Kind: domain.ActionCorrective, Title: "Enforce the 50k punch change"})
		},
		func(i int) {
			add(engineer(i), domain.ActionCompleted, aid(i), &domain.NotePayload{Note: "Counter added to the press"})
		},
		func(i int) {
			add(engineer(i), domain.ComplaintResolved, cid(i), &domain.ResolvePayload{Summary: "Lot deburred, punch change enforced"})
		},
		func(i int) {
			add(operator(i), domain.ComplaintVerified, cid(i), &domain.VerifyPayload{Rating: 1 + i%5, Comment: "OK"})
		},
	}
	for _, step := range steps {
		for i := range n {
			step(i)
		}
	}
	return events
}

// TestHistoryIsRealistic checks that the benchmark's log is one the domain
// accepts: every complaint closes, every action is done, nothing flagged.
func TestHistoryIsRealistic(t *testing.T) {
	events := history(t, 300)
	for i := range events {
		if err := domain.Validate(&events[i]); err != nil {
			t.Fatalf("event %d (%s): %v", i, events[i].Type, err)
		}
	}
	states, unknown := domain.Fold(events)
	if len(unknown) != 0 || len(states) != 600 {
		t.Fatalf("%d states, %d unknown", len(states), len(unknown))
	}
	for k, s := range states {
		if len(s.Meta.Flags) > 0 || len(s.Meta.Conflicts) > 0 {
			t.Fatalf("%s: flags %+v conflicts %+v", k, s.Meta.Flags, s.Meta.Conflicts)
		}
		switch {
		case s.Complaint != nil && s.Complaint.Status != domain.StatusClosed,
			s.Action != nil && s.Action.Status != domain.ActionStatusDone:
			t.Fatalf("%s did not reach its end: %+v %+v", k, s.Complaint, s.Action)
		}
	}
}

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

var (
	millionOnce   gosync.Once
	millionEvents []domain.Event
)

// BenchmarkFold1M folds one million events (100k complaint cases, 200k
// entities) from scratch, as a workstation does when it rebuilds its
// projections. Target: ≤ 3 s per op on a 2-core machine.
func BenchmarkFold1M(b *testing.B) {
	millionOnce.Do(func() { millionEvents = history(b, 100_000) })
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		states, _ := domain.Fold(millionEvents)
		if len(states) != 200_000 {
			b.Fatalf("%d states", len(states))
		}
	}
	if cpu > 0 {
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkEncodeEvent(b *testing.B) {
	e := history(b, 1)[0] // the complaint filing: the largest payload
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	b.SetBytes(int64(len(domain.EncodeEvent(&e))))
	for b.Loop() {
		buf = domain.AppendEvent(buf[:0], &e)
	}
}

func BenchmarkDecodeEvent(b *testing.B) {
	e := history(b, 1)[0]
	raw := domain.EncodeEvent(&e)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := domain.DecodeEvent(raw); err != nil {
			b.Fatal(err)
		}
	}
}
