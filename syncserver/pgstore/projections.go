package pgstore

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The projections: every entity's state folded from the plant's log, in
// the bbolt store's binary encoding (boltstore.EncodeState), with the
// rows and keys the views walk (complaint_rows, action_keys; schema
// 0004). Events appended by a push are folded later, in log order, by
// Project; reference data is folded at once by Ingest.
//
// Several server instances share the database, so the projection is
// guarded by the plant's row of `projections`: Project locks it (FOR
// UPDATE) and moves its `projected` mark in the transaction that writes
// the states, so a second projector waits, then starts where the first
// stopped: no event is folded twice or skipped. Ingest takes the same
// lock after the plant's (a push holds it); Project never takes the
// plant's, so the two never wait for each other in a cycle. Folding an
// event already folded (an Ingest's, or one a refold included) changes
// nothing (State.Has), as in the bbolt store.

// folded is an entity's state in a transaction, loaded once.
type folded struct {
	state *domain.State
	dirty bool
}

// lockProjection locks the plant's projection row and reads its mark,
// once per transaction.
func (t *Tx) lockProjection() error {
	if t.projectionLocked {
		return t.err
	}
	if _, err := t.tx.Exec(t.ctx, "INSERT INTO projections (plant) VALUES ($1) ON CONFLICT (plant) DO NOTHING", t.plant.id); err != nil {
		return t.fail(err)
	}
	var projected int64
	err := t.tx.QueryRow(t.ctx, "SELECT projected FROM projections WHERE plant = $1 FOR UPDATE", t.plant.id).Scan(&projected)
	if err != nil {
		return t.fail(err)
	}
	t.projected, t.projectedRead, t.projectionLocked = uint64(projected), true, true
	return nil
}

// projectedPos is how far the log is folded, in the transaction's view.
func (t *Tx) projectedPos() uint64 {
	if t.projectedRead {
		return t.projected
	}
	var projected int64
	err := t.tx.QueryRow(t.ctx, "SELECT projected FROM projections WHERE plant = $1", t.plant.id).Scan(&projected)
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil // nothing projected yet
	}
	if t.fail(err) != nil {
		return 0
	}
	t.projected, t.projectedRead = uint64(projected), true
	return t.projected
}

// Backlog is the number of logged events not yet folded.
func (t *Tx) Backlog() uint64 {
	if p := t.projectedPos(); p < t.logLen {
		return t.logLen - p
	}
	return 0
}

// Ingest logs a pushed event and folds it at once (reference data: the
// push's later events are checked against it). A duplicate changes
// nothing.
func (t *Tx) Ingest(e *domain.Event) (boltstore.IngestStatus, error) {
	if t.HasEvent(e.ID) {
		return boltstore.Duplicate, t.err
	}
	if t.err != nil {
		return boltstore.Stored, t.err
	}
	if err := t.AppendNew(e, boltstore.FilingOf(e)); err != nil {
		return boltstore.Stored, err
	}
	if err := t.lockProjection(); err != nil {
		return boltstore.Stored, err
	}
	fold := t.foldEvent
	if !t.known(e) {
		fold = func(e *domain.Event) error { return t.keepUnfolded([]uuid.UUID{e.ID}) }
	}
	if err := fold(e); err != nil {
		return boltstore.Stored, t.fail(err)
	}
	if t.projected+1 == t.logLen { // nothing awaits before it
		t.projected, t.projectedMoved = t.logLen, true
	}
	return boltstore.Stored, nil
}

// loadStates reads the stored states of keys the transaction has not
// loaded yet, in one query.
func (t *Tx) loadStates(keys []domain.EntityKey) error {
	var types, ids []string
	for _, k := range keys {
		if _, ok := t.folds[k]; !ok {
			types, ids = append(types, string(k.Type)), append(ids, k.ID)
			t.folds[k] = &folded{state: domain.NewState(k)}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := t.tx.Query(t.ctx, `SELECT s.type, s.id, s.body FROM states s
		JOIN unnest($2::text[], $3::text[]) AS k(type, id) ON s.type = k.type AND s.id = k.id
		WHERE s.plant = $1`, t.plant.id, types, ids)
	if err != nil {
		return err
	}
	var typ, id string
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&typ, &id, &body}, func() error {
		k := domain.EntityKey{Type: domain.EntityType(typ), ID: id}
		st, err := boltstore.DecodeState(body)
		if err != nil {
			return domain.Errorf(domain.EInternal, "corrupt state of %s: %v", k, err)
		}
		t.folds[k].state = st
		return nil
	})
	return err
}

