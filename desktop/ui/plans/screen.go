package plans

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/widgets"
	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// Screen is one plan: its content, complaints, actions and sign-offs, and
// what the user can do with it now.
type Screen struct {
	env  ui.Env
	m    Model
	id   string
	open func(complaintID string)
	d    model.PlanDetail
	ref  model.Reference

	body   *fyne.Container
	side   *fyne.Container
	notice *widget.Label
	form   *ui.Form
	inputs map[string]fyne.CanvasObject
	submit *widget.Button
	obj    fyne.CanvasObject
}

// NewScreen builds a plan's screen; Load fills it.
func NewScreen(env ui.Env, m Model, id string, openComplaint func(string)) *Screen {
	s := &Screen{env: env, m: m, id: id, open: openComplaint}
	s.body = container.NewVBox()
	s.side = container.NewVBox()
	s.notice = widget.NewLabel("")
	s.notice.Importance = widget.SuccessImportance
	s.notice.Wrapping = fyne.TextWrapWord
	s.notice.Hide()
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(s.body)),
		container.NewVScroll(container.NewPadded(container.NewVBox(s.notice, s.side))))
	split.Offset = 0.6
	s.obj = split
	return s
}

// Object is the screen's widget tree.
func (s *Screen) Object() fyne.CanvasObject { return s.obj }

// Load reads the plan.
func (s *Screen) Load() {
	type loaded struct {
		ref model.Reference
		d   model.PlanDetail
	}
	ui.Load(s.env, func() (loaded, error) {
		var l loaded
		var err error
		if l.ref, err = s.m.Reference(); err != nil {
			return l, err
		}
		l.d, err = s.m.Plan(s.id)
		return l, err
	}, func(l loaded, err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		s.ref, s.d = l.ref, l.d
		s.render()
		s.showChoices()
	})
}

// Plan returns the plan shown (tests).
func (s *Screen) Plan() domain.Plan { return s.d.Plan }

func (s *Screen) render() {
	p, b := &s.d.Plan, s.body
	b.RemoveAll()
	title := ui.Heading(p.Title)
	title.SizeName = theme.SizeNameSubHeadingText
	status := widget.NewLabel(i18n.PlanStatus(p.Status))
	status.Importance = widget.HighImportance
	row := container.NewHBox(title, status)
	if e := s.d.Effectiveness; e != nil {
		row.Add(effectivenessBadge(e))
	}
	b.Add(row)
	b.Add(ui.Wrapped(lang.X("plan.scope", "{{.Station}} · {{.Categories}} · drafted by {{.Name}} on {{.Date}}", map[string]any{
		"Station": s.ref.StationName(p.SupplierStation), "Categories": joinCategories(&s.ref, p.Categories),
		"Name": s.ref.UserName(p.DraftedBy), "Date": i18n.Date(p.DraftedAt)})))
	if p.Objective != "" {
		b.Add(ui.Wrapped(p.Objective))
	}
	b.Add(ui.Heading(lang.X("field.complaints", "Linked complaints")))
	if len(s.d.Complaints) == 0 {
		b.Add(widget.NewLabel("—"))
	}
	for _, c := range s.d.Complaints {
		id := c.ID
		btn := widget.NewButton(c.Number, func() { s.open(id) })
		line := widget.NewLabel(i18n.Status(c.Status) + " · " + c.PartRef + " · " + firstLine(c.Summary))
		line.Truncation = fyne.TextTruncateEllipsis
		b.Add(container.NewBorder(nil, nil, btn, nil, line))
	}
	s.renderCauses()
	b.Add(ui.Heading(lang.X("plan.actions", "Preventive actions")))
	if len(s.d.Actions) == 0 {
		b.Add(widget.NewLabel("—"))
	}
	for _, a := range s.d.Actions {
		b.Add(ui.Wrapped(a.Title + " · " + s.ref.UserName(a.Owner) + " · " +
			lang.X("board.due", "Due {{.Date}}", map[string]any{"Date": i18n.Date(a.Due)}) + " · " + i18n.ActionStatus(a.Status)))
	}
	if len(p.SignOffs) > 0 {
		b.Add(ui.Heading(lang.X("plan.signoffs", "Signatures")))
		for _, so := range p.SignOffs {
			b.Add(ui.Wrapped(signOffText(&s.ref, so)))
		}
	}
	if p.Verdict != "" || !p.EvaluatedAt.IsZero() {
		b.Add(ui.Heading(lang.X("plan.verdict", "Verdict")))
		b.Add(ui.Wrapped(i18n.PlanStatus(p.Status) + " · " + i18n.Date(p.EvaluatedAt) + " · " + p.Verdict))
	}
	b.Refresh()
}

