package pgstore

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"boucle/internal/pgtest"
	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/google/uuid"
)

// Appended events are read back in the order of the pushes, page by page,
// with positions 1, 2, 3...
func TestAppendThenReadFromACursor(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	ws1, ws2 := &replica{id: "ws-1"}, &replica{id: "ws-2"}
	var want []uuid.UUID
	for _, batch := range [][]domain.Event{ws1.next(5), ws2.next(3), ws1.next(4)} {
		for _, r := range mustAppend(t, p, batch) {
			if r.Result != syncproto.Accepted {
				t.Fatalf("new event %s: %s, want accepted", r.ID, r.Result)
			}
			want = append(want, r.ID)
		}
	}
	got := readAll(t, p, 5)
	if !slices.Equal(ids(got), want) {
		t.Fatalf("read back %v\nwant %v", ids(got), want)
	}
	if n, err := p.LogLen(ctx); err != nil || n != 12 {
		t.Fatalf("LogLen %d, %v; want 12", n, err)
	}
	marks, err := p.ReplicaSeqs(ctx)
	if err != nil || marks["ws-1"] != 9 || marks["ws-2"] != 3 || len(marks) != 2 {
		t.Fatalf("replica marks %v, %v; want ws-1 9, ws-2 3", marks, err)
	}
	last, more, err := p.LogRaw(ctx, 12, 5, func(uint64, []byte) error { t.Fatal("an event past the end"); return nil })
	if err != nil || last != 12 || more {
		t.Fatalf("read past the end: last %d, more %v, %v", last, more, err)
	}
	last, more, err = p.LogRaw(ctx, 4, 8, func(uint64, []byte) error { return nil })
	if err != nil || last != 12 || more {
		t.Fatalf("read of exactly what is left: last %d, more %v, %v; want 12, no more", last, more, err)
	}
	if _, _, err := p.LogRaw(ctx, 0, 0, func(uint64, []byte) error { return nil }); domain.AsError(err).Field != "limit" {
		t.Fatalf("read of 0 events: %v, want an error naming the limit", err)
	}
}

// An event already stored is acknowledged as a duplicate, not stored
// again, in a retried push, in a push that overlaps, and twice in one push.
func TestAppendIsIdempotent(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	ws := &replica{id: "ws-1"}
	first := ws.next(10)
	mustAppend(t, p, first)
	for _, r := range mustAppend(t, p, first) {
		if r.Result != syncproto.Duplicate {
			t.Fatalf("retried event %s: %s, want duplicate", r.ID, r.Result)
		}
	}
	overlap := append(slices.Clone(first[5:]), ws.next(5)...)
	overlap = append(overlap, overlap[7]) // the same new event twice
	res := mustAppend(t, p, overlap)
	for i, r := range res {
		want := syncproto.Accepted
		if i < 5 || i == len(res)-1 {
			want = syncproto.Duplicate
		}
		if r.Result != want {
			t.Fatalf("event %d of the overlapping push: %s, want %s", i, r.Result, want)
		}
	}
	if n, _ := p.LogLen(ctx); n != 15 {
		t.Fatalf("LogLen %d, want 15", n)
	}
	if got := readAll(t, p, 100); len(got) != 15 {
		t.Fatalf("%d events in the log, want 15", len(got))
	}
}

// A batch whose ids span many events of the log (a workstation re-sending
// old events with new ones) is looked up id by id, with the same answers.
func TestLookUpAcrossAWideRangeOfIds(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	ws, other := &replica{id: "ws-1"}, &replica{id: "ws-2"}
	old := ws.next(1)
	mustAppend(t, p, old)
	mustAppend(t, p, other.next(300))            // between ws-1's old and new ids
	refused := (&replica{id: "ws-1"}).next(1)[0] // seq 1 again: refused
	mustAppend(t, p, []domain.Event{refused})
	batch := append([]domain.Event{old[0], refused}, ws.next(2)...)
	res := mustAppend(t, p, batch)
	want := []syncproto.Result{syncproto.Duplicate, syncproto.Rejected, syncproto.Accepted, syncproto.Accepted}
	for i, r := range res {
		if r.Result != want[i] {
			t.Fatalf("event %d: %s, want %s", i, r.Result, want[i])
		}
	}
	if n, _ := p.LogLen(ctx); n != 303 {
		t.Fatalf("LogLen %d, want 303", n)
	}
}

// A push that skips a sequence number is refused whole with a gap naming
// the expected number; nothing of it is written.
func TestGapRefusesTheWholePush(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	ws := &replica{id: "ws-1"}
	mustAppend(t, p, ws.next(3))
	next := ws.next(4) // 4, 5, 6, 7
	_, err := p.Append(ctx, []domain.Event{next[0], next[1], next[3]})
	var gap *GapError
	if !errors.As(err, &gap) || gap.Expected != 6 || gap.Got != 7 || gap.Replica != "ws-1" {
		t.Fatalf("push skipping 6: %v, want a gap expecting 6, got 7", err)
	}
	if domain.ErrorCode(err) != domain.ESequenceGap {
		t.Fatalf("code %s, want %s", domain.ErrorCode(err), domain.ESequenceGap)
	}
	if n, _ := p.LogLen(ctx); n != 3 {
		t.Fatalf("LogLen %d after the refused push, want 3", n)
	}
	if marks, _ := p.ReplicaSeqs(ctx); marks["ws-1"] != 3 {
		t.Fatalf("mark %d after the refused push, want 3", marks["ws-1"])
	}
	for _, r := range mustAppend(t, p, next) { // the replica re-sends from its mark
		if r.Result != syncproto.Accepted {
			t.Fatalf("re-sent event %s: %s", r.ID, r.Result)
		}
	}
}