// foldEvent brings the entity's state up to date with a logged event.
func (t *Tx) foldEvent(e *domain.Event) error {
	k := e.Key()
	if err := t.loadStates([]domain.EntityKey{k}); err != nil {
		return err
	}
	f := t.folds[k]
	if f.state.Has(e.ID) {
		return nil // folded already: a refold after a late event included it
	}
	f.dirty = true
	err := f.state.Apply(e)
	if errors.Is(err, domain.ErrOutOfOrder) {
		// Arrived late: replay the entity's events, now including it.
		f.state, err = t.refold(k)
	}
	return err
}

// refold folds an entity from its logged events (this transaction's
// included), leaving out those this version does not know and those
// whose bytes do not decode.
func (t *Tx) refold(k domain.EntityKey) (*domain.State, error) {
	events, err := t.entityEvents(k)
	if err != nil {
		return nil, err
	}
	st := domain.NewState(k)
	for i := range events {
		if t.known(&events[i]) {
			if err := st.Apply(&events[i]); err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

// entityEvents returns an entity's logged events in fold order, this
// transaction's appends included, the undecodable ones left out.
func (t *Tx) entityEvents(k domain.EntityKey) ([]domain.Event, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT body FROM events WHERE plant = $1 AND entity_type = $2 AND entity_id = $3",
		t.plant.id, string(k.Type), k.ID)
	if err != nil {
		return nil, err
	}
	var out []domain.Event
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&body}, func() error {
		if e, err := domain.DecodeEvent(body); err == nil {
			out = append(out, e)
		}
		return nil
	})
	for _, a := range t.pending {
		if a.e.Key() == k {
			out = append(out, *a.e)
		}
	}
	slices.SortFunc(out, func(a, b domain.Event) int { return a.Order().Compare(b.Order()) })
	return out, err
}

// writeFolds writes the states the transaction changed, their rows and
// keys, and the projection's mark, in one round trip.
func (t *Tx) writeFolds() error {
	if t.err != nil || (len(t.folds) == 0 && !t.projectedMoved) {
		return t.err
	}
	keys := make([]domain.EntityKey, 0, len(t.folds))
	for k, f := range t.folds {
		if f.dirty {
			keys = append(keys, k)
		}
	}
	// In key order: concurrent writers lock rows in one order.
	slices.SortFunc(keys, func(a, b domain.EntityKey) int { return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.ID, b.ID)) })
	var b pgx.Batch
	for _, k := range keys {
		t.queueState(&b, t.folds[k].state)
		t.folds[k].dirty = false
	}
	if t.projectedMoved {
		b.Queue("UPDATE projections SET projected = $2 WHERE plant = $1", t.plant.id, int64(t.projected))
		t.projectedMoved = false
	}
	return t.fail(t.tx.SendBatch(t.ctx, &b).Close())
}

// queueState queues the writes of one state: the state, and its
// complaint row or action keys.
func (t *Tx) queueState(b *pgx.Batch, st *domain.State) {
	k := st.Meta.Key
	b.Queue(`INSERT INTO states (plant, type, id, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (plant, type, id) DO UPDATE SET body = excluded.body`, t.plant.id, string(k.Type), k.ID, boltstore.EncodeState(st))
	switch {
	case st.Complaint != nil:
		c, r := st.Complaint, boltstore.ComplaintRowOf(st)
		b.Queue(`INSERT INTO complaint_rows (plant, id, filed_key, deadline_key, status, supplier_station, filing_station,
			assignee, filed_by, category, severity, folded_text, row) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (plant, id) DO UPDATE SET filed_key = excluded.filed_key, deadline_key = excluded.deadline_key,
			status = excluded.status, supplier_station = excluded.supplier_station, filing_station = excluded.filing_station,
			assignee = excluded.assignee, filed_by = excluded.filed_by, category = excluded.category,
			severity = excluded.severity, folded_text = excluded.folded_text, row = excluded.row`,
			t.plant.id, k.ID, r.FiledKey(), boltstore.DeadlineKey(c), string(c.Status), c.SupplierStation, c.FilingStation,
			c.Assignee, c.FiledBy, c.Category, string(c.Severity), []byte(boltstore.ComplaintText(c)), boltstore.EncodeComplaintRow(r))
	case st.Action != nil:
		a := st.Action
		b.Queue(`INSERT INTO action_keys (plant, id, complaint, owner, due_key) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (plant, id) DO UPDATE SET complaint = excluded.complaint, owner = excluded.owner, due_key = excluded.due_key`,
			t.plant.id, k.ID, a.ComplaintID, a.Owner, boltstore.ActionDueKey(a))
	}
}

