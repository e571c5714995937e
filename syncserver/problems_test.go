package syncserver_test

import (
	"testing"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// The engineer's decisions on problems (issue 11) pass the push's trust
// checks like any event: the permission table (engineer or manager), the
// author's role as of the event, the signature. An operator's is refused,
// naming the rule.
func TestProblemDecisionsAtTheServer(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.resolvedCase()
		eng := h.workstation("eng1")
		h.signIn(eng, "eng1")
		moved := h.event(eng, "eng1", domain.RoleEngineer, domain.ComplaintProblemMoved, "c000000", &domain.ProblemDecisionPayload{Problem: "p-burrs"})
		merged := h.event(eng, "eng1", domain.RoleEngineer, domain.ProblemMerged, "p-burrs", &domain.ProblemMergedPayload{Into: "p-old"})
		for i, r := range h.push(eng, moved, merged).Results {
			if r.Result != syncproto.Accepted {
				t.Fatalf("event %d: %+v", i, r)
			}
		}
		if c := h.complaint(eng, "c000000"); c.Problem != "p-burrs" {
			t.Fatalf("complaint's problem = %q, want p-burrs", c.Problem)
		}
		op := h.workstation("op1")
		resp := h.push(op, h.event(op, "op1", domain.RoleOperator, domain.ProblemMerged, "p-x", &domain.ProblemMergedPayload{Into: "p-burrs"}))
		mustRefuse(t, resp.Results[0], domain.EForbidden, "permission.problem.merged")
	})
}
