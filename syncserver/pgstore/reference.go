package pgstore

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// The folded reference data and any entity's state (syncserver's
// Reference and Folding ports), as the bbolt store answers them. A
// transaction sees its own folds (Ingest) before the stored states.

// state returns an entity's state in the transaction, nil when it has
// none.
func (t *Tx) state(k domain.EntityKey) (*domain.State, error) {
	if f, ok := t.folds[k]; ok {
		return f.state, nil
	}
	var body []byte
	err := t.tx.QueryRow(t.ctx, "SELECT body FROM states WHERE plant = $1 AND type = $2 AND id = $3",
		t.plant.id, string(k.Type), k.ID).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := boltstore.DecodeState(body)
	if err != nil {
		return nil, domain.Errorf(domain.EInternal, "corrupt state of %s: %v", k, err)
	}
	return st, nil
}

// State returns an entity's folded state; ENotFound when it has none.
func (t *Tx) State(k domain.EntityKey) (*domain.State, error) {
	st, err := t.state(k)
	if err != nil {
		return nil, err
	}
	if st == nil || !st.Exists() {
		return nil, domain.Errorf(domain.ENotFound, "no %s %q", k.Type, k.ID)
	}
	return st, nil
}

// ForEachState calls fn for every existing entity of a type, in id order.
func (t *Tx) ForEachState(typ domain.EntityType, fn func(*domain.State)) error {
	rows, err := t.tx.Query(t.ctx, "SELECT id, body FROM states WHERE plant = $1 AND type = $2 ORDER BY id", t.plant.id, string(typ))
	if err != nil {
		return err
	}
	var all []*domain.State
	var id string
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &body}, func() error {
		if _, ok := t.folds[domain.EntityKey{Type: typ, ID: id}]; ok {
			return nil // this transaction's fold, added below
		}
		st, err := boltstore.DecodeState(body)
		if err != nil {
			return domain.Errorf(domain.EInternal, "corrupt state of %s %q: %v", typ, id, err)
		}
		all = append(all, st)
		return nil
	})
	if err != nil {
		return err
	}
	for k, f := range t.folds {
		if k.Type == typ {
			all = append(all, f.state)
		}
	}
	slices.SortFunc(all, func(a, b *domain.State) int { return strings.Compare(a.Meta.Key.ID, b.Meta.Key.ID) })
	for _, st := range all {
		if st.Exists() {
			fn(st)
		}
	}
	return nil
}

// Users lists the user directory.
func (t *Tx) Users() ([]domain.User, error) { return boltstore.ReadUsers(t) }

// Stations lists the stations, retired ones included.
func (t *Tx) Stations() ([]domain.Station, error) { return boltstore.ReadStations(t) }

// Categories lists the defect categories.
func (t *Tx) Categories() ([]domain.Category, error) { return boltstore.ReadCategories(t) }

// Severities returns the handling times of every severity, configured or
// default.
func (t *Tx) Severities() ([]domain.SeverityConfig, error) { return boltstore.ReadSeverities(t) }

// Severity returns the handling times of one severity.
func (t *Tx) Severity(s domain.Severity) (domain.SeverityConfig, error) {
	return boltstore.ReadSeverity(t, s)
}

// UserHistory folds a user's events in fold order and returns the entry
// after each one, oldest first (nil for an unknown login): the push
// judges an event by the directory as it stood when it was recorded.
func (t *Tx) UserHistory(login string) ([]boltstore.UserVersion, error) {
	k := domain.EntityKey{Type: domain.EntityUser, ID: login}
	events, err := t.entityEvents(k)
	if err != nil {
		return nil, err
	}
	var out []boltstore.UserVersion
	st := domain.NewState(k)
	for i := range events {
		e := &events[i]
		if !e.Known() {
			continue
		}
		if err := st.Apply(e); err != nil {
			return nil, err
		}
		if st.User != nil {
			out = append(out, boltstore.UserVersion{From: e.Order(), User: *st.User})
		}
	}
	return out, nil
}

// Plans returns the preventive plans in the given statuses (all when
// none), the last drafted first; a tie (two workstations' clocks) keeps
// id order, as in the bbolt store.
func (t *Tx) Plans(statuses ...domain.PlanStatus) ([]domain.Plan, error) {
	var found []*domain.State
	err := t.ForEachState(domain.EntityPlan, func(st *domain.State) {
		if len(statuses) == 0 || slices.Contains(statuses, st.Plan.Status) {
			found = append(found, st)
		}
	})
	slices.SortStableFunc(found, func(a, b *domain.State) int { return cmp.Compare(b.Meta.Created, a.Meta.Created) })
	out := make([]domain.Plan, len(found))
	for i, st := range found {
		out[i] = *st.Plan
	}
	return out, err
}
