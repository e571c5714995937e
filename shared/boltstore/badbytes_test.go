package boltstore_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"boucle/internal/storefault"
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
	storefault.FlipStoredByte(t, path, enc, bytes.Index(enc, []byte("3 pi")))

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
	storefault.FlipPageHeader(t, path, storefault.TopRoot)

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

// Every page header of a store, flipped in turn (its type, its item
// count): Open refuses the file or opens it, never panics or faults, and
// what it opens reads. Before, the first flip panicked.
func TestOpenNeverPanicsOnAFlippedPageHeader(t *testing.T) {
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.db")
	s, err := boltstore.Open(orig, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedPlant(t, s)
	for i := range 30 {
		file(t, s, filing("CUT1", "BRK-100", "bavures"+strings.Repeat(" encore", i)))
	}
	s.Close()
	raw, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	raw = raw[:highWaterMark(t, orig)] // the pages in use; the rest of the file is preallocated room
	const pageSize = 4096
	refused := 0
	for page := 2; page < len(raw)/pageSize; page++ {
		for _, field := range []struct {
			off  int
			mask byte
		}{{8, 0x23}, {8, 0x10}, {10, 0x80}, {11, 0x80}} { // type: nonsense, "freelist"; count: low, high byte // the type flags: nonsense, or "freelist"
			bad := bytes.Clone(raw)
			bad[page*pageSize+field.off] ^= field.mask
			// A file of its own: when bbolt's Open panics, its lock on the
			// file is never released.
			path := filepath.Join(dir, fmt.Sprintf("bad-%d-%x.db", page, field.mask))
			if err := os.WriteFile(path, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			func() {
				defer func() {
					if v := recover(); v != nil {
						t.Fatalf("page %d, header byte %d: Open panicked: %v", page, field.off, v)
					}
				}()
				s, err := boltstore.Open(path, boltstore.Options{})
				if err != nil {
					if domain.ErrorCode(err) != boltstore.ECorrupt {
						t.Fatalf("page %d: %v", page, err)
					}
					refused++
					return
				}
				defer s.Close()
				if err := s.Health(); err != nil {
					t.Fatalf("page %d: opened, but does not read: %v", page, err)
				}
			}()
			// Gone at once: a flipped count can make bbolt grow the file
			// (sparse, but tens of gigabytes apparent over the whole run).
			os.Remove(path)
		}
	}
	if refused == 0 {
		t.Fatal("no flip was refused")
	}
}

// highWaterMark is the size of the pages a store file uses.
func highWaterMark(t *testing.T, path string) int64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var size int64
	_ = db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	return size
}
