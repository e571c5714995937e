package syncclient_test

// End-to-end tests: the real boucle-server binary (built by TestMain) on
// 127.0.0.1, port 0, in a temporary directory, and workstation stores
// syncing through it, some behind a proxy that plays a failing network.
// Each test has its own server, so they run in parallel.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"boucle/desktop/syncclient"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/google/uuid"
)

// plant is a real server with three stations and four users.
type plant struct {
	srv *realServer
	db  string // the PostgreSQL database's URL; "" on bbolt
}

var plantUsers = []struct{ login, role, station string }{
	{"op1", "operator", "PRESS2"}, {"op2", "operator", "CUT1"}, {"eng1", "engineer", ""}, {"eng2", "engineer", ""},
}

// password is a user's password in the test plants (10 characters at least).
func password(login string) string { return login + "-long-secret" }

// newPlant starts the real server on a bbolt store (onEachStore's tests
// use serverStore.plant instead).
func newPlant(t *testing.T, serveFlags ...string) *plant {
	t.Helper()
	needServer(t)
	return plantOn(t, startServer(t, t.TempDir(), serveFlags...))
}

// plantOn gives a started server the test plant's stations and users.
func plantOn(t *testing.T, srv *realServer) *plant {
	t.Helper()
	for _, st := range []struct{ code, name string }{{"PRESS2", "Press 2"}, {"CUT1", "Cutting 1"}, {"PAINT", "Paint shop"}} {
		srv.mustAdmin("", "station", "add", st.code, "--name", st.name)
	}
	for _, u := range plantUsers {
		srv.addUser(u.login, u.role, u.station, password(u.login))
	}
	return &plant{srv: srv}
}

// workstation enrols a new workstation, reaching the server through
// proxy when it is not nil.
func (p *plant) workstation(t *testing.T, name string, proxy *flakyProxy, cfg syncclient.Config) *workstation {
	t.Helper()
	url := p.srv.URL()
	if proxy != nil {
		url = proxy.URL()
	}
	return enrolled(t, name, url, p.srv.enrolmentCode(), cfg)
}

// signedIn returns an enrolled workstation with login signed in and the
// plant's reference data pulled.
func (p *plant) signedIn(t *testing.T, name, login string, proxy *flakyProxy) (*workstation, syncclient.Session) {
	t.Helper()
	w := p.workstation(t, name, proxy, testConfig())
	s := w.login(t, login, password(login))
	w.syncOnce(t)
	return w, s
}

