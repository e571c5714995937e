package syncserver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"boucle/shared/authorship"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// The forgeries of issue #9, section 1: an operator signed in on his own
// enrolled workstation (his token, his device credential) pushes events
// written in someone else's name. Each is refused with the rule that
// catches it, and the directory and the plant are left as they were.
func TestPushRefusesForgedAuthorship(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		if err := h.admin.DisableUser(t.Context(), "eng2", "left the plant"); err != nil {
			t.Fatal(err)
		}
		before := h.logLen()
		cases := []struct {
			name  string
			event domain.Event
			rule  string
		}{
			{"PlanApprovedByTheManager", h.forge(ws, "mgr", domain.RoleManager, domain.PlanApproved, "p1",
				&domain.SignOffPayload{Comment: "ok", Meaning: "approved for implementation"}), "sync.signature"},
			{"EffectivenessMeasuredBySystem", h.forge(ws, "system", domain.RoleSystem, domain.ActionEffectivenessMeasured, "a1",
				&domain.VerdictPayload{Effective: true}), "sync.system"},
			{"UserUpdatedToManager", h.forge(ws, "admin", domain.RoleAdmin, domain.UserUpdated, "op1",
				&domain.UserPayload{DisplayName: "Olivia Operator", Role: domain.RoleManager, Station: "PRESS2"}), "sync.signature"},
			{"DisabledUserEnabled", h.forge(ws, "admin", domain.RoleAdmin, domain.UserEnabled, "eng2", &domain.NotePayload{}), "sync.signature"},
			{"AdminDisabled", h.forge(ws, "admin", domain.RoleAdmin, domain.UserDisabled, "admin", &domain.ReasonPayload{Reason: "gone"}), "sync.signature"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := h.push(ws, c.event).Results[0]
				if r.Result != syncproto.Rejected || r.Code != domain.EForbidden || !strings.HasPrefix(r.Reason, c.rule+":") {
					t.Fatalf("forged %s by %s = %+v, want forbidden by %s", c.event.Type, c.event.Author, r, c.rule)
				}
			})
		}
		// The directory is unchanged: op1 is still an operator, eng2 cannot
		// sign in, the administrator can.
		if tokens := h.login("op1", nil); tokens.User.Role != domain.RoleOperator {
			t.Errorf("op1 is now %s", tokens.User.Role)
		}
		if res := h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "eng2", Password: pw}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("disabled eng2 signs in: %d", res.StatusCode)
		}
		if res := h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "admin", Password: pw}); res.StatusCode != http.StatusOK {
			t.Errorf("admin cannot sign in: %d", res.StatusCode)
		}
		if n := h.logLen(); n != before {
			t.Errorf("the log grew by %d events", n-before)
		}
	})
}

// An event is accepted only with its author's MAC under the key issued to
// that author for this workstation: the operator's own events pass, the
// same events unsigned or claiming another role do not, and an engineer
// who signed in on the operator's workstation may record there too.
func TestPushChecksTheAuthorsSignature(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		filed := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "burrs"))
		unsigned := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "unsigned"})
		unsigned.Sig = domain.Signature{}
		tampered := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "original"})
		tampered.Payload = []byte(`{"text":"changed after signing"}`)
		claimsRole := h.forge(ws, "op1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "as engineer"})
		otherReplica := h.workstation("op1")
		elsewhere := h.event(otherReplica, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "key of another workstation"})
		elsewhere.Replica, elsewhere.Seq = ws.replica, ws.seq+1
		ws.seq++
		byEngineer := h.event(ws, "eng1", domain.RoleEngineer, domain.ComplaintAcknowledged, "c1",
			&domain.AcknowledgePayload{Deadline: h.clock.Now().Add(time.Hour), Assignee: "eng1"})

		resp := h.push(ws, filed, unsigned, tampered, claimsRole, elsewhere, byEngineer)
		want := []struct {
			result syncproto.Result
			rule   string
		}{
			{syncproto.Accepted, ""},
			{syncproto.Rejected, "sync.signature: not signed"},
			{syncproto.Rejected, "sync.signature"},
			{syncproto.Rejected, "sync.author"},
			{syncproto.Rejected, "sync.signature"},
			{syncproto.Accepted, ""},
		}
		for i, w := range want {
			r := resp.Results[i]
			if r.Result != w.result || !strings.HasPrefix(r.Reason, w.rule) {
				t.Fatalf("event %d = %+v, want %s %q", i, r, w.result, w.rule)
			}
		}
	})
}

// Directory events are accepted from an administrator's own session only,
// never from a workstation relaying them under someone else's token.
func TestDirectoryEventsNeedTheAdministratorsOwnSession(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		// The administrator signs in on the operator's workstation (his key for
		// it is issued), records a change, and leaves; the operator's session
		// pushes it.
		relayed := h.event(ws, "admin", domain.RoleAdmin, domain.UserUpdated, "eng1",
			&domain.UserPayload{DisplayName: "Eric Engineer", Role: domain.RoleManager})
		r := h.push(ws, relayed).Results[0]
		if r.Result != syncproto.Rejected || !strings.HasPrefix(r.Reason, "sync.directory:") {
			t.Fatalf("directory event relayed by op1 = %+v", r)
		}
		// Under the administrator's own session it is accepted.
		ws.tokens = h.login("admin", ws)
		again := h.event(ws, "admin", domain.RoleAdmin, domain.UserUpdated, "eng1",
			&domain.UserPayload{DisplayName: "Eric Engineer", Role: domain.RoleManager})
		again.HLC = h.ports.Clock().Now() + 1 // after eng1's registration, as the administrator's workstation would have pulled it
		h.resign(ws, &again)
		if r := h.push(ws, again).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("administrator's own directory event = %+v", r)
		}
		if tokens := h.login("eng1", nil); tokens.User.Role != domain.RoleManager {
			t.Fatalf("eng1 is %s", tokens.User.Role)
		}
	})
}

