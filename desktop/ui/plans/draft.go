package plans

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/widgets"
)

// Draft is the form that creates a plan from a group of complaints: pick
// the supplier station (and a category), tick the complaints, name it.
type Draft struct {
	env     ui.Env
	m       Model
	created func(id string)
	ref     model.Reference
	cands   []model.ComplaintRow
	picked  map[string]bool
	preset  string // station to pick once loaded (Preselect)

	station   *widget.Select
	category  *widget.Select
	title     *widget.Entry
	objective *widgets.MultiLineEntry
	list      *widget.List
	form      *ui.Form
	save      *widget.Button
	obj       fyne.CanvasObject
}

// NewDraft builds the form; Load fills the pickers.
func NewDraft(env ui.Env, m Model, created func(id string)) *Draft {
	d := &Draft{env: env, m: m, created: created, picked: map[string]bool{}}
	d.station = ui.NewSelect(nil, func(string) { d.loadCandidates() })
	d.category = ui.NewSelect(nil, func(string) { d.loadCandidates() })
	d.title = widget.NewEntry()
	d.objective = widgets.NewMultiLineEntry()
	d.form = ui.NewForm()
	d.form.Add("supplier_station", lang.X("field.supplier_station", "Supplier station"), d.station)
	d.form.Add("categories", lang.X("field.category", "Category"), d.category)
	d.form.Add("title", lang.X("field.title", "Title"), d.title)
	d.form.Add("objective", lang.X("field.objective", "Objective"), d.objective)
	d.list = widget.NewList(func() int { return len(d.cands) }, func() fyne.CanvasObject {
		return widget.NewCheck("", nil)
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		c := d.cands[id]
		chk := o.(*widget.Check)
		// The check is recycled: set its state without its callback, then
		// its text through SetText, which redraws it (a bare Text field is
		// drawn only at the next refresh, so unticked boxes stayed blank).
		chk.OnChanged = nil
		chk.Checked = d.picked[c.ID]
		chk.SetText(candidateText(&c))
		cid := c.ID
		chk.OnChanged = func(on bool) { d.picked[cid] = on }
	})
	d.save = widget.NewButton(lang.X("plans.create", "Create the draft"), d.submit)
	d.save.Importance = widget.HighImportance
	head := ui.Heading(lang.X("plans.pick", "Complaints the plan answers"))
	d.obj = container.NewBorder(d.form.Object(), d.save, nil, nil, container.NewBorder(head, nil, nil, nil, d.list))
	return d
}

// candidateText is a candidate's line: number, filing date and station
// (who complained), status, part and the start of the description.
func candidateText(c *model.ComplaintRow) string {
	return strings.Join([]string{c.Number, i18n.Date(c.FiledAt), c.FilingStation, i18n.Status(c.Status), c.PartRef, firstLine(c.Summary)}, " · ")
}

// Object is the form's widget tree.
func (d *Draft) Object() fyne.CanvasObject { return d.obj }

// Load fills the pickers.
func (d *Draft) Load() {
	ui.Load(d.env, d.m.Reference, func(ref model.Reference, err error) {
		if err != nil {
			ui.ShowError(d.env, err)
			return
		}
		d.ref = ref
		var stations []string
		for _, s := range ref.Stations {
			stations = append(stations, s.Label())
		}
		d.station.SetOptions(stations)
		cats := []string{lang.X("filter.all", "All")}
		for _, c := range ref.Categories {
			cats = append(cats, i18n.Category(c))
		}
		d.category.SetOptions(cats)
		// "All" shown, as selection counts it; set without the callback,
		// which would look for candidates before a station is chosen.
		d.category.Selected = cats[0]
		d.category.Refresh()
		if d.preset != "" {
			for i, st := range ref.Stations {
				if st.Code == d.preset {
					d.station.SetSelectedIndex(i) // loads its candidates
				}
			}
		}
	})
}

// Preselect picks a supplier station once the form is loaded (a call
// before Load), as if chosen: its complaints are offered at once.
func (d *Draft) Preselect(code string) { d.preset = code }

func (d *Draft) selection() (station, category string) {
	if i := d.station.SelectedIndex(); i >= 0 {
		station = d.ref.Stations[i].Code
	}
	if i := d.category.SelectedIndex(); i > 0 {
		category = d.ref.Categories[i-1].Code
	}
	return station, category
}

func (d *Draft) loadCandidates() {
	station, category := d.selection()
	ui.Load(d.env, func() ([]model.ComplaintRow, error) { return d.m.PlanCandidates(station, category) },
		func(rows []model.ComplaintRow, err error) {
			if err != nil {
				ui.ShowError(d.env, err)
				return
			}
			d.cands = rows
			d.picked = map[string]bool{}
			d.list.Refresh()
		})
}

// Pick ticks a candidate complaint (tests).
func (d *Draft) Pick(id string) { d.picked[id] = true; d.list.Refresh() }

// Candidates returns the complaints offered (tests).
func (d *Draft) Candidates() []model.ComplaintRow { return d.cands }

func (d *Draft) submit() {
	d.env.Nav.Touch()
	station, category := d.selection()
	np := model.NewPlan{Title: d.title.Text, Objective: d.objective.Text, SupplierStation: station}
	if category != "" {
		np.Categories = []string{category}
	}
	for _, c := range d.cands {
		if d.picked[c.ID] {
			np.Complaints = append(np.Complaints, c.ID)
		}
	}
	ui.Load(d.env, func() (string, error) { return d.m.DraftPlan(np) }, func(id string, err error) {
		if err != nil {
			ui.FocusField(d.env.Win, d.form.Show(err))
			return
		}
		d.created(id)
	})
}
