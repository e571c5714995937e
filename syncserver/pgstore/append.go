package pgstore

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// flushEvery is how many appended events a transaction buffers before it
// copies them to the table: a push of 5000 events is one COPY.
const flushEvery = 5000

// smallAppend is the most events a transaction inserts with the rest of
// its commit's writes (finish) rather than copies on their own: a COPY is
// two round trips, made while the plant's lock is held, and the small
// pushes of a fleet of workstations wait for that lock one after the
// other.
const smallAppend = 64

// appended is an event handed a position, not yet copied to the table.
type appended struct {
	pos  uint64
	e    *domain.Event
	body []byte
}

// LookUpEvents answers HasEvent and whether a refusal is kept for every
// id of a batch, in a query or two per table (see present). Repeat marks
// an id an earlier event of the batch has: look it up again once that one
// is decided.
func (t *Tx) LookUpEvents(ids []uuid.UUID) []boltstore.EventLookup {
	out := make([]boltstore.EventLookup, len(ids))
	seen := make(map[uuid.UUID]bool, len(ids))
	distinct := make([]uuid.UUID, 0, len(ids))
	for i, id := range ids {
		out[i].Repeat = seen[id]
		if !seen[id] {
			distinct = append(distinct, id)
		}
		seen[id] = true
	}
	logged, refused, err := t.present(distinct)
	if t.fail(err) != nil {
		return out
	}
	for i, id := range ids {
		_, pending := t.ids[id] // appended in this transaction, not copied yet
		out[i].Logged = pending || logged[id]
		out[i].Refused = refused[id]
	}
	return out
}

// keyedBy names the unique key of the tables present looks in.
var keyedBy = [2]struct{ table, column string }{{"events", "id"}, {"rejections", "event"}}

// present returns which of ids are in the plant's log and which in its
// refusals. Event ids are UUIDv7, growing with time, and a push's new
// events are recent: one walk of each table's (plant, id) index over the
// batch's range of ids finds them with the few other events of that
// time, much cheaper than one probe per id; both walks go in one round
// trip. A range holding many more rows (a workstation back after weeks)
// is looked up id by id. Both forms name the index's whole key, in its
// order, so the planner reads the index even without statistics (a new
// plant, a first copy): `id = ANY(...)` made it read the plant's every
// event.
func (t *Tx) present(ids []uuid.UUID) (logged, refused map[uuid.UUID]bool, err error) {
	found := [2]map[uuid.UUID]bool{{}, {}}
	if len(ids) == 0 {
		return found[0], found[1], nil
	}
	wanted := make(map[uuid.UUID]bool, len(ids))
	lo, hi := ids[0], ids[0]
	for _, id := range ids {
		wanted[id] = true
		if bytes.Compare(id[:], lo[:]) < 0 {
			lo = id
		}
		if bytes.Compare(id[:], hi[:]) > 0 {
			hi = id
		}
	}
	limit := 4*len(ids) + 64
	var b pgx.Batch
	var walked [2]int
	for i, k := range keyedBy {
		// [16]byte, which pgx sends in binary; a uuid.UUID would go
		// through its text form (driver.Valuer).
		b.Queue(fmt.Sprintf(`SELECT %[2]s FROM %[1]s WHERE plant = $1 AND %[2]s >= $2 AND %[2]s <= $3 ORDER BY %[2]s LIMIT $4`, k.table, k.column),
			t.plant.id, [16]byte(lo), [16]byte(hi), limit).Query(func(rows pgx.Rows) error {
			var id [16]byte
			_, err := pgx.ForEachRow(rows, []any{&id}, func() error {
				walked[i]++
				if wanted[id] {
					found[i][id] = true
				}
				return nil
			})
			return err
		})
	}
	if err := t.tx.SendBatch(t.ctx, &b).Close(); err != nil {
		return nil, nil, err
	}
	for i, k := range keyedBy {
		if walked[i] == limit {
			if found[i], err = t.probe(k.table, k.column, ids); err != nil {
				return nil, nil, err
			}
		}
	}
	return found[0], found[1], nil
}

// probe looks ids up one by one in table: the LIMIT in the lateral
// subquery keeps one index probe per id.
func (t *Tx) probe(table, column string, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	probe := make([][16]byte, len(ids))
	for i, id := range ids {
		probe[i] = id
	}
	rows, err := t.tx.Query(t.ctx, fmt.Sprintf(`SELECT q.id FROM unnest($2::uuid[]) AS q(id)
		CROSS JOIN LATERAL (SELECT 1 FROM %[1]s t WHERE t.plant = $1 AND t.%[2]s = q.id LIMIT 1) AS found`, table, column),
		t.plant.id, probe)
	if err != nil {
		return nil, err
	}
	found := map[uuid.UUID]bool{}
	var id [16]byte
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
		found[id] = true
		return nil
	})
	return found, err
}

// HasEvent reports whether the event is in the plant's log.
func (t *Tx) HasEvent(id uuid.UUID) bool {
	if _, ok := t.ids[id]; ok {
		return true
	}
	var found bool
	err := t.tx.QueryRow(t.ctx, "SELECT EXISTS (SELECT 1 FROM events WHERE plant = $1 AND id = $2)", t.plant.id, [16]byte(id)).Scan(&found)
	return t.fail(err) == nil && found
}

