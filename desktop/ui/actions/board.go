// Package actions holds the action screens: the engineer's "My actions"
// board (by status, then due date) and the manager's plant-wide list of
// open and overdue actions.
package actions

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// BoardModel is what the board needs.
type BoardModel interface {
	Session() model.Session
	Reference() (model.Reference, error)
	MyActions() ([]model.ActionRow, error)
	StartAction(id string) error
	CompleteAction(id, note string) error
	VerifyAction(id string, effective bool, note string) error
}

// Board is "My actions": three columns, open, in progress and done (to
// verify), each by due date.
type Board struct {
	env  ui.Env
	m    BoardModel
	open func(complaintID string)
	ref  model.Reference
	rows []model.ActionRow

	columns [3]*fyne.Container
	heads   [3]*widget.Label
	obj     fyne.CanvasObject
}

// NewBoard builds the board; Load fills it.
func NewBoard(env ui.Env, m BoardModel, open func(complaintID string)) *Board {
	b := &Board{env: env, m: m, open: open}
	var cols []fyne.CanvasObject
	for i := range b.columns {
		b.columns[i] = container.NewVBox()
		b.heads[i] = ui.Heading("")
		cols = append(cols, container.NewBorder(b.heads[i], nil, nil, nil, container.NewVScroll(b.columns[i])))
	}
	b.obj = container.NewGridWithColumns(3, cols...)
	return b
}

// Object is the board's widget tree.
func (b *Board) Object() fyne.CanvasObject { return b.obj }

// Content wraps the board.
func (b *Board) Content() ui.Content { return ui.Content{Object: b.obj, Refresh: b.Load} }

// Load reads the actions.
func (b *Board) Load() {
	type loaded struct {
		ref  model.Reference
		rows []model.ActionRow
	}
	ui.Load(b.env, func() (loaded, error) {
		var l loaded
		var err error
		if l.ref, err = b.m.Reference(); err != nil {
			return l, err
		}
		l.rows, err = b.m.MyActions()
		return l, err
	}, func(l loaded, err error) {
		if err != nil {
			ui.ShowError(b.env, err)
			return
		}
		b.ref, b.rows = l.ref, l.rows
		b.render()
	})
}

// column says where an action goes.
func column(s domain.ActionStatus) int {
	switch s {
	case domain.ActionStatusInProgress:
		return 1
	case domain.ActionStatusDone:
		return 2
	}
	return 0
}

func (b *Board) render() {
	titles := [3]string{lang.X("board.open", "To start"), lang.X("board.in_progress", "In progress"), lang.X("board.done", "Done, to verify")}
	var counts [3]int
	for i := range b.columns {
		b.columns[i].RemoveAll()
	}
	for _, r := range b.rows {
		c := column(r.Status)
		counts[c]++
		b.columns[c].Add(b.card(r))
	}
	for i := range b.columns {
		b.heads[i].SetText(lang.X("board.column", "{{.Title}} ({{.N}})", map[string]any{"Title": titles[i], "N": counts[i]}))
		if counts[i] == 0 {
			b.columns[i].Add(widget.NewLabel(lang.X("board.empty", "Nothing here.")))
		}
		b.columns[i].Refresh()
	}
}

func (b *Board) card(r model.ActionRow) fyne.CanvasObject {
	id, now := r.ID, b.env.Now()
	title := ui.Heading(i18n.ActionKind(r.Kind) + " · " + r.Title)
	title.Wrapping = fyne.TextWrapWord
	due := widget.NewLabel(lang.X("board.due", "Due {{.Date}}", map[string]any{"Date": i18n.Date(r.Due)}))
	if r.Overdue(now) {
		due.Importance = widget.DangerImportance
		due.SetText("⚠ " + due.Text + " · " + i18n.Countdown(r.Due, now))
	}
	info := widget.NewLabel(joinNonEmpty(b.ref.UserName(r.Owner), r.Station))
	var buttons []fyne.CanvasObject
	if r.ComplaintNumber != "" {
		cid := r.ComplaintID
		buttons = append(buttons, widget.NewButton(r.ComplaintNumber, func() { b.open(cid) }))
	}
	switch r.Status {
	case domain.ActionStatusOpen:
		buttons = append(buttons, b.button(lang.X("board.start", "Start"), func() error { return b.m.StartAction(id) }))
		buttons = append(buttons, b.button(lang.X("board.mark_done", "Mark done"), func() error { return b.m.CompleteAction(id, "") }))
	case domain.ActionStatusInProgress:
		buttons = append(buttons, b.button(lang.X("board.mark_done", "Mark done"), func() error { return b.m.CompleteAction(id, "") }))
	case domain.ActionStatusDone:
		if b.m.Session().Role == domain.RoleEngineer {
			buttons = append(buttons, b.button(lang.X("board.effective", "Effective"), func() error { return b.m.VerifyAction(id, true, "") }))
			buttons = append(buttons, b.button(lang.X("board.ineffective", "Not effective"), func() error { return b.m.VerifyAction(id, false, "") }))
		}
	}
	return widget.NewCard("", "", container.NewVBox(title, due, info, container.NewGridWithColumns(2, buttons...)))
}

func (b *Board) button(label string, run func() error) *widget.Button {
	return widget.NewButton(label, func() {
		b.env.Nav.Touch()
		ui.Do(b.env, run, func(err error) {
			if err != nil {
				ui.ShowError(b.env, err)
			}
			b.Load()
		})
	})
}

// Rows returns the actions shown (tests).
func (b *Board) Rows() []model.ActionRow { return b.rows }
