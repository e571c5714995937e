package syncserver_test

import (
	"net/http"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

func (h *harness) refresh(token string) *http.Response {
	h.t.Helper()
	return h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: token})
}

func (h *harness) mustRefresh(token string) syncproto.Tokens {
	h.t.Helper()
	var tokens syncproto.Tokens
	h.mustJSON(h.refresh(token), http.StatusOK, &tokens)
	return tokens
}

// A refresh answer lost on a flaky network: the workstation retries with
// the token it still holds. Within the grace period (30 s) the retry is
// answered with a fresh token of the same sign-in, and the answer that was
// lost is void. Before: the retry counted as a reuse, revoked the sign-in
// and signed the workstation out.
func TestRefreshRetryOfALostAnswer(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		t.Run("RetryWithinGraceIsAnswered", func(t *testing.T) {
			h := on.harness(t)
			first := h.workstation("eng1").tokens
			lost := h.mustRefresh(first.RefreshToken)
			h.clock.Advance(10 * time.Second)
			retried := h.mustRefresh(first.RefreshToken)
			if retried.RefreshToken == lost.RefreshToken || retried.RefreshToken == first.RefreshToken {
				t.Fatal("the retry did not issue a token of its own")
			}
			next := h.mustRefresh(retried.RefreshToken)
			h.mustJSON(h.do(http.MethodGet, "/stations", nil, bearer(next.AccessToken)), http.StatusOK, nil)
			// The lost answer's token was never seen by the workstation:
			// presenting it means someone else holds it, so the sign-in ends.
			h.mustError(h.refresh(lost.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
			h.mustError(h.refresh(next.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("OnlyOnce", func(t *testing.T) {
			h := on.harness(t)
			first := h.workstation("eng1").tokens
			h.mustRefresh(first.RefreshToken)
			retried := h.mustRefresh(first.RefreshToken)
			h.mustError(h.refresh(first.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
			h.mustError(h.refresh(retried.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("AfterGraceIsReuse", func(t *testing.T) {
			h := on.harness(t)
			first := h.workstation("eng1").tokens
			second := h.mustRefresh(first.RefreshToken)
			h.clock.Advance(syncserver.DefaultRefreshGrace + time.Second)
			h.mustError(h.refresh(first.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
			h.mustError(h.refresh(second.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("AfterTheSuccessorWasUsedIsReuse", func(t *testing.T) {
			h := on.harness(t)
			first := h.workstation("eng1").tokens
			second := h.mustRefresh(first.RefreshToken)
			third := h.mustRefresh(second.RefreshToken)
			h.mustError(h.refresh(first.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
			h.mustError(h.refresh(third.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("GraceIsASetting", func(t *testing.T) {
			h := on.harness(t, func(c *syncserver.Config) { c.RefreshGrace = 5 * time.Second })
			first := h.login("eng1", nil)
			h.mustRefresh(first.RefreshToken)
			h.clock.Advance(6 * time.Second)
			h.mustError(h.refresh(first.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
		})
	})
}

// Logout ends the access token too, at once, and across a restart; other
// sign-ins of the same user go on. Before: the access token kept working
// for up to 15 minutes after logout.
func TestLogoutRevokesTheAccessToken(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("eng1")
		other := h.login("eng1", nil)
		h.mustJSON(h.do(http.MethodGet, "/stations", nil, ws.headers(true)), http.StatusOK, nil)
		res := h.post(syncproto.RouteLogout, syncproto.RefreshRequest{RefreshToken: ws.tokens.RefreshToken})
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("logout: %d", res.StatusCode)
		}
		eb := h.mustError(h.do(http.MethodGet, "/stations", nil, ws.headers(true)), http.StatusUnauthorized, domain.EUnauthorized)
		if eb.Message != "signed out: sign in again" {
			t.Fatalf("message = %q", eb.Message)
		}
		h.mustError(h.do(http.MethodGet, syncproto.RouteState, nil, ws.headers(true)), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustJSON(h.do(http.MethodGet, "/stations", nil, bearer(other.AccessToken)), http.StatusOK, nil)

		// The revocation is in the store: a restarted server refuses the token too.
		r := h.restart()
		r.mustError(r.do(http.MethodGet, "/stations", nil, ws.headers(true)), http.StatusUnauthorized, domain.EUnauthorized)
		r.mustJSON(r.do(http.MethodGet, "/stations", nil, bearer(other.AccessToken)), http.StatusOK, nil)
	})
}

// A reused refresh token revokes its sign-in's access tokens as well,
// and so does disabling or resetting a user (revokeUserTokens).
func TestRevokedSignInsEndTheirAccessTokens(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		first := h.login("eng1", nil)
		second := h.mustRefresh(first.RefreshToken)
		h.clock.Advance(time.Minute)
		h.mustError(h.refresh(first.RefreshToken), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustError(h.do(http.MethodGet, "/stations", nil, bearer(second.AccessToken)), http.StatusUnauthorized, domain.EUnauthorized)

		mgr := h.login("mgr", nil)
		if _, err := h.admin.ResetPassword(t.Context(), "mgr", "a new password, long enough"); err != nil {
			t.Fatal(err)
		}
		h.mustError(h.do(http.MethodGet, "/stations", nil, bearer(mgr.AccessToken)), http.StatusUnauthorized, domain.EUnauthorized)
	})
}

// Revoked sign-ins are swept a day after their last token expired, when
// no access token of theirs can be alive any more.
func TestSweepForgetsRevokedSignIns(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		tokens := h.login("eng1", nil)
		h.post(syncproto.RouteLogout, syncproto.RefreshRequest{RefreshToken: tokens.RefreshToken}).Body.Close()
		h.clock.Advance(syncserver.DefaultRefreshTTL + 25*time.Hour)
		n, err := h.srv.Sweep()
		if err != nil || n < 2 {
			t.Fatalf("sweep: %d records, %v", n, err)
		}
		h.mustError(h.do(http.MethodGet, "/stations", nil, bearer(tokens.AccessToken)), http.StatusUnauthorized, domain.EUnauthorized)
	})
}
