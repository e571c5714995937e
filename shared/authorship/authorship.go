// Package authorship proves who recorded an event. The plant server gives
// each user, at each online sign-in on a workstation, a key bound to that
// user and that workstation's replica; the workstation keeps it wrapped
// under the user's password and signs every event the user records with
// an HMAC-SHA256 over the event's signed bytes (domain.AppendSignedBytes).
// The server derives the same key from its own secret and checks the MAC
// of every pushed event (docs/sync-protocol.md, "Authorship").
//
// Keys are derived, not stored: key(user, replica) =
// HMAC-SHA256(master, "boucle author v1" ‖ 0 ‖ login ‖ 0 ‖ replica), where
// master is derived from one of the server's secrets, named by a kid. So
// the server keeps no author key anywhere, and a restored backup loses
// none.
package authorship

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"hash"

	"boucle/shared/domain"
)

// KeySize is the length of an author key.
const KeySize = 32

// Key is an author key: the secret issued to one user for one replica,
// and the kid of the server secret it was derived from.
type Key struct {
	Kid    string
	Secret [KeySize]byte
}

// Valid reports whether the key was issued (a zero Key is no key).
func (k Key) Valid() bool { return k.Kid != "" }

const label = "boucle author v1"

// Derive computes the key of login on replica from the server's author
// master, for the account's key generation gen: a password reset moves
// the generation, so the keys issued before it stop verifying (generation
// 0 derives the keys issued before generations existed). Logins and
// replica ids never contain NUL (the envelope refuses it), so the
// separators make the input unambiguous.
func Derive(master []byte, login, replica string, gen uint64) [KeySize]byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(label))
	m.Write([]byte{0})
	m.Write([]byte(login))
	m.Write([]byte{0})
	m.Write([]byte(replica))
	if gen > 0 {
		m.Write([]byte{0})
		m.Write(binary.AppendUvarint(nil, gen))
	}
	var out [KeySize]byte
	m.Sum(out[:0])
	return out
}

// Sign sets the event's signature: its author's MAC under k.
func Sign(k Key, e *domain.Event) {
	e.Sig = domain.Signature{Kid: k.Kid, MAC: mac(k.Secret[:], domain.AppendSignedBytes(nil, e))}
}

// Verifier checks signatures, reusing one buffer for the signed bytes and
// one HMAC state per key (the key's padding is hashed once, not per
// event); it is not safe for concurrent use (give each goroutine its own).
type Verifier struct {
	buf  []byte
	macs map[[KeySize]byte]hash.Hash
}

// Verify reports whether the event's MAC is the one secret gives, in
// constant time.
func (v *Verifier) Verify(secret [KeySize]byte, e *domain.Event) bool {
	m, ok := v.macs[secret]
	if !ok {
		if v.macs == nil || len(v.macs) > 64 {
			v.macs = map[[KeySize]byte]hash.Hash{}
		}
		m = hmac.New(sha256.New, secret[:])
		v.macs[secret] = m
	}
	v.buf = domain.AppendSignedBytes(v.buf[:0], e)
	m.Reset()
	m.Write(v.buf)
	var want [domain.MACSize]byte
	m.Sum(want[:0])
	return subtle.ConstantTimeCompare(want[:], e.Sig.MAC[:]) == 1
}

func mac(key, msg []byte) [domain.MACSize]byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	var out [domain.MACSize]byte
	m.Sum(out[:0])
	return out
}
