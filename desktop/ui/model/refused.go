package model

import (
	"time"

	"boucle/shared/domain"
)

// Refusal is a change recorded on this workstation that the plant server
// refused: it stays listed, with the reason, until someone records it
// again properly or dismisses it.
type Refusal struct {
	EventID    string
	Type       domain.EventType
	Author     string    // the display name of who recorded it
	RecordedAt time.Time // when it was recorded here
	RefusedAt  time.Time
	Rule       string      // the rule the server named ("complaint.number_taken"), "" when none
	Code       domain.Code // the server's error code
	Message    string      // the server's own words, without the rule
	// What it was about: the complaint (its number, when known), or the
	// preventive plan; both empty for reference data.
	ComplaintID     string
	ComplaintNumber string
	PlanID          string
	// Filing holds what a refused complaint filing said, to fill the
	// report form again; nil for other changes.
	Filing *NewComplaint
}
