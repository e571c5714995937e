package domain

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Text limits, in characters.
const (
	maxShort = 120  // titles, part references, lots
	maxLong  = 4000 // descriptions, messages, root causes
)

// Attachment is evidence referenced by the SHA-256 of its bytes; the bytes
// are stored and synced apart from the event.
type Attachment struct {
	SHA256    string `json:"sha256"`
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type,omitempty"`
}

// MaxAttachmentBytes is the largest evidence file accepted.
const MaxAttachmentBytes = 10 << 20

// validate checks an attachment; the fields it names are prefixed by
// prefix and a dot, if any.
func (a Attachment) validate(prefix string) error {
	if prefix != "" {
		prefix += "."
	}
	switch {
	case !sha256Re.MatchString(a.SHA256):
		return FieldError(prefix+"sha256", "must be 64 lower-case hex digits")
	case a.Size <= 0 || a.Size > MaxAttachmentBytes:
		return FieldError(prefix+"size", "must be between 1 byte and 10 MB")
	}
	return requireText(prefix+"name", a.Name, 255)
}

// indexed renames the field of a validation error found in element i of a
// list: "sha256" in attachments[2] becomes "attachments[2].sha256". The
// name is only built when there is an error.
func indexed(list string, i int, err error) error {
	e := *AsError(err)
	name := list + "[" + strconv.Itoa(i) + "]"
	if e.Field != "" {
		name += "." + e.Field
	}
	e.Field = name
	return &e
}

// ComplaintFiledPayload is what a station records when it receives a
// defective input.
type ComplaintFiledPayload struct {
	Number          string       `json:"number"`           // e.g. PRESS2-2026-B0042: see boltstore's nextNumber
	FilingStation   string       `json:"filing_station"`   // the internal client
	SupplierStation string       `json:"supplier_station"` // the internal supplier
	PartRef         string       `json:"part_ref"`
	Lot             string       `json:"lot,omitempty"`
	Quantity        int          `json:"quantity"`
	Category        string       `json:"category"`
	Severity        Severity     `json:"severity"`
	Kind            Kind         `json:"kind"`
	Remedy          Remedy       `json:"remedy,omitempty"` // claims only
	Description     string       `json:"description"`
	Attachments     []Attachment `json:"attachments,omitempty"`
}

// CheckNewFiling refuses what a new filing must not carry, beyond Validate:
// a part reference of spaces only. Validate cannot refuse it, since the
// fold validates every event of the log and such filings were accepted
// once (the fold trims them, and the analytics treat them as an unknown
// part); the workstation checks it before recording and the server when a
// push brings a filing. Write "?" when the part is not known.
func (p *ComplaintFiledPayload) CheckNewFiling() error {
	if strings.TrimSpace(p.PartRef) == "" {
		return FieldError("part_ref", "is required: write ? when the part is not known")
	}
	return nil
}

func (p *ComplaintFiledPayload) Validate() error {
	m := numberRe.FindStringSubmatch(p.Number)
	switch {
	case !ValidStationCode(p.FilingStation):
		return FieldError("filing_station", "must be a station code")
	case !ValidStationCode(p.SupplierStation):
		return FieldError("supplier_station", "must be a station code")
	case p.SupplierStation == p.FilingStation:
		return FieldError("supplier_station", "must differ from the filing station")
	case m == nil || m[1] != p.FilingStation:
		return FieldError("number", "must read <filing station>-<year>-<series><counter>, e.g. %s-2026-0042 or %s-2026-B0042", p.FilingStation, p.FilingStation)
	case p.Quantity < 1 || p.Quantity > 1_000_000_000:
		return FieldError("quantity", "must be at least 1")
	case !ValidCategoryCode(p.Category):
		return FieldError("category", "is required")
	case !oneOf(p.Severity, Severities):
		return FieldError("severity", "must be minor, major or critical")
	case !oneOf(p.Kind, []Kind{KindComplaint, KindClaim}):
		return FieldError("kind", "must be complaint or claim")
	case p.Kind == KindClaim && !oneOf(p.Remedy, Remedies):
		return FieldError("remedy", "a claim must name the remedy demanded: rework, replacement, sorting, credit or other")
	case p.Kind == KindComplaint && p.Remedy != "":
		return FieldError("remedy", "only a claim demands a remedy")
	case len(p.Attachments) > 20:
		return FieldError("attachments", "at most 20 files")
	}
	if err := requireText("part_ref", p.PartRef, maxShort); err != nil {
		return err
	}
	if err := optionalText("lot", p.Lot, maxShort); err != nil {
		return err
	}
	if err := requireText("description", p.Description, maxLong); err != nil {
		return err
	}
	for i, a := range p.Attachments {
		if err := a.validate(""); err != nil {
			return indexed("attachments", i, err)
		}
	}
	return nil
}

