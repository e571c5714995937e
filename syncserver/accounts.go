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

// seedReference records the default categories and severities not
// defined yet, as actor.
func seedReference(t Directory, actor boltstore.Actor) error {
	cmds, err := boltstore.ReferenceSeed(func(k domain.EntityKey) (bool, error) {
		_, err := t.State(k)
		if domain.ErrorCode(err) == domain.ENotFound {
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		return err
	}
	for _, cmd := range cmds {
		if err := t.RecordServerEvent(actor, cmd); err != nil {
			return err
		}
	}
	return nil
}
