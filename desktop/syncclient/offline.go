package syncclient

import (
	"crypto/rand"
	"crypto/subtle"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"golang.org/x/crypto/argon2"
)

// VerifierParams is the cost of the argon2id hash kept for offline
// sign-in. The zero value means DefaultVerifierParams.
type VerifierParams struct {
	Time      uint32 // passes
	MemoryKiB uint32
	Threads   uint8
}

// DefaultVerifierParams follow OWASP's argon2id minimum (19 MiB, 2 passes,
// 1 lane): about 30 ms on a shop-floor PC, slow enough that a stolen store
// file does not give passwords away cheaply.
var DefaultVerifierParams = VerifierParams{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}

const (
	saltBytes = 16
	hashBytes = 32
)

func (p VerifierParams) orDefault() VerifierParams {
	if p.Time == 0 || p.MemoryKiB == 0 || p.Threads == 0 {
		return DefaultVerifierParams
	}
	return p
}

// newVerifier hashes password with a fresh random salt.
func newVerifier(u domain.User, password string, p VerifierParams, now time.Time) boltstore.OfflineVerifier {
	p = p.orDefault()
	salt := make([]byte, saltBytes)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails
	return boltstore.OfflineVerifier{User: u, Salt: salt, Hash: argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, hashBytes),
		Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads, Saved: now.UTC()}
}

// checkVerifier reports whether password matches, in constant time.
func checkVerifier(v boltstore.OfflineVerifier, password string) bool {
	got := argon2.IDKey([]byte(password), v.Salt, v.Time, v.MemoryKiB, v.Threads, uint32(len(v.Hash)))
	return len(v.Hash) > 0 && subtle.ConstantTimeCompare(got, v.Hash) == 1
}

// dummyVerifier is checked for unknown logins, so that the time taken
// does not tell which logins have signed in on this workstation.
var dummyVerifier = boltstore.OfflineVerifier{Salt: make([]byte, saltBytes), Hash: make([]byte, hashBytes)}

// errBadOfflineLogin answers every failed offline sign-in the same way.
var errBadOfflineLogin = &domain.Error{Code: domain.EUnauthorized,
	Message: "wrong login or password, or this user has not signed in online on this workstation yet"}
