package pgstore

import (
	"context"

	"boucle/shared/domain"
)

// LogRaw calls fn with the encoded bytes of up to limit events of the
// plant's log after position after, in position (commit) order, and
// returns the last position read and whether more follow. One statement,
// so one snapshot: it shows a prefix of the log (see append.go), and a
// cursor moved to last never passes an event that commits later. A hole
// in the positions, which appends never leave, is an error rather than a
// skip. The bytes are only valid during the call.
func (p *Plant) LogRaw(ctx context.Context, after uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error) {
	if limit < 1 {
		return after, false, domain.FieldError("limit", "must be at least 1")
	}
	rows, err := p.store.pool.Query(ctx, "SELECT pos, body FROM events WHERE plant = $1 AND pos > $2 ORDER BY pos LIMIT $3",
		p.id, int64(after), limit+1)
	if err != nil {
		return after, false, err
	}
	defer rows.Close()
	last = after
	n := 0
	for rows.Next() {
		if n == limit {
			return last, true, nil
		}
		var pos int64
		if err := rows.Scan(&pos, nil); err != nil {
			return last, false, err
		}
		if uint64(pos) != last+1 {
			return last, false, domain.Errorf(domain.EInternal, "the log of plant %s has no event at position %d", p.id, last+1)
		}
		// The body's bytes as received: no copy (binary format).
		if err := fn(uint64(pos), rows.RawValues()[1]); err != nil {
			return last, false, err
		}
		last = uint64(pos)
		n++
	}
	return last, false, rows.Err()
}

// LogAfter returns up to limit events after position after, decoded, and
// whether more follow (see LogRaw).
func (p *Plant) LogAfter(ctx context.Context, after uint64, limit int) ([]domain.Event, bool, error) {
	var out []domain.Event
	_, more, err := p.LogRaw(ctx, after, limit, func(_ uint64, raw []byte) error {
		e, err := domain.DecodeEvent(raw)
		out = append(out, e)
		return err
	})
	return out, more, err
}

// LogLen is the last position of the plant's log: its number of events.
func (p *Plant) LogLen(ctx context.Context) (uint64, error) {
	var n int64
	err := p.store.pool.QueryRow(ctx, "SELECT log_len FROM plants WHERE id = $1", p.id).Scan(&n)
	return uint64(n), p.missing(err)
}

// ReplicaSeqs returns the high-water mark of every replica the plant's log
// holds events of.
func (p *Plant) ReplicaSeqs(ctx context.Context) (map[string]uint64, error) {
	return replicaSeqs(p.store.pool.Query(ctx, "SELECT replica, seq FROM replica_marks WHERE plant = $1", p.id))
}
