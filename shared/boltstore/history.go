package boltstore

import "boucle/shared/domain"

// UserVersion is a directory entry as it stood from one of its events on:
// valid for every position in the fold at or after From, until the next
// version's From.
type UserVersion struct {
	From domain.OrderKey
	User domain.User
}

// UserHistory folds a user's events in fold order and returns the entry
// after each one, oldest first (nil for a login the store does not know).
// The server reads it to judge a pushed event by the directory as it
// stood when the event was recorded, not as it stands when it arrives.
// Refused events are left out, as in every fold.
func (t *Tx) UserHistory(login string) ([]UserVersion, error) {
	var out []UserVersion
	st := domain.NewState(domain.EntityKey{Type: domain.EntityUser, ID: login})
	rejected := t.tx.Bucket(bucketRejections)
	err := t.entityEvents(st.Meta.Key, func(e *domain.Event) error {
		if !e.Known() || rejected.Get(e.ID[:]) != nil {
			return nil
		}
		if err := st.Apply(e); err != nil {
			return err
		}
		if st.User != nil {
			out = append(out, UserVersion{From: e.Order(), User: *st.User})
		}
		return nil
	})
	return out, err
}

// UserAsOf returns the entry in force at position at: the last version
// from at or before it. A position before the user's creation gets the
// entry as created: a workstation whose clock lags the server's a little
// can stamp a new user's first event before the creation, and the
// creation grants nothing the user did not have. False for no history.
func UserAsOf(history []UserVersion, at domain.OrderKey) (domain.User, bool) {
	if len(history) == 0 {
		return domain.User{}, false
	}
	i := len(history) - 1
	for i > 0 && history[i].From.Compare(at) > 0 {
		i--
	}
	return history[i].User, true
}
