// Package plans holds the preventive plan screens: the list, a plan
// drafted from a group of complaints, its review, and the manager's
// approval or rejection, signed with the password entered again.
package plans

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// Model is what the plan screens need.
type Model interface {
	Session() model.Session
	Reference() (model.Reference, error)
	Plans() ([]domain.Plan, error)
	Plan(id string) (model.PlanDetail, error)
	PlanCandidates(supplier, category string) ([]model.ComplaintRow, error)
	DraftPlan(model.NewPlan) (string, error)
	AddPlanAction(planID string, na model.NewAction) error
	PlanActionCandidates(planID string) ([]model.ActionRow, error)
	CarryActionToPlan(planID, actionID string) error
	SubmitPlan(id, note string) error
	SignPlan(id string, approve bool, comment, meaning, password string) error
	StartPlan(id string) error
	EvaluatePlan(id string, effective bool, note string) error
}

// List shows the plans, the ones waiting for a decision first.
type List struct {
	env   ui.Env
	m     Model
	open  func(complaintID string)
	ref   model.Reference
	all   []domain.Plan // every plan, for review
	plans []domain.Plan // those of the status picked
	list  *widget.List
	// status filters the list: every status first, then each one.
	status *widget.Select
	obj    fyne.CanvasObject

	current *Screen // the plan last opened
	draft   *Draft  // the draft form last opened
}

// NewList builds the list; Load fills it.
func NewList(env ui.Env, m Model, openComplaint func(id string)) *List {
	l := &List{env: env, m: m, open: openComplaint}
	l.list = widget.NewList(func() int { return len(l.plans) }, func() fyne.CanvasObject {
		title := widget.NewLabel("")
		title.TextStyle.Bold = true
		title.Truncation = fyne.TextTruncateEllipsis
		return container.NewBorder(nil, nil, widget.NewLabel(""), widget.NewLabel(""), title)
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		p := l.plans[id]
		c := o.(*fyne.Container)
		c.Objects[0].(*widget.Label).SetText(p.Title)
		status := c.Objects[1].(*widget.Label)
		status.SetText(i18n.PlanStatus(p.Status))
		status.Importance = widget.MediumImportance
		if p.Status == domain.PlanStatusSubmitted {
			status.Importance = widget.HighImportance
		}
		status.Refresh()
		c.Objects[2].(*widget.Label).SetText(p.SupplierStation + " · " + i18n.Date(p.DraftedAt))
	})
	l.list.OnSelected = func(id widget.ListItemID) {
		l.list.UnselectAll()
		l.Open(l.plans[id].ID)
	}
	statuses := []string{lang.X("plans.status_all", "Every status")}
	for _, st := range domain.PlanStatuses {
		statuses = append(statuses, i18n.PlanStatus(st))
	}
	l.status = widget.NewSelect(statuses, func(string) { l.filter() })
	l.status.SetSelectedIndex(0)
	top := container.NewHBox(widget.NewLabel(lang.X("filter.status", "Status")), ui.MinSize(l.status, 220, 0))
	if l.m.Session().Role.CanEmit(domain.PlanDrafted) {
		b := widget.NewButtonWithIcon(lang.X("plans.new", "New plan from complaints"), theme.ContentAddIcon(), l.newPlan)
		b.Importance = widget.HighImportance
		top.Add(layout.NewSpacer())
		top.Add(b)
	}
	l.obj = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, l.list)
	return l
}

// Object is the list's widget tree.
func (l *List) Object() fyne.CanvasObject { return l.obj }

// Content wraps the list.
func (l *List) Content() ui.Content { return ui.Content{Object: l.obj, Refresh: l.Load} }

// Load reads the plans.
func (l *List) Load() {
	type loaded struct {
		ref   model.Reference
		plans []domain.Plan
	}
	ui.Load(l.env, func() (loaded, error) {
		var x loaded
		var err error
		if x.ref, err = l.m.Reference(); err != nil {
			return x, err
		}
		x.plans, err = l.m.Plans()
		return x, err
	}, func(x loaded, err error) {
		if err != nil {
			ui.ShowError(l.env, err)
			return
		}
		l.ref = x.ref
		l.all = sortForReview(x.plans)
		l.filter()
	})
}

// filter shows the plans of the status picked.
func (l *List) filter() {
	if l.list == nil {
		return // still building
	}
	l.plans = l.all
	if i := l.status.SelectedIndex(); i > 0 {
		want := domain.PlanStatuses[i-1]
		l.plans = nil
		for _, p := range l.all {
			if p.Status == want {
				l.plans = append(l.plans, p)
			}
		}
	}
	l.list.Refresh()
}

// sortForReview puts submitted plans first (they wait for a decision),
// keeping the newest-first order otherwise.
func sortForReview(ps []domain.Plan) []domain.Plan {
	var first, rest []domain.Plan
	for _, p := range ps {
		if p.Status == domain.PlanStatusSubmitted {
			first = append(first, p)
		} else {
			rest = append(rest, p)
		}
	}
	return append(first, rest...)
}

// Plans returns the plans shown (tests).
func (l *List) Plans() []domain.Plan { return l.plans }

// Open pushes a plan's screen.
func (l *List) Open(id string) {
	l.env.Nav.Touch()
	s := NewScreen(l.env, l.m, id, l.open)
	l.current = s
	l.env.Nav.Push(lang.X("plans.plan", "Preventive plan"), s.Object())
	s.Load()
}

func (l *List) newPlan() {
	l.env.Nav.Touch()
	f := NewDraft(l.env, l.m, func(id string) {
		l.env.Nav.Back()
		l.Open(id)
	})
	l.draft = f
	l.env.Nav.Push(lang.X("plans.new", "New plan from complaints"), f.Object())
	f.Load()
}

// joinCategories labels category codes.
func joinCategories(ref *model.Reference, codes []string) string {
	var out []string
	for _, c := range codes {
		out = append(out, i18n.Category(ref.Category(c)))
	}
	return strings.Join(out, ", ")
}
