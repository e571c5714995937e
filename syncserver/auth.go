package syncserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
)

// maxJSONBody bounds the JSON bodies of the auth and device routes.
const maxJSONBody = 64 << 10

// decodeJSON reads a JSON body into v: 413 above maxJSONBody, 400 when it
// is not JSON of the expected shape.
func decodeJSON(c *gin.Context, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &domain.Error{Code: domain.ETooLarge, Message: "request body larger than 64 KiB"}
	case err != nil:
		return &domain.Error{Code: domain.EMalformed, Message: "could not read the request body"}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return requestJSONError(err)
	}
	return nil
}

// requestJSONError describes a JSON body that does not decode, naming the
// field in words; a body that is not even an object is named "request body".
func requestJSONError(err error) *domain.Error {
	de := domain.JSONError(domain.EMalformed, "", err)
	if de.Field == "" {
		de.Message = "request body " + de.Message
	}
	return de
}

// login signs a user in. Sent with a device's credential headers, the
// tokens are bound to that device. Failed attempts are counted per (login,
// client address) and, more loosely, per client address (see
// takeLoginAttempt); past a limit the answer is 429 with Retry-After,
// before the password is even checked.
func (s *Server) login(c *gin.Context) {
	var req syncproto.LoginRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	req.Login = strings.ToLower(strings.TrimSpace(req.Login))
	attempt, err := s.takeLoginAttempt(c.Request.Context(), req.Login, c.ClientIP())
	if err != nil {
		if codeOf(err) == domain.ERateLimited {
			s.metrics.loginFailures.WithLabelValues("rate_limited").Inc()
		}
		_ = c.Error(err)
		return
	}
	u, rehash, err := s.authenticate(c.Request.Context(), req.Login, req.Password)
	if err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			s.metrics.loginFailures.WithLabelValues("credentials").Inc()
			s.log.Info("login refused", "login", req.Login, "addr", c.ClientIP())
		}
		_ = c.Error(err)
		return
	}
	attempt.refund(c.Request.Context())
	var tokens syncproto.Tokens
	err = s.access.UpdateAccess(c.Request.Context(), func(t AccessTx) error {
		device, err := optionalDevice(t, c)
		if err != nil {
			return err
		}
		var deviceID string
		if device != nil {
			deviceID = device.ID
		}
		acc, err := t.Account(u.Login)
		if err != nil || acc == nil {
			return orErr(err, domain.Errorf(domain.EUnauthorized, "invalid login or password"))
		}
		if rehash != "" { // hashed with older parameters: upgraded now that the password is known
			acc.Hash, acc.Changed = rehash, s.now().UTC()
			if err := t.PutAccount(acc); err != nil {
				return err
			}
		}
		tokens, err = s.issueTokens(t, u, &refreshFamily{Login: u.Login, Device: deviceID})
		tokens.ConfidentialKeys = s.confidentialKeysFor(u, deviceID)
		if device != nil {
			tokens.AuthorKey = s.issueAuthorKey(u.Login, device.Replica, acc.KeyGen)
		}
		return err
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, tokens)
}

