package domain_test

import (
	"slices"
	"testing"

	"boucle/shared/domain"
)

// permissions is the expected permission table, written by hand from the
// issue so that any change to the table in registry.go fails this test.
var permissions = map[domain.Role][]domain.EventType{
	domain.RoleOperator: {
		domain.ComplaintFiled, domain.ComplaintSolutionChosen, domain.ComplaintVerified, domain.ComplaintReopened,
		domain.ComplaintReexaminationRequested, domain.ComplaintWithdrawn, domain.ComplaintEscalated,
		domain.ComplaintMessagePosted, domain.ComplaintAttachmentAdded,
	},
	domain.RoleEngineer: {
		domain.ComplaintFiled, domain.ComplaintAcknowledged, domain.ComplaintAssigned, domain.ComplaintDeadlineRescheduled,
		domain.ComplaintAnalysisRecorded, domain.ComplaintSolutionProposed, domain.ComplaintActionLinked, domain.ComplaintResolved,
		domain.ComplaintRejected, domain.ComplaintMarkedDuplicate, domain.ComplaintEscalated, domain.ComplaintMessagePosted,
		domain.ComplaintAttachmentAdded, domain.ComplaintConflictResolved,
		domain.ActionAssigned, domain.ActionStarted, domain.ActionCompleted, domain.ActionVerified, domain.ActionCancelled,
		domain.ActionRescheduled, domain.ActionConflictResolved,
		domain.PlanDrafted, domain.PlanRevised, domain.PlanSubmitted, domain.PlanStarted, domain.PlanEvaluated, domain.PlanConflictResolved,
		domain.ComplaintProblemConfirmed, domain.ComplaintProblemMoved, domain.ComplaintProblemDenied,
		domain.ProblemMerged, domain.ProblemSplit, domain.ProblemConflictResolved,
	},
	domain.RoleManager: {
		domain.ComplaintAssigned, domain.ComplaintEscalated, domain.ComplaintMessagePosted, domain.ComplaintConflictResolved,
		domain.ActionStarted, domain.ActionCompleted, domain.ActionCancelled, domain.ActionRescheduled, domain.ActionConflictResolved,
		domain.PlanDrafted, domain.PlanRevised, domain.PlanApproved, domain.PlanRejected, domain.PlanStarted, domain.PlanEvaluated,
		domain.PlanConflictResolved,
		domain.ComplaintProblemConfirmed, domain.ComplaintProblemMoved, domain.ComplaintProblemDenied,
		domain.ProblemMerged, domain.ProblemSplit, domain.ProblemConflictResolved,
	},
	domain.RoleAdmin: {
		domain.StationDefined, domain.StationUpdated, domain.StationRetired,
		domain.UserRegistered, domain.UserUpdated, domain.UserDisabled, domain.UserEnabled,
		domain.CategoryDefined, domain.CategoryUpdated, domain.CategoryRetired, domain.SeverityConfigured,
		domain.ComplaintMessagePosted, domain.ComplaintConflictResolved, domain.ActionConflictResolved, domain.PlanConflictResolved,
		domain.ProblemConflictResolved,
	},
	domain.RoleSystem: {domain.ComplaintEscalated, domain.PlanEvaluated, domain.ActionEffectivenessMeasured},
}

func TestPermissionTable(t *testing.T) {
	types := domain.EventTypes()
	if len(types) != 52 {
		t.Errorf("%d event types registered, this table was written for 52", len(types))
	}
	if !slices.IsSorted(types) {
		t.Error("EventTypes is not sorted")
	}
	for role, allowed := range permissions {
		for _, typ := range allowed {
			if !slices.Contains(types, typ) {
				t.Errorf("%s: %s is not registered", role, typ)
			}
		}
	}
	roles := append(slices.Clone(domain.Roles), "wizard", "")
	for _, role := range roles {
		for _, typ := range types {
			want := slices.Contains(permissions[role], typ)
			if got := role.CanEmit(typ); got != want {
				t.Errorf("%q CanEmit(%s) = %v, want %v", role, typ, got, want)
			}
			err := domain.CheckPermission(role, typ)
			if want {
				if err != nil {
					t.Errorf("CheckPermission(%q, %s): %v", role, typ, err)
				}
				continue
			}
			wantRule(t, err, domain.EForbidden, "permission."+string(typ))
			if domain.ErrorMessage(err) == "" {
				t.Errorf("CheckPermission(%q, %s): no message", role, typ)
			}
		}
	}
	// Every event type can be emitted by someone.
	for _, typ := range types {
		if !slices.ContainsFunc(domain.Roles, func(r domain.Role) bool { return r.CanEmit(typ) }) {
			t.Errorf("nobody may emit %s", typ)
		}
	}
}

func TestPermissionUnknownType(t *testing.T) {
	if domain.RoleAdmin.CanEmit("complaint.exploded") {
		t.Fatal("CanEmit of an unknown type")
	}
	wantField(t, domain.CheckPermission(domain.RoleAdmin, "complaint.exploded"), domain.EInvalid, "type")
}

func TestRoles(t *testing.T) {
	for _, r := range domain.Roles {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
	}
	if domain.Role("wizard").Valid() || slices.Contains(domain.HumanRoles, domain.RoleSystem) {
		t.Fatal("wizard is valid, or system is a human role")
	}
}

// A forbidden event is refused by Decide before anything is written, and
// flagged (not applied) when it reaches a fold anyway.
func TestPermissionEnforcedByDecideAndFold(t *testing.T) {
	r := complaintIn(t, domain.StatusResolved)
	_, err := r.emitAs(eric, domain.RoleEngineer, domain.ComplaintVerified, cid, &domain.VerifyPayload{Rating: 5})
	wantRule(t, err, domain.EForbidden, "permission.complaint.verified")

	e := r.force(t, eric, domain.RoleEngineer, domain.ComplaintVerified, cid, &domain.VerifyPayload{Rating: 5})
	if err := domain.Validate(&e); domain.ErrorCode(err) != domain.EForbidden {
		t.Fatalf("Validate: %v", err)
	}
	s := r.state(domain.EntityKey{Type: domain.EntityComplaint, ID: cid})
	if s.Complaint.Status != domain.StatusResolved || len(s.Meta.Flags) != 1 || s.Meta.Flags[0].Rule != "permission.complaint.verified" {
		t.Fatalf("status %s, flags %+v", s.Complaint.Status, s.Meta.Flags)
	}
}
