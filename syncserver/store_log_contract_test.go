package syncserver_test

import (
	"context"
	"fmt"
	"testing"

	"boucle/internal/pgtest"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/syncserver"
	"boucle/syncserver/pgstore"

	"github.com/google/uuid"
)

// The log's part of the storage port's contract, run on every adapter
// that has a log: the bbolt one, and PostgreSQL's (syncserver/pgstore),
// whose other ports are yet to come. When an adapter has every port, it
// joins storeAdapters and this table folds into storeContract.

// logTx is the log's port as push and pull use it (syncserver.LogAppend
// and LogRead), but Ingest, which folds reference data at once: the
// projections' work, which the PostgreSQL adapter does not do yet.
type logTx interface {
	LookUpEvents(ids []uuid.UUID) []boltstore.EventLookup
	HasEvent(id uuid.UUID) bool
	AppendNew(e *domain.Event, filing *boltstore.ComplaintFiling) error
	ReplicaSeq(replica string) uint64
	AdvanceReplica(replica string, seq uint64) error
	Rejection(id uuid.UUID) (boltstore.Rejection, bool)
	StoreRejection(e *domain.Event, code domain.Code, reason string) error
	ComplaintFiling(id string) (boltstore.ComplaintFiling, bool)
	ComplaintWithNumber(number string) (string, bool)
	syncserver.LogRead
}

// logStore runs log transactions.
type logStore struct {
	view, update func(ctx context.Context, fn func(logTx) error) error
}

var logAdapters = []struct {
	name string
	open func(t *testing.T) logStore
}{
	{"bbolt", openBoltLog},
	{"postgres", openPostgresLog},
}

func openBoltLog(t *testing.T) logStore {
	s := openBoltAccess(t)
	return logStore{
		view: func(ctx context.Context, fn func(logTx) error) error {
			return s.ViewLog(ctx, func(t syncserver.LogTx) error { return fn(t) })
		},
		update: func(ctx context.Context, fn func(logTx) error) error {
			return s.UpdateLog(ctx, func(t syncserver.LogTx) error { return fn(t) })
		},
	}
}

