package syncclient_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"boucle/desktop/syncclient"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

func TestEnrol(t *testing.T) {
	f := newFakeServer(t)
	t.Run("OK", func(t *testing.T) {
		w := enrolled(t, "ws1", f.URL(), enrolmentCode, testConfig())
		var dev boltstore.Device
		var epoch string
		_ = w.store.View(func(tx *boltstore.Tx) error { dev, epoch = tx.Device(), tx.ServerEpoch(); return nil })
		if !dev.Enrolled() || dev.ServerURL != f.URL() || dev.ID != "dev-"+w.store.Replica() || epoch != "e1" {
			t.Fatalf("device %+v, epoch %q", dev, epoch)
		}
		if !w.sync.Status().Enrolled {
			t.Fatal("status does not say enrolled")
		}
		// A restart finds the enrolment in the store.
		sy, err := syncclient.New(w.store, testConfig())
		if err != nil || !sy.Status().Enrolled {
			t.Fatalf("after restart: enrolled=%v, %v", sy.Status().Enrolled, err)
		}
	})
	t.Run("ErrWrongCode", func(t *testing.T) {
		w := newWorkstation(t, "ws2", testConfig())
		err := w.sync.Enrol(context.Background(), f.URL(), "WRONG", "ws2", "PRESS2")
		if domain.ErrorCode(err) != domain.EUnauthorized || w.sync.Status().Enrolled {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrNotEnrolled", func(t *testing.T) {
		w := newWorkstation(t, "ws3", testConfig())
		if err := w.sync.SyncOnce(context.Background()); !errors.Is(err, syncclient.ErrNotEnrolled) {
			t.Fatalf("sync before enrolment: %v", err)
		}
	})
}

func TestLogin(t *testing.T) {
	f := newFakeServer(t)
	w := enrolled(t, "ws1", f.URL(), enrolmentCode, testConfig())
	sess := w.login(t, "op1", "op1-secret")
	if !sess.Online || sess.User.Role != domain.RoleOperator || sess.Actor().Login != "op1" {
		t.Fatalf("session = %+v", sess)
	}
	t.Run("VerifierIsNotThePassword", func(t *testing.T) {
		w.store.Close()
		raw, err := os.ReadFile(w.path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("op1-secret")) {
			t.Fatal("the password is in the store file")
		}
		w.open(t, testConfig())
	})
	t.Run("OfflineOK", func(t *testing.T) {
		s, err := w.sync.LoginOffline("op1", "op1-secret")
		if err != nil || s.Online || s.User.Login != "op1" {
			t.Fatalf("offline session %+v, %v", s, err)
		}
		if cur, ok := w.sync.Session(); !ok || cur.User.Login != "op1" {
			t.Fatalf("current session %+v %v", cur, ok)
		}
	})
	t.Run("ErrOfflineWrongPassword", func(t *testing.T) {
		if _, err := w.sync.LoginOffline("op1", "op1-wrong"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrOfflineUnknownUser", func(t *testing.T) {
		if _, err := w.sync.LoginOffline("eng1", "eng1-secret"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("a user who never signed in online here got in: %v", err)
		}
	})
	t.Run("ErrOnlineWrongPassword", func(t *testing.T) {
		if _, err := w.sync.Login(context.Background(), "op1", "nope"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("CheckPassword", func(t *testing.T) {
		if err := w.sync.CheckPassword("op1", "op1-secret"); err != nil {
			t.Fatal(err)
		}
		if err := w.sync.CheckPassword("op1", "x"); err == nil {
			t.Fatal("wrong password accepted")
		}
	})
}

func TestLoginFallsBackOfflineWhenServerIsDown(t *testing.T) {
	f := newFakeServer(t)
	w := enrolled(t, "ws1", f.URL(), enrolmentCode, testConfig())
	w.login(t, "op1", "op1-secret")
	f.srv.Close()
	s, err := w.sync.Login(context.Background(), "op1", "op1-secret")
	if err != nil || s.Online {
		t.Fatalf("session %+v, %v", s, err)
	}
}

func TestOfflineLoginRefusesDisabledUser(t *testing.T) {
	f := newFakeServer(t)
	w := enrolled(t, "ws1", f.URL(), enrolmentCode, testConfig())
	w.login(t, "op1", "op1-secret")
	if _, err := f.store.Record(admin, boltstore.Command{Type: domain.UserDisabled, EntityID: "op1", Payload: &domain.ReasonPayload{Reason: "left the plant"}}); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.hwm = replicas(f.store)
	f.mu.Unlock()
	w.syncOnce(t)
	if _, err := w.sync.LoginOffline("op1", "op1-secret"); domain.ErrorCode(err) != domain.EForbidden {
		t.Fatalf("disabled user signed in offline: %v", err)
	}
}

func TestPushAndPullConverge(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	b := enrolled(t, "b", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t) // reference data first
	id := a.fileComplaint(t, sa, "burrs on the inner edge")
	a.postMessages(t, sa, id, 3)
	if st := a.sync.Status(); st.Pending != 4 {
		t.Fatalf("pending before sync = %d", st.Pending)
	}
	a.syncOnce(t)
	b.login(t, "eng1", "eng1-secret")
	b.syncOnce(t)
	a.syncOnce(t)
	st := a.sync.Status()
	if st.Pending != 0 || !st.Online || st.LastError != "" || st.LastSuccess.IsZero() {
		t.Fatalf("status after sync = %+v", st)
	}
	if a.hash() != b.hash() || a.hash() != statesHash(f.store) {
		t.Fatal("workstations and server hold different states")
	}
}

func TestRejectedEventsAreKeptAndNotRetried(t *testing.T) {
	f := newFakeServer(t)
	f.reject = func(e *domain.Event) (domain.Code, string, bool) {
		return domain.EForbidden, "station closed", e.Type == domain.ComplaintMessagePosted
	}
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	id := a.fileComplaint(t, sa, "scratch")
	a.postMessages(t, sa, id, 2)
	a.syncOnce(t)
	st := a.sync.Status()
	if st.Pending != 0 || len(st.Rejected) != 2 || st.Rejected[0].Reason != "station closed" || st.Rejected[0].Code != domain.EForbidden {
		t.Fatalf("status = %+v", st)
	}
	pushes := f.count(syncproto.RoutePush)
	a.syncOnce(t)
	if f.count(syncproto.RoutePush) != pushes {
		t.Fatal("rejected events were pushed again")
	}
	if a.hash() != statesHash(f.store) {
		t.Fatal("the workstation still folds the refused events")
	}
}

func TestExpiredAccessTokenIsRefreshed(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	id := a.fileComplaint(t, sa, "dent")
	a.postMessages(t, sa, id, 499)
	f.expireAccessTokens()
	a.syncOnce(t)
	if a.pending() != 0 || f.refreshes == 0 {
		t.Fatalf("pending %d after %d refreshes", a.pending(), f.refreshes)
	}
	if got := a.sync.Status(); got.SignInNeeded {
		t.Fatal("sign-in asked although the refresh worked")
	}
}

func TestRefreshTokenSurvivesRestart(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	a.fileComplaint(t, sa, "dent")
	a.store.Close()
	a.open(t, testConfig()) // the app restarts: no access token in memory
	if _, err := a.sync.LoginOffline("op1", "op1-secret"); err != nil {
		t.Fatal(err)
	}
	a.syncOnce(t)
	if a.pending() != 0 {
		t.Fatal("events not pushed after a restart")
	}
}

func TestRefusedRefreshKeepsEventsAndAsksSignIn(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	a.fileComplaint(t, sa, "dent")
	f.revokeAll()
	err := a.sync.SyncOnce(context.Background())
	st := a.sync.Status()
	if !errors.Is(err, syncclient.ErrSignInNeeded) || !st.SignInNeeded || st.Pending != 1 || st.LastError == "" {
		t.Fatalf("err %v, status %+v", err, st)
	}
	a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	if st := a.sync.Status(); st.SignInNeeded || st.Pending != 0 {
		t.Fatalf("after signing in again: %+v", st)
	}
}

func TestLogoutRevokesAndKeepsEvents(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	a.fileComplaint(t, sa, "dent")
	if err := a.sync.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.sync.Session(); ok {
		t.Fatal("session kept after logout")
	}
	f.mu.Lock()
	live := len(f.refresh)
	f.mu.Unlock()
	if live != 0 {
		t.Fatalf("%d refresh tokens still live on the server", live)
	}
	if err := a.sync.SyncOnce(context.Background()); !errors.Is(err, syncclient.ErrSignInNeeded) || a.pending() != 1 {
		t.Fatalf("sync after logout: %v, pending %d", err, a.pending())
	}
	if _, err := a.sync.LoginOffline("op1", "op1-secret"); err != nil {
		t.Fatalf("offline sign-in after logout: %v", err)
	}
}

func TestLostResponseRetryCreatesNoDuplicate(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	id := a.fileComplaint(t, sa, "dent")
	a.postMessages(t, sa, id, 9)
	before := f.logLen()
	dropped := false
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != syncproto.Prefix+syncproto.RoutePush || dropped {
			return false
		}
		dropped = true
		f.syncRoute(httptest.NewRecorder(), r, syncproto.RoutePush) // applied, then the answer is lost
		hijackAndClose(w)
		return true
	})
	err := a.sync.SyncOnce(context.Background())
	if !syncclient.IsOffline(err) || a.pending() != 10 || f.logLen() != before+10 {
		t.Fatalf("first attempt: %v, pending %d, server log +%d", err, a.pending(), f.logLen()-before)
	}
	a.syncOnce(t)
	if a.pending() != 0 || f.logLen() != before+10 {
		t.Fatalf("retry: pending %d, server log +%d", a.pending(), f.logLen()-before)
	}
}

func hijackAndClose(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestOfflineIsQuiet(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	f.srv.Close()
	err := a.sync.SyncOnce(context.Background())
	st := a.sync.Status()
	if !syncclient.IsOffline(err) || st.Online || st.LastError != "" || st.Stalled {
		t.Fatalf("err %v, status %+v", err, st)
	}
}

func TestGapIsFilledFromTheLog(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	backup := f.backup()
	id := a.fileComplaint(t, sa, "dent")
	a.postMessages(t, sa, id, 4)
	a.syncOnce(t)
	// Restored by mistake under the same epoch: the server lacks the five
	// acknowledged events, and answers the next push with 409.
	f.restore(backup, "e1")
	a.postMessages(t, sa, id, 1)
	a.syncOnce(t)
	if a.pending() != 0 || a.hash() != statesHash(f.db()) {
		t.Fatalf("pending %d, converged %v", a.pending(), a.hash() == statesHash(f.db()))
	}
}

// After a restore each workstation pushes again its own events only: a
// relays none of b's, which come back when b does.
func TestEpochChangeRepushesOwnEventsOnly(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	b := enrolled(t, "b", f.URL(), enrolmentCode, testConfig())
	sa, sb := a.login(t, "op1", "op1-secret"), b.login(t, "eng1", "eng1-secret")
	a.syncOnce(t)
	b.syncOnce(t)
	backup := f.backup()
	id := a.fileComplaint(t, sa, "dent")
	a.syncOnce(t)
	b.syncOnce(t)
	b.postMessages(t, sb, id, 3)
	b.syncOnce(t)
	a.syncOnce(t) // a now holds b's messages
	b.store.Close()

	f.restore(backup, "e2") // both workstations' events after the backup are lost
	a.postMessages(t, sa, id, 1)
	a.syncOnce(t)
	var epoch, cursor string
	_ = a.store.View(func(tx *boltstore.Tx) error { epoch, cursor = tx.ServerEpoch(), tx.Cursor(); return nil })
	if epoch != "e2" || cursor == "" || a.pending() != 0 {
		t.Fatalf("epoch %q cursor %q pending %d", epoch, cursor, a.pending())
	}
	// The server has a's events back, not b's: a keeps them in its log
	// until b pushes them again.
	if got := replicas(f.db())[b.store.Replica()]; got != 0 || f.logLen() != a.logLen()-3 {
		t.Fatalf("server holds %d of b's events, %d events (a: %d)", got, f.logLen(), a.logLen())
	}
	b.open(t, testConfig()) // b comes back and pushes its own
	b.login(t, "eng1", "eng1-secret")
	b.syncOnce(t)
	a.syncOnce(t)
	if b.hash() != a.hash() || a.hash() != statesHash(f.db()) || f.logLen() != a.logLen() {
		t.Fatal("the workstations and the server did not converge after b came back")
	}
}

func TestPullResumesFromItsCursor(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	id := a.fileComplaint(t, sa, "dent")
	a.postMessages(t, sa, id, 12_000)
	a.syncOnce(t)

	cfg := testConfig()
	cfg.PullLimit = 1000
	b := enrolled(t, "b", f.URL(), enrolmentCode, cfg)
	b.login(t, "eng1", "eng1-secret")
	ctx, cancel := context.WithCancel(context.Background())
	var log statusLog
	b.sync.Subscribe(func(s syncclient.Status) {
		log.add(s)
		if s.Progress.Pulled >= 3000 {
			cancel() // the workstation is stopped in the middle of the pull
		}
	})
	if err := b.sync.SyncOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted pull: %v", err)
	}
	var cur syncproto.Cursor
	_ = b.store.View(func(tx *boltstore.Tx) error { cur, _ = syncproto.ParseCursor(tx.Cursor()); return nil })
	if cur.Seq == 0 || cur.Seq >= f.logLen() || b.logLen() != cur.Seq {
		t.Fatalf("after the interruption: cursor %d, %d events here, server %d", cur.Seq, b.logLen(), f.logLen())
	}
	b.store.Close()
	b.open(t, cfg)
	b.syncOnce(t)
	if b.logLen() != f.logLen() || b.hash() != statesHash(f.store) {
		t.Fatalf("resumed pull: %d events here, server %d", b.logLen(), f.logLen())
	}
	// Progress went up to the server's log length.
	var last syncclient.Progress
	for _, s := range log.snapshots() {
		if s.Progress.Active() {
			last = s.Progress
		}
	}
	if last.Total != f.logLen() || last.Pulled < 3000 {
		t.Fatalf("last progress %+v, server log %d", last, f.logLen())
	}
}

func TestEvidenceIsUploadedAndFetchedLazily(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	b := enrolled(t, "b", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	b.login(t, "eng1", "eng1-secret")
	a.syncOnce(t)
	photo := bytes.Repeat([]byte("JPEG"), 30_000)
	sha, err := a.store.PutBlob(photo)
	if err != nil {
		t.Fatal(err)
	}
	a.fileComplaint(t, sa, "crack, see photo", domain.Attachment{SHA256: sha, Name: "crack.jpg", Size: int64(len(photo)), MediaType: "image/jpeg"})
	a.syncOnce(t)
	f.mu.Lock()
	uploaded := bytes.Equal(f.blobs[sha], photo)
	f.mu.Unlock()
	if !uploaded {
		t.Fatal("evidence not uploaded with its event")
	}
	b.syncOnce(t)
	if has := hasBlob(b.store, sha); has {
		t.Fatal("evidence fetched before anyone opened it")
	}
	got, err := b.sync.FetchBlob(context.Background(), sha)
	if err != nil || !bytes.Equal(got, photo) || !hasBlob(b.store, sha) {
		t.Fatalf("fetch: %v", err)
	}
	gets := f.count(syncproto.RouteBlob)
	if _, err := b.sync.FetchBlob(context.Background(), sha); err != nil || f.count(syncproto.RouteBlob) != gets {
		t.Fatalf("second fetch went to the server: %v", err)
	}
	t.Run("ErrCorrupt", func(t *testing.T) {
		bad := sha256.Sum256([]byte("other"))
		badSHA := hex.EncodeToString(bad[:])
		f.mu.Lock()
		f.blobs[badSHA] = []byte("not the bytes")
		f.mu.Unlock()
		if _, err := b.sync.FetchBlob(context.Background(), badSHA); domain.ErrorCode(err) != domain.EInvalid || hasBlob(b.store, badSHA) {
			t.Fatalf("corrupt evidence: %v", err)
		}
	})
}

func hasBlob(s *boltstore.Store, sha string) (ok bool) {
	_ = s.View(func(tx *boltstore.Tx) error { ok = tx.HasBlob(sha); return nil })
	return ok
}

func TestWatchdogRaisesStalled(t *testing.T) {
	f := newFakeServer(t)
	clock := &fakeClock{now: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)}
	cfg := testConfig()
	cfg.Now = clock.Now
	a := enrolled(t, "a", f.URL(), enrolmentCode, cfg)
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	a.fileComplaint(t, sa, "dent")
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != syncproto.Prefix+syncproto.RoutePush {
			return false
		}
		writeErr(w, http.StatusInternalServerError, domain.EInternal, "disk full")
		return true
	})
	for range 3 {
		_ = a.sync.SyncOnce(context.Background())
		if a.sync.Status().Stalled {
			t.Fatal("stalled before a minute passed")
		}
		clock.Advance(20 * time.Second)
	}
	_ = a.sync.SyncOnce(context.Background())
	st := a.sync.Status()
	if !st.Stalled || !st.Online || st.LastError == "" {
		t.Fatalf("status after a minute of refusals: %+v", st)
	}
	f.setHook(nil)
	a.syncOnce(t)
	if st := a.sync.Status(); st.Stalled || st.Pending != 0 {
		t.Fatalf("status after the server recovered: %+v", st)
	}
}

func TestWatchdogIsQuietWhenOffline(t *testing.T) {
	f := newFakeServer(t)
	clock := &fakeClock{now: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)}
	cfg := testConfig()
	cfg.Now = clock.Now
	a := enrolled(t, "a", f.URL(), enrolmentCode, cfg)
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	a.fileComplaint(t, sa, "dent")
	f.srv.Close()
	for range 5 {
		_ = a.sync.SyncOnce(context.Background())
		clock.Advance(time.Minute)
	}
	if st := a.sync.Status(); st.Stalled || st.Online {
		t.Fatalf("offline workstation reported as stalled: %+v", st)
	}
}

