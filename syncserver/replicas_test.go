package syncserver_test

import (
	"net/http"
	"testing"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// restoredPlant backs the plant up, lets ws record one event the backup
// misses, and serves the backup as a restored server. It returns the
// restored harness and ws's lost event.
func restoredPlant(t *testing.T, h *harness, ws *device, others ...*device) (*harness, domain.Event) {
	t.Helper()
	h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "kept")))
	restore := h.backup()
	lost := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "after the backup"})
	h.push(ws, lost)
	r := restore()
	ws.tokens = r.login("op1", ws)
	for _, d := range others {
		d.tokens = r.login("eng1", d)
	}
	return r, lost
}

// After a restore, another device must not push a workstation's events
// for it: a forged event with B's replica and B's next number was
// accepted, and B's genuine event was then refused for good as
// sync.sequence_reused.
func TestRestoredServerRefusesAnotherReplicasEvents(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		b, a := h.workstation("op1"), h.workstation("eng1")
		r, lost := restoredPlant(t, h, b, a)

		forger := &device{replica: b.replica, seq: lost.Seq - 1}
		forged := r.event(forger, "eng1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "forged"})
		eb := r.mustError(r.pushRaw(a, syncproto.AppendBatch(nil, []domain.Event{forged})), http.StatusForbidden, domain.EForbidden)
		if eb.Field != "replica" {
			t.Fatalf("foreign replica refused with field %q, want replica", eb.Field)
		}
		if res := r.push(b, lost); res.Results[0].Result != syncproto.Accepted {
			t.Fatalf("b's own lost event after a's attempt: %+v", res.Results[0])
		}
	})
}

// Even its genuine events, relayed by another device, are refused: only
// the replica's own device pushes them, and a refused relay never moves
// the replica's high-water mark.
func TestRelayedEventsNeverAdvanceAnotherReplica(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		b, a := h.workstation("op1"), h.workstation("eng1")
		r, lost := restoredPlant(t, h, b, a)

		r.mustError(r.pushRaw(a, syncproto.AppendBatch(nil, []domain.Event{lost})), http.StatusForbidden, domain.EForbidden)
		var st syncproto.ServerState
		r.mustJSON(r.do(http.MethodGet, syncproto.RouteState, nil, a.headers(true)), http.StatusOK, &st)
		if st.Replicas[b.replica] != lost.Seq-1 {
			t.Fatalf("b's mark after a relay = %d, want %d", st.Replicas[b.replica], lost.Seq-1)
		}
	})
}

// Outside a restore too, a device never pushes another replica's events,
// even ones the server already holds.
func TestADeviceNeverPushesAnotherReplicasStoredEvents(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		b, a := h.workstation("op1"), h.workstation("eng1")
		filed := h.event(b, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "kept"))
		h.push(b, filed)
		h.mustError(h.pushRaw(a, syncproto.AppendBatch(nil, []domain.Event{filed})), http.StatusForbidden, domain.EForbidden)
	})
}