// AcknowledgePayload announces a realistic resolution deadline.
type AcknowledgePayload struct {
	Deadline time.Time `json:"deadline"`
	Assignee string    `json:"assignee"`
	Note     string    `json:"note,omitempty"`
}

func (p *AcknowledgePayload) Validate() error {
	if err := requireTime("deadline", p.Deadline); err != nil {
		return err
	}
	if err := requireLogin("assignee", p.Assignee); err != nil {
		return err
	}
	return optionalText("note", p.Note, maxLong)
}

// AssignPayload hands a complaint to another engineer.
type AssignPayload struct {
	Assignee string `json:"assignee"`
}

func (p *AssignPayload) Validate() error { return requireLogin("assignee", p.Assignee) }

// ReschedulePayload moves the announced deadline, with the reason the
// complainant will read.
type ReschedulePayload struct {
	Deadline time.Time `json:"deadline"`
	Reason   string    `json:"reason"`
}

func (p *ReschedulePayload) Validate() error {
	if err := requireTime("deadline", p.Deadline); err != nil {
		return err
	}
	return requireText("reason", p.Reason, maxLong)
}

// AnalysisPayload records the investigation. Absent fields are unchanged,
// so two engineers filling different fields do not conflict.
type AnalysisPayload struct {
	Containment *string   `json:"containment,omitempty"`
	Whys        *[]string `json:"whys,omitempty"` // the 5 whys, in order
	Ishikawa    *Ishikawa `json:"ishikawa,omitempty"`
	RootCause   *string   `json:"root_cause,omitempty"`
}

func (p *AnalysisPayload) Validate() error {
	if p.Containment == nil && p.Whys == nil && p.Ishikawa == nil && p.RootCause == nil {
		return FieldError("analysis", "record at least one of containment, whys, ishikawa, root_cause")
	}
	if p.Containment != nil {
		if err := optionalText("containment", *p.Containment, maxLong); err != nil {
			return err
		}
	}
	if p.Whys != nil {
		if len(*p.Whys) > 5 {
			return FieldError("whys", "at most 5 whys")
		}
		for i, w := range *p.Whys {
			if err := requireText("", w, maxLong); err != nil {
				return indexed("whys", i, err)
			}
		}
	}
	if p.Ishikawa != nil && !oneOf(*p.Ishikawa, IshikawaFamilies) {
		return FieldError("ishikawa", "must be one of the 6M: manpower, machine, method, material, measurement, environment")
	}
	if p.RootCause != nil {
		return optionalText("root_cause", *p.RootCause, maxLong)
	}
	return nil
}

// SolutionOption is one solution proposed to the complainant.
type SolutionOption struct {
	ID   string `json:"id"` // short id unique within the complaint
	Text string `json:"text"`
}

// ProposeSolutionPayload proposes one or more solutions to choose from.
type ProposeSolutionPayload struct {
	Options []SolutionOption `json:"options"`
}

func (p *ProposeSolutionPayload) Validate() error {
	if len(p.Options) == 0 || len(p.Options) > 10 {
		return FieldError("options", "propose between 1 and 10 solutions")
	}
	for i, o := range p.Options {
		if o.ID == "" || len(o.ID) > 40 || slices.ContainsFunc(p.Options[:i], func(x SolutionOption) bool { return x.ID == o.ID }) {
			return indexed("options", i, FieldError("id", "must be a unique short id"))
		}
		if err := requireText("text", o.Text, maxLong); err != nil {
			return indexed("options", i, err)
		}
	}
	return nil
}

// ChooseSolutionPayload is the complainant's choice.
type ChooseSolutionPayload struct {
	SolutionID string `json:"solution_id"`
	Comment    string `json:"comment,omitempty"`
}

func (p *ChooseSolutionPayload) Validate() error {
	if p.SolutionID == "" {
		return FieldError("solution_id", "is required")
	}
	return optionalText("comment", p.Comment, maxLong)
}

// LinkActionPayload ties an action to the complaint it answers.
type LinkActionPayload struct {
	ActionID string     `json:"action_id"`
	Kind     ActionKind `json:"kind"`
	Title    string     `json:"title"`
}

func (p *LinkActionPayload) Validate() error {
	if p.ActionID == "" {
		return FieldError("action_id", "is required")
	}
	if !oneOf(p.Kind, ActionKinds) {
		return FieldError("kind", "must be containment, corrective or preventive")
	}
	return requireText("title", p.Title, maxShort)
}

