package syncserver_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/boltserver"
	"boucle/syncserver/pgstore"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The server's API tests run on every adapter: a test written
// onEachStore(t, func(t *testing.T, on adapter) {...}) runs once on a
// bbolt directory and once on a plant of PostgreSQL (a plant id of its
// own in the database pgtest's server shares between the package's
// tests), its harness built by on.harness or on.open. A
// test that stays on bbolt (it reads or damages the bbolt file) says why
// beside its newHarness.

// adapter is a store the server runs on in the tests.
type adapter struct {
	name     string
	postgres bool
}

var adapters = []adapter{{name: "bbolt"}, {name: "postgres", postgres: true}}

// onEachStore runs test once on each adapter, as subtests.
func onEachStore(t *testing.T, test func(t *testing.T, on adapter)) {
	t.Helper()
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) { test(t, a) })
	}
}

// harness is newHarness on the adapter: a seeded plant.
func (a adapter) harness(tb testing.TB, opts ...func(*syncserver.Config)) *harness {
	tb.Helper()
	return a.open(tb, true, opts...)
}

// open is openHarness on a fresh store of the adapter.
func (a adapter) open(tb testing.TB, seed bool, opts ...func(*syncserver.Config)) *harness {
	tb.Helper()
	if !a.postgres {
		return openHarness(tb, tb.TempDir(), seed, opts...)
	}
	// A plant of its own in the binary's shared database: creating and
	// dropping a database per test took most of the tests' time.
	place := &pgPlace{url: pgtest.SharedDB(tb), plant: "t" + strings.ReplaceAll(uuid.NewString(), "-", ""), keys: newTestKeys(tb)}
	return openPostgresHarness(tb, place, newClock(), seed, opts...)
}

// pgPlace is what a harness on PostgreSQL keeps to open its plant
// again: the database, and the keys the key file would hold.
type pgPlace struct {
	url, plant string
	keys       *syncserver.Keyring
	tracer     pgx.QueryTracer // nil, or told of every statement (roundtrips_test.go)
}

func newTestKeys(tb testing.TB) *syncserver.Keyring {
	tb.Helper()
	keys, err := syncserver.NewKeyring(syncserver.ServerKey{Kid: "k1", Secret: []byte(uuid.NewString()), Created: time.Now().UTC()})
	if err != nil {
		tb.Fatal(err)
	}
	return keys
}

// openPostgresHarness serves pg's plant, as boucle-server
// serve --store postgres://… does (the failed sign-ins counted in the
// database), on the clock c.
func openPostgresHarness(tb testing.TB, pg *pgPlace, c *clock, seed bool, opts ...func(*syncserver.Config)) *harness {
	tb.Helper()
	ctx := context.Background()
	h := &harness{t: tb, clock: c, logBuf: &syncBuffer{}, pgOpen: pg}
	log := slog.New(slog.NewTextHandler(h.logBuf, nil))
	var traced []pgstore.Option
	if pg.tracer != nil {
		traced = append(traced, pgstore.WithTracer(pg.tracer))
	}
	db, err := pgstore.Open(ctx, pg.url, traced...)
	if err != nil {
		tb.Fatal(err)
	}
	db.SetClock(c.Now)
	db.SetHLCClock(c.Now)
	if _, err := db.CreatePlant(ctx, pg.plant); err != nil {
		tb.Fatal(err)
	}
	plant, err := db.Server(ctx, pg.plant)
	if err != nil {
		tb.Fatal(err)
	}
	h.pg, h.ports = plant, syncserver.StoreOn(plant)
	cfg := syncserver.Config{Plant: "test-plant", Now: c.Now, Logger: log, Keys: pg.keys,
		AttemptLimits: func(burst int, per time.Duration) syncserver.AttemptLimit {
			return db.AttemptLimit(pg.plant, c.Now, burst, per)
		}}
	for _, o := range opts {
		o(&cfg)
	}
	if h.srv, err = syncserver.NewOn(h.ports, cfg); err != nil {
		tb.Fatal(err)
	}
	if h.conf, err = cfg.Keys.Confidential(); err != nil {
		tb.Fatal(err)
	}
	h.listen(db.Close, seed)
	return h
}

func boltserverPorts(store *boltstore.Store) syncserver.Store {
	return syncserver.StoreOn(boltserver.New(store))
}

// restart stops the server and serves its store again, as a restarted
// boucle-server does: what the store keeps survives, the process's memory
// does not.
func (h *harness) restart(opts ...func(*syncserver.Config)) *harness {
	h.t.Helper()
	h.closed()
	if h.pgOpen != nil {
		return openPostgresHarness(h.t, h.pgOpen, h.clock, false, opts...)
	}
	return openHarness(h.t, h.dir, false, opts...)
}

// backup copies the store as its administrator backs it up (the server's
// backup on bbolt, pg_dump on PostgreSQL) and returns what serves the copy
// as a restored server: the store put in a new place (a new directory, a
// fresh database), the key file kept apart put back.
func (h *harness) backup() (restore func() *harness) {
	h.t.Helper()
	if h.pgOpen != nil {
		dump := pgtest.Dump(h.t, h.pgOpen.url)
		return func() *harness {
			return openPostgresHarness(h.t, &pgPlace{url: pgtest.Restore(h.t, dump), plant: h.pgOpen.plant, keys: h.pgOpen.keys}, newClock(), false)
		}
	}
	backup := filepath.Join(h.t.TempDir(), "backup.db")
	if _, err := h.admin.Backup(context.Background(), backup); err != nil {
		h.t.Fatal(err)
	}
	return func() *harness {
		dir := h.t.TempDir()
		if err := os.Rename(backup, storePath(dir)); err != nil {
			h.t.Fatal(err)
		}
		h.copyKeyFile(dir) // kept apart from the store's backups
		return openHarness(h.t, dir, false)
	}
}

// record records commands at the server, through its store, in actor's
// name, as a workstation would have pushed them, and returns the
// entities' ids (a command without one gets a new id).
func (h *harness) record(actor boltstore.Actor, cmds ...boltstore.Command) []string {
	h.t.Helper()
	ids := make([]string, len(cmds))
	for i := range cmds {
		if cmds[i].EntityID == "" {
			cmds[i].EntityID = uuid.NewString()
		}
		ids[i] = cmds[i].EntityID
	}
	// The pushes logged before are folded first: the commands are checked
	// against the entities' states (PostgreSQL's projections follow the log
	// in the background).
	err := h.ports.CatchUp(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	err = h.ports.UpdateAccess(context.Background(), func(tx syncserver.AccessTx) error {
		for _, c := range cmds {
			if err := tx.RecordServerEvent(actor, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatalf("recording %s: %v", cmds[0].Type, err)
	}
	return ids
}

// state reads an entity's folded state, once the projections have caught
// up with the log.
func (h *harness) state(k domain.EntityKey) *domain.State {
	h.t.Helper()
	ctx := context.Background()
	var st *domain.State
	err := h.ports.CatchUp(ctx)
	if err == nil {
		err = h.ports.ViewProjections(ctx, func(tx syncserver.ProjectionTx) (err error) { st, err = tx.State(k); return err })
	}
	if err != nil {
		h.t.Fatalf("state of %s: %v", k, err)
	}
	return st
}

// appendRaw logs an event as it is, past the push's checks, as a store an
// older server wrote holds it.
func (h *harness) appendRaw(e domain.Event) {
	h.t.Helper()
	if err := h.ports.UpdateLog(context.Background(), func(tx syncserver.LogTx) error { return tx.AppendNew(&e, nil) }); err != nil {
		h.t.Fatal(err)
	}
}
