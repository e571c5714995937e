package boltstore_test

import (
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

// LookUpEvents gives, for a batch in any order, the answers of HasEvent
// and Rejection, and flags the later copies of an id: ids before, among
// and after the stored ones, repeated, logged and refused.
func TestLookUpEventsAnswersAsSingleLookUps(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	msg := func(seq uint64) domain.Event {
		return remote(t, s, "ws-1", seq, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "m"})
	}
	before := uuid.Must(uuid.NewV7()) // older than every stored id
	logged, refused := msg(1), msg(2)
	between := uuid.Must(uuid.NewV7())
	logged2 := msg(3)
	err := s.Update(func(tx *boltstore.Tx) error {
		if _, err := tx.Ingest(&logged); err != nil {
			return err
		}
		if err := tx.StoreRejection(&refused, domain.EForbidden, "no"); err != nil {
			return err
		}
		_, err := tx.Ingest(&logged2)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	after := uuid.Must(uuid.NewV7()) // newer than every stored id
	ids := []uuid.UUID{after, logged2.ID, before, refused.ID, between, logged.ID, after, refused.ID}
	want := []boltstore.EventLookup{{}, {Logged: true}, {}, {Refused: true}, {}, {Logged: true}, {Repeat: true}, {Refused: true, Repeat: true}}
	_ = s.View(func(tx *boltstore.Tx) error {
		got := tx.LookUpEvents(ids)
		for i := range ids {
			if got[i] != want[i] {
				t.Errorf("id %d: %+v, want %+v", i, got[i], want[i])
			}
			_, isRefused := tx.Rejection(ids[i])
			if got[i].Logged != tx.HasEvent(ids[i]) || got[i].Refused != isRefused {
				t.Errorf("id %d: %+v disagrees with HasEvent and Rejection", i, got[i])
			}
		}
		return nil
	})
}
