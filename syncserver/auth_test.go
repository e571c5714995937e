package syncserver_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"

	"github.com/golang-jwt/jwt/v5"
)

func TestLogin(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		t.Run("OK", func(t *testing.T) {
			tokens := h.login("eng1", nil)
			if tokens.AccessToken == "" || tokens.RefreshToken == "" || tokens.ExpiresIn != 900 || tokens.User.Role != domain.RoleEngineer {
				t.Fatalf("tokens = %+v", tokens)
			}
			claims := parseUnverified(t, tokens.AccessToken)
			if claims.Subject != "eng1" || claims.Role != domain.RoleEngineer || claims.Plant != "test-plant" || claims.Device != "" ||
				claims.ID == "" || claims.IssuedAt == nil || claims.ExpiresAt.Sub(claims.IssuedAt.Time) != 15*time.Minute {
				t.Fatalf("claims = %+v", claims)
			}
		})
		t.Run("BoundToDevice", func(t *testing.T) {
			d := h.workstation("op1")
			if c := parseUnverified(t, d.tokens.AccessToken); c.Device != d.id {
				t.Fatalf("device claim = %q, want %q", c.Device, d.id)
			}
		})
		t.Run("LoginIsCaseInsensitive", func(t *testing.T) {
			h.mustJSON(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: " ENG1 ", Password: pw}), http.StatusOK, nil)
		})
		t.Run("ErrMalformed", func(t *testing.T) {
			h.mustError(h.post(syncproto.RouteLogin, []byte(`{"login":`)), http.StatusBadRequest, domain.EMalformed)
		})
		t.Run("ErrTooLarge", func(t *testing.T) {
			h.mustError(h.post(syncproto.RouteLogin, []byte(`{"login":"`+strings.Repeat("a", 70<<10)+`"}`)), http.StatusRequestEntityTooLarge, domain.ETooLarge)
		})
		t.Run("ErrWrongPassword", func(t *testing.T) {
			h.mustError(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "eng2", Password: "nope"}), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("ErrUnknownUserSameAnswer", func(t *testing.T) {
			a := h.mustError(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "ghost", Password: pw}), http.StatusUnauthorized, domain.EUnauthorized)
			b := h.mustError(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "mgr", Password: "wrong password"}), http.StatusUnauthorized, domain.EUnauthorized)
			if a != b {
				t.Fatalf("answers tell unknown logins apart: %+v vs %+v", a, b)
			}
		})
		t.Run("ErrBadDeviceCredential", func(t *testing.T) {
			d := h.enrol()
			d.key = "wrong"
			eb := h.mustError(h.do(http.MethodPost, syncproto.RouteLogin, syncproto.LoginRequest{Login: "eng1", Password: pw}, d.headers(false)), http.StatusForbidden, domain.EForbidden)
			if eb.Field != "device" {
				t.Fatalf("field = %q", eb.Field)
			}
		})
	})
}

func TestLoginRefusesDisabledUsers(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		d := h.workstation("eng2")
		if err := h.admin.DisableUser(t.Context(), "eng2", "left the plant"); err != nil {
			t.Fatal(err)
		}
		h.mustError(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "eng2", Password: pw}), http.StatusUnauthorized, domain.EUnauthorized)
		// Their live access token stops working at once, and so does refresh.
		h.mustError(h.do(http.MethodGet, "/stations", nil, d.headers(true)), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: d.tokens.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
	})
}

// Five failures a minute per (login, address); the sixth attempt is
// answered 429 with Retry-After, even with the right password; one more
// attempt is earned back every 12 seconds.
func TestLoginIsRateLimited(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		wrong := syncproto.LoginRequest{Login: "op1", Password: "guess-guess"}
		for range 5 {
			h.mustError(h.post(syncproto.RouteLogin, wrong), http.StatusUnauthorized, domain.EUnauthorized)
		}
		res := h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "op1", Password: pw})
		retry, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		h.mustError(res, http.StatusTooManyRequests, domain.ERateLimited)
		if retry < 1 || retry > 12 {
			t.Fatalf("Retry-After = %d", retry)
		}
		// Another login from the same address is not: see throttle_test.go.
		h.mustJSON(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "eng1", Password: pw}), http.StatusOK, nil)
		h.clock.Advance(12 * time.Second)
		h.mustJSON(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "op1", Password: pw}), http.StatusOK, nil)
		// A success spends nothing: the next wrong password is still allowed.
		h.mustError(h.post(syncproto.RouteLogin, wrong), http.StatusUnauthorized, domain.EUnauthorized)
		if !strings.Contains(metrics(t, h), `boucle_login_failures_total{reason="rate_limited"} 1`) {
			t.Fatal("rate-limited logins not counted")
		}
	})
}

