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
// this catches is bytes that were written wrong, or changed in the
// database. The pull skips the quarantined events, and quarantines those
// it meets whose frame does not hold (domain.CheckFrame, as cheap as the
// header walk it already does): a workstation is never handed bytes its
// decoder refuses, which stalled its pull at that position for ever.

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

// skipQuarantined reports whether the pull leaves out the event at pos:
// quarantined already, or bytes whose frame does not hold, which it adds
// to bad with DecodeEvent's reason (the projector's).
func skipQuarantined(pos uint64, raw []byte, quarantined bool, bad *[]boltstore.Quarantined) bool {
	if quarantined {
		return true
	}
	if domain.CheckFrame(raw) == nil {
		return false
	}
	_, err := domain.DecodeEvent(raw)
	*bad = append(*bad, boltstore.Quarantined{Pos: pos, Reason: err.Error()})
	return true
}

// recordQuarantine records what a read found, each event with the id its
// row names, and tells the new ones. It runs after the read, outside its
// snapshot (a View writes nothing). A failure leaves the record to the
// next reader or to the projector: the read skipped the event either way.
func (p *Plant) recordQuarantine(ctx context.Context, bad []boltstore.Quarantined) {
	var found []boltstore.Quarantined
	for _, q := range bad {
		q.Found = p.store.now().UTC()
		err := p.store.pool.QueryRow(context.WithoutCancel(ctx), `INSERT INTO quarantine (plant, pos, event, reason, found)
			SELECT plant, pos, id, $3, $4 FROM events WHERE plant = $1 AND pos = $2
			ON CONFLICT (plant, pos) DO NOTHING RETURNING event`, p.id, int64(q.Pos), q.Reason, q.Found).Scan((*[16]byte)(&q.Event))
		if err == nil {
			found = append(found, q)
		}
	}
	p.store.quarantine.tell(found)
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
