package main

import (
	"net/http"
	"testing"
)

// Where /metrics is served: on --metrics-addr only when it is set; on the
// API's port with a token, or when the API listens on loopback only; not
// at all otherwise (with a warning). Before: on the API's port, to anyone.
func TestMetricsPlacement(t *testing.T) {
	for _, tc := range []struct {
		addr, metricsAddr, token string
		elsewhere, warned        bool
	}{
		{addr: "127.0.0.1:8477"},
		{addr: "localhost:8477"},
		{addr: "[::1]:8477"},
		{addr: "0.0.0.0:8477", elsewhere: true, warned: true},
		{addr: ":8477", elsewhere: true, warned: true},
		{addr: "0.0.0.0:8477", token: "t"},
		{addr: "0.0.0.0:8477", metricsAddr: "127.0.0.1:9477", elsewhere: true},
		{addr: "127.0.0.1:8477", metricsAddr: "127.0.0.1:9477", elsewhere: true},
	} {
		c := config{Addr: tc.addr, MetricsAddr: tc.metricsAddr, MetricsToken: tc.token}
		elsewhere, warning := c.metricsElsewhere()
		if elsewhere != tc.elsewhere || (warning != "") != tc.warned {
			t.Errorf("%+v: elsewhere %v, warning %q", tc, elsewhere, warning)
		}
	}
}

// The real serve with --metrics-addr: metrics there, 404 on the API's port.
func TestServeMetricsAddr(t *testing.T) {
	m, _, err := run(t, map[string]string{"BOUCLE_LOG_LEVEL": "warn", "BOUCLE_METRICS_TOKEN": "tok-0123456789"}, "",
		"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	get := func(url, token string) int {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := get("http://"+m.Addr()+"/metrics", "tok-0123456789"); got != http.StatusNotFound {
		t.Errorf("API port /metrics: %d", got)
	}
	if got := get("http://"+m.MetricsAddr()+"/metrics", ""); got != http.StatusUnauthorized {
		t.Errorf("metrics address without the token: %d", got)
	}
	if got := get("http://"+m.MetricsAddr()+"/metrics", "tok-0123456789"); got != http.StatusOK {
		t.Errorf("metrics address with the token: %d", got)
	}
}
