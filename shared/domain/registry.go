package domain

import (
	"encoding/json"
	"slices"
)

// Event types. A type's name never changes; a change to its payload bumps
// the schema version in the registry below.
const (
	ComplaintFiled                  EventType = "complaint.filed"
	ComplaintAcknowledged           EventType = "complaint.acknowledged"
	ComplaintAssigned               EventType = "complaint.assigned"
	ComplaintDeadlineRescheduled    EventType = "complaint.deadline_rescheduled"
	ComplaintAnalysisRecorded       EventType = "complaint.analysis_recorded"
	ComplaintSolutionProposed       EventType = "complaint.solution_proposed"
	ComplaintSolutionChosen         EventType = "complaint.solution_chosen"
	ComplaintActionLinked           EventType = "complaint.action_linked"
	ComplaintResolved               EventType = "complaint.resolved"
	ComplaintVerified               EventType = "complaint.verified"
	ComplaintReopened               EventType = "complaint.reopened"
	ComplaintRejected               EventType = "complaint.rejected"
	ComplaintReexaminationRequested EventType = "complaint.reexamination_requested"
	ComplaintEscalated              EventType = "complaint.escalated"
	ComplaintMarkedDuplicate        EventType = "complaint.marked_duplicate"
	ComplaintWithdrawn              EventType = "complaint.withdrawn"
	ComplaintMessagePosted          EventType = "complaint.message_posted"
	ComplaintAttachmentAdded        EventType = "complaint.attachment_added"
	ComplaintConflictResolved       EventType = "complaint.conflict_resolved"
	// An engineer's decisions on the problem of a complaint (issue 11):
	// confirm the proposal, move it to another (or a new) problem, or say
	// it is not the problem proposed. They win over the proposal.
	ComplaintProblemConfirmed EventType = "complaint.problem_confirmed"
	ComplaintProblemMoved     EventType = "complaint.problem_moved"
	ComplaintProblemDenied    EventType = "complaint.problem_denied"

	ActionAssigned         EventType = "action.assigned"
	ActionStarted          EventType = "action.started"
	ActionCompleted        EventType = "action.completed"
	ActionVerified         EventType = "action.verified"
	ActionCancelled        EventType = "action.cancelled"
	ActionRescheduled      EventType = "action.rescheduled"
	ActionConflictResolved EventType = "action.conflict_resolved"
	// ActionEffectivenessMeasured is the verdict the software measures from
	// the data (docs/kpis.md, "Effectiveness"); it leaves the status, which
	// is people's verdict, alone.
	ActionEffectivenessMeasured EventType = "action.effectiveness_measured"

	PlanDrafted          EventType = "plan.drafted"
	PlanRevised          EventType = "plan.revised"
	PlanSubmitted        EventType = "plan.submitted"
	PlanApproved         EventType = "plan.approved"
	PlanRejected         EventType = "plan.rejected"
	PlanStarted          EventType = "plan.started"
	PlanEvaluated        EventType = "plan.evaluated"
	PlanConflictResolved EventType = "plan.conflict_resolved"

	ProblemMerged           EventType = "problem.merged"
	ProblemSplit            EventType = "problem.split"
	ProblemConflictResolved EventType = "problem.conflict_resolved"

	StationDefined     EventType = "station.defined"
	StationUpdated     EventType = "station.updated"
	StationRetired     EventType = "station.retired"
	UserRegistered     EventType = "user.registered"
	UserUpdated        EventType = "user.updated"
	UserDisabled       EventType = "user.disabled"
	UserEnabled        EventType = "user.enabled"
	CategoryDefined    EventType = "category.defined"
	CategoryUpdated    EventType = "category.updated"
	CategoryRetired    EventType = "category.retired"
	SeverityConfigured EventType = "severity.configured"
)

// Payload is the body of an event; Validate checks it on its own, before
// any state is consulted, and names the field at fault.
type Payload interface{ Validate() error }

// eventSpec is one row of the registry.
type eventSpec struct {
	entity EntityType
	schema uint16 // newest payload schema this software understands
	roles  []Role // who may emit it: the permission table
	verb   string // for error messages: "a user with role X may not <verb>"
	decode func(json.RawMessage) (Payload, error)
	// decodeFast and decodeStd are decode's two halves (payloadjson.go),
	// kept apart so that a test can hold one to the other.
	decodeFast func([]byte) (Payload, bool)
	decodeStd  func([]byte) (Payload, error)
}

// Shorthands for the permission column.
var (
	operator       = []Role{RoleOperator}
	engineer       = []Role{RoleEngineer}
	manager        = []Role{RoleManager}
	admin          = []Role{RoleAdmin}
	engineerOrMgr  = []Role{RoleEngineer, RoleManager}
	anyPerson      = []Role{RoleOperator, RoleEngineer, RoleManager, RoleAdmin}
	escalators     = []Role{RoleOperator, RoleEngineer, RoleManager, RoleSystem}
	filers         = []Role{RoleOperator, RoleEngineer}
	evaluators     = []Role{RoleEngineer, RoleManager, RoleSystem}
	conflictFixers = []Role{RoleEngineer, RoleManager, RoleAdmin}
	systemOnly     = []Role{RoleSystem}
)

