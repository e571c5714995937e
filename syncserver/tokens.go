package syncserver

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// Claims are the claims of an access token.
type Claims struct {
	Role   domain.Role `json:"role"`
	Plant  string      `json:"plant"`
	Device string      `json:"device,omitempty"` // the enrolled device signed in from, if any
	// Session is the sign-in (refresh family) the token belongs to: when
	// it is revoked, the token stops working (sessions.go).
	Session string `json:"sid"`
	jwt.RegisteredClaims
}

// signingMethod is the only algorithm issued and accepted.
var signingMethod = jwt.SigningMethodHS256

// MaxAccessTTL caps the lifetime of access tokens: the configured TTL may
// not exceed it, and a token whose exp is further than the configured TTL
// from its iat is refused, whatever key signed it.
const MaxAccessTTL = time.Hour

// dropStoredJWTKey removes the HS256 key that older versions kept inside
// the store (so inside every backup). Tokens it signed stop working: their
// users sign in again.
func dropStoredJWTKey(store *boltstore.Store, log interface{ Warn(string, ...any) }) error {
	var dropped bool
	err := store.Update(func(t *boltstore.Tx) error {
		b := t.Bolt().Bucket(boltstore.BucketServerConfig)
		if b.Get(keyLegacyJWTKey) == nil {
			return nil
		}
		dropped = true
		return b.Delete(keyLegacyJWTKey)
	})
	if dropped {
		log.Warn("removed the JWT key kept inside the store by an older version: the server's keys now live in its key file; every user signs in again")
	}
	return err
}

// issueAccess signs an access token for a user with the newest key,
// named by the kid header.
func (s *Server) issueAccess(u *domain.User, fam *refreshFamily) (string, error) {
	now := s.now()
	claims := Claims{Role: u.Role, Plant: s.cfg.Plant, Device: fam.Device, Session: fam.ID, RegisteredClaims: jwt.RegisteredClaims{
		Subject:   u.Login,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(s.cfg.AccessTTL)),
		ID:        uuid.NewString(),
	}}
	kid := s.keys.Current()
	key, _ := s.keys.jwtKey(kid)
	t := jwt.NewWithClaims(signingMethod, claims)
	t.Header["kid"] = kid
	return t.SignedString(key)
}

// parseAccess verifies an access token: HS256 only (pinned in the parser
// and checked again in the key function, so that neither "none" nor a
// public-key algorithm fed our key as a secret is ever honoured), signed
// with the key its kid names, unexpired, living no longer than the
// configured TTL, for this plant.
func (s *Server) parseAccess(token string) (*Claims, error) {
	var claims Claims
	_, err := jwt.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		if m, ok := t.Method.(*jwt.SigningMethodHMAC); !ok || m != signingMethod {
			return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
		}
		kid, _ := t.Header["kid"].(string)
		key, ok := s.keys.jwtKey(kid)
		if !ok {
			return nil, fmt.Errorf("unknown key id %q", kid)
		}
		return key, nil
	},
		jwt.WithValidMethods([]string{signingMethod.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, errUnauthorized("access token expired")
	case err != nil:
		return nil, errUnauthorized("invalid access token")
	case claims.IssuedAt == nil || claims.ExpiresAt.Sub(claims.IssuedAt.Time) > s.cfg.AccessTTL+time.Second:
		return nil, errUnauthorized("access token lives longer than this server allows")
	case claims.Subject == "" || claims.Plant != s.cfg.Plant:
		return nil, errUnauthorized("access token not issued by this plant's server")
	}
	return &claims, nil
}

// Refresh tokens rotate: each use marks the token used and issues the next
// one of its family. A used token presented again means it was copied, so
// the whole family is revoked. Only SHA-256 hashes of tokens are stored:
// the tokens are 256-bit random, so a slow hash would add nothing.
//
// Keys of boltstore.BucketRefreshTokens: "t/" + hash → refreshToken,
// "f/" + family id → refreshFamily.
type refreshToken struct {
	Family  string    `json:"family"`
	Issued  time.Time `json:"issued"`
	Expires time.Time `json:"expires"`
	Used    bool      `json:"used,omitempty"`
	UsedAt  time.Time `json:"used_at,omitzero"`
	// Next is the key of the successor issued when it was used; Retried,
	// that it was presented again within the grace period and honoured;
	// Superseded, that a retry replaced it before it was ever used
	// (sessions.go).
	Next       string `json:"next,omitempty"`
	Retried    bool   `json:"retried,omitempty"`
	Superseded bool   `json:"superseded,omitempty"`
}