// A sign-in sent with a device's credential brings the user's author key
// for that device's replica: the same at every sign-in (derived, not
// stored), another for another user or another workstation, none without
// a device.
func TestLoginIssuesAuthorKeys(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		a, b := h.enrol(), h.enrol()
		first, again := h.login("op1", a).AuthorKey, h.login("op1", a).AuthorKey
		if first == nil || first.Kid == "" || len(first.Key) != authorship.KeySize || string(again.Key) != string(first.Key) || again.Kid != first.Kid {
			t.Fatalf("author keys of op1 on a: %+v, %+v", first, again)
		}
		if k := h.login("eng1", a).AuthorKey; k == nil || string(k.Key) == string(first.Key) {
			t.Fatal("eng1 got op1's key")
		}
		if k := h.login("op1", b).AuthorKey; k == nil || string(k.Key) == string(first.Key) {
			t.Fatal("op1 got the same key on another workstation")
		}
		if k := h.login("op1", nil).AuthorKey; k != nil {
			t.Fatalf("a sign-in without a device got an author key: %+v", k)
		}
	})
}

// The directory that judges an event is the one in force when the event
// was recorded: an engineer's work recorded offline is accepted after he
// became a manager, and an operator promoted since cannot have engineer's
// work stamped before his promotion accepted. An event recorded after the
// change is judged by the new role.
func TestEventsAreJudgedByTheDirectoryAsOfTheirRecording(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		eng, op := h.workstation("eng1"), h.workstation("op1")
		offline := h.event(eng, "eng1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "analysed offline"})
		early := h.forge(op, "op1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "before my promotion"})
		h.signIn(op, "op1")
		h.resign(op, &early)

		// The administrator, in his own session, makes eng1 a manager and op1
		// an engineer, after both events were recorded.
		admin := h.workstation("admin")
		for _, change := range []struct {
			login string
			role  domain.Role
		}{{"eng1", domain.RoleManager}, {"op1", domain.RoleEngineer}} {
			e := h.event(admin, "admin", domain.RoleAdmin, domain.UserUpdated, change.login,
				&domain.UserPayload{DisplayName: change.login, Role: change.role, Station: stationOf(t, h, change.login)})
			e.HLC = max(h.ports.Clock().Now(), offline.HLC, early.HLC) + 1
			h.resign(admin, &e)
			if r := h.push(admin, e).Results[0]; r.Result != syncproto.Accepted {
				t.Fatalf("%s becomes %s: %+v", change.login, change.role, r)
			}
		}

		if r := h.push(eng, offline).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("engineer's offline work pushed after he became a manager = %+v", r)
		}
		op.tokens = h.login("op1", op)
		if r := h.push(op, early).Results[0]; r.Result != syncproto.Rejected || !strings.Contains(r.Reason, "was operator when this was recorded") {
			t.Fatalf("engineer's work stamped before op1's promotion = %+v", r)
		}
		// After the change, the new role is the one that counts.
		later := h.event(eng, "eng1", domain.RoleEngineer, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "after"})
		later.HLC = h.ports.Clock().Now() + 10
		h.resign(eng, &later)
		if r := h.push(eng, later).Results[0]; r.Result != syncproto.Rejected || !strings.Contains(r.Reason, "was manager when this was recorded") {
			t.Fatalf("eng1 claiming engineer after becoming manager = %+v", r)
		}
	})
}

// stationOf is the user's station in the server's directory.
func stationOf(t *testing.T, h *harness, login string) string {
	t.Helper()
	return h.state(domain.EntityKey{Type: domain.EntityUser, ID: login}).User.Station
}

// A password reset voids the author keys issued before it: a thief who
// knows the old password and unwraps the old key on a workstation cannot
// get events accepted in the user's name any more; the user's next online
// sign-in brings a new key, and what it signs is accepted.
func TestPasswordResetVoidsTheAuthorKeysIssuedBefore(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		old := h.authorKey(ws, "op1")
		stale := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "signed with the old key"})

		if _, err := h.admin.ResetPassword(context.Background(), "op1", pw); err != nil {
			t.Fatal(err)
		}
		ws.tokens = h.login("op1", ws) // signed in again online: a new key
		if renewed := h.authorKey(ws, "op1"); renewed.Secret == old.Secret {
			t.Fatal("the key issued after the reset is the old one")
		}
		if r := h.push(ws, stale).Results[0]; r.Result != syncproto.Rejected || !strings.HasPrefix(r.Reason, "sync.signature:") {
			t.Fatalf("event signed with the key of before the reset = %+v", r)
		}
		fresh := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "signed with the new key"})
		if r := h.push(ws, fresh).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("event signed with the new key = %+v", r)
		}
		// Signing in again without a reset keeps the key: queued work survives.
		renewed := h.authorKey(ws, "op1")
		if again := h.login("op1", ws).AuthorKey; string(again.Key) != string(renewed.Secret[:]) {
			t.Fatal("a sign-in without a reset changed the key")
		}
	})
}
