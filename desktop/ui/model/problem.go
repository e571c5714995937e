package model

import (
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// ProblemRef names a problem for people: the number of its first
// complaint and a short title from that complaint's part and description
// ("CUT1-2026-0042 · BRK-2041: burrs on the edge…"). Its id is the
// software's (the first complaint's id, or the id an engineer's
// workstation gave it) and never shown.
type ProblemRef struct {
	ID              analytics.ProblemID
	Number          string // the first complaint's number
	Title           string // part and the first words of the first complaint's description
	SupplierStation string
	Complaints      int
}

// Name is the problem's number and title, the way screens show it.
func (r ProblemRef) Name() string {
	if r.Title == "" {
		return r.Number
	}
	return r.Number + " · " + r.Title
}

// Decision is one engineer's decision on a complaint's problem, read from
// its events: who, when, which problem.
type Decision struct {
	Type    domain.EventType // complaint.problem_confirmed, _moved or _denied
	Problem ProblemRef
	By      string // display name
	At      time.Time
}

// ComplaintProblem is the problem panel of a complaint.
type ComplaintProblem struct {
	// Countable is false for a rejected, duplicate or withdrawn complaint,
	// which belongs to no problem (Problem is then what it looks like).
	Countable bool
	// Problem is the problem it belongs to now (or looks like); Proposal
	// is how it was reached: the score and the reasons, or the decision.
	Problem  ProblemRef
	Proposal analytics.Proposal
	// Best is the problem that came closest when the complaint started a
	// problem of its own (Proposal.New), with Proposal's score and reasons
	// about it; nil otherwise.
	Best *ProblemRef
	// Decided is the decision that placed it (confirmed or moved), nil
	// while the proposal stands; Denied the problems an engineer said it
	// is not, each with who said so.
	Decided *Decision
	Denied  []Decision
	// Conflict holds the values of concurrent decisions (the fold's
	// conflict on the complaint's "problem" field), each named.
	Conflict []ProblemConflictValue
}

// ProblemConflictValue is one of the concurrent decisions on a problem.
type ProblemConflictValue struct {
	Problem ProblemRef
	Value   []byte // the raw JSON value, to keep it (ResolveConflict)
	By      string
	At      time.Time
}

// ProblemComplaint is one complaint of a problem's page.
type ProblemComplaint struct {
	ID, Number  string
	FiledAt     time.Time
	Status      domain.ComplaintStatus
	PartRef     string
	Description string
	// RecurrenceOf is the number of the previous complaint of the problem
	// when this one is a recurrence; AfterPrevention flags one that came
	// back after a preventive action or an approved plan.
	RecurrenceOf    string
	AfterPrevention bool
	Decided         bool // an engineer placed it here
}

// MonthCount is the number of complaints of a problem filed in a month.
type MonthCount struct {
	Month string // "2026-03"
	Count int
}

// ProblemAction is an action answering a complaint of the problem, with
// its measured verdict when it is a preventive action done.
type ProblemAction struct {
	domain.Action
	ComplaintNumber string
	Measured        *Effectiveness
}

// ProblemPlan is a preventive plan naming a complaint of the problem.
type ProblemPlan struct {
	ID       string
	Title    string
	Status   domain.PlanStatus
	Measured *Effectiveness
}

// ProblemVerdict is the measured verdict of the problem's prevention: that
// of its latest preventive action done or plan started (Subject names
// it); Verdict "" when nothing was done to prevent it yet.
type ProblemVerdict struct {
	Verdict  analytics.Verdict
	Subject  string // the action's or plan's title
	DaysLeft int
	// AfterPrevention counts the complaints that came back after
	// prevention.
	AfterPrevention int
}

// ProblemDetail is a problem's page.
type ProblemDetail struct {
	Ref        ProblemRef
	Complaints []ProblemComplaint // by filing date
	ByMonth    []MonthCount       // from the first complaint's month to the last's, empty months included
	Actions    []ProblemAction
	Plans      []ProblemPlan
	Verdict    ProblemVerdict
	Parts      []string // part keys met
	MergedFrom []ProblemRef
	// MergeTargets are the problems it may be merged into, those of its
	// supplier station first.
	MergeTargets []ProblemRef
	// Conflicts are concurrent merges of a problem merged into this one
	// into different problems: each value names a target and who chose it.
	Conflicts []MergeConflict
}

// MergeConflict is a problem two engineers merged into different
// problems at the same time.
type MergeConflict struct {
	From   ProblemRef
	Values []ProblemConflictValue
}

// RecurrenceRow is one line of the list of recurrences.
type RecurrenceRow struct {
	ComplaintID, Number        string
	FiledAt                    time.Time
	Problem                    ProblemRef
	PreviousID, PreviousNumber string
	AfterPrevention            bool
}

// RecurringProblem is a problem that came back in the dashboard's period.
type RecurringProblem struct {
	Problem ProblemRef
	// Recurrences counts its complaints filed in the period that are
	// recurrences, AfterPrevention those that came after prevention.
	Recurrences, AfterPrevention int
}

// ThemeRow is a theme of the dashboard's period: the words people wrote,
// how many complaints hold them, and the problems of those complaints.
type ThemeRow struct {
	Label    string
	Count    int
	Problems []ProblemRef
}

// ProblemQuery is what the filing form knows of the complaint being
// written, for the problems it looks like.
type ProblemQuery struct {
	SupplierStation, PartRef, Category, Description string
}

// ProblemProposal is a known problem the complaint being filed looks
// like (analytics.Problems.Propose): the problem, when it was last seen,
// the ranking's likelihood (0 to 1) and its reasons.
type ProblemProposal struct {
	Problem    ProblemRef
	Last       time.Time
	Likelihood float64
	Reasons    []analytics.Reason
}
