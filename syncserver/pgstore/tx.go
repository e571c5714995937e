package pgstore

import (
	"context"
	"errors"
	"fmt"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// How appends keep the cursor guarantee (docs/postgresql.md):
//
// Every write transaction of a plant (Update) starts by locking the
// plant's row (SELECT log_len ... FOR UPDATE) and holds it until it
// commits. Positions are handed out under that lock, from log_len + 1,
// and log_len is written back at commit. So the appends of one plant run
// one after the other: a transaction takes its first position only once
// the previous one has committed (and is visible: PostgreSQL makes a
// transaction visible before it releases its locks) or rolled back (and
// its positions are taken again). Positions are therefore without holes,
// and in commit order: a reader's snapshot that shows position n shows
// every position below it. A cursor that moves to the last position read
// never passes an event that commits later. A sequence alone would not do:
// its values are taken at insert, and transactions commit in another
// order.
//
// The same lock serialises the replica checks of concurrent pushes, on
// one server or on several sharing the database.

// Tx is one transaction of a plant's log: Update's holds the plant's
// lock, View's reads one snapshot. Its methods are those of the sync
// server's log port (syncserver.LogAppend, LogRead), with the bbolt
// adapter's names and signatures. Those that return no error keep the
// first failure of the database (Err): the transaction then commits
// nothing, and Update or View returns that error, whatever the function
// made of the answers it got meanwhile.
type Tx struct {
	ctx      context.Context
	tx       pgx.Tx
	plant    *Plant
	readOnly bool
	signIns  signIns // where its refresh tokens and families are
	err      error   // the first failure, sticky
	logLen   uint64  // positions handed out, this transaction's included
	pending  []appended
	ids      map[uuid.UUID]struct{} // the ids in pending
	marks    map[string]*replicaMark
	filings  pendingFilings
	logged   loggedFilings // read at once for a push (LookUpFilings)
	// The projections (projections.go): the states loaded and folded,
	// the projection's mark, whether this transaction holds its lock and
	// moved it.
	folds            map[domain.EntityKey]*folded
	projected        uint64
	projectedRead    bool
	projectionLocked bool
	projectedMoved   bool
	bad              []boltstore.Quarantined // met by LogRaw, recorded when the transaction ends
}

// Update runs fn in a transaction holding the plant's lock: what fn
// appends, refuses and advances commits together when it returns nil,
// and nothing when it returns an error, a method failed (Err) or the
// connection is lost. ENotFound when the plant does not exist.
func (p *Plant) Update(ctx context.Context, fn func(*Tx) error) error {
	return unavailable(p.run(ctx, pgx.TxOptions{}, "SELECT log_len FROM plants WHERE id = $1 FOR UPDATE", fn))
}

// View runs fn in a read-only transaction on one snapshot (repeatable
// read): the log's length, the replicas' marks and the pages read agree.
// It takes no lock: pushes go on meanwhile.
func (p *Plant) View(ctx context.Context, fn func(*Tx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return unavailable(p.run(ctx, opts, "SELECT log_len FROM plants WHERE id = $1", fn))
}

func (p *Plant) run(ctx context.Context, opts pgx.TxOptions, head string, fn func(*Tx) error) error {
	var bad []boltstore.Quarantined
	err := p.runTx(ctx, opts, head, fn, &bad)
	p.recordQuarantine(ctx, bad)
	return err
}

func (p *Plant) runTx(ctx context.Context, opts pgx.TxOptions, head string, fn func(*Tx) error, bad *[]boltstore.Quarantined) error {
	conn, err := p.store.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// A connection left in a transaction (a failure before COMMIT or
	// ROLLBACK) is closed by Release, not given back to the pool.
	defer conn.Release()
	tx := &batchedTx{conn: conn.Conn()}
	defer tx.Rollback(context.WithoutCancel(ctx))
	t := p.newTx(ctx, tx, opts.AccessMode == pgx.ReadOnly)
	defer func() { *bad = t.bad }()
	// BEGIN sent with the head's query: one round trip, where pgx's
	// BeginTx makes BEGIN one of its own (TestRoundTripsPerRequest).
	var b pgx.Batch
	b.Queue(beginSQL(opts))
	b.Queue(head, p.id).QueryRow(func(row pgx.Row) error { return row.Scan(&t.logLen) })
	if err := conn.SendBatch(ctx, &b).Close(); err != nil {
		return p.missing(err)
	}
	if err := fn(t); err != nil {
		return err
	}
	if t.err != nil {
		return t.err
	}
	if !t.readOnly {
		if err := t.finish(); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// beginSQL is the BEGIN of opts (only the isolation level and the access
// mode, the options run uses).
func beginSQL(opts pgx.TxOptions) string {
	sql := "BEGIN"
	if opts.IsoLevel != "" {
		sql += " ISOLATION LEVEL " + string(opts.IsoLevel)
	}
	if opts.AccessMode != "" {
		sql += " " + string(opts.AccessMode)
	}
	return sql
}

// batchedTx is a transaction begun in a batch (run): pgx.Tx over the
// connection, its COMMIT and ROLLBACK sent as statements. It has no
// savepoints.
type batchedTx struct {
	conn *pgx.Conn
	done bool
}

func (tx *batchedTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return tx.conn.Exec(ctx, sql, args...)
}

func (tx *batchedTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return tx.conn.Query(ctx, sql, args...)
}

func (tx *batchedTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return tx.conn.QueryRow(ctx, sql, args...)
}

func (tx *batchedTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return tx.conn.SendBatch(ctx, b)
}

func (tx *batchedTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error) {
	return tx.conn.CopyFrom(ctx, table, columns, rows)
}

func (tx *batchedTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return tx.conn.Prepare(ctx, name, sql)
}

func (tx *batchedTx) Begin(context.Context) (pgx.Tx, error) {
	return nil, errors.New("pgstore: no savepoint in a transaction of a plant's log")
}

func (tx *batchedTx) Commit(ctx context.Context) error {
	tx.done = true
	_, err := tx.Exec(ctx, "COMMIT")
	return err
}

// Rollback ends the transaction unless Commit did; once only.
func (tx *batchedTx) Rollback(ctx context.Context) error {
	if tx.done {
		return nil
	}
	tx.done = true
	_, err := tx.Exec(ctx, "ROLLBACK")
	return err
}

func (tx *batchedTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

func (tx *batchedTx) Conn() *pgx.Conn { return tx.conn }

func (p *Plant) newTx(ctx context.Context, tx pgx.Tx, readOnly bool) *Tx {
	return &Tx{ctx: ctx, tx: tx, plant: p, readOnly: readOnly, signIns: plantSignIns,
		ids: map[uuid.UUID]struct{}{}, marks: map[string]*replicaMark{}, folds: map[domain.EntityKey]*folded{}}
}

// Err is the first failure of a method that returns no error; nil while
// every statement succeeded.
func (t *Tx) Err() error { return t.err }

// fail keeps the first failure and returns it.
func (t *Tx) fail(err error) error {
	if t.err == nil && err != nil {
		t.err = err
	}
	return t.err
}

// writable refuses a write in a View.
func (t *Tx) writable(what string) error {
	if t.readOnly {
		return t.fail(domain.Errorf(domain.EInternal, "%s in a read-only transaction of plant %s", what, t.plant.id))
	}
	return t.err
}

// finish writes what the transaction buffered: the events, the states
// folded at once (Ingest), the filings,
// the replicas' marks, the log's length.
func (t *Tx) finish() error {
	if len(t.pending) > smallAppend {
		if err := t.flush(); err != nil {
			return err
		}
	}
	if err := t.writeFolds(); err != nil {
		return err
	}
	// One round trip for the rest, a small push's events included.
	var b pgx.Batch
	t.queueSmallAppend(&b)
	t.queueFilings(&b)
	t.queueMarks(&b)
	b.Queue("UPDATE plants SET log_len = $2 WHERE id = $1", t.plant.id, int64(t.logLen))
	return t.tx.SendBatch(t.ctx, &b).Close()
}

// LogLen is the last position of the plant's log, this transaction's
// appends included.
func (t *Tx) LogLen() uint64 { return t.logLen }

// GapError refuses a push whose event skips sequence numbers of its
// replica: nothing of the push is written. Its domain code is
// ESequenceGap.
type GapError struct {
	Replica  string
	Expected uint64 // the replica's next sequence number
	Got      uint64
}

func (e *GapError) Error() string {
	return fmt.Sprintf("replica %s: expected sequence %d, got %d", e.Replica, e.Expected, e.Got)
}

// Unwrap gives the gap's domain error, so that domain.ErrorCode reads
// ESequenceGap.
func (e *GapError) Unwrap() error {
	return &domain.Error{Code: domain.ESequenceGap, Field: "seq", Message: e.Error()}
}