// serverState asks the server what it holds, as the workstation w.
func serverState(t *testing.T, w *workstation, url string) syncproto.ServerState {
	t.Helper()
	c, err := syncclient.NewClient(url, syncclient.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var dev boltstore.Device
	_ = w.store.View(func(tx *boltstore.Tx) error { dev = tx.Device(); return nil })
	c.SetDevice(dev.ID, dev.Key)
	tokens, err := c.Login(context.Background(), "eng1", password("eng1"))
	if err != nil {
		t.Fatal(err)
	}
	c.SetAccessToken(tokens.AccessToken)
	st, err := c.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// serverHash stops the server and hashes its projections, once the
// events it logged without folding (its projector's backlog) are folded.
func (p *plant) serverHash(t *testing.T) [32]byte {
	t.Helper()
	p.srv.stop()
	if p.db != "" {
		return p.postgresHash(t)
	}
	s := p.serverStore(t)
	defer s.Close()
	return statesHash(s)
}

// serverStore opens the stopped server's bbolt store, its backlog folded.
func (p *plant) serverStore(t *testing.T) *boltstore.Store {
	t.Helper()
	s := openStore(t, p.srv.storePath(), "")
	if err := s.CatchUp(); err != nil {
		t.Fatal(err)
	}
	return s
}

// (a) Three workstations record events while going offline at random for
// several rounds; once all are back, every workstation and the server
// hold the same projections.
func TestE2EConvergesAfterRandomOutages(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		var desks []*desk
		for i, login := range []string{"op1", "eng1", "eng2"} {
			proxy := newProxy(t, p.srv.URL())
			w, s := p.signedIn(t, fmt.Sprintf("ws%d", i+1), login, proxy)
			desks = append(desks, &desk{w: w, proxy: proxy, login: login, sess: s, rng: rand.New(rand.NewPCG(seed, uint64(i))), index: i})
		}
		offline := 0
		for round := range 8 {
			errs := make(chan error, len(desks))
			var wg sync.WaitGroup
			for _, d := range desks {
				wg.Go(func() {
					if err := d.round(round); err != nil {
						errs <- fmt.Errorf("%s, round %d: %w", d.w.name, round, err)
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for _, d := range desks {
				if d.offline {
					offline++
				}
			}
		}
		t.Logf("%d offline rounds of %d", offline, 8*len(desks))
		for _, d := range desks {
			d.proxy.setOffline(false)
		}
		for range 2 { // the first pass pushes everything, the second pulls it
			for _, d := range desks {
				d.w.syncOnce(t)
			}
		}
		want := desks[0].w.hash()
		t.Logf("%d events, %d entities with concurrent writes to settle", desks[0].w.logLen(), desks[0].w.sync.Status().OpenConflicts)
		for _, d := range desks {
			st := d.w.sync.Status()
			if st.Pending != 0 || len(st.Rejected) != 0 || d.w.hash() != want {
				t.Fatalf("%s: pending %d, rejected %+v, converged %v", d.w.name, st.Pending, st.Rejected, d.w.hash() == want)
			}
		}
		if p.serverHash(t) != want {
			if p.db != "" {
				t.Fatal("the server's projections (PostgreSQL) differ from the workstations'")
			}
			s := p.serverStore(t)
			t.Fatalf("the server's projections differ from the workstations': %s", diffStates(s, desks[0].w.store))
		}
	})
}

// desk is a workstation and the person at it, in the random-outage test.
type desk struct {
	w       *workstation
	proxy   *flakyProxy
	login   string
	sess    syncclient.Session
	rng     *rand.Rand
	index   int
	offline bool
}

// round goes offline or not, maybe changes shift (a new sign-in, offline
// when the network is down), records a few events and tries to sync.
func (d *desk) round(n int) error {
	ctx := context.Background()
	d.offline = n > 0 && (d.rng.Float64() < 0.4 || n == 1+d.index) // each desk goes offline at least once
	d.proxy.setOffline(d.offline)
	if d.rng.Float64() < 0.3 {
		s, err := d.w.sync.Login(ctx, d.login, password(d.login))
		if err != nil || s.Online == d.offline {
			return fmt.Errorf("sign-in (offline %v): online %v, %v", d.offline, s.Online, err)
		}
		d.sess = s
	}
	if err := d.record(); err != nil {
		return err
	}
	err := d.w.sync.SyncOnce(ctx)
	switch {
	case d.offline && !syncclient.IsOffline(err):
		return fmt.Errorf("sync while offline: %v", err)
	case !d.offline && err != nil:
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}

// record files complaints (operators) or handles them (engineers).
func (d *desk) record() error {
	if d.sess.User.Role == domain.RoleOperator {
		for range 1 + d.rng.IntN(2) {
			if _, err := d.w.store.Record(d.sess.Actor(), boltstore.Command{Type: domain.ComplaintFiled, Payload: &domain.ComplaintFiledPayload{
				FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: fmt.Sprintf("P-%d", d.rng.IntN(100)), Quantity: 1 + d.rng.IntN(50),
				Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "found at incoming inspection"}}); err != nil {
				return err
			}
		}
	}
	rows, err := d.complaints()
	if err != nil {
		return err
	}
	for _, r := range rows {
		if d.rng.Float64() < 0.5 {
			continue
		}
		if err := d.handle(r); err != nil && domain.ErrorCode(err) != domain.EConflict {
			return fmt.Errorf("%s on %s: %w", d.login, r.Number, err)
		}
	}
	return nil
}

func (d *desk) complaints() ([]boltstore.ComplaintRow, error) {
	var page boltstore.ComplaintPage
	err := d.w.store.View(func(tx *boltstore.Tx) (err error) {
		page, err = tx.ListComplaints(boltstore.ComplaintFilter{Limit: 30})
		return err
	})
	return page.Rows, err
}

// handle records one event on a complaint: engineers acknowledge new
// ones and (re)assign the others, which makes concurrent writes between
// the two engineers' workstations; everyone posts messages.
func (d *desk) handle(r boltstore.ComplaintRow) error {
	cmd := boltstore.Command{Type: domain.ComplaintMessagePosted, EntityID: r.ID, Payload: &domain.MessagePayload{Text: "update from " + d.login}}
	if d.sess.User.Role == domain.RoleEngineer {
		switch {
		case r.Status == domain.StatusNew:
			cmd = boltstore.Command{Type: domain.ComplaintAcknowledged, EntityID: r.ID, Payload: &domain.AcknowledgePayload{
				Deadline: time.Now().Add(time.Duration(24+d.rng.IntN(100)) * time.Hour).UTC().Truncate(time.Second), Assignee: d.login}}
		case d.rng.Float64() < 0.5:
			cmd = boltstore.Command{Type: domain.ComplaintAssigned, EntityID: r.ID, Payload: &domain.AssignPayload{Assignee: d.login}}
		}
	}
	_, err := d.w.store.Record(d.sess.Actor(), cmd)
	return err
}

// (b) A push whose answer is lost is retried; the server keeps each
// event once.
func TestE2ELostAnswerRetryCreatesNoDuplicate(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		proxy := newProxy(t, p.srv.URL())
		w, s := p.signedIn(t, "ws1", "op1", proxy)
		id := w.fileComplaint(t, s, "burrs")
		w.postMessages(t, s, id, 49)
		before := serverState(t, w, p.srv.URL())
		proxy.dropAnswers(syncproto.RoutePush, 1)
		if err := w.sync.SyncOnce(context.Background()); !syncclient.IsOffline(err) || w.pending() != 50 {
			t.Fatalf("lost answer: %v, pending %d", err, w.pending())
		}
		if mid := serverState(t, w, p.srv.URL()); mid.LogLen != before.LogLen+50 {
			t.Fatalf("the server did not apply the push whose answer was lost: %d → %d", before.LogLen, mid.LogLen)
		}
		w.syncOnce(t)
		after := serverState(t, w, p.srv.URL())
		if w.pending() != 0 || after.LogLen != before.LogLen+50 || after.Replicas[w.store.Replica()] != 50 {
			t.Fatalf("after the retry: pending %d, server log %d → %d, replica at %d", w.pending(), before.LogLen, after.LogLen, after.Replicas[w.store.Replica()])
		}
	})
}

// (c) The server killed (SIGKILL) while it receives or applies a big push
// keeps the batch whole or not at all; after a restart the workstation
// completes it. Three kills, each at a moment the test waits for, never at
// a delay: a kill timer can fire after the restart and kill the new server.
func TestE2EServerKilledDuringPushKeepsBatchWhole(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t, "--log-level", "debug") // debug: the server logs "push received"
		proxy := newProxy(t, p.srv.URL())
		w, s := p.signedIn(t, "ws1", "op1", proxy)
		const absent, whole, either = "absent", "whole", "absent or whole"
		moments := []struct {
			name string
			arm  func() <-chan struct{} // arms the kill; closed once it is over
			want string
		}{
			{"with half the batch uploaded", func() <-chan struct{} { return proxy.at(syncproto.RoutePush, halfSent, p.srv.kill) }, absent},
			{"once the server has read the batch", func() <-chan struct{} { return p.srv.onLog("push received", p.srv.kill) }, either},
			{"with the answer on its way back", func() <-chan struct{} { return proxy.at(syncproto.RoutePush, answered, p.srv.kill) }, whole},
		}
		pushed := uint64(0)
		for _, m := range moments {
			id := w.fileComplaint(t, s, "big batch")
			w.postMessages(t, s, id, syncproto.MaxBatchEvents-1)
			before := serverState(t, w, p.srv.URL())
			killed := m.arm()
			err := w.sync.SyncOnce(context.Background())
			select {
			case <-killed:
			case <-time.After(2 * time.Minute): // a bound for a failure, not a wait for success
				t.Fatalf("killing %s: the moment never came (sync: %v)", m.name, err)
			}
			p.srv.restart()
			after := serverState(t, w, p.srv.URL())
			got, grown := after.Replicas[w.store.Replica()]-pushed, after.LogLen-before.LogLen
			outcome := ""
			switch {
			case got == 0 && grown == 0:
				outcome = absent
			case got == syncproto.MaxBatchEvents && grown == syncproto.MaxBatchEvents:
				outcome = whole
			default:
				t.Fatalf("killed %s: half a batch, replica moved by %d, log grew by %d", m.name, got, grown)
			}
			t.Logf("killed %s (sync: %v): the batch is %s", m.name, err, outcome)
			if m.want != either && outcome != m.want {
				t.Fatalf("killed %s: the batch is %s, want %s", m.name, outcome, m.want)
			}
			w.syncOnce(t)
			pushed += syncproto.MaxBatchEvents
			if final := serverState(t, w, p.srv.URL()); final.Replicas[w.store.Replica()] != pushed || w.pending() != 0 {
				t.Fatalf("after the restart: replica at %d, want %d; pending %d", final.Replicas[w.store.Replica()], pushed, w.pending())
			}
		}
	})
}

