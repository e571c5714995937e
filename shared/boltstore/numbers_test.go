package boltstore_test

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

func number(tb testing.TB, s *boltstore.Store, id string) string {
	tb.Helper()
	return complaint(tb, s, id).Complaint.Number
}

// A workstation set up after the plant filed PRESS2's first complaints
// pulls them, then files: it used to hand out PRESS2-<year>-0001 again
// (issue #10). A number already logged here is skipped.
func TestNextNumberSkipsNumbersPulledFromThePlant(t *testing.T) {
	plant, ws := mustOpen(t, boltstore.Options{}), mustOpen(t, boltstore.Options{})
	seedPlant(t, plant)
	seedPlant(t, ws)
	first, second := file(t, plant, filing("CUT1", "P-1", "one")), file(t, plant, filing("CUT1", "P-2", "two"))
	var pulled []domain.Event
	_ = plant.View(func(t *boltstore.Tx) error {
		for _, id := range []string{first, second} {
			tl, _ := t.Timeline(id)
			pulled = append(pulled, tl[0].Event)
		}
		return nil
	})
	if _, err := ws.Ingest(pulled); err != nil {
		t.Fatal(err)
	}
	mine := file(t, ws, filing("CUT1", "P-3", "three"))
	if got, taken := number(t, ws, mine), number(t, plant, second); !strings.HasSuffix(got, "-0003") || got[:len(got)-4] != taken[:len(taken)-4] {
		t.Fatalf("number after pulling %s and its predecessor = %s, want the next one", taken, got)
	}
	var holder string
	firstNumber := number(t, ws, first)
	_ = ws.View(func(t *boltstore.Tx) error { holder, _ = t.ComplaintWithNumber(firstNumber); return nil })
	if holder != first {
		t.Fatalf("number index: %q holds %s", holder, firstNumber)
	}
}

// A workstation of an enrolled plant numbers in its own series: two
// workstations of one station never hand out the same number.
func TestNextNumberUsesTheWorkstationsSeries(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	bare := number(t, s, file(t, s, filing("CUT1", "P-1", "before enrolment")))
	if err := s.Update(func(t *boltstore.Tx) error { return t.SetNumberSeries("B") }); err != nil {
		t.Fatal(err)
	}
	b1, b2 := number(t, s, file(t, s, filing("CUT1", "P-2", "one"))), number(t, s, file(t, s, filing("CUT1", "P-3", "two")))
	year := strings.Split(bare, "-")[1]
	if bare != "PRESS2-"+year+"-0001" || b1 != "PRESS2-"+year+"-B0001" || b2 != "PRESS2-"+year+"-B0002" {
		t.Fatalf("numbers = %s, %s, %s", bare, b1, b2)
	}
	err := s.Update(func(t *boltstore.Tx) error { return t.SetNumberSeries("b") })
	if de := domain.AsError(err); de.Field != "series" {
		t.Fatalf("lower-case series: %v", err)
	}
}

// A store of schema 1 has no filing indexes: opening it builds them from
// the log, leaving out filings the server refused.
func TestOpenIndexesTheFilingsOfAnOlderStore(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/boucle.db"
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedPlant(t, s)
	kept := file(t, s, filing("CUT1", "P-1", "kept"))
	refused, err := s.Record(operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("CUT1", "P-2", "refused")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(t *boltstore.Tx) error {
		return t.Reject(&refused[0], domain.EConflict, "complaint.number_taken: taken")
	}); err != nil {
		t.Fatal(err)
	}
	// Turn it into a schema 1 store: no filing indexes, no checksums.
	err = s.DB().Update(func(tx *bolt.Tx) error {
		events := tx.Bucket([]byte("events"))
		for pos := uint64(1); pos <= events.Sequence(); pos++ {
			k := binary.BigEndian.AppendUint64(nil, pos)
			v := bytes.Clone(events.Get(k))
			if err := events.Put(k, v[:len(v)-4]); err != nil {
				return err
			}
		}
		for _, b := range []string{"complaint_filings", "idx_complaint_number"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_ = s.View(func(tx *boltstore.Tx) error {
		f, ok := tx.ComplaintFiling(kept)
		if !ok || f.Station != "PRESS2" || !strings.HasSuffix(f.Number, "-0001") {
			t.Errorf("filing of the kept complaint = %+v, %v", f, ok)
		}
		if id, ok := tx.ComplaintWithNumber(f.Number); !ok || id != kept {
			t.Errorf("number %s → %q", f.Number, id)
		}
		if _, ok := tx.ComplaintFiling(refused[0].EntityID); ok {
			t.Error("the refused filing was indexed")
		}
		return nil
	})
}

// A refusal stays until a user dismisses it; the event stays refused.
func TestDismissedRejectionsLeaveTheOpenList(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	evs, err := s.Record(operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("CUT1", "P-1", "refused")})
	if err != nil {
		t.Fatal(err)
	}
	e := evs[0]
	err = s.Update(func(t *boltstore.Tx) error { return t.Reject(&e, domain.EConflict, "complaint.number_taken: taken") })
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		if _, ok := tx.ComplaintFiling(e.EntityID); ok {
			t.Error("the refused filing is still indexed")
		}
		return nil
	})
	open := func() (n int) {
		_ = s.View(func(t *boltstore.Tx) error { n = len(t.OpenRejections()); return nil })
		return n
	}
	if open() != 1 {
		t.Fatalf("open refusals = %d, want 1", open())
	}
	if err := s.Update(func(t *boltstore.Tx) error { return t.DismissRejection(e.ID) }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		if len(tx.OpenRejections()) != 0 || len(tx.Rejections()) != 1 || !tx.IsRejected(e.ID) {
			t.Errorf("after dismissal: open %d, all %d, refused %v", len(tx.OpenRejections()), len(tx.Rejections()), tx.IsRejected(e.ID))
		}
		return nil
	})
	other := uuid.Must(uuid.NewV7())
	err = s.Update(func(t *boltstore.Tx) error { return t.DismissRejection(other) })
	if domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("dismissing an event never refused: %v", err)
	}
}
