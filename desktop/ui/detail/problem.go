package detail

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/problems"
	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// The complaint's problem panel (issue 11): which problem (failure mode)
// the complaint looks like, with the score and its reasons, or who decided
// it; engineers and managers confirm, say "not the same", move it to
// another problem or start a new one. It sits in the overview, under the
// description, for everyone but operators.

// ProblemModel is what the problem panel needs.
type ProblemModel interface {
	ComplaintProblem(id string) (model.ComplaintProblem, error)
	ProblemChoices(complaintID string) ([]model.ProblemRef, error)
	ConfirmProblem(complaintID string, problem analytics.ProblemID) error
	DenyProblem(complaintID string, problem analytics.ProblemID) error
	MoveToProblem(complaintID string, to analytics.ProblemID, otherSupplier bool) error
	StartNewProblem(complaintID string) (analytics.ProblemID, error)
}

// problemPanel holds the panel's widgets and what it shows.
type problemPanel struct {
	box *fyne.Container
	cp  model.ComplaintProblem
}

// showsProblem reports whether the signed-in role sees the panel.
func (s *Screen) showsProblem() bool { return s.m.Session().Role != domain.RoleOperator }

// decidesProblems reports whether the role records problem decisions (the
// permission table's engineerOrMgr).
func (s *Screen) decidesProblems() bool {
	r := s.m.Session().Role
	return r == domain.RoleEngineer || r == domain.RoleManager
}

// addProblemPanel puts the panel into the overview and loads it.
func (s *Screen) addProblemPanel(o *fyne.Container) {
	if !s.showsProblem() {
		return
	}
	if s.problem.box == nil {
		s.problem.box = container.NewVBox()
	}
	o.Add(s.problem.box)
	ui.Load(s.env, func() (model.ComplaintProblem, error) { return s.m.ComplaintProblem(s.id) },
		func(cp model.ComplaintProblem, err error) {
			if err != nil {
				s.problem.box.Objects = []fyne.CanvasObject{lowLabel(i18n.Error(err))}
				s.problem.box.Refresh()
				return
			}
			s.problem.cp = cp
			s.renderProblem()
		})
}

// Problem is what the problem panel shows (tests).
func (s *Screen) Problem() model.ComplaintProblem { return s.problem.cp }

func (s *Screen) renderProblem() {
	cp, box := &s.problem.cp, s.problem.box
	box.RemoveAll()
	box.Add(ui.Heading(lang.X("problem.heading", "Problem")))
	box.Add(widget.NewSeparator())
	if cp.Problem.ID == "" {
		box.Add(lowLabel(lang.X("problem.none", "Not a real occurrence (rejected, duplicate or withdrawn): it belongs to no problem.")))
		box.Refresh()
		return
	}
	box.Add(s.problemLine(cp))
	if cp.Decided != nil {
		box.Add(ui.Wrapped(decisionText(cp.Decided)))
	} else if len(cp.Proposal.Reasons) > 0 {
		var reasons []string
		for _, r := range cp.Proposal.Reasons {
			reasons = append(reasons, problems.ReasonText(r))
		}
		box.Add(ui.Wrapped(scoreText(cp.Proposal) + " " + strings.Join(reasons, "; ") + "."))
	}
	for i := range cp.Denied {
		box.Add(ui.Wrapped(decisionText(&cp.Denied[i])))
	}
	s.renderProblemConflict(box)
	if s.decidesProblems() && cp.Countable {
		box.Add(s.problemButtons())
	}
	box.Refresh()
}

// problemLine names the problem, and opens its page.
func (s *Screen) problemLine(cp *model.ComplaintProblem) fyne.CanvasObject {
	var text string
	args := map[string]any{"Name": cp.Problem.Name(), "Complaints": problems.Complaints(cp.Problem.Complaints)}
	switch {
	case !cp.Countable:
		text = lang.X("problem.looks_like_uncounted", "Looks like problem {{.Name}}", args)
	case cp.Decided != nil:
		text = lang.X("problem.is", "Problem {{.Name}} ({{.Complaints}})", args)
	case cp.Proposal.New && cp.Problem.Complaints <= 1:
		text = lang.X("problem.own", "A problem of its own: no earlier problem is close enough.")
		if cp.Best != nil {
			text += " " + lang.X("problem.closest", "Closest: {{.Name}}.", map[string]any{"Name": cp.Best.Name()})
		}
	case cp.Proposal.New:
		text = lang.X("problem.started", "First complaint of problem {{.Name}} ({{.Complaints}})", args)
	default:
		text = lang.X("problem.looks_like", "Looks like problem {{.Name}} ({{.Complaints}})", args)
	}
	l := ui.Wrapped(text)
	l.TextStyle.Bold = true
	if s.OpenProblem == nil || (cp.Proposal.New && cp.Problem.Complaints <= 1) {
		return l
	}
	id := cp.Problem.ID
	open := widget.NewButtonWithIcon(lang.X("problem.open", "Open the problem"), theme.NavigateNextIcon(), func() { s.OpenProblem(id) })
	return container.NewBorder(nil, nil, nil, open, l)
}

