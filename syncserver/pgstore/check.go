package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// maxCheckProblems bounds the report, as bbolt's check does: a plant
// damaged throughout would otherwise print a line per event.
const maxCheckProblems = 200

// Check verifies a plant as boltstore.Check verifies a file, in the same
// report: every logged event decodes, and every stored state equals the
// refold of its logged events (the fold's own code, Tx.refold); states
// with an event past the projection's mark are counted, not compared. It
// reads one snapshot and takes no lock, so it runs beside serving
// instances. PostgreSQL checks its own pages (data checksums, amcheck).
func (p *Plant) Check(ctx context.Context) (boltstore.CheckReport, error) {
	var r boltstore.CheckReport
	err := p.View(ctx, func(t *Tx) error { return t.check(&r) })
	if err != nil {
		return r, err
	}
	r.Quarantined, err = p.Quarantined(ctx)
	return r, err
}

func (t *Tx) check(r *boltstore.CheckReport) error {
	var version int64
	if err := t.tx.QueryRow(t.ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return err
	}
	r.Schema = uint64(version)
	last, err := t.checkEvents(r)
	if err != nil {
		return err
	}
	return t.checkStates(r, last)
}

// checkEvents decodes every logged event and returns each entity's last
// position.
func (t *Tx) checkEvents(r *boltstore.CheckReport) (map[domain.EntityKey]uint64, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT pos, entity_type, entity_id, body FROM events WHERE plant = $1 ORDER BY pos", t.plant.id)
	if err != nil {
		return nil, err
	}
	last := map[domain.EntityKey]uint64{}
	var pos int64
	var typ, id string
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&pos, &typ, &id, &body}, func() error {
		r.Events++
		k := domain.EntityKey{Type: domain.EntityType(typ), ID: id}
		last[k] = max(last[k], uint64(pos))
		if _, err := domain.DecodeEvent(body); err != nil {
			r.Damaged++
			addProblem(r, "event at position %d (%s %s) does not decode: %v", pos, typ, id, err)
		}
		return nil
	})
	if err == nil && uint64(r.Events) != t.logLen {
		addProblem(r, "the plant's log length is %d but %d events are logged", t.logLen, r.Events)
	}
	return last, err
}

// checkStates compares every stored state with the refold of its events.
func (t *Tx) checkStates(r *boltstore.CheckReport, last map[domain.EntityKey]uint64) error {
	projected := t.projectedPos()
	type stored struct {
		k    domain.EntityKey
		body []byte
	}
	var states []stored
	rows, err := t.tx.Query(t.ctx, "SELECT type, id, body FROM states WHERE plant = $1 ORDER BY type, id", t.plant.id)
	if err != nil {
		return err
	}
	var typ, id string
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&typ, &id, &body}, func() error {
		states = append(states, stored{domain.EntityKey{Type: domain.EntityType(typ), ID: id}, bytes.Clone(body)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range states {
		if last[s.k] > projected {
			r.NotCompared++
			continue
		}
		r.States++
		same, err := t.sameAsRefold(s.k, s.body)
		if err != nil {
			return err
		}
		if !same {
			r.Differ++
			addProblem(r, "state of %s %s differs from the refold of its logged events", s.k.Type, s.k.ID)
		}
	}
	return t.err
}

// sameAsRefold compares a stored state with its refold, both encoded as
// JSON so that only their content counts (as bbolt's check compares).
func (t *Tx) sameAsRefold(k domain.EntityKey, body []byte) (bool, error) {
	st, err := boltstore.DecodeState(body)
	if err != nil {
		return false, nil
	}
	folded, err := t.refold(k)
	if err != nil {
		return false, err
	}
	a, errA := json.Marshal(st)
	b, errB := json.Marshal(folded)
	return errA == nil && errB == nil && bytes.Equal(a, b), nil
}

func addProblem(r *boltstore.CheckReport, format string, args ...any) {
	switch {
	case len(r.Problems) < maxCheckProblems:
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	case len(r.Problems) == maxCheckProblems:
		r.Problems = append(r.Problems, "… more problems not listed")
	}
}
