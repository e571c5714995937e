package detail

import (
	"strconv"
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
	"boucle/shared/domain"
)

// panel is a task being filled in, in the right-hand column.
type panel struct {
	task   taskID
	form   *ui.Form
	inputs map[string]fyne.CanvasObject // by domain field, for tests
	run    func() error
	ok     string // confirmation shown once done
	submit *widget.Button
	hint   *widget.Label  // a line shown above the form (what the task does, or to what), if any
	action *domain.Action // the action the task is about, if any
	files  []model.File   // the files picked (taskAttach)
	list   *fyne.Container
}

func (s *Screen) label(t taskID) string {
	switch t {
	case taskAcknowledge:
		return lang.X("task.acknowledge", "Acknowledge")
	case taskAnalyse:
		return lang.X("task.analyse", "Record the analysis")
	case taskPropose:
		return lang.X("task.propose", "Propose solutions")
	case taskAssign:
		return lang.X("task.assign", "Assign an action")
	case taskReassign:
		return lang.X("task.reassign", "Hand to another engineer")
	case taskMessage:
		if s.m.Session().Role == domain.RoleOperator {
			return lang.X("task.reply", "Reply")
		}
		return lang.X("task.message", "Write to the complainant")
	case taskNote:
		return lang.X("task.note", "Write an internal note")
	case taskChoose:
		return lang.X("task.choose", "Choose a solution")
	case taskVerify:
		return lang.X("task.verify", "Confirm and rate")
	case taskReopen:
		return lang.X("task.reopen", "Not solved: reopen")
	case taskReexamine:
		return lang.X("task.reexamine", "Ask for a re-examination")
	case taskEscalate:
		return lang.X("task.escalate", "Escalate")
	case taskReject:
		return lang.X("task.reject", "Reject")
	case taskDuplicate:
		return lang.X("task.duplicate", "Mark as duplicate")
	case taskResolve:
		return lang.X("task.resolve", "Mark as resolved")
	case taskWithdraw:
		return lang.X("task.withdraw", "Withdraw the complaint")
	case taskAttach:
		return lang.X("task.attach", "Add a photo or file")
	case taskCancelAction:
		return lang.X("task.cancel_action", "Cancel the action")
	case taskRescheduleAction:
		return lang.X("task.reschedule_action", "Reschedule the action")
	}
	return string(t)
}

// showTasks lists what the user can do now, as buttons in a steady
// order (tasks' order, in groups): the one next step of this person at
// this status is highlighted, and a line says what the complaint waits
// for when it is someone else's turn.
func (s *Screen) showTasks() {
	s.panel = nil
	role := s.m.Session().Role
	list := s.tasks()
	pending := pendingActions(s.d.Actions)
	next := primary(role, &s.d.Complaint, pending)
	objs := []fyne.CanvasObject{ui.Heading(lang.X("detail.what_now", "What to do"))}
	if w := s.waitingFor(role, pending); w != "" {
		objs = append(objs, ui.Wrapped(w))
	}
	if len(list) == 0 {
		objs = append(objs, widget.NewLabel(lang.X("detail.nothing_to_do", "Nothing for you to do here.")))
	}
	for i, t := range list {
		t := t
		if i > 0 && groupOf(t) != groupOf(list[i-1]) {
			objs = append(objs, widget.NewSeparator())
		}
		b := widget.NewButton(s.label(t), func() { s.open(t) })
		if t == next {
			b.Importance = widget.HighImportance
		}
		var o fyne.CanvasObject = b
		if role == domain.RoleOperator {
			o = ui.Touch(b)
		}
		objs = append(objs, o)
	}
	s.side.Objects = objs
	s.side.Refresh()
}

