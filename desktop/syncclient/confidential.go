package syncclient

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// The plant's confidential keys (internal notes) arrive with the online
// sign-in of an engineer, manager or administrator. The session holds them
// in memory; the store keeps them sealed under a key derived from the
// user's author key, which only the user's password unwraps (authorkey.go),
// so an offline sign-in opens notes too and nothing else can: not the
// workstation's file, nor an operator's password.

// sessionKeys builds the keyring of the confidential keys a login answer
// delivered; nil when it delivered none.
func sessionKeys(tokens syncproto.Tokens) (*confidential.Keyring, error) {
	ks := tokens.ConfidentialKeys
	if len(ks) == 0 {
		return nil, nil
	}
	k, err := confidential.NewKeyring(ks[0], ks[1:]...)
	if err != nil {
		return nil, fmt.Errorf("the server's confidential keys: %w", err)
	}
	return k, nil
}

// confidentialWrapping derives the key that seals a user's confidential
// keys from their author key, under a label of its own.
func confidentialWrapping(k authorship.Key) []byte {
	m := hmac.New(sha256.New, k.Secret[:])
	m.Write([]byte("boucle confidential wrapping v1\x00" + k.Kid))
	return m.Sum(nil)
}

// saveConfidentialKeys keeps (or forgets) a user's keys after an online
// sign-in, in the sign-in's transaction: the keys it delivered, sealed, or
// nothing when it delivered none (the user no longer reads notes). Without
// an author key (an older server) nothing can seal them: the session alone
// holds them.
func saveConfidentialKeys(tx *boltstore.Tx, tokens syncproto.Tokens, key authorship.Key, replica string) error {
	login := tokens.User.Login
	if len(tokens.ConfidentialKeys) == 0 {
		return tx.DeleteWrappedConfidentialKeys(login)
	}
	if !key.Valid() {
		return nil
	}
	sealed, err := confidential.WrapKeys(tokens.ConfidentialKeys, confidentialWrapping(key), login, replica)
	if err != nil {
		return err
	}
	return tx.PutWrappedConfidentialKeys(login, sealed)
}

// savedConfidentialKeys opens the keys saved for a user with their
// unwrapped author key; nil when there are none, they do not open, or the
// user's role (as the synced directory says) no longer reads notes.
func (s *Syncer) savedConfidentialKeys(u domain.User, key authorship.Key) *confidential.Keyring {
	login := u.Login
	if !key.Valid() || (u.Role != domain.RoleEngineer && u.Role != domain.RoleManager && u.Role != domain.RoleAdmin) {
		return nil
	}
	var sealed []byte
	var ok bool
	_ = s.store.View(func(tx *boltstore.Tx) error { sealed, ok = tx.WrappedConfidentialKeys(login); return nil })
	if !ok {
		return nil
	}
	keys, err := confidential.UnwrapKeys(sealed, confidentialWrapping(key), login, s.store.Replica())
	if err != nil {
		s.cfg.Logger.Warn("the confidential keys saved for a user do not open: internal notes stay locked until an online sign-in", "login", login)
		return nil
	}
	return keys
}
