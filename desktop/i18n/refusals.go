package i18n

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"boucle/shared/domain"
)

// EventType labels an event type for people (the changes the server
// refused); an unknown type shows as it is.
func EventType(t domain.EventType) string {
	switch t {
	case domain.ComplaintFiled:
		return lang.X("event.complaint.filed", "Complaint filed")
	case domain.ComplaintAcknowledged:
		return lang.X("event.complaint.acknowledged", "Complaint acknowledged")
	case domain.ComplaintAssigned:
		return lang.X("event.complaint.assigned", "Complaint assigned")
	case domain.ComplaintDeadlineRescheduled:
		return lang.X("event.complaint.deadline_rescheduled", "Deadline rescheduled")
	case domain.ComplaintAnalysisRecorded:
		return lang.X("event.complaint.analysis_recorded", "Analysis recorded")
	case domain.ComplaintSolutionProposed:
		return lang.X("event.complaint.solution_proposed", "Solutions proposed")
	case domain.ComplaintSolutionChosen:
		return lang.X("event.complaint.solution_chosen", "Solution chosen")
	case domain.ComplaintActionLinked:
		return lang.X("event.complaint.action_linked", "Action linked")
	case domain.ComplaintResolved:
		return lang.X("event.complaint.resolved", "Marked as resolved")
	case domain.ComplaintVerified:
		return lang.X("event.complaint.verified", "Resolution verified and rated")
	case domain.ComplaintReopened:
		return lang.X("event.complaint.reopened", "Complaint reopened")
	case domain.ComplaintRejected:
		return lang.X("event.complaint.rejected", "Complaint rejected")
	case domain.ComplaintReexaminationRequested:
		return lang.X("event.complaint.reexamination_requested", "Re-examination requested")
	case domain.ComplaintEscalated:
		return lang.X("event.complaint.escalated", "Complaint escalated")
	case domain.ComplaintMarkedDuplicate:
		return lang.X("event.complaint.marked_duplicate", "Marked as duplicate")
	case domain.ComplaintWithdrawn:
		return lang.X("event.complaint.withdrawn", "Complaint withdrawn")
	case domain.ComplaintMessagePosted:
		return lang.X("event.complaint.message_posted", "Message posted")
	case domain.ComplaintAttachmentAdded:
		return lang.X("event.complaint.attachment_added", "File added")
	case domain.ComplaintConflictResolved:
		return lang.X("event.complaint.conflict_resolved", "Concurrent changes settled")
	case domain.ActionAssigned:
		return lang.X("event.action.assigned", "Action assigned")
	case domain.ActionStarted:
		return lang.X("event.action.started", "Action started")
	case domain.ActionCompleted:
		return lang.X("event.action.completed", "Action completed")
	case domain.ActionVerified:
		return lang.X("event.action.verified", "Action's effectiveness verified")
	case domain.ActionCancelled:
		return lang.X("event.action.cancelled", "Action cancelled")
	case domain.ActionRescheduled:
		return lang.X("event.action.rescheduled", "Action rescheduled")
	case domain.ActionConflictResolved:
		return lang.X("event.action.conflict_resolved", "Concurrent changes settled")
	case domain.ActionEffectivenessMeasured:
		return lang.X("event.action.effectiveness_measured", "Effectiveness measured")
	case domain.PlanDrafted:
		return lang.X("event.plan.drafted", "Preventive plan drafted")
	case domain.PlanRevised:
		return lang.X("event.plan.revised", "Preventive plan revised")
	case domain.PlanSubmitted:
		return lang.X("event.plan.submitted", "Plan submitted for approval")
	case domain.PlanApproved:
		return lang.X("event.plan.approved", "Plan approved")
	case domain.PlanRejected:
		return lang.X("event.plan.rejected", "Plan rejected")
	case domain.PlanStarted:
		return lang.X("event.plan.started", "Plan started")
	case domain.PlanEvaluated:
		return lang.X("event.plan.evaluated", "Plan evaluated")
	case domain.PlanConflictResolved:
		return lang.X("event.plan.conflict_resolved", "Concurrent changes settled")
	case domain.StationDefined:
		return lang.X("event.station.defined", "Station defined")
	case domain.StationUpdated:
		return lang.X("event.station.updated", "Station edited")
	case domain.StationRetired:
		return lang.X("event.station.retired", "Station retired")
	case domain.UserRegistered:
		return lang.X("event.user.registered", "Person registered")
	case domain.UserUpdated:
		return lang.X("event.user.updated", "Person edited")
	case domain.UserDisabled:
		return lang.X("event.user.disabled", "Person disabled")
	case domain.UserEnabled:
		return lang.X("event.user.enabled", "Person enabled")
	case domain.CategoryDefined:
		return lang.X("event.category.defined", "Category defined")
	case domain.CategoryUpdated:
		return lang.X("event.category.updated", "Category edited")
	case domain.CategoryRetired:
		return lang.X("event.category.retired", "Category retired")
	case domain.SeverityConfigured:
		return lang.X("event.severity.configured", "Severities configured")
	}
	return string(t)
}

// Refusal says in words why the server refused a change, from the rule
// it named (or, failing that, its error code); "" when there is nothing
// better to say than the server's own message.
func Refusal(rule string, code domain.Code) string {
	switch {
	case rule == "complaint.number_taken":
		return lang.X("refusal.number_taken", "Another complaint already has this number. Record the complaint again: it gets a number of its own.")
	case rule == "complaint.already_filed":
		return lang.X("refusal.already_filed", "This complaint had already been filed. Record it again as a new complaint if it is another defect.")
	case rule == "complaint.complainant":
		return lang.X("refusal.complainant", "Only the operators of the station that filed the complaint choose its solution, verify, rate, reopen or ask for a re-examination.")
	case rule == "sync.author":
		return lang.X("refusal.author", "The server could not confirm who recorded this change, or that person may not make it. Sign in online and record it again.")
	case rule == "sync.signature":
		return lang.X("refusal.signature", "The server could not confirm that this person recorded the change on this workstation. Sign in online once, then record it again.")
	case rule == "sync.directory":
		return lang.X("refusal.directory", "People, stations, categories and severities are changed by an administrator signed in online, not relayed by a workstation.")
	case rule == "sync.clock_ahead":
		return lang.X("refusal.clock_ahead", "This workstation's clock is ahead of the server's. Set its date and time right, then record the change again.")
	case rule == "complaint.internal_note_sealed":
		return lang.X("refusal.internal_note_sealed", "This internal note was recorded in plain text by an older version of the app. Record it again: it is then sealed so that operators cannot read it.")
	case rule == "sync.sequence_reused":
		return lang.X("refusal.sequence_reused", "This workstation's data was restored from an old copy and this change reused a number already sent. Record it again.")
	case strings.HasPrefix(rule, "permission."):
		return lang.X("refusal.permission", "The author's role may not make this change.")
	case code == domain.EForbidden:
		return lang.X("refusal.forbidden", "This change is not allowed for its author's role or station.")
	case code == domain.EInvalid:
		return lang.X("refusal.invalid", "The server found a field that breaks a rule.")
	case code == domain.EConflict:
		return lang.X("refusal.conflict", "The plant's data no longer allows this change.")
	}
	return ""
}
