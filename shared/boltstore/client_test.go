package boltstore_test

import (
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

func TestDeviceIsSavedAndCleared(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	want := boltstore.Device{ServerURL: "https://boucle.plant:8477", ID: "dev-1", Key: "k3y"}
	update(t, s, func(tx *boltstore.Tx) error { return tx.SetDevice(want) })
	var got boltstore.Device
	view(t, s, func(tx *boltstore.Tx) { got = tx.Device() })
	if got != want || !got.Enrolled() {
		t.Fatalf("device = %+v, want %+v enrolled", got, want)
	}
	update(t, s, func(tx *boltstore.Tx) error { return tx.SetDevice(boltstore.Device{}) })
	view(t, s, func(tx *boltstore.Tx) { got = tx.Device() })
	if got.Enrolled() || got != (boltstore.Device{}) {
		t.Fatalf("device after clearing = %+v", got)
	}
}

func TestRefreshTokenIsForgottenWhenEmpty(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	update(t, s, func(tx *boltstore.Tx) error { return tx.SetRefreshToken("r1") })
	update(t, s, func(tx *boltstore.Tx) error { return tx.SetRefreshToken("r2") })
	var tok string
	view(t, s, func(tx *boltstore.Tx) { tok = tx.RefreshToken() })
	if tok != "r2" {
		t.Fatalf("token = %q", tok)
	}
	update(t, s, func(tx *boltstore.Tx) error { return tx.SetRefreshToken("") })
	view(t, s, func(tx *boltstore.Tx) { tok = tx.RefreshToken() })
	if tok != "" {
		t.Fatalf("token after forgetting = %q", tok)
	}
}

func TestOfflineVerifiers(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	for _, login := range []string{"op1", "eng1"} {
		v := boltstore.OfflineVerifier{User: domain.User{Login: login, Role: domain.RoleOperator}, Salt: []byte("salt"), Hash: []byte("hash"),
			Time: 2, MemoryKiB: 19 * 1024, Threads: 1, Saved: time.Now().UTC()}
		update(t, s, func(tx *boltstore.Tx) error { return tx.PutOfflineVerifier(v) })
	}
	view(t, s, func(tx *boltstore.Tx) {
		v, ok := tx.OfflineVerifier("op1")
		if !ok || v.User.Login != "op1" || string(v.Hash) != "hash" || v.MemoryKiB != 19*1024 {
			t.Fatalf("verifier = %+v, %v", v, ok)
		}
		if _, ok := tx.OfflineVerifier("nobody"); ok {
			t.Fatal("found a verifier for an unknown login")
		}
		if users := tx.OfflineUsers(); len(users) != 2 || users[0].Login != "eng1" || users[1].Login != "op1" {
			t.Fatalf("offline users = %+v", users)
		}
	})
	update(t, s, func(tx *boltstore.Tx) error { return tx.DeleteOfflineVerifier("op1") })
	view(t, s, func(tx *boltstore.Tx) {
		if _, ok := tx.OfflineVerifier("op1"); ok {
			t.Fatal("verifier kept after deletion")
		}
	})
	t.Run("ErrLoginRequired", func(t *testing.T) {
		err := s.Update(func(tx *boltstore.Tx) error { return tx.PutOfflineVerifier(boltstore.OfflineVerifier{}) })
		if domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestBlobUploadMarks(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	update(t, s, func(tx *boltstore.Tx) error {
		for _, sha := range []string{"bb", "aa", "cc"} {
			if err := tx.MarkBlobForUpload(sha); err != nil {
				return err
			}
		}
		return nil
	})
	var got []string
	view(t, s, func(tx *boltstore.Tx) { got = tx.BlobsToUpload(2) })
	if len(got) != 2 || got[0] != "aa" || got[1] != "bb" {
		t.Fatalf("to upload = %v", got)
	}
	update(t, s, func(tx *boltstore.Tx) error { return tx.BlobUploaded("aa") })
	view(t, s, func(tx *boltstore.Tx) { got = tx.BlobsToUpload(10) })
	if len(got) != 2 || got[0] != "bb" {
		t.Fatalf("to upload after one = %v", got)
	}
}

func TestOutboxFirst(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	view(t, s, func(tx *boltstore.Tx) {
		if _, ok := tx.OutboxFirst(); ok {
			t.Fatal("empty outbox has a first event")
		}
	})
	seedPlant(t, s)
	update(t, s, func(tx *boltstore.Tx) error { return tx.Acknowledge(1, 2) })
	view(t, s, func(tx *boltstore.Tx) {
		if seq, ok := tx.OutboxFirst(); !ok || seq != 3 {
			t.Fatalf("first = %d, %v", seq, ok)
		}
	})
}

func TestReplicaEventsAfter(t *testing.T) {
	a := mustOpen(t, boltstore.Options{Replica: "ws-a"})
	b := mustOpen(t, boltstore.Options{Replica: "ws-b"})
	seedPlant(t, a)
	copyLog(t, a, b)
	file(t, b, filing("CUT1", "P-2", "dent"))
	file(t, b, filing("CUT1", "P-3", "dent"))
	high := logLen(t, a)

	var refs []boltstore.EventRef
	view(t, b, func(tx *boltstore.Tx) {
		var err error
		refs, err = tx.ReplicaEventsAfter(map[string]uint64{"ws-a": high - 2, "ws-b": 0})
		if err != nil {
			t.Fatal(err)
		}
	})
	want := []boltstore.EventRef{{"ws-a", high - 1, 0}, {"ws-a", high, 0}, {"ws-b", 1, 0}, {"ws-b", 2, 0}}
	if len(refs) != len(want) {
		t.Fatalf("refs = %+v", refs)
	}
	for i, r := range refs {
		if r.Replica != want[i].Replica || r.Seq != want[i].Seq {
			t.Fatalf("ref %d = %+v, want %+v", i, r, want[i])
		}
		view(t, b, func(tx *boltstore.Tx) {
			e, err := tx.EventAt(r.Pos)
			if err != nil || e.Replica != r.Replica || e.Seq != r.Seq {
				t.Fatalf("event at %d = %s/%d, %v", r.Pos, e.Replica, e.Seq, err)
			}
		})
	}
	view(t, b, func(tx *boltstore.Tx) {
		if r := tx.Replicas(); r["ws-a"] != high || r["ws-b"] != 2 {
			t.Fatalf("replicas = %v", r)
		}
		if _, err := tx.EventAt(1 << 40); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("EventAt past the end: %v", err)
		}
	})
}

func TestStatesHashAndConflicts(t *testing.T) {
	a := mustOpen(t, boltstore.Options{Replica: "ws-a"})
	b := mustOpen(t, boltstore.Options{Replica: "ws-b"})
	seedPlant(t, a)
	copyLog(t, a, b)
	if statesHash(t, a) != statesHash(t, b) {
		t.Fatal("same events, different hashes")
	}
	// Both rename the same station without having seen the other's edit.
	before := logLen(t, a)
	record(t, a, admin, domain.StationUpdated, "CUT1", &domain.StationPayload{Name: "Cutting one"})
	record(t, b, admin, domain.StationUpdated, "CUT1", &domain.StationPayload{Name: "Cutting #1"})
	if statesHash(t, a) == statesHash(t, b) {
		t.Fatal("different states, same hash")
	}
	if n := conflicted(t, a); n != 0 {
		t.Fatalf("conflicts before exchanging = %d", n)
	}
	copyLogAfter(t, a, b, before)
	copyLogAfter(t, b, a, before)
	if statesHash(t, a) != statesHash(t, b) {
		t.Fatal("converged replicas hash differently")
	}
	if na, nb := conflicted(t, a), conflicted(t, b); na != 1 || nb != 1 {
		t.Fatalf("conflicted entities = %d and %d, want 1", na, nb)
	}
}

func update(tb testing.TB, s *boltstore.Store, fn func(*boltstore.Tx) error) {
	tb.Helper()
	if err := s.Update(fn); err != nil {
		tb.Fatal(err)
	}
}

func view(tb testing.TB, s *boltstore.Store, fn func(*boltstore.Tx)) {
	tb.Helper()
	_ = s.View(func(tx *boltstore.Tx) error { fn(tx); return nil })
}

func copyLog(tb testing.TB, from, to *boltstore.Store) { tb.Helper(); copyLogAfter(tb, from, to, 0) }

// copyLogAfter ingests into to the events from's log holds after pos.
func copyLogAfter(tb testing.TB, from, to *boltstore.Store, pos uint64) {
	tb.Helper()
	var events []domain.Event
	view(tb, from, func(tx *boltstore.Tx) {
		logged, _, err := tx.LogAfter(pos, 1<<20)
		if err != nil {
			tb.Fatal(err)
		}
		for _, l := range logged {
			events = append(events, l.Event)
		}
	})
	if _, err := to.Ingest(events); err != nil {
		tb.Fatal(err)
	}
}

func statesHash(tb testing.TB, s *boltstore.Store) (h [32]byte) {
	view(tb, s, func(tx *boltstore.Tx) { h = tx.StatesHash() })
	return h
}

// conflicted counts the conflicted entities, in one transaction and as
// the sync status does (Store.CountConflicted): both must agree.
func conflicted(tb testing.TB, s *boltstore.Store) (n int) {
	view(tb, s, func(tx *boltstore.Tx) { n = tx.ConflictedEntities() })
	if m, err := s.CountConflicted(); err != nil || m != n {
		tb.Fatalf("CountConflicted = %d, %v; ConflictedEntities = %d", m, err, n)
	}
	return n
}
