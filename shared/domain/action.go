package domain

import (
	"slices"
	"time"
)

// ActionStatus is where an action is.
type ActionStatus string

const (
	ActionStatusOpen        ActionStatus = "open"
	ActionStatusInProgress  ActionStatus = "in_progress"
	ActionStatusDone        ActionStatus = "done"
	ActionStatusEffective   ActionStatus = "effective"   // verified effective
	ActionStatusIneffective ActionStatus = "ineffective" // verified ineffective
	ActionStatusCancelled   ActionStatus = "cancelled"
)

// ActionStatuses lists the action statuses in order.
var ActionStatuses = []ActionStatus{ActionStatusOpen, ActionStatusInProgress, ActionStatusDone, ActionStatusEffective, ActionStatusIneffective, ActionStatusCancelled}

// Pending reports whether someone still has to carry the action out.
func (s ActionStatus) Pending() bool { return s == ActionStatusOpen || s == ActionStatusInProgress }

// Action is a containment, corrective or preventive action.
type Action struct {
	ID           string       `json:"id"`
	Kind         ActionKind   `json:"kind"`
	Title        string       `json:"title"`
	Description  string       `json:"description,omitempty"`
	Owner        string       `json:"owner"`
	Due          time.Time    `json:"due"`
	ComplaintID  string       `json:"complaint_id,omitempty"`
	PlanID       string       `json:"plan_id,omitempty"`
	Status       ActionStatus `json:"status"`
	AssignedBy   string       `json:"assigned_by"`
	AssignedAt   time.Time    `json:"assigned_at"`
	StartedAt    time.Time    `json:"started_at,omitzero"`
	DoneAt       time.Time    `json:"done_at,omitzero"`
	VerifiedBy   string       `json:"verified_by,omitempty"`
	VerifiedAt   time.Time    `json:"verified_at,omitzero"`
	Verdict      string       `json:"verdict,omitempty"` // the verifier's note
	Evidence     []string     `json:"evidence,omitempty"`
	Notes        []Message    `json:"notes,omitempty"`
	CancelReason string       `json:"cancel_reason,omitempty"`
	// MeasuredEffective is the verdict the software measured from the data
	// (action.effectiveness_measured): nil until measured. It sits beside
	// the people's verdict (Status) and never changes it.
	MeasuredEffective *bool     `json:"measured_effective,omitempty"`
	MeasuredAt        time.Time `json:"measured_at,omitzero"`
	MeasuredEvidence  []string  `json:"measured_evidence,omitempty"` // complaints that prove it ineffective
}

// Overdue reports whether the action is still pending past its due date.
func (a *Action) Overdue(now time.Time) bool { return a.Status.Pending() && now.After(a.Due) }

var conflictableActionFields = []string{"owner", "due"}

func applyAction(c *change, p Payload) error {
	if f, ok := p.(*ActionAssignedPayload); ok {
		if c.s.Action != nil {
			return RuleError(EConflict, "action.unique", "action %s already exists", c.e.EntityID)
		}
		c.s.Action = &Action{ID: c.e.EntityID, Kind: f.Kind, Title: f.Title, Description: f.Description,
			Owner: f.Owner, Due: f.Due.UTC(), ComplaintID: f.ComplaintID, PlanID: f.PlanID,
			Status: ActionStatusOpen, AssignedBy: c.e.Author, AssignedAt: c.at()}
		return nil
	}
	a := c.s.Action
	if a == nil {
		return RuleError(ENotFound, "action.exists", "action %s has not been assigned", c.e.EntityID)
	}
	note := func(text string) {
		if text != "" {
			a.Notes = append(a.Notes, Message{Author: c.e.Author, Role: c.e.Role, Text: text, At: c.at()})
		}
	}
	switch p := p.(type) {
	case *NotePayload:
		switch c.e.Type {
		case ActionStarted:
			if err := moveStatus(c, "action.start", &a.Status, ActionStatusInProgress, ActionStatusOpen); err != nil {
				return err
			}
			a.StartedAt = c.at()
		case ActionCompleted:
			if err := moveStatus(c, "action.complete", &a.Status, ActionStatusDone, ActionStatusOpen, ActionStatusInProgress); err != nil {
				return err
			}
			a.DoneAt = c.at()
		}
		note(p.Note)
		return nil
	case *VerdictPayload:
		if c.e.Type == ActionEffectivenessMeasured {
			return measureAction(c, a, p)
		}
		to := ActionStatusIneffective
		if p.Effective {
			to = ActionStatusEffective
		}
		if err := moveStatus(c, "action.verify", &a.Status, to, ActionStatusDone); err != nil {
			return err
		}
		a.VerifiedBy, a.VerifiedAt, a.Verdict, a.Evidence = c.e.Author, c.at(), p.Note, slices.Clone(p.Evidence)
		return nil
	case *ReasonPayload:
		if err := moveStatus(c, "action.cancel", &a.Status, ActionStatusCancelled, ActionStatusOpen, ActionStatusInProgress); err != nil {
			return err
		}
		a.CancelReason = p.Reason
		return nil
	case *ActionRescheduledPayload:
		if !a.Status.Pending() {
			return RuleError(EConflict, "action.reschedule", "not allowed while %s", a.Status)
		}
		if p.Owner != "" {
			writeField(c, "owner", &a.Owner, p.Owner)
		}
		if !p.Due.IsZero() {
			writeField(c, "due", &a.Due, p.Due.UTC())
		}
		note(p.Reason)
		return nil
	case *ResolveConflictPayload:
		return resolveConflict(c, p, a, conflictableActionFields)
	}
	return RuleError(EInvalid, "action.event", "%s does not apply to an action", c.e.Type)
}

// measureAction records the verdict measured from the data on a preventive
// action once done, leaving its status alone. It is measured once: a
// verdict measured from data is final (docs/kpis.md, "Effectiveness").
func measureAction(c *change, a *Action, p *VerdictPayload) error {
	switch {
	case a.Status != ActionStatusDone && a.Status != ActionStatusEffective && a.Status != ActionStatusIneffective:
		return RuleError(EConflict, "action.measure", "not allowed while %s", a.Status)
	case a.MeasuredEffective != nil:
		return RuleError(EConflict, "action.measure", "effectiveness already measured")
	}
	effective := p.Effective
	a.MeasuredEffective, a.MeasuredAt, a.MeasuredEvidence = &effective, c.at(), slices.Clone(p.Evidence)
	return nil
}
