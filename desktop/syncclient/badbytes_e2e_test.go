package syncclient_test

import (
	"bytes"
	"testing"

	"boucle/internal/storefault"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// One flipped byte of a message stored on the server (written with the
// server stopped, as the fault campaign did): before, it was served as
// written (a flipped version byte stalled every workstation's pull). Now
// the server quarantines the event and pulls skip it: a new workstation
// gets everything else, and the author's workstation keeps syncing.
// bbolt only: it damages the server's bbolt file.
func TestE2EADamagedEventOnTheServerStallsNoWorkstation(t *testing.T) {
	t.Parallel()
	p := newPlant(t)
	w, s := p.signedIn(t, "ws1", "op1", nil)
	id := w.fileComplaint(t, s, "bavures")
	w.postMessages(t, s, id, 20)
	w.syncOnce(t)
	damaged, after := loggedMessage(t, w, "message 10 from ws1"), loggedMessage(t, w, "message 19 from ws1")

	p.srv.stop()
	enc := domain.EncodeEvent(&damaged)
	storefault.FlipStoredByte(t, p.srv.storePath(), enc, bytes.Index(enc, []byte("10 from")))
	p.srv.restart()

	other, _ := p.signedIn(t, "ws2", "eng1", nil) // pulls the whole log
	_ = other.store.View(func(tx *boltstore.Tx) error {
		if tx.HasEvent(damaged.ID) {
			e, _ := tx.Event(damaged.ID)
			t.Fatalf("the damaged event reached another workstation: %s", e.Payload)
		}
		if !tx.HasEvent(after.ID) {
			t.Fatal("the pull stopped at the damaged event")
		}
		return nil
	})
	w.postMessages(t, s, id, 1)
	w.syncOnce(t)
	other.syncOnce(t)
	if other.logLen() != w.logLen()-1 {
		t.Fatalf("after more work: %d events on the other workstation, %d on the author's (one damaged on the server)", other.logLen(), w.logLen())
	}
}

// loggedMessage finds the message event with text on w.
func loggedMessage(t *testing.T, w *workstation, text string) domain.Event {
	t.Helper()
	var found domain.Event
	_ = w.store.View(func(tx *boltstore.Tx) error {
		logged, _, err := tx.LogAfter(0, 100_000)
		for _, l := range logged {
			if l.Event.Type == domain.ComplaintMessagePosted && bytes.Contains(l.Event.Payload, []byte(text)) {
				found = l.Event
			}
		}
		return err
	})
	if found.Type == "" {
		t.Fatalf("no message %q", text)
	}
	return found
}
