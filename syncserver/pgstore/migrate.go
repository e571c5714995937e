package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// The schema is a series of SQL files in schema/, embedded in the binary:
// NNNN_what.sql, numbered from 0001 without holes. A file, once released,
// never changes: a change of schema is a new file.
//
//go:embed schema/*.sql
var schemaFiles embed.FS

// migrationLock is the advisory lock key taken by Migrate ("boucle-m"):
// several servers starting at once on one database apply each migration
// once, one after the other.
const migrationLock = 0x626f75636c652d6d

// SchemaVersion is the version of the schema this binary writes and reads.
var SchemaVersion = mustLoad(schemaFiles).latest()

// SchemaTooNewError refuses a database whose schema a newer binary
// migrated: this one does not know its tables.
type SchemaTooNewError struct {
	Database int // the database's schema version
	Binary   int // the latest this binary knows
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("the database's schema is at version %d, newer than this boucle-server's %d: "+
		"a newer boucle-server migrated it; run that version (or a later one), not this one", e.Database, e.Binary)
}

// migration is one file of schema/.
type migration struct {
	version int
	file    string
	sql     string
}

type migrations []migration

func (ms migrations) latest() int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)

// loadMigrations reads the SQL files of dir schema in fsys, in version
// order; a badly named file or a hole in the numbering is an error.
func loadMigrations(fsys fs.FS) (migrations, error) {
	names, err := fs.Glob(fsys, "schema/*.sql")
	if err != nil {
		return nil, err
	}
	var out migrations
	for _, name := range names {
		base := path.Base(name)
		m := migrationName.FindStringSubmatch(base)
		if m == nil {
			return nil, fmt.Errorf("schema file %s: the name must be NNNN_what.sql (lower case)", base)
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		v, _ := strconv.Atoi(m[1])
		out = append(out, migration{version: v, file: base, sql: string(raw)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("schema file %s: version %d follows %d: versions run from 1 without holes or repeats", m.file, m.version, i)
		}
	}
	return out, nil
}

func mustLoad(fsys fs.FS) migrations {
	ms, err := loadMigrations(fsys)
	if err != nil {
		panic(err)
	}
	return ms
}

// beginner is what Migrate needs of a connection or a pool.
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Migrate brings the database's schema to SchemaVersion in one
// transaction: every pending file is applied, or none. It returns the
// versions before and after; a database at a newer version than the
// binary's is refused with a *SchemaTooNewError and left untouched.
func Migrate(ctx context.Context, db beginner) (from, to int, err error) {
	return migrate(ctx, db, mustLoad(schemaFiles))
}

func migrate(ctx context.Context, db beginner, ms migrations) (from, to int, err error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
		return 0, 0, err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer     PRIMARY KEY,
		file       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, 0, err
	}
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&from); err != nil {
		return 0, 0, err
	}
	if from > ms.latest() {
		return from, from, &SchemaTooNewError{Database: from, Binary: ms.latest()}
	}
	for _, m := range ms[from:] {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return from, from, fmt.Errorf("schema migration %s: %w", m.file, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, file) VALUES ($1, $2)", m.version, m.file); err != nil {
			return from, from, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return from, from, err
	}
	return from, ms.latest(), nil
}
