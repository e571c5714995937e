package report

import (
	"fmt"
	"strings"
	"time"

	"boucle/shared/domain"
)

// TimelineEvent is one event of a complaint's history. It has the fields of
// boltstore.TimelineEntry, so a caller converts one to the other with a
// plain conversion, report.TimelineEvent(entry), without this package
// importing the store.
type TimelineEvent struct {
	Event    domain.Event
	Rejected bool // refused by the server
	Unfolded bool // not understood by the version that stored it
}

// TimelineFromEvents wraps bare events (from a domain fold or a server
// page) as a timeline.
func TimelineFromEvents(events []domain.Event) []TimelineEvent {
	out := make([]TimelineEvent, len(events))
	for i, e := range events {
		out[i] = TimelineEvent{Event: e}
	}
	return out
}

// describer writes one sentence per event in the document's language,
// naming people and actions through the directory.
type describer struct {
	lang   Lang
	dir    *Directory
	z      *time.Location
	titles map[string]string // action id → title, learnt from the actions and their assignment events
}

// maxEventText bounds what one timeline row quotes of a message or a
// reason, so that a row always fits on a page; the full texts are in the
// sections above.
const maxEventText = 600

var timelineLabels = map[string]text{
	"filed":          {"Filed: %d × %s, lot %s, %s, %s", "Déposée : %d × %s, lot %s, %s, %s"},
	"acknowledged":   {"Acknowledged; deadline %s; handled by %s", "Prise en compte ; échéance %s ; confiée à %s"},
	"assigned":       {"Handed to %s", "Confiée à %s"},
	"rescheduled":    {"Deadline moved to %s: %s", "Échéance reportée au %s : %s"},
	"analysis":       {"Analysis: %s", "Analyse : %s"},
	"containment":    {"containment: %s", "confinement : %s"},
	"whys":           {"%d whys", "%d pourquoi"},
	"ishikawa":       {"6M: %s", "6M : %s"},
	"root_cause":     {"root cause: %s", "cause racine : %s"},
	"proposed":       {"Solutions proposed: %s", "Solutions proposées : %s"},
	"chosen":         {"Solution %s chosen", "Solution %s choisie"},
	"linked":         {"%s action linked: %s", "Action liée (%s) : %s"},
	"resolved":       {"Resolved: %s", "Résolue : %s"},
	"verified":       {"Resolution confirmed, satisfaction %d/5", "Résolution confirmée, satisfaction %d/5"},
	"reopened":       {"Reopened: %s", "Rouverte : %s"},
	"rejected":       {"Rejected: %s", "Rejetée : %s"},
	"reexamination":  {"Re-examination requested: %s", "Réexamen demandé : %s"},
	"withdrawn":      {"Withdrawn: %s", "Retirée : %s"},
	"escalated":      {"Escalated to %s: %s", "Escaladée à %s : %s"},
	"automatic":      {"(automatic)", "(automatique)"},
	"duplicate":      {"Marked as a duplicate of %s", "Marquée comme doublon de %s"},
	"message":        {"Message: %s", "Message : %s"},
	"note":           {"Internal note: %s", "Note interne : %s"},
	"note_locked":    {"Internal note (locked)", "Note interne (verrouillée)"},
	"attached":       {"File added: %s", "Fichier ajouté : %s"},
	"conflict":       {"Conflict on %s settled: %s", "Conflit sur %s réglé : %s"},
	"action":         {"%s action for %s, due %s: %s", "Action (%s) pour %s, échéance %s : %s"},
	"started":        {"Action started: %s", "Action démarrée : %s"},
	"done":           {"Action done: %s", "Action faite : %s"},
	"effective":      {"Action found effective: %s", "Action jugée efficace : %s"},
	"ineffective":    {"Action found ineffective: %s", "Action jugée inefficace : %s"},
	"m_effective":    {"Measured from the data: action effective: %s", "Mesuré sur les données : action efficace : %s"},
	"m_ineffective":  {"Measured from the data: action ineffective: %s", "Mesuré sur les données : action inefficace : %s"},
	"cancelled":      {"Action cancelled: %s — %s", "Action annulée : %s — %s"},
	"a_rescheduled":  {"Action rescheduled: %s", "Action replanifiée : %s"},
	"new_owner":      {"now %s", "désormais %s"},
	"new_due":        {"due %s", "échéance %s"},
	"plan_drafted":   {"Preventive plan drafted: %s", "Plan préventif rédigé : %s"},
	"plan_revised":   {"Preventive plan revised: %s", "Plan préventif révisé : %s"},
	"plan_submitted": {"Preventive plan submitted for approval", "Plan préventif soumis pour approbation"},
	"plan_approved":  {"Preventive plan approved: %s", "Plan préventif approuvé : %s"},
	"plan_rejected":  {"Preventive plan rejected: %s", "Plan préventif rejeté : %s"},
	"plan_started":   {"Preventive plan started", "Plan préventif démarré"},
	"plan_effective": {"Preventive plan found effective", "Plan préventif jugé efficace"},
	"plan_failed":    {"Preventive plan found ineffective", "Plan préventif jugé inefficace"},
	"unknown":        {"Recorded by a newer version of Boucle (%s)", "Saisi par une version plus récente de Boucle (%s)"},
	"refused":        {"(refused by the server)", "(refusé par le serveur)"},
}

