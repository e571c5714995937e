package i18n

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"boucle/shared/domain"
)

// DateTime formats an instant in local time, the way the language writes it.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(lang.X("format.datetime", "2006-01-02 15:04"))
}

// Date formats a day in local time.
func Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(lang.X("format.date", "2006-01-02"))
}

// DateLayout is the layout Date uses, for parsing what people type.
func DateLayout() string { return lang.X("format.date", "2006-01-02") }

// ParseDate reads a day typed in the language's layout (or ISO), as the end
// of that day in local time: "due on the 12th" means until the 12th's end.
func ParseDate(s string) (time.Time, error) {
	for _, layout := range []string{DateLayout(), "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t.Add(24*time.Hour - time.Minute), nil
		}
	}
	return time.Time{}, errors.New(lang.X("error.date", "Write a date such as {{.Example}}", map[string]any{"Example": Date(time.Now())}))
}

// Duration writes a duration coarsely: days and hours, hours and minutes,
// or minutes.
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return lang.X("duration.days_hours", "{{.D}} d {{.H}} h", map[string]any{"D": days, "H": hours})
	case hours > 0:
		return lang.X("duration.hours_minutes", "{{.H}} h {{.M}} min", map[string]any{"H": hours, "M": mins})
	}
	return lang.X("duration.minutes", "{{.M}} min", map[string]any{"M": mins})
}

// Countdown says how long remains before a deadline, or by how much it
// passed.
func Countdown(deadline, now time.Time) string {
	if deadline.IsZero() {
		return lang.X("deadline.none", "No deadline yet")
	}
	if d := deadline.Sub(now); d >= 0 {
		return lang.X("deadline.left", "{{.D}} left", map[string]any{"D": Duration(d)})
	}
	return lang.X("deadline.overdue", "Overdue by {{.D}}", map[string]any{"D": Duration(now.Sub(deadline))})
}

// Ago says how long ago something happened.
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return lang.X("time.never", "never")
	}
	if now.Sub(t) < time.Minute {
		return lang.X("time.just_now", "just now")
	}
	return lang.X("time.ago", "{{.D}} ago", map[string]any{"D": Duration(now.Sub(t))})
}

// Field names an input field, as errors refer to it.
func Field(name string) string {
	switch name {
	case "supplier_station":
		return lang.X("field.supplier_station", "Supplier station")
	case "filing_station":
		return lang.X("field.filing_station", "Filing station")
	case "part_ref":
		return lang.X("field.part_ref", "Part reference")
	case "lot":
		return lang.X("field.lot", "Lot")
	case "quantity":
		return lang.X("field.quantity", "Quantity affected")
	case "category":
		return lang.X("field.category", "Category")
	case "severity":
		return lang.X("field.severity", "Severity")
	case "kind":
		return lang.X("field.kind", "Kind")
	case "remedy":
		return lang.X("field.remedy", "Remedy demanded")
	case "description":
		return lang.X("field.description", "Description")
	case "attachments", "file":
		return lang.X("field.attachments", "Photos and files")
	case "deadline":
		return lang.X("field.deadline", "Deadline")
	case "assignee":
		return lang.X("field.assignee", "Assigned engineer")
	case "title":
		return lang.X("field.title", "Title")
	case "owner":
		return lang.X("field.owner", "Owner")
	case "due":
		return lang.X("field.due", "Due date")
	case "text":
		return lang.X("field.text", "Message")
	case "reason":
		return lang.X("field.reason", "Reason")
	case "summary":
		return lang.X("field.summary", "What was done")
	case "rating":
		return lang.X("field.rating", "Satisfaction")
	case "comment":
		return lang.X("field.comment", "Comment")
	case "options":
		return lang.X("field.options", "Solutions")
	case "solution_id":
		return lang.X("field.solution", "Solution")
	case "supervisor":
		return lang.X("field.supervisor", "Supervisor")
	case "of":
		return lang.X("field.duplicate_of", "Duplicate of")
	case "containment":
		return lang.X("field.containment", "Containment")
	case "whys":
		return lang.X("field.whys", "5 whys")
	case "ishikawa":
		return lang.X("field.ishikawa", "Cause family (6M)")
	case "root_cause":
		return lang.X("field.root_cause", "Root cause")
	case "analysis":
		return lang.X("field.analysis", "Analysis")
	case "categories":
		return lang.X("field.categories", "Categories in scope")
	case "complaints":
		return lang.X("field.complaints", "Linked complaints")
	case "objective":
		return lang.X("field.objective", "Objective")
	case "meaning":
		return lang.X("field.meaning", "Meaning of the signature")
	case "password":
		return lang.X("field.password", "Password")
	case "login":
		return lang.X("field.login", "User")
	case "name", "display_name":
		return lang.X("field.name", "Name")
	case "code", "entity_id":
		return lang.X("field.code", "Code")
	case "role":
		return lang.X("field.role", "Role")
	case "station":
		return lang.X("field.station", "Station")
	case "server":
		return lang.X("field.server", "Server address")
	case "enrolment_code":
		return lang.X("field.enrolment_code", "Enrolment code")
	}
	if label, ok := adminField(name); ok {
		return label
	}
	return name
}

