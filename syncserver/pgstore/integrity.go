package pgstore

import (
	"context"
	"errors"
	"sync"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// A logged event whose bytes do not decode is quarantined by the
// projector that meets it: recorded in `quarantine` with the reason and
// the id its row names (the bytes cannot be trusted), told to the
// function set with OnQuarantine, and left out of every fold and
// timeline, as in the bbolt store. PostgreSQL checks its own pages; what
// this catches is bytes that were written wrong.

// quarantineHook is the function told of each newly quarantined event.
type quarantineHook struct {
	mu sync.Mutex
	fn func(boltstore.Quarantined)
}

// OnQuarantine sets the function told of each event quarantined from now
// on (once per event, after the record commits).
func (s *Store) OnQuarantine(fn func(boltstore.Quarantined)) {
	s.quarantine.mu.Lock()
	defer s.quarantine.mu.Unlock()
	s.quarantine.fn = fn
}

func (h *quarantineHook) tell(found []boltstore.Quarantined) {
	h.mu.Lock()
	fn := h.fn
	h.mu.Unlock()
	if fn == nil {
		return
	}
	for _, q := range found {
		fn(q)
	}
}

// Quarantined lists the plant's quarantined events in log order.
func (p *Plant) Quarantined(ctx context.Context) ([]boltstore.Quarantined, error) {
	rows, err := p.store.pool.Query(ctx, "SELECT pos, event, reason, found FROM quarantine WHERE plant = $1 ORDER BY pos", p.id)
	if err != nil {
		return nil, err
	}
	out := []boltstore.Quarantined{}
	var q boltstore.Quarantined
	var pos int64
	var id [16]byte
	_, err = pgx.ForEachRow(rows, []any{&pos, &id, &q.Reason, &q.Found}, func() error {
		q.Pos, q.Event, q.Found = uint64(pos), id, q.Found.UTC()
		out = append(out, q)
		return nil
	})
	return out, err
}

// QuarantinedCount is how many of the plant's events are quarantined.
func (p *Plant) QuarantinedCount(ctx context.Context) (int, error) {
	var n int
	err := p.store.pool.QueryRow(ctx, "SELECT count(*) FROM quarantine WHERE plant = $1", p.id).Scan(&n)
	return n, err
}

// Health reads what every request needs: the schema's version and the
// plant's row. A database that does not answer is EUnavailable; a plant
// that is not there, ENotFound.
func (p *Plant) Health(ctx context.Context) error {
	var version, logLen int64
	err := p.store.pool.QueryRow(ctx, `SELECT (SELECT max(version) FROM schema_migrations), log_len FROM plants WHERE id = $1`, p.id).
		Scan(&version, &logLen)
	if err != nil && ctx.Err() == nil && !isNoRows(err) {
		return domain.Errorf(domain.EUnavailable, "the PostgreSQL store does not answer: %v", err)
	}
	return p.missing(err)
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
