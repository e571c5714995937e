package syncserver

import "time"

// A sign-in is a refresh family (tokens.go): the access tokens issued for
// it carry its id (claim "sid"), so that revoking the family — logout, a
// reused refresh token, a disabled user, a password reset — ends its
// access tokens at once, not when they expire. requireUser reads the
// family in the transaction it already opens for the user: one more key
// look-up per request. The revocation lives in the store, so it survives
// a restart, and Sweep forgets it a day after the family's last token
// expired, when no access token of it can still be alive
// (RefreshTTL ≥ AccessTTL).

// DefaultRefreshGrace is how long after a refresh its token may be
// presented once more: a workstation whose answer was lost retries within
// seconds.
const DefaultRefreshGrace = 30 * time.Second

// checkSession refuses an access token whose sign-in was revoked or is no
// longer known.
func checkSession(tx RefreshTokens, id string) error {
	if id == "" {
		return errUnauthorized("access token of an older version: sign in again")
	}
	fam, err := tx.RefreshFamily(id)
	switch {
	case err != nil:
		return err
	case fam == nil:
		return errUnauthorized("sign-in unknown to this server: sign in again")
	case fam.Revoked && fam.Why == whySignedOut:
		return errUnauthorized("signed out: sign in again")
	case fam.Revoked:
		return errUnauthorized("sign-in revoked: sign in again")
	}
	return nil
}

// whySignedOut is the reason logout records on the family.
const whySignedOut = "signed out"

// A lost refresh answer. Refresh tokens work once; a workstation whose
// answer never arrived still holds the used token and retries with it. So
// a used token is honoured once more, within the grace period, provided
// the successor issued for it was never used (the workstation never got
// it): the retry gets a fresh token of the same family, and the lost
// successor is marked superseded. Presenting a superseded token, a used
// token a second time, after the grace period, or after its successor was
// used, is a reuse and revokes the family as before.
//
// Why a fresh token rather than the lost one again: the store keeps only
// hashes of tokens (a stolen backup holds no live token), so the server
// cannot hand the same token out twice. If an attacker copied the token
// and retried first, the genuine workstation's next refresh presents the
// superseded successor, which revokes the family: the theft is still
// caught, one step later.

// graceRetry reports whether the used token rt may be honoured once more
// now, and if so marks it retried and its successor superseded.
func (s *Server) graceRetry(tx RefreshTokens, hash string, rt *refreshToken) (bool, error) {
	if s.cfg.RefreshGrace <= 0 || rt.Retried || rt.Superseded || rt.Next == "" ||
		s.now().Sub(rt.UsedAt) > s.cfg.RefreshGrace || !s.now().Before(rt.Expires) {
		return false, nil
	}
	next, err := tx.RefreshToken(rt.Next)
	if err != nil || next == nil || next.Used || next.Superseded {
		return false, err
	}
	next.Superseded = true
	if err := tx.PutRefreshToken(rt.Next, next); err != nil {
		return false, err
	}
	rt.Retried = true
	return true, tx.PutRefreshToken(hash, rt)
}
