package viewmodel

import (
	"slices"
	"strings"

	"github.com/google/uuid"

	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// MyActions returns the board of the signed-in user: the pending actions
// they own, by due date, and the done actions on the complaints they
// handle, which wait for their verdict.
func (m *Model) MyActions() ([]model.ActionRow, error) {
	s := m.Session()
	var out []model.ActionRow
	err := m.store.View(func(t *boltstore.Tx) error {
		page, err := t.ListActions(boltstore.ActionFilter{Owner: s.Login, Limit: boltstore.MaxPageSize})
		if err != nil {
			return err
		}
		for _, a := range page.Actions {
			out = append(out, m.actionRow(t, a))
		}
		if s.Role != domain.RoleEngineer {
			return nil
		}
		mine, err := t.ListComplaints(boltstore.ComplaintFilter{Assignee: s.Login, Statuses: openStatuses, Limit: boltstore.MaxPageSize})
		if err != nil {
			return err
		}
		for _, c := range mine.Rows {
			acts, err := t.ListActions(boltstore.ActionFilter{ComplaintID: c.ID, Limit: boltstore.MaxPageSize})
			if err != nil {
				return err
			}
			for _, a := range acts.Actions {
				if a.Status == domain.ActionStatusDone && !slices.ContainsFunc(out, func(r model.ActionRow) bool { return r.ID == a.ID }) {
					out = append(out, model.ActionRow{Action: a, ComplaintNumber: c.Number, Station: c.SupplierStation})
				}
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b model.ActionRow) int { return a.Due.Compare(b.Due) })
	return out, err
}

// actionRow adds the complaint number and supplier station an action
// answers (or its plan's station).
func (m *Model) actionRow(t *boltstore.Tx, a domain.Action) model.ActionRow {
	r := model.ActionRow{Action: a}
	if a.ComplaintID != "" {
		if st, err := t.Complaint(a.ComplaintID); err == nil {
			r.ComplaintNumber, r.Station = st.Complaint.Number, st.Complaint.SupplierStation
		}
	} else if a.PlanID != "" {
		if st, err := t.State(domain.EntityKey{Type: domain.EntityPlan, ID: a.PlanID}); err == nil {
			r.Station = st.Plan.SupplierStation
		}
	}
	return r
}

// PlantActions returns a page of the pending actions of the whole plant
// by due date (the overdue ones only, if asked), optionally of one
// supplier station.
func (m *Model) PlantActions(q model.ActionQuery, cursor string) (model.ActionPage, error) {
	limit := q.PageSize
	if limit <= 0 {
		limit = boltstore.DefaultPageSize
	}
	var out model.ActionPage
	err := m.store.View(func(t *boltstore.Tx) error {
		for {
			page, err := t.ListActions(boltstore.ActionFilter{Overdue: q.Overdue, Now: m.now(), Limit: limit, Cursor: cursor})
			if err != nil {
				return err
			}
			for _, a := range page.Actions {
				r := m.actionRow(t, a)
				if q.Station == "" || r.Station == q.Station {
					out.Rows = append(out.Rows, r)
				}
			}
			// A station filter thins pages out: read on until one is full.
			if page.Next == "" || len(out.Rows) >= limit {
				out.Next = page.Next
				return nil
			}
			cursor = page.Next
		}
	})
	return out, err
}

func (m *Model) actionCmd(t domain.EventType, id string, p domain.Payload) error {
	_, err := m.record(boltstore.Command{Type: t, EntityID: id, Payload: p})
	return err
}

// StartAction marks an action in progress.
func (m *Model) StartAction(id string) error {
	return m.actionCmd(domain.ActionStarted, id, &domain.NotePayload{})
}

// CompleteAction marks an action done, with what was done.
func (m *Model) CompleteAction(id, note string) error {
	return m.actionCmd(domain.ActionCompleted, id, &domain.NotePayload{Note: strings.TrimSpace(note)})
}

// VerifyAction records whether a done action proved effective.
func (m *Model) VerifyAction(id string, effective bool, note string) error {
	return m.actionCmd(domain.ActionVerified, id, &domain.VerdictPayload{Effective: effective, Note: strings.TrimSpace(note)})
}

// newActionID hands out the id of a new action, so that the events that
// link it can name it in the same transaction.
func newActionID() string { return uuid.Must(uuid.NewV7()).String() }

// Watch returns what the notifier compares: the pending actions the user
// owns, and the overdue complaints they are concerned with (those they
// handle, or, for an operator, those of their station).
func (m *Model) Watch() (model.Watch, error) {
	s := m.Session()
	var w model.Watch
	if s.Login == "" {
		return w, nil
	}
	err := m.store.View(func(t *boltstore.Tx) error {
		w.Version = t.LogLen()
		acts, err := t.ListActions(boltstore.ActionFilter{Owner: s.Login, Limit: boltstore.MaxPageSize})
		if err != nil {
			return err
		}
		for _, a := range acts.Actions {
			w.Actions = append(w.Actions, m.actionRow(t, a))
		}
		f := boltstore.ComplaintFilter{Overdue: true, Now: m.now(), Limit: boltstore.MaxPageSize}
		switch s.Role {
		case domain.RoleOperator:
			f.FilingStation = s.Station
		case domain.RoleEngineer:
			f.Assignee = s.Login
		case domain.RoleManager:
		default:
			return nil
		}
		page, err := t.ListComplaints(f)
		for _, r := range page.Rows {
			w.Overdue = append(w.Overdue, rowOf(r))
		}
		return err
	})
	return w, err
}
