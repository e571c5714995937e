package syncserver_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
	"boucle/syncserver/pgstore"

	"github.com/google/uuid"
)

// instancesOnOneDatabase starts n servers of one plant on one fresh
// PostgreSQL database, each with its own connections, sharing the key
// file's keys, as n instances behind a load balancer; the first seeds the
// plant.
func instancesOnOneDatabase(t testing.TB, n int) []*harness {
	t.Helper()
	return instancesOnOneDatabaseWith(t, n, func(s syncserver.Store) syncserver.Store { return s })
}

// instancesOnOneDatabaseWith starts them on ports changed by wrap (their
// evidence in a bucket: evidence_s3_test.go).
func instancesOnOneDatabaseWith(t testing.TB, n int, wrap func(syncserver.Store) syncserver.Store) []*harness {
	t.Helper()
	ctx := context.Background()
	url := pgtest.DB(t)
	clock := newClock()
	keys, err := syncserver.NewKeyring(syncserver.ServerKey{Kid: "k1", Secret: []byte("a secret of thirty-two bytes, ok"), Created: clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*harness, n)
	for i := range out {
		st, err := pgstore.OpenWhenReachable(ctx, url, pgstore.DefaultBackoff, func(err error, _ time.Duration) { t.Log(err) })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreatePlant(ctx, "p1"); err != nil {
			t.Fatal(err)
		}
		plant, err := st.Server(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		leader := st.Leader("p1")
		h := &harness{t: t, clock: clock, logBuf: &syncBuffer{}, pg: plant}
		h.srv, err = syncserver.NewOn(wrap(syncserver.StoreOn(plant)), syncserver.Config{Plant: "test-plant", Now: clock.Now, Keys: keys,
			Logger: slog.New(slog.NewTextHandler(h.logBuf, nil)), Leadership: leader,
			AttemptLimits: func(burst int, per time.Duration) syncserver.AttemptLimit {
				return st.AttemptLimit("p1", clock.Now, burst, per)
			}})
		if err != nil {
			t.Fatal(err)
		}
		h.admin = h.srv.Admin()
		h.http = httptest.NewServer(h.srv.Handler())
		h.closed = sync.OnceFunc(func() { h.http.Close(); leader.Close(); st.Close() })
		t.Cleanup(h.closed)
		out[i] = h
	}
	out[0].seed()
	return out
}

// pgHarness serves a fresh plant on PostgreSQL, as one instance.
func pgHarness(tb testing.TB) *harness { return instancesOnOneDatabase(tb, 1)[0] }

// Two instances on one database, workstations going to one or the other
// at random for each push and each pull, answers lost and pushes sent
// again to the other instance: every workstation ends with every event
// exactly once, and both instances serve the same log.
func TestWorkstationsAlternatingBetweenTwoInstancesConverge(t *testing.T) {
	hs := instancesOnOneDatabase(t, 2)
	rng := rand.New(rand.NewPCG(13, 2))
	either := func() *harness { return hs[rng.IntN(len(hs))] }
	type ws struct {
		d      *device
		cursor string
		seen   map[uuid.UUID]int
	}
	var stations []*ws
	for range 4 {
		h := either()
		d := h.enrol()
		d.tokens = either().login("op1", d)
		stations = append(stations, &ws{d: d, seen: map[uuid.UUID]int{}})
	}
	pushed := map[uuid.UUID]bool{}
	number := 0
	for round := range 60 {
		w := stations[rng.IntN(len(stations))]
		if rng.IntN(3) == 0 {
			events, cursor := either().pullAll(w.d, w.cursor)
			for _, e := range events {
				w.seen[e.ID]++
			}
			w.cursor = cursor
			continue
		}
		var batch []domain.Event
		for range 1 + rng.IntN(5) {
			number++
			batch = append(batch, either().event(w.d, "op1", domain.RoleOperator, domain.ComplaintFiled, uuid.NewString(),
				filing(number, fmt.Sprintf("burrs on the bracket, round %d", round))))
		}
		for _, r := range either().push(w.d, batch...).Results {
			if r.Result != syncproto.Accepted {
				t.Fatalf("round %d: event %s %s (%s), want accepted", round, r.ID, r.Result, r.Reason)
			}
		}
		if rng.IntN(4) == 0 { // the answer was lost: the workstation sends the push again, maybe elsewhere
			for _, r := range either().push(w.d, batch...).Results {
				if r.Result != syncproto.Duplicate {
					t.Fatalf("round %d: event %s sent again: %s, want duplicate", round, r.ID, r.Result)
				}
			}
		}
		for _, e := range batch {
			pushed[e.ID] = true
		}
	}
	var logs [][]domain.Event
	for _, h := range hs {
		all, _ := h.pullAll(stations[0].d, "")
		logs = append(logs, all)
	}
	if len(logs[0]) != len(logs[1]) {
		t.Fatalf("the instances serve %d and %d events", len(logs[0]), len(logs[1]))
	}
	for i := range logs[0] {
		if logs[0][i].ID != logs[1][i].ID {
			t.Fatalf("event %d: %s on one instance, %s on the other", i, logs[0][i].ID, logs[1][i].ID)
		}
	}
	inLog := map[uuid.UUID]bool{}
	for _, e := range logs[0] {
		inLog[e.ID] = true
	}
	for id := range pushed {
		if !inLog[id] {
			t.Fatalf("pushed event %s is not in the log", id)
		}
	}
	for i, w := range stations {
		events, _ := either().pullAll(w.d, w.cursor)
		for _, e := range events {
			w.seen[e.ID]++
		}
		if len(w.seen) != len(logs[0]) {
			t.Fatalf("workstation %d has %d events, the log %d", i, len(w.seen), len(logs[0]))
		}
		for id, n := range w.seen {
			if n != 1 || !inLog[id] {
				t.Fatalf("workstation %d has event %s %d times (in the log: %v)", i, id, n, inLog[id])
			}
		}
	}
	t.Logf("%d events pushed over two instances, %d in the log with the plant's seed", len(pushed), len(logs[0]))
}

// A refresh token rotated on one instance and presented again to the
// other is a reuse, detected there: the sign-in is revoked, its newest
// token refused on either instance.
func TestRefreshTokenReusedOnTheOtherInstanceIsDetected(t *testing.T) {
	hs := instancesOnOneDatabase(t, 2)
	a, b := hs[0], hs[1]
	d := a.enrol()
	first := a.login("op1", d)
	var second syncproto.Tokens
	a.mustJSON(a.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: first.RefreshToken}), http.StatusOK, &second)

	a.clock.Advance(time.Minute) // past the grace of a lost answer
	b.mustError(b.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: first.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
	for name, h := range map[string]*harness{"the rotating instance": a, "the other": b} {
		h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: second.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
		if res := h.do(http.MethodGet, "/complaints", nil, bearer(second.AccessToken)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s: the revoked sign-in's access token answered %d, want 401", name, res.StatusCode)
		}
	}
}
