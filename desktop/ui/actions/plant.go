package actions

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// PlantModel is what the plant-wide list needs.
type PlantModel interface {
	Reference() (model.Reference, error)
	PlantActions(q model.ActionQuery, cursor string) (model.ActionPage, error)
}

// Plant lists the pending actions of every station by due date, read a
// page at a time, with a station filter and an "overdue only" switch.
type Plant struct {
	env  ui.Env
	m    PlantModel
	open func(complaintID string)
	ref  model.Reference

	rows    []model.ActionRow
	next    string
	loading bool
	gen     int

	station *widget.Select
	overdue *widget.Check
	count   *widget.Label
	list    *widget.List
	obj     fyne.CanvasObject
}

// NewPlant builds the list; Load fills it.
func NewPlant(env ui.Env, m PlantModel, open func(complaintID string)) *Plant {
	p := &Plant{env: env, m: m, open: open}
	p.station = ui.NewSelect([]string{lang.X("filter.all", "All")}, func(string) { p.reload() })
	p.station.SetSelectedIndex(0)
	p.overdue = widget.NewCheck(lang.X("filter.overdue", "Overdue only"), func(bool) { p.reload() })
	p.count = widget.NewLabel("")
	p.list = widget.NewList(p.length, newActionRow, p.update)
	p.list.OnSelected = func(id widget.ListItemID) {
		p.list.UnselectAll()
		if id < len(p.rows) && p.rows[id].ComplaintID != "" {
			p.open(p.rows[id].ComplaintID)
		}
	}
	top := container.NewHBox(widget.NewLabel(lang.X("filter.supplier", "Supplier station")), p.station, p.overdue, layout.NewSpacer(), p.count)
	p.obj = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, p.list)
	return p
}

// Object is the screen's widget tree.
func (p *Plant) Object() fyne.CanvasObject { return p.obj }

// Content wraps the screen.
func (p *Plant) Content() ui.Content { return ui.Content{Object: p.obj, Refresh: p.reload} }

// Load reads the stations for the filter, then the first page.
func (p *Plant) Load() {
	ui.Load(p.env, p.m.Reference, func(ref model.Reference, err error) {
		if err != nil {
			ui.ShowError(p.env, err)
			return
		}
		p.ref = ref
		opts := []string{lang.X("filter.all", "All")}
		for _, s := range ref.Stations {
			opts = append(opts, s.Label())
		}
		p.station.SetOptions(opts)
		p.reload()
	})
}

func (p *Plant) query() model.ActionQuery {
	q := model.ActionQuery{Overdue: p.overdue.Checked, PageSize: 50}
	if i := p.station.SelectedIndex(); i > 0 && i <= len(p.ref.Stations) {
		q.Station = p.ref.Stations[i-1].Code
	}
	return q
}

func (p *Plant) reload() {
	if p.list == nil {
		return // still building
	}
	p.gen++
	p.loading = false
	p.fetch("", true)
}

func (p *Plant) fetch(cursor string, replace bool) {
	p.loading = true
	gen, q := p.gen, p.query()
	ui.Load(p.env, func() (model.ActionPage, error) { return p.m.PlantActions(q, cursor) }, func(page model.ActionPage, err error) {
		if gen != p.gen {
			return
		}
		p.loading = false
		if err != nil {
			ui.ShowError(p.env, err)
			return
		}
		if replace {
			p.rows = page.Rows
		} else {
			p.rows = append(p.rows, page.Rows...)
		}
		p.next = page.Next
		more := ""
		if p.next != "" {
			more = "+"
		}
		p.count.SetText(lang.X("plant.count", "{{.N}}{{.More}} pending actions", map[string]any{"N": len(p.rows), "More": more}))
		p.list.Refresh()
	})
}

func (p *Plant) length() int {
	if p.next != "" {
		return len(p.rows) + 1
	}
	return len(p.rows)
}

func newActionRow() fyne.CanvasObject {
	due := widget.NewLabel("")
	title := widget.NewLabel("")
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	who := widget.NewLabel("")
	return container.NewBorder(nil, nil, due, who, title)
}

func (p *Plant) update(id widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	title, due, who := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label), c.Objects[2].(*widget.Label)
	if id >= len(p.rows) {
		title.SetText(lang.X("list.loading", "Loading more…"))
		due.SetText("")
		who.SetText("")
		if !p.loading {
			p.fetch(p.next, false)
		}
		return
	}
	r := p.rows[id]
	now := p.env.Now()
	due.Importance = widget.MediumImportance
	due.SetText(i18n.Date(r.Due))
	if r.Overdue(now) {
		due.Importance = widget.DangerImportance
		due.SetText("⚠ " + i18n.Date(r.Due))
	}
	due.Refresh()
	title.SetText(i18n.ActionKind(r.Kind) + " · " + r.Title)
	who.SetText(joinNonEmpty(p.ref.UserName(r.Owner), r.Station, r.ComplaintNumber, i18n.ActionStatus(r.Status)))
}

// Rows returns the rows loaded (tests).
func (p *Plant) Rows() []model.ActionRow { return p.rows }

// Filters exposes the filters (tests).
func (p *Plant) Filters() (*widget.Select, *widget.Check) { return p.station, p.overdue }

// joinNonEmpty joins the parts that are set with " · ".
func joinNonEmpty(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " · "
		}
		out += p
	}
	return out
}