// scoreText says how strong the proposal is against the threshold.
func scoreText(p analytics.Proposal) string {
	return lang.X("problem.score", "Score {{.Score}} (a complaint joins a problem from {{.Threshold}}), because:", map[string]any{
		"Score": fmt.Sprintf("%.2f", p.Score), "Threshold": fmt.Sprintf("%.2f", analytics.ProposalThreshold)})
}

// decisionText says who decided what and when.
func decisionText(d *model.Decision) string {
	args := map[string]any{"Name": d.Problem.Name(), "Who": d.By, "Date": i18n.DateTime(d.At)}
	switch d.Type {
	case domain.ComplaintProblemConfirmed:
		return lang.X("problem.decided.confirmed", "Confirmed by {{.Who}} on {{.Date}}.", args)
	case domain.ComplaintProblemMoved:
		return lang.X("problem.decided.moved", "Placed in this problem by {{.Who}} on {{.Date}}.", args)
	}
	if d.Problem.Number == "" {
		return lang.X("problem.decided.denied_gone", "Not the same as an earlier problem, said {{.Who}} on {{.Date}}.", args)
	}
	return lang.X("problem.decided.denied", "Not the same as problem {{.Name}}, said {{.Who}} on {{.Date}}.", args)
}

// renderProblemConflict shows concurrent decisions like the page's other
// conflicts: every value with who wrote it, and a button to keep it.
func (s *Screen) renderProblemConflict(box *fyne.Container) {
	if len(s.problem.cp.Conflict) == 0 {
		return
	}
	warn := ui.Wrapped(lang.X("problem.conflict", "Two people placed this complaint in different problems at the same time:"))
	warn.Importance = widget.WarningImportance
	box.Add(warn)
	for _, v := range s.problem.cp.Conflict {
		v := v
		text := v.Problem.Name() + " — " + v.By + " · " + i18n.DateTime(v.At)
		var keep fyne.CanvasObject = widget.NewLabel("")
		if canResolveConflicts(s.m.Session().Role) {
			keep = widget.NewButton(lang.X("detail.keep", "Keep this one"), func() { s.keep("problem", json.RawMessage(v.Value)) })
		}
		box.Add(container.NewBorder(nil, nil, nil, keep, ui.Wrapped(text)))
	}
}

// problemButtons are the decisions an engineer or manager records.
func (s *Screen) problemButtons() fyne.CanvasObject {
	cp := &s.problem.cp
	row := container.NewGridWrap(fyne.NewSize(250, 40))
	add := func(label string, icon fyne.Resource, fn func()) {
		row.Add(widget.NewButtonWithIcon(label, icon, fn))
	}
	if cp.Decided == nil {
		add(lang.X("problem.confirm", "Confirm"), theme.ConfirmIcon(), s.confirmProblem)
	}
	if !cp.Proposal.New { // it joined an earlier problem: it may not be that one
		add(lang.X("problem.deny", "Not the same"), theme.CancelIcon(), s.denyProblem)
	}
	add(lang.X("problem.move", "Move to another problem…"), theme.MailForwardIcon(), s.moveProblem)
	if cp.Problem.Complaints > 1 {
		add(lang.X("problem.new", "Start a new problem"), theme.ContentAddIcon(), s.newProblem)
	}
	return row
}

// problemDone reloads the page after a decision and says what was done.
func (s *Screen) problemDone(message string) func(error) {
	return func(err error) {
		if err != nil {
			ui.ShowError(s.env, explainProblem(err))
			return
		}
		s.done(message)
	}
}

func (s *Screen) confirmProblem() {
	s.env.Nav.Touch()
	pid := s.problem.cp.Problem.ID
	ui.Do(s.env, func() error { return s.m.ConfirmProblem(s.id, pid) },
		s.problemDone(lang.X("problem.confirmed", "Problem confirmed.")))
}

