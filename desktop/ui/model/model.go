// Package model holds the plain data the screens show and the queries they
// ask for. The screens declare the narrow interfaces they consume in their
// own packages, in terms of these types and of the domain's; the view
// models of desktop/viewmodel implement them over the store and the sync
// client. Nothing here imports bbolt, HTTP or Fyne.
package model

import (
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// Session is the signed-in user.
type Session struct {
	Login       string
	DisplayName string
	Role        domain.Role
	Station     string // the station this person works for: the operator's home station, or this workstation's
	Offline     bool   // signed in with the local verifier, without the server
}

// ComplaintRow is one line of a complaint list.
type ComplaintRow struct {
	ID              string
	Number          string
	Status          domain.ComplaintStatus
	FilingStation   string
	SupplierStation string
	PartRef         string
	Lot             string
	Category        string
	Severity        domain.Severity
	Kind            domain.Kind
	Assignee        string
	FiledBy         string
	FiledAt         time.Time
	Deadline        time.Time
	UpdatedAt       time.Time
	Summary         string
	LatestUpdate    string
	Escalated       bool
	Reopens         int
	Conflicts       int
	Flags           int
}

// Overdue reports whether the announced deadline passed unresolved.
func (r *ComplaintRow) Overdue(now time.Time) bool {
	return r.Status.Open() && r.Status != domain.StatusResolved && !r.Deadline.IsZero() && now.After(r.Deadline)
}

// ComplaintQuery selects complaints for a list. Empty fields do not filter.
type ComplaintQuery struct {
	Statuses        []domain.ComplaintStatus
	SupplierStation string
	FilingStation   string
	Assignee        string
	FiledBy         string
	Category        string
	Severity        domain.Severity
	Overdue         bool
	Text            string
	// UnacknowledgedFirst lists new complaints before the others (the
	// triage inbox), each group newest first.
	UnacknowledgedFirst bool
	PageSize            int
}

// ComplaintPage is one page of a complaint list; Next is empty on the last.
type ComplaintPage struct {
	Rows []ComplaintRow
	Next string
}

// Station is a workstation of the plant.
type Station struct {
	Code string
	Name string
}

// Label is how a station is shown: "PRESS2 · Press 2".
func (s Station) Label() string {
	if s.Name == "" || s.Name == s.Code {
		return s.Code
	}
	return s.Code + " · " + s.Name
}

// Reference is the reference data the forms offer, active entries only.
type Reference struct {
	Stations   []Station
	Categories []domain.Category
	Severities []domain.SeverityConfig
	Users      []domain.User
}

// UserName returns a login's display name, or the login.
func (r *Reference) UserName(login string) string {
	for _, u := range r.Users {
		if u.Login == login {
			return u.DisplayName
		}
	}
	return login
}

// StationName returns a station's label, or its code.
func (r *Reference) StationName(code string) string {
	for _, s := range r.Stations {
		if s.Code == code {
			return s.Label()
		}
	}
	return code
}

// Category returns a category by code.
func (r *Reference) Category(code string) domain.Category {
	for _, c := range r.Categories {
		if c.Code == code {
			return c
		}
	}
	return domain.Category{Code: code}
}

// UsersWithRole lists the active users holding one of the roles.
func (r *Reference) UsersWithRole(roles ...domain.Role) []domain.User {
	var out []domain.User
	for _, u := range r.Users {
		for _, role := range roles {
			if u.Role == role && !u.Disabled {
				out = append(out, u)
				break
			}
		}
	}
	return out
}

// File is a photo or document picked for a complaint.
type File struct {
	Name string
	Data []byte
}

// NewComplaint is what the operator types in the report form.
type NewComplaint struct {
	SupplierStation string
	PartRef         string
	Lot             string
	Quantity        int
	Category        string
	Severity        domain.Severity
	Kind            domain.Kind
	Remedy          domain.Remedy
	Description     string
	Files           []File
	// FromDraft: filed from the user's report draft, which the filing
	// deletes in its own transaction (no draft outlives its complaint).
	FromDraft bool
}

// Filed is a complaint just saved.
type Filed struct {
	ID     string
	Number string
}

// Attachment is evidence with whether its bytes are on this workstation.
type Attachment struct {
	domain.Attachment
	Here bool
}

// TimelineItem is one event in a complaint's history.
type TimelineItem struct {
	At       time.Time
	Author   string // display name
	Role     domain.Role
	Station  string // where it was recorded, when known
	Type     domain.EventType
	Payload  domain.Payload // nil when this version cannot read it
	Rejected bool           // refused by the server
	Unfolded bool           // not understood by this version
	Action   string         // title of the action, for action events
}

// ComplaintDetail is everything the complaint screen shows.
type ComplaintDetail struct {
	Complaint domain.Complaint
	Conflicts []domain.Conflict
	Flags     []domain.Flag
	Timeline  []TimelineItem
	Actions   []domain.Action
	Files     []Attachment
	Duplicate string // number of the complaint this one duplicates
	// RecurrenceOf is the number of the earlier complaint this one is a
	// recurrence of (shared/analytics' rule), "" when it is none;
	// AfterPrevention says the problem came back after prevention.
	RecurrenceOf    string
	AfterPrevention bool
}

// ActionRow is an action with what it answers.
type ActionRow struct {
	domain.Action
	ComplaintNumber string
	Station         string // supplier station of its complaint or plan
}

// ActionQuery selects actions.
type ActionQuery struct {
	Mine     bool   // pending actions I own, and done ones on complaints I handle (to verify)
	Station  string // supplier station, for the plant-wide view
	Overdue  bool
	PageSize int
}

// ActionPage is one page of actions.
type ActionPage struct {
	Rows []ActionRow
	Next string
}

// NewAction is an action assigned from a complaint or a plan.
type NewAction struct {
	Kind        domain.ActionKind
	Title       string
	Description string
	Owner       string
	Due         time.Time
}

// PlanDetail is a preventive plan with what it links.
type PlanDetail struct {
	Plan       domain.Plan
	Complaints []ComplaintRow
	// Causes are the analyses of its complaints (those analysed), in the
	// plan's order: what the plan must prevent.
	Causes  []Cause
	Actions []domain.Action
	// Effectiveness is the plan's measured verdict (shared/analytics),
	// nil before the plan is started.
	Effectiveness *Effectiveness
}

// Cause is a complaint's analysis: its five whys, its Ishikawa branch and
// the root cause found.
type Cause struct {
	ComplaintID, Number string
	Whys                []string
	Ishikawa            domain.Ishikawa
	RootCause           string
}

// Effectiveness is the measured verdict of a plan: effective, ineffective
// with the complaints proving it, or pending with the days left.
type Effectiveness struct {
	Verdict  analytics.Verdict
	Evidence []string // numbers of the proving complaints
	DaysLeft int
}

// NewPlan is a preventive plan drafted from a group of complaints.
type NewPlan struct {
	Title           string
	Objective       string
	SupplierStation string
	Categories      []string
	Complaints      []string
}

// SyncStatus is what the status bar shows.
type SyncStatus struct {
	Enrolled      bool // false: standalone, local only
	Server        string
	Online        bool
	Syncing       bool
	Pending       int
	LastSuccess   time.Time
	LastError     string
	Rejected      []Rejection
	OpenConflicts int
	ClockAlerts   int
	ClockAhead    time.Duration // this workstation's clock ahead of the server's (recording refused); 0 when fine
	Pulled, Total uint64        // progress of a long pull; Total 0 when none
	SignInNeeded  bool
	Stalled       bool
}

// Rejection is a local event the server refused, with its reason.
type Rejection struct {
	Type   domain.EventType
	Entity string // the complaint number when known, else the entity id
	Reason string
	At     time.Time
}

// Settings are the workstation's own settings, kept in its data folder.
type Settings struct {
	Station     string `json:"station,omitempty"`      // the station this workstation serves
	Name        string `json:"name,omitempty"`         // the workstation's name
	Standalone  bool   `json:"standalone,omitempty"`   // set up to work without a server
	IdleMinutes int    `json:"idle_minutes,omitempty"` // sign out after this long without activity; 0: never
	Language    string `json:"language,omitempty"`     // "fr", "en" or "" for the system's
}

// Waiting counts what waits for the signed-in person, by role (the
// menu's badges); each count stops at a cap.
type Waiting struct {
	PlansToApprove int // manager: plans submitted for a signature
	ToAcknowledge  int // engineer: new complaints
	ForComplainant int // operator: their station's complaints waiting for a choice or a verification
}

// Watch is what the notifier compares from one look to the next.
type Watch struct {
	Actions []ActionRow    // pending actions the user owns
	Overdue []ComplaintRow // overdue complaints the user is concerned with
	Version uint64         // grows with every event stored: screens reload when it moved
}
