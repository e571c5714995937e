package syncserver

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"boucle/shared/domain"
	"boucle/syncserver/credential"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Claims are the claims of an access token.
type Claims struct {
	Role  domain.Role `json:"role"`
	Plant string      `json:"plant,omitempty"` // a plant's session: the plant
	// Group is the group's id on a group's session (group.go), which has
	// no plant: it reads every plant's reports and writes nothing.
	Group  string `json:"group,omitempty"`
	Device string `json:"device,omitempty"` // the enrolled device signed in from, if any
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
func dropStoredJWTKey(store AccessStore, log interface{ Warn(string, ...any) }) error {
	var dropped bool
	err := store.UpdateAccess(context.Background(), func(t AccessTx) error { // at start
		old, err := t.Setting(settingLegacyJWTKey)
		if err != nil || old == nil {
			return err
		}
		dropped = true
		return t.DeleteSetting(settingLegacyJWTKey)
	})
	if dropped {
		log.Warn("removed the JWT key kept inside the store by an older version: the server's keys now live in its key file; every user signs in again")
	}
	return err
}

// issueAccess signs an access token for a user of the plant.
func (s *Server) issueAccess(u *domain.User, fam *refreshFamily) (string, error) {
	return s.signAccess(Claims{Role: u.Role, Plant: s.cfg.Plant, Device: fam.Device, Session: fam.ID,
		RegisteredClaims: jwt.RegisteredClaims{Subject: u.Login}})
}

// signAccess dates claims (now, expiring after the access TTL), gives
// them an id and signs them with the newest key, named by the kid header.
func (s *Server) signAccess(claims Claims) (string, error) {
	now := s.now()
	claims.IssuedAt = jwt.NewNumericDate(now)
	claims.ExpiresAt = jwt.NewNumericDate(now.Add(s.cfg.AccessTTL))
	claims.ID = uuid.NewString()
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
// configured TTL. Whose session it is (this plant's, the group's) is the
// caller's check: plantSession, groupSession (group.go).
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
	case claims.Subject == "":
		return nil, errUnauthorized("invalid access token")
	}
	return &claims, nil
}

// plantSession refuses a token that is not a session of this plant: the
// group's reads the group's reports only (403), another plant's is not
// this server's (401).
func (s *Server) plantSession(c *Claims) error {
	switch {
	case c.Group != "":
		return &domain.Error{Code: domain.EForbidden, Rule: "group.read_only",
			Message: "a group session reads the group's reports only (/api/v1/group/…): it opens no plant's records and writes nothing"}
	case c.Plant != s.cfg.Plant:
		return errUnauthorized("access token not issued by this plant's server")
	}
	return nil
}

// Refresh tokens rotate: each use marks the token used and issues the next
// one of its family. A used token presented again means it was copied, so
// the whole family is revoked. Only SHA-256 hashes of tokens are stored:
// the tokens are 256-bit random, so a slow hash would add nothing.
type (
	refreshToken  = credential.RefreshToken
	refreshFamily = credential.RefreshFamily
)

// tokenHash is what the store keeps of a refresh token.
func tokenHash(token string) string { return sha256Hex(token) }

// newRefreshToken issues the next token of a family (a new family when
// fam.ID is empty) and saves both.
func (s *Server) newRefreshToken(tx RefreshTokens, fam *refreshFamily) (string, error) {
	now := s.now()
	if fam.ID == "" {
		fam.ID, fam.Created = uuid.NewString(), now
	}
	token := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	rt := refreshToken{Family: fam.ID, Issued: now, Expires: now.Add(s.cfg.RefreshTTL)}
	fam.Expires = rt.Expires
	if err := tx.PutRefreshToken(tokenHash(token), &rt); err != nil {
		return "", err
	}
	return token, tx.PutRefreshFamily(fam)
}

// errRefreshReused is returned by rotateRefresh after it revoked a family;
// the caller commits the revocation, then answers 401.
var errRefreshReused = errors.New("refresh token reused: its family is revoked")

