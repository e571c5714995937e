package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"boucle/syncserver"
)

// serving is a running server.
type serving struct {
	log     *slog.Logger
	store   *openedStore
	http    *http.Server
	ln      net.Listener
	stop    context.CancelFunc // ends the admin socket, the sweeper and the server's background work
	stopped chan struct{}      // closed when Serve returns
	bg      sync.WaitGroup     // the sweeper and Server.Run
	metrics *metricsServer     // on --metrics-addr; nil without
	// stopAdmin closes the admin socket and returns once it is gone; nil
	// when it could not be opened.
	stopAdmin func()
}

// shutdownGrace is how long requests in flight get to finish on SIGTERM.
const shutdownGrace = 15 * time.Second

// runServe opens the store (creating the administrator on first start),
// listens, and returns; the server runs until Close.
func (m *Main) runServe(ctx context.Context) error {
	log := m.cfg.logger(m.Stderr)
	applyMemoryLimit(m.cfg.MemoryLimitMiB, m.Getenv, log)
	keyFile, err := m.cfg.keyFile()
	if err != nil {
		return err
	}
	keys, created, err := syncserver.LoadKeyFile(keyFile, time.Now())
	if err != nil {
		return err
	}
	if created {
		log.Info("created the server's key file: keep it out of backups of the store, and back it up apart", "path", keyFile, "kid", keys.Current())
	}
	store, err := m.openServeStore(ctx, log)
	if err != nil {
		return err
	}
	if err := m.withEvidenceBucket(ctx, store, log); err != nil {
		store.Close()
		return err
	}
	srv, err := m.newServer(store, keys, log)
	if err != nil {
		store.Close()
		return err
	}
	ln, err := net.Listen("tcp", m.cfg.Addr)
	if err != nil {
		store.Close()
		return err
	}
	var metrics *metricsServer
	if m.cfg.MetricsAddr != "" {
		if metrics, err = startMetrics(m.cfg.MetricsAddr, srv, log); err != nil {
			ln.Close()
			store.Close()
			return err
		}
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	s := &serving{log: log, store: store, ln: ln, stop: stop, stopped: make(chan struct{}), metrics: metrics,
		http: &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
			WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
			TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
	m.serve = s
	if store.pg == nil { // on PostgreSQL, commands open the database beside the servers
		if s.stopAdmin, err = syncserver.ServeAdmin(bg, m.cfg.Data, srv.Admin(), log); err != nil {
			log.Warn("no admin socket: administration commands need the server stopped", "err", err)
		}
	}
	s.bg.Go(func() { sweep(bg, srv, log) })
	s.bg.Go(func() { srv.Run(bg) }) // effectiveness measured from the data; the reports' dataset
	go s.run(m.cfg.TLSCert, m.cfg.TLSKey)
	log.Info("serving", "addr", ln.Addr().String(), "tls", m.cfg.TLSCert != "", "store", store.name,
		"epoch", srv.Epoch().ID, "plant", m.cfg.Plant, "replica", store.ports.Replica())
	return nil
}

// newServer bootstraps a new plant (printing the administrator's password
// once, on standard output, never in the log) and builds the server.
func (m *Main) newServer(store *openedStore, keys *syncserver.Keyring, log *slog.Logger) (*syncserver.Server, error) {
	metricsElsewhere, warning := m.cfg.metricsElsewhere()
	if warning != "" {
		log.Warn(warning)
	}
	password, err := syncserver.NewAdminOn(store.ports, nil).Bootstrap()
	if err != nil {
		return nil, err
	}
	if password != "" {
		fmt.Fprintf(m.Stdout, "New plant: created the administrator account.\n  login:    admin\n  password: %s\n"+
			"This password is shown only this once. Change it with: boucle-server user reset-password admin %s\n", password, store.flags)
		log.Info("new plant: administrator account created and default categories and severities seeded")
	}
	return syncserver.NewOn(store.ports, syncserver.Config{Plant: m.cfg.Plant, Leadership: store.leadership, AttemptLimits: store.attempts, GroupAttemptLimits: store.groupAttempts, Group: store.group, AccessTTL: m.cfg.AccessTTL, RefreshTTL: m.cfg.RefreshTTL,
		RefreshGrace: refreshGrace(m.cfg.RefreshGrace), MaxClockDrift: m.cfg.MaxClockDrift,
		Keys: keys, TrustedProxies: m.cfg.trustedProxies(), Dev: m.cfg.Dev, Logger: log,
		MetricsToken: m.cfg.MetricsToken, MetricsElsewhere: metricsElsewhere, PushMemory: int64(m.cfg.PushMemoryMiB) << 20,
		BlobQuota: int64(m.cfg.BlobQuotaMiB) << 20, UnreferencedBlobTTL: m.cfg.BlobTTL})
}

func (s *serving) run(cert, key string) {
	defer close(s.stopped)
	var err error
	if cert != "" {
		err = s.http.ServeTLS(s.ln, cert, key)
	} else {
		err = s.http.Serve(s.ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.log.Error("server stopped", "err", err)
	}
}

// close lets requests in flight finish (each push is one transaction:
// either it commits before the store closes, or it never started), then
// closes the store.
func (s *serving) close() error {
	s.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := errors.Join(s.http.Shutdown(ctx), s.metrics.close(ctx))
	if s.stopAdmin != nil {
		s.stopAdmin()
	}
	s.stop()
	<-s.stopped
	s.bg.Wait()
	if cerr := s.store.close(); err == nil {
		err = cerr
	}
	s.log.Info("stopped")
	return err
}

// sweep deletes expired tokens and codes, at start and then hourly.
func sweep(ctx context.Context, srv *syncserver.Server, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := srv.Sweep(); err != nil {
			log.Error("sweep", "err", err)
		} else if n > 0 {
			log.Info("swept expired tokens and codes", "records", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Addr is the address the server listens on (useful with port 0).
func (m *Main) Addr() string {
	if m.serve == nil {
		return ""
	}
	return m.serve.ln.Addr().String()
}

// refreshGrace maps the flag's 0 ("never") to the server's negative.
func refreshGrace(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}