func (x *describer) tl(key string) string { return x.lang.pick(timelineLabels[key]) }

// describe writes what an event did, in one sentence.
func (x *describer) describe(te TimelineEvent) string {
	e := &te.Event
	s := string(e.Type)
	if !e.Known() || te.Unfolded {
		s = fmt.Sprintf(x.tl("unknown"), e.Type)
	} else if p, err := domain.DecodePayload(e); err == nil {
		s = truncate(x.sentence(e, p), maxEventText)
	}
	if te.Rejected {
		s += " " + x.tl("refused")
	}
	return s
}

func (x *describer) sentence(e *domain.Event, p domain.Payload) string {
	if e.EntityType == domain.EntityAction {
		return x.actionSentence(e, p)
	}
	if e.EntityType == domain.EntityPlan {
		return x.planSentence(e, p)
	}
	return x.complaintSentence(e, p)
}

func (x *describer) complaintSentence(e *domain.Event, p domain.Payload) string {
	l, d := x.lang, x.dir
	switch p := p.(type) {
	case *domain.ComplaintFiledPayload:
		return fmt.Sprintf(x.tl("filed"), p.Quantity, p.PartRef, orDash(p.Lot), l.severity(p.Severity), d.CategoryLabel(p.Category, l))
	case *domain.AcknowledgePayload:
		return withNote(fmt.Sprintf(x.tl("acknowledged"), shortTime(p.Deadline, x.z), d.UserName(p.Assignee)), p.Note)
	case *domain.AssignPayload:
		return fmt.Sprintf(x.tl("assigned"), d.UserName(p.Assignee))
	case *domain.ReschedulePayload:
		return fmt.Sprintf(x.tl("rescheduled"), shortTime(p.Deadline, x.z), p.Reason)
	case *domain.AnalysisPayload:
		return fmt.Sprintf(x.tl("analysis"), x.analysisParts(p))
	case *domain.ProposeSolutionPayload:
		opts := make([]string, len(p.Options))
		for i, o := range p.Options {
			opts[i] = o.ID + " " + x.lang.quote(oneLine(o.Text))
		}
		return fmt.Sprintf(x.tl("proposed"), strings.Join(opts, " ; "))
	case *domain.ChooseSolutionPayload:
		return withNote(fmt.Sprintf(x.tl("chosen"), p.SolutionID), p.Comment)
	case *domain.LinkActionPayload:
		return fmt.Sprintf(x.tl("linked"), l.actionKind(p.Kind), p.Title)
	case *domain.ResolvePayload:
		return fmt.Sprintf(x.tl("resolved"), p.Summary)
	case *domain.VerifyPayload:
		return withNote(fmt.Sprintf(x.tl("verified"), p.Rating), p.Comment)
	case *domain.ReasonPayload:
		return x.reasonSentence(e.Type, p.Reason)
	case *domain.EscalatePayload:
		s := fmt.Sprintf(x.tl("escalated"), d.UserName(p.Supervisor), p.Reason)
		if p.Automatic {
			s += " " + x.tl("automatic")
		}
		return s
	case *domain.DuplicatePayload:
		return fmt.Sprintf(x.tl("duplicate"), firstNonEmpty(p.Number, d.ComplaintNumber(p.Of)))
	case *domain.MessagePayload:
		switch {
		case p.Internal && p.Sealed != "":
			// Whoever renders opens notes first (the server does for the
			// roles that read them); a note still sealed has no text here.
			return x.tl("note_locked")
		case p.Internal:
			return fmt.Sprintf(x.tl("note"), p.Text)
		}
		return fmt.Sprintf(x.tl("message"), p.Text)
	case *domain.AttachmentPayload:
		return fmt.Sprintf(x.tl("attached"), p.Attachment.Name)
	case *domain.ResolveConflictPayload:
		return fmt.Sprintf(x.tl("conflict"), p.Field, string(p.Value))
	}
	return string(e.Type)
}