// (d) A workstation stopped in the middle of a pull (its context
// cancelled, its store closed between pages) resumes from its cursor:
// nothing missing, nothing twice.
func TestE2EPullResumesAfterTheWorkstationStops(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		a := p.history(t, 40, 300)

		cfg := testConfig()
		cfg.PullLimit = 1000
		b := p.workstation(t, "ws2", nil, cfg)
		b.login(t, "eng1", password("eng1"))
		ctx, cancel := context.WithCancel(context.Background())
		b.sync.Subscribe(func(s syncclient.Status) {
			if s.Progress.Pulled >= 4000 {
				cancel()
			}
		})
		if err := b.sync.SyncOnce(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("stopped pull: %v", err)
		}
		var cur syncproto.Cursor
		_ = b.store.View(func(tx *boltstore.Tx) error { cur, _ = syncproto.ParseCursor(tx.Cursor()); return nil })
		total := serverState(t, a, p.srv.URL()).LogLen
		if cur.Seq < 4000 || cur.Seq >= total || b.logLen() != cur.Seq {
			t.Fatalf("stopped at cursor %d with %d events here, server %d", cur.Seq, b.logLen(), total)
		}
		b.store.Close()
		b.open(t, cfg)
		b.syncOnce(t)
		a.syncOnce(t)
		if b.logLen() != total || b.hash() != a.hash() {
			t.Fatalf("resumed: %d events here, server %d, same projections %v", b.logLen(), total, b.hash() == a.hash())
		}
	})
}

