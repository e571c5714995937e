package pgstore

import (
	"encoding/json"
	"errors"
	"math"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver/credential"

	"github.com/jackc/pgx/v5"
)

// The sign-in side of the server's store port (syncserver.Accounts,
// DeviceRecords, Enrolments, RefreshTokens, Settings) on the plant's
// transaction. Records are stored as the JSON of the credential types,
// the bytes the bbolt adapter keeps, so a plant migrated from bbolt
// copies them as they are.
//
// Why two server instances cannot both use one refresh token or spend
// one enrolment code: Update starts by locking the plant's row (tx.go)
// and runs in READ COMMITTED, so the write transactions of a plant run
// one after the other, each statement seeing what the ones before
// committed. The second instance's rotation reads the token the first
// marked used, and takes it for a reuse (sessions.go); its DELETE of a
// spent code finds no row, and its Enrolment read finds none before it.
// Nothing is held in a process between transactions.

// Account returns login's account, nil when it has none.
func (t *Tx) Account(login string) (*credential.Account, error) {
	return getRecord[credential.Account](t, "SELECT record FROM accounts WHERE plant = $1 AND login = $2", login)
}

// PutAccount creates or replaces the account of a.Login.
func (t *Tx) PutAccount(a *credential.Account) error {
	if a.Login == "" {
		return domain.FieldError("login", "is required")
	}
	return t.putRecord("account", a, `INSERT INTO accounts (plant, login, record) VALUES ($1, $2, $3)
		ON CONFLICT (plant, login) DO UPDATE SET record = excluded.record`, a.Login)
}

// HasAccounts reports whether the plant has any account.
func (t *Tx) HasAccounts() (bool, error) {
	var has bool
	err := t.tx.QueryRow(t.ctx, "SELECT EXISTS (SELECT 1 FROM accounts WHERE plant = $1)", t.plant.id).Scan(&has)
	return has, t.fail(err)
}

// Device returns the device enrolled under id, nil when none was.
func (t *Tx) Device(id string) (*credential.Device, error) {
	return getRecord[credential.Device](t, "SELECT record FROM devices WHERE plant = $1 AND id = $2", id)
}

// PutDevice creates or replaces the device d.ID.
func (t *Tx) PutDevice(d *credential.Device) error {
	if d.ID == "" {
		return domain.FieldError("device", "is required")
	}
	return t.putRecord("device", d, `INSERT INTO devices (plant, id, record) VALUES ($1, $2, $3)
		ON CONFLICT (plant, id) DO UPDATE SET record = excluded.record`, d.ID)
}

// Devices lists the plant's every device, revoked ones included, in id
// order (byte order, as bbolt's keys).
func (t *Tx) Devices() ([]credential.Device, error) {
	return listRecords[credential.Device](t, "SELECT record FROM devices WHERE plant = $1 ORDER BY id")
}

// Enrolment returns the code hashed to hash, nil when unknown.
func (t *Tx) Enrolment(hash string) (*credential.Enrolment, error) {
	return getRecord[credential.Enrolment](t, "SELECT record FROM enrolments WHERE plant = $1 AND hash = $2", hash)
}

// PutEnrolment stores a code under its hash.
func (t *Tx) PutEnrolment(hash string, en *credential.Enrolment) error {
	if hash == "" {
		return domain.FieldError("code", "has no hash")
	}
	return t.putRecord("enrolment", en, `INSERT INTO enrolments (plant, hash, record, expires) VALUES ($1, $2, $3, $4)
		ON CONFLICT (plant, hash) DO UPDATE SET record = excluded.record, expires = excluded.expires`, hash, unixNanos(en.Expires))
}

// DeleteEnrolment spends or forgets a code.
func (t *Tx) DeleteEnrolment(hash string) error {
	return t.exec("DELETE FROM enrolments WHERE plant = $1 AND hash = $2", hash)
}

// SweepEnrolments deletes the codes that expired before before.
func (t *Tx) SweepEnrolments(before time.Time) (int, error) {
	return t.sweep("DELETE FROM enrolments WHERE plant = $1 AND expires < $2", before)
}

// signIns names the tables of a transaction's refresh tokens and
// families, and the column their owner's id is in: a plant's, or the
// group's (group.go), which keeps its sign-ins apart from every plant's.
type signIns struct{ tokens, families, owner string }