// registry is the one table of event types: the entity each applies to, the
// schema version understood, and which roles may emit it. Both the
// workstation (before writing) and the server (when a push arrives) check
// events against it.
var registry = map[EventType]eventSpec{
	ComplaintFiled:                  spec[ComplaintFiledPayload](EntityComplaint, filers, "file a complaint"),
	ComplaintAcknowledged:           spec[AcknowledgePayload](EntityComplaint, engineer, "acknowledge a complaint"),
	ComplaintAssigned:               spec[AssignPayload](EntityComplaint, engineerOrMgr, "assign a complaint"),
	ComplaintDeadlineRescheduled:    spec[ReschedulePayload](EntityComplaint, engineer, "reschedule a deadline"),
	ComplaintAnalysisRecorded:       spec[AnalysisPayload](EntityComplaint, engineer, "record an analysis"),
	ComplaintSolutionProposed:       spec[ProposeSolutionPayload](EntityComplaint, engineer, "propose a solution"),
	ComplaintSolutionChosen:         spec[ChooseSolutionPayload](EntityComplaint, operator, "choose a solution"),
	ComplaintActionLinked:           spec[LinkActionPayload](EntityComplaint, engineer, "assign an action"),
	ComplaintResolved:               spec[ResolvePayload](EntityComplaint, engineer, "resolve a complaint"),
	ComplaintVerified:               spec[VerifyPayload](EntityComplaint, operator, "verify and rate a resolution"),
	ComplaintReopened:               spec[ReasonPayload](EntityComplaint, operator, "reopen a complaint"),
	ComplaintRejected:               spec[ReasonPayload](EntityComplaint, engineer, "reject a complaint"),
	ComplaintReexaminationRequested: spec[ReasonPayload](EntityComplaint, operator, "request a re-examination"),
	ComplaintEscalated:              spec[EscalatePayload](EntityComplaint, escalators, "escalate a complaint"),
	ComplaintMarkedDuplicate:        spec[DuplicatePayload](EntityComplaint, engineer, "mark a complaint as duplicate"),
	ComplaintWithdrawn:              spec[ReasonPayload](EntityComplaint, operator, "withdraw a complaint"),
	ComplaintMessagePosted:          spec[MessagePayload](EntityComplaint, anyPerson, "post a message"),
	ComplaintAttachmentAdded:        spec[AttachmentPayload](EntityComplaint, filers, "attach evidence"),
	ComplaintConflictResolved:       spec[ResolveConflictPayload](EntityComplaint, conflictFixers, "resolve a conflict"),
	ComplaintProblemConfirmed:       spec[ProblemDecisionPayload](EntityComplaint, engineerOrMgr, "confirm the problem of a complaint"),
	ComplaintProblemMoved:           spec[ProblemDecisionPayload](EntityComplaint, engineerOrMgr, "move a complaint to another problem"),
	ComplaintProblemDenied:          spec[ProblemDecisionPayload](EntityComplaint, engineerOrMgr, "say a complaint is not the problem proposed"),

	ActionAssigned:         spec[ActionAssignedPayload](EntityAction, engineer, "assign an action"),
	ActionStarted:          spec[NotePayload](EntityAction, engineerOrMgr, "start an action"),
	ActionCompleted:        spec[NotePayload](EntityAction, engineerOrMgr, "complete an action"),
	ActionVerified:         spec[VerdictPayload](EntityAction, engineer, "verify an action's effectiveness"),
	ActionCancelled:        spec[ReasonPayload](EntityAction, engineerOrMgr, "cancel an action"),
	ActionRescheduled:      spec[ActionRescheduledPayload](EntityAction, engineerOrMgr, "reschedule an action"),
	ActionConflictResolved: spec[ResolveConflictPayload](EntityAction, conflictFixers, "resolve a conflict"),
	// Measured from the data by the server, beside the people's verdict.
	ActionEffectivenessMeasured: spec[VerdictPayload](EntityAction, systemOnly, "record a measured effectiveness"),

	PlanDrafted:          spec[PlanContentPayload](EntityPlan, engineerOrMgr, "draft a preventive plan"),
	PlanRevised:          spec[PlanContentPayload](EntityPlan, engineerOrMgr, "revise a preventive plan"),
	PlanSubmitted:        spec[NotePayload](EntityPlan, engineer, "submit a preventive plan"),
	PlanApproved:         spec[SignOffPayload](EntityPlan, manager, "approve a preventive plan"),
	PlanRejected:         spec[SignOffPayload](EntityPlan, manager, "reject a preventive plan"),
	PlanStarted:          spec[NotePayload](EntityPlan, engineerOrMgr, "start a preventive plan"),
	PlanEvaluated:        spec[VerdictPayload](EntityPlan, evaluators, "evaluate a preventive plan"),
	PlanConflictResolved: spec[ResolveConflictPayload](EntityPlan, conflictFixers, "resolve a conflict"),

	ProblemMerged:           spec[ProblemMergedPayload](EntityProblem, engineerOrMgr, "merge problems"),
	ProblemSplit:            spec[ProblemSplitPayload](EntityProblem, engineerOrMgr, "split a problem"),
	ProblemConflictResolved: spec[ResolveConflictPayload](EntityProblem, conflictFixers, "resolve a conflict"),

	StationDefined:     spec[StationPayload](EntityStation, admin, "define a station"),
	StationUpdated:     spec[StationPayload](EntityStation, admin, "edit a station"),
	StationRetired:     spec[ReasonPayload](EntityStation, admin, "retire a station"),
	UserRegistered:     spec[UserPayload](EntityUser, admin, "register a user"),
	UserUpdated:        spec[UserPayload](EntityUser, admin, "edit a user"),
	UserDisabled:       spec[ReasonPayload](EntityUser, admin, "disable a user"),
	UserEnabled:        spec[NotePayload](EntityUser, admin, "enable a user"),
	CategoryDefined:    spec[CategoryPayload](EntityCategory, admin, "define a category"),
	CategoryUpdated:    spec[CategoryPayload](EntityCategory, admin, "edit a category"),
	CategoryRetired:    spec[ReasonPayload](EntityCategory, admin, "retire a category"),
	SeverityConfigured: spec[SeverityPayload](EntitySeverity, admin, "configure severities"),
}

