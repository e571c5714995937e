package pgstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Many workstations push while others pull, each puller moving its cursor
// to the last position it read: when the pushes are over and every puller
// has read to the end, each has every pushed event exactly once. A log
// whose positions came from a sequence would let a puller move past an
// event still uncommitted and never see it (see
// TestASequenceAloneSkipsAnEvent).
//
// Two stores share the database, as two server instances would: each push
// and each page goes to one of them at random.
func TestCursorNeverSkipsACommittedEvent(t *testing.T) {
	ctx := context.Background()
	stores := newStores(t, 2)
	newPlant(t, stores[0], "north")
	instance := func(rng *rand.Rand) *Plant { return stores[rng.IntN(len(stores))].Plant("north") }
	const pushers, pullers, pushes = 6, 4, 12
	var pushed sync.Map // uuid.UUID → true
	var total int
	var totalMu sync.Mutex
	errs := make(chan error, pushers+pullers)
	var pushing sync.WaitGroup
	for w := range pushers {
		pushing.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			ws := &replica{id: fmt.Sprintf("ws-%d", w)}
			for range pushes {
				events := ws.next(1 + rng.IntN(60))
				res, err := instance(rng).Append(ctx, events)
				if err != nil {
					errs <- err
					return
				}
				for _, r := range res {
					if r.Result != syncproto.Accepted {
						errs <- fmt.Errorf("event %s: %s", r.ID, r.Result)
						return
					}
					pushed.Store(r.ID, true)
				}
				totalMu.Lock()
				total += len(events)
				totalMu.Unlock()
			}
		})
	}
	done := make(chan struct{})
	seen := make([]map[uuid.UUID]int, pullers)
	var pulling sync.WaitGroup
	for r := range pullers {
		seen[r] = map[uuid.UUID]int{}
		pulling.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 11))
			var cursor uint64
			for {
				// Whether the pushes were over before this read: if so, a
				// read that reaches the end has read everything.
				finished := false
				select {
				case <-done:
					finished = true
				default:
				}
				last, more, err := instance(rng).LogRaw(ctx, cursor, 1+rng.IntN(80), func(pos uint64, raw []byte) error {
					e, err := domain.DecodeEvent(raw)
					seen[r][e.ID]++
					return err
				})
				if err != nil {
					errs <- err
					return
				}
				cursor = last
				if finished && !more {
					return
				}
			}
		})
	}
	pushing.Wait()
	close(done)
	pulling.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for r, got := range seen {
		if len(got) != total {
			t.Errorf("puller %d saw %d distinct events, want %d", r, len(got), total)
		}
		for id, n := range got {
			if _, ok := pushed.Load(id); !ok || n != 1 {
				t.Errorf("puller %d saw event %s %d times (pushed: %v)", r, id, n, ok)
			}
		}
	}
}

// The schedule that makes a sequence skip, played on the log: a push
// holds positions not yet committed, a second push waits for it, and a
// puller meanwhile reads nothing; once both commit it reads the first
// push's events, then the second's.
func TestAPullerDoesNotPassAnUncommittedPush(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newPlant(t, s, "north")
	first, second := (&replica{id: "ws-1"}).next(3), (&replica{id: "ws-2"}).next(2)
	holding, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- p.Update(ctx, func(tx *Tx) error {
			for i := range first {
				if err := tx.AppendNew(&first[i], nil); err != nil {
					return err
				}
			}
			if err := tx.flush(); err != nil { // the rows are in the table, uncommitted
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	secondDone := make(chan error, 1)
	go func() { _, err := p.Append(ctx, second); secondDone <- err }()
	waitForLockWaiters(t, s.pool, 1)
	last, _, err := p.LogRaw(ctx, 0, 100, func(pos uint64, _ []byte) error {
		return fmt.Errorf("read position %d while its push is uncommitted", pos)
	})
	if err != nil || last != 0 {
		t.Fatalf("read during the first push: cursor %d, %v; want 0", last, err)
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}
	got := ids(readAll(t, p, 100))
	want := append(ids(first), ids(second)...)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("read %v, want the first push then the second %v", got, want)
	}
}

// The hazard the log's lock removes, shown on a table whose positions
// come from a sequence: the second insert commits first, a reader moves
// its cursor to it, and the first insert, committed next, is never read.
func TestASequenceAloneSkipsAnEvent(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	if _, err := pool.Exec(ctx, "CREATE TABLE naive (pos bigserial PRIMARY KEY, what text)"); err != nil {
		t.Fatal(err)
	}
	t1, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer t1.Rollback(ctx)
	if _, err := t1.Exec(ctx, "INSERT INTO naive (what) VALUES ('first')"); err != nil { // takes position 1
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "INSERT INTO naive (what) VALUES ('second')"); err != nil { // position 2, committed
		t.Fatal(err)
	}
	var cursor int64
	if err := pool.QueryRow(ctx, "SELECT coalesce(max(pos), 0) FROM naive WHERE pos > 0").Scan(&cursor); err != nil {
		t.Fatal(err)
	}
	if err := t1.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM naive WHERE pos > $1", cursor).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if cursor != 2 || after != 0 {
		t.Fatalf("cursor %d then %d rows after it: the schedule did not skip", cursor, after)
	}
}

// waitForLockWaiters returns once n sessions of the test's database wait
// for a lock: an observed state, not a sleep.
func waitForLockWaiters(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	for {
		var waiting int
		err := pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return
		}
	}
}
