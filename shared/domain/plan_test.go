package domain_test

import (
	"encoding/json"
	"slices"
	"testing"

	"boucle/shared/domain"
)

const pid = "p1" // the plan under test

var (
	draftStep   = step{eric, domain.RoleEngineer, domain.PlanDrafted, func() domain.Payload { return planPayload("Punch wear") }}
	submitStep  = step{eric, domain.RoleEngineer, domain.PlanSubmitted, func() domain.Payload { return &domain.NotePayload{Note: "ready"} }}
	approveStep = step{mona, domain.RoleManager, domain.PlanApproved, func() domain.Payload { return signOff() }}
	startStep   = step{mona, domain.RoleManager, domain.PlanStarted, func() domain.Payload { return &domain.NotePayload{} }}
)

var planPath = map[domain.PlanStatus][]step{
	domain.PlanStatusDraft:       {draftStep},
	domain.PlanStatusSubmitted:   {draftStep, submitStep},
	domain.PlanStatusApproved:    {draftStep, submitStep, approveStep},
	domain.PlanStatusRejected:    {draftStep, submitStep, {mona, domain.RoleManager, domain.PlanRejected, func() domain.Payload { return &domain.SignOffPayload{Meaning: "rejected", Comment: "too vague"} }}},
	domain.PlanStatusInProgress:  {draftStep, submitStep, approveStep, startStep},
	domain.PlanStatusEffective:   {draftStep, submitStep, approveStep, startStep, verdictStep(domain.PlanEvaluated, "system", domain.RoleSystem, true)},
	domain.PlanStatusIneffective: {draftStep, submitStep, approveStep, startStep, verdictStep(domain.PlanEvaluated, mona, domain.RoleManager, false)},
}

func planIn(t *testing.T, status domain.PlanStatus) *replica {
	t.Helper()
	r := newDesk()
	for _, s := range planPath[status] {
		r.mustEmitAs(t, s.author, s.role, s.typ, pid, s.payload())
	}
	if got := r.plan(pid).Status; got != status {
		t.Fatalf("path to %s ends in %s", status, got)
	}
	return r
}

func TestPlanTransitions(t *testing.T) {
	entityTable[domain.PlanStatus]{
		key:      domain.EntityKey{Type: domain.EntityPlan, ID: pid},
		statuses: domain.PlanStatuses,
		reach:    planIn,
		status:   func(s *domain.State) domain.PlanStatus { return s.Plan.Status },
		rows: []row[domain.PlanStatus]{
			{step: draftStep, rule: "plan.unique"},
			{step: step{mona, domain.RoleManager, domain.PlanRevised, func() domain.Payload { return planPayload("Punch wear, all presses") }},
				allowed: moves(domain.PlanStatusDraft, domain.PlanStatusDraft, domain.PlanStatusRejected), rule: "plan.revise"},
			{step: submitStep, allowed: moves(domain.PlanStatusSubmitted, domain.PlanStatusDraft), rule: "plan.submit"},
			{step: approveStep, allowed: moves(domain.PlanStatusApproved, domain.PlanStatusSubmitted), rule: "plan.sign_off"},
			{step: step{mona, domain.RoleManager, domain.PlanRejected, func() domain.Payload { return &domain.SignOffPayload{Meaning: "rejected", Comment: "no"} }},
				allowed: moves(domain.PlanStatusRejected, domain.PlanStatusSubmitted), rule: "plan.sign_off"},
			{step: step{eric, domain.RoleEngineer, domain.PlanStarted, func() domain.Payload { return &domain.NotePayload{} }},
				allowed: moves(domain.PlanStatusInProgress, domain.PlanStatusApproved), rule: "plan.start"},
			{step: verdictStep(domain.PlanEvaluated, "system", domain.RoleSystem, true), variant: "effective",
				allowed: moves(domain.PlanStatusEffective, domain.PlanStatusInProgress), rule: "plan.evaluate"},
			{step: verdictStep(domain.PlanEvaluated, eric, domain.RoleEngineer, false), variant: "ineffective",
				allowed: moves(domain.PlanStatusIneffective, domain.PlanStatusInProgress), rule: "plan.evaluate"},
			{step: step{adam, domain.RoleAdmin, domain.PlanConflictResolved, func() domain.Payload {
				return &domain.ResolveConflictPayload{Field: "title", Value: json.RawMessage(`"Punch wear (agreed)"`)}
			}}, allowed: stays(domain.PlanStatuses...)},
		},
	}.run(t)
}

func TestPlanMissing(t *testing.T) {
	r := newDesk()
	for _, s := range []step{submitStep, approveStep, startStep,
		{eric, domain.RoleEngineer, domain.PlanRevised, func() domain.Payload { return planPayload("x") }}} {
		_, err := r.emitAs(s.author, s.role, s.typ, "nope", s.payload())
		wantRule(t, err, domain.ENotFound, "plan.exists")
	}
}

func TestPlanApprovalRecordsSignOff(t *testing.T) {
	r := planIn(t, domain.PlanStatusSubmitted)
	e := r.mustEmitAs(t, mona, domain.RoleManager, domain.PlanApproved, pid,
		&domain.SignOffPayload{Meaning: "I approve the budget and schedule", Comment: "Start with press 2"})
	pl := r.plan(pid)
	want := []domain.SignOff{{Decision: domain.PlanStatusApproved, By: mona, Role: domain.RoleManager, At: e.HLC.Time(),
		Meaning: "I approve the budget and schedule", Comment: "Start with press 2", Event: e.ID.String()}}
	if !slices.Equal(pl.SignOffs, want) {
		t.Fatalf("sign-offs\n got %+v\nwant %+v", pl.SignOffs, want)
	}
	if pl.SubmittedAt.IsZero() || pl.SubmittedAt.After(want[0].At) {
		t.Fatalf("submitted at %v", pl.SubmittedAt)
	}
}

func TestPlanRejectReviseResubmit(t *testing.T) {
	r := planIn(t, domain.PlanStatusRejected)
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.PlanRevised, pid, &domain.PlanContentPayload{Title: "Punch wear, all presses",
		SupplierStation: "CUT1", Categories: []string{"dimensional", "surface"}, Actions: []string{"a1"}})
	for _, s := range []step{submitStep, approveStep, startStep} {
		r.mustEmitAs(t, s.author, s.role, s.typ, pid, s.payload())
	}
	pl := r.plan(pid)
	if pl.Status != domain.PlanStatusInProgress || len(pl.SignOffs) != 2 ||
		pl.SignOffs[0].Decision != domain.PlanStatusRejected || pl.SignOffs[1].Decision != domain.PlanStatusApproved {
		t.Fatalf("%+v", pl)
	}
	if pl.Title != "Punch wear, all presses" || pl.Objective != "" || !slices.Equal(pl.Categories, []string{"dimensional", "surface"}) ||
		pl.Complaints != nil || !slices.Equal(pl.Actions, []string{"a1"}) || pl.DraftedBy != eric || pl.StartedAt.IsZero() {
		t.Fatalf("revised content %+v", pl)
	}
	if len(pl.Notes) != 2 || pl.Notes[0].Text != "ready" {
		t.Fatalf("notes %+v", pl.Notes)
	}
}

func TestPlanEvaluation(t *testing.T) {
	r := planIn(t, domain.PlanStatusEffective)
	pl := r.plan(pid)
	if pl.EvaluatedAt.IsZero() || pl.Verdict != "checked on 3 lots" || !slices.Equal(pl.Evidence, []string{"c1", "c2"}) {
		t.Fatalf("%+v", pl)
	}
}
