package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"boucle/syncserver"
)

// config is every setting, from flags over BOUCLE_* environment variables
// over defaults.
type config struct {
	Store string // --store: a directory (bbolt) or a postgres:// URL (store.go)
	Data  string
	// Postgres is the database URL when --store names one (resolveStore):
	// the plant --plant names is in it, and --data only keeps the key file.
	Postgres  string
	LogFormat string
	LogLevel  string

	Addr           string
	TLSCert        string
	TLSKey         string
	AccessTTL      time.Duration
	RefreshTTL     time.Duration
	RefreshGrace   time.Duration
	MaxClockDrift  time.Duration
	KeyFile        string
	Plant          string
	TrustedProxies string
	MetricsAddr    string
	MemoryLimitMiB int
	PushMemoryMiB  int
	BlobQuotaMiB   int
	BlobTTL        time.Duration
	MetricsToken   string
	Dev            bool
	Evidence       evidenceSettings // --evidence and its object store (evidence.go)

	// subcommands
	Name          string
	Role          string
	Station       string
	PasswordStdin bool
	Reason        string
	Note          string
	TTL           time.Duration
	Replace       string // device enrol --replace: the device whose replica the code may take over
	LabelEN       string
	LabelFR       string
	AckHours      int
	ResolveHours  int
	Migrate       migrateSettings // migrate --from, --to (migrate.go)

	// dataFlag: --data was given on the command line (not only by
	// BOUCLE_DATA), so a different --store is a contradiction.
	dataFlag bool

	// envErrs are environment variables that do not parse, reported by
	// check.
	envErrs []string
}

func envString(env func(string) string, key, def string) string {
	if v := env(key); v != "" {
		return v
	}
	return def
}

func (c *config) envDuration(env func(string) string, key string, def time.Duration) time.Duration {
	v := env(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Sprintf("%s=%q is not a duration (like 15m or 720h)", key, v))
		return def
	}
	return d
}

func (c *config) envInt(env func(string) string, key string, def int) int {
	v := env(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		c.envErrs = append(c.envErrs, fmt.Sprintf("%s=%q is not a whole number of MiB", key, v))
		return def
	}
	return n
}

func envBool(env func(string) string, key string) bool {
	b, _ := strconv.ParseBool(env(key))
	return b
}

func commonFlags(fs *flag.FlagSet, c *config, env func(string) string) {
	fs.StringVar(&c.Store, "store", env("BOUCLE_STORE"), "the plant's store: a directory (the bbolt store, like --data) or postgres://… (BOUCLE_STORE)")
	fs.StringVar(&c.Data, "data", env("BOUCLE_DATA"), "data directory: the store and the admin socket (BOUCLE_DATA)")
	fs.StringVar(&c.LogFormat, "log-format", envString(env, "BOUCLE_LOG_FORMAT", "text"), "log format: text or json (BOUCLE_LOG_FORMAT)")
	fs.StringVar(&c.KeyFile, "key-file", env("BOUCLE_KEY_FILE"), "the server's secrets (mode 0600, created on first start); default: "+syncserver.DefaultKeyFile+" in the data directory, outside the store and its backups (BOUCLE_KEY_FILE)")
	fs.StringVar(&c.LogLevel, "log-level", envString(env, "BOUCLE_LOG_LEVEL", "info"), "log level: debug, info, warn or error (BOUCLE_LOG_LEVEL)")
	// serve's flags read the environment here too, so check sees its errors.
	c.Addr = envString(env, "BOUCLE_ADDR", "127.0.0.1:8477")
	c.TLSCert, c.TLSKey = env("BOUCLE_TLS_CERT"), env("BOUCLE_TLS_KEY")
	c.AccessTTL = c.envDuration(env, "BOUCLE_ACCESS_TTL", syncserver.DefaultAccessTTL)
	c.RefreshTTL = c.envDuration(env, "BOUCLE_REFRESH_TTL", syncserver.DefaultRefreshTTL)
	c.RefreshGrace = c.envDuration(env, "BOUCLE_REFRESH_GRACE", syncserver.DefaultRefreshGrace)
	c.MaxClockDrift = c.envDuration(env, "BOUCLE_MAX_CLOCK_DRIFT", syncserver.DefaultMaxClockDrift)
	fs.StringVar(&c.Plant, "plant", envString(env, "BOUCLE_PLANT", syncserver.DefaultPlant), "plant name, in the tokens' plant claim; on PostgreSQL, the plant of the database the command works on (BOUCLE_PLANT)")
	c.TrustedProxies = env("BOUCLE_TRUSTED_PROXIES")
	c.MetricsAddr, c.MetricsToken = env("BOUCLE_METRICS_ADDR"), env("BOUCLE_METRICS_TOKEN")
	c.MemoryLimitMiB = c.envInt(env, "BOUCLE_MEMORY_LIMIT", DefaultMemoryLimitMiB)
	c.PushMemoryMiB = c.envInt(env, "BOUCLE_PUSH_MEMORY", syncserver.DefaultPushMemory>>20)
	c.BlobQuotaMiB = c.envInt(env, "BOUCLE_BLOB_QUOTA", syncserver.DefaultBlobQuota>>20)
	c.BlobTTL = c.envDuration(env, "BOUCLE_UNREFERENCED_BLOB_TTL", syncserver.DefaultUnreferencedBlobTTL)
	c.Dev = envBool(env, "BOUCLE_DEV")
	c.Evidence.fromEnv(env)
}

func serveFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on; 127.0.0.1 only by default, 0.0.0.0:8477 for the plant network (BOUCLE_ADDR)")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "TLS certificate file (PEM); serves HTTPS with --tls-key (BOUCLE_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "TLS private key file (PEM) (BOUCLE_TLS_KEY)")
	fs.DurationVar(&c.AccessTTL, "access-ttl", c.AccessTTL, "access token lifetime, at most 1h (BOUCLE_ACCESS_TTL)")
	fs.DurationVar(&c.RefreshTTL, "refresh-ttl", c.RefreshTTL, "refresh token lifetime, renewed at each use (BOUCLE_REFRESH_TTL)")
	fs.DurationVar(&c.RefreshGrace, "refresh-grace", c.RefreshGrace, "how long a used refresh token is honoured once more, for a workstation whose answer was lost; 0 never (BOUCLE_REFRESH_GRACE)")
	fs.DurationVar(&c.MaxClockDrift, "max-clock-drift", c.MaxClockDrift, "how far ahead of the server's clock a workstation may stamp its events; later ones are refused (BOUCLE_MAX_CLOCK_DRIFT)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "comma-separated proxy addresses whose X-Forwarded-For is believed (BOUCLE_TRUSTED_PROXIES)")
	fs.IntVar(&c.MemoryLimitMiB, "memory-limit", c.MemoryLimitMiB, "soft memory limit of the Go runtime, in MiB; 0: none (BOUCLE_MEMORY_LIMIT; GOMEMLIMIT wins)")
	fs.IntVar(&c.PushMemoryMiB, "push-memory", c.PushMemoryMiB, "bytes of push bodies in flight, server-wide, in MiB; more pushes wait, then get 503 (BOUCLE_PUSH_MEMORY)")
	fs.IntVar(&c.BlobQuotaMiB, "blob-quota", c.BlobQuotaMiB, "evidence no complaint references, per device (else per user), in MiB (BOUCLE_BLOB_QUOTA)")
	fs.DurationVar(&c.BlobTTL, "unreferenced-blob-ttl", c.BlobTTL, "how long evidence no complaint references is kept after its upload (BOUCLE_UNREFERENCED_BLOB_TTL)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "serve /metrics on this address only, not on --addr (BOUCLE_METRICS_ADDR)")
	fs.StringVar(&c.MetricsToken, "metrics-token", c.MetricsToken, "bearer token /metrics asks for; prefer the variable, flags show in ps (BOUCLE_METRICS_TOKEN)")
	fs.BoolVar(&c.Dev, "dev", c.Dev, "development mode: Gin's debug output (BOUCLE_DEV)")
	c.Evidence.flags(fs)
}

func userAddFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Name, "name", "", "display name (required)")
	fs.StringVar(&c.Role, "role", "operator", "operator, engineer, manager or admin")
	fs.StringVar(&c.Station, "station", "", "home station of an operator")
	passwordFlags(fs, c)
}

func passwordFlags(fs *flag.FlagSet, c *config) {
	fs.BoolVar(&c.PasswordStdin, "password-stdin", false, "read the password from the first line of standard input instead of generating one")
}

func reasonFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Reason, "reason", "", "why, recorded in the event")
}

func stationFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Name, "name", "", "station name (required)")
}

func enrolFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Note, "note", "", "what the code is for (kept with it)")
	fs.DurationVar(&c.TTL, "ttl", syncserver.DefaultEnrolmentTTL, "how long the code stays valid")
	fs.StringVar(&c.Replace, "replace", "", "a device id (see device list): the code may also take over that device's workstation data, revoking the device (a workstation set up again from its store)")
}

// check validates the settings that flag parsing cannot.
func (c *config) check() error {
	if len(c.envErrs) > 0 {
		return fmt.Errorf("%s", strings.Join(c.envErrs, "; "))
	}
	if err := c.resolveStore(); err != nil {
		return err
	}
	switch {
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("--log-format must be text or json")
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("--tls-cert and --tls-key go together")
	case c.AccessTTL < time.Second || c.AccessTTL > syncserver.MaxAccessTTL || c.RefreshTTL < c.AccessTTL:
		return fmt.Errorf("--access-ttl must be between 1s and %v, and --refresh-ttl at least the access TTL", syncserver.MaxAccessTTL)
	case c.PushMemoryMiB < 64:
		return fmt.Errorf("--push-memory must be at least 64 (MiB): one push of the largest batch must fit")
	case c.BlobQuotaMiB < 10 || c.BlobTTL < time.Hour:
		return fmt.Errorf("--blob-quota must be at least 10 (MiB, one evidence file) and --unreferenced-blob-ttl at least 1h")
	case c.MemoryLimitMiB < 0:
		return fmt.Errorf("--memory-limit must be 0 (none) or a number of MiB")
	case c.RefreshGrace < 0 || c.RefreshGrace > 5*time.Minute:
		return fmt.Errorf("--refresh-grace must be between 0 (never) and 5m")
	case c.MaxClockDrift < time.Second || c.MaxClockDrift > 24*time.Hour:
		return fmt.Errorf("--max-clock-drift must be between 1s and 24h")
	}
	var lvl slog.Level
	return lvl.UnmarshalText([]byte(c.LogLevel))
}

func (c *config) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// keyFile is the path of the server's key file. A PostgreSQL store has no
// directory to keep it beside: --key-file or --data must name one (the
// secrets never go into the database, whose backups are not theirs).
func (c *config) keyFile() (string, error) {
	if c.KeyFile != "" {
		return c.KeyFile, nil
	}
	if c.Data == "" {
		return "", fmt.Errorf("--store %s: the server's key file is not in the database: pass --key-file FILE (or --data DIR, a directory that keeps it), or set BOUCLE_KEY_FILE", redactStore(c.Store))
	}
	return filepath.Join(c.Data, syncserver.DefaultKeyFile), nil
}

func (c *config) trustedProxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func splitWords(s string) []string { return strings.Fields(s) }

func joinFirst(args []string, n int) string { return strings.Join(args[:min(n, len(args))], " ") }