// openPostgresLog opens one plant's log in a database of the test's own,
// on the PostgreSQL the test binary started (pgtest).
func openPostgresLog(t *testing.T) logStore {
	s, err := pgstore.Open(ctx, pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if _, err := s.CreatePlant(ctx, "plant-1"); err != nil {
		t.Fatal(err)
	}
	p := s.Plant("plant-1")
	return logStore{
		view: func(ctx context.Context, fn func(logTx) error) error {
			return p.View(ctx, func(t *pgstore.Tx) error { return fn(t) })
		},
		update: func(ctx context.Context, fn func(logTx) error) error {
			return p.Update(ctx, func(t *pgstore.Tx) error { return fn(t) })
		},
	}
}

var logContract = []struct {
	name string
	run  func(t *testing.T, s logStore)
}{
	{"AppendedEventsArePulledInCommitOrder", logAppendThenPull},
	{"ADuplicateIsFoundNotAppended", logDuplicate},
	{"ARefusalIsKeptNeverPulled", logRefusal},
	{"FilingsAreUnique", logFilings},
}

func TestStoreLogContract(t *testing.T) {
	for _, a := range logAdapters {
		t.Run(a.name, func(t *testing.T) {
			for _, c := range logContract {
				t.Run(c.name, func(t *testing.T) { c.run(t, a.open(t)) })
			}
		})
	}
}

// workstationEvents are n events of replica ws-1 from sequence from:
// notes on actions, signed, as a push brings them.
func workstationEvents(t *testing.T, from uint64, n int) []domain.Event {
	t.Helper()
	out := make([]domain.Event, n)
	for i := range out {
		seq := from + uint64(i)
		e, err := domain.NewEvent(domain.ActionCompleted, fmt.Sprintf("a%06d", seq),
			&domain.NotePayload{Note: fmt.Sprintf("Lot L%05d sorted: burrs on the inner edge.", seq)})
		if err != nil {
			t.Fatal(err)
		}
		e.ID = uuid.Must(uuid.NewV7())
		e.HLC = hlc.New(1_780_000_000_000+int64(seq), 0)
		e.Replica, e.Seq, e.Author, e.Role = "ws-1", seq, "op1", domain.RoleOperator
		e.Sig = domain.Signature{Kid: "k1"}
		out[i] = e
	}
	return out
}

func logUpdate(t *testing.T, s logStore, fn func(logTx) error) {
	t.Helper()
	if err := s.update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func logView(t *testing.T, s logStore, fn func(logTx) error) {
	t.Helper()
	if err := s.view(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// pullLog reads the log after pos, page by page, checking that positions
// follow each other.
func pullLog(t *testing.T, s logStore, pos uint64, page int) []domain.Event {
	t.Helper()
	var out []domain.Event
	start := pos
	for more := true; more; {
		logView(t, s, func(tx logTx) error {
			last, m, err := tx.LogRaw(pos, page, func(p uint64, raw []byte) error {
				if p != start+uint64(len(out))+1 {
					t.Errorf("position %d after %d events from %d", p, len(out), start)
				}
				e, err := domain.DecodeEvent(raw)
				out = append(out, e)
				return err
			})
			pos, more = last, m
			return err
		})
	}
	return out
}

func logAppendThenPull(t *testing.T, s logStore) {
	var before uint64
	logView(t, s, func(tx logTx) error { before = tx.LogLen(); return nil })
	batches := [][]domain.Event{workstationEvents(t, 1, 3), workstationEvents(t, 4, 2)}
	for _, batch := range batches {
		logUpdate(t, s, func(tx logTx) error {
			for _, e := range batch {
				if err := tx.AppendNew(&e, nil); err != nil {
					return err
				}
			}
			return nil
		})
	}
	logView(t, s, func(tx logTx) error {
		if tx.LogLen() != before+5 || tx.ReplicaSeq("ws-1") != 5 || tx.ReplicaSeqs()["ws-1"] != 5 {
			t.Errorf("log length %d (was %d), ws-1 at %d, %v; want 5 more, ws-1 at 5", tx.LogLen(), before, tx.ReplicaSeq("ws-1"), tx.ReplicaSeqs())
		}
		return nil
	})
	got := pullLog(t, s, before, 2)
	want := append(batches[0], batches[1]...)
	if len(got) != len(want) {
		t.Fatalf("pulled %d events; want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Seq != want[i].Seq {
			t.Errorf("event %d pulled: %s seq %d; want %s seq %d", i, got[i].ID, got[i].Seq, want[i].ID, want[i].Seq)
		}
	}
}

// A retried push finds its events logged: the look-up says so, and
// advancing the replica past them changes nothing.
func logDuplicate(t *testing.T, s logStore) {
	events := workstationEvents(t, 1, 2)
	logUpdate(t, s, func(tx logTx) error { return tx.AppendNew(&events[0], nil) })
	logUpdate(t, s, func(tx logTx) error {
		found := tx.LookUpEvents([]uuid.UUID{events[0].ID, events[1].ID})
		if len(found) != 2 || !found[0].Logged || found[1].Logged || found[0].Refused {
			t.Errorf("LookUpEvents = %+v; want the first logged, the second not", found)
		}
		if !tx.HasEvent(events[0].ID) || tx.HasEvent(events[1].ID) {
			t.Error("HasEvent disagrees with LookUpEvents")
		}
		return tx.AdvanceReplica("ws-1", 1)
	})
	logView(t, s, func(tx logTx) error {
		if tx.ReplicaSeq("ws-1") != 1 || tx.LogLen() != 1 {
			t.Errorf("after the retry: ws-1 at %d, log length %d; want 1 and 1", tx.ReplicaSeq("ws-1"), tx.LogLen())
		}
		return nil
	})
}

// A refused event is kept with its reason, so that a retry gets the same
// answer, moves the replica past it, and is never pulled.
func logRefusal(t *testing.T, s logStore) {
	events := workstationEvents(t, 1, 2)
	logUpdate(t, s, func(tx logTx) error {
		if err := tx.StoreRejection(&events[0], domain.EForbidden, "operators may not complete actions"); err != nil {
			return err
		}
		return tx.AppendNew(&events[1], nil)
	})
	logView(t, s, func(tx logTx) error {
		r, ok := tx.Rejection(events[0].ID)
		if !ok || r.Code != domain.EForbidden || r.Reason != "operators may not complete actions" {
			t.Errorf("Rejection = %+v, %v; want the refusal", r, ok)
		}
		if found := tx.LookUpEvents([]uuid.UUID{events[0].ID}); !found[0].Refused || found[0].Logged {
			t.Errorf("LookUpEvents of the refused event = %+v; want refused, not logged", found)
		}
		if tx.ReplicaSeq("ws-1") != 2 {
			t.Errorf("ws-1 at %d after a refused and an accepted event; want 2", tx.ReplicaSeq("ws-1"))
		}
		return nil
	})
	if got := pullLog(t, s, 0, 10); len(got) != 1 || got[0].ID != events[1].ID {
		t.Errorf("pulled %d events; want the accepted one alone", len(got))
	}
}

// A complaint's filing is kept with its first event: its number names it
// and no other.
func logFilings(t *testing.T, s logStore) {
	e := workstationEvents(t, 1, 1)[0]
	e.Type, e.EntityID = domain.ComplaintFiled, uuid.Must(uuid.NewV7()).String()
	logUpdate(t, s, func(tx logTx) error {
		return tx.AppendNew(&e, &boltstore.ComplaintFiling{Station: "PRESS2", Number: "PRESS2-2026-A0001"})
	})
	logView(t, s, func(tx logTx) error {
		f, ok := tx.ComplaintFiling(e.EntityID)
		if !ok || f.Station != "PRESS2" || f.Number != "PRESS2-2026-A0001" {
			t.Errorf("ComplaintFiling = %+v, %v; want PRESS2-2026-A0001 at PRESS2", f, ok)
		}
		if id, ok := tx.ComplaintWithNumber("PRESS2-2026-A0001"); !ok || id != e.EntityID {
			t.Errorf("ComplaintWithNumber = %q, %v; want %s", id, ok, e.EntityID)
		}
		if _, ok := tx.ComplaintWithNumber("PRESS2-2026-A0002"); ok {
			t.Error("a number never filed names a complaint")
		}
		return nil
	})
}
