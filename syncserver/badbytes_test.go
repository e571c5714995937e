package syncserver_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"boucle/internal/storefault"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"

	bolt "go.etcd.io/bbolt"
)

// Issue #9, section 5: bad bytes in the server's store, written with the
// server stopped (or under it, for /healthz), as the fault campaign did.

// plantWithMessages pushes a complaint and n messages on it, enough for
// the log to span several pages, and returns them in push order.
func plantWithMessages(h *harness, n int) (*device, []domain.Event) {
	h.t.Helper()
	ws := h.workstation("op1")
	events := []domain.Event{h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "Bavures sur le bord"))}
	for i := range n {
		text := fmt.Sprintf("Message %03d: %s", i, strings.Repeat("tri à 100 % du lot, ", 12))
		events = append(events, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: text}))
	}
	h.push(ws, events...)
	return ws, events
}

// stop stops the server and closes its store, as an operator would before
// touching the file.
func (h *harness) stop() {
	h.http.Close()
	if err := h.store.Close(); err != nil {
		h.t.Fatal(err)
	}
}

// reopen serves the store of a stopped harness again.
func (h *harness) reopen() *harness {
	h.t.Helper()
	r := openHarness(h.t, h.dir, false)
	return r
}

// A flipped page header: before, the server panicked at start (a page
// of the bucket list) or started, answered /healthz 200 and every pull 500
// (a page of the log). Now the start refuses the store, without a panic,
// with what to run to restore a backup.
// bbolt only: it damages the bbolt file (PostgreSQL: pgstore/views_test.go,
// TestUndecodableEventIsQuarantined).
func TestDamagedPageIsRefusedAtStart(t *testing.T) {
	for name, page := range map[string]func(*bolt.Tx) uint64{
		"bucket list": storefault.TopRoot,
		"log":         storefault.BucketRoot("events"),
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			ws, _ := plantWithMessages(h, 60)
			h.stop()
			storefault.FlipPageHeader(t, storePath(h.dir), page)

			store, err := openRecovering(h.dir)
			if err == nil {
				store.Close()
				t.Fatalf("a damaged store opened (%s)", describeServing(t, h.dir, ws))
			}
			if msg := err.Error(); !strings.Contains(msg, "boucle-server check") || !strings.Contains(msg, "backup") {
				t.Fatalf("refusal does not say how to restore: %v", err)
			}
		})
	}
}

// openRecovering opens the server's store, turning a panic into a test
// failure's error text rather than a crashed test binary.
func openRecovering(dir string) (store *boltstore.Store, err error) {
	defer func() {
		if v := recover(); v != nil {
			store, err = nil, fmt.Errorf("PANIC at start: %v (the test wants a refusal, not a panic)", v)
		}
	}()
	return syncserver.OpenStore(dir, boltstore.Options{}, nil)
}

// describeServing says how a server on a damaged store answers.
func describeServing(t *testing.T, dir string, ws *device) string {
	r := openHarness(t, dir, false)
	status := func(res *http.Response) int { io.Copy(io.Discard, res.Body); res.Body.Close(); return res.StatusCode }
	return fmt.Sprintf("healthz %d, pull %d", status(r.do(http.MethodGet, "/healthz", nil, nil)),
		status(r.do(http.MethodGet, syncproto.RoutePull, nil, ws.headers(true))))
}

// /healthz reads the store: a log whose last page went bad under a running
// server is not reported healthy. Before: 200.
// bbolt only: it damages the bbolt file (PostgreSQL: pgstore/reach_test.go).
func TestHealthzReadsTheStore(t *testing.T) {
	h := newHarness(t)
	plantWithMessages(h, 60)
	h.mustJSON(h.do(http.MethodGet, "/healthz", nil, nil), http.StatusOK, nil)

	storefault.FlipPageHeaderOf(t, h.store.DB(), storefault.BucketRoot("events"))
	res := h.do(http.MethodGet, "/healthz", nil, nil)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), string(boltstore.ECorrupt)) {
		t.Fatalf("healthz on a damaged log: %d %s", res.StatusCode, body)
	}
}

// One flipped version byte of a stored event: before, every workstation's
// pull stalled on it (the page no longer decoded). One flipped byte of a
// message text: before, it was served as if written so. Now the event is
// quarantined, reported, and skipped: the pull goes on past it.
// bbolt only: it damages the bbolt file (PostgreSQL: pgstore/views_test.go,
// TestUndecodableEventIsQuarantined).
func TestPullSkipsADamagedEvent(t *testing.T) {
	for name, c := range map[string]struct {
		needle func(e *domain.Event) []byte
		offset func(e *domain.Event) int
	}{
		"version byte": {
			needle: func(e *domain.Event) []byte { return domain.EncodeEvent(e) },
			offset: func(*domain.Event) int { return 0 },
		},
		"message text": {
			needle: func(e *domain.Event) []byte { return domain.EncodeEvent(e) },
			offset: func(e *domain.Event) int {
				enc := domain.EncodeEvent(e)
				return strings.Index(string(enc), "Message 030") + len("Message 0")
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			ws, events := plantWithMessages(h, 60)
			damaged := events[31] // "Message 030"
			h.stop()
			storefault.FlipStoredByte(t, storePath(h.dir), c.needle(&damaged), c.offset(&damaged))

			r := h.reopen()
			ws.tokens = r.login("op1", ws)
			pulled, cursor := r.pullAll(ws, "")
			for _, e := range pulled {
				if e.ID == damaged.ID {
					t.Fatalf("the damaged event was served: %s", e.Payload)
				}
			}
			if !slices.ContainsFunc(pulled, func(e domain.Event) bool { return e.ID == events[32].ID }) {
				t.Fatal("the pull stopped at the damaged event")
			}
			if want := fmt.Sprintf(":%d", r.logLen()); !strings.HasSuffix(cursor, want) {
				t.Fatalf("cursor %s does not reach the end of the log (%s)", cursor, want)
			}
			q, err := r.admin.Quarantined(t.Context())
			if err != nil || len(q) != 1 || q[0].Event != damaged.ID {
				t.Fatalf("quarantine = %+v, %v", q, err)
			}
			if m := metrics(t, r); !strings.Contains(m, "boucle_store_quarantined_events 1") {
				t.Fatalf("metrics do not report the quarantined event:\n%s", grepLines(m, "boucle_store"))
			}
			if log := r.logBuf.String(); !strings.Contains(log, "quarantined") || !strings.Contains(log, damaged.ID.String()) {
				t.Fatalf("no log line for the quarantined event:\n%s", log)
			}
		})
	}
}

func grepLines(s, sub string) string {
	var out []string
	for l := range strings.Lines(s) {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}
