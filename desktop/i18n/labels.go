package i18n

import (
	"fyne.io/fyne/v2/lang"

	"boucle/shared/domain"
)

// The labels below are written out case by case, never built from the
// value ("status." + s), so that the key test sees every key.

// Status labels a complaint status.
func Status(s domain.ComplaintStatus) string {
	switch s {
	case domain.StatusNew:
		return lang.X("status.new", "New")
	case domain.StatusAcknowledged:
		return lang.X("status.acknowledged", "Acknowledged")
	case domain.StatusInvestigating:
		return lang.X("status.investigating", "Investigating")
	case domain.StatusSolutionProposed:
		return lang.X("status.solution_proposed", "Solution proposed")
	case domain.StatusSolutionChosen:
		return lang.X("status.solution_chosen", "Solution chosen")
	case domain.StatusActionsInProgress:
		return lang.X("status.actions_in_progress", "Actions in progress")
	case domain.StatusResolved:
		return lang.X("status.resolved", "Resolved, to verify")
	case domain.StatusClosed:
		return lang.X("status.closed", "Closed")
	case domain.StatusRejected:
		return lang.X("status.rejected", "Rejected")
	case domain.StatusDuplicate:
		return lang.X("status.duplicate", "Duplicate")
	case domain.StatusWithdrawn:
		return lang.X("status.withdrawn", "Withdrawn")
	}
	return string(s)
}

// Severity labels a severity.
func Severity(s domain.Severity) string {
	switch s {
	case domain.SeverityMinor:
		return lang.X("severity.minor", "Minor")
	case domain.SeverityMajor:
		return lang.X("severity.major", "Major")
	case domain.SeverityCritical:
		return lang.X("severity.critical", "Critical")
	}
	return string(s)
}

// Kind labels a complaint kind.
func Kind(k domain.Kind) string {
	switch k {
	case domain.KindComplaint:
		return lang.X("kind.complaint", "Complaint")
	case domain.KindClaim:
		return lang.X("kind.claim", "Claim (remedy demanded)")
	}
	return string(k)
}

// Remedy labels the remedy a claim demands.
func Remedy(r domain.Remedy) string {
	switch r {
	case domain.RemedyRework:
		return lang.X("remedy.rework", "Rework")
	case domain.RemedyReplacement:
		return lang.X("remedy.replacement", "Replacement")
	case domain.RemedySorting:
		return lang.X("remedy.sorting", "Sorting")
	case domain.RemedyCredit:
		return lang.X("remedy.credit", "Credit")
	case domain.RemedyOther:
		return lang.X("remedy.other", "Other remedy")
	}
	return string(r)
}

// Ishikawa labels a 6M cause family.
func Ishikawa(i domain.Ishikawa) string {
	switch i {
	case domain.IshikawaManpower:
		return lang.X("ishikawa.manpower", "Manpower")
	case domain.IshikawaMachine:
		return lang.X("ishikawa.machine", "Machine")
	case domain.IshikawaMethod:
		return lang.X("ishikawa.method", "Method")
	case domain.IshikawaMaterial:
		return lang.X("ishikawa.material", "Material")
	case domain.IshikawaMeasurement:
		return lang.X("ishikawa.measurement", "Measurement")
	case domain.IshikawaEnvironment:
		return lang.X("ishikawa.environment", "Environment")
	}
	return string(i)
}

// ActionKind labels an action kind.
func ActionKind(k domain.ActionKind) string {
	switch k {
	case domain.ActionContainment:
		return lang.X("actionkind.containment", "Containment")
	case domain.ActionCorrective:
		return lang.X("actionkind.corrective", "Corrective")
	case domain.ActionPreventive:
		return lang.X("actionkind.preventive", "Preventive")
	}
	return string(k)
}

// ActionStatus labels an action status.
func ActionStatus(s domain.ActionStatus) string {
	switch s {
	case domain.ActionStatusOpen:
		return lang.X("actionstatus.open", "Open")
	case domain.ActionStatusInProgress:
		return lang.X("actionstatus.in_progress", "In progress")
	case domain.ActionStatusDone:
		return lang.X("actionstatus.done", "Done, to verify")
	case domain.ActionStatusEffective:
		return lang.X("actionstatus.effective", "Effective")
	case domain.ActionStatusIneffective:
		return lang.X("actionstatus.ineffective", "Ineffective")
	case domain.ActionStatusCancelled:
		return lang.X("actionstatus.cancelled", "Cancelled")
	}
	return string(s)
}

// PlanStatus labels a preventive plan status.
func PlanStatus(s domain.PlanStatus) string {
	switch s {
	case domain.PlanStatusDraft:
		return lang.X("planstatus.draft", "Draft")
	case domain.PlanStatusSubmitted:
		return lang.X("planstatus.submitted", "Submitted for approval")
	case domain.PlanStatusApproved:
		return lang.X("planstatus.approved", "Approved")
	case domain.PlanStatusRejected:
		return lang.X("planstatus.rejected", "Rejected")
	case domain.PlanStatusInProgress:
		return lang.X("planstatus.in_progress", "In progress")
	case domain.PlanStatusEffective:
		return lang.X("planstatus.effective", "Effective")
	case domain.PlanStatusIneffective:
		return lang.X("planstatus.ineffective", "Ineffective")
	}
	return string(s)
}

// Role labels a role.
func Role(r domain.Role) string {
	switch r {
	case domain.RoleOperator:
		return lang.X("role.operator", "Operator")
	case domain.RoleEngineer:
		return lang.X("role.engineer", "Quality engineer")
	case domain.RoleManager:
		return lang.X("role.manager", "Plant manager")
	case domain.RoleAdmin:
		return lang.X("role.admin", "Administrator")
	case domain.RoleSystem:
		return lang.X("role.system", "Boucle (automatic)")
	}
	return string(r)
}

// Category labels a defect category in the language in use: the labels
// come with the reference data, in both languages.
func Category(c domain.Category) string {
	if Lang() == "fr" && c.LabelFR != "" {
		return c.LabelFR
	}
	if c.LabelEN != "" {
		return c.LabelEN
	}
	return c.Code
}
