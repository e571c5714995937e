package pgstore

import (
	"context"
	neturl "net/url"
	"strings"
	"testing"

	"boucle/internal/pgtest"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A plant opened in a database restored from a dump of another (pg_dump,
// pg_restore into a fresh database) begins a new epoch with a new server
// replica, once: the next opens there, a restart, keep them; opening the
// original again renews nothing.
func TestPlantRestoredFromADumpRenewsItsEpochOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	first := openServer(t, url)
	if first.Restored() != nil {
		t.Fatalf("a new plant opened as a restore: %+v", first.Restored())
	}
	epoch, _ := first.Epoch(ctx)
	dump := pgtest.Dump(t, url)

	copyURL := pgtest.Restore(t, dump)
	copied := openServer(t, copyURL)
	r := copied.Restored()
	now, _ := copied.Epoch(ctx)
	if r == nil || r.Previous != epoch || r.Epoch != now || now == epoch || copied.Replica() == first.Replica() || r.Replica != copied.Replica() {
		t.Fatalf("the restored plant: %+v, epoch %s (was %s), replica %s (was %s); want a new epoch and replica", r, now, epoch, copied.Replica(), first.Replica())
	}
	var restored, previous []byte
	if err := copied.View(ctx, func(tx *Tx) (err error) {
		if restored, err = tx.Setting(settingEpochRestored); err != nil {
			return err
		}
		previous, err = tx.Setting(settingPreviousEpoch)
		return err
	}); err != nil || string(restored) != "1" || string(previous) != epoch {
		t.Fatalf("settings of the restored plant: restored %q, previous %q (%v)", restored, previous, err)
	}

	again := openServer(t, copyURL)
	if again.Restored() != nil || again.Replica() != copied.Replica() {
		t.Fatalf("the restored plant's second open: %+v, replica %s; want nothing renewed", again.Restored(), again.Replica())
	}
	if back := openServer(t, url); back.Restored() != nil || back.Replica() != first.Replica() {
		t.Fatalf("the original plant opened again: %+v; want nothing renewed", back.Restored())
	}
}

// A plant migrated from a bbolt backup copy carries its "restore
// pending": the first open renews the epoch, as bbolt's would.
func TestRestorePendingRenewsTheEpoch(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	first := openServer(t, url)
	if err := first.Update(ctx, func(tx *Tx) error { return tx.PutSetting(settingRestorePending, []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	second := openServer(t, url)
	var pending []byte
	_ = second.View(ctx, func(tx *Tx) (err error) { pending, err = tx.Setting(settingRestorePending); return err })
	if second.Restored() == nil || second.Replica() == first.Replica() || pending != nil {
		t.Fatalf("open after restore_pending: %+v, pending %q; want renewed and the mark gone", second.Restored(), pending)
	}
}

// openServer opens plant p1 of the database at url, creating it.
func openServer(t *testing.T, url string) *Server {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if _, err := s.CreatePlant(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	srv, err := s.Server(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// The database's identity reads without privileges: the server's role
// is no superuser in a plant's database.
func TestHomeReadsAsAnOrdinaryRole(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	role := "app_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	admin := newPoolAt(t, url)
	if _, err := admin.Exec(ctx, "CREATE ROLE "+role+" LOGIN NOSUPERUSER"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), "DROP ROLE "+role) })
	u, _ := neturl.Parse(url)
	u.User = neturl.User(role)
	app := newPoolAt(t, u.String())
	mine, err := (&Store{pool: app}).home(ctx)
	if err != nil {
		t.Fatalf("the database's identity as role %s: %v", role, err)
	}
	if theirs, err := (&Store{pool: admin}).home(ctx); err != nil || theirs != mine || !strings.Contains(mine, "/") {
		t.Fatalf("identity %q as %s, %q (%v) as the superuser", mine, role, theirs, err)
	}
}

func newPoolAt(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
