package domain

import "time"

// Problem is the folded state of a problem (failure mode) on which
// engineers decided something as a whole: a merge into another. Which
// complaints belong to a problem is decided on each complaint
// (Complaint.Problem) or proposed by analytics.Problems; a problem no one
// merged has no events and no state.
type Problem struct {
	ID string `json:"id"`
	// MergedInto is the problem this one was merged into: its complaints,
	// past and future, belong to that one.
	MergedInto  string    `json:"merged_into,omitempty"`
	MergedBy    string    `json:"merged_by,omitempty"`
	MergedAt    time.Time `json:"merged_at,omitzero"`
	MergedOrder OrderKey  `json:"merged_order,omitzero"` // the fold order of the merge: earlier merges win a cycle
}
