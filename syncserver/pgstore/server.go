package pgstore

import (
	"context"
	"errors"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
	"github.com/jackc/puddle/v2"
)

// Server is one plant of the store as the sync server holds it: the
// plant's transactions, its projections and integrity, the server's
// clock and replica. The server's port has no context yet, so a Server
// carries the one it was opened with (its calls stop with it).
type Server struct {
	*Plant
	ctx     context.Context
	clock   *hlc.Clock
	replica string
}

// Server opens plant id (which must exist: CreatePlant) for a server
// process. The plant's server replica id is given at the first open and
// shared by every instance on the database: their events are numbered
// under the plant's lock, so they never reuse a sequence number.
func (s *Store) Server(ctx context.Context, id string) (*Server, error) {
	p := s.Plant(id)
	var replica string
	err := s.pool.QueryRow(ctx, `UPDATE plants SET replica = coalesce(replica, $2) WHERE id = $1 RETURNING replica`,
		id, uuid.Must(uuid.NewV7()).String()).Scan(&replica)
	if err != nil {
		return nil, p.missing(err)
	}
	return &Server{Plant: p, ctx: ctx, clock: hlc.NewClock(time.Now, 0), replica: replica}, nil
}

// View runs fn in a read-only transaction on one snapshot.
func (s *Server) View(fn func(*Tx) error) error { return s.Plant.View(s.ctx, fn) }

// Update runs fn in a transaction holding the plant's lock.
func (s *Server) Update(fn func(*Tx) error) error { return s.Plant.Update(s.ctx, fn) }

// CatchUp folds what the log holds and the projections lack.
func (s *Server) CatchUp() error { return s.Plant.CatchUp(s.ctx) }

// Project folds up to limit events awaiting projection.
func (s *Server) Project(limit int) (uint64, error) { return s.Plant.Project(s.ctx, limit) }

// IsClosed reports whether err says the store was closed, or the server's
// context ended, under the caller.
func (s *Server) IsClosed(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, puddle.ErrClosedPool)
}

// Clock is this process's hybrid logical clock.
func (s *Server) Clock() *hlc.Clock { return s.clock }

// Replica is the plant's server replica id.
func (s *Server) Replica() string { return s.replica }

// AcknowledgeOutbox has nothing to acknowledge on PostgreSQL: the server
// records its events acknowledged (RecordServerEvent) and keeps no
// outbox; only the bbolt store's seeding helpers fill one.
func (s *Server) AcknowledgeOutbox() error { return nil }

// ErrBackupIsTheDatabases refuses `boucle-server backup` on PostgreSQL.
var ErrBackupIsTheDatabases = domain.Errorf(domain.EInvalid,
	"the store is on PostgreSQL: back it up with the database's own tools (pg_dump, or base backups with WAL archiving); see docs/deployment.md")

// Backup is refused: a PostgreSQL database is backed up by PostgreSQL,
// consistently across its plants and server instances, which a copy of
// one plant's rows taken by one instance would not be.
func (s *Server) Backup(dest string, prepare func(*Tx) error) error { return ErrBackupIsTheDatabases }

// Health reads the schema version and the plant's row.
func (s *Server) Health() error { return s.Plant.Health(s.ctx) }

// QuarantinedCount is how many of the plant's events are quarantined; 0
// when the database does not answer (Health says so).
func (s *Server) QuarantinedCount() int {
	n, _ := s.Plant.QuarantinedCount(s.ctx)
	return n
}

// Quarantined lists the plant's quarantined events.
func (s *Server) Quarantined() ([]boltstore.Quarantined, error) { return s.Plant.Quarantined(s.ctx) }

// OnQuarantine sets the function told of each newly quarantined event.
func (s *Server) OnQuarantine(fn func(boltstore.Quarantined)) { s.store.OnQuarantine(fn) }
