package syncserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// /metrics tells request rates, login failures and the process's figures:
// not secrets, but nothing for whoever reaches the port either. Two
// settings guard it (Config): MetricsToken, a bearer token Prometheus
// sends (authorization: credentials in its scrape config), and
// MetricsElsewhere, which takes /metrics off the API's port so that it is
// served only by MetricsHandler on an address of its own (--metrics-addr,
// on a management network or loopback). The serve command decides the
// default (see cmd/boucle-server).

// MetricsHandler serves the metrics, asking for the token when one is
// configured. The API's handler routes /metrics to it unless
// Config.MetricsElsewhere.
func (s *Server) MetricsHandler() http.Handler {
	metrics := s.metrics.handler()
	want := sha256.Sum256([]byte(s.cfg.MetricsToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Served alone on --metrics-addr, the answers get the headers the
		// API's middleware would set (headers.go).
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		if s.cfg.MetricsToken == "" {
			metrics.ServeHTTP(w, r)
			return
		}
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		// Digests of equal length, compared in constant time: the answer's
		// timing tells nothing of the token, not even its length.
		got := sha256.Sum256([]byte(token))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			writeJSON(w, http.StatusUnauthorized, syncproto.ErrorBody{Code: domain.EUnauthorized,
				Message: "metrics need the metrics token: Authorization: Bearer <token>"})
			return
		}
		metrics.ServeHTTP(w, r)
	})
}
