package syncserver_test

import (
	"net/http"
	"strings"
	"testing"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

// addOperator registers an operator of station with the harness password.
func (h *harness) addOperator(login, station string) {
	h.t.Helper()
	if _, err := h.admin.AddUser(h.t.Context(), syncserver.NewUser{Login: login, DisplayName: login, Role: domain.RoleOperator,
		Station: station, Password: pw}); err != nil {
		h.t.Fatal(err)
	}
}

// resolvedCase pushes, from op1's PRESS2 workstation, complaint c000000
// from its filing to its resolution: it waits for its complainant's
// verification.
func (h *harness) resolvedCase() *device {
	h.t.Helper()
	ws := h.workstation("op1")
	h.signIn(ws, historyAuthors...)
	for i, r := range h.push(ws, history(ws, 9, 1)...).Results {
		if r.Result != syncproto.Accepted {
			h.t.Fatalf("step %d of the case: %+v", i, r)
		}
	}
	return ws
}

// complaintStatus reads a complaint through the plant view, by id or number.
func (h *harness) complaint(d *device, ref string) domain.Complaint {
	h.t.Helper()
	var detail struct{ Complaint domain.Complaint }
	h.mustJSON(h.do(http.MethodGet, "/complaints/"+ref, nil, d.headers(true)), http.StatusOK, &detail)
	return detail.Complaint
}

func mustRefuse(t *testing.T, r syncproto.EventResult, code domain.Code, rule string) {
	t.Helper()
	if r.Result != syncproto.Rejected || r.Code != code || !strings.HasPrefix(r.Reason, rule+": ") {
		t.Fatalf("result = %+v, want %s refused by %s", r, code, rule)
	}
}

// An operator of CUT1, with his own token and his own workstation's
// credential, verifies (rating 1) the resolved complaint that PRESS2 filed
// against him. Before: accepted, and the complaint closed. Only the
// operators of the filing station act as its complainant.
func TestComplainantRuleHoldsAtTheServer(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.resolvedCase()
		h.addOperator("opcut", "CUT1")
		cut := h.workstation("opcut")

		verified := h.event(cut, "opcut", domain.RoleOperator, domain.ComplaintVerified, "c000000", &domain.VerifyPayload{Rating: 1, Comment: "fine by me"})
		reopened := h.event(cut, "opcut", domain.RoleOperator, domain.ComplaintReopened, "c000000", &domain.ReasonPayload{Reason: "not fixed"})
		resp := h.push(cut, verified, reopened)
		mustRefuse(t, resp.Results[0], domain.EForbidden, "complaint.complainant")
		mustRefuse(t, resp.Results[1], domain.EForbidden, "complaint.complainant")
		if !strings.Contains(resp.Results[0].Reason, "PRESS2") || !strings.Contains(resp.Results[0].Reason, "CUT1") {
			t.Fatalf("reason %q names neither the filing station nor the author's", resp.Results[0].Reason)
		}
		if c := h.complaint(cut, "c000000"); c.Status != domain.StatusResolved {
			t.Fatalf("status after another station's verification = %s, want resolved", c.Status)
		}

		// The filing station's operator verifies it.
		press := h.workstation("op1")
		ok := h.push(press, h.event(press, "op1", domain.RoleOperator, domain.ComplaintVerified, "c000000", &domain.VerifyPayload{Rating: 4}))
		if ok.Results[0].Result != syncproto.Accepted {
			t.Fatalf("the complainant's verification: %+v", ok.Results[0])
		}
		if c := h.complaint(cut, "c000000"); c.Status != domain.StatusClosed {
			t.Fatalf("status after the complainant's verification = %s, want closed", c.Status)
		}
	})
}

// The rule reads the filing station from what the same push logged: a
// complaint filed and taken a step further in one batch is known.
func TestComplainantRuleSeesFilingsOfTheSamePush(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		filed := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c9", filing(9, "filed and withdrawn at once"))
		reexam := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintReexaminationRequested, "c9", &domain.ReasonPayload{Reason: "look again"})
		for i, r := range h.push(ws, filed, reexam).Results {
			if r.Result != syncproto.Accepted {
				t.Fatalf("event %d: %+v", i, r)
			}
		}
	})
}

