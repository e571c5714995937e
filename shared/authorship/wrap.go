package authorship

import (
	"crypto/rand"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// A workstation keeps each user's author key wrapped: sealed with
// ChaCha20-Poly1305 under a key derived from the user's password with
// argon2id (its own salt, parameters stored beside). Whoever holds the
// workstation's file but not the password cannot unwrap it, short of
// guessing the password at argon2id's cost; unwrapping is the proof of the
// password at offline sign-in.

// Params is the argon2id cost of a wrapping key.
type Params struct {
	Time      uint32 // passes
	MemoryKiB uint32
	Threads   uint8
}

// Wrapped is an author key sealed under a password. The login and replica
// are sealed in as associated data: a wrapped key moved to another user's
// entry or another store does not open.
type Wrapped struct {
	Kid       string `json:"kid"`
	Salt      []byte `json:"salt"`
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	Nonce     []byte `json:"nonce"`
	Sealed    []byte `json:"sealed"`
}

// ErrWrongPassword is Unwrap's answer to a wrong password (or a wrapped
// key that was tampered with, which it cannot tell apart).
var ErrWrongPassword = errors.New("authorship: the password does not unwrap this author key")

// Wrap seals k under password for login on replica.
func Wrap(k Key, password, login, replica string, p Params) (Wrapped, error) {
	if p.Time == 0 || p.MemoryKiB == 0 || p.Threads == 0 {
		return Wrapped{}, fmt.Errorf("authorship: argon2id parameters are required")
	}
	w := Wrapped{Kid: k.Kid, Salt: make([]byte, 16), Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads,
		Nonce: make([]byte, chacha20poly1305.NonceSize)}
	_, _ = rand.Read(w.Salt) // crypto/rand.Read never fails
	_, _ = rand.Read(w.Nonce)
	aead, err := chacha20poly1305.New(w.wrappingKey(password))
	if err != nil {
		return Wrapped{}, err
	}
	w.Sealed = aead.Seal(nil, w.Nonce, k.Secret[:], associated(k.Kid, login, replica))
	return w, nil
}

// Unwrap opens a wrapped key with password, for login on replica.
func Unwrap(w Wrapped, password, login, replica string) (Key, error) {
	if len(w.Salt) == 0 || len(w.Nonce) != chacha20poly1305.NonceSize || w.Time == 0 || w.MemoryKiB == 0 || w.Threads == 0 {
		return Key{}, fmt.Errorf("authorship: malformed wrapped key")
	}
	aead, err := chacha20poly1305.New(w.wrappingKey(password))
	if err != nil {
		return Key{}, err
	}
	secret, err := aead.Open(nil, w.Nonce, w.Sealed, associated(w.Kid, login, replica))
	if err != nil || len(secret) != KeySize {
		return Key{}, ErrWrongPassword
	}
	k := Key{Kid: w.Kid}
	copy(k.Secret[:], secret)
	return k, nil
}

func (w *Wrapped) wrappingKey(password string) []byte {
	return argon2.IDKey([]byte(password), w.Salt, w.Time, w.MemoryKiB, w.Threads, chacha20poly1305.KeySize)
}

func associated(kid, login, replica string) []byte {
	return []byte("boucle wrapped author key v1\x00" + kid + "\x00" + login + "\x00" + replica)
}