// ResolvePayload says what was done; the complainant then verifies.
type ResolvePayload struct {
	Summary string `json:"summary"`
}

func (p *ResolvePayload) Validate() error { return requireText("summary", p.Summary, maxLong) }

// VerifyPayload closes the loop: the complainant confirms and rates.
type VerifyPayload struct {
	Rating  int    `json:"rating"` // satisfaction 1–5
	Comment string `json:"comment,omitempty"`
}

func (p *VerifyPayload) Validate() error {
	if p.Rating < 1 || p.Rating > 5 {
		return FieldError("rating", "must be between 1 and 5")
	}
	return optionalText("comment", p.Comment, maxLong)
}

// ReasonPayload carries a required reason (reject, reopen, withdraw...).
type ReasonPayload struct {
	Reason string `json:"reason"`
}

func (p *ReasonPayload) Validate() error { return requireText("reason", p.Reason, maxLong) }

// NotePayload carries an optional note.
type NotePayload struct {
	Note string `json:"note,omitempty"`
}

func (p *NotePayload) Validate() error { return optionalText("note", p.Note, maxLong) }

// EscalatePayload names the supervisor the complaint is escalated to.
type EscalatePayload struct {
	Supervisor string `json:"supervisor"`
	Reason     string `json:"reason"`
	Automatic  bool   `json:"automatic,omitempty"` // raised because a deadline passed
}

func (p *EscalatePayload) Validate() error {
	if err := requireLogin("supervisor", p.Supervisor); err != nil {
		return err
	}
	return requireText("reason", p.Reason, maxLong)
}

// DuplicatePayload points to the complaint this one repeats.
type DuplicatePayload struct {
	Of     string `json:"of"`
	Number string `json:"number,omitempty"`
}

func (p *DuplicatePayload) Validate() error {
	if p.Of == "" {
		return FieldError("of", "is required")
	}
	return nil
}

// MessagePayload is a message to the complainant, or an internal note that
// operators do not see. An internal note is sealed: Sealed holds its text
// encrypted under the plant's confidential key ("<kid>:<base64url>", see
// shared/confidential) and Text is empty, so the note never exists in
// plain text on an operator's workstation or in its pulls. The domain
// checks the shape only; the crypto lives outside it.
type MessagePayload struct {
	Text     string `json:"text,omitempty"`
	Internal bool   `json:"internal,omitempty"`
	Sealed   string `json:"sealed,omitempty"`
}

func (p *MessagePayload) Validate() error {
	if p.Sealed == "" {
		return requireText("text", p.Text, maxLong)
	}
	switch {
	case !p.Internal:
		return FieldError("sealed", "only internal notes are sealed")
	case p.Text != "":
		return FieldError("text", "a sealed note carries no plain text")
	}
	return validSealed("sealed", p.Sealed)
}

// maxSealed bounds a sealed text: a kid, then the base64 of a nonce, a
// tag and the longest note (maxLong runes of up to 4 bytes).
const maxSealed = maxShort + 1 + (24+16+4*maxLong+2)/3*4