func (x *describer) reasonSentence(t domain.EventType, reason string) string {
	key := map[domain.EventType]string{
		domain.ComplaintReopened: "reopened", domain.ComplaintRejected: "rejected",
		domain.ComplaintReexaminationRequested: "reexamination", domain.ComplaintWithdrawn: "withdrawn",
	}[t]
	if key == "" {
		return string(t) + ": " + reason
	}
	return fmt.Sprintf(x.tl(key), reason)
}

func (x *describer) analysisParts(p *domain.AnalysisPayload) string {
	var parts []string
	if p.Containment != nil {
		parts = append(parts, fmt.Sprintf(x.tl("containment"), *p.Containment))
	}
	if p.Whys != nil {
		parts = append(parts, fmt.Sprintf(x.tl("whys"), len(*p.Whys)))
	}
	if p.Ishikawa != nil {
		parts = append(parts, fmt.Sprintf(x.tl("ishikawa"), x.lang.ishikawa(*p.Ishikawa)))
	}
	if p.RootCause != nil {
		parts = append(parts, fmt.Sprintf(x.tl("root_cause"), *p.RootCause))
	}
	return strings.Join(parts, " ; ")
}

func (x *describer) actionSentence(e *domain.Event, p domain.Payload) string {
	l, d := x.lang, x.dir
	title := x.titles[e.EntityID]
	switch p := p.(type) {
	case *domain.ActionAssignedPayload:
		x.titles[e.EntityID] = p.Title
		return fmt.Sprintf(x.tl("action"), l.actionKind(p.Kind), d.UserName(p.Owner), shortDate(p.Due, x.z), p.Title)
	case *domain.NotePayload:
		key := "started"
		if e.Type == domain.ActionCompleted {
			key = "done"
		}
		return withNote(fmt.Sprintf(x.tl(key), title), p.Note)
	case *domain.VerdictPayload:
		key := "ineffective"
		if p.Effective {
			key = "effective"
		}
		if e.Type == domain.ActionEffectivenessMeasured {
			key = "m_" + key
		}
		return withNote(fmt.Sprintf(x.tl(key), title), p.Note)
	case *domain.ReasonPayload:
		return fmt.Sprintf(x.tl("cancelled"), title, p.Reason)
	case *domain.ActionRescheduledPayload:
		parts := []string{fmt.Sprintf(x.tl("a_rescheduled"), title)}
		if p.Owner != "" {
			parts = append(parts, fmt.Sprintf(x.tl("new_owner"), d.UserName(p.Owner)))
		}
		if !p.Due.IsZero() {
			parts = append(parts, fmt.Sprintf(x.tl("new_due"), shortDate(p.Due, x.z)))
		}
		return withNote(strings.Join(parts, ", "), p.Reason)
	case *domain.ResolveConflictPayload:
		return fmt.Sprintf(x.tl("conflict"), p.Field, string(p.Value))
	}
	return string(e.Type)
}

func (x *describer) planSentence(e *domain.Event, p domain.Payload) string {
	switch p := p.(type) {
	case *domain.PlanContentPayload:
		if e.Type == domain.PlanRevised {
			return fmt.Sprintf(x.tl("plan_revised"), p.Title)
		}
		return fmt.Sprintf(x.tl("plan_drafted"), p.Title)
	case *domain.NotePayload:
		if e.Type == domain.PlanStarted {
			return withNote(x.tl("plan_started"), p.Note)
		}
		return withNote(x.tl("plan_submitted"), p.Note)
	case *domain.SignOffPayload:
		key := "plan_approved"
		if e.Type == domain.PlanRejected {
			key = "plan_rejected"
		}
		return withNote(fmt.Sprintf(x.tl(key), p.Meaning), p.Comment)
	case *domain.VerdictPayload:
		if p.Effective {
			return withNote(x.tl("plan_effective"), p.Note)
		}
		return withNote(x.tl("plan_failed"), p.Note)
	}
	return string(e.Type)
}

// quote puts a text between the language's quotation marks.
func (l Lang) quote(s string) string {
	if l == French {
		return "«\u00a0" + s + "\u00a0»"
	}
	return "“" + s + "”"
}

// withNote appends an optional comment after a dash.
func withNote(s, note string) string {
	if strings.TrimSpace(note) == "" {
		return s
	}
	return s + " — " + note
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
