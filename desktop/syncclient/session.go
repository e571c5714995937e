package syncclient

import (
	"context"
	"errors"
	"time"

	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// Session is the signed-in user of the workstation. Events the UI records
// go to Store.Record with Actor(); the server checks them again when they
// are pushed, whether the session was opened online or offline.
type Session struct {
	User   domain.User
	Online bool // verified by the server; false: by this workstation's offline verifier
	Since  time.Time
	// key is the user's author key for this workstation, unwrapped with
	// the password at sign-in and kept in memory only.
	key authorship.Key
	// Keys are the plant's confidential keys this session unlocked (nil
	// for operators): they open internal notes and seal new ones. They
	// live in memory only while the session lasts.
	Keys *confidential.Keyring
}

// Actor is who local events are recorded for, with the author key that
// signs them.
func (s Session) Actor() boltstore.Actor {
	return boltstore.Actor{Login: s.User.Login, Role: s.User.Role, Key: s.key}
}

// CanSign reports whether the session holds an author key: without one,
// an enrolled workstation cannot record (the user must sign in online on
// it once).
func (s Session) CanSign() bool { return s.key.Valid() }

// Enrol turns a one-time enrolment code into this workstation's device
// credential, saved in the store with the server's address, and starts
// syncing. name is the workstation's name, station the station it serves.
func (s *Syncer) Enrol(ctx context.Context, serverURL, code, name, station string) error {
	c, err := s.newClient(serverURL)
	if err != nil {
		return err
	}
	resp, err := c.Enrol(ctx, syncproto.EnrolRequest{Code: code, Name: name, Station: station, Replica: s.store.Replica()})
	if err != nil {
		return err
	}
	err = s.store.Update(func(tx *boltstore.Tx) error {
		if err := tx.SetDevice(boltstore.Device{ServerURL: serverURL, ID: resp.DeviceID, Key: resp.DeviceKey}); err != nil {
			return err
		}
		if err := saveSeries(tx, resp.Series); err != nil {
			return err
		}
		if tx.ServerEpoch() == resp.Epoch {
			return nil
		}
		// Another server: pull its whole log (what it lacks of ours is
		// pushed on its 409 answers).
		if err := tx.SetServerEpoch(resp.Epoch); err != nil {
			return err
		}
		return tx.SetCursor("")
	})
	if err != nil {
		return err
	}
	c.SetDevice(resp.DeviceID, resp.DeviceKey)
	s.mu.Lock()
	s.client = c
	s.st.enrolNeeded = false
	s.mu.Unlock()
	s.SyncNow()
	return nil
}

// Login signs a user in against the server and keeps what lets them sign
// in offline later on this workstation (a salted argon2id hash of the
// password, never the password). When the server cannot be reached it
// falls back to LoginOffline. It returns EUnauthorized for a wrong login
// or password and ERateLimited after too many attempts.
func (s *Syncer) Login(ctx context.Context, login, password string) (Session, error) {
	c := s.currentClient()
	if c == nil {
		return s.LoginOffline(login, password)
	}
	tokens, err := c.Login(ctx, login, password)
	if IsOffline(err) {
		return s.LoginOffline(login, password)
	}
	if err != nil {
		return Session{}, err
	}
	return s.startOnline(c, tokens, password)
}

// startOnline saves the new tokens, verifier and wrapped author key, and
// opens the session.
func (s *Syncer) startOnline(c *Client, tokens syncproto.Tokens, password string) (Session, error) {
	v := newVerifier(tokens.User, password, s.cfg.Verifier, s.cfg.Now())
	key, wrapped, err := s.issuedKey(tokens, password)
	if err != nil {
		return Session{}, err
	}
	keys, err := sessionKeys(tokens)
	if err != nil {
		return Session{}, err
	}
	var previous string
	s.authMu.Lock() // a refresh running for the previous session must not overwrite these tokens
	err = s.store.Update(func(tx *boltstore.Tx) error {
		previous = tx.RefreshToken()
		if err := tx.SetRefreshToken(tokens.RefreshToken); err != nil {
			return err
		}
		if wrapped != nil {
			if err := tx.PutWrappedAuthorKey(tokens.User.Login, *wrapped); err != nil {
				return err
			}
		}
		if err := saveConfidentialKeys(tx, tokens, key, s.store.Replica()); err != nil {
			return err
		}
		return tx.PutOfflineVerifier(v)
	})
	if err == nil {
		c.SetAccessToken(tokens.AccessToken)
	}
	s.authMu.Unlock()
	if err != nil {
		return Session{}, err
	}
	if previous != "" && previous != tokens.RefreshToken {
		go s.revoke(c, previous) // the previous user's session on this workstation ends
	}
	sess := Session{User: tokens.User, Online: true, Since: s.cfg.Now(), key: key, Keys: keys}
	s.mu.Lock()
	s.session = &sess
	s.st.signInNeeded = false
	s.mu.Unlock()
	s.SyncNow()
	return sess, nil
}

// LoginOffline signs in a user who signed in online on this workstation
// before, checking the password against the saved verifier in constant
// time. A user the synced directory says is disabled is refused. Their
// events are attributed to them and checked by the server when pushed.
func (s *Syncer) LoginOffline(login, password string) (Session, error) {
	u, err := s.checkOffline(login, password)
	if err != nil {
		return Session{}, err
	}
	key := s.unwrapKey(u.Login, password)
	sess := Session{User: u, Online: false, Since: s.cfg.Now(), key: key, Keys: s.savedConfidentialKeys(u, key)}
	s.mu.Lock()
	s.session = &sess
	s.mu.Unlock()
	s.publish()
	return sess, nil
}

// CheckPassword checks a user's password against this workstation's
// verifier without changing the session: a sign-off asks for it again.
func (s *Syncer) CheckPassword(login, password string) error {
	_, err := s.checkOffline(login, password)
	return err
}

// checkOffline verifies the password and returns the user's current
// directory entry (the synced one if any, the saved one otherwise).
func (s *Syncer) checkOffline(login, password string) (domain.User, error) {
	var v boltstore.OfflineVerifier
	var dir *domain.State
	var found bool
	_ = s.store.View(func(tx *boltstore.Tx) error {
		v, found = tx.OfflineVerifier(login)
		dir, _ = tx.State(domain.EntityKey{Type: domain.EntityUser, ID: login})
		return nil
	})
	if !found {
		p := s.cfg.Verifier.orDefault()
		d := dummyVerifier
		d.Time, d.MemoryKiB, d.Threads = p.Time, p.MemoryKiB, p.Threads
		checkVerifier(d, password) // same work as a known login
		return domain.User{}, errBadOfflineLogin
	}
	if !checkVerifier(v, password) {
		return domain.User{}, errBadOfflineLogin
	}
	u := v.User
	if dir != nil && dir.User != nil {
		u = *dir.User
	}
	if u.Disabled {
		return domain.User{}, &domain.Error{Code: domain.EForbidden, Message: "this account is disabled"}
	}
	return u, nil
}

// SetLocalPassword saves an offline verifier for a user without asking
// the server: on a standalone workstation it is how users sign in before
// the workstation is enrolled.
func (s *Syncer) SetLocalPassword(u domain.User, password string) error {
	if len(password) < 8 {
		return domain.FieldError("password", "must have at least 8 characters")
	}
	v := newVerifier(u, password, s.cfg.Verifier, s.cfg.Now())
	return s.store.Update(func(tx *boltstore.Tx) error { return tx.PutOfflineVerifier(v) })
}

// Session returns the signed-in user, if any.
func (s *Syncer) Session() (Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.session == nil {
		return Session{}, false
	}
	return *s.session, true
}

// Logout ends the session: the server revokes the refresh token (when it
// can be reached) and the workstation forgets it. Queued events stay; they
// are pushed once someone signs in online again. The offline verifier
// stays, so the user can still sign in offline.
func (s *Syncer) Logout(ctx context.Context) error {
	var refresh string
	s.authMu.Lock()
	err := s.store.Update(func(tx *boltstore.Tx) error {
		refresh = tx.RefreshToken()
		return tx.SetRefreshToken("")
	})
	s.mu.Lock()
	s.session = nil
	c := s.client
	s.mu.Unlock()
	if c != nil {
		c.SetAccessToken("")
	}
	s.authMu.Unlock()
	if c != nil {
		if refresh != "" {
			if rerr := c.Logout(ctx, refresh); rerr != nil && !IsOffline(rerr) {
				s.cfg.Logger.Info("logout: server did not revoke the session", "error", rerr)
			}
		}
	}
	s.publish()
	return err
}

// revoke ends a replaced session on the server, best effort.
func (s *Syncer) revoke(c *Client, refresh string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = c.Logout(ctx, refresh)
}

// ensureAccess gets an access token from the saved refresh token when the
// workstation holds none (after a restart, or an offline sign-in).
func (s *Syncer) ensureAccess(ctx context.Context, c *Client) error {
	if c.AccessToken() != "" {
		return nil
	}
	err := s.refresh(ctx, c, "")
	if errors.Is(err, errNoRefreshToken) {
		return nil // the server may let the device sync alone; a 401 says otherwise
	}
	return err
}

// authed runs a call, and once more after renewing the access token when
// the server answers 401.
func (s *Syncer) authed(ctx context.Context, c *Client, call func() error) error {
	stale := c.AccessToken()
	err := call()
	if !isUnauthorized(err) {
		return err
	}
	if err := s.refresh(ctx, c, stale); err != nil {
		if errors.Is(err, errNoRefreshToken) {
			return ErrSignInNeeded
		}
		return err
	}
	err = call()
	if isUnauthorized(err) {
		s.setSignInNeeded(true)
		return ErrSignInNeeded
	}
	return err
}

var errNoRefreshToken = errors.New("no refresh token")

// refresh replaces the access token stale with a new one. Refreshes are
// serialised and the rotated refresh token is saved at once: the server
// refuses a spent one and would end the session. On a transport error
// the token is kept: the sync loop's next attempt presents it again,
// which the server honours once within its grace period.
func (s *Syncer) refresh(ctx context.Context, c *Client, stale string) error {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	if cur := c.AccessToken(); cur != stale {
		return nil // another call renewed it meanwhile
	}
	var refresh string
	_ = s.store.View(func(tx *boltstore.Tx) error { refresh = tx.RefreshToken(); return nil })
	if refresh == "" {
		return errNoRefreshToken
	}
	tokens, err := c.Refresh(ctx, refresh)
	var api *APIError
	if errors.As(err, &api) && api.Status < 500 && api.Status != 429 {
		// Refused for good (expired, revoked, reused): keep the events,
		// forget the token, ask for a sign-in.
		_ = s.store.Update(func(tx *boltstore.Tx) error { return tx.SetRefreshToken("") })
		c.SetAccessToken("")
		s.setSignInNeeded(true)
		return ErrSignInNeeded
	}
	if err != nil {
		return err
	}
	if err := s.store.Update(func(tx *boltstore.Tx) error { return tx.SetRefreshToken(tokens.RefreshToken) }); err != nil {
		return err
	}
	c.SetAccessToken(tokens.AccessToken)
	s.mu.Lock()
	s.st.signInNeeded = false
	if s.session != nil && s.session.User.Login == tokens.User.Login && tokens.User.Login != "" {
		s.session.User = tokens.User // role or name changed since sign-in
	}
	s.mu.Unlock()
	return nil
}