// validSealed checks the shape "<kid>:<base64url>" of a sealed text.
func validSealed(field, s string) error {
	kid, body, ok := strings.Cut(s, ":")
	switch {
	case len(s) > maxSealed:
		return FieldError(field, "is longer than %d characters", maxSealed)
	case !ok || kid == "" || len(kid) > maxShort || strings.ContainsAny(kid, " \t\n"):
		return FieldError(field, "must be <key id>:<sealed text>")
	case body == "" || strings.TrimLeft(body, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		return FieldError(field, "the sealed text must be unpadded base64url")
	}
	return nil
}

// IsPlainInternalNote reports whether p is an internal note whose text is
// not sealed: a note recorded before notes were sealed. No new event may
// be one (Validate), and the server seals old ones when it serves them.
func IsPlainInternalNote(p Payload) bool {
	m, ok := p.(*MessagePayload)
	return ok && m.Internal && m.Sealed == ""
}

// AttachmentPayload adds evidence after filing.
type AttachmentPayload struct {
	Attachment Attachment `json:"attachment"`
}

func (p *AttachmentPayload) Validate() error { return p.Attachment.validate("attachment") }

// ResolveConflictPayload settles a field that concurrent edits left in
// conflict by stating the value to keep.
type ResolveConflictPayload struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

func (p *ResolveConflictPayload) Validate() error {
	if p.Field == "" {
		return FieldError("field", "is required")
	}
	if len(p.Value) == 0 || !json.Valid(p.Value) {
		return FieldError("value", "must be a JSON value")
	}
	_, err := resolvedValue(p.Field, p.Value)
	return err
}

// resolvable holds, for each field that concurrent edits may leave in
// conflict (see the conflictable lists of complaint.go, action.go and
// plan.go; the names do not overlap), the rule the payload that normally
// writes the field applies, so that a resolution cannot store what an edit
// could not.
var resolvable = map[string]func(json.RawMessage) (json.RawMessage, error){
	"assignee":    resolvedAs(func(v string) (string, error) { return v, requireLogin("value", v) }),
	"deadline":    resolvedAs(func(v time.Time) (time.Time, error) { return v.UTC(), requireTime("value", v) }),
	"containment": resolvedAs(func(v string) (string, error) { return v, optionalText("value", v, maxLong) }),
	"whys":        resolvedAs(func(v []string) ([]string, error) { return v, (&AnalysisPayload{Whys: &v}).Validate() }),
	"ishikawa":    resolvedAs(func(v Ishikawa) (Ishikawa, error) { return v, (&AnalysisPayload{Ishikawa: &v}).Validate() }),
	"root_cause":  resolvedAs(func(v string) (string, error) { return v, optionalText("value", v, maxLong) }),
	"problem":     resolvedAs(func(v string) (string, error) { return v, optionalText("value", v, maxShort) }),
	"merged_into": resolvedAs(func(v string) (string, error) { return v, optionalText("value", v, maxShort) }),

	"owner": resolvedAs(func(v string) (string, error) { return v, requireLogin("value", v) }),
	"due":   resolvedAs(func(v time.Time) (time.Time, error) { return v.UTC(), requireTime("value", v) }),

	"title":     resolvedAs(func(v string) (string, error) { return v, requireText("value", v, maxShort) }),
	"objective": resolvedAs(func(v string) (string, error) { return v, optionalText("value", v, maxLong) }),
	"supplier_station": resolvedAs(func(v string) (string, error) {
		if !ValidStationCode(v) {
			return v, FieldError("value", "must be a station code")
		}
		return v, nil
	}),
	"categories": resolvedAs(func(v []string) ([]string, error) {
		return v, (&PlanContentPayload{Title: "-", SupplierStation: "X", Categories: v}).Validate()
	}),
	"complaints": resolvedAs(func(v []string) ([]string, error) {
		return v, (&PlanContentPayload{Title: "-", SupplierStation: "X", Categories: []string{"x"}, Complaints: v}).Validate()
	}),
	"actions": resolvedAs(func(v []string) ([]string, error) {
		return v, (&PlanContentPayload{Title: "-", SupplierStation: "X", Categories: []string{"x"}, Actions: v}).Validate()
	}),
}

// resolvedValue checks the value a conflict resolution gives a field and
// returns it in canonical form (times in UTC).
func resolvedValue(field string, raw json.RawMessage) (json.RawMessage, error) {
	rule, ok := resolvable[field]
	if !ok {
		return nil, FieldError("field", "%s cannot be in conflict", field)
	}
	return rule(raw)
}

func resolvedAs[T any](check func(T) (T, error)) func(json.RawMessage) (json.RawMessage, error) {
	return func(raw json.RawMessage) (json.RawMessage, error) {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, FieldError("value", "does not fit the field")
		}
		v, err := check(v)
		if err != nil {
			e := AsError(err)
			if e.Field != "value" {
				return nil, FieldError("value", "%s %s", e.Field, e.Message)
			}
			return nil, e
		}
		return mustJSON(v), nil
	}
}

