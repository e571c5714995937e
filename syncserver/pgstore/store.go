// Package pgstore is the sync server's store on PostgreSQL (pgx v5): the
// plants' event logs, for groups of plants and servers that outgrow one
// process on a bbolt file. docs/postgresql.md describes the schema and the
// guarantees; schema/ holds the migrations.
package pgstore

import (
	"context"
	"errors"
	"regexp"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is one PostgreSQL database holding the logs of one or more
// plants. It is safe for concurrent use, by several server processes too.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
	// copyHook, when set by a test, runs before each event a push copies
	// to the log, with the backend's pid and the index in the copy: the
	// fault tests cut the connection there.
	copyHook func(pid uint32, n int)
	// quarantine tells of the events newly quarantined (integrity.go).
	quarantine quarantineHook
	// clock is this process's hybrid logical clock: it stamps the events
	// the server records, and observes those it logs.
	clock *hlc.Clock
	// known tells the events this binary folds: (*domain.Event).Known,
	// reduced by a test to play an older binary.
	known func(*domain.Event) bool
}

// Open connects to the database at url (postgres://...) and migrates its
// schema (Migrate): a database newer than the binary is refused.
//
// A URL that does not parse is EInvalid naming the store; a database that
// cannot be reached is EUnavailable naming its address (the caller
// retries), never the password.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, domain.FieldError("store", "is not a PostgreSQL URL (postgres://user@host:port/database): %v", err)
	}
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, _, err := Migrate(ctx, pool); err != nil {
		pool.Close()
		var connect *pgconn.ConnectError
		if isUnreachable(err) && errors.As(err, &connect) {
			c := cfg.ConnConfig
			return nil, domain.Errorf(domain.EUnavailable, "cannot reach PostgreSQL at %s:%d (database %q, user %q): %v",
				c.Host, c.Port, c.Database, c.User, connect.Unwrap())
		}
		return nil, err
	}
	return &Store{pool: pool, now: time.Now, clock: hlc.NewClock(time.Now, 0), known: (*domain.Event).Known}, nil
}

// Option changes the pool's configuration before Open connects.
type Option func(*pgxpool.Config)

// WithTracer has every statement, batch and copy of the store's
// connections told to tracer (a test counting the round trips of a
// request; it may also implement pgx.BatchTracer and pgx.CopyFromTracer).
func WithTracer(tracer pgx.QueryTracer) Option {
	return func(cfg *pgxpool.Config) { cfg.ConnConfig.Tracer = tracer }
}

// Close closes the store's connections.
func (s *Store) Close() { s.pool.Close() }

// Pool is the store's connection pool, for the server's other tables.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// SetClock replaces the clock that dates refusals (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// SetHLCClock gives the process's hybrid logical clock another physical
// time, before any plant is served (tests whose time moves, as the bbolt
// store's Options.Now does).
func (s *Store) SetHLCClock(now func() time.Time) { s.clock = hlc.NewClock(now, 0) }

var plantID = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// ValidatePlantID checks a plant id: 1 to 63 lower-case letters, digits,
// dots, dashes or underscores, starting with a letter or digit.
func ValidatePlantID(id string) error {
	if !plantID.MatchString(id) {
		return domain.FieldError("plant", "%q is not a plant id: 1 to 63 lower-case letters, digits, '.', '-' or '_', starting with a letter or digit", id)
	}
	return nil
}

// CreatePlant adds a plant with an empty log and a new epoch, and returns
// its epoch; a plant that exists keeps its log and epoch.
func (s *Store) CreatePlant(ctx context.Context, id string) (epoch string, err error) {
	if err := ValidatePlantID(id); err != nil {
		return "", err
	}
	_, err = s.pool.Exec(ctx, "INSERT INTO plants (id, epoch) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
		id, uuid.Must(uuid.NewV7()).String())
	if err != nil {
		return "", err
	}
	return s.Plant(id).Epoch(ctx)
}

// Plant is the log of one plant in the store. Every statement it runs
// names the plant: nothing of another plant is read or written.
type Plant struct {
	store *Store
	id    string
}

// Plant returns the log of plant id (see CreatePlant).
func (s *Store) Plant(id string) *Plant { return &Plant{store: s, id: id} }

// ID is the plant's id.
func (p *Plant) ID() string { return p.id }

// Epoch is the id of the plant's log, given at its creation; pull cursors
// carry it.
func (p *Plant) Epoch(ctx context.Context) (string, error) {
	var epoch string
	err := p.store.pool.QueryRow(ctx, "SELECT epoch FROM plants WHERE id = $1", p.id).Scan(&epoch)
	return epoch, p.missing(err)
}

// missing turns "no row" for the plant into ENotFound naming it.
func (p *Plant) missing(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENotFound, "no plant %q in this database", p.id)
	}
	return err
}