// Project folds up to limit events past the projection's mark, in one
// transaction holding the projection's lock (not the plant's: pushes go
// on), and returns how many remain. Events whose bytes do not decode are
// quarantined and left out.
func (p *Plant) Project(ctx context.Context, limit int) (remaining uint64, err error) {
	var found []boltstore.Quarantined
	err = p.project(ctx, func(t *Tx) error {
		if err := t.foldNext(limit, &found); err != nil {
			return err
		}
		var logLen int64
		if err := t.tx.QueryRow(ctx, "SELECT log_len FROM plants WHERE id = $1", p.id).Scan(&logLen); err != nil {
			return err
		}
		remaining = uint64(logLen) - min(uint64(logLen), t.projected)
		return nil
	})
	if err == nil {
		p.store.quarantine.tell(found)
	}
	return remaining, err
}

// foldNext folds up to limit events past the projection's mark, under
// the projection's lock, and writes the states and the mark.
func (t *Tx) foldNext(limit int, found *[]boltstore.Quarantined) error {
	if err := t.lockProjection(); err != nil {
		return err
	}
	batch, last, err := t.readBatch(t.projected, limit, found)
	if err != nil {
		return err
	}
	keys := make([]domain.EntityKey, len(batch))
	for i := range batch {
		keys[i] = batch[i].Key()
	}
	if err := t.loadStates(keys); err != nil {
		return err
	}
	var unknown []uuid.UUID
	for i := range batch {
		if !t.known(&batch[i]) {
			unknown = append(unknown, batch[i].ID)
			continue
		}
		if err := t.foldEvent(&batch[i]); err != nil {
			return err
		}
	}
	if err := t.keepUnfolded(unknown); err != nil {
		return err
	}
	if last > t.projected {
		t.projected, t.projectedMoved = last, true
	}
	return t.writeFolds()
}

// project runs fn in a read-committed transaction that takes no lock of
// its own (fn takes the projection's).
func (p *Plant) project(ctx context.Context, fn func(*Tx) error) error {
	tx, err := p.store.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	t := p.newTx(ctx, tx, false)
	if err := tx.QueryRow(ctx, "SELECT log_len FROM plants WHERE id = $1", p.id).Scan(&t.logLen); err != nil {
		return p.missing(err)
	}
	if err := fn(t); err != nil {
		return err
	}
	if t.err != nil {
		return t.err
	}
	return tx.Commit(ctx)
}

// CatchUp folds every event awaiting projection, so that a read that
// follows sees every accepted push. It costs one query when there is
// nothing to do.
func (p *Plant) CatchUp(ctx context.Context) error {
	var backlog int64
	err := p.store.pool.QueryRow(ctx, `SELECT pl.log_len - coalesce(pr.projected, 0) FROM plants pl
		LEFT JOIN projections pr ON pr.plant = pl.id WHERE pl.id = $1`, p.id).Scan(&backlog)
	if err != nil || backlog <= 0 {
		return p.missing(err)
	}
	for {
		remaining, err := p.Project(ctx, catchUpBatch)
		if err != nil || remaining == 0 {
			return err
		}
	}
}

// catchUpBatch is how many events one projection transaction folds.
const catchUpBatch = 5000

// readBatch reads up to limit logged events after position after, in
// log order, and returns the decodable ones and the last position read.
// An event whose bytes do not decode is quarantined (found gets the ones
// new to the quarantine) and left out.
func (t *Tx) readBatch(after uint64, limit int, found *[]boltstore.Quarantined) ([]domain.Event, uint64, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT pos, id, body FROM events WHERE plant = $1 AND pos > $2 AND pos <= $3 ORDER BY pos",
		t.plant.id, int64(after), int64(after)+int64(limit))
	if err != nil {
		return nil, after, err
	}
	var out []domain.Event
	var bad []boltstore.Quarantined
	last := after
	var pos int64
	var id [16]byte
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&pos, &id, &body}, func() error {
		last = uint64(pos)
		e, err := domain.DecodeEvent(body)
		if err != nil {
			bad = append(bad, boltstore.Quarantined{Pos: last, Event: id, Reason: err.Error(), Found: t.plant.store.now().UTC()})
			return nil
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, after, err
	}
	for _, q := range bad {
		tag, err := t.tx.Exec(t.ctx, `INSERT INTO quarantine (plant, pos, event, reason, found) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (plant, pos) DO NOTHING`, t.plant.id, int64(q.Pos), [16]byte(q.Event), q.Reason, q.Found)
		if err != nil {
			return nil, after, err
		}
		if tag.RowsAffected() == 1 {
			*found = append(*found, q)
		}
	}
	return out, last, nil
}