// Message translates what a domain error says. Field errors get the
// messages the forms meet most often; anything else keeps the domain's
// English message behind a translated lead, so nothing is hidden.
func Message(err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err.Error()
	}
	switch de.Message {
	case "is required":
		return lang.X("error.required", "is required")
	case "must be at least 1":
		return lang.X("error.at_least_one", "must be at least 1")
	case "must differ from the filing station":
		return lang.X("error.same_station", "must differ from your own station")
	case "must be between 1 and 5":
		return lang.X("error.rating", "choose from 1 to 5 stars")
	case "must be a station code":
		return lang.X("error.station", "choose a station")
	}
	if text, ok := adminMessage(de); ok {
		return text
	}
	var ahead interface{ ClockAhead() time.Duration } // boltstore.ClockAheadError
	if errors.As(err, &ahead) {
		return lang.X("error.clock_ahead", "This workstation's clock is {{.D}} ahead of the server's: set its date and time right, then record again.",
			map[string]any{"D": Duration(ahead.ClockAhead())})
	}
	if de.Rule == "complaint.internal_note_locked" { // viewmodel.ErrNotesLocked
		return lang.X("error.notes_locked", "Internal notes need the plant's confidential key, which this workstation receives when you sign in online: sign in online once, then write the note.")
	}
	if de.Rule == "enrol.no_answer" { // viewmodel.RuleNoAnswer
		return lang.X("error.no_answer", "No server answers at this address: check it, and that this workstation is on the plant's network.")
	}
	if de.Rule == "enrol.replica_enrolled" { // viewmodel.RuleReplicaEnrolled
		return lang.X("error.replica_enrolled", "This workstation is already enrolled with the server: only the administrator can enrol it again. Ask them for a replacement code (the server says: {{.Msg}})", map[string]any{"Msg": de.Message})
	}
	if text, ok := movedOn(de); ok {
		return text
	}
	switch de.Code {
	case domain.EForbidden:
		return lang.X("error.forbidden", "Your role may not do this ({{.Msg}})", map[string]any{"Msg": de.Message})
	case domain.EConflict:
		return lang.X("error.conflict", "Not possible any more: {{.Msg}}", map[string]any{"Msg": de.Message})
	case domain.ENotFound:
		return lang.X("error.not_found", "Not found: {{.Msg}}", map[string]any{"Msg": de.Message})
	case domain.EUnauthorized:
		return lang.X("error.unauthorized", "Wrong user or password. Without the network, only people who signed in on this workstation before can sign in.")
	case domain.ERateLimited:
		return lang.X("error.rate_limited", "Too many attempts: wait a minute and try again.")
	case domain.EInternal:
		return lang.X("error.internal", "Something went wrong; the details are in the log")
	}
	return de.Message
}

// Error writes an error for a person: the field it names, then what is wrong.
func Error(err error) string {
	var de *domain.Error
	if errors.As(err, &de) && de.Field != "" {
		return Field(BaseField(de.Field)) + ": " + Message(err)
	}
	return Message(err)
}

// BaseField strips indexes and sub-fields: "attachments[2].size" is about
// "attachments", "whys[1]" about "whys".
func BaseField(f string) string {
	for i, r := range f {
		if r == '[' || r == '.' {
			return f[:i]
		}
	}
	return f
}

// movedOn words a status rule's refusal ("not allowed while cancelled"):
// the complaint, action or plan changed since the screen showed it.
func movedOn(de *domain.Error) (string, bool) {
	status, ok := strings.CutPrefix(de.Message, "not allowed while ")
	if de.Code != domain.EConflict || !ok {
		return "", false
	}
	switch {
	case strings.HasPrefix(de.Rule, "action."):
		return lang.X("error.action_moved", "Not possible any more: the action is now {{.Status}}.", map[string]any{"Status": ActionStatus(domain.ActionStatus(status))}), true
	case strings.HasPrefix(de.Rule, "complaint."):
		return lang.X("error.complaint_moved", "Not possible any more: the complaint is now {{.Status}}.", map[string]any{"Status": Status(domain.ComplaintStatus(status))}), true
	case strings.HasPrefix(de.Rule, "plan."):
		return lang.X("error.plan_moved", "Not possible any more: the plan is now {{.Status}}.", map[string]any{"Status": PlanStatus(domain.PlanStatus(status))}), true
	}
	return "", false
}

// DateTimeLayout is the layout DateTime uses, for parsing what people type.
func DateTimeLayout() string { return lang.X("format.datetime", "2006-01-02 15:04") }

// ParseDateTime reads an instant typed in the language's layout (or ISO),
// in local time; a date alone means the end of that day.
func ParseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{DateTimeLayout(), "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return ParseDate(s)
}
