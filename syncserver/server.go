package syncserver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
)

// Config is the server's behaviour; zero fields take the defaults below.
type Config struct {
	Plant      string        // the tokens' plant claim
	AccessTTL  time.Duration // access token lifetime (15 min)
	RefreshTTL time.Duration // refresh token lifetime, renewed at each rotation (30 days)
	// RefreshGrace is how long a used refresh token may be presented once
	// more, by a workstation whose answer was lost (30 s; negative: never).
	RefreshGrace time.Duration
	// Keys are the server's secrets (see keys.go); nil: the key file
	// DefaultKeyFile beside the store, created on first start.
	Keys            *Keyring
	LoginFailures   int           // failed logins allowed per (login, client address)… (5)
	AddressFailures int           // …and per client address, whatever the login… (30)
	LoginWindow     time.Duration // …per window (1 min)
	TrustedProxies  []string      // proxies whose X-Forwarded-For is believed; none by default
	// PushMemory bounds the bytes of push bodies in flight, server-wide
	// (128 MiB); a push that does not fit waits up to PushWait (30 s),
	// then is answered 503 with Retry-After (memory.go).
	PushMemory int64
	PushWait   time.Duration
	// BlobQuota bounds the evidence bytes an uploader (device, else user)
	// may hold that no complaint references (256 MiB); such evidence is
	// deleted UnreferencedBlobTTL after its upload (24 h) (blobquota.go).
	BlobQuota           int64
	UnreferencedBlobTTL time.Duration
	// MetricsToken, when set, is the bearer token /metrics asks for.
	MetricsToken string
	// MetricsElsewhere takes /metrics off the API's handler: they are
	// served only by MetricsHandler, on an address of their own.
	MetricsElsewhere bool
	Dev              bool         // Gin's debug mode
	Logger           *slog.Logger // discarded when nil
	Now              func() time.Time
	// Analytics are the plant's analysis settings: the recurrence and
	// effectiveness windows (90 days) and the calendar of weeks, months and
	// dates (UTC). Reports may override the windows per request; Run's
	// effectiveness evaluation uses these. The workstations must use the
	// same calendar to agree with the server.
	Analytics analytics.Settings
	// EvaluateEvery is how often Run measures the effectiveness of
	// preventive plans and actions (1 h).
	EvaluateEvery time.Duration
	// MaxClockDrift is how far ahead of the server's wall clock a pushed
	// event may be stamped (DefaultMaxClockDrift); the server's clock
	// never observes a timestamp further ahead (see clockcheck.go).
	MaxClockDrift time.Duration
	// Leadership elects the instance that records the effectiveness
	// verdicts when several serve the plant (instances.go); nil: this
	// process is the only one, as on bbolt.
	Leadership Leadership
	// AttemptLimits makes the limits of failed attempts (attempts.go);
	// nil: counted in this process's memory, as on bbolt.
	AttemptLimits func(burst int, per time.Duration) AttemptLimit
	// GroupAttemptLimits makes the limits of failed sign-ins of the
	// group's accounts, which every plant's server answers: on a database
	// of several plants they must be counted once for the group, not once
	// per plant (pgstore.Store.GroupAttemptLimit). nil: AttemptLimits'.
	GroupAttemptLimits func(burst int, per time.Duration) AttemptLimit
	// Group is the group the plant belongs to, on a database holding
	// several plants (group.go): its accounts and every plant's reports,
	// served under /api/v1/group. nil (bbolt: one plant per store): those
	// routes answer not_found.
	Group GroupStore
}

// Defaults.
const (
	DefaultPlant      = "plant"
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 30 * 24 * time.Hour
	// DefaultEvaluateEvery: windows are days long, an hour's delay in
	// recording a verdict is nothing.
	DefaultEvaluateEvery = time.Hour
)

