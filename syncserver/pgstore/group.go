package pgstore

import (
	"context"
	"time"

	"boucle/shared/domain"
	"boucle/syncserver/credential"

	"github.com/jackc/pgx/v5"
)

// The group the database's plants form (schema 0007): the accounts of the
// group's quality staff and their sign-ins, apart from every plant's, and
// the list of the plants. What the group reads of a plant it reads through
// that plant's own Server, as the plant's instances do.

// Group is the group of the store's plants.
type Group struct {
	store *Store
	id    string
}

// Group returns the database's group; its id was given by the migration.
func (s *Store) Group(ctx context.Context) (*Group, error) {
	var id string
	if err := s.pool.QueryRow(ctx, "SELECT id FROM plant_group").Scan(&id); err != nil {
		return nil, unavailable(err)
	}
	return &Group{store: s, id: id}, nil
}

// ID is the group's id: the group claim of its access tokens.
func (g *Group) ID() string { return g.id }

// GroupTx is one transaction on the group's records. Its refresh tokens
// and families are the group's tables, never a plant's.
type GroupTx struct{ t *Tx }

// UpdateGroup runs fn in a transaction holding the group's row locked, in
// read committed: the group's writes run one after the other, whichever
// instance runs them (a refresh token rotates once, as a plant's does).
func (g *Group) UpdateGroup(ctx context.Context, fn func(*GroupTx) error) error {
	return unavailable(g.run(ctx, pgx.TxOptions{}, "SELECT id FROM plant_group WHERE id = $1 FOR UPDATE", fn))
}

// ViewGroup runs fn in a read-only transaction on one snapshot.
func (g *Group) ViewGroup(ctx context.Context, fn func(*GroupTx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return unavailable(g.run(ctx, opts, "SELECT id FROM plant_group WHERE id = $1", fn))
}

func (g *Group) run(ctx context.Context, opts pgx.TxOptions, head string, fn func(*GroupTx) error) error {
	tx, err := g.store.pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var id string
	if err := tx.QueryRow(ctx, head, g.id).Scan(&id); err != nil {
		return err
	}
	// The plant's helpers (getRecord, putRecord, sweep) take their
	// owner's id first: the group's, on the group's tables.
	t := &Tx{ctx: ctx, tx: tx, plant: &Plant{store: g.store, id: g.id}, readOnly: opts.AccessMode == pgx.ReadOnly, signIns: groupSignIns}
	if err := fn(&GroupTx{t}); err != nil {
		return err
	}
	if t.err != nil {
		return t.err
	}
	return tx.Commit(ctx)
}

// GroupAccount returns login's group account, nil when none.
func (g *GroupTx) GroupAccount(login string) (*credential.GroupAccount, error) {
	return getRecord[credential.GroupAccount](g.t, "SELECT record FROM group_accounts WHERE grp = $1 AND login = $2", login)
}

// PutGroupAccount creates or replaces the group account a.Login.
func (g *GroupTx) PutGroupAccount(a *credential.GroupAccount) error {
	if a.Login == "" {
		return domain.FieldError("login", "is required")
	}
	return g.t.putRecord("group account", a, `INSERT INTO group_accounts (grp, login, record) VALUES ($1, $2, $3)
		ON CONFLICT (grp, login) DO UPDATE SET record = excluded.record`, a.Login)
}

// GroupAccounts lists the group's accounts, by login.
func (g *GroupTx) GroupAccounts() ([]credential.GroupAccount, error) {
	return listRecords[credential.GroupAccount](g.t, "SELECT record FROM group_accounts WHERE grp = $1 ORDER BY login")
}

// The group's sign-ins (syncserver.RefreshTokens), on the group's tables.

func (g *GroupTx) RefreshToken(hash string) (*credential.RefreshToken, error) {
	return g.t.RefreshToken(hash)
}

func (g *GroupTx) PutRefreshToken(hash string, rt *credential.RefreshToken) error {
	return g.t.PutRefreshToken(hash, rt)
}

func (g *GroupTx) RefreshFamily(id string) (*credential.RefreshFamily, error) {
	return g.t.RefreshFamily(id)
}

func (g *GroupTx) PutRefreshFamily(f *credential.RefreshFamily) error {
	return g.t.PutRefreshFamily(f)
}

func (g *GroupTx) RefreshFamiliesOf(login string) ([]credential.RefreshFamily, error) {
	return g.t.RefreshFamiliesOf(login)
}

func (g *GroupTx) SweepRefreshTokens(before time.Time) (int, error) {
	return g.t.SweepRefreshTokens(before)
}

// Plants lists the database's plants, by id.
func (g *Group) Plants(ctx context.Context) ([]credential.Plant, error) {
	rows, err := g.store.pool.Query(ctx, "SELECT id, created_at, log_len FROM plants ORDER BY id")
	if err != nil {
		return nil, unavailable(err)
	}
	var out []credential.Plant
	var p credential.Plant
	var events int64
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Created, &events}, func() error {
		p.Events = uint64(events)
		out = append(out, p)
		return nil
	})
	return out, unavailable(err)
}
