package syncclient_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"boucle/desktop/syncclient"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// fastVerifier keeps argon2id cheap in tests; the cost is a parameter,
// the code path is the production one.
var fastVerifier = syncclient.VerifierParams{Time: 1, MemoryKiB: 64, Threads: 1}

// workstation is a store and its Syncer.
type workstation struct {
	tb    testing.TB // the test that owns it
	name  string
	path  string
	store *boltstore.Store
	sync  *syncclient.Syncer
	now   func() time.Time // the workstation's physical clock; time.Now when nil
}

// testConfig is a Config with short waits and a cheap verifier.
func testConfig() syncclient.Config {
	return syncclient.Config{Verifier: fastVerifier, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		NotifyDelay: 20 * time.Millisecond, PollInterval: time.Hour,
		HTTP: syncclient.ClientOptions{DialTimeout: time.Second, RequestTimeout: 20 * time.Second}}
}

// newWorkstation opens a fresh store and its Syncer, not enrolled.
func newWorkstation(tb testing.TB, name string, cfg syncclient.Config) *workstation {
	tb.Helper()
	w := &workstation{name: name, path: filepath.Join(tb.TempDir(), name+".db")}
	w.open(tb, cfg)
	return w
}

// open (re)opens the workstation's store and Syncer; the store stays
// open until the test that created the workstation ends, or close.
func (w *workstation) open(tb testing.TB, cfg syncclient.Config) {
	tb.Helper()
	s, err := boltstore.Open(w.path, boltstore.Options{Now: w.now})
	if err != nil {
		tb.Fatal(err)
	}
	if w.tb == nil {
		w.tb = tb
	}
	w.tb.Cleanup(func() { s.Close() })
	sy, err := syncclient.New(s, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	w.store, w.sync = s, sy
}

// enrolled returns a workstation of station PRESS2 enrolled with the
// server at url.
func enrolled(tb testing.TB, name, url, code string, cfg syncclient.Config) *workstation {
	tb.Helper()
	return enrolledAt(tb, name, "PRESS2", url, code, cfg)
}

func enrolledAt(tb testing.TB, name, station, url, code string, cfg syncclient.Config) *workstation {
	tb.Helper()
	w := newWorkstation(tb, name, cfg)
	if err := w.sync.Enrol(context.Background(), url, code, name, station); err != nil {
		tb.Fatalf("enrol %s: %v", name, err)
	}
	return w
}

func (w *workstation) login(tb testing.TB, login, password string) syncclient.Session {
	tb.Helper()
	s, err := w.sync.Login(context.Background(), login, password)
	if err != nil {
		tb.Fatalf("%s: login %s: %v", w.name, login, err)
	}
	return s
}

// syncOnce runs one cycle and fails the test on an error.
func (w *workstation) syncOnce(tb testing.TB) {
	tb.Helper()
	if err := w.sync.SyncOnce(context.Background()); err != nil {
		tb.Fatalf("%s: sync: %v", w.name, err)
	}
}

func (w *workstation) pending() int {
	n := 0
	_ = w.store.View(func(tx *boltstore.Tx) error { n = tx.OutboxLen(); return nil })
	return n
}

func (w *workstation) logLen() uint64 {
	var n uint64
	_ = w.store.View(func(tx *boltstore.Tx) error { n = tx.LogLen(); return nil })
	return n
}

func (w *workstation) hash() [32]byte { return statesHash(w.store) }

func statesHash(s *boltstore.Store) (h [32]byte) {
	_ = s.View(func(tx *boltstore.Tx) error { h = tx.StatesHash(); return nil })
	return h
}

// fileComplaint records a complaint for the session's user.
func (w *workstation) fileComplaint(tb testing.TB, s syncclient.Session, desc string, attach ...domain.Attachment) string {
	tb.Helper()
	evs, err := w.store.Record(s.Actor(), boltstore.Command{Type: domain.ComplaintFiled, Payload: &domain.ComplaintFiledPayload{
		FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: "BRK-2231", Lot: "L0815", Quantity: 12,
		Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: desc, Attachments: attach}})
	if err != nil {
		tb.Fatalf("%s: file: %v", w.name, err)
	}
	return evs[0].EntityID
}

// postMessages records n messages on a complaint.
func (w *workstation) postMessages(tb testing.TB, s syncclient.Session, id string, n int) {
	tb.Helper()
	cmds := make([]boltstore.Command, n)
	for i := range cmds {
		cmds[i] = boltstore.Command{Type: domain.ComplaintMessagePosted, EntityID: id, Payload: &domain.MessagePayload{Text: fmt.Sprintf("message %d from %s", i, w.name)}}
	}
	if _, err := w.store.Record(s.Actor(), cmds...); err != nil {
		tb.Fatalf("%s: post: %v", w.name, err)
	}
}

// statusLog collects the snapshots a subscription receives.
type statusLog struct {
	mu  sync.Mutex
	all []syncclient.Status
}

func (l *statusLog) add(s syncclient.Status) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, s)
}

func (l *statusLog) snapshots() []syncclient.Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]syncclient.Status(nil), l.all...)
}

// awaitStatus waits until the syncer's status satisfies cond: the current
// status, or one it publishes later. cond may be called from several
// goroutines at once. The bound only turns a hang into a failure.
func awaitStatus(tb testing.TB, s *syncclient.Syncer, what string, cond func(syncclient.Status) bool) {
	tb.Helper()
	met := make(chan struct{})
	var once sync.Once
	cancel := s.Subscribe(func(st syncclient.Status) {
		if cond(st) {
			once.Do(func() { close(met) })
		}
	})
	defer cancel()
	if cond(s.Status()) {
		return
	}
	select {
	case <-met:
	case <-time.After(2 * time.Minute):
		tb.Fatalf("after 2 min: %s", what)
	}
}

// fakeClock is a settable clock for the watchdog.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// diffStates describes the first entity whose folded state differs
// between two stores, to explain a hash mismatch.
func diffStates(a, b *boltstore.Store) string {
	read := func(s *boltstore.Store) map[string]string {
		out := map[string]string{}
		_ = s.View(func(tx *boltstore.Tx) error {
			return tx.Bolt().Bucket([]byte("states")).ForEach(func(k, v []byte) error {
				out[string(k)] = string(v)
				return nil
			})
		})
		return out
	}
	sa, sb := read(a), read(b)
	var diffs []string
	for k, va := range sa {
		if vb, ok := sb[k]; !ok || va != vb {
			diffs = append(diffs, fmt.Sprintf("%q:\n  %s\n  %s", k, va, vb))
		}
	}
	for k := range sb {
		if _, ok := sa[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%q only in the second store", k))
		}
	}
	slices.Sort(diffs)
	return fmt.Sprintf("%d entities differ; %s", len(diffs), strings.Join(diffs[:min(2, len(diffs))], "\n"))
}
