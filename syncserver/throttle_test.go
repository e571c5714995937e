package syncserver_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

// loginFrom signs in from a client address, as told by the trusted proxy
// (the harness's own address).
func (h *harness) loginFrom(addr, login, password string) *http.Response {
	h.t.Helper()
	return h.do(http.MethodPost, syncproto.RouteLogin, syncproto.LoginRequest{Login: login, Password: password},
		http.Header{"X-Forwarded-For": {addr}})
}

func behindProxy(c *syncserver.Config) { c.TrustedProxies = []string{"127.0.0.1"} }

// An attacker guessing a colleague's password from his own desk cannot
// lock the colleague out: failures count per (login, address). Before,
// six wrong passwords from anywhere locked op1 out everywhere, and one
// wrong attempt every 12 s kept him out.
func TestLoginThrottleCannotLockAColleagueOut(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, behindProxy)
		const attacker, victim = "10.0.0.66", "10.0.0.7"
		for range 6 {
			h.loginFrom(attacker, "op1", "guess-guess").Body.Close()
		}
		res := h.loginFrom(attacker, "op1", pw)
		retry, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		h.mustError(res, http.StatusTooManyRequests, domain.ERateLimited)
		if retry < 1 || retry > 12 {
			t.Fatalf("Retry-After = %d", retry)
		}
		h.mustJSON(h.loginFrom(victim, "op1", pw), http.StatusOK, nil)

		// One wrong attempt every 12 s, for an hour, keeps the attacker at the
		// limit; op1 signs in from his desk all along.
		for range 300 {
			h.clock.Advance(12 * time.Second)
			h.loginFrom(attacker, "op1", "guess-guess").Body.Close()
		}
		h.mustJSON(h.loginFrom(victim, "op1", pw), http.StatusOK, nil)
		// The attacker's other logins are not blocked by his op1 guesses.
		h.mustJSON(h.loginFrom(attacker, "eng1", pw), http.StatusOK, nil)
	})
}

// Spraying one guess over many logins from one address meets the coarser
// limit per address: 30 failures a minute by default, then 429 for every
// login from that address only.
func TestLoginThrottleLimitsSprayingPerAddress(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, behindProxy)
		const sprayer = "10.0.0.66"
		for i := range 30 {
			h.mustError(h.loginFrom(sprayer, "user"+strconv.Itoa(i), "Summer2026!"), http.StatusUnauthorized, domain.EUnauthorized)
		}
		h.mustError(h.loginFrom(sprayer, "op1", pw), http.StatusTooManyRequests, domain.ERateLimited)
		h.mustJSON(h.loginFrom("10.0.0.7", "op1", pw), http.StatusOK, nil)
		h.clock.Advance(2 * time.Second) // 30 a minute: one attempt back every 2 s
		h.mustJSON(h.loginFrom(sprayer, "op1", pw), http.StatusOK, nil)
	})
}
