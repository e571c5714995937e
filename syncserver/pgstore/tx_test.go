package pgstore

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// A View reads one snapshot: a push committed meanwhile is not in it, and
// it cannot write.
func TestViewIsOneReadOnlySnapshot(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	ws := &replica{id: "ws-1"}
	mustAppend(t, p, ws.next(3))
	err := p.View(ctx, func(tx *Tx) error {
		if tx.LogLen() != 3 || tx.ReplicaSeqs()["ws-1"] != 3 {
			t.Fatalf("view: LogLen %d, marks %v", tx.LogLen(), tx.ReplicaSeqs())
		}
		mustAppend(t, p, ws.next(2)) // commits beside the view
		last, more, err := tx.LogRaw(0, 10, func(uint64, []byte) error { return nil })
		if err != nil || last != 3 || more {
			t.Fatalf("view's read after a push committed beside it: last %d, more %v, %v; want 3", last, more, err)
		}
		if tx.ReplicaSeqs()["ws-1"] != 3 {
			t.Fatalf("view's marks moved: %v", tx.ReplicaSeqs())
		}
		events, _, err := tx.LogAfter(1, 10)
		if err != nil || len(events) != 2 || events[0].Pos != 2 {
			t.Fatalf("view's LogAfter(1): %v, %v", events, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	extra := ws.next(1)
	err = p.View(ctx, func(tx *Tx) error { return tx.AppendNew(&extra[0], nil) })
	if domain.ErrorCode(err) != domain.EInternal {
		t.Fatalf("append in a view: %v, want refused", err)
	}
	if n, _ := p.LogLen(ctx); n != 5 {
		t.Fatalf("LogLen %d, want 5", n)
	}
}

// A method that returns no error and fails keeps the failure: the
// transaction commits nothing even when its function, having got empty
// answers, returns nil.
func TestAFailedLookUpCommitsNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := newPlant(t, s, "north")
	batch := (&replica{id: "ws-1"}).next(20)
	admin := adminConn(t)
	err := p.Update(ctx, func(tx *Tx) error {
		if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1, 60000)", int32(tx.tx.Conn().PgConn().PID())); err != nil {
			t.Fatal(err)
		}
		found := tx.LookUpEvents(ids(batch))
		if tx.Err() == nil {
			t.Fatal("a look-up on a dead connection reports no failure")
		}
		for i := range batch {
			if !found[i].Logged {
				_ = tx.AppendNew(&batch[i], nil)
			}
		}
		return nil
	})
	if err == nil {
		t.Fatal("Update reports success after a failed look-up")
	}
	assertLog(t, s, p, 0, 0)
}

// The filings of appended complaints are kept with the log: each
// complaint's first filing, each number's last complaint, seen within the
// transaction and after it.
func TestComplaintFilingsAreKeptWithTheLog(t *testing.T) {
	ctx := context.Background()
	p := newPlant(t, newStore(t), "north")
	events := (&replica{id: "ws-1"}).next(3)
	err := p.Update(ctx, func(tx *Tx) error {
		_ = tx.AppendNew(&events[0], &boltstore.ComplaintFiling{Station: "press-1", Number: "Q-1"})
		if f, ok := tx.ComplaintFiling(events[0].EntityID); !ok || f.Number != "Q-1" {
			t.Fatalf("filing within the transaction: %+v, %v", f, ok)
		}
		if id, ok := tx.ComplaintWithNumber("Q-1"); !ok || id != events[0].EntityID {
			t.Fatalf("number within the transaction: %q, %v", id, ok)
		}
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Update(ctx, func(tx *Tx) error {
		second := events[1]
		second.EntityID = events[0].EntityID // filed again: keeps its first filing
		_ = tx.AppendNew(&second, &boltstore.ComplaintFiling{Station: "press-2", Number: "Q-2"})
		_ = tx.AppendNew(&events[2], &boltstore.ComplaintFiling{Station: "press-3", Number: "Q-1"}) // the number's last
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	logged := func(tx *Tx, how string) {
		if f, ok := tx.ComplaintFiling(events[0].EntityID); !ok || f != (boltstore.ComplaintFiling{Station: "press-1", Number: "Q-1"}) {
			t.Fatalf("first filing, %s: %+v, %v", how, f, ok)
		}
		if id, ok := tx.ComplaintWithNumber("Q-1"); !ok || id != events[2].EntityID {
			t.Fatalf("Q-1 holder, %s: %q, want the complaint logged last with it", how, id)
		}
		if _, ok := tx.ComplaintFiling("nobody"); ok {
			t.Fatalf("a filing of a complaint never filed, %s", how)
		}
	}
	err = p.View(ctx, func(tx *Tx) error {
		logged(tx, "read as asked")
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	// Looked up at once for a push, they answer the same, and the
	// transaction's own filings still count.
	err = p.Update(ctx, func(tx *Tx) error {
		tx.LookUpFilings([]string{events[0].EntityID, "nobody"}, []string{"Q-1", "Q-9"})
		logged(tx, "looked up at once")
		if _, ok := tx.ComplaintWithNumber("Q-9"); ok {
			t.Fatal("looked up at once: a holder of a number never given")
		}
		late := (&replica{id: "ws-2"}).next(1)[0]
		late.EntityID = "nobody"
		_ = tx.AppendNew(&late, &boltstore.ComplaintFiling{Station: "press-4", Number: "Q-9"})
		if f, ok := tx.ComplaintFiling("nobody"); !ok || f.Number != "Q-9" {
			t.Fatalf("a filing of the transaction after the look-up: %+v, %v", f, ok)
		}
		if id, ok := tx.ComplaintWithNumber("Q-9"); !ok || id != "nobody" {
			t.Fatalf("a number of the transaction after the look-up: %q, %v", id, ok)
		}
		if f, ok := tx.ComplaintFiling(events[1].EntityID); ok { // not looked up: read as asked
			t.Fatalf("a complaint never filed, not looked up: %+v", f)
		}
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A database nobody answers for is unavailable, naming its address and
// not the password; a URL that does not parse names the store setting.
func TestOpenSaysWhatIsWrong(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	_, err = Open(ctx, fmt.Sprintf("postgres://boucle:s3cret@127.0.0.1:%d/plant?sslmode=disable&connect_timeout=5", port))
	if domain.ErrorCode(err) != domain.EUnavailable || !strings.Contains(err.Error(), fmt.Sprintf("127.0.0.1:%d", port)) || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("open of an unreachable database: %v, want unavailable naming 127.0.0.1:%d without the password", err, port)
	}
	if _, err := Open(ctx, "postgres://boucle:s3cret@host:notaport/db"); domain.AsError(err).Field != "store" || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("open of a bad URL: %v, want an error naming the store", err)
	}
}
