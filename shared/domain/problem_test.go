package domain_test

import (
	"slices"
	"testing"
	"time"

	"boucle/shared/domain"
)

// A blank part (" ") passes Validate, which the fold applies to every
// event of the log, including filings accepted before issue 11; a new
// filing is refused by CheckNewFiling, and the fold keeps an old one
// trimmed, so that the analytics see an unknown part.
func TestBlankPartOfAFiling(t *testing.T) {
	p := filedPayload("PRESS2-2026-0001")
	p.PartRef = "  "
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	wantField(t, p.CheckNewFiling(), domain.EInvalid, "part_ref")
	w := newWorld()
	r := w.replica("ws", "op", domain.RoleOperator, 0)
	ev := r.force(t, "op", domain.RoleOperator, domain.ComplaintFiled, "c1", p)
	st := domain.FoldEntity(ev.Key(), []domain.Event{ev})
	if st.Complaint == nil || st.Complaint.PartRef != "" {
		t.Fatalf("folded complaint = %+v, want part_ref trimmed to empty", st.Complaint)
	}
	p.PartRef = " BRK-1 "
	if err := p.CheckNewFiling(); err != nil {
		t.Fatalf("CheckNewFiling(%q): %v", p.PartRef, err)
	}
}

// Two engineers, offline, move one complaint to two different problems:
// a conflict on the field "problem", like any other field, until a
// decision that saw both settles it.
func TestConcurrentProblemMovesConflict(t *testing.T) {
	p := newPlant3(t, domain.StatusInvestigating)
	e1 := p.qa1.mustEmit(t, domain.ComplaintProblemMoved, cid, &domain.ProblemDecisionPayload{Problem: "p-burrs"})
	e2 := p.qa2.mustEmit(t, domain.ComplaintProblemMoved, cid, &domain.ProblemDecisionPayload{Problem: "p-drilling"})
	s := p.merged(t)
	wantValues(t, conflictOn(s, "problem"), []string{`"p-burrs"`, `"p-drilling"`}, e1, e2)
	syncAll(p.all()...)
	p.qa1.mustEmit(t, domain.ComplaintProblemConfirmed, cid, &domain.ProblemDecisionPayload{Problem: "p-burrs"})
	s = p.merged(t)
	if conflictOn(s, "problem") != nil || s.Complaint.Problem != "p-burrs" {
		t.Fatalf("after a confirmation that saw both: problem %q, conflicts %+v", s.Complaint.Problem, s.Meta.Conflicts)
	}
}

// "Not the same problem" records a cannot-link, clears a decision on that
// problem, and a later confirmation of it lifts the cannot-link.
func TestProblemDenied(t *testing.T) {
	r := complaintIn(t, domain.StatusClosed)
	r.w.now = r.w.now.Add(time.Hour)
	mustEmit := func(typ domain.EventType, problem string) {
		t.Helper()
		if _, err := r.emitAs(eric, domain.RoleEngineer, typ, cid, &domain.ProblemDecisionPayload{Problem: problem}); err != nil {
			t.Fatal(err)
		}
	}
	mustEmit(domain.ComplaintProblemConfirmed, "c0")
	mustEmit(domain.ComplaintProblemDenied, "c0")
	mustEmit(domain.ComplaintProblemDenied, "c7")
	c := r.complaint(cid)
	if c.Problem != "" || !slices.Equal(c.NotProblems, []string{"c0", "c7"}) {
		t.Fatalf("problem %q, not %v", c.Problem, c.NotProblems)
	}
	mustEmit(domain.ComplaintProblemMoved, "c7")
	c = r.complaint(cid)
	if c.Problem != "c7" || !slices.Equal(c.NotProblems, []string{"c0"}) {
		t.Fatalf("problem %q, not %v", c.Problem, c.NotProblems)
	}
	_, err := r.emitAs(olga, domain.RoleOperator, domain.ComplaintProblemMoved, cid, &domain.ProblemDecisionPayload{Problem: "c0"})
	wantRule(t, err, domain.EForbidden, "permission.complaint.problem_moved")
}

// A problem merged into itself is refused, naming the rule; a merge is
// recorded with its author and fold order.
func TestProblemMerged(t *testing.T) {
	r := newWorld().replica("ws-qa", eric, domain.RoleEngineer, 0)
	_, err := r.emit(domain.ProblemMerged, "p1", &domain.ProblemMergedPayload{Into: "p1"})
	wantRule(t, err, domain.EInvalid, "problem.merge_self")
	e := r.mustEmit(t, domain.ProblemMerged, "p1", &domain.ProblemMergedPayload{Into: "p2", Note: "same burrs"})
	pr := r.state(domain.EntityKey{Type: domain.EntityProblem, ID: "p1"}).Problem
	if pr.MergedInto != "p2" || pr.MergedBy != eric || pr.MergedOrder != e.Order() {
		t.Fatalf("problem %+v", pr)
	}
	_, err = r.emitAs(olga, domain.RoleOperator, domain.ProblemSplit, "p3", &domain.ProblemSplitPayload{From: "p2", Complaints: []string{"c1"}})
	wantRule(t, err, domain.EForbidden, "permission.problem.split")
}