// waitingFor says, when the next step is someone else's, whose it is.
func (s *Screen) waitingFor(role domain.Role, pending int) string {
	st := s.d.Complaint.Status
	switch {
	case role == domain.RoleOperator && st == domain.StatusNew:
		return lang.X("detail.wait.acknowledge", "Waiting for a quality engineer to acknowledge it and announce a deadline.")
	case role == domain.RoleOperator && (st == domain.StatusAcknowledged || st == domain.StatusInvestigating):
		return lang.X("detail.wait.analysis", "A quality engineer is looking for the cause; you will be asked to choose a solution.")
	case role == domain.RoleOperator && (st == domain.StatusSolutionChosen || st == domain.StatusActionsInProgress):
		return lang.X("detail.wait.actions", "The actions of the chosen solution are under way; you will be asked to confirm the result.")
	case role == domain.RoleOperator:
		return ""
	case st == domain.StatusSolutionProposed:
		return lang.X("detail.wait.choice", "Waiting for the complainant to choose one of the proposed solutions.")
	case st == domain.StatusActionsInProgress && pending > 0:
		return lang.X("detail.wait.pending", "Actions still to be done: {{.N}}. Mark the complaint as resolved once they are done.", map[string]any{"N": pending})
	case st == domain.StatusResolved:
		return lang.X("detail.wait.verify", "Waiting for the complainant to confirm the resolution.")
	}
	return ""
}

// Tasks lists the labels of the buttons shown (tests).
func (s *Screen) Tasks() []string {
	var out []string
	for _, t := range s.tasks() {
		out = append(out, s.label(t))
	}
	return out
}

// open shows a task's form in the right-hand column.
func (s *Screen) open(t taskID) { s.openOn(t, nil) }

// openOn shows the form of a task on the complaint, or on one of its
// actions.
func (s *Screen) openOn(t taskID, action *domain.Action) {
	s.env.Nav.Touch()
	s.notice.Hide()
	p := &panel{task: t, form: ui.NewForm(), inputs: map[string]fyne.CanvasObject{}, action: action}
	s.build(p)
	p.submit = widget.NewButtonWithIcon(s.label(t), theme.ConfirmIcon(), func() { s.confirm(p) })
	p.submit.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), s.showTasks)
	buttons := container.NewGridWithColumns(2, cancel, p.submit)
	var btns fyne.CanvasObject = buttons
	if s.m.Session().Role == domain.RoleOperator {
		btns = ui.Touch(buttons)
	}
	s.panel = p
	s.side.Objects = []fyne.CanvasObject{wrappedHeading(s.label(t))}
	if p.hint != nil {
		s.side.Objects = append(s.side.Objects, p.hint)
	}
	s.side.Objects = append(s.side.Objects, p.form.Object(), btns)
	s.side.Refresh()
	for _, o := range p.form.Fields() {
		ui.FocusField(s.env.Win, o)
		break
	}
}

func (s *Screen) confirm(p *panel) {
	s.env.Nav.Touch()
	p.submit.Disable()
	ui.Do(s.env, p.run, func(err error) {
		p.submit.Enable()
		if err != nil {
			ui.FocusField(s.env.Win, p.form.Show(explain(err)))
			return
		}
		s.done(p.ok)
	})
}

// entry adds a text field. Ctrl+Enter (or Ctrl+S) in a multi-line field
// and Enter in a one-line field confirm the task, as on the filing form.
func (p *panel) entry(field, label string, multi bool) *widget.Entry {
	if multi {
		m := widgets.NewMultiLineEntry()
		m.SetMinRowsVisible(3)
		m.OnSubmitForm = p.confirmByKey
		p.form.Add(field, label, m)
		p.inputs[field] = m
		return &m.Entry
	}
	e := widget.NewEntry()
	e.OnSubmitted = func(string) { p.confirmByKey() }
	p.form.Add(field, label, e)
	p.inputs[field] = e
	return e
}

// confirmByKey presses the task's confirm button from the keyboard.
func (p *panel) confirmByKey() {
	if p.submit != nil && !p.submit.Disabled() && p.submit.OnTapped != nil {
		p.submit.OnTapped()
	}
}

func (p *panel) selectOf(field, label string, options []string) *widget.Select {
	sel := ui.NewSelect(options, nil)
	p.form.Add(field, label, sel)
	p.inputs[field] = sel
	return sel
}

// users offers people by display name and returns the select and a
// function giving the login chosen.
func (p *panel) users(field, label string, users []domain.User, preselect string) (*widget.Select, func() string) {
	var names []string
	for _, u := range users {
		names = append(names, u.DisplayName)
	}
	sel := p.selectOf(field, label, names)
	for i, u := range users {
		if u.Login == preselect {
			sel.SetSelectedIndex(i)
		}
	}
	return sel, func() string {
		if i := sel.SelectedIndex(); i >= 0 {
			return users[i].Login
		}
		return ""
	}
}

