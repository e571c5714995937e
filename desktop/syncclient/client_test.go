package syncclient_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"boucle/desktop/syncclient"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"
)

func TestClientErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header map[string]string
		body   string
		check  func(t *testing.T, err error)
	}{
		{"Gap", http.StatusConflict, nil, `{"code":"sequence_gap","message":"gap","replica":"ws-1","expected":7}`, func(t *testing.T, err error) {
			var gap *syncclient.GapError
			if !errors.As(err, &gap) || gap.Replica != "ws-1" || gap.Expected != 7 {
				t.Fatalf("err = %v (%T)", err, err)
			}
		}},
		{"RateLimited", http.StatusTooManyRequests, map[string]string{"Retry-After": "42"}, `{"code":"rate_limited","message":"slow down"}`, func(t *testing.T, err error) {
			var api *syncclient.APIError
			if !errors.As(err, &api) || api.RetryAfter != 42*time.Second || domain.ErrorCode(err) != domain.ERateLimited {
				t.Fatalf("err = %v", err)
			}
		}},
		{"ProxyPage", http.StatusBadGateway, nil, `<html>bad gateway</html>`, func(t *testing.T, err error) {
			if domain.ErrorCode(err) != domain.EInternal || syncclient.IsOffline(err) {
				t.Fatalf("err = %v", err)
			}
		}},
		{"FieldError", http.StatusBadRequest, nil, `{"code":"invalid","field":"limit","message":"must be a number"}`, func(t *testing.T, err error) {
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.EInvalid || de.Field != "limit" {
				t.Fatalf("err = %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c, err := syncclient.NewClient(srv.URL, syncclient.ClientOptions{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Push(context.Background(), nil)
			tc.check(t, err)
		})
	}
}

func TestClientObservesServerTime(t *testing.T) {
	f := newFakeServer(t)
	var seen []hlc.Timestamp
	c, err := syncclient.NewClient(f.URL(), syncclient.ClientOptions{OnResponse: func(_ int, ts hlc.Timestamp) { seen = append(seen, ts) }})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.State(context.Background()) // 401 without credentials: an answer all the same
	if len(seen) != 1 || seen[0] == 0 {
		t.Fatalf("server times seen: %v", seen)
	}
}

func TestNewClientRefusesBadAddresses(t *testing.T) {
	for _, u := range []string{"", "ftp://plant", "plant:8477", "http://"} {
		if _, err := syncclient.NewClient(u, syncclient.ClientOptions{}); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("%q: %v", u, err)
		}
	}
}

func TestSyncOverTLS(t *testing.T) {
	f := newFakeServer(t)
	f.srv.Close()
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below is expected
	f.srv.StartTLS()
	defer f.srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(f.srv.Certificate())
	cfg := testConfig()
	cfg.HTTP.TLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	w := enrolled(t, "tls", f.URL(), enrolmentCode, cfg)
	w.login(t, "op1", "op1-secret")
	w.syncOnce(t)

	t.Run("ErrUnknownAuthority", func(t *testing.T) {
		w := newWorkstation(t, "untrusting", testConfig())
		if err := w.sync.Enrol(context.Background(), f.URL(), enrolmentCode, "x", "PRESS2"); err == nil {
			t.Fatal("enrolled with a server whose certificate is not trusted")
		}
	})
}

func TestDeviceRefusedAsksForEnrolment(t *testing.T) {
	f := newFakeServer(t)
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	a.login(t, "op1", "op1-secret")
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != syncproto.Prefix+syncproto.RoutePull {
			return false
		}
		writeJSON(w, http.StatusForbidden, syncproto.ErrorBody{Code: domain.EForbidden, Field: "device", Message: "enrol it again"})
		return true
	})
	_ = a.sync.SyncOnce(context.Background())
	if st := a.sync.Status(); !st.EnrolNeeded || st.SignInNeeded {
		t.Fatalf("status = %+v", st)
	}
	f.setHook(nil)
	if err := a.sync.Enrol(context.Background(), f.URL(), enrolmentCode, "a", "PRESS2"); err != nil {
		t.Fatal(err)
	}
	a.syncOnce(t)
	if st := a.sync.Status(); st.EnrolNeeded {
		t.Fatalf("status after enrolling again = %+v", st)
	}
}
