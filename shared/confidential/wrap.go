package confidential

import (
	"crypto/rand"
	"encoding/json"
	"errors"

	"golang.org/x/crypto/chacha20poly1305"
)

// A workstation keeps the confidential keys of each engineer, manager or
// administrator who signed in online on it, so that their offline
// sign-ins open notes too. The keys are sealed (XChaCha20-Poly1305) under
// a wrapping key that only the user's password unlocks: the caller derives
// it from the user's author key, itself wrapped under the password with
// argon2id (shared/authorship), so one argon2id per sign-in unlocks both.
// The login and replica are associated data: sealed keys moved to another
// user's entry or another workstation's file do not open.

// ErrUnwrap is returned when wrapped keys do not open with the key given.
var ErrUnwrap = errors.New("confidential: the wrapped keys do not open")

// WrapKeys seals keys under wrapping (KeyLen bytes) for login on replica.
func WrapKeys(keys []Key, wrapping []byte, login, replica string) ([]byte, error) {
	plain, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(wrapping)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plain, wrapAssociated(login, replica)), nil
}

// UnwrapKeys opens keys sealed by WrapKeys and returns their keyring.
func UnwrapKeys(sealed, wrapping []byte, login, replica string) (*Keyring, error) {
	aead, err := chacha20poly1305.NewX(wrapping)
	if err != nil {
		return nil, err
	}
	if len(sealed) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return nil, ErrUnwrap
	}
	plain, err := aead.Open(nil, sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:], wrapAssociated(login, replica))
	if err != nil {
		return nil, ErrUnwrap
	}
	var keys []Key
	if err := json.Unmarshal(plain, &keys); err != nil || len(keys) == 0 {
		return nil, ErrUnwrap
	}
	return NewKeyring(keys[0], keys[1:]...)
}

func wrapAssociated(login, replica string) []byte {
	return []byte("boucle wrapped confidential keys v1\x00" + login + "\x00" + replica)
}
