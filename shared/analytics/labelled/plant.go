// Package labelled generates a plant whose problems are known: the
// labelled truth the indicators of docs/kpis.md are judged against.
//
// Generate(seed) writes about 270 days of a plant's life as domain events
// — complaints filed at the stations of the demo, their handling,
// preventive actions and plans — from about a hundred underlying problems
// (a failure mode on one part of one supplier station, with one cause),
// plus complaints that belong to no recurring problem. Beside the events
// it returns the truth: the problem of every complaint, the problems each
// preventive action and plan addresses, and what the rules of docs/kpis.md
// give when applied to the true problems (recurrences, recurrences after
// prevention, effectiveness verdicts).
//
// The plant holds the traps a quality engineer meets: different causes on
// the same part and category, paraphrases in French and English with
// typos, part references written several ways or not at all, a workstation
// that pushes its complaints a month late, prevention recorded on a later
// complaint of a problem, prevention that holds and prevention that does
// not, and one-off complaints. Nothing in it is tuned to an algorithm: the
// proportions come from how a plant behaves, and the same seed always
// gives the same plant.
package labelled

import (
	"time"

	"boucle/shared/domain"
)

// Windows used by the truth: the defaults of analytics.Settings.
const (
	RecurrenceWindow    = 90 * 24 * time.Hour
	EffectivenessWindow = 90 * 24 * time.Hour
)

// Days is the length of the history.
const Days = 270

// Plant is a generated plant.
type Plant struct {
	Seed       uint64
	Start, End time.Time // End is "now" for every figure
	// Events in the order the server recorded them: by Received, which is
	// when the event was written except for the workstation that pushed a
	// month late.
	Events   []domain.Event
	Received []time.Time // by event
	// Late is the filing station whose workstation was offline, and when.
	Late struct {
		Station  string
		From, To time.Time
	}
	Truth Truth
}

// Truth is what the plant really is.
type Truth struct {
	Problems []Problem
	// ProblemOf gives the problem of every complaint, countable or not.
	ProblemOf map[string]string
	// Addresses gives the problems each preventive action and plan
	// addresses: an action, its complaint's problem (for an action of a
	// plan, the plan's); a plan, the problems of the complaints it names.
	Addresses map[string][]string
	// MeantEffective says whether the generator made the prevention hold
	// (the problem stopped) or not. The verdicts below are what the rule
	// measures on the true problems; the two agree unless the history
	// ended first or no complaint happened to come.
	MeantEffective map[string]bool

	// The rules of docs/kpis.md applied to the true problems, with the
	// windows above, at End.
	Recurrences     map[string][]string // recurring complaint → the earlier complaints of its problem within the window
	AfterPrevention map[string]bool     // recurring complaints that came after prevention on their problem
	ActionVerdicts  map[string]string   // preventive action done → effective, ineffective or pending
	PlanVerdicts    map[string]string   // plan started → effective, ineffective or pending
	Countable       map[string]bool     // complaint → countable (not rejected, duplicate or withdrawn)
	FiledAt         map[string]time.Time
}

// Problem is one underlying problem.
type Problem struct {
	ID       string
	Supplier string
	Parts    []string // the references as the drawings write them: one, or every part of the station
	Category string
	Mode     string // failure mode, e.g. "burrs"
	Cause    string // the root cause, in English
	Noise    bool   // a one-off complaint, its own problem
	// Complaints in filing order, countable or not.
	Complaints []string
}
