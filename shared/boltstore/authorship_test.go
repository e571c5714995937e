package boltstore_test

import (
	"testing"

	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// On an enrolled workstation every event is signed with the actor's
// author key, and an actor without one cannot record; the server's store
// and a standalone workstation record unsigned events.
func TestRecordSignsWithTheAuthorKey(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	msg := boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("CUT1", "BRK-1", "Bavures")}
	standalone, err := s.Record(operator, msg)
	if err != nil || standalone[0].Signed() {
		t.Fatalf("standalone record: signed %v, %v", standalone[0].Signed(), err)
	}
	update(t, s, func(tx *boltstore.Tx) error {
		return tx.SetDevice(boltstore.Device{ServerURL: "https://boucle.plant", ID: "dev-1", Key: "k"})
	})
	msg.Payload = filing("CUT1", "BRK-2", "Rayures")
	_, err = s.Record(operator, msg)
	if de := domain.AsError(err); de == nil || de.Rule != "sync.author_key" {
		t.Fatalf("enrolled record without a key: %v", err)
	}
	signer := operator
	signer.Key = authorship.Key{Kid: "k1", Secret: authorship.Derive([]byte("master"), "op1", s.Replica(), 0)}
	evs, err := s.Record(signer, msg)
	if err != nil {
		t.Fatal(err)
	}
	var stored domain.Event
	view(t, s, func(tx *boltstore.Tx) {
		stored, err = tx.EventAt(tx.LogLen())
	})
	var v authorship.Verifier
	if err != nil || stored.ID != evs[0].ID || stored.Sig.Kid != "k1" || !v.Verify(signer.Key.Secret, &stored) {
		t.Fatalf("stored event %v signed %+v: %v", stored.ID, stored.Sig, err)
	}
}

func TestWrappedAuthorKeyIsSaved(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	w := authorship.Wrapped{Kid: "k1", Salt: []byte("salt"), Time: 1, MemoryKiB: 64, Threads: 1, Nonce: []byte("nonce"), Sealed: []byte("sealed")}
	update(t, s, func(tx *boltstore.Tx) error { return tx.PutWrappedAuthorKey("op1", w) })
	view(t, s, func(tx *boltstore.Tx) {
		got, ok := tx.WrappedAuthorKey("op1")
		if !ok || got.Kid != "k1" || string(got.Sealed) != "sealed" {
			t.Fatalf("wrapped key = %+v, %v", got, ok)
		}
		if _, ok := tx.WrappedAuthorKey("eng1"); ok {
			t.Fatal("a key for a user who never signed in")
		}
	})
}