// A complainant's step on a complaint the server does not hold cannot be
// checked: it is refused, with the reason.
func TestComplainantRuleRefusesUnknownComplaints(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		resp := h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintVerified, "nowhere", &domain.VerifyPayload{Rating: 5}))
		mustRefuse(t, resp.Results[0], domain.EForbidden, "complaint.complainant")
	})
}

// A pushed filing reusing a number another complaint holds. Before: it
// was accepted, and the number look-up returned the newcomer. Numbers are
// unique at the server: refused with the reason, the look-up unchanged.
func TestComplaintNumbersAreUniqueAtTheServer(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		first := h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "burrs")))
		if first.Results[0].Result != syncproto.Accepted {
			t.Fatalf("first filing: %+v", first.Results[0])
		}
		// Another workstation of the same station.
		other := h.workstation("op1")
		resp := h.push(other, h.event(other, "op1", domain.RoleOperator, domain.ComplaintFiled, "c2", filing(1, "the same number, another complaint")))
		mustRefuse(t, resp.Results[0], domain.EConflict, "complaint.number_taken")
		if !strings.Contains(resp.Results[0].Reason, "PRESS2-2026-0001") {
			t.Fatalf("reason %q does not name the number", resp.Results[0].Reason)
		}
		// An operator of CUT1 on his own workstation, forging PRESS2's number.
		h.addOperator("opcut", "CUT1")
		cut := h.workstation("opcut")
		forged := filing(1, "forged")
		forged.SupplierStation = "PAINT4"
		if r := h.push(cut, h.event(cut, "opcut", domain.RoleOperator, domain.ComplaintFiled, "c5", forged)).Results[0]; r.Result != syncproto.Rejected {
			t.Fatalf("forged filing: %+v", r)
		}
		if c := h.complaint(cut, "PRESS2-2026-0001"); c.ID != "c1" {
			t.Fatalf("number look-up = %s, want c1", c.ID)
		}
		// Within one push too: the second of two filings with one number.
		a, b := filing(2, "one"), filing(2, "two")
		both := h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c3", a),
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c4", b))
		if both.Results[0].Result != syncproto.Accepted {
			t.Fatalf("first of the pair: %+v", both.Results[0])
		}
		mustRefuse(t, both.Results[1], domain.EConflict, "complaint.number_taken")
	})
}

// A second filing of a complaint already filed (another event, the same
// entity) would change who its complainant is: refused.
func TestComplaintIsFiledOnce(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "burrs")))
		h.addOperator("opcut", "CUT1")
		cut := h.workstation("opcut")
		p := filing(7, "refiled by CUT1")
		p.FilingStation, p.SupplierStation, p.Number = "CUT1", "PAINT4", "CUT1-2026-0007"
		resp := h.push(cut, h.event(cut, "opcut", domain.RoleOperator, domain.ComplaintFiled, "c1", p))
		mustRefuse(t, resp.Results[0], domain.EConflict, "complaint.already_filed")
		if c := h.complaint(cut, "c1"); c.FilingStation != "PRESS2" || c.Number != "PRESS2-2026-0001" {
			t.Fatalf("complaint = %s %s", c.FilingStation, c.Number)
		}
	})
}

// A filing pushed with a blank part (part_ref " "). Before: accepted, and
// the analytics took it for "no part", which matched every part (issue
// 11). Refused now, naming the field; "?" says the part is not known.
func TestBlankPartRefusedAtTheServer(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		blank := filing(1, "burrs")
		blank.PartRef = " "
		resp := h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", blank))
		mustRefuse(t, resp.Results[0], domain.EInvalid, "part_ref")
		unknown := filing(2, "burrs")
		unknown.PartRef = "?"
		if r := h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c2", unknown)).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("a filing with part ?: %+v", r)
		}
	})
}