func (s *Screen) build(p *panel) {
	id, me := s.id, s.m.Session()
	c := &s.d.Complaint
	switch p.task {
	case taskAcknowledge:
		s.buildAcknowledge(p)
	case taskAnalyse:
		s.buildAnalysis(p)
	case taskPropose:
		var opts []*widget.Entry
		for i := 1; i <= 3; i++ {
			opts = append(opts, p.entry("options", lang.X("panel.option", "Solution {{.N}}", map[string]any{"N": len(c.Solutions) + i}), true))
		}
		p.ok = lang.X("panel.proposed", "Solutions proposed: the complainant chooses.")
		p.run = func() error {
			var texts []string
			for _, e := range opts {
				texts = append(texts, e.Text)
			}
			return s.m.ProposeSolutions(id, texts)
		}
	case taskAssign:
		s.buildAssign(p)
	case taskReassign:
		_, who := p.users("assignee", lang.X("field.assignee", "Assigned engineer"), s.ref.UsersWithRole(domain.RoleEngineer), c.Assignee)
		p.ok = lang.X("panel.reassigned", "Handed over.")
		p.run = func() error { return s.m.Reassign(id, who()) }
	case taskMessage, taskNote:
		text := p.entry("text", lang.X("field.text", "Message"), true)
		internal := p.task == taskNote
		p.ok = lang.X("panel.sent", "Message sent.")
		p.run = func() error { return s.m.PostMessage(id, text.Text, internal) }
	case taskChoose:
		var labels []string
		for _, sol := range c.Solutions {
			labels = append(labels, sol.ID+": "+sol.Text)
		}
		choice := widgets.NewRadio(labels, nil)
		choice.Vertical = true
		p.form.Add("solution_id", lang.X("field.solution", "Solution"), choice)
		p.inputs["solution_id"] = choice
		comment := p.entry("comment", lang.X("field.comment", "Comment"), true)
		p.ok = lang.X("panel.chosen", "Your choice is recorded.")
		p.run = func() error {
			sol := ""
			for i, l := range labels {
				if l == choice.Selected() {
					sol = c.Solutions[i].ID
				}
			}
			return s.m.ChooseSolution(id, sol, comment.Text)
		}
	case taskVerify:
		stars := widgets.NewRadio([]string{"1", "2", "3", "4", "5"}, nil)
		p.form.Add("rating", lang.X("field.rating", "Satisfaction"), container.NewVBox(stars,
			widget.NewLabel(lang.X("panel.rating_hint", "1 = not satisfied at all, 5 = fully satisfied"))))
		p.inputs["rating"] = stars
		comment := p.entry("comment", lang.X("field.comment", "Comment"), true)
		p.ok = lang.X("panel.verified", "Thank you: the complaint is closed.")
		p.run = func() error {
			n, _ := strconv.Atoi(stars.Selected())
			return s.m.Verify(id, n, comment.Text)
		}
	case taskReopen, taskReexamine, taskReject:
		reason := p.entry("reason", lang.X("field.reason", "Reason"), true)
		p.ok = lang.X("panel.recorded", "Recorded.")
		run := map[taskID]func(string, string) error{taskReopen: s.m.Reopen, taskReexamine: s.m.RequestReexamination, taskReject: s.m.Reject}[p.task]
		p.run = func() error { return run(id, reason.Text) }
	case taskEscalate:
		sups := s.ref.UsersWithRole(domain.RoleManager)
		pre := ""
		if len(sups) > 0 {
			pre = sups[0].Login
		}
		_, who := p.users("supervisor", lang.X("field.supervisor", "Supervisor"), sups, pre)
		reason := p.entry("reason", lang.X("field.reason", "Reason"), true)
		if c.Overdue(s.env.Now()) {
			reason.SetText(lang.X("panel.escalate_overdue", "The announced deadline has passed."))
		}
		p.ok = lang.X("panel.escalated", "Escalated.")
		p.run = func() error { return s.m.Escalate(id, who(), reason.Text) }
	case taskDuplicate:
		number := p.entry("of", lang.X("field.duplicate_of", "Duplicate of"), false)
		number.SetPlaceHolder(me.Station + "-" + strconv.Itoa(s.env.Now().Year()) + "-0001")
		p.ok = lang.X("panel.duplicate", "Marked as a duplicate.")
		p.run = func() error { return s.m.MarkDuplicate(id, number.Text) }
	case taskWithdraw:
		p.hint = ui.Wrapped(lang.X("panel.withdraw_hint", "Withdrawing ends the complaint: the engineers stop handling it. It stays in the history with your reason."))
		reason := p.entry("reason", lang.X("field.reason", "Reason"), true)
		p.ok = lang.X("panel.withdrawn", "Complaint withdrawn.")
		p.run = func() error { return s.m.Withdraw(id, reason.Text) }
	case taskAttach:
		s.buildAttach(p)
	case taskCancelAction:
		s.buildCancelAction(p)
	case taskRescheduleAction:
		s.buildRescheduleAction(p)
	case taskResolve:
		summary := p.entry("summary", lang.X("field.summary", "What was done"), true)
		p.ok = lang.X("panel.resolved", "Resolved: the complainant will verify.")
		p.run = func() error { return s.m.Resolve(id, summary.Text) }
	}
}

