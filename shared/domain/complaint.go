package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// ComplaintStatus is where a complaint is in its loop.
type ComplaintStatus string

const (
	StatusNew               ComplaintStatus = "new"
	StatusAcknowledged      ComplaintStatus = "acknowledged"
	StatusInvestigating     ComplaintStatus = "investigating"
	StatusSolutionProposed  ComplaintStatus = "solution_proposed"
	StatusSolutionChosen    ComplaintStatus = "solution_chosen"
	StatusActionsInProgress ComplaintStatus = "actions_in_progress"
	StatusResolved          ComplaintStatus = "resolved" // awaiting the complainant's verification
	StatusClosed            ComplaintStatus = "closed"
	StatusRejected          ComplaintStatus = "rejected"
	StatusDuplicate         ComplaintStatus = "duplicate"
	StatusWithdrawn         ComplaintStatus = "withdrawn"
)

// ComplaintStatuses lists the statuses in loop order.
var ComplaintStatuses = []ComplaintStatus{StatusNew, StatusAcknowledged, StatusInvestigating, StatusSolutionProposed,
	StatusSolutionChosen, StatusActionsInProgress, StatusResolved, StatusClosed, StatusRejected, StatusDuplicate, StatusWithdrawn}

// open statuses: the complaint still needs someone to act.
var openStatuses = []ComplaintStatus{StatusNew, StatusAcknowledged, StatusInvestigating, StatusSolutionProposed,
	StatusSolutionChosen, StatusActionsInProgress, StatusResolved}

// analysable statuses: after acknowledgement, before resolution.
var analysable = []ComplaintStatus{StatusAcknowledged, StatusInvestigating, StatusSolutionProposed, StatusSolutionChosen, StatusActionsInProgress}

// Open reports whether the complaint still awaits handling or verification.
func (s ComplaintStatus) Open() bool { return slices.Contains(openStatuses, s) }

// Complaint is the folded state of a non-conformance complaint.
type Complaint struct {
	ID              string       `json:"id"`
	Number          string       `json:"number"`
	FilingStation   string       `json:"filing_station"`
	SupplierStation string       `json:"supplier_station"`
	PartRef         string       `json:"part_ref"`
	Lot             string       `json:"lot,omitempty"`
	Quantity        int          `json:"quantity"`
	Category        string       `json:"category"`
	Severity        Severity     `json:"severity"`
	Kind            Kind         `json:"kind"`
	Remedy          Remedy       `json:"remedy,omitempty"`
	Description     string       `json:"description"`
	Attachments     []Attachment `json:"attachments,omitempty"`
	FiledBy         string       `json:"filed_by"`
	FiledAt         time.Time    `json:"filed_at"`
	// FiledOrder is the fold order of the filing event. Lists show the
	// newest first by it, not by FiledAt: milliseconds tie, the HLC does
	// not on one workstation, and replica then id break ties across them.
	FiledOrder OrderKey `json:"filed_order"`

	Status          ComplaintStatus `json:"status"`
	StatusChangedAt time.Time       `json:"status_changed_at"`
	Assignee        string          `json:"assignee,omitempty"`
	AcknowledgedBy  string          `json:"acknowledged_by,omitempty"`
	AcknowledgedAt  time.Time       `json:"acknowledged_at,omitzero"`
	Deadline        time.Time       `json:"deadline,omitzero"` // resolution deadline announced to the complainant

	Containment string   `json:"containment,omitempty"`
	Whys        []string `json:"whys,omitempty"`
	Ishikawa    Ishikawa `json:"ishikawa,omitempty"`
	RootCause   string   `json:"root_cause,omitempty"`

	Solutions      []Solution   `json:"solutions,omitempty"`
	ChosenSolution string       `json:"chosen_solution,omitempty"`
	Actions        []ActionLink `json:"actions,omitempty"`

	Resolution    string    `json:"resolution,omitempty"`
	ResolvedAt    time.Time `json:"resolved_at,omitzero"`
	Rating        int       `json:"rating,omitempty"` // satisfaction 1–5 given at closing
	RatingComment string    `json:"rating_comment,omitempty"`
	ClosedAt      time.Time `json:"closed_at,omitzero"`

	RejectionReason string       `json:"rejection_reason,omitempty"`
	Reexaminations  int          `json:"reexaminations,omitempty"`
	Reopens         int          `json:"reopens,omitempty"`
	Escalations     []Escalation `json:"escalations,omitempty"`
	DuplicateOf     string       `json:"duplicate_of,omitempty"`
	WithdrawnReason string       `json:"withdrawn_reason,omitempty"`
	Messages        []Message    `json:"messages,omitempty"`

	// Problem is the problem (failure mode) an engineer decided the
	// complaint belongs to, confirming the proposal or moving it; empty
	// while the automatic proposal stands (analytics.Problems).
	// NotProblems are the problems an engineer said it is not the same
	// as: the proposal never puts it back into one of them.
	Problem     string   `json:"problem,omitempty"`
	NotProblems []string `json:"not_problems,omitempty"`
}

