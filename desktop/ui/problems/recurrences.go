package problems

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// MaxRecurrencesShown bounds the lines of the list: a plant with
// thousands of recurrences in the period would wait seconds for widgets
// no one scrolls through (the 100k store of the benchmarks has 90,000).
const MaxRecurrencesShown = 300

// RecurrencesModel is what the list of recurrences needs.
type RecurrencesModel interface {
	Recurrences(q model.DashboardQuery) ([]model.RecurrenceRow, error)
}

// Recurrences is the list the dashboard's recurrence figure opens: each
// recurring complaint of the period with its problem, the previous
// complaint of that problem, and whether it came after prevention.
type Recurrences struct {
	env    ui.Env
	m      RecurrencesModel
	q      model.DashboardQuery
	period string
	open   Opener

	rows []model.RecurrenceRow
	list *fyne.Container
	errL *widget.Label
	obj  fyne.CanvasObject
}

// NewRecurrences builds the list for the dashboard's query; period names
// it in a sentence ("in the last 30 days"). Load fills it.
func NewRecurrences(env ui.Env, m RecurrencesModel, q model.DashboardQuery, period string, open Opener) *Recurrences {
	r := &Recurrences{env: env, m: m, q: q, period: period, open: open}
	r.list = container.NewVBox()
	r.errL = ui.ErrorLabel()
	intro := ui.Wrapped(lang.X("recurrences.intro", "Complaints filed {{.Period}} of a problem already seen in the 90 days before: the complaint, its problem, the previous complaint of the problem.",
		map[string]any{"Period": period}))
	r.obj = container.NewBorder(container.NewVBox(r.errL, intro), nil, nil, nil, container.NewVScroll(container.NewPadded(r.list)))
	return r
}

// Object is the list's widget tree.
func (r *Recurrences) Object() fyne.CanvasObject { return r.obj }

// Rows are the recurrences shown (tests).
func (r *Recurrences) Rows() []model.RecurrenceRow { return r.rows }

// Load reads the recurrences off the UI goroutine.
func (r *Recurrences) Load() {
	q := r.q
	ui.Load(r.env, func() ([]model.RecurrenceRow, error) { return r.m.Recurrences(q) }, func(rows []model.RecurrenceRow, err error) {
		ui.SetError(r.errL, err)
		if err != nil {
			return
		}
		r.rows = rows
		r.render()
	})
}

func (r *Recurrences) render() {
	r.list.RemoveAll()
	if len(r.rows) == 0 {
		r.list.Add(widget.NewLabel(lang.X("recurrences.none", "No recurrence in the period.")))
	}
	for i, row := range r.rows {
		if i == MaxRecurrencesShown {
			r.list.Add(lowLabel(lang.X("recurrences.more", "The {{.Shown}} newest of {{.Total}} are shown: pick a shorter period or one supplier station on the dashboard to see the others.",
				map[string]any{"Shown": MaxRecurrencesShown, "Total": len(r.rows)})))
			break
		}
		r.list.Add(r.line(row))
	}
	r.list.Refresh()
}

// line is one recurrence: the complaint, its problem and the previous
// complaint, each opening; "after prevention" flagged.
func (r *Recurrences) line(row model.RecurrenceRow) fyne.CanvasObject {
	link := func(text string, fn func()) *widget.Button {
		b := widget.NewButton(text, fn)
		b.Importance = widget.LowImportance
		return b
	}
	id, prev, pid := row.ComplaintID, row.PreviousID, row.Problem.ID
	complaint := link(row.Number, func() { r.openComplaint(id) })
	previous := link(row.PreviousNumber, func() { r.openComplaint(prev) })
	problem := ProblemLink(row.Problem, func() {
		if r.open.Problem != nil {
			r.open.Problem(pid)
		}
	})
	when := widget.NewLabel(i18n.Date(row.FiledAt))
	of := widget.NewLabel(lang.X("recurrences.of", "after"))
	left := container.NewHBox(ui.MinSize(complaint, 170, 0), when, of, ui.MinSize(previous, 170, 0))
	var right fyne.CanvasObject
	if row.AfterPrevention {
		after := widget.NewLabel(lang.X("recurrences.after_prevention", "after prevention"))
		after.Importance = widget.DangerImportance
		right = after
	} else {
		none := widget.NewLabel(lang.X("recurrences.no_prevention", "no prevention before"))
		none.Importance = widget.LowImportance
		right = none
	}
	return container.NewBorder(nil, nil, left, right, problem)
}

func (r *Recurrences) openComplaint(id string) {
	if r.open.Complaint != nil {
		r.open.Complaint(id)
	}
}
