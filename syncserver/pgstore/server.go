package pgstore

import (
	"context"
	"errors"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
	"github.com/jackc/puddle/v2"
)

// Server is one plant of the store as the sync server holds it
// (syncserver.Transactions): the plant's transactions, projections and
// integrity, the process's clock and the plant's server replica.
type Server struct {
	*Plant
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
	return &Server{Plant: p, replica: replica}, nil
}

// IsClosed reports whether err says the store was closed, or the
// caller's context ended, under the caller.
func (s *Server) IsClosed(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, puddle.ErrClosedPool)
}

// Clock is this process's hybrid logical clock, which stamps the events
// the server records.
func (s *Server) Clock() *hlc.Clock { return s.store.clock }

// Replica is the plant's server replica id.
func (s *Server) Replica() string { return s.replica }

// AcknowledgeOutbox has nothing to acknowledge on PostgreSQL: the server
// records its events acknowledged (RecordServerEvent) and keeps no
// outbox; only the bbolt store's seeding helpers fill one.
func (s *Server) AcknowledgeOutbox(context.Context) error { return nil }

// ErrBackupIsTheDatabases refuses `boucle-server backup` on PostgreSQL.
var ErrBackupIsTheDatabases = domain.Errorf(domain.EInvalid,
	"the store is on PostgreSQL: back it up with the database's own tools (pg_dump, or base backups with WAL archiving); see docs/deployment.md")

// Backup is refused: a PostgreSQL database is backed up by PostgreSQL,
// consistently across its plants and server instances, which a copy of
// one plant's rows taken by one instance would not be.
func (s *Server) Backup(context.Context, string, func(*Tx) error) error {
	return ErrBackupIsTheDatabases
}

// QuarantinedCount is how many of the plant's events are quarantined; 0
// when the database does not answer (Health says so).
func (s *Server) QuarantinedCount() int {
	n, _ := s.Plant.QuarantinedCount(context.Background())
	return n
}

// OnQuarantine sets the function told of each newly quarantined event.
func (s *Server) OnQuarantine(fn func(boltstore.Quarantined)) { s.store.OnQuarantine(fn) }
