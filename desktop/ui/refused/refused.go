// Package refused is the "Refused by the server" screen: every change
// recorded on this workstation that the plant server refused, with what
// it was about, who recorded it and when, and the reason in words; each
// can be recorded again properly (a refused filing reopens the report
// form filled as it was, and is dismissed once filed again; another change
// opens its complaint or plan to redo the step) and dismissed once
// handled. Nothing refused disappears
// without someone having seen it.
package refused

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// Model is what the screen needs.
type Model interface {
	Refused() ([]model.Refusal, error)
	DismissRefusal(eventID string) error
}

// Redo opens the place where a refused change is recorded again.
type Redo struct {
	// File opens the report form filled with a refused filing; saved is
	// to be called once it is filed again (the refusal is then handled).
	File          func(nc model.NewComplaint, saved func())
	OpenComplaint func(id string)
	OpenPlan      func(id string)
}

// Screen is the list of refusals.
type Screen struct {
	env  ui.Env
	m    Model
	redo Redo

	rows    []model.Refusal
	list    *fyne.Container
	empty   *widget.Label
	problem *widget.Label
	obj     fyne.CanvasObject
}

// New builds the screen; Load fills it.
func New(env ui.Env, m Model, redo Redo) *Screen {
	s := &Screen{env: env, m: m, redo: redo}
	s.list = container.NewVBox()
	s.empty = ui.Wrapped(lang.X("refused.none", "Nothing is waiting: every change recorded here was accepted by the server, or has been handled."))
	s.empty.Hide()
	s.problem = ui.ErrorLabel()
	intro := ui.Wrapped(lang.X("refused.intro", "The plant server refused these changes: they are not part of the plant's record. Record each again properly, then dismiss it."))
	s.obj = container.NewBorder(container.NewVBox(intro, s.problem, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.empty, s.list)))
	return s
}

// Object is the screen's widget tree.
func (s *Screen) Object() fyne.CanvasObject { return s.obj }

// Load reads the refusals, off the UI goroutine.
func (s *Screen) Load() {
	ui.Load(s.env, s.m.Refused, func(rows []model.Refusal, err error) {
		ui.SetError(s.problem, err)
		if err != nil {
			return
		}
		s.show(rows)
	})
}

func (s *Screen) show(rows []model.Refusal) {
	s.rows = rows
	s.list.RemoveAll()
	for i := range rows {
		s.list.Add(s.card(&rows[i]))
	}
	s.empty.Hidden = len(rows) > 0
	s.empty.Refresh()
}

// card is one refusal: what, about what, who and when, why, and the two
// ways to handle it.
func (s *Screen) card(r *model.Refusal) fyne.CanvasObject {
	title := ui.Heading(Title(r))
	who := widget.NewLabel(lang.X("refused.who", "Recorded by {{.Author}} on {{.At}} · refused on {{.Refused}}", map[string]any{
		"Author": orDash(r.Author), "At": dateOrDash(r), "Refused": i18n.DateTime(r.RefusedAt)}))
	why := ui.Wrapped(Reason(r))
	why.Importance = widget.DangerImportance
	detail := ui.Wrapped(lang.X("refused.server_said", "The server said: {{.Message}}", map[string]any{"Message": r.Message}))
	detail.TextStyle.Italic = true
	buttons := container.NewHBox()
	if s.canRedo(r) {
		again := widget.NewButtonWithIcon(lang.X("refused.record_again", "Record again"), theme.ContentRedoIcon(), func() { s.recordAgain(r) })
		again.Importance = widget.HighImportance
		buttons.Add(again)
	}
	buttons.Add(widget.NewButtonWithIcon(lang.X("refused.dismiss", "Dismiss"), theme.ConfirmIcon(), func() { s.dismiss(r) }))
	return container.NewVBox(title, who, why, detail, buttons, widget.NewSeparator())
}

// Title names a refused change and what it was about.
func Title(r *model.Refusal) string {
	what := i18n.EventType(r.Type)
	switch {
	case r.ComplaintNumber != "":
		return r.ComplaintNumber + " · " + what
	case r.ComplaintID != "":
		return lang.X("refused.complaint", "Complaint") + " · " + what
	case r.PlanID != "":
		return lang.X("refused.plan", "Preventive plan") + " · " + what
	}
	return what
}

// Reason says why in words, in the UI's language; the server's own words
// when the rule is not one this version explains.
func Reason(r *model.Refusal) string {
	if words := i18n.Refusal(r.Rule, r.Code); words != "" {
		return words
	}
	return r.Message
}

func (s *Screen) canRedo(r *model.Refusal) bool {
	switch {
	case r.Filing != nil:
		return s.redo.File != nil
	case r.ComplaintID != "":
		return s.redo.OpenComplaint != nil
	case r.PlanID != "":
		return s.redo.OpenPlan != nil
	}
	return false
}

// recordAgain opens the right place: the report form filled with a
// refused filing (it gets a new complaint and a number of its own), else
// the complaint or plan, to take the step again.
func (s *Screen) recordAgain(r *model.Refusal) {
	s.env.Nav.Touch()
	switch {
	case r.Filing != nil:
		id := r.EventID
		s.redo.File(*r.Filing, func() { s.dismissID(id) })
	case r.ComplaintID != "":
		s.redo.OpenComplaint(r.ComplaintID)
	case r.PlanID != "":
		s.redo.OpenPlan(r.PlanID)
	}
}

func (s *Screen) dismiss(r *model.Refusal) {
	s.env.Nav.Touch()
	s.dismissID(r.EventID)
}

// dismissID marks a refusal handled, then lists what is left: after a
// refused filing is filed again, the list is current when the user comes
// back to it.
func (s *Screen) dismissID(id string) {
	ui.Do(s.env, func() error { return s.m.DismissRefusal(id) }, func(err error) {
		ui.SetError(s.problem, err)
		if err == nil {
			s.Load()
		}
	})
}

// Titles lists the refusals shown (tests).
func (s *Screen) Titles() []string {
	var out []string
	for i := range s.rows {
		out = append(out, Title(&s.rows[i]))
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func dateOrDash(r *model.Refusal) string {
	if r.RecordedAt.IsZero() {
		return "—"
	}
	return i18n.DateTime(r.RecordedAt)
}