// Solution is one proposed option.
type Solution struct {
	ID         string    `json:"id"`
	Text       string    `json:"text"`
	ProposedBy string    `json:"proposed_by"`
	At         time.Time `json:"at"`
}

// ActionLink is an action answering the complaint.
type ActionLink struct {
	ID    string     `json:"id"`
	Kind  ActionKind `json:"kind"`
	Title string     `json:"title"`
}

// Escalation names who the complaint was escalated to.
type Escalation struct {
	By         string    `json:"by"`
	Supervisor string    `json:"supervisor"`
	Reason     string    `json:"reason"`
	Automatic  bool      `json:"automatic,omitempty"`
	At         time.Time `json:"at"`
}

// Message is a message to the complainant or an internal note. The fold
// keeps an internal note as it travels, sealed (Text empty); a reader with
// the plant's confidential key opens it for display only.
type Message struct {
	Author   string    `json:"author"`
	Role     Role      `json:"role"`
	Text     string    `json:"text"`
	Internal bool      `json:"internal,omitempty"`
	Sealed   string    `json:"sealed,omitempty"`
	At       time.Time `json:"at"`
}

// Overdue reports whether the announced deadline passed before the
// complaint was resolved.
func (c *Complaint) Overdue(now time.Time) bool {
	return c.Status.Open() && c.Status != StatusResolved && !c.Deadline.IsZero() && now.After(c.Deadline)
}

// conflictableComplaintFields are the fields two people can edit
// concurrently; the fold keeps both values until resolved.
var conflictableComplaintFields = []string{"assignee", "deadline", "containment", "whys", "ishikawa", "root_cause", "problem"}

func applyComplaint(c *change, p Payload) error {
	if f, ok := p.(*ComplaintFiledPayload); ok {
		return fileComplaint(c, f)
	}
	k := c.s.Complaint
	if k == nil {
		return RuleError(ENotFound, "complaint.exists", "complaint %s has not been filed", c.e.EntityID)
	}
	before := k.Status
	err := complaintHandler(c, k, p)
	if k.Status != before {
		k.StatusChangedAt = c.at()
	}
	return err
}

func fileComplaint(c *change, f *ComplaintFiledPayload) error {
	if c.s.Complaint != nil {
		return RuleError(EConflict, "complaint.unique", "complaint %s was already filed", c.e.EntityID)
	}
	c.s.Complaint = &Complaint{
		ID: c.e.EntityID, Number: f.Number, FilingStation: f.FilingStation, SupplierStation: f.SupplierStation,
		PartRef: strings.TrimSpace(f.PartRef), Lot: strings.TrimSpace(f.Lot), Quantity: f.Quantity, Category: f.Category, Severity: f.Severity,
		Kind: f.Kind, Remedy: f.Remedy, Description: f.Description, Attachments: f.Attachments,
		FiledBy: c.e.Author, FiledAt: c.at(), FiledOrder: c.e.Order(), Status: StatusNew, StatusChangedAt: c.at(),
	}
	return nil
}

