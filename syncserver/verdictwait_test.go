package syncserver_test

import (
	"slices"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// A workstation offline for weeks files a complaint within a preventive
// action's window and pushes it only after the window ended. The server
// must not have recorded the action effective meanwhile: a verdict
// recorded once is never recorded again, so it waits until every
// workstation that may still push has been heard from since the window
// ended (issue #11: "a workstation pushing a month late").
func TestEvaluateEffectivenessWaitsForALateWorkstation(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		rec := func(login string, role domain.Role, typ domain.EventType, id string, p domain.Payload) string {
			t.Helper()
			return h.record(boltstore.Actor{Login: login, Role: role}, boltstore.Command{Type: typ, EntityID: id, Payload: p})[0]
		}
		// given a complaint against CUT1 and a preventive action done on it
		c1 := rec("op1", domain.RoleOperator, domain.ComplaintFiled, "", &domain.ComplaintFiledPayload{FilingStation: "PAINT4",
			SupplierStation: "CUT1", PartRef: "BRK-100", Quantity: 1, Category: "dimensional", Severity: domain.SeverityMinor,
			Kind: domain.KindComplaint, Description: "Burrs on the inner edge"})
		rec("eng1", domain.RoleEngineer, domain.ActionAssigned, "prev-late", &domain.ActionAssignedPayload{Kind: domain.ActionPreventive,
			Title: "Nozzle hours on the checklist", Owner: "eng1", Due: h.clock.Now().Add(time.Hour), ComplaintID: c1})
		rec("eng1", domain.RoleEngineer, domain.ActionCompleted, "prev-late", &domain.NotePayload{})
		// and a workstation heard from 80 days later, then offline: five days
		// later it files the same defect and keeps it
		h.clock.Advance(80 * 24 * time.Hour)
		late := h.workstation("op1")
		h.clock.Advance(5 * 24 * time.Hour)
		filed := h.event(late, "op1", domain.RoleOperator, domain.ComplaintFiled, "c-late", filing(1, "Burrs on the inner edge again"))
		// when the window (90 days) has ended and another workstation is heard from
		h.clock.Advance(10 * 24 * time.Hour)
		h.workstation("eng2")
		n, err := h.srv.EvaluateEffectiveness(h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		// then nothing is recorded yet: the offline workstation may hold evidence
		if a := state(t, h, domain.EntityAction, "prev-late").Action; n != 0 || a.MeasuredEffective != nil {
			t.Fatalf("recorded %d verdicts before the late workstation came back: measured %v", n, *a.MeasuredEffective)
		}
		// when it comes back and pushes its complaint, which is investigated
		h.clock.Advance(3 * 24 * time.Hour)
		late.tokens = h.login("op1", late)
		h.push(late, filed)
		if n, err = h.srv.EvaluateEffectiveness(h.clock.Now()); err != nil || n != 0 {
			t.Fatalf("evaluate after the push, the complaint new: %d, %v", n, err)
		}
		investigate(t, h, "c-late")
		if n, err = h.srv.EvaluateEffectiveness(h.clock.Now()); err != nil || n != 1 {
			t.Fatalf("evaluate once the complaint is investigated: %d, %v", n, err)
		}
		// then the action is measured ineffective, the late complaint its evidence
		a := state(t, h, domain.EntityAction, "prev-late").Action
		if a.MeasuredEffective == nil || *a.MeasuredEffective || !slices.Equal(a.MeasuredEvidence, []string{"c-late"}) {
			t.Fatalf("prev-late measured %v, evidence %v", a.MeasuredEffective, a.MeasuredEvidence)
		}
	})
}

// A complaint that proves an action ineffective can still be rejected,
// withdrawn or marked duplicate while it is new or under investigation:
// the server records the verdict once the complaint is past that, and
// never on a complaint rejected meanwhile.
func TestEvaluateEffectivenessWaitsForSettledEvidence(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		rec := func(login string, role domain.Role, typ domain.EventType, id string, p domain.Payload) string {
			t.Helper()
			return h.record(boltstore.Actor{Login: login, Role: role}, boltstore.Command{Type: typ, EntityID: id, Payload: p})[0]
		}
		file := func() string {
			return rec("op1", domain.RoleOperator, domain.ComplaintFiled, "", &domain.ComplaintFiledPayload{FilingStation: "PAINT4",
				SupplierStation: "CUT1", PartRef: "BRK-100", Quantity: 1, Category: "dimensional", Severity: domain.SeverityMinor,
				Kind: domain.KindComplaint, Description: "Burrs on the inner edge"})
		}
		evaluate := func(want int) {
			t.Helper()
			if n, err := h.srv.EvaluateEffectiveness(h.clock.Now()); err != nil || n != want {
				t.Fatalf("evaluate: %d recorded, %v; want %d", n, err, want)
			}
		}
		c1 := file()
		rec("eng1", domain.RoleEngineer, domain.ActionAssigned, "prev", &domain.ActionAssignedPayload{Kind: domain.ActionPreventive,
			Title: "Nozzle hours on the checklist", Owner: "eng1", Due: h.clock.Now().Add(time.Hour), ComplaintID: c1})
		rec("eng1", domain.RoleEngineer, domain.ActionCompleted, "prev", &domain.NotePayload{})
		// given a complaint of the same defect a day later, still new
		h.clock.Advance(24 * time.Hour)
		c2 := file()
		evaluate(0)
		// then rejected: it never was evidence
		rec("eng1", domain.RoleEngineer, domain.ComplaintRejected, c2, &domain.ReasonPayload{Reason: "handling at reception"})
		evaluate(0)
		// a third one, investigated: now the action is ineffective, on it alone
		h.clock.Advance(24 * time.Hour)
		c3 := file()
		investigate(t, h, c3)
		evaluate(1)
		if a := state(t, h, domain.EntityAction, "prev").Action; a.MeasuredEffective == nil || *a.MeasuredEffective || !slices.Equal(a.MeasuredEvidence, []string{c3}) {
			t.Fatalf("prev measured %v, evidence %v", a.MeasuredEffective, a.MeasuredEvidence)
		}
	})
}
