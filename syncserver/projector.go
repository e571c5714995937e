package syncserver

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// projectorPause is how long pushes must pause before the projector folds
// what they logged. While workstations stream events in, the store's one
// writer serves them; the views catch up on demand (caughtUp) meanwhile.
const projectorPause = 20 * time.Millisecond

// projector folds logged-but-unfolded events (boltstore.Append) into the
// projections when pushes pause: no push in flight, and none ended in the
// last projectorPause. A push in flight counts as not paused, else a step
// would take the store's writer between the pushes of a workstation
// streaming its outbox in, as soon as one push lasts longer than the pause.
type projector struct {
	views    ViewStore
	log      *slog.Logger
	mu       sync.Mutex
	timer    *time.Timer
	lastPush time.Time
	inFlight int // pushes begun and not yet ended
}

func newProjector(views ViewStore, log *slog.Logger) *projector {
	return &projector{views: views, log: log}
}

// begin notes a push in flight; the returned function notes its end and
// arms the timer, however the push ended.
func (p *projector) begin() (end func()) {
	p.mu.Lock()
	p.inFlight++
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.inFlight--
		p.lastPush = time.Now()
		p.arm(projectorPause)
	}
}

// arm (re)starts the timer; the caller holds mu.
func (p *projector) arm(d time.Duration) {
	if p.timer == nil {
		p.timer = time.AfterFunc(d, p.run)
		return
	}
	p.timer.Reset(d)
}

// projectorStep bounds one projection transaction, so that a push
// arriving meanwhile waits for the store's writer at most that long, and
// so that the step's memory stays small beside a push being read: a step
// holds each event decoded, its state and indexes encoded, and their
// pages until it commits, about 80 KB an event with the longest
// descriptions; 2000 events a step took 160 MB (memory.go).
const projectorStep = 500

// run folds one step if pushes have paused, and comes back for the rest;
// while a workstation streams its outbox in, it only waits.
func (p *projector) run() {
	p.mu.Lock()
	if p.inFlight > 0 { // the last push to end arms the timer again
		p.mu.Unlock()
		return
	}
	if quiet := time.Since(p.lastPush); quiet < projectorPause {
		p.arm(projectorPause - quiet)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	remaining, err := p.views.Project(context.Background(), projectorStep) // background work, after the pushes
	switch {
	case err != nil && !p.views.IsClosed(err):
		p.log.Error("projecting pushed events", "err", err)
	case err == nil && remaining > 0:
		p.mu.Lock()
		p.arm(0)
		p.mu.Unlock()
	}
}

// caughtUp makes a view read every logged event: it folds what awaits
// projection first (one read transaction when nothing does).
func (s *Server) caughtUp(c *gin.Context) {
	if err := s.views.CatchUp(c.Request.Context()); err != nil {
		_ = c.Error(err)
		c.Abort()
		return
	}
	c.Next()
}
