package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"boucle/syncserver"
)

// metricsElsewhere decides whether /metrics leaves the API's port:
//   - with --metrics-addr, metrics are served there only;
//   - with --metrics-token, on the API's port, to requests bearing it;
//   - with neither, on the API's port when it listens on loopback only
//     (127.0.0.1:8477, the default: whoever reaches it is on the machine),
//     and not at all otherwise, with a warning saying how to scrape them.
func (c *config) metricsElsewhere() (elsewhere bool, warning string) {
	switch {
	case c.MetricsAddr != "":
		return true, ""
	case c.MetricsToken != "" || loopbackOnly(c.Addr):
		return false, ""
	}
	return true, "/metrics is not served: the API listens beyond loopback; set --metrics-token (BOUCLE_METRICS_TOKEN) or --metrics-addr to scrape it"
}

// loopbackOnly reports whether a listen address reaches this machine only.
func loopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// metricsServer serves MetricsHandler on --metrics-addr.
type metricsServer struct {
	http *http.Server
	ln   net.Listener
}

func startMetrics(addr string, srv *syncserver.Server, log *slog.Logger) (*metricsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ms := &metricsServer{ln: ln, http: &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: time.Minute, WriteTimeout: time.Minute}}
	go func() {
		if err := ms.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	return ms, nil
}

func (ms *metricsServer) close(ctx context.Context) error {
	if ms == nil {
		return nil
	}
	return ms.http.Shutdown(ctx)
}

// MetricsAddr is the address /metrics listens on with --metrics-addr
// (useful with port 0), "" otherwise.
func (m *Main) MetricsAddr() string {
	if m.serve == nil || m.serve.metrics == nil {
		return ""
	}
	return m.serve.metrics.ln.Addr().String()
}
