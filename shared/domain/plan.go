package domain

import (
	"slices"
	"time"
)

// PlanStatus is where a preventive plan is.
type PlanStatus string

const (
	PlanStatusDraft       PlanStatus = "draft"
	PlanStatusSubmitted   PlanStatus = "submitted"
	PlanStatusApproved    PlanStatus = "approved"
	PlanStatusRejected    PlanStatus = "rejected"
	PlanStatusInProgress  PlanStatus = "in_progress"
	PlanStatusEffective   PlanStatus = "effective"
	PlanStatusIneffective PlanStatus = "ineffective"
)

// PlanStatuses lists the plan statuses in order.
var PlanStatuses = []PlanStatus{PlanStatusDraft, PlanStatusSubmitted, PlanStatusApproved, PlanStatusRejected, PlanStatusInProgress, PlanStatusEffective, PlanStatusIneffective}

// Plan groups preventive actions that keep a problem from coming back.
type Plan struct {
	ID              string     `json:"id"`
	Title           string     `json:"title"`
	Objective       string     `json:"objective,omitempty"`
	SupplierStation string     `json:"supplier_station"`
	Categories      []string   `json:"categories"`
	Complaints      []string   `json:"complaints,omitempty"`
	Actions         []string   `json:"actions,omitempty"`
	Status          PlanStatus `json:"status"`
	DraftedBy       string     `json:"drafted_by"`
	DraftedAt       time.Time  `json:"drafted_at"`
	SubmittedAt     time.Time  `json:"submitted_at,omitzero"`
	SignOffs        []SignOff  `json:"sign_offs,omitempty"` // every decision, kept
	StartedAt       time.Time  `json:"started_at,omitzero"`
	EvaluatedAt     time.Time  `json:"evaluated_at,omitzero"`
	Verdict         string     `json:"verdict,omitempty"`
	Evidence        []string   `json:"evidence,omitempty"`
	Notes           []Message  `json:"notes,omitempty"`
}

// SignOff is a manager's signed decision: who, when, what it means.
type SignOff struct {
	Decision PlanStatus `json:"decision"` // approved or rejected
	By       string     `json:"by"`
	Role     Role       `json:"role"`
	At       time.Time  `json:"at"`
	Meaning  string     `json:"meaning"`
	Comment  string     `json:"comment"`
	Event    string     `json:"event"` // the event that carries the signature
}

var conflictablePlanFields = []string{"title", "objective", "supplier_station", "categories", "complaints", "actions"}

func applyPlan(c *change, p Payload) error {
	if f, ok := p.(*PlanContentPayload); ok && c.e.Type == PlanDrafted {
		if c.s.Plan != nil {
			return RuleError(EConflict, "plan.unique", "plan %s already exists", c.e.EntityID)
		}
		c.s.Plan = &Plan{ID: c.e.EntityID, Status: PlanStatusDraft, DraftedBy: c.e.Author, DraftedAt: c.at()}
		setPlanContent(c.s.Plan, f)
		return nil
	}
	pl := c.s.Plan
	if pl == nil {
		return RuleError(ENotFound, "plan.exists", "plan %s has not been drafted", c.e.EntityID)
	}
	switch p := p.(type) {
	case *PlanContentPayload:
		if err := moveStatus(c, "plan.revise", &pl.Status, PlanStatusDraft, PlanStatusDraft, PlanStatusRejected); err != nil {
			return err
		}
		revisePlan(c, pl, p)
		return nil
	case *NotePayload:
		switch c.e.Type {
		case PlanSubmitted:
			if err := moveStatus(c, "plan.submit", &pl.Status, PlanStatusSubmitted, PlanStatusDraft); err != nil {
				return err
			}
			pl.SubmittedAt = c.at()
		case PlanStarted:
			if err := moveStatus(c, "plan.start", &pl.Status, PlanStatusInProgress, PlanStatusApproved); err != nil {
				return err
			}
			pl.StartedAt = c.at()
		}
		if p.Note != "" {
			pl.Notes = append(pl.Notes, Message{Author: c.e.Author, Role: c.e.Role, Text: p.Note, At: c.at()})
		}
		return nil
	case *SignOffPayload:
		to := PlanStatusApproved
		if c.e.Type == PlanRejected {
			to = PlanStatusRejected
		}
		if err := moveStatus(c, "plan.sign_off", &pl.Status, to, PlanStatusSubmitted); err != nil {
			return err
		}
		pl.SignOffs = append(pl.SignOffs, SignOff{Decision: to, By: c.e.Author, Role: c.e.Role, At: c.at(),
			Meaning: p.Meaning, Comment: p.Comment, Event: c.e.ID.String()})
		return nil
	case *VerdictPayload:
		to := PlanStatusIneffective
		if p.Effective {
			to = PlanStatusEffective
		}
		if err := moveStatus(c, "plan.evaluate", &pl.Status, to, PlanStatusInProgress); err != nil {
			return err
		}
		pl.EvaluatedAt, pl.Verdict, pl.Evidence = c.at(), p.Note, slices.Clone(p.Evidence)
		return nil
	case *ResolveConflictPayload:
		return resolveConflict(c, p, pl, conflictablePlanFields)
	}
	return RuleError(EInvalid, "plan.event", "%s does not apply to a plan", c.e.Type)
}

func setPlanContent(pl *Plan, p *PlanContentPayload) {
	pl.Title, pl.Objective, pl.SupplierStation = p.Title, p.Objective, p.SupplierStation
	pl.Categories, pl.Complaints, pl.Actions = slices.Clone(p.Categories), slices.Clone(p.Complaints), slices.Clone(p.Actions)
}

// revisePlan writes each changed field so that two concurrent revisions of
// different fields merge and of the same field conflict.
func revisePlan(c *change, pl *Plan, p *PlanContentPayload) {
	setIfChanged(c, "title", &pl.Title, p.Title)
	setIfChanged(c, "objective", &pl.Objective, p.Objective)
	setIfChanged(c, "supplier_station", &pl.SupplierStation, p.SupplierStation)
	setSliceIfChanged(c, "categories", &pl.Categories, p.Categories)
	setSliceIfChanged(c, "complaints", &pl.Complaints, p.Complaints)
	setSliceIfChanged(c, "actions", &pl.Actions, p.Actions)
}

func setIfChanged[T comparable](c *change, field string, dst *T, v T) {
	if *dst != v {
		writeField(c, field, dst, v)
	}
}

func setSliceIfChanged(c *change, field string, dst *[]string, v []string) {
	if !slices.Equal(*dst, v) {
		writeField(c, field, dst, slices.Clone(v))
	}
}