// Each refresh rotates; presenting a used token again revokes the whole
// family, including the newest token.
func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		d := h.workstation("eng1")
		first := d.tokens
		var second, third syncproto.Tokens
		h.clock.Advance(time.Second) // a new iat
		h.mustJSON(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: first.RefreshToken}), http.StatusOK, &second)
		if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
			t.Fatal("refresh did not rotate")
		}
		if c := parseUnverified(t, second.AccessToken); c.Device != d.id || c.Subject != "eng1" {
			t.Fatalf("refreshed claims = %+v", c)
		}
		h.mustJSON(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: second.RefreshToken}), http.StatusOK, &third)

		h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: first.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: third.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
		if !strings.Contains(h.logBuf.String(), "refresh token reused") {
			t.Fatal("reuse not logged")
		}
		// Another sign-in of the same user is a family of its own.
		other := h.login("eng1", nil)
		h.mustJSON(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: other.RefreshToken}), http.StatusOK, nil)

		t.Run("ErrUnknown", func(t *testing.T) {
			h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: "made-up"}), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("ErrMalformed", func(t *testing.T) {
			h.mustError(h.post(syncproto.RouteRefresh, []byte("[")), http.StatusBadRequest, domain.EMalformed)
		})
		t.Run("ErrExpired", func(t *testing.T) {
			tokens := h.login("mgr", nil)
			h.clock.Advance(syncserver.DefaultRefreshTTL + time.Minute)
			h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: tokens.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
		})
	})
}

func TestLogoutRevokes(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		tokens := h.login("mgr", nil)
		res := h.post(syncproto.RouteLogout, syncproto.RefreshRequest{RefreshToken: tokens.RefreshToken})
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("logout: %d", res.StatusCode)
		}
		res.Body.Close()
		h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: tokens.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
		// Unknown tokens are answered the same way: nothing to tell.
		res = h.post(syncproto.RouteLogout, syncproto.RefreshRequest{RefreshToken: "whatever"})
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("logout of an unknown token: %d", res.StatusCode)
		}
		res.Body.Close()
		h.mustError(h.post(syncproto.RouteLogout, []byte("nope")), http.StatusBadRequest, domain.EMalformed)
	})
}

// Access tokens are HS256 with the key their kid names only: "none",
// another HMAC, RS256 (with a key of ours or not), another key, no kid or
// an unknown one, an expired or future-dated token, one living longer than
// the configured TTL, another plant's token: all 401.
func TestAccessTokenIsPinnedToHS256(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		keys, err := syncserver.NewKeyring(syncserver.ServerKey{Kid: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")})
		if err != nil {
			t.Fatal(err)
		}
		key := keys.JWTKey("k1")
		h := on.harness(t, func(c *syncserver.Config) { c.Keys = keys })
		now := h.clock.Now()
		session := parseUnverified(t, h.login("admin", nil).AccessToken).Session // a live sign-in
		claims := func(mod func(*syncserver.Claims)) *syncserver.Claims {
			c := &syncserver.Claims{Role: domain.RoleAdmin, Plant: "test-plant", Session: session, RegisteredClaims: jwt.RegisteredClaims{
				Subject: "admin", IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)), ID: "x"}}
			if mod != nil {
				mod(c)
			}
			return c
		}
		signKid := func(m jwt.SigningMethod, k any, kid string, c *syncserver.Claims) string {
			tok := jwt.NewWithClaims(m, c)
			if kid != "" {
				tok.Header["kid"] = kid
			}
			s, err := tok.SignedString(k)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		sign := func(m jwt.SigningMethod, k any, c *syncserver.Claims) string { return signKid(m, k, "k1", c) }
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		get := func(token string) *http.Response { return h.do(http.MethodGet, "/stations", nil, bearer(token)) }

		h.mustJSON(get(sign(jwt.SigningMethodHS256, key, claims(nil))), http.StatusOK, nil) // the control
		cases := map[string]string{
			"None":         sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil)),
			"HS512":        sign(jwt.SigningMethodHS512, key, claims(nil)),
			"RS256":        sign(jwt.SigningMethodRS256, rsaKey, claims(nil)),
			"OtherKey":     sign(jwt.SigningMethodHS256, []byte("another key, 32 bytes long......"), claims(nil)),
			"Expired":      sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Second)) })),
			"NoExpiry":     sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.ExpiresAt = nil })),
			"IssuedLater":  sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour)) })),
			"OtherPlant":   sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.Plant = "elsewhere" })),
			"NoSession":    sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.Session = "" })),
			"OtherSession": sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.Session = "made-up" })),
			"UnknownUser":  sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.Subject = "ghost" })),
			"Garbage":      "not.a.token",
			"NoKid":        signKid(jwt.SigningMethodHS256, key, "", claims(nil)),
			"UnknownKid":   signKid(jwt.SigningMethodHS256, key, "k2", claims(nil)),
			"LivesTooLong": sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(16 * time.Minute)) })),
			"NoIssuedAt":   sign(jwt.SigningMethodHS256, key, claims(func(c *syncserver.Claims) { c.IssuedAt = nil })),
			"TamperedBody": tamper(sign(jwt.SigningMethodHS256, key, claims(nil))),
		}
		for name, token := range cases {
			t.Run(name, func(t *testing.T) { h.mustError(get(token), http.StatusUnauthorized, domain.EUnauthorized) })
		}
		t.Run("NoToken", func(t *testing.T) {
			h.mustError(h.do(http.MethodGet, "/stations", nil, nil), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("ExpiresAfter15Minutes", func(t *testing.T) {
			tokens := h.login("eng1", nil)
			h.clock.Advance(15*time.Minute + time.Second)
			eb := h.mustError(get(tokens.AccessToken), http.StatusUnauthorized, domain.EUnauthorized)
			if !strings.Contains(eb.Message, "expired") {
				t.Fatalf("message = %q", eb.Message)
			}
		})
	})
}