// (g) The server killed (SIGKILL) while its answer to a pull page is on
// its way: the page is lost with it. After the restart the workstation
// asks again from the cursor it saved, and ends with every event of the
// server's log exactly once.
func TestE2EServerKilledDuringPullResumesFromItsCursor(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		a := p.history(t, 6, 500)

		proxy := newProxy(t, p.srv.URL())
		cfg := testConfig()
		cfg.PullLimit = 500
		b := p.workstation(t, "ws2", proxy, cfg)
		b.login(t, "eng1", password("eng1"))
		killed := proxy.atRequest(syncproto.RoutePull, 3, answered, p.srv.kill) // two pages of 500 pulled, the third lost
		err := b.sync.SyncOnce(context.Background())
		select {
		case <-killed:
		case <-time.After(2 * time.Minute): // a bound for a failure, not a wait for success
			t.Fatalf("the kill never came (sync: %v)", err)
		}
		var cur syncproto.Cursor
		_ = b.store.View(func(tx *boltstore.Tx) error { cur, _ = syncproto.ParseCursor(tx.Cursor()); return nil })
		if !syncclient.IsOffline(err) || cur.Seq == 0 || b.logLen() != cur.Seq {
			t.Fatalf("killed mid-pull: sync %v, cursor %d, %d events here", err, cur.Seq, b.logLen())
		}
		p.srv.restart()
		proxy.asked(syncproto.RoutePull)
		b.syncOnce(t)
		if asked := proxy.asked(syncproto.RoutePull); len(asked) == 0 || !strings.Contains(asked[0], "cursor="+url.QueryEscape(cur.String())) {
			t.Fatalf("after the restart the pull asked %q first, want the saved cursor %s", asked[:min(1, len(asked))], cur)
		}
		total := serverState(t, a, p.srv.URL()).LogLen
		if b.logLen() != total || b.hash() != a.hash() {
			t.Fatalf("resumed: %d events here, server %d, same projections %v", b.logLen(), total, b.hash() == a.hash())
		}
		seen := map[uuid.UUID]bool{}
		_ = b.store.View(func(tx *boltstore.Tx) error {
			logged, _, err := tx.LogAfter(0, int(total)+1)
			for _, l := range logged {
				if seen[l.Event.ID] {
					t.Errorf("event %s logged twice", l.Event.ID)
				}
				seen[l.Event.ID] = true
			}
			return err
		})
	})
}