// ActionAssignedPayload creates an action.
type ActionAssignedPayload struct {
	Kind        ActionKind `json:"kind"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Owner       string     `json:"owner"`
	Due         time.Time  `json:"due"`
	ComplaintID string     `json:"complaint_id,omitempty"`
	PlanID      string     `json:"plan_id,omitempty"`
}

func (p *ActionAssignedPayload) Validate() error {
	if !oneOf(p.Kind, ActionKinds) {
		return FieldError("kind", "must be containment, corrective or preventive")
	}
	if err := requireText("title", p.Title, maxShort); err != nil {
		return err
	}
	if err := optionalText("description", p.Description, maxLong); err != nil {
		return err
	}
	if err := requireLogin("owner", p.Owner); err != nil {
		return err
	}
	if err := requireTime("due", p.Due); err != nil {
		return err
	}
	if p.ComplaintID == "" && p.PlanID == "" {
		return FieldError("complaint_id", "an action answers a complaint or belongs to a preventive plan")
	}
	if p.Kind != ActionPreventive && p.PlanID != "" {
		return FieldError("plan_id", "only preventive actions belong to a preventive plan")
	}
	return nil
}

// ActionRescheduledPayload changes an action's owner or due date.
type ActionRescheduledPayload struct {
	Owner  string    `json:"owner,omitempty"`
	Due    time.Time `json:"due,omitzero"`
	Reason string    `json:"reason"`
}

func (p *ActionRescheduledPayload) Validate() error {
	if p.Owner == "" && p.Due.IsZero() {
		return FieldError("owner", "give a new owner or a new due date")
	}
	if p.Owner != "" {
		if err := requireLogin("owner", p.Owner); err != nil {
			return err
		}
	}
	if !p.Due.IsZero() {
		if err := requireTime("due", p.Due); err != nil {
			return err
		}
	}
	return requireText("reason", p.Reason, maxLong)
}

// VerdictPayload records whether an action or plan proved effective.
type VerdictPayload struct {
	Effective bool     `json:"effective"`
	Note      string   `json:"note,omitempty"`
	Evidence  []string `json:"evidence,omitempty"` // ids of complaints that prove it
}

func (p *VerdictPayload) Validate() error {
	if len(p.Evidence) > 200 {
		return FieldError("evidence", "at most 200 complaints")
	}
	return optionalText("note", p.Note, maxLong)
}

// PlanContentPayload is the content of a preventive plan.
type PlanContentPayload struct {
	Title           string   `json:"title"`
	Objective       string   `json:"objective,omitempty"`
	SupplierStation string   `json:"supplier_station"`
	Categories      []string `json:"categories"`
	Complaints      []string `json:"complaints,omitempty"` // linked complaint ids
	Actions         []string `json:"actions,omitempty"`    // preventive action ids
}

func (p *PlanContentPayload) Validate() error {
	if err := requireText("title", p.Title, maxShort); err != nil {
		return err
	}
	if err := optionalText("objective", p.Objective, maxLong); err != nil {
		return err
	}
	if !ValidStationCode(p.SupplierStation) {
		return FieldError("supplier_station", "must be a station code")
	}
	if len(p.Categories) == 0 {
		return FieldError("categories", "name at least one category in scope")
	}
	for i, c := range p.Categories {
		if !ValidCategoryCode(c) {
			return indexed("categories", i, FieldError("", "must be a category code"))
		}
	}
	if len(p.Complaints) > 500 || len(p.Actions) > 200 {
		return FieldError("complaints", "too many linked complaints or actions")
	}
	return nil
}

// SignOffPayload is a manager's decision on a plan. Who signed and when come
// from the event's author and clock; the meaning says what the signature
// commits to.
type SignOffPayload struct {
	Comment string `json:"comment"`
	Meaning string `json:"meaning"`
}

func (p *SignOffPayload) Validate() error {
	if err := requireText("meaning", p.Meaning, maxShort*2); err != nil {
		return err
	}
	return requireText("comment", p.Comment, maxLong)
}

// StationPayload defines or edits a station; its code is the entity id.
type StationPayload struct {
	Name string `json:"name"`
}

func (p *StationPayload) Validate() error { return requireText("name", p.Name, maxShort) }

// UserPayload defines or edits a user; the login is the entity id. No
// secret ever travels in an event.
type UserPayload struct {
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	Station     string `json:"station,omitempty"` // home station of an operator
}

func (p *UserPayload) Validate() error {
	if err := requireText("display_name", p.DisplayName, maxShort); err != nil {
		return err
	}
	if !oneOf(p.Role, HumanRoles) {
		return FieldError("role", "must be operator, engineer, manager or admin")
	}
	if p.Station != "" && !ValidStationCode(p.Station) {
		return FieldError("station", "must be a station code")
	}
	return nil
}

// CategoryPayload defines or edits a defect category; its code is the id.
type CategoryPayload struct {
	LabelEN string `json:"label_en"`
	LabelFR string `json:"label_fr"`
}

func (p *CategoryPayload) Validate() error {
	if err := requireText("label_en", p.LabelEN, maxShort); err != nil {
		return err
	}
	return requireText("label_fr", p.LabelFR, maxShort)
}

// SeverityPayload sets the default handling times of a severity.
type SeverityPayload struct {
	AckHours     int `json:"ack_hours"`
	ResolveHours int `json:"resolve_hours"`
}

func (p *SeverityPayload) Validate() error {
	switch {
	case p.AckHours < 1 || p.AckHours > 24*90:
		return FieldError("ack_hours", "must be between 1 and 2160 hours")
	case p.ResolveHours < p.AckHours || p.ResolveHours > 24*365:
		return FieldError("resolve_hours", "must be at least ack_hours and at most a year")
	}
	return nil
}
