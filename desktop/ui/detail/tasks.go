package detail

import (
	"slices"
	"time"

	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// taskID names what a user can do on a complaint.
type taskID string

const (
	taskAcknowledge taskID = "acknowledge"
	taskAnalyse     taskID = "analyse"
	taskPropose     taskID = "propose"
	taskAssign      taskID = "assign"
	taskReassign    taskID = "reassign"
	taskMessage     taskID = "message"
	taskNote        taskID = "note"
	taskChoose      taskID = "choose"
	taskVerify      taskID = "verify"
	taskReopen      taskID = "reopen"
	taskReexamine   taskID = "reexamine"
	taskEscalate    taskID = "escalate"
	taskReject      taskID = "reject"
	taskDuplicate   taskID = "duplicate"
	taskResolve     taskID = "resolve"
)

var analysable = []domain.ComplaintStatus{domain.StatusAcknowledged, domain.StatusInvestigating,
	domain.StatusSolutionProposed, domain.StatusSolutionChosen, domain.StatusActionsInProgress}

// tasks lists what the role may do on the complaint now, most likely
// first. It mirrors the domain's transitions (complaint.go) and
// permissions (registry.go), so that no button leads to a refusal; the
// domain still has the last word.
func tasks(role domain.Role, c *domain.Complaint, ref *model.Reference, now time.Time) []taskID {
	s := c.Status
	open := s.Open()
	in := func(ss ...domain.ComplaintStatus) bool { return slices.Contains(ss, s) }
	var out []taskID
	add := func(ok bool, t taskID) {
		if ok {
			out = append(out, t)
		}
	}
	switch role {
	case domain.RoleOperator:
		add(s == domain.StatusSolutionProposed, taskChoose)
		add(s == domain.StatusResolved, taskVerify)
		add(in(domain.StatusResolved, domain.StatusClosed), taskReopen)
		add(s == domain.StatusRejected, taskReexamine)
		add(true, taskMessage)
		add(open && late(c, ref, now), taskEscalate)
	case domain.RoleEngineer:
		add(s == domain.StatusNew, taskAcknowledge)
		add(in(analysable...), taskAnalyse)
		add(in(domain.StatusInvestigating, domain.StatusSolutionProposed), taskPropose)
		add(open && s != domain.StatusResolved && s != domain.StatusNew, taskAssign)
		add(in(domain.StatusSolutionChosen, domain.StatusActionsInProgress), taskResolve)
		add(true, taskMessage)
		add(true, taskNote)
		add(open && s != domain.StatusNew, taskReassign)
		add(open, taskEscalate)
		add(in(domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating), taskReject)
		add(in(domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating), taskDuplicate)
	case domain.RoleManager:
		add(true, taskMessage)
		add(true, taskNote)
		add(open && s != domain.StatusNew, taskReassign)
		add(open, taskEscalate)
	case domain.RoleAdmin:
		add(true, taskMessage)
	}
	return out
}

// late reports whether the complainant may escalate: the announced
// deadline passed, or nobody acknowledged the complaint in the time its
// severity allows.
func late(c *domain.Complaint, ref *model.Reference, now time.Time) bool {
	if c.Overdue(now) {
		return true
	}
	if c.Status != domain.StatusNew || ref == nil {
		return false
	}
	for _, sc := range ref.Severities {
		if sc.Severity == c.Severity {
			return now.After(c.FiledAt.Add(sc.AckWithin()))
		}
	}
	return false
}

// assignableKinds are the action kinds the complaint's status allows:
// containment at once, corrective and preventive once a solution is chosen.
func assignableKinds(s domain.ComplaintStatus) []domain.ActionKind {
	if s == domain.StatusSolutionChosen || s == domain.StatusActionsInProgress {
		return domain.ActionKinds
	}
	return []domain.ActionKind{domain.ActionContainment}
}

// canResolveConflicts is the domain's conflictFixers.
func canResolveConflicts(r domain.Role) bool {
	return r.CanEmit(domain.ComplaintConflictResolved)
}