func (c *Config) setDefaults() {
	if c.Plant == "" {
		c.Plant = DefaultPlant
	}
	if c.MaxClockDrift <= 0 {
		c.MaxClockDrift = DefaultMaxClockDrift
	}
	if c.AccessTTL <= 0 {
		c.AccessTTL = DefaultAccessTTL
	}
	if c.BlobQuota <= 0 {
		c.BlobQuota = DefaultBlobQuota
	}
	if c.UnreferencedBlobTTL <= 0 {
		c.UnreferencedBlobTTL = DefaultUnreferencedBlobTTL
	}
	if c.PushMemory <= 0 {
		c.PushMemory = DefaultPushMemory
	}
	if c.PushWait <= 0 {
		c.PushWait = DefaultPushWait
	}
	if c.RefreshGrace == 0 {
		c.RefreshGrace = DefaultRefreshGrace
	}
	if c.RefreshTTL <= 0 {
		c.RefreshTTL = DefaultRefreshTTL
	}
	if c.LoginFailures <= 0 {
		c.LoginFailures = 5
	}
	if c.AddressFailures <= 0 {
		c.AddressFailures = 30
	}
	if c.LoginWindow <= 0 {
		c.LoginWindow = time.Minute
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Analytics.Location == nil {
		c.Analytics.Location = time.UTC
	}
	if c.Leadership == nil {
		c.Leadership = soleInstance{}
	}
	if c.EvaluateEvery <= 0 {
		c.EvaluateEvery = DefaultEvaluateEvery
	}
}

// Server serves one plant's store over HTTP.
type Server struct {
	access    AccessStore   // accounts, devices, tokens, settings (store.go)
	evidence  EvidenceStore // evidence files and uploads
	views     ViewStore     // the projections the views and reports read
	integrity Integrity     // whether the store reads, what it quarantined
	events    LogStore      // the log: push and pull
	cfg       Config
	log       *slog.Logger
	now       func() time.Time
	keys      *Keyring
	conf      *confidential.Keyring // the plant's confidential keys, from keys
	limiter   AttemptLimit          // per (login, address), and per address for enrolment codes
	// groupLimiter and groupAddrLimiter count the group's sign-ins, shared
	// by the group's plants (Config.GroupAttemptLimits).
	groupLimiter, groupAddrLimiter AttemptLimit
	// addrLimiter is the looser limit of failed logins per address.
	addrLimiter AttemptLimit
	// pushBudget bounds the bytes of pushes in flight (memory.go).
	pushBudget *byteBudget
	metrics    *metrics
	admin      *Admin
	engine     *gin.Engine
	// projector folds pushed events into the views once pushes pause.
	projector *projector
	// reports keeps the dataset the reports are computed from.
	reports *reportCache
	// groupReports keeps those of the group's plants (group.go).
	groupReports groupReportCaches
	// led is whether this instance led at the last look (instances.go),
	// to log the changes.
	led atomic.Bool
}

// New prepares a server on a store opened with OpenStore: its bbolt
// adapter, and the key file beside it unless cfg.Keys is set.
func New(store *boltstore.Store, cfg Config) (*Server, error) {
	return newOn(boltPorts(store), filepath.Dir(store.Path()), cfg)
}

// NewOn prepares a server on the ports of any adapter. A store that is
// not a directory has no key file beside it: cfg.Keys is required.
func NewOn(ports Store, cfg Config) (*Server, error) {
	if cfg.Keys == nil {
		return nil, fmt.Errorf("a server on a store without a data directory needs its keys (Config.Keys, from the key file)")
	}
	return newOn(ports, "", cfg)
}

func newOn(ports Store, keyDir string, cfg Config) (*Server, error) {
	if cfg.AccessTTL > MaxAccessTTL {
		return nil, fmt.Errorf("access token lifetime %v is above the cap of %v", cfg.AccessTTL, MaxAccessTTL)
	}
	cfg.setDefaults()
	keys, err := serverKeys(keyDir, ports, &cfg)
	if err != nil {
		return nil, err
	}
	conf, err := keys.Confidential()
	if err != nil {
		return nil, err
	}
	s := &Server{access: ports, evidence: ports, views: ports, integrity: ports, events: ports, cfg: cfg, log: cfg.Logger, now: cfg.Now, keys: keys, conf: conf,
		limiter: cfg.attemptLimit(cfg.LoginFailures, cfg.LoginWindow), addrLimiter: cfg.attemptLimit(cfg.AddressFailures, cfg.LoginWindow),
		groupLimiter: cfg.groupAttemptLimit(cfg.LoginFailures, cfg.LoginWindow), groupAddrLimiter: cfg.groupAttemptLimit(cfg.AddressFailures, cfg.LoginWindow),
		metrics: newMetrics(), pushBudget: newByteBudget(cfg.PushMemory),
		admin: NewAdminOn(ports, cfg.Now), projector: newProjector(ports, cfg.Logger), reports: newReportCache(ports, cfg.Logger)}
	if err := s.buildEngine(); err != nil {
		return nil, err
	}
	ports.Clock().SetMaxAhead(cfg.MaxClockDrift)
	s.metrics.reg.MustRegister(quarantineGauge(ports))
	reportQuarantine(ports, s.log)
	return s, nil
}

// serverKeys returns the configured keyring, or the one of the key file
// in keyDir, beside the store; either way the key older versions kept
// inside the store is removed.
func serverKeys(keyDir string, access AccessStore, cfg *Config) (*Keyring, error) {
	if err := dropStoredJWTKey(access, cfg.Logger); err != nil {
		return nil, err
	}
	if cfg.Keys != nil {
		return cfg.Keys, nil
	}
	path := filepath.Join(keyDir, DefaultKeyFile)
	keys, created, err := LoadKeyFile(path, cfg.Now())
	if created {
		cfg.Logger.Info("created the server's key file", "path", path, "kid", keys.Current())
	}
	return keys, err
}

// Handler is the HTTP handler of every route.
func (s *Server) Handler() http.Handler { return s.engine }

// Admin returns the administrator commands on the server's store.
func (s *Server) Admin() *Admin { return s.admin }

// Epoch returns the store's current epoch.
func (s *Server) Epoch() Epoch {
	var ep Epoch
	_ = s.access.ViewAccess(context.Background(), func(t AccessTx) (err error) { ep, err = epochIn(t); return err })
	return ep
}

func (s *Server) buildEngine() error {
	if !s.cfg.Dev {
		gin.SetMode(gin.ReleaseMode)
	}
	e := gin.New()
	if err := e.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		return fmt.Errorf("trusted proxies: %w", err)
	}
	e.Use(securityHeaders, s.metrics.middleware(s.log), gin.CustomRecoveryWithWriter(io.Discard, s.recovered), errorMiddleware(s.log))
	e.NoRoute(func(c *gin.Context) {
		_ = c.Error(domain.Errorf(domain.ENotFound, "no route %s %s", c.Request.Method, c.Request.URL.Path))
	})
	s.routes(e)
	s.engine = e
	return nil
}

