package boltserver

import (
	"encoding/json"
	"strings"
	"time"

	"boucle/shared/boltstore"
	"boucle/syncserver/credential"

	bolt "go.etcd.io/bbolt"
)

// Account returns login's account, nil when it has none.
func (t *Tx) Account(login string) (*credential.Account, error) {
	return getJSON[credential.Account](t.bucket(boltstore.BucketAccounts), []byte(login))
}

// PutAccount creates or replaces the account of a.Login.
func (t *Tx) PutAccount(a *credential.Account) error {
	return putJSON(t.bucket(boltstore.BucketAccounts), []byte(a.Login), a)
}

// HasAccounts reports whether any account exists.
func (t *Tx) HasAccounts() (bool, error) {
	k, _ := t.bucket(boltstore.BucketAccounts).Cursor().First()
	return k != nil, nil
}

// Device returns the device enrolled under id, nil when none was.
func (t *Tx) Device(id string) (*credential.Device, error) {
	return getJSON[credential.Device](t.bucket(boltstore.BucketDevices), []byte(id))
}

// PutDevice creates or replaces the device d.ID.
func (t *Tx) PutDevice(d *credential.Device) error {
	return putJSON(t.bucket(boltstore.BucketDevices), []byte(d.ID), d)
}

// Devices lists every device, in id order.
func (t *Tx) Devices() ([]credential.Device, error) {
	var out []credential.Device
	err := eachJSON(t.bucket(boltstore.BucketDevices), nil, func(_ []byte, d *credential.Device) error {
		out = append(out, *d)
		return nil
	})
	return out, err
}

// Enrolment returns the code hashed to hash, nil when unknown.
func (t *Tx) Enrolment(hash string) (*credential.Enrolment, error) {
	return getJSON[credential.Enrolment](t.bucket(boltstore.BucketEnrolments), []byte(hash))
}

// PutEnrolment stores a code under its hash.
func (t *Tx) PutEnrolment(hash string, en *credential.Enrolment) error {
	return putJSON(t.bucket(boltstore.BucketEnrolments), []byte(hash), en)
}

// DeleteEnrolment spends or forgets a code.
func (t *Tx) DeleteEnrolment(hash string) error {
	return t.bucket(boltstore.BucketEnrolments).Delete([]byte(hash))
}

// SweepEnrolments deletes the codes that expired before before.
func (t *Tx) SweepEnrolments(before time.Time) (int, error) {
	return sweepExpired(t.bucket(boltstore.BucketEnrolments), before)
}

// RefreshToken returns the token hashed to hash, nil when unknown. The
// successor's key, which older versions stored whole, is read back as a
// hash.
func (t *Tx) RefreshToken(hash string) (*credential.RefreshToken, error) {
	rt, err := getJSON[credential.RefreshToken](t.bucket(boltstore.BucketRefreshTokens), boltstore.RefreshTokenKey(hash))
	if rt != nil {
		rt.Next = strings.TrimPrefix(rt.Next, boltstore.RefreshTokenPrefix)
	}
	return rt, err
}

// PutRefreshToken stores a token under its hash.
func (t *Tx) PutRefreshToken(hash string, rt *credential.RefreshToken) error {
	return putJSON(t.bucket(boltstore.BucketRefreshTokens), boltstore.RefreshTokenKey(hash), rt)
}

// RefreshFamily returns the family id, nil when unknown.
func (t *Tx) RefreshFamily(id string) (*credential.RefreshFamily, error) {
	return getJSON[credential.RefreshFamily](t.bucket(boltstore.BucketRefreshTokens), boltstore.RefreshFamilyKey(id))
}

// PutRefreshFamily creates or replaces the family f.ID.
func (t *Tx) PutRefreshFamily(f *credential.RefreshFamily) error {
	return putJSON(t.bucket(boltstore.BucketRefreshTokens), boltstore.RefreshFamilyKey(f.ID), f)
}

// RefreshFamiliesOf lists login's families. The bucket is not indexed by
// login: the families are few (one per sign-in, swept a day after they
// expire), and this is read only when a user is disabled or their
// password reset.
func (t *Tx) RefreshFamiliesOf(login string) ([]credential.RefreshFamily, error) {
	var out []credential.RefreshFamily
	err := eachJSON(t.bucket(boltstore.BucketRefreshTokens), []byte(boltstore.RefreshFamilyPrefix), func(_ []byte, f *credential.RefreshFamily) error {
		if f.Login == login {
			out = append(out, *f)
		}
		return nil
	})
	return out, err
}

// SweepRefreshTokens deletes the tokens and families that expired before
// before.
func (t *Tx) SweepRefreshTokens(before time.Time) (int, error) {
	return sweepExpired(t.bucket(boltstore.BucketRefreshTokens), before)
}

// sweepExpired deletes the JSON records of b whose "expires" is before
// before.
func sweepExpired(b *bolt.Bucket, before time.Time) (int, error) {
	var dead [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var exp struct {
			Expires time.Time `json:"expires"`
		}
		if json.Unmarshal(v, &exp) == nil && exp.Expires.Before(before) {
			dead = append(dead, append([]byte(nil), k...))
		}
		return nil
	})
	for _, k := range dead {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(dead), err
}

// Setting returns the value of name, nil when unset.
func (t *Tx) Setting(name string) ([]byte, error) {
	v := t.bucket(boltstore.BucketServerConfig).Get([]byte(name))
	if v == nil {
		return nil, nil
	}
	return append([]byte{}, v...), nil
}

// PutSetting sets name.
func (t *Tx) PutSetting(name string, value []byte) error {
	return t.bucket(boltstore.BucketServerConfig).Put([]byte(name), value)
}

// DeleteSetting unsets name.
func (t *Tx) DeleteSetting(name string) error {
	return t.bucket(boltstore.BucketServerConfig).Delete([]byte(name))
}