// complaintHandler applies every event after filing. The allowed source
// statuses of each transition are written next to it.
func complaintHandler(c *change, k *Complaint, p Payload) error {
	switch p := p.(type) {
	case *AcknowledgePayload:
		if !p.Deadline.After(k.FiledAt) {
			return FieldError("deadline", "must be after the filing time")
		}
		if err := moveStatus(c, "complaint.acknowledge", &k.Status, StatusAcknowledged, StatusNew); err != nil {
			return err
		}
		k.AcknowledgedBy, k.AcknowledgedAt = c.e.Author, c.at()
		writeField(c, "deadline", &k.Deadline, p.Deadline.UTC())
		writeField(c, "assignee", &k.Assignee, p.Assignee)
		return nil
	case *AssignPayload:
		if !k.Status.Open() {
			return RuleError(EConflict, "complaint.assign", "not allowed while %s", k.Status)
		}
		writeField(c, "assignee", &k.Assignee, p.Assignee)
		return nil
	case *ReschedulePayload:
		if !slices.Contains(analysable, k.Status) {
			return RuleError(EConflict, "complaint.reschedule", "not allowed while %s", k.Status)
		}
		if !p.Deadline.After(k.FiledAt) {
			return FieldError("deadline", "must be after the filing time")
		}
		writeField(c, "deadline", &k.Deadline, p.Deadline.UTC())
		return nil
	case *AnalysisPayload:
		return recordAnalysis(c, k, p)
	case *ProposeSolutionPayload:
		return proposeSolutions(c, k, p)
	case *ChooseSolutionPayload:
		if !slices.ContainsFunc(k.Solutions, func(s Solution) bool { return s.ID == p.SolutionID }) {
			return FieldError("solution_id", "is not one of the proposed solutions")
		}
		if err := moveStatus(c, "complaint.choose", &k.Status, StatusSolutionChosen, StatusSolutionProposed); err != nil {
			return err
		}
		k.ChosenSolution = p.SolutionID
		return nil
	case *LinkActionPayload:
		return linkAction(c, k, p)
	case *ResolvePayload:
		if err := moveStatus(c, "complaint.resolve", &k.Status, StatusResolved, StatusSolutionChosen, StatusActionsInProgress); err != nil {
			return err
		}
		k.Resolution, k.ResolvedAt = p.Summary, c.at()
		return nil
	case *VerifyPayload:
		if err := moveStatus(c, "complaint.verify", &k.Status, StatusClosed, StatusResolved); err != nil {
			return err
		}
		k.Rating, k.RatingComment, k.ClosedAt = p.Rating, p.Comment, c.at()
		return nil
	case *ReasonPayload:
		return complaintReason(c, k, p)
	case *EscalatePayload:
		if !k.Status.Open() {
			return RuleError(EConflict, "complaint.escalate", "not allowed while %s", k.Status)
		}
		if p.Automatic && c.e.Role != RoleSystem {
			// "Raised because a deadline passed" is the software's claim
			// to make: a person's escalation is always their own.
			return FieldError("automatic", "only the system raises automatic escalations")
		}
		k.Escalations = append(k.Escalations, Escalation{By: c.e.Author, Supervisor: p.Supervisor, Reason: p.Reason, Automatic: p.Automatic, At: c.at()})
		return nil
	case *DuplicatePayload:
		if p.Of == k.ID {
			return FieldError("of", "a complaint cannot duplicate itself")
		}
		if err := moveStatus(c, "complaint.duplicate", &k.Status, StatusDuplicate, StatusNew, StatusAcknowledged, StatusInvestigating); err != nil {
			return err
		}
		k.DuplicateOf = p.Of
		return nil
	case *MessagePayload:
		if p.Internal && c.e.Role == RoleOperator {
			return RuleError(EForbidden, "complaint.internal_note", "operators post messages, not internal notes")
		}
		k.Messages = append(k.Messages, Message{Author: c.e.Author, Role: c.e.Role, Text: p.Text, Internal: p.Internal, Sealed: p.Sealed, At: c.at()})
		return nil
	case *AttachmentPayload:
		if !k.Status.Open() {
			return RuleError(EConflict, "complaint.attach", "not allowed while %s", k.Status)
		}
		if !slices.ContainsFunc(k.Attachments, func(a Attachment) bool { return a.SHA256 == p.Attachment.SHA256 }) {
			k.Attachments = append(k.Attachments, p.Attachment)
		}
		return nil
	case *ResolveConflictPayload:
		return resolveConflict(c, p, k, conflictableComplaintFields)
	case *ProblemDecisionPayload:
		applyProblemDecision(c, k, c.e.Type, p)
		return nil
	}
	return RuleError(EInvalid, "complaint.event", "%s does not apply to a complaint", c.e.Type)
}

// writeField sets one field that concurrent edits may conflict on.
func writeField[T any](c *change, field string, dst *T, v T) {
	write(c, field, *dst, v)
	*dst = v
}