var (
	plantSignIns = signIns{tokens: "refresh_tokens", families: "refresh_families", owner: "plant"}
	groupSignIns = signIns{tokens: "group_refresh_tokens", families: "group_refresh_families", owner: "grp"}
)

// RefreshToken returns the token hashed to hash, nil when unknown.
func (t *Tx) RefreshToken(hash string) (*credential.RefreshToken, error) {
	in := t.signIns
	return getRecord[credential.RefreshToken](t, "SELECT record FROM "+in.tokens+" WHERE "+in.owner+" = $1 AND hash = $2", hash)
}

// PutRefreshToken stores a token under its hash.
func (t *Tx) PutRefreshToken(hash string, rt *credential.RefreshToken) error {
	if hash == "" {
		return domain.FieldError("refresh_token", "has no hash")
	}
	in := t.signIns
	return t.putRecord("refresh token", rt, "INSERT INTO "+in.tokens+" ("+in.owner+`, hash, record, expires) VALUES ($1, $2, $3, $4)
		ON CONFLICT (`+in.owner+", hash) DO UPDATE SET record = excluded.record, expires = excluded.expires", hash, unixNanos(rt.Expires))
}

// RefreshFamily returns the family id, nil when unknown.
func (t *Tx) RefreshFamily(id string) (*credential.RefreshFamily, error) {
	in := t.signIns
	return getRecord[credential.RefreshFamily](t, "SELECT record FROM "+in.families+" WHERE "+in.owner+" = $1 AND id = $2", id)
}

// PutRefreshFamily creates or replaces the family f.ID.
func (t *Tx) PutRefreshFamily(f *credential.RefreshFamily) error {
	if f.ID == "" {
		return domain.FieldError("family", "is required")
	}
	in := t.signIns
	return t.putRecord("refresh family", f, "INSERT INTO "+in.families+" ("+in.owner+`, id, record, login, expires) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (`+in.owner+", id) DO UPDATE SET record = excluded.record, login = excluded.login, expires = excluded.expires",
		f.ID, f.Login, unixNanos(f.Expires))
}

// RefreshFamiliesOf lists login's families, revoked ones included, in id
// order.
func (t *Tx) RefreshFamiliesOf(login string) ([]credential.RefreshFamily, error) {
	in := t.signIns
	return listRecords[credential.RefreshFamily](t, "SELECT record FROM "+in.families+" WHERE "+in.owner+" = $1 AND login = $2 ORDER BY id", login)
}

// SweepRefreshTokens deletes the tokens and families that expired before
// before, and returns how many.
func (t *Tx) SweepRefreshTokens(before time.Time) (int, error) {
	in := t.signIns
	tokens, err := t.sweep("DELETE FROM "+in.tokens+" WHERE "+in.owner+" = $1 AND expires < $2", before)
	if err != nil {
		return 0, err
	}
	families, err := t.sweep("DELETE FROM "+in.families+" WHERE "+in.owner+" = $1 AND expires < $2", before)
	return tokens + families, err
}

// epochSetting is the setting the plant's row holds (plants.epoch): the
// log's epoch is given when the plant is created, and a restore moves it.
const epochSetting = "epoch"

// Setting returns the value of name, nil when unset.
func (t *Tx) Setting(name string) ([]byte, error) {
	var v []byte
	var err error
	if name == epochSetting {
		var epoch string
		err = t.tx.QueryRow(t.ctx, "SELECT epoch FROM plants WHERE id = $1", t.plant.id).Scan(&epoch)
		v = []byte(epoch)
	} else {
		err = t.tx.QueryRow(t.ctx, "SELECT value FROM settings WHERE plant = $1 AND name = $2", t.plant.id, name).Scan(&v)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, t.fail(err)
	}
	return v, nil
}

