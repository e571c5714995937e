package syncserver

import (
	"encoding/json"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// account is a user's server-side secret, in boltstore.BucketAccounts. The
// user itself (name, role, station, disabled) is reference data folded
// from the event log, so that every workstation knows the directory; the
// password hash never leaves the server.
type account struct {
	Login   string    `json:"login"`
	Hash    string    `json:"hash"` // PHC string, see password.go
	Changed time.Time `json:"changed"`
	// KeyGen is the generation of the user's author keys, moved by every
	// password reset: the keys a workstation got before no longer verify
	// (see authorship.Derive).
	KeyGen uint64 `json:"key_gen,omitempty"`
}

// serverActor is who the server records reference-data events as: the
// administrator account created on first start.
var serverActor = boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}

// SystemLogin is the author of events a workstation's software records on
// a rule (an automatic escalation), with role system. No account may take
// it.
const SystemLogin = "system"

func getAccount(tx *bolt.Tx, login string) (*account, error) {
	raw := tx.Bucket(boltstore.BucketAccounts).Get([]byte(login))
	if raw == nil {
		return nil, nil
	}
	var a account
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, domain.Errorf(domain.EInternal, "corrupt account %s: %v", login, err)
	}
	return &a, nil
}

func putAccount(tx *bolt.Tx, a *account) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return tx.Bucket(boltstore.BucketAccounts).Put([]byte(a.Login), raw)
}

// hasAccounts reports whether any account exists: a store without one is
// new, and the first start creates the administrator.
func hasAccounts(tx *bolt.Tx) bool {
	k, _ := tx.Bucket(boltstore.BucketAccounts).Cursor().First()
	return k != nil
}

// directoryUser returns a user of the directory, nil when unknown.
func directoryUser(t *boltstore.Tx, login string) (*domain.User, error) {
	st, err := t.State(domain.EntityKey{Type: domain.EntityUser, ID: login})
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return st.User, nil
}

// recordAsServer records reference-data events in the transaction. The
// server's own events need no outbox (nothing pushes them anywhere), so
// each is acknowledged at once.
func recordAsServer(t *boltstore.Tx, cmds ...boltstore.Command) error {
	for _, cmd := range cmds {
		e, err := t.Record(serverActor, cmd)
		if err != nil {
			return err
		}
		if err := t.Acknowledge(e.Seq); err != nil {
			return err
		}
	}
	return nil
}

// drainOutbox acknowledges whatever the server recorded through helpers
// that fill the outbox (Store.SeedReference).
func drainOutbox(store *boltstore.Store) error {
	return store.Update(func(t *boltstore.Tx) error {
		evs, err := t.Outbox(t.OutboxLen())
		if err != nil {
			return err
		}
		for _, e := range evs {
			if err := t.Acknowledge(e.Seq); err != nil {
				return err
			}
		}
		return nil
	})
}