// history gives the server a log to pull: a workstation of op1 files
// complaints, each with its messages (events in all), and pushes them.
// It returns that workstation.
func (p *plant) history(t *testing.T, complaints, events int) *workstation {
	t.Helper()
	a, sa := p.signedIn(t, "ws1", "op1", nil)
	for i := range complaints {
		id := a.fileComplaint(t, sa, fmt.Sprintf("case %d", i))
		a.postMessages(t, sa, id, events-1)
	}
	a.syncOnce(t)
	return a
}

// (e) An access token that expires with 500 events queued: all are
// uploaded after the refresh.
func TestE2EExpiredTokenRefreshedWith500Queued(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		ttl := 2 * time.Second
		p := on.plant(t, "--access-ttl", ttl.String())
		w, s := p.signedIn(t, "ws1", "op1", nil)
		id := w.fileComplaint(t, s, "dent")
		w.postMessages(t, s, id, 499)
		time.Sleep(ttl + 1500*time.Millisecond)
		w.syncOnce(t)
		st := w.sync.Status()
		if st.Pending != 0 || st.SignInNeeded || st.LastError != "" {
			t.Fatalf("status after the refresh: %+v", st)
		}
		if got := serverState(t, w, p.srv.URL()).Replicas[w.store.Replica()]; got != 500 {
			t.Fatalf("server holds %d of the workstation's events", got)
		}
	})
}

// A server restored from a backup begins a new epoch: each workstation
// pushes again the events of its own that it lost (never another's, even
// those it holds), and everyone converges once all are back.
func TestE2ERestoreFromBackup(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		a, sa := p.signedIn(t, "ws1", "op1", nil)
		b, sb := p.signedIn(t, "ws2", "eng1", nil)
		restore := p.backup(t)

		id := a.fileComplaint(t, sa, "lost in the restore")
		a.postMessages(t, sa, id, 5)
		a.syncOnce(t)
		b.syncOnce(t)
		b.postMessages(t, sb, id, 3) // b's events reach the server and a, then the server loses them
		b.syncOnce(t)
		a.syncOnce(t)
		b.store.Close() // b is off during the restore: its events wait for it

		p.srv.stop()
		restore()
		p.srv.restart()
		resync(t, a, "op1")
		if st := serverState(t, a, p.srv.URL()); st.Replicas[a.store.Replica()] != 6 || st.Replicas[b.store.Replica()] != 0 || st.LogLen != a.logLen()-3 {
			t.Fatalf("after a's sync the server holds %d of a's and %d of b's events, log %d (a: %d)",
				st.Replicas[a.store.Replica()], st.Replicas[b.store.Replica()], st.LogLen, a.logLen())
		}
		b.open(t, testConfig())
		resync(t, b, "eng1")
		resync(t, a, "op1")
		if a.hash() != b.hash() || a.sync.Status().Pending != 0 || b.sync.Status().Pending != 0 {
			t.Fatal("the workstations did not converge after the restore")
		}
		if p.serverHash(t) != a.hash() {
			t.Fatal("the restored server did not get back what it lost")
		}
	})
}

// resync syncs once, signing in again if the restored server no longer
// knows the session (refresh tokens issued after the backup are gone).
func resync(t *testing.T, w *workstation, login string) {
	t.Helper()
	err := w.sync.SyncOnce(context.Background())
	if errors.Is(err, syncclient.ErrSignInNeeded) {
		w.login(t, login, password(login))
		err = w.sync.SyncOnce(context.Background())
	}
	if err != nil {
		t.Fatalf("%s: sync after the restore: %v", w.name, err)
	}
}