// signOffText is a signature on three lines: who signed what and when,
// the meaning they signed between quotes, and their comment if any. The
// meaning is a sentence with its own full stop, so nothing follows the
// closing quote on its line (one line read "…it needs.”.").
func signOffText(ref *model.Reference, so domain.SignOff) string {
	lines := []string{lang.X("plan.signoff", "{{.Decision}} by {{.Name}} ({{.Role}}) on {{.Date}}", map[string]any{
		"Decision": i18n.PlanStatus(so.Decision), "Name": ref.UserName(so.By), "Role": i18n.Role(so.Role), "Date": i18n.DateTime(so.At)}),
		lang.X("plan.signoff_meaning", "Meaning: “{{.Meaning}}”", map[string]any{"Meaning": so.Meaning})}
	if so.Comment != "" {
		lines = append(lines, lang.X("plan.signoff_comment", "Comment: {{.Comment}}", map[string]any{"Comment": so.Comment}))
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 90 {
		return string(r[:89]) + "…"
	}
	return s
}

// choice is one thing the user can do with the plan.
type choice struct {
	label string
	open  func()
}

func (s *Screen) choices() []choice {
	p, role := &s.d.Plan, s.m.Session().Role
	var out []choice
	add := func(ok bool, label string, open func()) {
		if ok {
			out = append(out, choice{label, open})
		}
	}
	draft := p.Status == domain.PlanStatusDraft || p.Status == domain.PlanStatusRejected
	add(role == domain.RoleEngineer && draft, lang.X("plan.add_action", "Add a preventive action"), s.openAddAction)
	add(role == domain.RoleEngineer && draft, lang.X("plan.carry_action", "Add a complaint's preventive action"), s.openCarryAction)
	add(role == domain.RoleEngineer && p.Status == domain.PlanStatusDraft, lang.X("plan.submit", "Submit for approval"), s.openSubmit)
	add(role == domain.RoleManager && p.Status == domain.PlanStatusSubmitted, lang.X("plan.approve", "Approve"), func() { s.openSign(true) })
	add(role == domain.RoleManager && p.Status == domain.PlanStatusSubmitted, lang.X("plan.reject", "Reject"), func() { s.openSign(false) })
	canRun := role == domain.RoleEngineer || role == domain.RoleManager
	add(canRun && p.Status == domain.PlanStatusApproved, lang.X("plan.start", "Start the plan"), s.start)
	add(canRun && p.Status == domain.PlanStatusInProgress, lang.X("plan.evaluate", "Record the verdict"), s.openEvaluate)
	return out
}

// Choices lists the labels of what the user can do (tests).
func (s *Screen) Choices() []string {
	var out []string
	for _, c := range s.choices() {
		out = append(out, c.label)
	}
	return out
}

func (s *Screen) showChoices() {
	s.form, s.inputs, s.submit = nil, nil, nil
	objs := []fyne.CanvasObject{ui.Heading(lang.X("detail.what_now", "What to do"))}
	cs := s.choices()
	if len(cs) == 0 {
		objs = append(objs, widget.NewLabel(lang.X("detail.nothing_to_do", "Nothing for you to do here.")))
	}
	for i, c := range cs {
		b := widget.NewButton(c.label, c.open)
		if i == 0 {
			b.Importance = widget.HighImportance
		}
		objs = append(objs, b)
	}
	s.side.Objects = objs
	s.side.Refresh()
}

// panel shows a form with a confirm button in the right-hand column.
func (s *Screen) panel(title, ok string, build func(f *ui.Form), run func() error) {
	s.env.Nav.Touch()
	s.notice.Hide()
	s.form, s.inputs = ui.NewForm(), map[string]fyne.CanvasObject{}
	build(s.form)
	s.submit = widget.NewButtonWithIcon(title, theme.ConfirmIcon(), nil)
	s.submit.Importance = widget.HighImportance
	s.submit.OnTapped = func() {
		s.env.Nav.Touch()
		ui.Do(s.env, run, func(err error) {
			if err != nil {
				ui.FocusField(s.env.Win, s.form.Show(err))
				return
			}
			s.notice.SetText(ok)
			s.notice.Show()
			s.Load()
		})
	}
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), s.showChoices)
	s.side.Objects = []fyne.CanvasObject{ui.Heading(title), s.form.Object(), container.NewGridWithColumns(2, cancel, s.submit)}
	s.side.Refresh()
}

func (s *Screen) add(f *ui.Form, field, label string, o fyne.CanvasObject) {
	f.Add(field, label, o)
	s.inputs[field] = o
}

func (s *Screen) openAddAction() {
	title, owner, due := widget.NewEntry(), ui.NewSelect(nil, nil), widget.NewEntry()
	users := s.ref.UsersWithRole(domain.RoleEngineer, domain.RoleManager)
	for _, u := range users {
		owner.Options = append(owner.Options, u.DisplayName)
	}
	due.SetText(i18n.Date(s.env.Now().Add(30 * 24 * time.Hour)))
	s.panel(lang.X("plan.add_action", "Add a preventive action"), lang.X("panel.assigned", "Action assigned."), func(f *ui.Form) {
		s.add(f, "title", lang.X("field.title", "Title"), title)
		s.add(f, "owner", lang.X("field.owner", "Owner"), owner)
		s.add(f, "due", lang.X("field.due", "Due date"), due)
	}, func() error {
		d, err := i18n.ParseDate(strings.TrimSpace(due.Text))
		if err != nil {
			return domain.FieldError("due", "%s", err.Error())
		}
		login := ""
		if i := owner.SelectedIndex(); i >= 0 {
			login = users[i].Login
		}
		return s.m.AddPlanAction(s.id, model.NewAction{Kind: domain.ActionPreventive, Title: title.Text, Owner: login, Due: d})
	})
}

