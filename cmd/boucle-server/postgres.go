package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/boltserver"
	"boucle/syncserver/pgstore"
)

// A plant on PostgreSQL (--store postgres://…): the database holds the
// plants, --plant names the one a command works on. Opening the store
// applies the embedded migrations (pgstore.Open; a database newer than the
// binary is refused). serve creates the plant on its first start, as it
// creates a bbolt store; the other commands need it to exist. Several
// processes may open one plant at once (serve instances, and commands
// beside them), so there is no admin socket: a command opens the database
// itself.

// pgPlant is one plant of a PostgreSQL store, opened by a command.
type pgPlant struct {
	db    *pgstore.Store
	srv   *pgstore.Server
	ports syncserver.Store
}

// openPostgres opens the database of --store and the plant of --plant.
// serve (create) waits for a database that cannot be reached yet, with
// backoff, and creates the plant; a command gives up at once and needs
// the plant.
func (m *Main) openPostgres(ctx context.Context, create bool, log *slog.Logger) (*pgPlant, error) {
	if err := pgstore.ValidatePlantID(m.cfg.Plant); err != nil {
		return nil, fmt.Errorf("--plant: %w", err)
	}
	var db *pgstore.Store
	var err error
	if create {
		db, err = pgstore.OpenWhenReachable(ctx, m.cfg.Postgres, pgstore.DefaultBackoff, func(err error, retryIn time.Duration) {
			log.Warn("the database cannot be reached yet; trying again", "err", err, "retry_in", retryIn)
		})
	} else {
		db, err = pgstore.Open(ctx, m.cfg.Postgres)
	}
	if err != nil {
		return nil, fmt.Errorf("--store %s: %w", redactStore(m.cfg.Postgres), err)
	}
	if create {
		if _, err := db.CreatePlant(ctx, m.cfg.Plant); err != nil {
			db.Close()
			return nil, err
		}
	}
	srv, err := db.Server(ctx, m.cfg.Plant)
	if domain.ErrorCode(err) == domain.ENotFound {
		err = fmt.Errorf("no plant %q in the database of --store %s: start it once with 'boucle-server serve --store URL --plant %s'",
			m.cfg.Plant, redactStore(m.cfg.Postgres), m.cfg.Plant)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if r := srv.Restored(); r != nil {
		log.Warn("plant opened in a copy of its database (a restore): new epoch; workstations will re-push what it lacks",
			"epoch", r.Epoch, "previous_epoch", r.Previous, "replica", r.Replica)
	}
	return &pgPlant{db: db, srv: srv, ports: syncserver.StoreOn(srv)}, nil
}

func (p *pgPlant) Close() { p.db.Close() }

// openedStore is the store serve runs on: a bbolt directory or a plant on
// PostgreSQL, through the server's ports either way.
type openedStore struct {
	ports      syncserver.Store
	leadership syncserver.Leadership // nil on bbolt: its one process leads
	// attempts counts failed sign-ins where every instance sees them (in
	// the database); nil on bbolt: in the process's memory.
	attempts func(burst int, per time.Duration) syncserver.AttemptLimit
	// groupAttempts: the group accounts' limits, one for the database.
	groupAttempts func(burst int, per time.Duration) syncserver.AttemptLimit
	// group is the group of the database's plants (group.go); nil on
	// bbolt: one plant, no group.
	group syncserver.GroupStore
	name  string   // for the log, without a password
	flags string   // the flags that name it again, for the hints printed
	pg    *pgPlant // nil on bbolt
	close func() error
}

// openServeStore opens the plant serve runs: on PostgreSQL, its row
// created on first start, the recorder of verdicts elected among the
// instances by the plant's advisory lock, the failed sign-ins counted in
// the database so that the instances share one limit.
func (m *Main) openServeStore(ctx context.Context, log *slog.Logger) (*openedStore, error) {
	if m.cfg.Postgres == "" {
		store, err := syncserver.OpenStore(m.cfg.Data, boltstore.Options{}, log)
		if err != nil {
			return nil, lockedHint(err)
		}
		return &openedStore{ports: syncserver.StoreOn(boltserver.New(store)), name: m.cfg.Data,
			flags: "--data " + m.cfg.Data, close: store.Close}, nil
	}
	p, err := m.openPostgres(ctx, true, log)
	if err != nil {
		return nil, err
	}
	group, err := groupOf(ctx, p.db)
	if err != nil {
		p.Close()
		return nil, err
	}
	leader := p.db.Leader(m.cfg.Plant)
	name := redactStore(m.cfg.Postgres)
	attempts := func(burst int, per time.Duration) syncserver.AttemptLimit {
		return p.db.AttemptLimit(m.cfg.Plant, time.Now, burst, per)
	}
	groupAttempts := func(burst int, per time.Duration) syncserver.AttemptLimit {
		return p.db.GroupAttemptLimit(time.Now, burst, per)
	}
	return &openedStore{ports: p.ports, leadership: leader, attempts: attempts, groupAttempts: groupAttempts, group: group, name: name, pg: p,
		flags: fmt.Sprintf("--store %s --plant %s", name, m.cfg.Plant),
		close: func() error { leader.Close(); p.Close(); return nil }}, nil
}

// Close closes the store (serve's paths that fail before serving).
func (s *openedStore) Close() { _ = s.close() }