// SettingsOf returns the values of names in one statement, each nil when
// unset (syncserver.SettingsReader).
func (t *Tx) SettingsOf(names ...string) ([][]byte, error) {
	rows, err := t.tx.Query(t.ctx, `SELECT $2::text, convert_to(epoch, 'UTF8') FROM plants WHERE id = $1 AND $2::text = ANY($3)
		UNION ALL SELECT name, value FROM settings WHERE plant = $1 AND name = ANY($3)`, t.plant.id, epochSetting, names)
	if err != nil {
		return nil, t.fail(err)
	}
	found := map[string][]byte{}
	for rows.Next() {
		var name string
		var v []byte
		if err := rows.Scan(&name, &v); err != nil {
			rows.Close()
			return nil, t.fail(err)
		}
		found[name] = v
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(err)
	}
	raw := make([][]byte, len(names))
	for i, name := range names {
		raw[i] = found[name]
	}
	return raw, nil
}

// PutSetting sets name.
func (t *Tx) PutSetting(name string, value []byte) error {
	if name == "" {
		return domain.FieldError("setting", "has no name")
	}
	if name == epochSetting {
		if len(value) == 0 {
			return domain.FieldError("epoch", "cannot be empty: pull cursors carry it")
		}
		return t.exec("UPDATE plants SET epoch = $2 WHERE id = $1", string(value))
	}
	if value == nil {
		value = []byte{}
	}
	return t.exec(`INSERT INTO settings (plant, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (plant, name) DO UPDATE SET value = excluded.value`, name, value)
}

// DeleteSetting unsets name. The epoch is never unset: a plant's log
// always has one.
func (t *Tx) DeleteSetting(name string) error {
	if name == epochSetting {
		return domain.FieldError("epoch", "cannot be deleted: pull cursors carry it")
	}
	return t.exec("DELETE FROM settings WHERE plant = $1 AND name = $2", name)
}

// getRecord reads one JSON record of the plant by key: nil when absent.
func getRecord[R any](t *Tx, query string, key string) (*R, error) {
	if err := t.err; err != nil {
		return nil, err
	}
	var raw []byte
	err := t.tx.QueryRow(t.ctx, query, t.plant.id, key).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, t.fail(err)
	}
	r := new(R)
	if err := json.Unmarshal(raw, r); err != nil {
		return nil, t.fail(domain.Errorf(boltstore.ECorrupt, "plant %s: the record under %q does not read: %v", t.plant.id, key, err))
	}
	return r, nil
}

// listRecords reads the plant's JSON records a query selects, in its
// order.
func listRecords[R any](t *Tx, query string, args ...any) ([]R, error) {
	if err := t.err; err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(t.ctx, query, append([]any{t.plant.id}, args...)...)
	if err != nil {
		return nil, t.fail(err)
	}
	var out []R
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&raw}, func() error {
		var r R
		if err := json.Unmarshal(raw, &r); err != nil {
			return domain.Errorf(boltstore.ECorrupt, "plant %s: a record does not read: %v", t.plant.id, err)
		}
		out = append(out, r)
		return nil
	})
	return out, t.fail(err)
}

// putRecord writes record's JSON as the third argument of an upsert
// whose first is the plant and second key; more follow it.
func (t *Tx) putRecord(what string, record any, upsert string, key string, more ...any) error {
	raw, err := json.Marshal(record)
	if err != nil {
		return domain.Errorf(domain.EInvalid, "the %s does not encode: %v", what, err)
	}
	args := append([]any{key, string(raw)}, more...)
	return t.exec(upsert, args...)
}

// exec runs a write of the plant's: the plant is its first argument.
func (t *Tx) exec(query string, args ...any) error {
	if err := t.writable("a write"); err != nil {
		return err
	}
	_, err := t.tx.Exec(t.ctx, query, append([]any{t.plant.id}, args...)...)
	return t.fail(err)
}

// sweep runs a DELETE of the plant's rows expired before before.
func (t *Tx) sweep(query string, before time.Time) (int, error) {
	if err := t.writable("a sweep"); err != nil {
		return 0, err
	}
	tag, err := t.tx.Exec(t.ctx, query, t.plant.id, unixNanos(before))
	if err != nil {
		return 0, t.fail(err)
	}
	return int(tag.RowsAffected()), nil
}

// unixNanos is t in Unix nanoseconds, clamped to int64: the zero time
// (never set) sorts before every real one, as in Go.
func unixNanos(t time.Time) int64 {
	switch {
	case t.Before(minNanos):
		return math.MinInt64
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var (
	minNanos = time.Unix(0, math.MinInt64)
	maxNanos = time.Unix(0, math.MaxInt64)
)
