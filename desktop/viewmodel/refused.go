package viewmodel

import (
	"slices"
	"strings"

	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

// Refused lists the changes recorded here that the server refused and
// nobody has dismissed yet, newest refusal first: each with who recorded
// it and when, what it was about, and the server's reason. The refused
// events stay in this workstation's log, so what they said can be
// offered again (a refused filing fills the report form).
func (m *Model) Refused() ([]model.Refusal, error) {
	var out []model.Refusal
	err := m.store.View(func(t *boltstore.Tx) error {
		names := map[string]string{}
		users, err := t.Users()
		if err != nil {
			return err
		}
		for _, u := range users {
			names[u.Login] = u.DisplayName
		}
		for _, r := range t.OpenRejections() {
			out = append(out, refusal(t, r, names))
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b model.Refusal) int { return b.RefusedAt.Compare(a.RefusedAt) })
	return out, err
}

// refusal describes one refusal, from the event when this workstation
// holds it (its own events always).
func refusal(t *boltstore.Tx, r boltstore.Rejection, names map[string]string) model.Refusal {
	out := model.Refusal{EventID: r.Event.String(), Type: r.Type, RefusedAt: r.Rejected, Code: r.Code}
	out.Rule, out.Message = splitReason(r.Reason)
	switch r.Entity.Type {
	case domain.EntityComplaint:
		out.ComplaintID = r.Entity.ID
	case domain.EntityPlan:
		out.PlanID = r.Entity.ID
	case domain.EntityAction:
		if st, err := t.State(r.Entity); err == nil && st.Action != nil {
			out.ComplaintID, out.PlanID = st.Action.ComplaintID, st.Action.PlanID
		}
	}
	if out.ComplaintID != "" {
		if st, err := t.Complaint(out.ComplaintID); err == nil {
			out.ComplaintNumber = st.Complaint.Number
		}
	}
	e, err := t.Event(r.Event)
	if err != nil {
		return out
	}
	out.Author, out.RecordedAt = e.Author, e.HLC.Time()
	if n := names[e.Author]; n != "" {
		out.Author = n
	}
	if p, err := domain.DecodePayload(&e); err == nil {
		if f, ok := p.(*domain.ComplaintFiledPayload); ok {
			out.ComplaintNumber = f.Number
			out.Filing = filingOf(t, f)
		}
	}
	return out
}

// splitReason separates the rule the server named ("rule: message", see
// syncserver's reason) from its message.
func splitReason(reason string) (rule, message string) {
	rule, message, ok := strings.Cut(reason, ": ")
	if !ok || strings.ContainsAny(rule, " \t") || !strings.Contains(rule, ".") {
		return "", reason
	}
	return rule, message
}

// filingOf is a refused filing as the report form takes it, with the
// evidence bytes this workstation still holds.
func filingOf(t *boltstore.Tx, f *domain.ComplaintFiledPayload) *model.NewComplaint {
	nc := &model.NewComplaint{SupplierStation: f.SupplierStation, PartRef: f.PartRef, Lot: f.Lot, Quantity: f.Quantity,
		Category: f.Category, Severity: f.Severity, Kind: f.Kind, Remedy: f.Remedy, Description: f.Description}
	for _, a := range f.Attachments {
		if data, err := t.Blob(a.SHA256); err == nil {
			nc.Files = append(nc.Files, model.File{Name: a.Name, Data: data})
		}
	}
	return nc
}

// DismissRefusal marks a refusal handled: it leaves the list and the
// status bar's count; the change stays refused.
func (m *Model) DismissRefusal(eventID string) error {
	id, err := uuid.Parse(eventID)
	if err != nil {
		return domain.FieldError("event", "is not an event id")
	}
	err = m.store.Update(func(t *boltstore.Tx) error { return t.DismissRejection(id) })
	if err == nil && m.OnRecord != nil {
		m.OnRecord() // the status bar counts the refusals again
	}
	return err
}

// Record records commands as the signed-in user, signed with their author
// key, like every screen's command: for tools (the screenshot mode files a
// complaint under a taken number to show a refusal).
func (m *Model) Record(cmds ...boltstore.Command) ([]domain.Event, error) { return m.record(cmds...) }