func TestRunSyncsSoonAfterNotify(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.sync.Run(ctx) }()
	awaitStatus(t, a.sync, "first cycle", func(st syncclient.Status) bool { return !st.LastSuccess.IsZero() })
	a.fileComplaint(t, sa, "dent")
	a.sync.Notify()
	awaitStatus(t, a.sync, "the saved complaint pushed", func(st syncclient.Status) bool { return st.Pending == 0 && !st.Syncing })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
}

func TestRunIsQuietWhileOffline(t *testing.T) {
	f := newFakeServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + ln.Addr().String()
	ln.Close()
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	a.fileComplaint(t, sa, "dent")
	// Point the workstation at a dead port, as when the server is down.
	_ = a.store.Update(func(tx *boltstore.Tx) error {
		d := tx.Device()
		d.ServerURL = deadURL
		return tx.SetDevice(d)
	})
	a.store.Close()
	a.open(t, testConfig())
	if _, err := a.sync.LoginOffline("op1", "op1-secret"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A cycle has run when a status showed it syncing and a later one not.
	var mu sync.Mutex
	began := false
	ran := func(st syncclient.Status) bool {
		mu.Lock()
		defer mu.Unlock()
		began = began || st.Syncing
		return began && !st.Syncing
	}
	go a.sync.Run(ctx)
	awaitStatus(t, a.sync, "a cycle run", ran)
	if st := a.sync.Status(); st.Online {
		t.Fatalf("a dead server reported online: %+v", st)
	}
	if st := a.sync.Status(); st.LastError != "" || st.Pending != 1 {
		t.Fatalf("offline status: %+v", st)
	}
}
