package pgstore

import (
	"context"
	"errors"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/puddle/v2"
)

// Server is one plant of the store as the sync server holds it
// (syncserver.Transactions): the plant's transactions, projections and
// integrity, the process's clock and the plant's server replica.
type Server struct {
	*Plant
	replica  string
	restored *Restore
}

// Restore is what the open of a restored plant renewed: the epoch it had
// (which the workstations' cursors name) and the one it has now.
type Restore struct {
	Previous, Epoch, Replica string
}

// The server's settings a restore writes, under the names the sync server
// reads them by (syncserver/serverconfig.go): the epoch began with a
// restore, the epoch before it, and the mark a bbolt backup copy carries
// (it travels with a plant migrated from such a copy).
const (
	settingEpochRestored  = "epoch_restored"
	settingPreviousEpoch  = "previous_epoch"
	settingRestorePending = "restore_pending"
)

// Server opens plant id (which must exist: CreatePlant) for a server
// process. The plant's server replica id is given at the first open and
// shared by every instance on the database: their events are numbered
// under the plant's lock, so they never reuse a sequence number.
//
// A plant opened in a database that is not the one it was last opened in
// (its home: a dump restored into a fresh database), or migrated from a
// bbolt backup copy, is a restore: the copy may lack events the
// workstations hold, and positions and the server's sequence numbers
// handed out after it was taken would be handed out again. The open gives
// the plant a new epoch (the workstations' cursors are refused, they pull
// again and push back what the copy lacks) and a new server replica, in
// one transaction under the plant's lock, so that instances starting at
// once renew it once.
func (s *Store) Server(ctx context.Context, id string) (*Server, error) {
	p := s.Plant(id)
	home, err := s.home(ctx)
	if err != nil {
		return nil, err
	}
	srv := &Server{Plant: p}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var epoch, was string
		var replica *string
		if err := tx.QueryRow(ctx, `SELECT epoch, replica, coalesce(home, '') FROM plants WHERE id = $1 FOR UPDATE`, id).
			Scan(&epoch, &replica, &was); err != nil {
			return p.missing(err)
		}
		var pending bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM settings WHERE plant = $1 AND name = $2)`,
			id, settingRestorePending).Scan(&pending); err != nil {
			return err
		}
		if replica != nil {
			srv.replica = *replica
		}
		if (was != "" && was != home) || pending {
			srv.restored = &Restore{Previous: epoch, Epoch: uuid.Must(uuid.NewV7()).String(), Replica: uuid.Must(uuid.NewV7()).String()}
			epoch, srv.replica = srv.restored.Epoch, srv.restored.Replica
			if err := markRestored(ctx, tx, id, srv.restored.Previous); err != nil {
				return err
			}
		}
		if srv.replica == "" {
			srv.replica = uuid.Must(uuid.NewV7()).String()
		}
		_, err := tx.Exec(ctx, `UPDATE plants SET epoch = $2, replica = $3, home = $4 WHERE id = $1`, id, epoch, srv.replica, home)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := p.foldNewlyKnown(ctx); err != nil {
		return nil, err
	}
	return srv, nil
}

// markRestored records in the plant's settings that its epoch began with
// a restore, after previous.
func markRestored(ctx context.Context, tx pgx.Tx, plant, previous string) error {
	for name, value := range map[string]string{settingEpochRestored: "1", settingPreviousEpoch: previous} {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (plant, name, value) VALUES ($1, $2, $3)
			ON CONFLICT (plant, name) DO UPDATE SET value = excluded.value`, plant, name, []byte(value)); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `DELETE FROM settings WHERE plant = $1 AND name = $2`, plant, settingRestorePending)
	return err
}

// home is the identity of the database the store is connected to: the
// cluster's system identifier and the database's oid. A dump restored
// into another database, on this cluster or another, has another one; a
// restart, a move of the same cluster, a replica taking over keep it.
func (s *Store) home(ctx context.Context) (string, error) {
	var home string
	err := s.pool.QueryRow(ctx, `SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || oid::text
		FROM pg_database WHERE datname = current_database()`).Scan(&home)
	return home, err
}

// Restored tells what the open renewed, nil when the plant was not a
// restore.
func (s *Server) Restored() *Restore { return s.restored }

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