// spec builds a registry row for payload type P at schema version 1.
func spec[P any, PP interface {
	*P
	Payload
}](entity EntityType, roles []Role, verb string) eventSpec {
	return eventSpec{entity: entity, schema: 1, roles: roles, verb: verb,
		decode:     func(raw json.RawMessage) (Payload, error) { return decodePayloadJSON[P, PP](raw) },
		decodeFast: decodePayloadFast[P, PP], decodeStd: decodePayloadStd[P, PP]}
}

// EventTypes returns every registered event type, sorted.
func EventTypes() []EventType {
	out := make([]EventType, 0, len(registry))
	for t := range registry {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// EntityOf returns the entity type an event type applies to.
func EntityOf(t EventType) (EntityType, bool) {
	s, ok := registry[t]
	return s.entity, ok
}

// DecodePayload decodes and validates the payload of a known event.
func DecodePayload(e *Event) (Payload, error) {
	s, ok := registry[e.Type]
	if !ok {
		return nil, &Error{Code: EInvalid, Field: "type", Message: "unknown event type " + string(e.Type)}
	}
	if s.entity != e.EntityType {
		return nil, &Error{Code: EInvalid, Field: "entity_type", Message: string(e.Type) + " applies to " + string(s.entity)}
	}
	p, err := s.decode(e.Payload)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Validate checks an event on its own, as the server does on every push:
// envelope, known type, permission of the author's role, payload rules.
// It does not consult state: a transition made invalid by a concurrent
// event is accepted and flagged by the fold, not refused.
func Validate(e *Event) error {
	if err := e.ValidateEnvelope(); err != nil {
		return err
	}
	_, err := ValidateDecoded(e)
	return err
}

// ValidateDecoded is Validate for an event DecodeEvent returned, whose
// envelope it checked already (the server's push checks every event of a
// batch it decoded this way), and returns the payload it decoded, so that
// a caller needing it does not decode it again.
func ValidateDecoded(e *Event) (Payload, error) {
	if err := CheckPermission(e.Role, e.Type); err != nil {
		return nil, err
	}
	p, err := DecodePayload(e)
	if err != nil {
		return nil, err
	}
	if IsPlainInternalNote(p) {
		return nil, RuleError(EInvalid, "complaint.internal_note_sealed", "an internal note is sealed under the plant's confidential key, never recorded in plain text")
	}
	return p, nil
}

// NewEvent starts an event of type t on an entity with its payload, at the
// newest schema version. The store fills in the id, clock, replica,
// sequence, author and parents when it records it.
func NewEvent(t EventType, entityID string, p Payload) (Event, error) {
	s, ok := registry[t]
	if !ok {
		return Event{}, &Error{Code: EInvalid, Field: "type", Message: "unknown event type " + string(t)}
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return Event{}, &Error{Code: EInvalid, Field: "payload", Message: err.Error()}
	}
	return Event{EntityType: s.entity, EntityID: entityID, Type: t, Schema: s.schema, Payload: raw}, nil
}