// A sequence number used by another event refuses that event for good,
// kept apart from the log; a retry gets the same refusal, and the
// replica's next number is still accepted.
func TestSequenceReusedIsRefusedForGood(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	ws := &replica{id: "ws-1"}
	mustAppend(t, p, ws.next(3))
	impostor := (&replica{id: "ws-1", seq: 1}).next(1)[0] // seq 2, another event
	for range 2 {
		r := mustAppend(t, p, []domain.Event{impostor})[0]
		if r.Result != syncproto.Rejected || r.Code != domain.EConflict || !strings.HasPrefix(r.Reason, "sync.sequence_reused: ") {
			t.Fatalf("event reusing seq 2: %+v, want rejected, conflict, sync.sequence_reused", r)
		}
	}
	err := p.Update(ctx, func(tx *Tx) error {
		r, ok := tx.Rejection(impostor.ID)
		if !ok || r.Code != domain.EConflict || r.Entity != impostor.Key() || r.Type != impostor.Type || !r.Rejected.Equal(testNow) {
			t.Fatalf("kept refusal %+v, %v", r, ok)
		}
		if tx.HasEvent(impostor.ID) {
			t.Fatal("the refused event is in the log")
		}
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := mustAppend(t, p, ws.next(1))[0]; r.Result != syncproto.Accepted {
		t.Fatalf("seq 4 after the refusal: %s", r.Result)
	}
}

// A replica's mark moves only over contiguous numbers: an event past a
// hole (stored by an older server) leaves it, and the replica's own push
// of the missing event, then of the held one as a duplicate, closes it.
func TestDuplicatesCloseAHoleInTheMark(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	events := (&replica{id: "ws-1"}).next(3)
	err := p.Update(ctx, func(tx *Tx) error {
		return errors.Join(tx.AppendNew(&events[0], nil), tx.AppendNew(&events[2], nil))
	})
	if err != nil {
		t.Fatal(err)
	}
	if marks, _ := p.ReplicaSeqs(ctx); marks["ws-1"] != 1 {
		t.Fatalf("mark %d with 2 missing, want 1", marks["ws-1"])
	}
	res := mustAppend(t, p, events[1:])
	if res[0].Result != syncproto.Accepted || res[1].Result != syncproto.Duplicate {
		t.Fatalf("results %v, want accepted then duplicate", res)
	}
	if marks, _ := p.ReplicaSeqs(ctx); marks["ws-1"] != 3 {
		t.Fatalf("mark %d after the hole closed, want 3", marks["ws-1"])
	}
}

// A plant's log, positions and marks are its own: another plant's events
// never appear in its reads, even with the same replica and event ids.
func TestPlantsAreIsolated(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	north, south := newPlant(t, s, "north"), newPlant(t, s, "south")
	wsNorth, wsSouth := &replica{id: "ws-1"}, &replica{id: "ws-1"}
	northEvents := wsNorth.next(10)
	mustAppend(t, north, northEvents[:6])
	southEvents := wsSouth.next(4)
	mustAppend(t, south, southEvents)
	mustAppend(t, north, northEvents[6:])
	if got := ids(readAll(t, north, 3)); !slices.Equal(got, ids(northEvents)) {
		t.Fatalf("north reads %v", got)
	}
	if got := ids(readAll(t, south, 3)); !slices.Equal(got, ids(southEvents)) {
		t.Fatalf("south reads %v", got)
	}
	// North's events pushed to south are new there, at south's positions.
	for _, r := range mustAppend(t, south, northEvents[4:]) {
		if r.Result != syncproto.Accepted {
			t.Fatalf("north's event in south: %+v, want accepted", r)
		}
	}
	if n, _ := south.LogLen(ctx); n != 10 {
		t.Fatalf("south's LogLen %d, want 4 + 6", n)
	}
	if n, _ := north.LogLen(ctx); n != 10 {
		t.Fatalf("north's LogLen %d, want 10", n)
	}
	for _, e := range readAll(t, south, 4)[4:] {
		if !slices.Contains(ids(northEvents), e.ID) {
			t.Fatalf("south holds %s", e.ID)
		}
	}
	if _, err := s.Plant("east").Append(ctx, wsNorth.next(1)); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("push to a plant that does not exist: %v, want not found", err)
	}
	if _, err := s.CreatePlant(ctx, "North Plant"); domain.AsError(err).Field != "plant" {
		t.Fatalf("bad plant id: %v, want an error naming the plant field", err)
	}
}

func ids(events []domain.Event) []uuid.UUID {
	out := make([]uuid.UUID, len(events))
	for i := range events {
		out[i] = events[i].ID
	}
	return out
}

// Pulls read the same bytes when the URL asks for the simple protocol,
// whose rows come as text.
func TestReadOverTheSimpleProtocol(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	events := (&replica{id: "ws-1"}).next(7)
	mustAppend(t, newPlant(t, s, "north"), events)
	simple, err := Open(ctx, url+"&default_query_exec_mode=simple_protocol")
	if err != nil {
		t.Fatal(err)
	}
	defer simple.Close()
	got := readAll(t, simple.Plant("north"), 3)
	for i := range events {
		if !bytes.Equal(domain.EncodeEvent(&got[i]), domain.EncodeEvent(&events[i])) {
			t.Fatalf("event %d read over the simple protocol differs", i)
		}
	}
}
