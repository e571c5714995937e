package syncserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

// stamped is the device's next event, stamped at t.
func stamped(h *harness, d *device, t hlc.Timestamp, text string) domain.Event {
	e := h.event(d, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: text})
	e.HLC = t
	h.resign(d, &e)
	return e
}

// An event stamped 2^64-1 was accepted and the server's time wrapped to
// 0; it is now malformed and the push refused whole.
func TestPushRefusesATimestampPastLimit(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "dent")))
		eb := h.mustError(h.pushRaw(ws, syncproto.AppendBatch(nil, []domain.Event{stamped(h, ws, hlc.Max, "from the end of time")})), http.StatusBadRequest, domain.EMalformed)
		if !strings.HasSuffix(eb.Field, ".hlc") {
			t.Fatalf("refusal = %+v", eb)
		}
		var st syncproto.ServerState
		h.mustJSON(h.do(http.MethodGet, syncproto.RouteState, nil, ws.headers(true)), http.StatusOK, &st)
		if st.ServerTime < hlc.FromTime(h.clock.Now()) || st.ServerTime > hlc.FromTime(h.clock.Now().Add(time.Second)) {
			t.Fatalf("server time %v, wall clock %v", st.ServerTime, h.clock.Now())
		}
	})
}

// An event 48 h ahead was accepted and moved the server's clock 48 h
// ahead (then every workstation's). It is now refused with the rule
// sync.clock_ahead and a reason in words; the server's clock stays put.
func TestPushRefusesAClockFarAhead(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		now := h.clock.Now()
		resp := h.push(ws,
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "dent")),
			stamped(h, ws, hlc.FromTime(now.Add(48*time.Hour)), "two days early"),
			stamped(h, ws, hlc.FromTime(now.Add(4*time.Minute)), "within the drift"))
		ahead := resp.Results[1]
		if ahead.Result != syncproto.Rejected || !strings.HasPrefix(ahead.Reason, "sync.clock_ahead: ") || !strings.Contains(ahead.Reason, "this workstation's clock is 2 days ahead of the server") {
			t.Fatalf("48 h ahead: %+v", ahead)
		}
		if resp.Results[2].Result != syncproto.Accepted {
			t.Fatalf("4 minutes ahead: %+v", resp.Results[2])
		}
		if limit := hlc.FromTime(now.Add(syncserver.DefaultMaxClockDrift + time.Second)); resp.ServerTime > limit {
			t.Fatalf("the server's clock moved to %v", resp.ServerTime)
		}
	})
}

// The drift allowed is a setting.
func TestMaxClockDriftIsASetting(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) { c.MaxClockDrift = time.Minute })
		ws := h.workstation("op1")
		now := h.clock.Now()
		resp := h.push(ws,
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "dent")),
			stamped(h, ws, hlc.FromTime(now.Add(3*time.Minute)), "three minutes early"))
		if r := resp.Results[1]; r.Result != syncproto.Rejected || !strings.Contains(r.Reason, "3 minutes ahead") {
			t.Fatalf("3 minutes ahead with 1 allowed: %+v", r)
		}
	})
}
