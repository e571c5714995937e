package pgstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// A fresh database gets every migration, and a second start changes
// nothing.
func TestMigrateFreshThenAgain(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	from, to, err := Migrate(ctx, pool)
	if err != nil || from != 0 || to != SchemaVersion {
		t.Fatalf("first Migrate: %d→%d, %v; want 0→%d", from, to, err, SchemaVersion)
	}
	for _, table := range []string{"plants", "events", "replica_marks", "rejections", "complaint_filings", "complaint_numbers"} {
		var ok bool
		if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&ok); err != nil || !ok {
			t.Fatalf("table %s after Migrate: %v, %v", table, ok, err)
		}
	}
	from, to, err = Migrate(ctx, pool)
	if err != nil || from != SchemaVersion || to != SchemaVersion {
		t.Fatalf("second Migrate: %d→%d, %v; want %d→%d", from, to, err, SchemaVersion, SchemaVersion)
	}
}

// A database at version 1 gets the later files only.
func TestMigrateUpgradesFromAnOlderVersion(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	v1 := testMigrations(t, fstest.MapFS{"schema/0001_a.sql": {Data: []byte("CREATE TABLE a (n int)")}})
	if _, _, err := migrate(ctx, pool, v1); err != nil {
		t.Fatal(err)
	}
	v2 := testMigrations(t, fstest.MapFS{
		"schema/0001_a.sql": {Data: []byte("CREATE TABLE a (n int)")}, // applied again, it would fail
		"schema/0002_b.sql": {Data: []byte("CREATE TABLE b (n int); INSERT INTO a VALUES (2)")},
	})
	from, to, err := migrate(ctx, pool, v2)
	if err != nil || from != 1 || to != 2 {
		t.Fatalf("upgrade: %d→%d, %v; want 1→2", from, to, err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT n FROM a").Scan(&n); err != nil || n != 2 {
		t.Fatalf("the second file's insert: %d, %v", n, err)
	}
}

// A database migrated by a newer binary is refused, naming both versions,
// and left as it was.
func TestMigrateRefusesANewerDatabase(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	if _, _, err := Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	newer := append(mustLoad(schemaFiles), migration{version: SchemaVersion + 1, file: "next.sql", sql: "CREATE TABLE from_the_future (n int)"})
	if _, _, err := migrate(ctx, pool, newer); err != nil {
		t.Fatal(err)
	}
	from, to, err := Migrate(ctx, pool)
	var tooNew *SchemaTooNewError
	if !errors.As(err, &tooNew) || tooNew.Database != SchemaVersion+1 || tooNew.Binary != SchemaVersion {
		t.Fatalf("Migrate on a newer database: %v, want SchemaTooNewError{%d, %d}", err, SchemaVersion+1, SchemaVersion)
	}
	if from != SchemaVersion+1 || to != SchemaVersion+1 {
		t.Fatalf("versions reported: %d→%d", from, to)
	}
	msg := err.Error()
	for _, want := range []string{"version " + itoa(SchemaVersion+1), "boucle-server's " + itoa(SchemaVersion)} {
		if !strings.Contains(msg, want) {
			t.Fatalf("message %q does not say %q", msg, want)
		}
	}
	var still int
	if err := pool.QueryRow(ctx, "SELECT max(version) FROM schema_migrations").Scan(&still); err != nil || still != SchemaVersion+1 {
		t.Fatalf("the refused database's version: %d, %v", still, err)
	}
}

// A file that fails leaves the database as it was: the files before it in
// the same start are not applied either.
func TestMigrateIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	ms := testMigrations(t, fstest.MapFS{
		"schema/0001_ok.sql":     {Data: []byte("CREATE TABLE ok (n int)")},
		"schema/0002_broken.sql": {Data: []byte("CREATE TABLE broken (n nosuchtype)")},
	})
	_, _, err := migrate(ctx, pool, ms)
	if err == nil || !strings.Contains(err.Error(), "0002_broken.sql") {
		t.Fatalf("broken migration: %v, want an error naming 0002_broken.sql", err)
	}
	var ok, versions bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass('ok') IS NOT NULL, to_regclass('schema_migrations') IS NOT NULL").Scan(&ok, &versions); err != nil {
		t.Fatal(err)
	}
	if ok || versions {
		t.Fatalf("after a failed start: table ok %v, schema_migrations %v; want neither", ok, versions)
	}
}

// Several servers starting at once on one database apply each file once.
func TestMigrateConcurrentStarts(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { _, _, errs[i] = Migrate(ctx, pool) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != SchemaVersion {
		t.Fatalf("%d migrations recorded, %v; want %d", n, err, SchemaVersion)
	}
}

// Files are named NNNN_what.sql and numbered from 1 without holes.
func TestLoadMigrationsRefusesBadFiles(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"hole":     {"schema/0001_a.sql": {}, "schema/0003_c.sql": {}},
		"repeat":   {"schema/0001_a.sql": {}, "schema/0001_b.sql": {}},
		"bad name": {"schema/1_a.sql": {}},
		"no one":   {"schema/0002_b.sql": {}},
	} {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: loaded, want an error", name)
		}
	}
	if _, err := loadMigrations(schemaFiles); err != nil {
		t.Fatalf("the embedded schema: %v", err)
	}
}

func testMigrations(t *testing.T, fsys fstest.MapFS) migrations {
	t.Helper()
	ms, err := loadMigrations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func itoa(n int) string { return strconv.Itoa(n) }

// A database at the first version of the embedded schema reaches the
// latest, keeping its rows.
func TestMigrateTheEmbeddedSchemaFromVersion1(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	if _, _, err := migrate(ctx, pool, mustLoad(schemaFiles)[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "INSERT INTO plants (id, epoch) VALUES ('north', 'e1')"); err != nil {
		t.Fatal(err)
	}
	from, to, err := Migrate(ctx, pool)
	if err != nil || from != 1 || to != SchemaVersion || SchemaVersion < 2 {
		t.Fatalf("upgrade: %d→%d, %v; want 1→%d", from, to, err, SchemaVersion)
	}
	var plants int
	var filings bool
	if err := pool.QueryRow(ctx, "SELECT count(*), to_regclass('complaint_filings') IS NOT NULL FROM plants").Scan(&plants, &filings); err != nil || plants != 1 || !filings {
		t.Fatalf("after the upgrade: %d plants, complaint_filings %v, %v", plants, filings, err)
	}
}
