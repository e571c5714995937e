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
	taskWithdraw    taskID = "withdraw"
	taskAttach      taskID = "attach"
	// On one action of the complaint (Actions tab).
	taskCancelAction     taskID = "cancel-action"
	taskRescheduleAction taskID = "reschedule-action"
)

var analysable = []domain.ComplaintStatus{domain.StatusAcknowledged, domain.StatusInvestigating,
	domain.StatusSolutionProposed, domain.StatusSolutionChosen, domain.StatusActionsInProgress}

// tasks lists what the user (login, role) may do on the complaint now,
// in a steady order by group (groupOf). It mirrors the domain's
// transitions (complaint.go) and permissions (registry.go), so that no
// button leads to a refusal; the domain still has the last word.
func tasks(login string, role domain.Role, c *domain.Complaint, ref *model.Reference, now time.Time) []taskID {
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
		add(s == domain.StatusRejected, taskReexamine)
		add(true, taskMessage)
		add(open, taskAttach)
		add(in(domain.StatusResolved, domain.StatusClosed), taskReopen)
		add(open && late(c, ref, now), taskEscalate)
		// complaint.withdraw: its filer, before the analysis starts.
		add(login == c.FiledBy && in(domain.StatusNew, domain.StatusAcknowledged), taskWithdraw)
	case domain.RoleEngineer:
		add(s == domain.StatusNew, taskAcknowledge)
		add(in(analysable...), taskAnalyse)
		add(in(domain.StatusInvestigating, domain.StatusSolutionProposed), taskPropose)
		add(open && s != domain.StatusResolved && s != domain.StatusNew, taskAssign)
		add(in(domain.StatusSolutionChosen, domain.StatusActionsInProgress), taskResolve)
		add(true, taskMessage)
		add(true, taskNote)
		add(open, taskAttach)
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

// taskGroup sorts the buttons into steady groups, shown in this order
// with a gap between them: the steps of the loop, writing, and the
// exceptions (hand over, escalate, reject...), so that a button never
// moves next to another when the status changes.
type taskGroup int

const (
	groupLoop taskGroup = iota
	groupWrite
	groupOther
)

func groupOf(t taskID) taskGroup {
	switch t {
	case taskMessage, taskNote, taskAttach:
		return groupWrite
	case taskReassign, taskEscalate, taskReject, taskDuplicate, taskReopen, taskWithdraw:
		return groupOther
	}
	return groupLoop
}

// primary is the one task highlighted for the role at the complaint's
// status: the next step of the loop that is this person's to take, or ""
// while it waits for someone else. pending counts the complaint's actions
// still to carry out: resolving is the next step only once they are done.
func primary(role domain.Role, c *domain.Complaint, pending int) taskID {
	switch role {
	case domain.RoleEngineer:
		switch c.Status {
		case domain.StatusNew:
			return taskAcknowledge
		case domain.StatusAcknowledged:
			return taskAnalyse
		case domain.StatusInvestigating:
			if c.RootCause == "" {
				return taskAnalyse
			}
			return taskPropose
		case domain.StatusSolutionChosen:
			return taskAssign
		case domain.StatusActionsInProgress:
			if pending == 0 {
				return taskResolve
			}
		}
	case domain.RoleOperator:
		switch c.Status {
		case domain.StatusSolutionProposed:
			return taskChoose
		case domain.StatusResolved:
			return taskVerify
		case domain.StatusRejected:
			return taskReexamine
		}
	}
	return ""
}

// pendingActions counts the actions someone still has to carry out.
func pendingActions(actions []domain.Action) int {
	n := 0
	for _, a := range actions {
		if a.Status.Pending() {
			n++
		}
	}
	return n
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

// mayChangeActions is the domain's permission on action.cancelled and
// action.rescheduled (engineers and managers).
func mayChangeActions(r domain.Role) bool {
	return r.CanEmit(domain.ActionCancelled) && r.CanEmit(domain.ActionRescheduled)
}

// tasks lists what the signed-in user may do on the complaint shown.
func (s *Screen) tasks() []taskID {
	me := s.m.Session()
	return tasks(me.Login, me.Role, &s.d.Complaint, &s.ref, s.env.Now())
}
