package pgstore

import (
	"context"
	"strings"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
)

// Check reports a sound plant as sound, then names a state that differs
// from its refold and an event whose bytes do not decode.
func TestCheckFindsStatesAndEventsThatDoNotHold(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	newPlant(t, s, "p1")
	srv, err := s.Server(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncserver.NewAdminOn(syncserver.StoreOn(srv), nil).Bootstrap(); err != nil {
		t.Fatal(err)
	}
	r, err := srv.Check(ctx)
	if err != nil || len(r.Problems) != 0 || r.States == 0 || r.Events == 0 || r.Schema == 0 {
		t.Fatalf("Check of a sound plant = %+v, %v; want states and events compared, no problem", r, err)
	}

	cat := domain.EntityKey{Type: domain.EntityCategory}
	if err := s.pool.QueryRow(ctx, "SELECT id FROM states WHERE plant = 'p1' AND type = $1 ORDER BY id LIMIT 1", string(cat.Type)).Scan(&cat.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, "UPDATE states SET body = $4 WHERE plant = $1 AND type = $2 AND id = $3",
		"p1", string(cat.Type), cat.ID, boltstore.EncodeState(domain.NewState(cat))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, "UPDATE events SET body = 'not an event' WHERE plant = 'p1' AND pos = 1"); err != nil {
		t.Fatal(err)
	}
	r, err = srv.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(r.Problems, "\n")
	if r.Differ == 0 || !strings.Contains(all, "state of category "+cat.ID+" differs") || r.Damaged != 1 || !strings.Contains(all, "position 1") {
		t.Errorf("Check after damage = %d differ, %d damaged:\n%s\nwant the category's state and the event at position 1 named", r.Differ, r.Damaged, all)
	}
}
