package pgstore

import (
	"context"
	"sync/atomic"
	"testing"

	"boucle/internal/pgtest"
	"boucle/shared/syncproto"

	"github.com/jackc/pgx/v5"
)

// A push whose connection is killed half-way through copying its events
// leaves nothing behind: no event, no mark, the log's length unchanged;
// its retry stores it whole.
func TestPushCutMidCopyIsWhollyAbsentThenRetried(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newPlant(t, s, "north")
	ws := &replica{id: "ws-1"}
	mustAppend(t, p, ws.next(10)) // a log that was there before
	admin := adminConn(t)
	batch := ws.next(flushEvery)
	var killed atomic.Bool // the hook runs on pgx's copying goroutine
	s.copyHook = func(pid uint32, n int) {
		if n != flushEvery/2 || killed.Swap(true) {
			return
		}
		var ok bool // waits until the backend is gone
		if err := admin.QueryRow(ctx, "SELECT pg_terminate_backend($1, 60000)", int32(pid)).Scan(&ok); err != nil || !ok {
			t.Errorf("terminating the push's backend: %v, %v", ok, err)
		}
	}
	if _, err := p.Append(ctx, batch); err == nil || !killed.Load() {
		t.Fatalf("push with its connection killed mid-copy: %v (killed %v), want an error", err, killed.Load())
	}
	s.copyHook = nil
	assertLog(t, s, p, 10, 10)
	for _, r := range mustAppend(t, p, batch) {
		if r.Result != syncproto.Accepted {
			t.Fatalf("retried event %s: %s, want accepted", r.ID, r.Result)
		}
	}
	assertLog(t, s, p, 10+flushEvery, 10+flushEvery)
}

// A push whose connection is killed after its events are copied, before
// it commits, leaves nothing either.
func TestPushCutBeforeCommitIsWhollyAbsent(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newPlant(t, s, "north")
	ws := &replica{id: "ws-1"}
	batch := ws.next(300)
	admin := adminConn(t)
	err := p.Update(ctx, func(tx *Tx) error {
		for i := range batch {
			if err := tx.AppendNew(&batch[i], nil); err != nil {
				return err
			}
		}
		if err := tx.flush(); err != nil {
			return err
		}
		_, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1, 60000)", int32(tx.tx.Conn().PgConn().PID()))
		return err // nil: Update goes on to commit on a dead connection
	})
	if err == nil {
		t.Fatal("a push whose connection died before its commit reports success")
	}
	assertLog(t, s, p, 0, 0)
	mustAppend(t, p, batch)
	assertLog(t, s, p, 300, 300)
}

// assertLog checks the plant's length, its rows and its replica's mark.
func assertLog(t *testing.T, s *Store, p *Plant, logLen uint64, mark uint64) {
	t.Helper()
	ctx := context.Background()
	var rows int
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM events WHERE plant = $1", p.ID()).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	n, err := p.LogLen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	marks, err := p.ReplicaSeqs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != logLen || uint64(rows) != logLen || marks["ws-1"] != mark {
		t.Fatalf("log length %d, %d rows, mark %d; want %d, %d, %d", n, rows, marks["ws-1"], logLen, logLen, mark)
	}
	if got := readAll(t, p, 1000); uint64(len(got)) != logLen {
		t.Fatalf("%d events read, want %d", len(got), logLen)
	}
}

// adminConn is a superuser connection to the test server, apart from the
// store's pool.
func adminConn(t *testing.T) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), pgtest.Server(t).AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}
