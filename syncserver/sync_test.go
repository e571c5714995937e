package syncserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"

	"github.com/google/uuid"
)

func TestPushThenPull(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		filed := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "Bavures sur le bord intérieur"))
		ack := h.event(ws, "eng1", domain.RoleEngineer, domain.ComplaintAcknowledged, "c1",
			&domain.AcknowledgePayload{Deadline: h.clock.Now().Add(48 * time.Hour), Assignee: "eng1"})
		resp := h.push(ws, filed, ack)
		for i, r := range resp.Results {
			if r.Result != syncproto.Accepted || r.ID != []domain.Event{filed, ack}[i].ID {
				t.Fatalf("result %d = %+v", i, r)
			}
		}
		if resp.Epoch != h.srv.Epoch().ID || resp.ServerTime < ack.HLC {
			t.Fatalf("epoch %q (want %q), server time %v (ack %v)", resp.Epoch, h.srv.Epoch().ID, resp.ServerTime, ack.HLC)
		}
		// Another workstation receives them, after the reference data.
		other := h.workstation("eng2")
		events, cursor := h.pullAll(other, "")
		if n := len(events); n < 3 || events[n-2].ID != filed.ID || events[n-1].ID != ack.ID {
			t.Fatalf("pulled %d events, last two not the pushed ones", n)
		}
		if !strings.HasPrefix(cursor, h.srv.Epoch().ID+":") {
			t.Fatalf("cursor %q", cursor)
		}
		if e := events[len(events)-1]; string(e.Payload) != string(ack.Payload) || e.Author != "eng1" || e.Seq != 2 {
			t.Fatalf("pulled event differs: %+v", e)
		}
		// The plant view folds them.
		var d struct{ Complaint domain.Complaint }
		h.mustJSON(h.do(http.MethodGet, "/complaints/c1", nil, other.headers(true)), http.StatusOK, &d)
		if d.Complaint.Status != domain.StatusAcknowledged || d.Complaint.Assignee != "eng1" {
			t.Fatalf("complaint = %+v", d.Complaint)
		}
	})
}

// A retry after a lost response: the same batch again is all duplicates
// and stores nothing.
func TestPushIsIdempotent(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		batch := []domain.Event{
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "dent")),
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "photo to follow"}),
		}
		h.push(ws, batch...)
		before := h.logLen()
		again := h.push(ws, batch...)
		for _, r := range again.Results {
			if r.Result != syncproto.Duplicate {
				t.Fatalf("retry result = %+v", r)
			}
		}
		// And a batch that overlaps the last one: duplicates first, then new.
		next := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "here it is"})
		mixed := h.push(ws, batch[1], next)
		if mixed.Results[0].Result != syncproto.Duplicate || mixed.Results[1].Result != syncproto.Accepted {
			t.Fatalf("overlapping batch = %+v", mixed.Results)
		}
		if got := h.logLen(); got != before+1 {
			t.Fatalf("log grew by %d, want 1", got-before)
		}
		if m := metrics(t, h); !strings.Contains(m, `boucle_sync_pushed_events_total{result="duplicate"} 3`) ||
			!strings.Contains(m, `boucle_sync_pushed_events_total{result="accepted"} 3`) {
			t.Fatal("push results not counted")
		}
	})
}

// An event twice in one batch is decided once: the second copy is a
// duplicate of the first when it was accepted, and gets the same refusal
// when it was refused; the log holds it once.
func TestPushDecidesAnEventRepeatedInTheBatchOnce(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		filed := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "dent"))
		refused := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintAcknowledged, "c1", &domain.AcknowledgePayload{Deadline: time.Now().Add(time.Hour), Assignee: "eng1"})
		before := h.logLen()
		resp := h.push(ws, filed, filed, refused, refused)
		want := []syncproto.Result{syncproto.Accepted, syncproto.Duplicate, syncproto.Rejected, syncproto.Rejected}
		for i, r := range resp.Results {
			if r.Result != want[i] {
				t.Fatalf("result %d = %+v, want %s", i, r, want[i])
			}
		}
		if resp.Results[3].Reason != resp.Results[2].Reason {
			t.Fatalf("the copy's refusal %q, the first's %q", resp.Results[3].Reason, resp.Results[2].Reason)
		}
		if got := h.logLen(); got != before+1 {
			t.Fatalf("log grew by %d, want 1", got-before)
		}
	})
}

