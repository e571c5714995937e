package syncserver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
	"boucle/syncserver/boltserver"
)

// cutStore is a store whose database can be cut off: while down, every
// transaction fails as a database adapter's does when it cannot reach its
// server (EUnavailable).
type cutStore struct {
	syncserver.Store
	down atomic.Bool
}

func (s *cutStore) cut() error {
	if s.down.Load() {
		return domain.Errorf(domain.EUnavailable, "the database cannot be reached: try again shortly")
	}
	return nil
}

func (s *cutStore) ViewAccess(ctx context.Context, fn func(syncserver.AccessTx) error) error {
	if err := s.cut(); err != nil {
		return err
	}
	return s.Store.ViewAccess(ctx, fn)
}

func (s *cutStore) UpdateLog(ctx context.Context, fn func(syncserver.LogTx) error) error {
	if err := s.cut(); err != nil {
		return err
	}
	return s.Store.UpdateLog(ctx, fn)
}

// While the store cannot be reached, requests are answered 503 with
// Retry-After, which the workstations' sync client waits for, keeping
// their outbox; once it is back, the same requests succeed.
// bbolt only: it cuts a bbolt store's ports (PostgreSQL lost for real:
// pgstore/reach_test.go).
func TestStoreUnreachableIs503WithRetryAfter(t *testing.T) {
	h := newHarness(t)
	ws := h.workstation("op1")
	keys, _, err := syncserver.LoadKeyFile(filepath.Join(h.dir, syncserver.DefaultKeyFile), h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	store := &cutStore{Store: syncserver.StoreOn(boltserver.New(h.store))}
	srv, err := syncserver.NewOn(store, syncserver.Config{Plant: "test-plant", Now: h.clock.Now, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	other := *h // the same plant served by this server
	other.srv, other.http = srv, httptest.NewServer(srv.Handler())
	defer other.http.Close()
	filed := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c-unreachable", filing(1, "burrs"))

	logged := h.logLen()
	store.down.Store(true)
	for what, res := range map[string]*http.Response{
		"list":  other.do(http.MethodGet, "/complaints", nil, ws.headers(true)),
		"push":  other.pushRaw(ws, syncproto.AppendBatch(nil, []domain.Event{filed})),
		"login": other.do(http.MethodPost, syncproto.RouteLogin, syncproto.LoginRequest{Login: "op1", Password: pw}, ws.headers(false)),
	} {
		body := other.mustError(res, http.StatusServiceUnavailable, domain.EUnavailable)
		if got := res.Header.Get("Retry-After"); got != "5" {
			t.Errorf("%s: Retry-After %q, want 5 (seconds)", what, got)
		}
		if body.Message != "the database cannot be reached: try again shortly" {
			t.Errorf("%s: message %q, want the store's", what, body.Message)
		}
	}
	if n := h.logLen(); n != logged {
		t.Fatalf("%d events logged while the store was down", n-logged)
	}

	store.down.Store(false)
	if res := other.push(ws, filed); res.Results[0].Result != syncproto.Accepted {
		t.Fatalf("push once the store is back: %+v", res.Results[0])
	}
	if res := other.do(http.MethodGet, "/complaints", nil, ws.headers(true)); res.StatusCode != http.StatusOK {
		t.Fatalf("list once the store is back: %d", res.StatusCode)
	}
}

// unreachableLimit is a rate limit whose database cannot be reached.
type unreachableLimit struct{}

func (unreachableLimit) Take(context.Context, ...string) (time.Duration, error) {
	return 0, domain.Errorf(domain.EUnavailable, "the database cannot be reached: try again shortly")
}

func (unreachableLimit) Refund(context.Context, ...string) error { return nil }

// A sign-in whose rate limit cannot be counted is refused 503, never let
// through uncounted; so is an enrolment code.
func TestSignInWithItsLimitUnreachableIs503(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) {
			c.AttemptLimits = func(int, time.Duration) syncserver.AttemptLimit { return unreachableLimit{} }
		})
		for what, res := range map[string]*http.Response{
			"login": h.do(http.MethodPost, syncproto.RouteLogin, syncproto.LoginRequest{Login: "op1", Password: pw}, nil),
			"enrol": h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: "ABCD-EFGH-JKLM", Name: "ws", Station: "PRESS2", Replica: "ws-x"}),
		} {
			h.mustError(res, http.StatusServiceUnavailable, domain.EUnavailable)
			if res.Header.Get("Retry-After") != "5" {
				t.Errorf("%s: Retry-After %q, want 5", what, res.Header.Get("Retry-After"))
			}
		}
	})
}