func (s *Screen) buildAcknowledge(p *panel) {
	id, c := s.id, s.d.Complaint
	deadline := p.entry("deadline", lang.X("field.deadline", "Deadline"), false)
	deadline.SetPlaceHolder(i18n.DateTimeLayout())
	ui.Load(s.env, func() (time.Time, error) { return s.m.DefaultDeadline(c) }, func(t time.Time, err error) {
		if err == nil && deadline.Text == "" {
			deadline.SetText(i18n.DateTime(t))
		}
	})
	_, who := p.users("assignee", lang.X("field.assignee", "Assigned engineer"), s.ref.UsersWithRole(domain.RoleEngineer), s.m.Session().Login)
	note := p.entry("note", lang.X("panel.note_to_complainant", "Note to the complainant"), true)
	p.ok = lang.X("panel.acknowledged", "Acknowledged: the complainant sees the deadline.")
	p.run = func() error {
		t, err := i18n.ParseDateTime(strings.TrimSpace(deadline.Text))
		if err != nil {
			return domain.FieldError("deadline", "%s", err.Error())
		}
		return s.m.Acknowledge(id, t, who(), note.Text)
	}
}

func (s *Screen) buildAnalysis(p *panel) {
	id, c := s.id, s.d.Complaint
	containment := p.entry("containment", lang.X("field.containment", "Containment"), true)
	containment.SetText(c.Containment)
	var whys []*widget.Entry
	box := container.NewVBox()
	for i := 0; i < 5; i++ {
		// Wrapped on two lines: a single-line entry scrolls a long why
		// sideways, out of sight in the side panel.
		e := widgets.NewMultiLineEntry()
		e.SetMinRowsVisible(2)
		e.OnSubmitForm = p.confirmByKey
		e.SetPlaceHolder(lang.X("panel.why", "Why {{.N}}?", map[string]any{"N": i + 1}))
		if i < len(c.Whys) {
			e.SetText(c.Whys[i])
		}
		whys = append(whys, &e.Entry)
		box.Add(e)
	}
	p.form.Add("whys", lang.X("field.whys", "5 whys"), box)
	p.inputs["whys"] = box
	var fams []string
	for _, f := range domain.IshikawaFamilies {
		fams = append(fams, i18n.Ishikawa(f))
	}
	fam := p.selectOf("ishikawa", lang.X("field.ishikawa", "Cause family (6M)"), fams)
	if c.Ishikawa != "" {
		fam.SetSelected(i18n.Ishikawa(c.Ishikawa))
	}
	root := p.entry("root_cause", lang.X("field.root_cause", "Root cause"), true)
	root.SetText(c.RootCause)
	p.ok = lang.X("panel.analysed", "Analysis saved.")
	p.run = func() error {
		// Only what changed is sent: two engineers filling different
		// fields then never conflict.
		var a domain.AnalysisPayload
		if containment.Text != c.Containment {
			a.Containment = &containment.Text
		}
		var ws []string
		for _, e := range whys {
			if t := strings.TrimSpace(e.Text); t != "" {
				ws = append(ws, t)
			}
		}
		if strings.Join(ws, "\x00") != strings.Join(c.Whys, "\x00") {
			a.Whys = &ws
		}
		if i := fam.SelectedIndex(); i >= 0 && domain.IshikawaFamilies[i] != c.Ishikawa {
			f := domain.IshikawaFamilies[i]
			a.Ishikawa = &f
		}
		if root.Text != c.RootCause {
			a.RootCause = &root.Text
		}
		return s.m.RecordAnalysis(id, a)
	}
}

