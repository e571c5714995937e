package syncserver

import (
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// authorEntry is an author's directory entry as the push's checks read
// it: as it stands now, and its history, so that an event is judged by
// the directory as it stood when the event was recorded.
type authorEntry struct {
	now     *domain.User // nil: not in the directory
	history []boltstore.UserVersion
}

// author reads an author's entry once per push (a directory event of
// the same push about that user drops it, see pushTx.store).
func (p *pushTx) author(login string) (authorEntry, error) {
	if a, ok := p.authors[login]; ok {
		return a, nil
	}
	now, err := directoryUser(p.t, login)
	if err != nil {
		return authorEntry{}, err
	}
	a := authorEntry{now: now}
	if now != nil {
		if a.history, err = p.t.UserHistory(login); err != nil {
			return authorEntry{}, err
		}
	}
	p.authors[login] = a
	return a, nil
}

// asOf returns the entry in force when e was recorded: at e's position in
// the fold, which is how every replica orders the directory's changes and
// the event.
func (a authorEntry) asOf(e *domain.Event) (domain.User, bool) {
	return boltstore.UserAsOf(a.history, e.Order())
}