type refreshFamily struct {
	ID        string    `json:"id"`
	Login     string    `json:"login"`
	Device    string    `json:"device,omitempty"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"` // of its newest token: the family can be swept after
	Revoked   bool      `json:"revoked,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Why       string    `json:"why,omitempty"`
}

func tokenKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return []byte("t/" + hex.EncodeToString(sum[:]))
}

func familyKey(id string) []byte { return []byte("f/" + id) }

// newRefreshToken issues the next token of a family (a new family when
// fam.ID is empty) and saves both.
func (s *Server) newRefreshToken(tx *bolt.Tx, fam *refreshFamily) (string, error) {
	now := s.now()
	if fam.ID == "" {
		fam.ID, fam.Created = uuid.NewString(), now
	}
	token := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	rt := refreshToken{Family: fam.ID, Issued: now, Expires: now.Add(s.cfg.RefreshTTL)}
	fam.Expires = rt.Expires
	if err := putJSON(tx.Bucket(boltstore.BucketRefreshTokens), tokenKey(token), rt); err != nil {
		return "", err
	}
	return token, putJSON(tx.Bucket(boltstore.BucketRefreshTokens), familyKey(fam.ID), fam)
}

// errRefreshReused is returned by rotateRefresh after it revoked a family;
// the caller commits the revocation, then answers 401.
var errRefreshReused = errors.New("refresh token reused: its family is revoked")

// rotateRefresh spends a refresh token and returns its family and the next
// token. A token presented twice revokes its family and returns
// errRefreshReused with a nil error from the transaction's point of view.
func (s *Server) rotateRefresh(tx *bolt.Tx, token string) (*refreshFamily, string, error) {
	b := tx.Bucket(boltstore.BucketRefreshTokens)
	var rt refreshToken
	if ok, err := getJSON(b, tokenKey(token), &rt); err != nil || !ok {
		return nil, "", orUnauthorized(err, "unknown refresh token")
	}
	var fam refreshFamily
	if ok, err := getJSON(b, familyKey(rt.Family), &fam); err != nil || !ok {
		return nil, "", orUnauthorized(err, "unknown refresh token")
	}
	if fam.Revoked {
		return nil, "", errUnauthorized("refresh token revoked")
	}
	if rt.Used || rt.Superseded {
		retry, err := s.graceRetry(b, tokenKey(token), &rt)
		if err != nil || retry {
			next, nerr := s.newRefreshToken(tx, &fam)
			return &fam, next, cmp.Or(err, nerr)
		}
		if err := s.revokeFamily(tx, &fam, "a used refresh token was presented again"); err != nil {
			return nil, "", err
		}
		return &fam, "", errRefreshReused
	}
	if !s.now().Before(rt.Expires) {
		return nil, "", errUnauthorized("refresh token expired")
	}
	next, err := s.newRefreshToken(tx, &fam)
	if err != nil {
		return nil, "", err
	}
	rt.Used, rt.UsedAt, rt.Next = true, s.now(), string(tokenKey(next))
	return &fam, next, putJSON(b, tokenKey(token), rt)
}

func orUnauthorized(err error, msg string) error {
	if err != nil {
		return err
	}
	return errUnauthorized("%s", msg)
}

func (s *Server) revokeFamily(tx *bolt.Tx, fam *refreshFamily, why string) error {
	fam.Revoked, fam.RevokedAt, fam.Why = true, s.now(), why
	return putJSON(tx.Bucket(boltstore.BucketRefreshTokens), familyKey(fam.ID), fam)
}

// revokeUserTokens revokes every refresh family of a user (disabled, or
// password reset), and with them their access tokens (sessions.go).
func revokeUserTokens(tx *bolt.Tx, login string, now time.Time, why string) error {
	b := tx.Bucket(boltstore.BucketRefreshTokens)
	var revoke []refreshFamily
	prefix := []byte("f/")
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && string(k[:2]) == "f/"; k, v = c.Next() {
		var fam refreshFamily
		if json.Unmarshal(v, &fam) == nil && fam.Login == login && !fam.Revoked {
			revoke = append(revoke, fam)
		}
	}
	for _, fam := range revoke {
		fam.Revoked, fam.RevokedAt, fam.Why = true, now, why
		if err := putJSON(b, familyKey(fam.ID), fam); err != nil {
			return err
		}
	}
	return nil
}

// Sweep deletes what has expired: refresh tokens and families a day past
// their expiry, enrolment codes past theirs, and evidence no complaint
// referenced within Config.UnreferencedBlobTTL of its upload
// (blobquota.go). The server runs it hourly; it returns how many records
// it deleted.
func (s *Server) Sweep() (int, error) {
	if err := s.store.CatchUp(); err != nil { // evidence referenced by events not folded yet is referenced
		return 0, err
	}
	var n int
	err := s.store.Update(func(t *boltstore.Tx) error {
		tokens, err := sweepRefreshTokens(t.Bolt(), s.now())
		if err != nil {
			return err
		}
		codes, err := sweepEnrolments(t.Bolt(), s.now())
		if err != nil {
			return err
		}
		blobs, err := sweepUnreferencedBlobs(t, s.now(), s.cfg.UnreferencedBlobTTL)
		n = tokens + codes + blobs
		return err
	})
	return n, err
}

// sweepRefreshTokens deletes tokens and families expired for a day: after
// that a presented token is unknown rather than reused, which is refused
// all the same.
func sweepRefreshTokens(tx *bolt.Tx, now time.Time) (int, error) {
	return sweepExpired(tx.Bucket(boltstore.BucketRefreshTokens), now, 24*time.Hour)
}

func sweepEnrolments(tx *bolt.Tx, now time.Time) (int, error) {
	return sweepExpired(tx.Bucket(boltstore.BucketEnrolments), now, 0)
}

// sweepExpired deletes the JSON records of b whose "expires" is more than
// grace in the past.
func sweepExpired(b *bolt.Bucket, now time.Time, grace time.Duration) (int, error) {
	var dead [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var exp struct {
			Expires time.Time `json:"expires"`
		}
		if json.Unmarshal(v, &exp) == nil && now.Sub(exp.Expires) > grace {
			dead = append(dead, append([]byte(nil), k...))
		}
		return nil
	})
	for _, k := range dead {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(dead), err
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// getJSON reads a JSON value; false when the key is absent.
func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, domain.Errorf(domain.EInternal, "corrupt record %q: %v", key, err)
	}
	return true, nil
}