func (s *Screen) denyProblem() {
	s.env.Nav.Touch()
	pid, name := s.problem.cp.Problem.ID, s.problem.cp.Problem.Name()
	problems.Confirm(s.env.Win, lang.X("problem.deny.title", "Not the same problem"),
		lang.X("problem.deny.question", "This complaint is not problem {{.Name}}: it will never be proposed there again, and goes to the next closest problem or starts its own.", map[string]any{"Name": name}),
		lang.X("problem.deny.do", "Not the same"), func(ok bool) {
			if ok {
				ui.Do(s.env, func() error { return s.m.DenyProblem(s.id, pid) },
					s.problemDone(lang.X("problem.denied", "Recorded: not the same problem.")))
			}
		})
}

func (s *Screen) newProblem() {
	s.env.Nav.Touch()
	problems.Confirm(s.env.Win, lang.X("problem.new.title", "Start a new problem"),
		lang.X("problem.new.question", "Take this complaint out of problem {{.Name}} into a new problem of its own?", map[string]any{"Name": s.problem.cp.Problem.Name()}),
		lang.X("problem.new.do", "Start a new problem"), func(ok bool) {
			if ok {
				ui.Do(s.env, func() error { _, err := s.m.StartNewProblem(s.id); return err },
					s.problemDone(lang.X("problem.new.done", "The complaint starts a new problem.")))
			}
		})
}

// moveProblem opens the picker of problems, those of the complaint's
// supplier station first, with a filter.
func (s *Screen) moveProblem() {
	s.env.Nav.Touch()
	ui.Load(s.env, func() ([]model.ProblemRef, error) { return s.m.ProblemChoices(s.id) }, func(choices []model.ProblemRef, err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		s.showMovePicker(choices)
	})
}

func (s *Screen) showMovePicker(choices []model.ProblemRef) {
	picker := problems.NewPicker(choices)
	d := dialog.NewCustomConfirm(lang.X("problem.move.title", "Move to another problem"), lang.X("problem.move.do", "Move"),
		lang.X("action.cancel", "Cancel"), picker.Object(), func(ok bool) {
			if ok {
				if to, chosen := picker.Chosen(); chosen {
					s.moveTo(to, false)
				}
			}
		}, s.env.Win)
	d.Resize(fyne.NewSize(720, 520))
	d.Show()
}

// moveTo records the move; a problem of another supplier station asks
// for a confirmation that says why first.
func (s *Screen) moveTo(to model.ProblemRef, otherSupplier bool) {
	ui.Do(s.env, func() error { return s.m.MoveToProblem(s.id, to.ID, otherSupplier) }, func(err error) {
		var de *domain.Error
		if errors.As(err, &de) && de.Rule == "problem.other_supplier" && !otherSupplier {
			problems.Confirm(s.env.Win, lang.X("problem.other_supplier.title", "Another supplier station"),
				lang.X("problem.other_supplier.question", "Problem {{.Name}} is about supplier station {{.Theirs}}, this complaint about {{.Mine}}. A problem normally stays within one supplier station; move it anyway if the same failure truly crosses stations.",
					map[string]any{"Name": to.Name(), "Theirs": to.SupplierStation, "Mine": s.d.Complaint.SupplierStation}),
				lang.X("problem.other_supplier.do", "Move anyway"), func(ok bool) {
					if ok {
						s.moveTo(to, true)
					}
				})
			return
		}
		s.problemDone(lang.X("problem.moved", "Complaint moved to problem {{.Name}}.", map[string]any{"Name": to.Name()}))(err)
	})
}

// explainProblem words the refusals of problem decisions by their rule.
func explainProblem(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.Rule == "" {
		return explain(err)
	}
	if words := problems.RuleWords(de.Rule); words != "" {
		return &domain.Error{Code: de.Code, Rule: de.Rule, Message: words}
	}
	return explain(err)
}

// showConflictValue writes a conflicting value for the Conflicts tab: a
// problem by its name (the panel knows them), anything else as the page
// does.
func (s *Screen) showConflictValue(field string, raw json.RawMessage) string {
	if field == "problem" {
		for _, v := range s.problem.cp.Conflict {
			if string(v.Value) == string(raw) {
				return v.Problem.Name()
			}
		}
	}
	return showValue(field, raw, &s.ref)
}

// describeProblemDecision says in a sentence what a problem decision of
// the timeline did; false for other events.
func describeProblemDecision(it *model.TimelineItem) (string, bool) {
	switch it.Type {
	case domain.ComplaintProblemConfirmed:
		return lang.X("timeline.problem_confirmed", "Problem confirmed"), true
	case domain.ComplaintProblemMoved:
		return lang.X("timeline.problem_moved", "Moved to another problem"), true
	case domain.ComplaintProblemDenied:
		return lang.X("timeline.problem_denied", "Not the same problem as the one proposed"), true
	}
	return "", false
}
