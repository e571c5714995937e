package syncserver

import (
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver/credential"
)

// account is a user's server-side secret (credential.Account): the user
// itself (name, role, station, disabled) is reference data folded from the
// event log, so that every workstation knows the directory; the password
// hash never leaves the server.
type account = credential.Account

// serverActor is who the server records reference-data events as: the
// administrator account created on first start.
var serverActor = boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}

// SystemLogin is the author of events a workstation's software records on
// a rule (an automatic escalation), with role system. No account may take
// it.
const SystemLogin = "system"

// stateReader reads folded states: a port transaction (Directory) or, on
// the push path, the log's transaction.
type stateReader interface {
	State(k domain.EntityKey) (*domain.State, error)
}

// directoryUser returns a user of the directory, nil when unknown.
func directoryUser(t stateReader, login string) (*domain.User, error) {
	st, err := t.State(domain.EntityKey{Type: domain.EntityUser, ID: login})
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return st.User, nil
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
