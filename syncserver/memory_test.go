package syncserver_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

// Pushes share a memory budget: while other pushes hold it, a push waits
// (up to PushWait), then is answered 503 with Retry-After, having read
// nothing; once the budget is free it goes through. Before: every push
// was read at once, whatever the load (eight 60 MiB pushes took the server
// past 1.5 GB; see BenchmarkConcurrentMaxPushesMemory).
func TestPushWaitsForTheMemoryBudget(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) {
			c.PushMemory = 1 << 20
			c.PushWait = time.Millisecond // the budget is held below: waiting longer changes nothing
		})
		ws := h.workstation("op1")
		e := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "Rayure"))
		release := h.srv.HoldPushMemory(1 << 20)
		res := h.pushRaw(ws, syncproto.AppendBatch(nil, []domain.Event{e}))
		retry, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		h.mustError(res, http.StatusServiceUnavailable, domain.EUnavailable)
		if retry < 1 {
			t.Fatalf("Retry-After = %q", res.Header.Get("Retry-After"))
		}
		if !strings.Contains(metrics(t, h), "boucle_sync_pushes_busy_total 1") {
			t.Fatal("busy pushes not counted")
		}
		release()
		if r := h.push(ws, e).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("after release: %+v", r)
		}
		// A body announced larger than the batch limit is refused before
		// anything is read or reserved.
		res = h.do(http.MethodPost, syncproto.RoutePush, make([]byte, syncproto.MaxBatchBytes+1), ws.headers(true))
		h.mustError(res, http.StatusRequestEntityTooLarge, domain.ETooLarge)
	})
}
