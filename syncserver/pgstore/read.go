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
// skip. The bytes are only valid during the call.
func (p *Plant) LogRaw(ctx context.Context, after uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error) {
	return logRaw(ctx, p.store.pool, p.id, after, limit, fn)
}

// LogRaw is Plant.LogRaw in the transaction's snapshot.
func (t *Tx) LogRaw(after uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error) {
	return logRaw(t.ctx, t.tx, t.plant.id, after, limit, fn)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func logRaw(ctx context.Context, q querier, plant string, after uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error) {
	if limit < 1 {
		return after, false, domain.FieldError("limit", "must be at least 1")
	}
	// Positions are gapless: the page is the range (after, after+limit+1],
	// which, with the LIMIT, the planner reads in the primary key's order
	// even without statistics (an open-ended range made it read the rest
	// of the log and sort it).
	rows, err := q.Query(ctx, "SELECT pos, body FROM events WHERE plant = $1 AND pos > $2 AND pos <= $3 ORDER BY pos LIMIT $4",
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
		pos, raw, err := positionAndBody(rows, &body)
		if err != nil {
			return last, false, err
		}
		if pos != last+1 {
			return last, false, domain.Errorf(domain.EInternal, "the log of plant %s has no event at position %d", plant, last+1)
		}
		if err := fn(pos, raw); err != nil {
			return last, false, err
		}
		last = pos
		n++
	}
	return last, false, rows.Err()
}

// LogAfter returns up to limit events after position after, decoded, with
// their positions, and whether more follow (see LogRaw).
func (p *Plant) LogAfter(ctx context.Context, after uint64, limit int) ([]boltstore.LoggedEvent, bool, error) {
	return logAfter(ctx, p.store.pool, p.id, after, limit)
}

// LogAfter is Plant.LogAfter in the transaction's snapshot.
func (t *Tx) LogAfter(after uint64, limit int) ([]boltstore.LoggedEvent, bool, error) {
	return logAfter(t.ctx, t.tx, t.plant.id, after, limit)
}

func logAfter(ctx context.Context, q querier, plant string, after uint64, limit int) ([]boltstore.LoggedEvent, bool, error) {
	var out []boltstore.LoggedEvent
	_, more, err := logRaw(ctx, q, plant, after, limit, func(pos uint64, raw []byte) error {
		e, err := domain.DecodeEvent(raw)
		out = append(out, boltstore.LoggedEvent{Pos: pos, Event: e})
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

// positionAndBody reads a row of (pos, body). In the binary format (pgx's
// extended protocol) the body is the bytes as received, not copied, and
// the position eight big-endian bytes; otherwise (a URL asking for the
// simple protocol, whose rows are text) pgx decodes both, into body.
func positionAndBody(rows pgx.Rows, body *[]byte) (uint64, []byte, error) {
	fields, raw := rows.FieldDescriptions(), rows.RawValues()
	if fields[0].Format == pgx.BinaryFormatCode && fields[1].Format == pgx.BinaryFormatCode && len(raw[0]) == 8 {
		return binary.BigEndian.Uint64(raw[0]), raw[1], nil
	}
	var pos int64
	if err := rows.Scan(&pos, body); err != nil {
		return 0, nil, err
	}
	return uint64(pos), *body, nil
}
