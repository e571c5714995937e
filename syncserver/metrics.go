package syncserver

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own so
// that several servers (in tests) do not collide.
type metrics struct {
	reg           *prometheus.Registry
	pushed        *prometheus.CounterVec // by result: accepted, duplicate, rejected
	pulled        prometheus.Counter
	loginFailures *prometheus.CounterVec // by reason: credentials, rate_limited
	pushesBusy    prometheus.Counter     // pushes refused for want of memory (memory.go)
	duration      *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		pushed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "boucle_sync_pushed_events_total",
			Help: "Events received by push, by result."}, []string{"result"}),
		pulled: prometheus.NewCounter(prometheus.CounterOpts{Name: "boucle_sync_pulled_events_total",
			Help: "Events served by pull."}),
		loginFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "boucle_login_failures_total",
			Help: "Refused logins, by reason."}, []string{"reason"}),
		pushesBusy: prometheus.NewCounter(prometheus.CounterOpts{Name: "boucle_sync_pushes_busy_total",
			Help: "Pushes answered 503 because the push memory budget stayed full."}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "boucle_http_request_duration_seconds",
			Help: "Time to answer HTTP requests, by route and status.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)},
			[]string{"method", "route", "status"}),
	}
	for _, r := range []syncproto.Result{syncproto.Accepted, syncproto.Duplicate, syncproto.Rejected} {
		m.pushed.WithLabelValues(string(r)) // show zeros before the first push
	}
	m.reg.MustRegister(m.pushed, m.pulled, m.loginFailures, m.pushesBusy, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// middleware times every request, and logs it at debug level. The route
// label is the route pattern, so that ids in paths do not multiply the
// series.
func (m *metrics) middleware(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		took := time.Since(start)
		status := c.Writer.Status()
		m.duration.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(took.Seconds())
		log.LogAttrs(c.Request.Context(), slog.LevelDebug, "request", slog.String("method", c.Request.Method),
			slog.String("route", route), slog.Int("status", status), slog.Duration("took", took), slog.String("addr", c.ClientIP()))
	}
}

func (m *metrics) countPush(results []syncproto.EventResult) {
	var n [3]int
	for _, r := range results {
		switch r.Result {
		case syncproto.Accepted:
			n[0]++
		case syncproto.Duplicate:
			n[1]++
		case syncproto.Rejected:
			n[2]++
		}
	}
	m.pushed.WithLabelValues(string(syncproto.Accepted)).Add(float64(n[0]))
	m.pushed.WithLabelValues(string(syncproto.Duplicate)).Add(float64(n[1]))
	m.pushed.WithLabelValues(string(syncproto.Rejected)).Add(float64(n[2]))
}
