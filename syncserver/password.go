package syncserver

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"boucle/shared/domain"

	"golang.org/x/crypto/argon2"
)

// defaultArgonParams are the argon2id parameters of new password hashes: OWASP's
// first recommended setting (19 MiB, 2 passes, 1 lane), about 30 ms on the
// plant's server. Each hash records its own parameters, so raising them
// later leaves existing hashes valid; they are upgraded at the next login.
var defaultArgonParams = argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// argonParams are the parameters in use: defaultArgonParams, except in
// this package's tests.
var argonParams = defaultArgonParams

type argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// Password length limits. The upper one bounds the work of a hash.
const (
	MinPasswordLen = 10
	maxPasswordLen = 256
)

// hashPassword returns the PHC string of an argon2id hash of password:
// $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func hashPassword(password string) string {
	p := argonParams
	salt := randomBytes(p.SaltLen)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches the PHC string, comparing
// in constant time, and whether the hash should be redone with the current
// parameters.
func checkPassword(phc, password string) (ok, stale bool) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, p.Memory != argonParams.Memory || p.Time != argonParams.Time || p.Threads != argonParams.Threads
}

func parsePHC(phc string) (p argon2Params, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, fmt.Errorf("not an argon2id hash")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, err
	}
	if salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return p, nil, nil, err
	}
	key, err = base64.RawStdEncoding.DecodeString(parts[5])
	return p, salt, key, err
}

// dummyHash is checked against when a login names no account, so that an
// unknown login costs as much time as a wrong password.
var dummyHash = sync.OnceValue(func() string { return hashPassword("no account has this password") })

// validatePassword checks a password chosen by a person.
func validatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return domain.FieldError("password", "must be at least %d characters", MinPasswordLen)
	case len(pw) > maxPasswordLen:
		return domain.FieldError("password", "must be at most %d bytes", maxPasswordLen)
	}
	return nil
}

// passwordAlphabet leaves out characters that read alike (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// NewPassword returns a random password of 16 characters in four groups,
// about 80 bits, easy to read out and type.
func NewPassword() string { return randomCode(passwordAlphabet, 16, 4) }

// randomCode returns n characters of alphabet (32 characters: no modulo
// bias), with a '-' every group characters.
func randomCode(alphabet string, n, group int) string {
	var b strings.Builder
	for i, r := range randomBytes(n) {
		if i > 0 && i%group == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(r)%len(alphabet)])
	}
	return b.String()
}