// authenticate checks a login and password against the account and the
// directory, hashing outside any transaction (it is slow on purpose and
// must not hold the store's write lock). Every failure is the same 401,
// and an unknown login costs a hash like a wrong password, so that
// answers do not tell which logins exist. rehash is the password hashed
// with the current parameters when the stored hash uses older ones.
func (s *Server) authenticate(ctx context.Context, login, password string) (u *domain.User, rehash string, err error) {
	refused := errUnauthorized("wrong login or password, or account disabled")
	var acc *account
	err = s.access.ViewAccess(ctx, func(t AccessTx) error {
		if acc, err = t.Account(login); err != nil {
			return err
		}
		u, err = directoryUser(t, login)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	var hash string
	if acc != nil {
		hash = acc.Hash
	}
	ok, rehash := checkSecret(hash, password)
	if !ok || u == nil || u.Disabled {
		return nil, "", refused
	}
	return u, rehash, nil
}

// checkSecret checks a password against an account's hash, "" when there
// is no account: an unknown login costs a hash like a wrong password.
// rehash is the password hashed with the current parameters when the
// stored hash uses older ones (the caller stores it, once the account is
// found active).
func checkSecret(hash, password string) (ok bool, rehash string) {
	if hash == "" || len(password) > maxPasswordLen {
		checkPassword(dummyHash(), password)
		return false, ""
	}
	ok, stale := checkPassword(hash, password)
	if ok && stale {
		rehash = hashPassword(password)
	}
	return ok, rehash
}

// optionalDevice returns the device of valid credential headers, nil
// when none are sent, and the device error when they are wrong.
func optionalDevice(tx DeviceRecords, c *gin.Context) (*Device, error) {
	id, key := c.GetHeader(syncproto.HeaderDevice), c.GetHeader(syncproto.HeaderDeviceKey)
	if id == "" && key == "" {
		return nil, nil
	}
	return checkDevice(tx, id, key)
}

// issueTokens signs an access token and issues the next refresh token of
// the family.
func (s *Server) issueTokens(tx RefreshTokens, u *domain.User, fam *refreshFamily) (syncproto.Tokens, error) {
	refresh, err := s.newRefreshToken(tx, fam)
	if err != nil {
		return syncproto.Tokens{}, err
	}
	access, err := s.issueAccess(u, fam)
	if err != nil {
		return syncproto.Tokens{}, err
	}
	return syncproto.Tokens{AccessToken: access, RefreshToken: refresh, ExpiresIn: int(s.cfg.AccessTTL.Seconds()), User: *u}, nil
}

// refresh exchanges a refresh token for new tokens (rotation). A token
// used twice revokes its family: that revocation is the one thing a
// refused request writes, on purpose.
func (s *Server) refresh(c *gin.Context) {
	var req syncproto.RefreshRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	var tokens syncproto.Tokens
	var reused bool
	err := s.access.UpdateAccess(c.Request.Context(), func(t AccessTx) error {
		fam, next, err := s.rotateRefresh(t, req.RefreshToken)
		if reused = isReuse(err); reused {
			s.log.Warn("refresh token reused: family revoked", "login", fam.Login, "family", fam.ID, "addr", c.ClientIP())
			return nil // commit the revocation
		}
		if err != nil {
			return err
		}
		u, err := directoryUser(t, fam.Login)
		if err != nil {
			return err
		}
		if u == nil || u.Disabled {
			return errUnauthorized("account disabled")
		}
		if fam.Device != "" && !deviceActive(t, fam.Device) {
			return errUnauthorized("the device this sign-in belongs to was revoked")
		}
		access, err := s.issueAccess(u, fam)
		tokens = syncproto.Tokens{AccessToken: access, RefreshToken: next, ExpiresIn: int(s.cfg.AccessTTL.Seconds()), User: *u}
		return err
	})
	answerRefresh(c, err, reused, tokens)
}

// isReuse tells rotateRefresh's errRefreshReused: the family is revoked,
// which the transaction commits before answering 401.
func isReuse(err error) bool { return errors.Is(err, errRefreshReused) }

// answerRefresh answers a refresh: the error, the 401 of a reused token
// (its revocation committed), or the new tokens.
func answerRefresh(c *gin.Context, err error, reused bool, tokens any) {
	switch {
	case err != nil:
		_ = c.Error(err)
	case reused:
		_ = c.Error(errUnauthorized("refresh token already used: every session of this sign-in is revoked, sign in again"))
	default:
		c.JSON(http.StatusOK, tokens)
	}
}

// logout revokes the refresh token's family. It answers 204 whether or not
// the token was known: there is nothing to tell an unauthenticated caller.
func (s *Server) logout(c *gin.Context) {
	var req syncproto.RefreshRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	err := s.access.UpdateAccess(c.Request.Context(), func(t AccessTx) error { return s.signOut(t, req.RefreshToken) })
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.Status(http.StatusNoContent)
}

// signOut revokes the family of a refresh token; an unknown or revoked one
// changes nothing.
func (s *Server) signOut(t RefreshTokens, token string) error {
	rt, err := t.RefreshToken(tokenHash(token))
	if err != nil || rt == nil {
		return err
	}
	fam, err := t.RefreshFamily(rt.Family)
	if err != nil || fam == nil || fam.Revoked {
		return err
	}
	return s.revokeFamily(t, fam, whySignedOut)
}

// enrolDevice turns a one-time enrolment code into a device credential
// bound to the workstation's replica. Wrong codes count against the
// client address like failed logins.
func (s *Server) enrolDevice(c *gin.Context) {
	var req syncproto.EnrolRequest
	if err := decodeJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	key := "enrol:" + c.ClientIP()
	ctx := c.Request.Context()
	if err := spend(ctx, s.limiter, key); err != nil {
		_ = c.Error(err)
		return
	}
	var resp syncproto.EnrolResponse
	err := s.access.UpdateAccess(c.Request.Context(), func(t AccessTx) error {
		if err := validateEnrolRequest(t, &req, s.events.Replica()); err != nil {
			return err
		}
		d, secret, err := s.enrol(t, &req)
		if err != nil {
			return err
		}
		ep, err := epochIn(t)
		resp = syncproto.EnrolResponse{DeviceID: d.ID, DeviceKey: secret, Epoch: ep.ID, Series: d.Series}
		return err
	})
	if err != nil {
		if domain.ErrorCode(err) != domain.EUnauthorized {
			s.refundAttempt(ctx, s.limiter, key) // only wrong codes count
		}
		_ = c.Error(err)
		return
	}
	s.refundAttempt(ctx, s.limiter, key)
	s.log.Info("device enrolled", "device", resp.DeviceID, "name", req.Name, "station", req.Station, "replica", req.Replica)
	c.JSON(http.StatusOK, resp)
}

// principal is the signed-in user of a request.
type principal struct {
	Login  string
	Role   domain.Role // the user's role now, not when the token was signed
	Device string      // the token's device, "" when signed in without one
	device *Device     // the verified device credential, on sync routes
}

const principalKey = "boucle.principal"

func principalOf(c *gin.Context) *principal {
	p, _ := c.MustGet(principalKey).(*principal)
	return p
}

// requireUser authenticates the access token in the Authorization header
// and checks that its sign-in was not revoked (logout) and its user is
// still active.
func (s *Server) requireUser(c *gin.Context) { s.authorize(c, false) }

// requireUserAndDevice is requireUser and then the device credential
// headers of the sync routes, read in the same transaction: on
// PostgreSQL a transaction is four round trips before its first useful
// query (TestRoundTripsPerRequest). A token signed in from a device
// serves that device only.
func (s *Server) requireUserAndDevice(c *gin.Context) { s.authorize(c, true) }

func (s *Server) authorize(c *gin.Context, withDevice bool) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		fail(c, errUnauthorized("missing bearer access token"))
		return
	}
	claims, err := s.parseAccess(token)
	if err == nil {
		err = s.plantSession(claims)
	}
	if err != nil {
		fail(c, err)
		return
	}
	var u *domain.User
	var d *Device
	var deviceErr error
	err = s.access.ViewAccess(c.Request.Context(), func(t AccessTx) error {
		if err := checkSession(t, claims.Session); err != nil {
			return err
		}
		if u, err = directoryUser(t, claims.Subject); err != nil || !withDevice {
			return err
		}
		// Kept for after the user's checks: a disabled user is told so
		// before a revoked device.
		d, deviceErr = checkDevice(t, c.GetHeader(syncproto.HeaderDevice), c.GetHeader(syncproto.HeaderDeviceKey))
		return nil
	})
	if err != nil {
		fail(c, err)
		return
	}
	if u == nil || u.Disabled {
		fail(c, errUnauthorized("account disabled"))
		return
	}
	p := &principal{Login: u.Login, Role: u.Role, Device: claims.Device}
	if withDevice && !s.acceptDevice(c, p, d, deviceErr) {
		return
	}
	c.Set(principalKey, p)
	c.Next()
}

// acceptDevice refuses the request unless the device credential was
// accepted and, for a token signed in from a device, is that device's.
func (s *Server) acceptDevice(c *gin.Context, p *principal, d *Device, err error) bool {
	switch {
	case err != nil:
		fail(c, err)
		return false
	case p.Device != "" && p.Device != d.ID:
		fail(c, &domain.Error{Code: domain.EForbidden, Field: "device", Message: "this access token was issued to another device"})
		return false
	}
	p.device = d
	s.markSeen(c.Request.Context(), d)
	return true
}
