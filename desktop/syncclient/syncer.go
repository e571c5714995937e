package syncclient

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"
)

// Config tunes a Syncer. Zero values mean the defaults given.
type Config struct {
	HTTP         ClientOptions  // TLS and timeouts of the HTTP client
	PollInterval time.Duration  // between cycles when all is well; 15 s
	NotifyDelay  time.Duration  // from a local save to its push; 300 ms
	MinBackoff   time.Duration  // first wait after a failure; 1 s
	MaxBackoff   time.Duration  // longest wait after failures; 60 s
	StallAfter   time.Duration  // outbox unmoved while the server answers; 1 min
	PullLimit    int            // events per pulled page; DefaultPullLimit
	Verifier     VerifierParams // cost of the offline sign-in hash
	Now          func() time.Time
	Rand         func() float64 // jitter in [0,1); math/rand/v2 when nil
	Logger       *slog.Logger   // nothing logged when nil
}

// DefaultPullLimit is the page size the Syncer asks for: the server's
// largest. A page is only logged in its transaction (the fold comes at the
// end of the pull), so 5000 events hold the store's writer for tens of
// milliseconds, and fewer pages mean fewer fsync'd commits.
const DefaultPullLimit = syncproto.DefaultPull

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PollInterval, 15*time.Second)
	def(&c.NotifyDelay, 300*time.Millisecond)
	def(&c.MinBackoff, time.Second)
	def(&c.MaxBackoff, time.Minute)
	def(&c.StallAfter, time.Minute)
	if c.PullLimit <= 0 || c.PullLimit > syncproto.MaxBatchEvents {
		c.PullLimit = DefaultPullLimit
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Float64
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

// Syncer keeps one workstation's store in sync with the plant server: it
// holds the device's enrolment and the users' sessions, and its Run loop
// pushes the outbox, uploads evidence and pulls the plant's log. Its
// methods are safe for concurrent use.
type Syncer struct {
	store *boltstore.Store
	cfg   Config

	kick   chan struct{} // SyncNow
	notify chan struct{} // Notify

	authMu  sync.Mutex // serialises refreshes: a refresh token is spent once
	cycleMu sync.Mutex // one cycle at a time: Run's and SyncOnce's

	mu      sync.Mutex
	client  *Client // nil until enrolled
	session *Session
	st      status
	subs    map[int]func(Status)
	nextSub int
}

// New returns a Syncer for the store, enrolled if the store holds a
// device credential. Start its loop with Run.
func New(store *boltstore.Store, cfg Config) (*Syncer, error) {
	s := &Syncer{store: store, cfg: cfg.withDefaults(), kick: make(chan struct{}, 1), notify: make(chan struct{}, 1), subs: map[int]func(Status){}}
	s.st.conflictsDirty = true
	// Pulled timestamps more than hlc.MaxDrift past the server's time (or
	// the local clock, if later) move nothing: one bad clock never moves
	// this one. The server's own time is followed (noteServerTime).
	store.Clock().SetMaxAhead(hlc.MaxDrift)
	var dev boltstore.Device
	_ = store.View(func(tx *boltstore.Tx) error { dev = tx.Device(); return nil })
	if dev.Enrolled() {
		c, err := s.newClient(dev.ServerURL)
		if err != nil {
			return nil, err
		}
		c.SetDevice(dev.ID, dev.Key)
		s.client = c
	}
	return s, nil
}

func (s *Syncer) newClient(serverURL string) (*Client, error) {
	opts := s.cfg.HTTP
	user := opts.OnResponse
	opts.OnResponse = func(status int, t hlc.Timestamp) {
		s.answered(t)
		if user != nil {
			user(status, t)
		}
	}
	return NewClient(serverURL, opts)
}

// currentClient is the client of the enrolled server, nil in standalone mode.
func (s *Syncer) currentClient() *Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client
}

// Store is the store the Syncer keeps in sync.
func (s *Syncer) Store() *boltstore.Store { return s.store }

// SyncNow runs a cycle at once (or right after the one running).
func (s *Syncer) SyncNow() { signal(s.kick) }

// Notify tells the loop that a local save happened: its events are
// pushed shortly, unless the server is unreachable (then at the next
// retry), so that a burst of saves makes one push.
func (s *Syncer) Notify() {
	s.storeChanged()
	signal(s.notify)
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Run syncs until ctx ends: a cycle at once, then one every PollInterval,
// after a failure one after a growing, jittered backoff, and one soon
// after SyncNow or Notify. It returns ctx's error.
func (s *Syncer) Run(ctx context.Context) error {
	b := backoff{min: s.cfg.MinBackoff, max: s.cfg.MaxBackoff, rand: s.cfg.Rand}
	for {
		err := s.runCycle(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait, healthy := s.cfg.PollInterval, err == nil
		switch {
		case errors.Is(err, ErrNotEnrolled):
			wait, healthy = 24*time.Hour, true // until Enrol kicks the loop
		case err != nil:
			wait = max(b.next(), retryAfter(err))
		default:
			b.reset()
		}
		if !s.wait(ctx, wait, healthy) {
			return ctx.Err()
		}
	}
}

// wait sleeps d, cut short by SyncNow, or by Notify when the last cycle
// went well. It returns false when ctx ends.
func (s *Syncer) wait(ctx context.Context, d time.Duration, healthy bool) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	due := time.Now().Add(d)
	for {
		select {
		case <-ctx.Done():
			return false
		case <-s.kick:
			return true
		case <-timer.C:
			return true
		case <-s.notify:
			s.publish() // the pending count changed
			// Only ever brought forward: saves in a row cannot hold the push back.
			if soon := time.Now().Add(s.cfg.NotifyDelay); healthy && soon.Before(due) {
				due = soon
				timer.Reset(s.cfg.NotifyDelay)
			}
		}
	}
}

// SyncOnce runs one cycle now and returns its outcome, waiting for the
// loop's cycle if one is running. For a "sync and wait" button, tools and
// tests; the loop needs no help.
func (s *Syncer) SyncOnce(ctx context.Context) error { return s.runCycle(ctx) }

// runCycle runs one cycle and records its outcome in the status.
func (s *Syncer) runCycle(ctx context.Context) error {
	s.cycleMu.Lock()
	defer s.cycleMu.Unlock()
	s.setSyncing(true)
	err := s.cycle(ctx)
	if ctx.Err() != nil {
		s.setSyncing(false)
		return ctx.Err()
	}
	s.endCycle(err)
	return err
}

// cycle pushes the outbox, uploads the evidence the server may lack, then
// pulls until the server has nothing more.
func (s *Syncer) cycle(ctx context.Context) error {
	c := s.currentClient()
	if c == nil {
		return ErrNotEnrolled
	}
	if err := s.ensureAccess(ctx, c); err != nil {
		return err
	}
	if err := s.pushOutbox(ctx, c); err != nil {
		return err
	}
	if err := s.uploadBlobs(ctx, c); err != nil {
		return err
	}
	return s.pull(ctx, c)
}
