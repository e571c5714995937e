package pgstore

import (
	"context"

	"boucle/shared/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Events of a type or schema this version does not know are logged and
// served, but not folded; their ids are kept in `unfolded`. A newer
// binary that knows them refolds their entities when it starts, once,
// under the plant's lock (instances starting together take turns; the
// second finds nothing left), as the bbolt store does (foldNewlyKnown).

// known reports whether this binary folds e.
func (t *Tx) known(e *domain.Event) bool { return t.plant.store.known(e) }

// keepUnfolded remembers events left unfolded.
func (t *Tx) keepUnfolded(ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO unfolded (plant, event) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, t.plant.id, ids)
	return err
}

// foldNewlyKnown refolds the entities of the events kept unfolded that
// this binary knows, and forgets them.
func (p *Plant) foldNewlyKnown(ctx context.Context) error {
	return p.Update(ctx, func(t *Tx) error {
		if err := t.lockProjection(); err != nil {
			return err
		}
		rows, err := t.tx.Query(ctx, `SELECT e.body FROM unfolded u JOIN events e ON e.plant = u.plant AND e.id = u.event
			WHERE u.plant = $1`, p.id)
		if err != nil {
			return err
		}
		var ids []uuid.UUID
		keys := map[domain.EntityKey]bool{}
		var body []byte
		_, err = pgx.ForEachRow(rows, []any{&body}, func() error {
			if e, err := domain.DecodeEvent(body); err == nil && t.known(&e) {
				ids, keys[e.Key()] = append(ids, e.ID), true
			}
			return nil
		})
		if err != nil || len(ids) == 0 {
			return err
		}
		for k := range keys {
			if err := t.loadStates([]domain.EntityKey{k}); err != nil {
				return err
			}
			f := t.folds[k]
			if f.state, err = t.refold(k); err != nil {
				return err
			}
			f.dirty = true
		}
		_, err = t.tx.Exec(ctx, "DELETE FROM unfolded WHERE plant = $1 AND event = ANY($2::uuid[])", p.id, ids)
		return err
	})
}
