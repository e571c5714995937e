package boltstore_test

import (
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// A transaction that only appends to the id index and the per-entity
// index fills their pages; one that inserts among their keys splits them
// half full, leaving room for the next (appendfill.go).
func TestAppendedIndexesFillTheirPages(t *testing.T) {
	s := mustOpen(t, boltstore.Options{Replica: "srv"})
	const n = 3000
	// The second transaction's ids, minted first: they sort before the
	// first transaction's, and its events follow the same complaints.
	early := make([]uuid.UUID, n)
	for i := range early {
		early[i] = uuid.Must(uuid.NewV7())
	}
	complaints := make([]string, n/10)
	for i := range complaints {
		complaints[i] = uuid.Must(uuid.NewV7()).String()
	}
	appendEvents := func(ids []uuid.UUID, seq0 uint64) {
		t.Helper()
		err := s.Update(func(tx *boltstore.Tx) error {
			for i, id := range ids {
				e, err := domain.NewEvent(domain.ComplaintMessagePosted, complaints[i%len(complaints)], &domain.MessagePayload{Text: "Lot sorted"})
				if err != nil {
					return err
				}
				seq := seq0 + uint64(i) + 1
				e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = id, hlc.New(1_760_000_000_000+int64(seq), 0), "ws1", seq, "op1", domain.RoleOperator
				if _, err := tx.Append(&e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	late := make([]uuid.UUID, n)
	for i := range late {
		late[i] = uuid.Must(uuid.NewV7())
	}
	appendEvents(late, 0)
	for _, b := range []string{"event_ids", "entity_events"} {
		if f := leafFill(t, s, b); f < 0.9 {
			t.Errorf("%s after appending: pages %.0f%% full, want them filled", b, 100*f)
		}
	}
	appendEvents(early, n)
	for _, b := range []string{"event_ids", "entity_events"} {
		if f := leafFill(t, s, b); f > 0.8 {
			t.Errorf("%s after inserting among its keys: pages %.0f%% full, want room left", b, 100*f)
		}
	}
}

// leafFill is how full the leaf pages of a bucket are.
func leafFill(t *testing.T, s *boltstore.Store, bucket string) float64 {
	t.Helper()
	var st bolt.BucketStats
	_ = s.DB().View(func(tx *bolt.Tx) error { st = tx.Bucket([]byte(bucket)).Stats(); return nil })
	return float64(st.LeafInuse) / float64(st.LeafPageN*s.DB().Info().PageSize)
}
