package boltstore_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The per-entity index of a log pulled in bulk is the index of the same
// log ingested event by event, whether its entries come from memory (kept
// as AppendBulk logged the events), from the log (events logged before the
// store was reopened, as after a crash mid-pull), or from both around a
// gap (a local save between two pulled pages).
func TestBulkEntityIndexFromMemoryOrLog(t *testing.T) {
	s, _, _ := plantWithComplaints(t, 30)
	id := file(t, s, filing("CUT1", "P-9", "burrs"))
	record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(day), Assignee: "eng1"})
	var all []boltstore.LoggedEvent
	_ = s.View(func(tx *boltstore.Tx) (err error) { all, _, err = tx.LogAfter(0, 10_000); return err })
	half := len(all) / 2

	cases := map[string]func(t *testing.T, r *boltstore.Store, path string) *boltstore.Store{
		"in memory": func(t *testing.T, r *boltstore.Store, _ string) *boltstore.Store {
			appendBulk(t, r, all)
			return r
		},
		"reopened midway": func(t *testing.T, r *boltstore.Store, path string) *boltstore.Store {
			appendBulk(t, r, all[:half])
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := boltstore.Open(path, boltstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			appendBulk(t, r, all[half:])
			return r
		},
		"a local write between": func(t *testing.T, r *boltstore.Store, _ string) *boltstore.Store {
			appendBulk(t, r, all[:half])
			err := r.Update(func(tx *boltstore.Tx) error { _, err := tx.Append(&all[half].Event); return err })
			if err != nil {
				t.Fatal(err)
			}
			appendBulk(t, r, all[half+1:])
			return r
		},
	}
	for name, pull := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "boucle.db")
			r, err := boltstore.Open(path, boltstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			r = pull(t, r, path)
			if err := r.IndexEntities(); err != nil {
				t.Fatal(err)
			}
			if got, want := entityIndex(t, r), entityIndex(t, s); !slices.EqualFunc(got, want, bytes.Equal) {
				t.Fatalf("entity index: %d entries, want the ingested log's %d", len(got)/2, len(want)/2)
			}
			if err := r.CatchUp(); err != nil {
				t.Fatal(err)
			}
			if statesHash(t, r) != statesHash(t, s) {
				t.Fatal("the projections of the log pulled in bulk differ from the ingested ones")
			}
		})
	}
}

// appendBulk logs events with AppendBulk, 25 a transaction, as pulled pages.
func appendBulk(t *testing.T, r *boltstore.Store, events []boltstore.LoggedEvent) {
	t.Helper()
	for part := range slices.Chunk(events, 25) {
		err := r.Update(func(tx *boltstore.Tx) error {
			for i := range part {
				if _, err := tx.AppendBulk(&part[i].Event); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// entityIndex is the per-entity index's keys and values, in order.
func entityIndex(t *testing.T, s *boltstore.Store) (kv [][]byte) {
	t.Helper()
	_ = s.View(func(tx *boltstore.Tx) error {
		return tx.Bolt().Bucket([]byte("entity_events")).ForEach(func(k, v []byte) error {
			kv = append(kv, slices.Clone(k), slices.Clone(v))
			return nil
		})
	})
	return kv
}