// Refused events get a stored rejection with a reason, do not break the
// replica's sequence, are answered the same on retry, and never reach
// another workstation or the plant's projections.
func TestPushRefusalsAreKeptOutOfTheLog(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		h.signIn(ws, "eng2") // he signed in on ws before he was disabled
		if err := h.admin.DisableUser(t.Context(), "eng2", ""); err != nil {
			t.Fatal(err)
		}
		filed := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "scratch"))
		refused := []struct {
			event domain.Event
			code  domain.Code
			why   string
		}{
			{h.event(ws, "op1", domain.RoleOperator, domain.ComplaintAcknowledged, "c1", &domain.AcknowledgePayload{Deadline: time.Now().Add(time.Hour), Assignee: "eng1"}), domain.EForbidden, "permission.complaint.acknowledged"},
			{h.event(ws, "eng2", domain.RoleEngineer, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "disabled author"}), domain.EForbidden, "is disabled"},
			{h.event(ws, "op1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "claims another role"}), domain.EForbidden, "was operator when this was recorded"},
			{h.event(ws, "nobody", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "unknown author"}), domain.EForbidden, "sync.signature: not signed"},
			{h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c2", func() domain.Payload { p := filing(2, "x"); p.Quantity = 0; return p }()), domain.EInvalid, "quantity"},
			{h.event(ws, "eng1", domain.RoleSystem, domain.ComplaintEscalated, "c1", &domain.EscalatePayload{Supervisor: "mgr", Reason: "late"}), domain.EForbidden, "sync.system"},
			{h.event(ws, "system", domain.RoleSystem, domain.ComplaintEscalated, "c1", &domain.EscalatePayload{Supervisor: "mgr", Reason: "deadline passed", Automatic: true}), domain.EForbidden, "sync.system"},
		}
		after := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "kept"})
		batch := []domain.Event{filed}
		for _, r := range refused {
			batch = append(batch, r.event)
		}
		batch = append(batch, after)

		watcher := h.workstation("mgr")
		_, cursor := h.pullAll(watcher, "")
		resp := h.push(ws, batch...)
		check := func(resp syncproto.PushResponse) {
			t.Helper()
			for i, r := range refused {
				got := resp.Results[i+1]
				if got.Result != syncproto.Rejected || got.Code != r.code || !strings.Contains(got.Reason, r.why) {
					t.Fatalf("refusal %d = %+v, want %s containing %q", i, got, r.code, r.why)
				}
			}
			for _, i := range []int{0, len(batch) - 1} {
				if resp.Results[i].Result == syncproto.Rejected {
					t.Fatalf("result %d = %+v", i, resp.Results[i])
				}
			}
		}
		check(resp)
		check(h.push(ws, batch...)) // a retry: the same refusals, not duplicates

		pulled, _ := h.pullAll(watcher, cursor)
		var ids []uuid.UUID
		for _, e := range pulled {
			ids = append(ids, e.ID)
		}
		if want := []uuid.UUID{filed.ID, after.ID}; !slices.Equal(ids, want) {
			t.Fatalf("pulled %v, want only the accepted %v", ids, want)
		}
		var d struct{ Complaint domain.Complaint }
		h.mustJSON(h.do(http.MethodGet, "/complaints/c1", nil, watcher.headers(true)), http.StatusOK, &d)
		if d.Complaint.Status != domain.StatusNew || len(d.Complaint.Messages) != 1 || len(d.Complaint.Escalations) != 0 {
			t.Fatalf("server state folded a refused event: %+v", d.Complaint)
		}
		_ = h.ports.ViewLog(t.Context(), func(tx syncserver.LogTx) error {
			r, ok := tx.Rejection(refused[0].event.ID)
			if !ok || r.Code != domain.EForbidden {
				t.Fatalf("stored rejection = %+v", r)
			}
			return nil
		})
		if m := metrics(t, h); !strings.Contains(m, `boucle_sync_pushed_events_total{result="rejected"} 14`) {
			t.Fatal("rejections not counted")
		}
	})
}

