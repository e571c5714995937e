package pgstore

import (
	"context"
	"testing"

	"boucle/shared/domain"
)

// An event of a type an older binary does not know is logged, not
// folded, and remembered; a binary that knows the type refolds its
// entity when it starts, once, even when two start together.
func TestNewlyKnownEventsAreFoldedAtStart(t *testing.T) {
	stores := newStores(t, 3)
	ctx := context.Background()
	older := stores[0]
	older.known = func(e *domain.Event) bool { return e.Type != domain.ActionCompleted && e.Known() }
	p := newPlant(t, older, "p1")
	events := (&replica{id: "ws-1"}).next(1)
	k, id := events[0].Key(), events[0].ID
	appendLog(t, p, events)
	if st := stateOf(t, p, k); st.Has(id) {
		t.Fatal("the older binary folded an event it does not know")
	}
	errs := make(chan error, 2)
	for _, s := range stores[1:] { // two newer instances start together
		go func() { _, err := s.Server(ctx, "p1"); errs <- err }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if st := stateOf(t, stores[1].Plant("p1"), k); !st.Has(id) || st.Meta.Events != 1 {
		t.Fatalf("after the newer start: has the event %v, events folded %d; want it folded once", st.Has(id), st.Meta.Events)
	}
	var left int
	if err := older.pool.QueryRow(ctx, "SELECT count(*) FROM unfolded WHERE plant = 'p1'").Scan(&left); err != nil || left != 0 {
		t.Fatalf("unfolded left: %d, %v", left, err)
	}
}

// stateOf is the stored state of k after the projector caught up.
func stateOf(t *testing.T, p *Plant, k domain.EntityKey) *domain.State {
	t.Helper()
	if err := p.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	var st *domain.State
	err := p.Update(context.Background(), func(tx *Tx) error {
		if err := tx.loadStates([]domain.EntityKey{k}); err != nil {
			return err
		}
		st = tx.folds[k].state
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}