// rotateRefresh spends a refresh token and returns its family and the next
// token. A token presented twice revokes its family and returns
// errRefreshReused with a nil error from the transaction's point of view.
func (s *Server) rotateRefresh(tx RefreshTokens, token string) (*refreshFamily, string, error) {
	hash := tokenHash(token)
	rt, err := tx.RefreshToken(hash)
	if err != nil || rt == nil {
		return nil, "", orUnauthorized(err, "unknown refresh token")
	}
	fam, err := tx.RefreshFamily(rt.Family)
	if err != nil || fam == nil {
		return nil, "", orUnauthorized(err, "unknown refresh token")
	}
	if fam.Revoked {
		return nil, "", errUnauthorized("refresh token revoked")
	}
	if rt.Used || rt.Superseded {
		retry, err := s.graceRetry(tx, hash, rt)
		if err != nil || retry {
			next, nerr := s.newRefreshToken(tx, fam)
			return fam, next, cmp.Or(err, nerr)
		}
		if err := s.revokeFamily(tx, fam, "a used refresh token was presented again"); err != nil {
			return nil, "", err
		}
		return fam, "", errRefreshReused
	}
	if !s.now().Before(rt.Expires) {
		return nil, "", errUnauthorized("refresh token expired")
	}
	next, err := s.newRefreshToken(tx, fam)
	if err != nil {
		return nil, "", err
	}
	rt.Used, rt.UsedAt, rt.Next = true, s.now(), tokenHash(next)
	return fam, next, tx.PutRefreshToken(hash, rt)
}

func orUnauthorized(err error, msg string) error {
	if err != nil {
		return err
	}
	return errUnauthorized("%s", msg)
}

func (s *Server) revokeFamily(tx RefreshTokens, fam *refreshFamily, why string) error {
	fam.Revoked, fam.RevokedAt, fam.Why = true, s.now(), why
	return tx.PutRefreshFamily(fam)
}

// revokeUserTokens revokes every refresh family of a user (disabled, or
// password reset), and with them their access tokens (sessions.go).
func revokeUserTokens(tx RefreshTokens, login string, now time.Time, why string) error {
	families, err := tx.RefreshFamiliesOf(login)
	if err != nil {
		return err
	}
	for _, fam := range families {
		if fam.Revoked {
			continue
		}
		fam.Revoked, fam.RevokedAt, fam.Why = true, now, why
		if err := tx.PutRefreshFamily(&fam); err != nil {
			return err
		}
	}
	return nil
}

// Sweep deletes what has expired: refresh tokens and families a day past
// their expiry (the group's too, on a store with a group), enrolment codes past theirs, and evidence no complaint
// referenced within Config.UnreferencedBlobTTL of its upload
// (blobquota.go). The server runs it hourly; it returns how many records
// it deleted.
func (s *Server) Sweep() (int, error) {
	ctx := context.Background()                  // the hourly sweep's
	if err := s.views.CatchUp(ctx); err != nil { // evidence referenced by events not folded yet is referenced
		return 0, err
	}
	var tokens, codes int
	err := s.access.UpdateAccess(ctx, func(t AccessTx) (err error) {
		// tokens and families expired for a day: after that a presented
		// token is unknown rather than reused, which is refused all the
		// same.
		if tokens, err = t.SweepRefreshTokens(s.now().Add(-24 * time.Hour)); err != nil {
			return err
		}
		codes, err = t.SweepEnrolments(s.now())
		return err
	})
	if err != nil {
		return 0, err
	}
	if s.cfg.Group != nil { // the group's sign-ins: every instance's sweep, one transaction under the group's lock
		var group int
		err = s.cfg.Group.UpdateGroup(ctx, func(t GroupTx) (err error) {
			group, err = t.SweepRefreshTokens(s.now().Add(-24 * time.Hour))
			return err
		})
		if err != nil {
			return 0, err
		}
		tokens += group
	}
	var blobs int
	err = s.evidence.UpdateEvidence(ctx, func(t EvidenceTx) (err error) {
		blobs, err = sweepUnreferencedBlobs(t, s.now(), s.cfg.UnreferencedBlobTTL)
		return err
	})
	if err != nil {
		return 0, err
	}
	stray, err := s.sweepStrayEvidence(ctx)
	return tokens + codes + blobs + stray, err
}