func (s *Screen) openSubmit() {
	note := widgets.NewMultiLineEntry()
	s.panel(lang.X("plan.submit", "Submit for approval"), lang.X("plan.submitted", "Submitted: a manager reviews it."), func(f *ui.Form) {
		s.add(f, "note", lang.X("field.comment", "Comment"), note)
	}, func() error { return s.m.SubmitPlan(s.id, note.Text) })
}

// Meaning is what a manager's signature says, recorded with it.
func Meaning(approve bool) string {
	if approve {
		return lang.X("plan.meaning_approve", "I approve this preventive plan and commit the resources it needs.")
	}
	return lang.X("plan.meaning_reject", "I reject this preventive plan for the reason given.")
}

// openSign asks for a comment and the password again: the signature binds
// the person, and the event records who, when and what it means.
func (s *Screen) openSign(approve bool) {
	title, ok := lang.X("plan.approve", "Approve"), lang.X("plan.approved", "Approved and signed.")
	if !approve {
		title, ok = lang.X("plan.reject", "Reject"), lang.X("plan.rejected", "Rejected and signed.")
	}
	comment, password := widgets.NewMultiLineEntry(), widget.NewPasswordEntry()
	meaning := ui.Wrapped("“" + Meaning(approve) + "”")
	meaning.TextStyle.Italic = true
	s.panel(title, ok, func(f *ui.Form) {
		s.add(f, "comment", lang.X("field.comment", "Comment"), comment)
		s.add(f, "meaning", lang.X("field.meaning", "Meaning of the signature"), meaning)
		s.add(f, "password", lang.X("plan.password_again", "Your password, to sign"), password)
	}, func() error { return s.m.SignPlan(s.id, approve, comment.Text, Meaning(approve), password.Text) })
}

func (s *Screen) start() {
	s.env.Nav.Touch()
	ui.Do(s.env, func() error { return s.m.StartPlan(s.id) }, func(err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		s.notice.SetText(lang.X("plan.started", "Plan started."))
		s.notice.Show()
		s.Load()
	})
}

func (s *Screen) openEvaluate() {
	verdict := widgets.NewRadio([]string{i18n.PlanStatus(domain.PlanStatusEffective), i18n.PlanStatus(domain.PlanStatusIneffective)}, nil)
	note := widgets.NewMultiLineEntry()
	s.panel(lang.X("plan.evaluate", "Record the verdict"), lang.X("panel.recorded", "Recorded."), func(f *ui.Form) {
		s.add(f, "effective", lang.X("plan.verdict", "Verdict"), verdict)
		s.add(f, "note", lang.X("field.comment", "Comment"), note)
	}, func() error {
		if verdict.Selected() == "" {
			return domain.FieldError("effective", "is required")
		}
		return s.m.EvaluatePlan(s.id, verdict.Selected() == i18n.PlanStatus(domain.PlanStatusEffective), note.Text)
	})
}

// Input returns an input of the open form (tests).
func (s *Screen) Input(field string) fyne.CanvasObject { return s.inputs[field] }

// Submit returns the open form's confirm button (tests).
func (s *Screen) Submit() *widget.Button { return s.submit }

// FieldError returns the error shown under a field (tests).
func (s *Screen) FieldError(field string) string {
	if s.form == nil {
		return ""
	}
	return s.form.ErrorText(field)
}

// Notice is the confirmation shown, "" if none.
func (s *Screen) Notice() string {
	if s.notice.Visible() {
		return s.notice.Text
	}
	return ""
}

// effectivenessBadge shows the plan's measured verdict.
func effectivenessBadge(e *model.Effectiveness) *widget.Label {
	l := widget.NewLabel("")
	switch e.Verdict {
	case analytics.Effective:
		l.SetText(lang.X("plan.measured.effective", "Measured: effective"))
		l.Importance = widget.SuccessImportance
	case analytics.Ineffective:
		l.SetText(lang.X("plan.measured.ineffective", "Measured: ineffective ({{.Numbers}})", map[string]any{"Numbers": strings.Join(e.Evidence, ", ")}))
		l.Importance = widget.DangerImportance
	default:
		l.SetText(lang.X("plan.measured.pending", "Measured: pending, {{.Days}} days left", map[string]any{"Days": e.DaysLeft}))
		l.Importance = widget.WarningImportance
	}
	return l
}
