package syncclient_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"boucle/internal/pgtest"
	"boucle/syncserver/pgstore"
)

// The sync's fault tests run the real server on each store it serves: a
// bbolt directory and a plant on PostgreSQL (pgtest's server, a database
// per test). A test runs on both through onEachStore; one that cannot
// (it reads the server's bbolt file) says why beside its newPlant.

// serverStore is one kind of store the real server runs on.
type serverStore struct {
	name     string
	postgres bool
}

var serverStores = []serverStore{{name: "bbolt"}, {name: "postgres", postgres: true}}

// onEachStore runs test once per store, as parallel subtests.
func onEachStore(t *testing.T, test func(t *testing.T, st serverStore)) {
	t.Helper()
	for _, st := range serverStores {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			test(t, st)
		})
	}
}

// testPlantID is the plant the server on PostgreSQL serves.
const testPlantID = "works-1"

// plant starts the real server on a fresh store of this kind, with the
// test plant's stations and users.
func (st serverStore) plant(t *testing.T, serveFlags ...string) *plant {
	t.Helper()
	needServer(t)
	if !st.postgres {
		return plantOn(t, startServer(t, t.TempDir(), serveFlags...))
	}
	url := pgtest.DB(t)
	p := plantOn(t, startServerEnv(t, t.TempDir(), postgresEnv(url), serveFlags...))
	p.db = url
	return p
}

// postgresEnv points serve and the admin commands at the test plant in
// the database at url.
func postgresEnv(url string) []string {
	return []string{"BOUCLE_STORE=" + url, "BOUCLE_PLANT=" + testPlantID}
}

// backup copies the plant's store as its administrator backs it up (the
// server's backup command on bbolt, pg_dump on PostgreSQL), and returns
// what puts the copy in place of the store once the server is stopped.
func (p *plant) backup(t *testing.T) (restore func()) {
	t.Helper()
	if p.db != "" {
		dump := pgtest.Dump(t, p.db)
		return func() {
			p.db = pgtest.Restore(t, dump) // a fresh database, as an administrator restores a dump
			p.srv.env = postgresEnv(p.db)
		}
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	p.srv.mustAdmin("", "backup", path)
	return func() {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p.srv.storePath(), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// postgresHash is the hash of the plant's folded states in the database,
// its backlog folded first (the same hash as boltstore's StatesHash).
func (p *plant) postgresHash(t *testing.T) [32]byte {
	t.Helper()
	ctx := context.Background()
	db, err := pgstore.Open(ctx, p.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plant := db.Plant(testPlantID)
	if err := plant.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var h [32]byte
	if err := plant.View(ctx, func(tx *pgstore.Tx) (err error) { h, err = tx.StatesHash(); return err }); err != nil {
		t.Fatal(err)
	}
	return h
}
