package pgstore

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Several server instances serve one plant on one database; the work that
// must be done once per plant, not once per instance (the hourly recorder
// of effectiveness verdicts, the sweep of expired records), runs on one of
// them, the leader. The leader is the instance holding the plant's session
// advisory lock, taken on a connection of its own, outside the pool: the
// lock lives as long as that connection, so an instance that dies, or
// whose connection is cut, releases it, and the next instance to ask
// takes it over. Nothing else is needed: no lease to renew, no clock to
// trust.

// leaderLockClass is the first key of the leadership locks ("boucle-l"
// folded to 32 bits); the second is the plant's hash. Migrate's lock uses
// the one-key form, which PostgreSQL keeps apart from the two-key form.
const leaderLockClass = int32(0x626f756c)

// Leader tells whether this process leads a plant's background work.
// It is safe for concurrent use.
type Leader struct {
	store *Store
	plant string
	mu    sync.Mutex
	conn  *pgx.Conn // holds the lock while leading; nil otherwise
}

// Leader returns the election of plant's leader for this process; Close
// gives the leadership up.
func (s *Store) Leader(plant string) *Leader { return &Leader{store: s, plant: plant} }

// Leading reports whether this process leads the plant, taking the lead
// when no other process holds it. A leader whose connection was lost is
// told so here (false), and asks again at its next call. An error is a
// database that cannot be reached: the caller does not lead meanwhile.
func (l *Leader) Leading(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn != nil {
		if err := l.conn.Ping(ctx); err == nil {
			return true, nil
		}
		l.drop() // the session, and its lock, are gone
	}
	conn, err := pgx.ConnectConfig(ctx, l.store.pool.Config().ConnConfig.Copy())
	if err != nil {
		return false, unavailable(err)
	}
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, hashtext($2))", leaderLockClass, l.plant).Scan(&got); err != nil || !got {
		conn.Close(context.WithoutCancel(ctx))
		return false, unavailable(err)
	}
	l.conn = conn
	return true, nil
}

// PID is the backend process of the leader's connection, 0 when not
// leading (tests cut it).
func (l *Leader) PID() uint32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return 0
	}
	return l.conn.PgConn().PID()
}

// Close gives the leadership up, at once: another instance may take it
// at its next call.
func (l *Leader) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drop()
}

// drop closes the leader's connection, which releases its lock; the
// caller holds mu.
func (l *Leader) drop() {
	if l.conn != nil {
		l.conn.Close(context.Background())
		l.conn = nil
	}
}
