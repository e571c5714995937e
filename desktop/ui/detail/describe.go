package detail

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// describe says in a sentence what an event changed.
func describe(it *model.TimelineItem, ref *model.Reference) string {
	if it.Unfolded || it.Payload == nil {
		return lang.X("timeline.unknown", "Recorded by a newer version of Boucle ({{.Type}})", map[string]any{"Type": string(it.Type)})
	}
	s := describePayload(it, ref)
	if it.Rejected {
		s += " " + lang.X("timeline.refused", "(refused by the server)")
	}
	return s
}

func describePayload(it *model.TimelineItem, ref *model.Reference) string {
	name := ref.UserName
	switch p := it.Payload.(type) {
	case *domain.ComplaintFiledPayload:
		return lang.X("timeline.filed", "Filed: {{.Qty}} × {{.Part}}, lot {{.Lot}}, {{.Severity}}, {{.Category}}", map[string]any{
			"Qty": p.Quantity, "Part": p.PartRef, "Lot": orDash(p.Lot), "Severity": i18n.Severity(p.Severity), "Category": i18n.Category(ref.Category(p.Category))}) +
			withText(p.Description)
	case *domain.AcknowledgePayload:
		s := lang.X("timeline.acknowledged", "Acknowledged; deadline {{.Date}}; handled by {{.Name}}", map[string]any{
			"Date": i18n.DateTime(p.Deadline), "Name": name(p.Assignee)})
		if p.Note != "" {
			s += "\n" + lang.X("timeline.ack_note", "Note to the complainant: {{.Text}}", map[string]any{"Text": p.Note})
		}
		return s
	case *domain.AssignPayload:
		return lang.X("timeline.assigned", "Handed to {{.Name}}", map[string]any{"Name": name(p.Assignee)})
	case *domain.ReschedulePayload:
		return lang.X("timeline.rescheduled", "Deadline moved to {{.Date}}: {{.Reason}}", map[string]any{"Date": i18n.DateTime(p.Deadline), "Reason": p.Reason})
	case *domain.AnalysisPayload:
		return describeAnalysis(p)
	case *domain.ProposeSolutionPayload:
		var opts []string
		for _, o := range p.Options {
			opts = append(opts, o.ID+": "+o.Text)
		}
		return lang.X("timeline.proposed", "Solutions proposed: {{.Options}}", map[string]any{"Options": strings.Join(opts, "; ")})
	case *domain.ChooseSolutionPayload:
		return lang.X("timeline.chosen", "Solution {{.ID}} chosen", map[string]any{"ID": p.SolutionID}) + withText(p.Comment)
	case *domain.LinkActionPayload:
		return lang.X("timeline.linked", "{{.Kind}} action linked: {{.Title}}", map[string]any{"Kind": i18n.ActionKind(p.Kind), "Title": p.Title})
	case *domain.ResolvePayload:
		return lang.X("timeline.resolved", "Resolved: {{.Summary}}", map[string]any{"Summary": p.Summary})
	case *domain.VerifyPayload:
		return lang.X("timeline.verified", "Resolution confirmed, satisfaction {{.Rating}}/5", map[string]any{"Rating": p.Rating}) + withText(p.Comment)
	case *domain.ReasonPayload:
		return describeReason(it, p.Reason)
	case *domain.EscalatePayload:
		s := lang.X("timeline.escalated", "Escalated to {{.Name}}: {{.Reason}}", map[string]any{"Name": name(p.Supervisor), "Reason": p.Reason})
		if p.Automatic {
			s += " " + lang.X("timeline.automatic", "(automatic)")
		}
		return s
	case *domain.DuplicatePayload:
		return lang.X("timeline.duplicate", "Marked as a duplicate of {{.Number}}", map[string]any{"Number": orDash(p.Number)})
	case *domain.MessagePayload:
		switch {
		case p.Internal && p.Sealed != "":
			return lockedNote()
		case p.Internal:
			return lang.X("timeline.note", "Internal note: {{.Text}}", map[string]any{"Text": p.Text})
		}
		return lang.X("timeline.message", "Message: {{.Text}}", map[string]any{"Text": p.Text})
	case *domain.AttachmentPayload:
		return lang.X("timeline.attached", "File added: {{.Name}}", map[string]any{"Name": p.Attachment.Name})
	case *domain.ResolveConflictPayload:
		return lang.X("timeline.conflict_resolved", "Conflict on {{.Field}} settled: {{.Value}}", map[string]any{
			"Field": i18n.Field(p.Field), "Value": showValue(p.Field, p.Value, ref)})
	case *domain.ActionAssignedPayload:
		return lang.X("timeline.action_assigned", "{{.Kind}} action for {{.Name}}, due {{.Date}}: {{.Title}}", map[string]any{
			"Kind": i18n.ActionKind(p.Kind), "Name": name(p.Owner), "Date": i18n.Date(p.Due), "Title": p.Title}) + withText(p.Description)
	case *domain.NotePayload:
		return describeNote(it, p.Note)
	case *domain.VerdictPayload:
		verdict := lang.X("timeline.ineffective", "Action found ineffective: {{.Title}}", map[string]any{"Title": it.Action})
		if p.Effective {
			verdict = lang.X("timeline.effective", "Action found effective: {{.Title}}", map[string]any{"Title": it.Action})
		}
		return verdict + withText(p.Note)
	case *domain.ActionRescheduledPayload:
		s := lang.X("timeline.action_rescheduled", "Action rescheduled: {{.Title}}", map[string]any{"Title": it.Action})
		if p.Owner != "" {
			s += "; " + lang.X("timeline.new_owner", "now {{.Name}}", map[string]any{"Name": name(p.Owner)})
		}
		if !p.Due.IsZero() {
			s += "; " + lang.X("timeline.new_due", "due {{.Date}}", map[string]any{"Date": i18n.Date(p.Due)})
		}
		return s + withText(p.Reason)
	}
	if text, ok := describeProblemDecision(it); ok {
		return text
	}
	return string(it.Type)
}