// A gap answers 409 with the next number needed; nothing of the batch is
// written, not even the events before the gap.
func TestPushGap(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		e1 := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "a"))
		e2 := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "2"})
		e3 := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "3"})
		before := h.logLen()
		for _, batch := range [][]domain.Event{{e2}, {e1, e3}} {
			var gap syncproto.GapError
			h.mustJSON(h.pushRaw(ws, syncproto.AppendBatch(nil, batch)), http.StatusConflict, &gap)
			want := syncproto.GapError{Code: domain.ESequenceGap, Replica: ws.replica, Expected: 1 + uint64(len(batch)-1)}
			if gap.Code != want.Code || gap.Replica != want.Replica || gap.Expected != want.Expected || gap.Message == "" {
				t.Fatalf("gap = %+v, want %+v", gap, want)
			}
		}
		if h.logLen() != before {
			t.Fatal("a refused push wrote events")
		}
		h.push(ws, e1, e2, e3)
		// A number used twice by a replica (restored from an old backup, say)
		// is refused for good rather than blocking the queue.
		reused := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "again"})
		reused.Seq = 3
		if r := h.push(ws, reused).Results[0]; r.Result != syncproto.Rejected || r.Code != domain.EConflict {
			t.Fatalf("reused sequence = %+v", r)
		}
	})
}

func TestPushRefusesWholeBatches(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		ok := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "a"))
		before := h.logLen()
		t.Run("ErrForeignReplica", func(t *testing.T) {
			other := &device{replica: "someone-else"}
			foreign := h.event(other, "op1", domain.RoleOperator, domain.ComplaintFiled, "c9", filing(9, "b"))
			eb := h.mustError(h.pushRaw(ws, syncproto.AppendBatch(nil, []domain.Event{ok, foreign})), http.StatusForbidden, domain.EForbidden)
			if eb.Field != "replica" {
				t.Fatalf("field = %q", eb.Field)
			}
		})
		t.Run("ErrUnknownType", func(t *testing.T) {
			future := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "v9"})
			future.Seq, future.Schema = 1, 9
			h.mustError(h.pushRaw(ws, syncproto.AppendBatch(nil, []domain.Event{future})), http.StatusConflict, domain.EConflict)
			ws.seq = 1
		})
		t.Run("ErrMalformed", func(t *testing.T) {
			h.mustError(h.pushRaw(ws, []byte("not a batch")), http.StatusBadRequest, domain.EMalformed)
			good := syncproto.AppendBatch(nil, []domain.Event{ok})
			h.mustError(h.pushRaw(ws, good[:len(good)-3]), http.StatusBadRequest, domain.EMalformed)
			bad := ok
			bad.ID = uuid.New() // v4: not a UUIDv7
			eb := h.mustError(h.pushRaw(ws, syncproto.AppendBatch(nil, []domain.Event{bad})), http.StatusBadRequest, domain.EMalformed)
			if eb.Field != "events[0].id" {
				t.Fatalf("field = %q", eb.Field)
			}
		})
		t.Run("ErrTooLarge", func(t *testing.T) {
			many := make([]domain.Event, syncproto.MaxBatchEvents+1)
			for i := range many {
				many[i] = ok
			}
			h.mustError(h.pushRaw(ws, syncproto.AppendBatch(nil, many)), http.StatusRequestEntityTooLarge, domain.ETooLarge)
		})
		if h.logLen() != before {
			t.Fatal("a refused push wrote events")
		}
	})
}

// The sync routes need a user's token and the device's credential; a
// token signed in from one device does not serve another.
func TestSyncNeedsTokenAndDevice(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		a, b := h.workstation("op1"), h.workstation("eng1")
		routes := []struct{ method, route string }{{http.MethodPost, syncproto.RoutePush}, {http.MethodGet, syncproto.RoutePull}, {http.MethodGet, syncproto.RouteState}}
		for _, r := range routes {
			t.Run(strings.TrimPrefix(r.route, "/sync/"), func(t *testing.T) {
				h.mustError(h.do(r.method, r.route, nil, a.headers(false)), http.StatusUnauthorized, domain.EUnauthorized)
				h.mustError(h.do(r.method, r.route, nil, bearer(a.tokens.AccessToken)), http.StatusForbidden, domain.EForbidden)
				mixed := a.headers(false)
				mixed.Set("Authorization", "Bearer "+b.tokens.AccessToken)
				if eb := h.mustError(h.do(r.method, r.route, nil, mixed), http.StatusForbidden, domain.EForbidden); eb.Field != "device" {
					t.Fatalf("field = %q", eb.Field)
				}
			})
		}
		// A token signed in without a device may sync with a device's credential.
		plain := &device{id: a.id, key: a.key, replica: a.replica, tokens: h.login("op1", nil)}
		h.mustJSON(h.do(http.MethodGet, syncproto.RouteState, nil, plain.headers(true)), http.StatusOK, nil)
		// A revoked device may not.
		if err := h.admin.RevokeDevice(t.Context(), a.id, ""); err != nil {
			t.Fatal(err)
		}
		h.mustError(h.do(http.MethodGet, syncproto.RouteState, nil, a.headers(true)), http.StatusForbidden, domain.EForbidden)
		// And the sign-ins bound to it cannot be refreshed.
		h.mustError(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: a.tokens.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustJSON(h.post(syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: plain.tokens.RefreshToken}), http.StatusOK, nil)
	})
}