// AppendNew logs an event the caller has found absent (LookUpEvents,
// HasEvent) and accepted, at the next position, with its filing when it
// files a complaint (boltstore.FilingOf; nil otherwise), and moves its
// replica's mark when its sequence number is the next one.
func (t *Tx) AppendNew(e *domain.Event, filing *boltstore.ComplaintFiling) error {
	if err := t.writable("appending an event"); err != nil {
		return err
	}
	t.plant.store.clock.Observe(e.HLC) // the server's next events sort after it
	t.logLen++
	t.pending = append(t.pending, appended{pos: t.logLen, e: e, body: domain.EncodeEvent(e)})
	t.ids[e.ID] = struct{}{}
	if filing != nil {
		t.filings.add(e.EntityID, *filing)
	}
	if err := t.AdvanceReplica(e.Replica, e.Seq); err != nil {
		return err
	}
	if len(t.pending) >= flushEvery {
		return t.flush()
	}
	return nil
}

// flush copies the buffered events to the log (one COPY).
func (t *Tx) flush() error {
	if len(t.pending) == 0 || t.err != nil {
		return t.err
	}
	src := &appendedRows{rows: t.pending, plant: t.plant.id}
	if hook := t.plant.store.copyHook; hook != nil {
		pid := t.tx.Conn().PgConn().PID()
		src.hook = func(n int) { hook(pid, n) }
	}
	_, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"events"},
		[]string{"plant", "pos", "id", "replica", "seq", "entity_type", "entity_id", "body"}, src)
	if err != nil {
		return t.fail(err)
	}
	t.pending = t.pending[:0]
	clear(t.ids) // in the table now: HasEvent finds them there
	return nil
}

// queueSmallAppend queues the insert of the buffered events when they are
// few (smallAppend): one statement in the commit's round trip.
func (t *Tx) queueSmallAppend(b *pgx.Batch) {
	n := len(t.pending)
	if n == 0 || n > smallAppend {
		return
	}
	pos, seq := make([]int64, n), make([]int64, n)
	ids := make([][16]byte, n)
	replicas, types, entities := make([]string, n), make([]string, n), make([]string, n)
	bodies := make([][]byte, n)
	for i, a := range t.pending {
		pos[i], ids[i], replicas[i], seq[i] = int64(a.pos), a.e.ID, a.e.Replica, int64(a.e.Seq)
		types[i], entities[i], bodies[i] = string(a.e.EntityType), a.e.EntityID, a.body
	}
	b.Queue(`INSERT INTO events (plant, pos, id, replica, seq, entity_type, entity_id, body)
		SELECT $1, * FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bytea[])`,
		t.plant.id, pos, ids, replicas, seq, types, entities, bodies)
	t.pending = t.pending[:0]
	clear(t.ids)
}

// appendedRows feeds the buffered events to COPY.
type appendedRows struct {
	rows  []appended
	at    int
	hook  func(n int)
	plant string
}

func (r *appendedRows) Next() bool {
	r.at++
	if r.at <= len(r.rows) && r.hook != nil {
		r.hook(r.at - 1)
	}
	return r.at <= len(r.rows)
}

func (r *appendedRows) Values() ([]any, error) {
	a := r.rows[r.at-1]
	return []any{r.plant, int64(a.pos), [16]byte(a.e.ID), a.e.Replica, int64(a.e.Seq), string(a.e.EntityType), a.e.EntityID, a.body}, nil
}

func (r *appendedRows) Err() error { return nil }

// StoreRejection keeps the server's refusal of a pushed event that is not
// in the log, with the event's bytes, and moves its replica's mark past
// it, so that the replica's next events are not refused as a gap.
func (t *Tx) StoreRejection(e *domain.Event, code domain.Code, reason string) error {
	if err := t.writable("refusing an event"); err != nil {
		return err
	}
	if t.HasEvent(e.ID) {
		return domain.Errorf(domain.EInternal, "event %s is already in the log: it cannot be refused", e.ID)
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO rejections (plant, event, type, entity_type, entity_id, code, reason, rejected_at, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (plant, event) DO UPDATE SET code = excluded.code, reason = excluded.reason, rejected_at = excluded.rejected_at`,
		t.plant.id, [16]byte(e.ID), string(e.Type), string(e.EntityType), e.EntityID, string(code), reason, t.plant.store.now().UTC(), domain.EncodeEvent(e))
	if err != nil {
		return t.fail(err)
	}
	return t.AdvanceReplica(e.Replica, e.Seq)
}

// Rejection returns the kept refusal of an event, and whether there is one.
func (t *Tx) Rejection(id uuid.UUID) (boltstore.Rejection, bool) {
	r := boltstore.Rejection{Event: id}
	var typ, entityType, code string
	var dismissed *time.Time
	err := t.tx.QueryRow(t.ctx, `SELECT type, entity_type, entity_id, code, reason, rejected_at, dismissed_at
		FROM rejections WHERE plant = $1 AND event = $2`, t.plant.id, [16]byte(id)).
		Scan(&typ, &entityType, &r.Entity.ID, &code, &r.Reason, &r.Rejected, &dismissed)
	if errors.Is(err, pgx.ErrNoRows) || t.fail(err) != nil {
		return boltstore.Rejection{}, false
	}
	r.Type, r.Entity.Type, r.Code = domain.EventType(typ), domain.EntityType(entityType), domain.Code(code)
	r.Rejected = r.Rejected.UTC()
	if dismissed != nil {
		r.Dismissed = dismissed.UTC()
	}
	return r, true
}
