package viewmodel

import (
	"slices"
	"strings"

	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Plans lists the preventive plans, newest first.
func (m *Model) Plans() ([]domain.Plan, error) {
	var out []domain.Plan
	err := m.store.View(func(t *boltstore.Tx) (err error) {
		out, err = t.Plans()
		return err
	})
	return out, err
}

// Plan returns a plan with its complaints and actions.
func (m *Model) Plan(id string) (model.PlanDetail, error) {
	var d model.PlanDetail
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.State(domain.EntityKey{Type: domain.EntityPlan, ID: id})
		if err != nil {
			return err
		}
		d.Plan = *st.Plan
		for _, cid := range d.Plan.Complaints {
			if c, err := t.Complaint(cid); err == nil {
				d.Complaints = append(d.Complaints, rowOfState(c))
				if k := c.Complaint; k.RootCause != "" || len(k.Whys) > 0 || k.Ishikawa != "" {
					d.Causes = append(d.Causes, model.Cause{ComplaintID: k.ID, Number: k.Number, Whys: slices.Clone(k.Whys),
						Ishikawa: k.Ishikawa, RootCause: k.RootCause})
				}
			}
		}
		for _, aid := range d.Plan.Actions {
			if a, err := t.State(domain.EntityKey{Type: domain.EntityAction, ID: aid}); err == nil {
				d.Actions = append(d.Actions, *a.Action)
			}
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	if snap := m.badgeSnapshot(); snap != nil {
		if e, ok := snap.ds.EffectivenessOf(analytics.SubjectPlan, id, analytics.Settings{}, m.now()); ok {
			eff := &model.Effectiveness{Verdict: e.Verdict, DaysLeft: e.DaysLeft}
			for _, c := range e.Evidence {
				eff.Evidence = append(eff.Evidence, snap.numbers[c])
			}
			d.Effectiveness = eff
		}
	}
	return d, nil
}

// PlanCandidates lists the complaints a plan could group: those against a
// supplier station, of one category if given, newest first.
func (m *Model) PlanCandidates(supplier, category string) ([]model.ComplaintRow, error) {
	if supplier == "" {
		return nil, nil
	}
	var out []model.ComplaintRow
	err := m.store.View(func(t *boltstore.Tx) error {
		page, err := t.ListComplaints(boltstore.ComplaintFilter{SupplierStation: supplier, Category: category, Limit: 200})
		for _, r := range page.Rows {
			out = append(out, rowOf(r))
		}
		return err
	})
	return out, err
}

// DraftPlan creates a preventive plan from a group of complaints; the
// categories in scope are those of the complaints unless given.
func (m *Model) DraftPlan(np model.NewPlan) (string, error) {
	cats := slices.Clone(np.Categories)
	if len(cats) == 0 && len(np.Complaints) > 0 {
		err := m.store.View(func(t *boltstore.Tx) error {
			for _, id := range np.Complaints {
				if st, err := t.Complaint(id); err == nil && !slices.Contains(cats, st.Complaint.Category) {
					cats = append(cats, st.Complaint.Category)
				}
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	evs, err := m.record(boltstore.Command{Type: domain.PlanDrafted, Payload: &domain.PlanContentPayload{
		Title: strings.TrimSpace(np.Title), Objective: strings.TrimSpace(np.Objective), SupplierStation: np.SupplierStation,
		Categories: cats, Complaints: np.Complaints}})
	if err != nil {
		return "", err
	}
	return evs[0].EntityID, nil
}

// AddPlanAction assigns a preventive action inside a draft plan: the
// action and the plan's revision that lists it are one transaction, so
// the manager approves the plan with its actions.
func (m *Model) AddPlanAction(planID string, na model.NewAction) error {
	return m.addPlanAction(planID, na, "")
}

// addPlanAction is AddPlanAction; a complaint id, when given, joins the
// plan's complaints in the same revision (the action came from it).
func (m *Model) addPlanAction(planID string, na model.NewAction, complaintID string) error {
	var content *domain.PlanContentPayload
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.State(domain.EntityKey{Type: domain.EntityPlan, ID: planID})
		if err != nil {
			return err
		}
		p := st.Plan
		content = &domain.PlanContentPayload{Title: p.Title, Objective: p.Objective, SupplierStation: p.SupplierStation,
			Categories: p.Categories, Complaints: p.Complaints, Actions: p.Actions}
		return nil
	})
	if err != nil {
		return err
	}
	id := newActionID()
	content.Actions = append(slices.Clone(content.Actions), id)
	if complaintID != "" && !slices.Contains(content.Complaints, complaintID) {
		content.Complaints = append(slices.Clone(content.Complaints), complaintID)
	}
	_, err = m.record(
		boltstore.Command{Type: domain.ActionAssigned, EntityID: id, Payload: &domain.ActionAssignedPayload{
			Kind: domain.ActionPreventive, Title: strings.TrimSpace(na.Title), Description: strings.TrimSpace(na.Description),
			Owner: na.Owner, Due: na.Due, PlanID: planID}},
		boltstore.Command{Type: domain.PlanRevised, EntityID: planID, Payload: content},
	)
	return err
}

func (m *Model) planCmd(t domain.EventType, id string, p domain.Payload) error {
	_, err := m.record(boltstore.Command{Type: t, EntityID: id, Payload: p})
	return err
}

// SubmitPlan sends a draft plan for approval.
func (m *Model) SubmitPlan(id, note string) error {
	return m.planCmd(domain.PlanSubmitted, id, &domain.NotePayload{Note: strings.TrimSpace(note)})
}

// SignPlan approves or rejects a submitted plan. The password is checked
// again first: the signature binds the person, not just the session. Who
// and when are the event's author and clock; meaning is what they sign.
func (m *Model) SignPlan(id string, approve bool, comment, meaning, password string) error {
	s := m.Session()
	if password == "" {
		return domain.FieldError("password", "is required")
	}
	if m.password == nil {
		return domain.Errorf(domain.EUnauthorized, "no password verifier on this workstation")
	}
	if err := m.password.CheckPassword(s.Login, password); err != nil {
		return &domain.Error{Code: domain.EInvalid, Field: "password", Message: "is not the password of " + s.Login}
	}
	t := domain.PlanApproved
	if !approve {
		t = domain.PlanRejected
	}
	return m.planCmd(t, id, &domain.SignOffPayload{Comment: strings.TrimSpace(comment), Meaning: meaning})
}

// StartPlan starts an approved plan.
func (m *Model) StartPlan(id string) error {
	return m.planCmd(domain.PlanStarted, id, &domain.NotePayload{})
}

// EvaluatePlan records whether the plan kept the problem from coming back.
func (m *Model) EvaluatePlan(id string, effective bool, note string) error {
	return m.planCmd(domain.PlanEvaluated, id, &domain.VerdictPayload{Effective: effective, Note: strings.TrimSpace(note)})
}

// PlanActionCandidates lists the preventive actions of complaints that a
// plan could take over: those of its own complaints first, then of the
// other complaints against its supplier station, leaving out cancelled
// ones and those the plan already holds a copy of (same title and owner).
func (m *Model) PlanActionCandidates(planID string) ([]model.ActionRow, error) {
	var out []model.ActionRow
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.State(domain.EntityKey{Type: domain.EntityPlan, ID: planID})
		if err != nil {
			return err
		}
		p := st.Plan
		held := map[string]bool{}
		for _, aid := range p.Actions {
			if a, err := t.State(domain.EntityKey{Type: domain.EntityAction, ID: aid}); err == nil && a.Action != nil {
				held[a.Action.Title+"\x00"+a.Action.Owner] = true
			}
		}
		complaints := slices.Clone(p.Complaints)
		page, err := t.ListComplaints(boltstore.ComplaintFilter{SupplierStation: p.SupplierStation, Limit: 200})
		if err != nil {
			return err
		}
		for _, r := range page.Rows {
			if !slices.Contains(complaints, r.ID) {
				complaints = append(complaints, r.ID)
			}
		}
		for _, cid := range complaints {
			acts, err := t.ListActions(boltstore.ActionFilter{ComplaintID: cid, Kind: domain.ActionPreventive, Limit: boltstore.MaxPageSize})
			if err != nil {
				return err
			}
			for _, a := range acts.Actions {
				if a.Kind != domain.ActionPreventive || a.Status == domain.ActionStatusCancelled || a.PlanID != "" || held[a.Title+"\x00"+a.Owner] {
					continue
				}
				out = append(out, m.actionRow(t, a))
			}
		}
		return nil
	})
	return out, err
}

// CarryActionToPlan copies a complaint's preventive action into a draft
// plan (title, description, owner, due date: nothing typed again) and
// names the complaint in the plan, in one transaction. The complaint
// keeps its own action; the plan's copy is approved with the plan.
func (m *Model) CarryActionToPlan(planID, actionID string) error {
	var a *domain.Action
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.State(domain.EntityKey{Type: domain.EntityAction, ID: actionID})
		if err == nil {
			a = st.Action
		}
		return err
	})
	if err != nil {
		return err
	}
	if a == nil || a.Kind != domain.ActionPreventive {
		return domain.FieldError("action", "choose a preventive action")
	}
	return m.addPlanAction(planID, model.NewAction{Kind: domain.ActionPreventive, Title: a.Title, Description: a.Description,
		Owner: a.Owner, Due: a.Due}, a.ComplaintID)
}