// The author of an offline event is whoever signed in on the workstation,
// checked against the directory, whatever the token's subject.
func TestOfflineAuthorsAreCheckedNotTheTokenSubject(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		filed := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "a"))
		byEngineer := h.event(ws, "eng1", domain.RoleEngineer, domain.ComplaintAcknowledged, "c1",
			&domain.AcknowledgePayload{Deadline: h.clock.Now().Add(time.Hour), Assignee: "eng1"})
		resp := h.push(ws, filed, byEngineer)
		if resp.Results[1].Result != syncproto.Accepted {
			t.Fatalf("engineer's offline event = %+v", resp.Results[1])
		}
	})
}

func TestPullPages(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		base := h.logLen()
		var pushed []domain.Event
		pushed = append(pushed, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "a")))
		for range 24 {
			pushed = append(pushed, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "m"}))
		}
		h.push(ws, pushed...)
		epoch := h.srv.Epoch().ID
		cursor := epoch + ":" + itoa(base)
		var got []domain.Event
		for i := 0; ; i++ {
			p := h.pull(ws, cursor, 10)
			got = append(got, p.events...)
			if p.epoch != epoch || (i < 2) != p.more || len(p.events) != []int{10, 10, 5}[i] {
				t.Fatalf("page %d: %d events, more %v, epoch %s", i, len(p.events), p.more, p.epoch)
			}
			cursor = p.cursor
			if !p.more {
				break
			}
		}
		if cursor != epoch+":"+itoa(base+25) {
			t.Fatalf("last cursor %s", cursor)
		}
		for i := range got {
			if got[i].ID != pushed[i].ID {
				t.Fatalf("event %d out of order", i)
			}
		}
		if p := h.pull(ws, cursor, 10); len(p.events) != 0 || p.more || p.cursor != cursor {
			t.Fatalf("pull at the end: %d events, more %v, cursor %s", len(p.events), p.more, p.cursor)
		}
		t.Run("OtherEpochStartsOver", func(t *testing.T) {
			if p := h.pull(ws, "0ld3p0ch:17", 5000); uint64(len(p.events)) != base+25 {
				t.Fatalf("pulled %d from another epoch's cursor", len(p.events))
			}
		})
		t.Run("ErrBadCursor", func(t *testing.T) {
			for _, q := range []string{"?cursor=nocolon", "?cursor=e:x", "?limit=0", "?limit=5001", "?limit=ten"} {
				h.mustError(h.do(http.MethodGet, syncproto.RoutePull+q, nil, ws.headers(true)), http.StatusBadRequest, domain.EInvalid)
			}
		})
	})
}

func TestStateReportsHighWaterMarks(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "a")),
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "m"}))
		var st syncproto.ServerState
		h.mustJSON(h.do(http.MethodGet, syncproto.RouteState, nil, ws.headers(true)), http.StatusOK, &st)
		if st.Epoch != h.srv.Epoch().ID || st.LogLen != h.logLen() || st.Replicas[ws.replica] != 2 || st.Replicas[h.ports.Replica()] == 0 || st.ServerTime == 0 {
			t.Fatalf("state = %+v", st)
		}
	})
}

