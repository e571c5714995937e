package pgstore

import (
	"context"
	"encoding/binary"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// LogRaw calls fn with the encoded bytes of up to limit events of the
// plant's log after position after, in position (commit) order, and
// returns the last position read and whether more follow. One statement,
// so one snapshot: it shows a prefix of the log (see tx.go), and a
// cursor moved to last never passes an event that commits later. A hole
// in the positions, which appends never leave, is an error rather than a
// skip. An event quarantined, or whose bytes do not hold together as an
// event (domain.CheckFrame), is skipped and quarantined: last moves past
// it, as in the bbolt store (skipQuarantined). The bytes are only valid
// during the call.
func (p *Plant) LogRaw(ctx context.Context, after uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error) {
	var bad []boltstore.Quarantined
	last, more, err = logRaw(ctx, p.store.pool, p.id, after, limit, fn, &bad)
	p.recordQuarantine(ctx, bad)
	return last, more, err
}

// LogRaw is Plant.LogRaw in the transaction's snapshot; the events it
// quarantines are recorded when the transaction ends.
func (t *Tx) LogRaw(after uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error) {
	return logRaw(t.ctx, t.tx, t.plant.id, after, limit, fn, &t.bad)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func logRaw(ctx context.Context, q querier, plant string, after uint64, limit int, fn func(pos uint64, raw []byte) error, bad *[]boltstore.Quarantined) (last uint64, more bool, err error) {
	if limit < 1 {
		return after, false, domain.FieldError("limit", "must be at least 1")
	}
	// Positions are gapless: the page is the range (after, after+limit+1],
	// which, with the LIMIT, the planner reads in the primary key's order
	// even without statistics (an open-ended range made it read the rest
	// of the log and sort it). The quarantine, nearly always empty, is
	// joined on the same range.
	rows, err := q.Query(ctx, `SELECT e.pos, e.body, q.pos IS NOT NULL FROM events e
		LEFT JOIN quarantine q ON q.plant = $1 AND q.pos = e.pos AND q.pos > $2 AND q.pos <= $3
		WHERE e.plant = $1 AND e.pos > $2 AND e.pos <= $3 ORDER BY e.pos LIMIT $4`,
		plant, int64(after), int64(after)+int64(limit)+1, limit+1)
	if err != nil {
		return after, false, err
	}
	defer rows.Close()
	last = after
	n := 0
	var body []byte
	for rows.Next() {
		if n == limit {
			return last, true, nil
		}
		pos, raw, quarantined, err := logRow(rows, &body)
		if err != nil {
			return last, false, err
		}
		if pos != last+1 {
			return last, false, domain.Errorf(domain.EInternal, "the log of plant %s has no event at position %d", plant, last+1)
		}
		last = pos
		if skipQuarantined(pos, raw, quarantined, bad) {
			continue
		}
		if err := fn(pos, raw); err != nil {
			return last - 1, false, err
		}
		n++
	}
	return last, false, rows.Err()
}

// LogAfter returns up to limit events after position after, decoded, with
// their positions, and whether more follow (see LogRaw).
func (p *Plant) LogAfter(ctx context.Context, after uint64, limit int) ([]boltstore.LoggedEvent, bool, error) {
	var bad []boltstore.Quarantined
	out, more, err := logAfter(ctx, p.store.pool, p.id, after, limit, &bad)
	p.recordQuarantine(ctx, bad)
	return out, more, err
}

// LogAfter is Plant.LogAfter in the transaction's snapshot.
func (t *Tx) LogAfter(after uint64, limit int) ([]boltstore.LoggedEvent, bool, error) {
	return logAfter(t.ctx, t.tx, t.plant.id, after, limit, &t.bad)
}

// logAfter decodes what logRaw serves; an event that does not decode is
// quarantined and left out, as the projector does.
func logAfter(ctx context.Context, q querier, plant string, after uint64, limit int, bad *[]boltstore.Quarantined) ([]boltstore.LoggedEvent, bool, error) {
	var out []boltstore.LoggedEvent
	_, more, err := logRaw(ctx, q, plant, after, limit, func(pos uint64, raw []byte) error {
		e, err := domain.DecodeEvent(raw)
		if err != nil {
			*bad = append(*bad, boltstore.Quarantined{Pos: pos, Reason: err.Error()})
			return nil
		}
		out = append(out, boltstore.LoggedEvent{Pos: pos, Event: e})
		return nil
	}, bad)
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

// logRow reads a row of (pos, body, quarantined). In the binary format
// (pgx's extended protocol) the body is the bytes as received, not
// copied, and the position eight big-endian bytes; otherwise (a URL
// asking for the simple protocol, whose rows are text) pgx decodes them,
// the body into body.
func logRow(rows pgx.Rows, body *[]byte) (pos uint64, raw []byte, quarantined bool, err error) {
	fields, vals := rows.FieldDescriptions(), rows.RawValues()
	if fields[0].Format == pgx.BinaryFormatCode && fields[1].Format == pgx.BinaryFormatCode && fields[2].Format == pgx.BinaryFormatCode &&
		len(vals[0]) == 8 && len(vals[2]) == 1 {
		return binary.BigEndian.Uint64(vals[0]), vals[1], vals[2][0] != 0, nil
	}
	var p int64
	if err := rows.Scan(&p, body, &quarantined); err != nil {
		return 0, nil, false, err
	}
	return uint64(p), *body, quarantined, nil
}
