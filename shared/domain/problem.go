package domain

import (
	"slices"
	"time"
)

// Problem is the folded state of a problem (failure mode) on which
// engineers decided something as a whole: a merge into another, or its
// creation by a split. Which complaints belong to a problem is decided on
// each complaint (Complaint.Problem) or proposed by analytics.Problems; a
// problem no one merged or split has no events and no state.
type Problem struct {
	ID string `json:"id"`
	// MergedInto is the problem this one was merged into: its complaints,
	// past and future, belong to that one.
	MergedInto  string    `json:"merged_into,omitempty"`
	MergedBy    string    `json:"merged_by,omitempty"`
	MergedAt    time.Time `json:"merged_at,omitzero"`
	MergedOrder OrderKey  `json:"merged_order,omitzero"` // the fold order of the merge: earlier merges win a cycle
	// SplitFrom is the problem this one was split from, with the
	// complaints taken out of it (each moved by its own
	// complaint.problem_moved, recorded with the split).
	SplitFrom       string    `json:"split_from,omitempty"`
	SplitComplaints []string  `json:"split_complaints,omitempty"`
	SplitBy         string    `json:"split_by,omitempty"`
	SplitAt         time.Time `json:"split_at,omitzero"`
	Note            string    `json:"note,omitempty"`
}

// conflictableProblemFields are the fields of a problem two engineers can
// set concurrently (two merges of one problem into different ones).
var conflictableProblemFields = []string{"merged_into"}

// ProblemDecisionPayload places a complaint in a problem (confirming the
// proposal, or moving it; a new problem gets a fresh id), or says it is
// not that problem.
type ProblemDecisionPayload struct {
	Problem string `json:"problem"`
	// OtherSupplier: the engineer confirmed that the problem belongs to
	// another supplier station than the complaint's (analytics.CheckMove
	// asks for it).
	OtherSupplier bool   `json:"other_supplier,omitempty"`
	Note          string `json:"note,omitempty"`
}

func (p *ProblemDecisionPayload) Validate() error {
	if err := requireProblemID("problem", p.Problem); err != nil {
		return err
	}
	return optionalText("note", p.Note, maxLong)
}

// ProblemMergedPayload merges the event's problem into another.
type ProblemMergedPayload struct {
	Into          string `json:"into"`
	OtherSupplier bool   `json:"other_supplier,omitempty"`
	Note          string `json:"note,omitempty"`
}

func (p *ProblemMergedPayload) Validate() error {
	if err := requireProblemID("into", p.Into); err != nil {
		return err
	}
	return optionalText("note", p.Note, maxLong)
}

// ProblemSplitPayload records that the event's problem (a new one) was
// split from another, taking the listed complaints.
type ProblemSplitPayload struct {
	From       string   `json:"from"`
	Complaints []string `json:"complaints"`
	Note       string   `json:"note,omitempty"`
}

func (p *ProblemSplitPayload) Validate() error {
	if err := requireProblemID("from", p.From); err != nil {
		return err
	}
	if len(p.Complaints) == 0 || len(p.Complaints) > maxSplit {
		return FieldError("complaints", "list 1 to %d complaints", maxSplit)
	}
	for i, c := range p.Complaints {
		if err := requireText("", c, maxShort); err != nil {
			return indexed("complaints", i, err)
		}
	}
	return optionalText("note", p.Note, maxLong)
}

// maxSplit is the most complaints one split takes out.
const maxSplit = 500

// requireProblemID checks a problem id: a complaint's id (a problem the
// software named after its first complaint) or a fresh one, up to 120
// characters.
func requireProblemID(field, id string) error {
	return requireText(field, id, maxShort)
}

// applyProblemDecision folds a decision on a complaint's problem. It is
// allowed in every status: classifying a closed complaint is analysis too.
func applyProblemDecision(c *change, k *Complaint, t EventType, p *ProblemDecisionPayload) {
	switch t {
	case ComplaintProblemDenied:
		if i, found := slices.BinarySearch(k.NotProblems, p.Problem); !found {
			k.NotProblems = slices.Insert(k.NotProblems, i, p.Problem)
		}
		if k.Problem == p.Problem {
			writeField(c, "problem", &k.Problem, "")
		}
	default: // confirmed, moved
		if i, found := slices.BinarySearch(k.NotProblems, p.Problem); found {
			k.NotProblems = slices.Delete(k.NotProblems, i, i+1)
		}
		writeField(c, "problem", &k.Problem, p.Problem)
	}
}

func applyProblem(c *change, p Payload) error {
	if c.s.Problem == nil {
		c.s.Problem = &Problem{ID: c.e.EntityID}
	}
	pr := c.s.Problem
	switch p := p.(type) {
	case *ProblemMergedPayload:
		if p.Into == pr.ID {
			return RuleError(EInvalid, "problem.merge_self", "a problem cannot be merged into itself")
		}
		writeField(c, "merged_into", &pr.MergedInto, p.Into)
		pr.MergedBy, pr.MergedAt, pr.MergedOrder, pr.Note = c.e.Author, c.at(), c.e.Order(), p.Note
		return nil
	case *ProblemSplitPayload:
		if p.From == pr.ID {
			return RuleError(EInvalid, "problem.split_self", "a problem is split into a new one, not into itself")
		}
		pr.SplitFrom, pr.SplitComplaints, pr.SplitBy, pr.SplitAt, pr.Note = p.From, p.Complaints, c.e.Author, c.at(), p.Note
		return nil
	case *ResolveConflictPayload:
		return resolveConflict(c, p, pr, conflictableProblemFields)
	}
	return RuleError(EInvalid, "problem.event", "%s does not apply to a problem", c.e.Type)
}
