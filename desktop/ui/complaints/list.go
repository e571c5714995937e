// Package complaints holds the complaint lists: the engineer's triage
// inbox and the operator's "My complaints", both on one virtualised list
// that reads the store a page at a time as it scrolls.
package complaints

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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

// Lister reads pages of complaints.
type Lister interface {
	ListComplaints(q model.ComplaintQuery, cursor string) (model.ComplaintPage, error)
}

// prefetch is how close to the end of the loaded rows the list asks for
// the next page, so that scrolling rarely meets the "loading" row.
const prefetch = 20

// pageSize is the rows per store read: a screenful or two.
const pageSize = 50

// List is a virtualised complaint list: widget.List only builds the rows
// on screen, and the rows are read from the store a page at a time.
type List struct {
	env    ui.Env
	m      Lister
	q      model.ComplaintQuery
	open   func(id string)
	detail func(r *model.ComplaintRow) string // second line of a row

	rows    []model.ComplaintRow
	next    string
	loading bool
	gen     int // bumps on every new query: late pages of an old one are dropped

	list  *widget.List
	empty *widget.Label
	count *widget.Label
	obj   fyne.CanvasObject
}

// NewList builds an empty list; Query loads it.
func NewList(env ui.Env, m Lister, open func(id string), detail func(r *model.ComplaintRow) string) *List {
	l := &List{env: env, m: m, open: open, detail: detail}
	l.list = widget.NewList(l.length, newRow, l.update)
	l.list.OnSelected = func(id widget.ListItemID) {
		l.list.UnselectAll()
		if id < len(l.rows) {
			l.env.Nav.Touch()
			l.open(l.rows[id].ID)
		}
	}
	l.empty = widget.NewLabel(lang.X("list.empty", "No complaint matches."))
	l.empty.Alignment = fyne.TextAlignCenter
	l.empty.Hide()
	l.count = widget.NewLabel("")
	l.obj = container.NewStack(l.list, container.NewCenter(l.empty))
	return l
}

// Object is the list's widget tree.
func (l *List) Object() fyne.CanvasObject { return l.obj }

// Widget is the underlying widget.List (benchmarks scroll it).
func (l *List) Widget() *widget.List { return l.list }

// Count is a label saying how many rows are loaded.
func (l *List) Count() *widget.Label { return l.count }

// Query replaces the query and reloads from the first page.
func (l *List) Query(q model.ComplaintQuery) {
	q.PageSize = pageSize
	l.q = q
	l.Reload()
	// A new query starts at the top; a list not yet on screen has no
	// scroller to move (and starts at the top anyway).
	if fyne.CurrentApp().Driver().CanvasForObject(l.list) != nil {
		l.list.ScrollToTop()
	}
}

// Reload reads the first page again (after a change or a sync), keeping
// the scroll position.
func (l *List) Reload() {
	l.gen++
	l.loading = false
	l.fetch("", true)
}

// Rows returns the rows loaded so far.
func (l *List) Rows() []model.ComplaintRow { return l.rows }

// More reports whether pages remain to read.
func (l *List) More() bool { return l.next != "" }

func (l *List) length() int {
	if l.next != "" {
		return len(l.rows) + 1 // the "loading more" row
	}
	return len(l.rows)
}

// LoadMore reads the next page, unless one is being read.
func (l *List) LoadMore() {
	if l.next != "" && !l.loading {
		l.fetch(l.next, false)
	}
}

func (l *List) fetch(cursor string, replace bool) {
	l.loading = true
	gen, q := l.gen, l.q
	ui.Load(l.env, func() (model.ComplaintPage, error) { return l.m.ListComplaints(q, cursor) },
		func(p model.ComplaintPage, err error) {
			if gen != l.gen {
				return // a newer query replaced this one
			}
			l.loading = false
			if err != nil {
				ui.ShowError(l.env, err)
				return
			}
			if replace {
				l.rows = p.Rows
			} else {
				l.rows = append(l.rows, p.Rows...)
			}
			l.next = p.Next
			l.empty.Hidden = len(l.rows) > 0
			l.empty.Refresh()
			l.updateCount()
			l.list.Refresh()
		})
}

func (l *List) updateCount() {
	more := ""
	if l.next != "" {
		more = "+"
	}
	if len(l.rows) == 1 && more == "" {
		l.count.SetText(lang.X("list.count_one", "1 complaint"))
		return
	}
	l.count.SetText(lang.X("list.count", "{{.N}}{{.More}} complaints", map[string]any{"N": len(l.rows), "More": more}))
}

// row is one line of the list: a colour strip for the severity, the
// number, status and deadline on the first line, the rest on the second.
type row struct {
	widget.BaseWidget
	strip  *canvas.Rectangle
	title  *widget.Label
	status *widget.Label
	due    *widget.Label
	line   *widget.Label
}

func newRow() fyne.CanvasObject {
	r := &row{strip: canvas.NewRectangle(color.Transparent), title: widget.NewLabel(""), status: widget.NewLabel(""),
		due: widget.NewLabel(""), line: widget.NewLabel("")}
	r.title.TextStyle.Bold = true
	r.line.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *row) CreateRenderer() fyne.WidgetRenderer {
	r.strip.SetMinSize(fyne.NewSize(6, 0))
	top := container.NewHBox(r.title, r.status, layout.NewSpacer(), r.due)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.strip, nil,
		container.New(&tightVBox{}, top, r.line)))
}

func (l *List) update(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*row)
	if id >= len(l.rows) {
		r.strip.FillColor = color.Transparent
		r.title.SetText(lang.X("list.loading", "Loading more…"))
		r.status.SetText("")
		r.due.SetText("")
		r.line.SetText("")
		l.LoadMore()
		return
	}
	if id >= len(l.rows)-prefetch {
		l.LoadMore()
	}
	c := &l.rows[id]
	now := l.env.Now()
	r.strip.FillColor = severityColor(c.Severity)
	r.strip.Refresh()
	title := c.Number
	if c.Status == domain.StatusNew {
		title = "● " + title
	}
	r.title.SetText(title)
	status := i18n.Status(c.Status) + " · " + i18n.Severity(c.Severity)
	if c.Escalated {
		status += " · " + lang.X("list.escalated", "escalated")
	}
	if c.Conflicts > 0 {
		status += " · " + lang.X("list.conflict", "conflict")
	}
	r.status.SetText(status)
	r.due.Importance = widget.MediumImportance
	switch {
	case c.Overdue(now):
		r.due.Importance = widget.DangerImportance
		r.due.SetText("⚠ " + i18n.Countdown(c.Deadline, now))
	case c.Status.Open() && c.Status != domain.StatusResolved && !c.Deadline.IsZero():
		r.due.SetText(i18n.Countdown(c.Deadline, now))
	default:
		r.due.SetText(i18n.Date(c.FiledAt))
	}
	r.line.SetText(l.detail(c))
}

// severityColor marks critical red, major orange, minor grey.
func severityColor(s domain.Severity) color.Color {
	switch s {
	case domain.SeverityCritical:
		return theme.Color(theme.ColorNameError)
	case domain.SeverityMajor:
		return theme.Color(theme.ColorNameWarning)
	}
	return theme.Color(theme.ColorNameDisabled)
}

// summaryLine is the usual second line: stations, part, description.
func summaryLine(r *model.ComplaintRow) string {
	return strings.Join([]string{r.SupplierStation + " › " + r.FilingStation, r.PartRef, r.Summary}, " · ")
}