// tamper changes the payload of a signed token without re-signing it.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	parts[1] = strings.Replace(parts[1], parts[1][:4], "eyJ6", 1)
	return strings.Join(parts, ".")
}

func parseUnverified(t *testing.T, token string) *syncserver.Claims {
	t.Helper()
	var c syncserver.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestEnrol(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		en, err := h.admin.EnrolDevice(t.Context(), "line 2", 0)
		if err != nil {
			t.Fatal(err)
		}
		req := syncproto.EnrolRequest{Code: strings.ToLower(en.Code), Name: "PRESS2 desk", Station: "PRESS2", Replica: "ws-a"}
		t.Run("ErrInvalidSpendsNothing", func(t *testing.T) {
			for _, bad := range []syncproto.EnrolRequest{
				{Code: en.Code, Replica: ""},
				{Code: en.Code, Replica: "ws-a", Station: "NOPE"},
				{Code: en.Code, Replica: h.ports.Replica()},
			} {
				h.mustError(h.post(syncproto.RouteEnrol, bad), http.StatusBadRequest, domain.EInvalid)
			}
			h.mustError(h.post(syncproto.RouteEnrol, []byte("{")), http.StatusBadRequest, domain.EMalformed)
		})
		var resp syncproto.EnrolResponse
		h.mustJSON(h.post(syncproto.RouteEnrol, req), http.StatusOK, &resp) // case and dashes forgiven
		if resp.DeviceID == "" || len(resp.DeviceKey) < 40 || resp.Epoch != h.srv.Epoch().ID {
			t.Fatalf("enrolment = %+v", resp)
		}
		t.Run("ErrCodeUsed", func(t *testing.T) {
			h.mustError(h.post(syncproto.RouteEnrol, req), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("ErrCodeExpired", func(t *testing.T) {
			late, _ := h.admin.EnrolDevice(t.Context(), "", time.Hour)
			h.clock.Advance(time.Hour)
			h.mustError(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: late.Code, Replica: "ws-b"}), http.StatusUnauthorized, domain.EUnauthorized)
		})
		t.Run("ErrRateLimited", func(t *testing.T) {
			for range 5 {
				h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: "AAAA-BBBB-CCCC", Replica: "ws-c"}).Body.Close()
			}
			h.mustError(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: "AAAA-BBBB-CCCC", Replica: "ws-c"}), http.StatusTooManyRequests, domain.ERateLimited)
		})
	})
}

func TestPasswordHashing(t *testing.T) {
	light := syncserver.HashPassword("x") // this package's tests hash with cheap parameters
	syncserver.RealArgonParams(func() {
		start := time.Now()
		phc := syncserver.HashPassword("s3cret password")
		took := time.Since(start)
		if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Fatalf("hash = %s", phc)
		}
		if ok, stale := syncserver.CheckPassword(phc, "s3cret password"); !ok || stale {
			t.Fatalf("check = %v, %v", ok, stale)
		}
		if ok, _ := syncserver.CheckPassword(phc, "s3cret passwort"); ok {
			t.Fatal("wrong password accepted")
		}
		if phc == syncserver.HashPassword("s3cret password") {
			t.Fatal("no salt")
		}
		t.Logf("one argon2id hash: %s", took)
		// A hash made with other parameters still verifies, and asks for an upgrade.
		if ok, stale := syncserver.CheckPassword(light, "x"); !ok || !stale {
			t.Fatalf("hash with other parameters: ok %v stale %v", ok, stale)
		}
	})
}