func describeAnalysis(p *domain.AnalysisPayload) string {
	var parts []string
	if p.Containment != nil {
		parts = append(parts, lang.X("timeline.containment", "containment: {{.Text}}", map[string]any{"Text": *p.Containment}))
	}
	if p.Whys != nil {
		var whys []string
		for i, w := range *p.Whys {
			whys = append(whys, strconv.Itoa(i+1)+". "+w)
		}
		parts = append(parts, lang.X("timeline.whys_listed", "whys: {{.Whys}}", map[string]any{"Whys": strings.Join(whys, " ")}))
	}
	if p.Ishikawa != nil {
		parts = append(parts, lang.X("timeline.ishikawa", "6M: {{.Family}}", map[string]any{"Family": i18n.Ishikawa(*p.Ishikawa)}))
	}
	if p.RootCause != nil {
		parts = append(parts, lang.X("timeline.root_cause", "root cause: {{.Text}}", map[string]any{"Text": *p.RootCause}))
	}
	return lang.X("timeline.analysis", "Analysis: {{.Parts}}", map[string]any{"Parts": strings.Join(parts, "; ")})
}

func describeReason(it *model.TimelineItem, reason string) string {
	switch it.Type {
	case domain.ComplaintReopened:
		return lang.X("timeline.reopened", "Reopened: {{.Reason}}", map[string]any{"Reason": reason})
	case domain.ComplaintRejected:
		return lang.X("timeline.rejected", "Rejected: {{.Reason}}", map[string]any{"Reason": reason})
	case domain.ComplaintReexaminationRequested:
		return lang.X("timeline.reexamination", "Re-examination requested: {{.Reason}}", map[string]any{"Reason": reason})
	case domain.ComplaintWithdrawn:
		return lang.X("timeline.withdrawn", "Withdrawn: {{.Reason}}", map[string]any{"Reason": reason})
	case domain.ActionCancelled:
		return lang.X("timeline.action_cancelled_titled", "Action cancelled: {{.Title}}", map[string]any{"Title": it.Action}) + withText(reason)
	}
	return reason
}

func describeNote(it *model.TimelineItem, note string) string {
	switch it.Type {
	case domain.ActionStarted:
		return lang.X("timeline.action_started", "Action started: {{.Title}}", map[string]any{"Title": it.Action}) + withText(note)
	case domain.ActionCompleted:
		return lang.X("timeline.action_done", "Action done: {{.Title}}", map[string]any{"Title": it.Action}) + withText(note)
	}
	return note
}

func withText(s string) string {
	if s == "" {
		return ""
	}
	return " — " + s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// showValue writes a conflicting field's JSON value for people: a date, a
// person's name, a 6M family, a list of whys.
func showValue(field string, raw json.RawMessage, ref *model.Reference) string {
	var s string
	switch field {
	case "deadline", "due":
		var t time.Time
		if json.Unmarshal(raw, &t) == nil {
			return i18n.DateTime(t)
		}
	case "assignee", "owner":
		if json.Unmarshal(raw, &s) == nil {
			return ref.UserName(s)
		}
	case "ishikawa":
		if json.Unmarshal(raw, &s) == nil {
			return i18n.Ishikawa(domain.Ishikawa(s))
		}
	case "whys", "categories", "complaints", "actions":
		var list []string
		if json.Unmarshal(raw, &list) == nil {
			var out []string
			for i, w := range list {
				out = append(out, strconv.Itoa(i+1)+". "+w)
			}
			return strings.Join(out, " ")
		}
	}
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// lockedNote stands for an internal note the view model could not open:
// the session has no confidential key (the user never signed in online on
// this workstation since notes are sealed).
func lockedNote() string {
	return lang.X("detail.note_locked", "Internal note (locked: sign in online once)")
}
