package pgstore

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// AttemptLimit is a limit of failed attempts per key counted in the
// database (sign_in_attempts): every server instance of the plant spends
// from the same buckets, so N instances behind a load balancer allow what
// one would, not N times it. It implements syncserver.AttemptLimit with
// the in-memory limiter's rules: burst attempts at once, one more earned
// every refill; Take spends one of every key or, when one has none left,
// nothing; Refund gives them back.
type AttemptLimit struct {
	store  *Store
	plant  string
	now    func() time.Time
	burst  float64
	refill time.Duration
}

// AttemptLimit returns plant's limit of burst failures per window, read
// with the server's clock now.
func (s *Store) AttemptLimit(plant string, now func() time.Time, burst int, per time.Duration) *AttemptLimit {
	return &AttemptLimit{store: s, plant: plant, now: now, burst: float64(burst), refill: per / time.Duration(burst)}
}

// groupScope is the scope of the group's limits in sign_in_attempts'
// plant column: no plant id is empty (ValidatePlantID).
const groupScope = ""

// GroupAttemptLimit returns the limit of the group accounts' failures,
// one for the whole database: every plant's servers answer the group's
// sign-ins and spend from it, so a guesser gets burst tries per window in
// all, not per plant.
func (s *Store) GroupAttemptLimit(now func() time.Time, burst int, per time.Duration) *AttemptLimit {
	return s.AttemptLimit(groupScope, now, burst, per)
}

// Take spends one attempt of every key and returns zero, or, when some key
// has none left, spends nothing and returns how long to wait.
func (l *AttemptLimit) Take(ctx context.Context, keys ...string) (wait time.Duration, err error) {
	now := l.now()
	err = l.buckets(ctx, keys, func(tx pgx.Tx, tokens map[string]float64) error {
		for _, k := range keys {
			if t := tokens[k]; t < 1 {
				wait = max(wait, time.Duration((1-t)*float64(l.refill)))
			}
		}
		if wait > 0 {
			return nil
		}
		for _, k := range keys {
			tokens[k]--
		}
		return l.write(ctx, tx, tokens, now)
	})
	return wait, unavailable(err)
}

// Refund gives back the attempt of every key.
func (l *AttemptLimit) Refund(ctx context.Context, keys ...string) error {
	err := l.buckets(ctx, keys, func(tx pgx.Tx, tokens map[string]float64) error {
		for _, k := range keys {
			tokens[k] = min(l.burst, tokens[k]+1)
		}
		return l.write(ctx, tx, tokens, l.now())
	})
	return unavailable(err)
}

// buckets runs fn in a transaction holding the keys' rows, with each
// key's attempts at now (burst for a key never seen or full again). The
// rows are locked in key order, so that two instances spending the same
// keys wait for each other instead of deadlocking.
func (l *AttemptLimit) buckets(ctx context.Context, keys []string, fn func(pgx.Tx, map[string]float64) error) error {
	now := l.now()
	sorted := slices.Sorted(slices.Values(keys))
	return pgx.BeginFunc(ctx, l.store.pool, func(tx pgx.Tx) error {
		// Rows for the keys never seen, so that there is a row to lock.
		_, err := tx.Exec(ctx, `INSERT INTO sign_in_attempts (plant, key, tokens, at)
			SELECT $1, k, $3, $4 FROM unnest($2::text[]) AS k ORDER BY k ON CONFLICT DO NOTHING`,
			l.plant, sorted, l.burst, now.UnixNano())
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT key, tokens, at FROM sign_in_attempts
			WHERE plant = $1 AND key = ANY($2) ORDER BY key FOR UPDATE`, l.plant, sorted)
		if err != nil {
			return err
		}
		tokens := map[string]float64{}
		var key string
		var left float64
		var at int64
		_, err = pgx.ForEachRow(rows, []any{&key, &left, &at}, func() error {
			tokens[key] = min(l.burst, left+float64(now.Sub(time.Unix(0, at)))/float64(l.refill))
			return nil
		})
		if err != nil {
			return err
		}
		return fn(tx, tokens)
	})
}

// write stores the buckets at now and deletes the plant's buckets full
// again (one window without a failure): they hold nothing.
func (l *AttemptLimit) write(ctx context.Context, tx pgx.Tx, tokens map[string]float64, now time.Time) error {
	var b pgx.Batch
	for k, t := range tokens {
		b.Queue("UPDATE sign_in_attempts SET tokens = $3, at = $4 WHERE plant = $1 AND key = $2", l.plant, k, t, now.UnixNano())
	}
	full := now.Add(-time.Duration(l.burst * float64(l.refill)))
	b.Queue("DELETE FROM sign_in_attempts WHERE plant = $1 AND at < $2", l.plant, full.UnixNano())
	return tx.SendBatch(ctx, &b).Close()
}
