package boltstore_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// Bad bytes on a workstation's disk are as real as on the server's: the
// workstation's store verifies every event it reads too.

// A flipped byte of a message text: before, the timeline showed the
// altered text as written. Now the event is quarantined and left out of
// the timeline and of the refold.
func TestWorkstationQuarantinesADamagedEvent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "BRK-100", "Bavures"))
	msg := record(t, s, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "lot L-77 trié: 3 pièces NOK"})
	record(t, s, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "after it"})
	s.Close()
	enc := domain.EncodeEvent(&msg)
	flipInFile(t, path, enc, bytes.Index(enc, []byte("3 pi")))

	s, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var timeline []boltstore.TimelineEntry
	if err := s.View(func(tx *boltstore.Tx) (err error) { timeline, err = tx.Timeline(id); return err }); err != nil {
		t.Fatal(err)
	}
	for _, e := range timeline {
		if e.Event.ID == msg.ID {
			t.Fatalf("the damaged event is shown: %s", e.Event.Payload)
		}
	}
	if len(timeline) != 2 {
		t.Fatalf("timeline of %d events, want the filing and the later message", len(timeline))
	}
	var q []boltstore.Quarantined
	_ = s.View(func(tx *boltstore.Tx) error { q = tx.Quarantined(); return nil })
	if len(q) != 1 || q[0].Event != msg.ID || !strings.Contains(q[0].Reason, "checksum") {
		t.Fatalf("quarantine = %+v", q)
	}
	if err := s.Rebuild(); err != nil {
		t.Fatalf("a rebuild stops at the damaged event: %v", err)
	}
	for _, m := range complaint(t, s, id).Complaint.Messages {
		if strings.Contains(m.Text, "NOK") {
			t.Fatalf("the refold kept the damaged message %q", m.Text)
		}
	}
}

// A flipped page header: before, Open panicked. Now it answers ECorrupt.
func TestOpenRefusesADamagedPageWithoutPanic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedPlant(t, s)
	s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var page int64
	_ = db.View(func(tx *bolt.Tx) error { page = int64(tx.Cursor().Bucket().Root()); return nil })
	size := int64(db.Info().PageSize)
	db.Close()
	xorFileByte(t, path, page*size+8, 0x23) // the page's type flags

	func() {
		defer func() {
			if v := recover(); v != nil {
				t.Fatalf("Open panicked: %v", v)
			}
		}()
		s, err = boltstore.Open(path, boltstore.Options{})
	}()
	if domain.ErrorCode(err) != boltstore.ECorrupt {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open of a damaged store: %v", err)
	}
}

// flipInFile flips a byte at offset within the stored bytes needle: in
// every copy of them, since bbolt's free pages may hold stale copies of
// the live one.
func flipInFile(t *testing.T, path string, needle []byte, offset int) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if offset < 0 || !bytes.Contains(raw, needle) {
		t.Fatal("the stored bytes are not in the file")
	}
	for at, base := bytes.Index(raw, needle), 0; at >= 0; at = bytes.Index(raw[base:], needle) {
		xorFileByte(t, path, int64(base+at+offset), 0x04)
		base += at + 1
	}
}

func xorFileByte(t *testing.T, path string, off int64, mask byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := []byte{0}
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= mask
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}
