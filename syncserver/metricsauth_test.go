package syncserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"boucle/shared/domain"
	"boucle/syncserver"
)

// With a metrics token, /metrics answers only requests bearing it. Before:
// anyone who reached the port read them.
func TestMetricsToken(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) { c.MetricsToken = "scrape-me-0123456789" })
		h.mustError(h.do(http.MethodGet, "/metrics", nil, nil), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustError(h.do(http.MethodGet, "/metrics", nil, bearer("scrape-me-012345678")), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustError(h.do(http.MethodGet, "/metrics", nil, bearer("scrape-me-0123456789-and-more")), http.StatusUnauthorized, domain.EUnauthorized)
		res := h.do(http.MethodGet, "/metrics", nil, bearer("scrape-me-0123456789"))
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "boucle_sync_pushed_events_total") {
			t.Fatalf("with the token: %d %.200s", res.StatusCode, body)
		}
	})
}

// MetricsElsewhere takes /metrics off the API's port; MetricsHandler
// serves them on an address of their own.
func TestMetricsElsewhere(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) { c.MetricsElsewhere = true })
		h.mustError(h.do(http.MethodGet, "/metrics", nil, nil), http.StatusNotFound, domain.ENotFound)
		own := httptest.NewServer(h.srv.MetricsHandler())
		defer own.Close()
		res, err := own.Client().Get(own.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("metrics on their own address: %d %v", res.StatusCode, res.Header)
		}
	})
}