func (s *Screen) buildAssign(p *panel) {
	id := s.id
	kinds := assignableKinds(s.d.Complaint.Status)
	var kindLabels []string
	for _, k := range kinds {
		kindLabels = append(kindLabels, i18n.ActionKind(k))
	}
	kind := ui.NewSelect(kindLabels, nil)
	kind.SetSelectedIndex(0)
	var kindInput fyne.CanvasObject = kind
	if why := onlyContainmentWhy(s.d.Complaint.Status); len(kinds) == 1 && why != "" {
		kindInput = container.NewVBox(kind, ui.Wrapped(why)) // next to the choice it explains
	}
	p.form.Add("kind", lang.X("panel.action_kind", "Kind of action"), kindInput)
	p.inputs["kind"] = kind
	title := p.entry("title", lang.X("field.title", "Title"), true) // wrapped, not scrolled sideways
	title.SetMinRowsVisible(2)
	desc := p.entry("description", lang.X("field.description", "Description"), true)
	// Owners carry the action out (start it, mark it done): engineers and
	// managers, as the domain's permission table says.
	users := s.ref.UsersWithRole(domain.RoleEngineer, domain.RoleManager)
	_, owner := p.users("owner", lang.X("field.owner", "Owner"), users, "")
	due := p.entry("due", lang.X("field.due", "Due date"), false)
	due.SetPlaceHolder(i18n.DateLayout())
	due.SetText(i18n.Date(s.env.Now().Add(7 * 24 * time.Hour)))
	p.ok = lang.X("panel.assigned", "Action assigned.")
	p.run = func() error {
		d, err := i18n.ParseDate(strings.TrimSpace(due.Text))
		if err != nil {
			return domain.FieldError("due", "%s", err.Error())
		}
		k := domain.ActionContainment
		if i := kind.SelectedIndex(); i >= 0 {
			k = kinds[i]
		}
		return s.m.AssignAction(id, model.NewAction{Kind: k, Title: oneLine(title.Text), Description: desc.Text, Owner: owner(), Due: d})
	}
}

// onlyContainmentWhy says why only containment is offered, and what
// unblocks the other kinds: corrective and preventive actions carry out
// the solution the complainant chose (the domain moves the complaint to
// "actions in progress" on the first of them, from "solution chosen" only).
func onlyContainmentWhy(st domain.ComplaintStatus) string {
	switch st {
	case domain.StatusAcknowledged, domain.StatusInvestigating:
		return lang.X("panel.kind_why.propose", "Only containment for now: corrective and preventive actions carry out the solution the complainant chooses. Propose solutions; once the complainant has chosen one, all three kinds are offered.")
	case domain.StatusSolutionProposed:
		return lang.X("panel.kind_why.choose", "Only containment for now: the complainant has not chosen among the proposed solutions yet. Once they have, corrective and preventive actions are offered too.")
	}
	return ""
}

// Input returns the input for a domain field of the open task (tests).
func (s *Screen) Input(field string) fyne.CanvasObject {
	if s.panel == nil {
		return nil
	}
	return s.panel.inputs[field]
}

// Submit returns the open task's confirm button (tests).
func (s *Screen) Submit() *widget.Button {
	if s.panel == nil {
		return nil
	}
	return s.panel.submit
}

// PanelError returns the error shown under a field of the open task.
func (s *Screen) PanelError(field string) string {
	if s.panel == nil {
		return ""
	}
	return s.panel.form.ErrorText(field)
}

// oneLine joins the lines of a short text typed in a wrapped entry (a
// title): the line breaks were the typist's Enter, not part of it.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
