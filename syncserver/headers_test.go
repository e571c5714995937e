package syncserver_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"

	"boucle/shared/syncproto"
)

// Every answer carries nosniff; every answer but an evidence file's bytes
// says no-store; HSTS is sent over TLS only. Before: none of these headers.
func TestSecurityHeaders(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("eng1")
		data := []byte("photo of the scratch")
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		h.do(http.MethodPut, syncproto.RouteBlob+sha, data, ws.headers(true)).Body.Close()

		answers := map[string]*http.Response{
			"login":        h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "eng1", Password: pw}),
			"login error":  h.post(syncproto.RouteLogin, []byte("{")),
			"stations":     h.do(http.MethodGet, "/stations", nil, ws.headers(true)),
			"unauthorized": h.do(http.MethodGet, "/stations", nil, nil),
			"no route":     h.do(http.MethodGet, "/nowhere", nil, nil),
			"healthz":      h.do(http.MethodGet, "/healthz", nil, nil),
			"pull":         h.do(http.MethodGet, syncproto.RoutePull, nil, ws.headers(true)),
			"missing blob": h.do(http.MethodGet, syncproto.RouteBlob+sha[:63]+"0", nil, ws.headers(true)),
		}
		for name, res := range answers {
			res.Body.Close()
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s: X-Content-Type-Options = %q", name, got)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s: Cache-Control = %q", name, got)
			}
			if got := res.Header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("%s: HSTS over plain HTTP: %q", name, got)
			}
		}
		blob := h.do(http.MethodGet, syncproto.RouteBlob+sha, nil, ws.headers(true))
		blob.Body.Close()
		if blob.StatusCode != http.StatusOK || blob.Header.Get("Cache-Control") != "private, max-age=31536000, immutable" ||
			blob.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("evidence bytes: %d, headers %v", blob.StatusCode, blob.Header)
		}

		t.Run("HSTSOverTLS", func(t *testing.T) {
			tls := httptest.NewTLSServer(h.srv.Handler())
			defer tls.Close()
			res, err := tls.Client().Get(tls.URL + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
				t.Fatalf("Strict-Transport-Security = %q", got)
			}
		})
	})
}
