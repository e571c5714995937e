package syncclient

import (
	"fmt"

	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/syncproto"
)

// A user's author key (shared/authorship) arrives with each online
// sign-in on this enrolled workstation. It is kept in the store wrapped
// under a key derived from the password (argon2id, the verifier's cost,
// its own salt), and in the session's memory while the user is signed in;
// an offline sign-in unwraps it. Nothing else can: not the workstation's
// file alone, nor another user's password.

// issuedKey returns the key of an online sign-in and its wrapped form to
// save. A sign-in without one (sent without the device's credential, or
// to an older server) keeps the key saved before, if the password opens
// it.
func (s *Syncer) issuedKey(tokens syncproto.Tokens, password string) (authorship.Key, *authorship.Wrapped, error) {
	ak := tokens.AuthorKey
	if ak == nil {
		return s.unwrapKey(tokens.User.Login, password), nil, nil
	}
	if ak.Kid == "" || len(ak.Key) != authorship.KeySize {
		return authorship.Key{}, nil, fmt.Errorf("the server sent a malformed author key")
	}
	k := authorship.Key{Kid: ak.Kid}
	copy(k.Secret[:], ak.Key)
	p := s.cfg.Verifier.orDefault()
	w, err := authorship.Wrap(k, password, tokens.User.Login, s.store.Replica(),
		authorship.Params{Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads})
	if err != nil {
		return authorship.Key{}, nil, err
	}
	return k, &w, nil
}

// unwrapKey opens the key saved for login with password; the zero Key
// when there is none or the password does not open it.
func (s *Syncer) unwrapKey(login, password string) authorship.Key {
	var w authorship.Wrapped
	var ok bool
	_ = s.store.View(func(tx *boltstore.Tx) error { w, ok = tx.WrappedAuthorKey(login); return nil })
	if !ok {
		return authorship.Key{}
	}
	k, err := authorship.Unwrap(w, password, login, s.store.Replica())
	if err != nil {
		return authorship.Key{}
	}
	return k
}