// A server restored from a backup starts a new epoch: old cursors start
// over, each workstation re-pushes the events of its own that it lost, and
// its own new events take a new replica id.
func TestRestoreFromBackupStartsANewEpoch(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws, peer := h.workstation("op1"), h.workstation("eng1")
		kept := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "a"))
		h.push(ws, kept)
		restore := h.backup()
		lost := []domain.Event{
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "after the backup"}),
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "also lost"}),
		}
		h.push(ws, lost...)
		_, peerCursor := h.pullAll(peer, "") // the peer holds ws's lost events

		// The plant server dies; its backup is restored in a new place.
		r := restore()
		if ep := r.srv.Epoch(); ep.ID == h.srv.Epoch().ID || !ep.Restored || ep.Previous != h.srv.Epoch().ID {
			t.Fatalf("restored epoch = %+v (old %s)", ep, h.srv.Epoch().ID)
		}
		if r.ports.Replica() == h.ports.Replica() {
			t.Fatal("the restored server kept its replica id")
		}
		ws.tokens, peer.tokens = r.login("op1", ws), r.login("eng1", peer) // enrolled before the backup: still valid

		p := r.pull(peer, peerCursor, 5000)
		if p.epoch == h.srv.Epoch().ID || uint64(len(p.events)) != r.logLen() {
			t.Fatalf("old cursor in the new epoch: %d events of %d", len(p.events), r.logLen())
		}
		var st syncproto.ServerState
		r.mustJSON(r.do(http.MethodGet, syncproto.RouteState, nil, peer.headers(true)), http.StatusOK, &st)
		if st.Replicas[ws.replica] != 1 {
			t.Fatalf("restored mark of ws = %d, want 1", st.Replicas[ws.replica])
		}
		// The peer holds ws's lost events but may not push them; ws re-pushes
		// its own.
		r.mustError(r.pushRaw(peer, syncproto.AppendBatch(nil, lost)), http.StatusForbidden, domain.EForbidden)
		if res := r.push(ws, lost...); res.Results[0].Result != syncproto.Accepted || res.Results[1].Result != syncproto.Accepted {
			t.Fatalf("re-push = %+v", res.Results)
		}
		next := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "business as usual"})
		if res := r.push(ws, next); res.Results[0].Result != syncproto.Accepted || res.Epoch != st.Epoch {
			t.Fatalf("next push = %+v", res)
		}
		// Never events of the server's own replica.
		forged := h.event(&device{replica: r.ports.Replica()}, "admin", domain.RoleAdmin, domain.StationDefined, "FAKE1", &domain.StationPayload{Name: "Forged"})
		r.mustError(r.pushRaw(peer, syncproto.AppendBatch(nil, []domain.Event{forged})), http.StatusForbidden, domain.EForbidden)
		if err := r.admin.AddStation(t.Context(), "WELD3", "Welding 3"); err != nil {
			t.Fatal(err)
		}
		all, _ := r.pullAll(peer, "")
		if last := all[len(all)-1]; last.Replica != r.ports.Replica() || last.Seq != 1 {
			t.Fatalf("the restored server's first event: replica %s seq %d", last.Replica, last.Seq)
		}
	})
}

func metrics(t *testing.T, h *harness) string {
	t.Helper()
	res := h.do(http.MethodGet, "/metrics", nil, nil)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	return string(b)
}

func itoa(n uint64) string { b, _ := json.Marshal(n); return string(b) }

// Pushed complaints are only logged in the push's transaction; the
// projector folds them once pushes pause, without any view asking.
func TestProjectorFoldsPushedEventsWhenPushesPause(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "Rayure")))
		// Polls the store; the bound only turns a hang into a failure, and is
		// wide because the machine may be busy with other tests.
		deadline := time.Now().Add(time.Minute)
		for {
			var backlog uint64
			_ = h.ports.ViewProjections(t.Context(), func(tx syncserver.ProjectionTx) error { backlog = tx.Backlog(); return nil })
			if backlog == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d pushed events still unfolded after a minute", backlog)
			}
			time.Sleep(10 * time.Millisecond)
		}
		_ = h.ports.ViewProjections(t.Context(), func(tx syncserver.ProjectionTx) error {
			if _, err := tx.Complaint("c1"); err != nil {
				t.Fatalf("pushed complaint not folded: %v", err)
			}
			return nil
		})
	})
}

// The backup names the epoch it copies and never writes over a file.
// bbolt only: a PostgreSQL store is backed up by pg_dump (refused here).
func TestBackupNamesItsEpochAndKeepsExistingFiles(t *testing.T) {
	h := newHarness(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	info, err := h.admin.Backup(t.Context(), backup)
	if err != nil || info.Epoch != h.srv.Epoch().ID || info.Bytes == 0 {
		t.Fatalf("backup = %+v, %v", info, err)
	}
	if _, err := h.admin.Backup(t.Context(), backup); domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("backup over an existing file: %v", err)
	}
}