func recordAnalysis(c *change, k *Complaint, p *AnalysisPayload) error {
	if !slices.Contains(analysable, k.Status) {
		return RuleError(EConflict, "complaint.analyse", "not allowed while %s", k.Status)
	}
	if k.Status == StatusAcknowledged {
		_ = moveStatus(c, "complaint.analyse", &k.Status, StatusInvestigating, StatusAcknowledged)
	}
	if p.Containment != nil {
		writeField(c, "containment", &k.Containment, *p.Containment)
	}
	if p.Whys != nil {
		writeField(c, "whys", &k.Whys, slices.Clone(*p.Whys))
	}
	if p.Ishikawa != nil {
		writeField(c, "ishikawa", &k.Ishikawa, *p.Ishikawa)
	}
	if p.RootCause != nil {
		writeField(c, "root_cause", &k.RootCause, *p.RootCause)
	}
	return nil
}

func proposeSolutions(c *change, k *Complaint, p *ProposeSolutionPayload) error {
	for i, o := range p.Options {
		if slices.ContainsFunc(k.Solutions, func(s Solution) bool { return s.ID == o.ID }) {
			return FieldError("options["+strconv.Itoa(i)+"].id", "solution %s was already proposed", o.ID)
		}
	}
	if err := moveStatus(c, "complaint.propose", &k.Status, StatusSolutionProposed, StatusInvestigating, StatusSolutionProposed); err != nil {
		return err
	}
	for _, o := range p.Options {
		k.Solutions = append(k.Solutions, Solution{ID: o.ID, Text: o.Text, ProposedBy: c.e.Author, At: c.at()})
	}
	return nil
}

// linkAction records the action whatever the status (the action exists and
// must stay visible), then refuses the transition if the complaint is no
// longer open for it, so that the fold flags the concurrent case.
func linkAction(c *change, k *Complaint, p *LinkActionPayload) error {
	if slices.ContainsFunc(k.Actions, func(a ActionLink) bool { return a.ID == p.ActionID }) {
		return FieldError("action_id", "action %s is already linked", p.ActionID)
	}
	k.Actions = append(k.Actions, ActionLink{ID: p.ActionID, Kind: p.Kind, Title: p.Title})
	if p.Kind == ActionContainment {
		// Containment comes first, often before the root cause is known.
		if !k.Status.Open() || k.Status == StatusResolved {
			return RuleError(EConflict, "complaint.link_action", "containment action added while %s", k.Status)
		}
		return nil
	}
	if k.Status == StatusActionsInProgress {
		return nil
	}
	return moveStatus(c, "complaint.link_action", &k.Status, StatusActionsInProgress, StatusSolutionChosen)
}

// complaintReason handles the events that carry only a reason.
func complaintReason(c *change, k *Complaint, p *ReasonPayload) error {
	switch c.e.Type {
	case ComplaintReopened:
		if err := moveStatus(c, "complaint.reopen", &k.Status, StatusInvestigating, StatusResolved, StatusClosed); err != nil {
			return err
		}
		k.Reopens++
		k.Messages = append(k.Messages, Message{Author: c.e.Author, Role: c.e.Role, Text: p.Reason, At: c.at()})
		k.Rating, k.RatingComment, k.ClosedAt, k.ResolvedAt = 0, "", time.Time{}, time.Time{}
	case ComplaintRejected:
		if err := moveStatus(c, "complaint.reject", &k.Status, StatusRejected, StatusNew, StatusAcknowledged, StatusInvestigating); err != nil {
			return err
		}
		k.RejectionReason = p.Reason
	case ComplaintReexaminationRequested:
		if err := moveStatus(c, "complaint.reexamine", &k.Status, StatusNew, StatusRejected); err != nil {
			return err
		}
		k.Reexaminations++
		k.Messages = append(k.Messages, Message{Author: c.e.Author, Role: c.e.Role, Text: p.Reason, At: c.at()})
	case ComplaintWithdrawn:
		if c.e.Author != k.FiledBy {
			return RuleError(EForbidden, "complaint.withdraw", "only %s, who filed it, may withdraw it", k.FiledBy)
		}
		if err := moveStatus(c, "complaint.withdraw", &k.Status, StatusWithdrawn, StatusNew, StatusAcknowledged); err != nil {
			return err
		}
		k.WithdrawnReason = p.Reason
	default:
		return RuleError(EInvalid, "complaint.event", "%s does not apply to a complaint", c.e.Type)
	}
	return nil
}