// routes is the whole route table.
func (s *Server) routes(e *gin.Engine) {
	e.GET("/healthz", s.healthz)
	if !s.cfg.MetricsElsewhere {
		e.GET("/metrics", gin.WrapH(s.MetricsHandler()))
	}

	api := e.Group(syncproto.Prefix)
	api.GET("/openapi.json", serveOpenAPI)
	api.POST(syncproto.RouteLogin, s.login)
	api.POST(syncproto.RouteRefresh, s.refresh)
	api.POST(syncproto.RouteLogout, s.logout)
	api.POST(syncproto.RouteEnrol, s.enrolDevice)

	user := api.Group("", s.requireUser)
	user.PUT(syncproto.RouteBlob+":sha256", s.putBlob)
	user.GET(syncproto.RouteBlob+":sha256", s.getBlob)
	user.HEAD(syncproto.RouteBlob+":sha256", s.getBlob)
	views := user.Group("", s.caughtUp)
	views.GET("/complaints", s.listComplaints)
	views.GET("/complaints/:id", s.getComplaint)
	views.GET("/actions", s.listActions)
	views.GET("/plans", s.listPlans)
	views.GET("/complaints/:id/8d.pdf", s.eightD)
	reports := views.Group("/reports")
	reports.GET("/indicators", s.reportIndicators)
	reports.GET("/scorecards", s.reportScorecards)
	reports.GET("/effectiveness", s.reportEffectiveness)
	reports.GET("/recurrences", s.reportRecurrences)
	reports.GET("/themes", s.reportThemes)
	reports.GET("/clusters", s.reportClusters)
	reports.GET("/similar", s.reportSimilar)
	reports.GET("/complaints.csv", s.exportComplaints(csvFormat))
	reports.GET("/complaints.xlsx", s.exportComplaints(xlsxFormat))
	reports.GET("/actions.csv", s.exportActions(csvFormat))
	reports.GET("/actions.xlsx", s.exportActions(xlsxFormat))
	reports.GET("/monthly.pdf", s.monthlyReport)
	user.GET("/stations", s.listStations)
	user.GET("/users", s.listUsers)
	user.GET("/categories", s.listCategories)
	user.GET("/severities", s.listSeverities)
	s.adminRoutes(user)
	s.groupRoutes(api)

	sync := api.Group("", s.requireUserAndDevice)
	sync.POST(syncproto.RoutePush, s.push)
	sync.GET(syncproto.RoutePull, s.pull)
	sync.GET(syncproto.RouteState, s.state)
}

// recovered answers a panic as an internal error; the panic is logged.
func (s *Server) recovered(c *gin.Context, v any) {
	s.log.Error("panic serving request", "method", c.Request.Method, "path", c.Request.URL.Path, "panic", v)
	c.AbortWithStatusJSON(http.StatusInternalServerError, syncproto.ErrorBody{Code: domain.EInternal, Message: "internal error"})
}

// Bootstrap prepares a new plant: on a store with no account it creates
// the administrator with a random password, returned to be shown once, and
// seeds the default categories and severities. On any other store it does
// nothing and returns "".
func (a *Admin) Bootstrap() (password string, err error) {
	var fresh bool
	ctx := context.Background() // the command line's, at first start
	if err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) { has, err := t.HasAccounts(); fresh = !has; return err }); err != nil || !fresh {
		return "", err
	}
	password = NewPassword()
	if _, err := a.AddUser(context.Background(), NewUser{Login: serverActor.Login, DisplayName: "Administrator", Role: domain.RoleAdmin, Password: password}); err != nil {
		return "", err
	}
	return password, a.access.UpdateAccess(ctx, func(t AccessTx) error { return seedReference(t, serverActor) })
}
