package pgstore

import (
	"context"
	"testing"
)

// Two instances on one database: one leads the plant; when its
// connection dies (the instance killed, the network cut), the lock goes
// with it and the other takes the lead at its next look; the old leader
// is told it no longer leads.
func TestLeaderTakenOverWhenItsConnectionDies(t *testing.T) {
	ctx := context.Background()
	stores := newStores(t, 2)
	newPlant(t, stores[0], "north")
	a, b := stores[0].Leader("north"), stores[1].Leader("north")
	defer a.Close()
	defer b.Close()
	mustLead := func(name string, l *Leader, want bool) {
		t.Helper()
		if got, err := l.Leading(ctx); err != nil || got != want {
			t.Fatalf("%s leading: %v, %v; want %v", name, got, err, want)
		}
	}
	mustLead("a", a, true)
	mustLead("b", b, false)
	mustLead("a, asked again", a, true)

	var ok bool // waits until the backend, and its session's lock, are gone
	if err := adminConn(t).QueryRow(ctx, "SELECT pg_terminate_backend($1, 60000)", int32(a.PID())).Scan(&ok); err != nil || !ok {
		t.Fatalf("terminating the leader's backend: %v, %v", ok, err)
	}
	mustLead("b, once a's connection is gone", b, true)
	mustLead("a, its connection gone", a, false)

	b.Close() // b stops: a takes the lead again
	mustLead("a, once b gave up", a, true)
}

// Each plant has its own leader: leading one does not lead another.
func TestEachPlantHasItsOwnLeader(t *testing.T) {
	ctx := context.Background()
	stores := newStores(t, 2)
	newPlant(t, stores[0], "north")
	newPlant(t, stores[0], "south")
	north, south := stores[0].Leader("north"), stores[1].Leader("south")
	defer north.Close()
	defer south.Close()
	for name, l := range map[string]*Leader{"north": north, "south": south} {
		if got, err := l.Leading(ctx); err != nil || !got {
			t.Fatalf("%s's only candidate leading: %v, %v", name, got, err)
		}
	}
}
