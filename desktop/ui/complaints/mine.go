package complaints

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// Mine is the operator's "My complaints": those filed at their station
// (a shared workstation changes hands at every shift, the complaints stay
// the station's), with status, deadline and the latest update.
type Mine struct {
	env  ui.Env
	m    Model
	List *List
	open *widget.Check
	obj  fyne.CanvasObject
}

// NewMine builds the screen; Load fills it.
func NewMine(env ui.Env, m Model, openDetail func(id string)) *Mine {
	mi := &Mine{env: env, m: m}
	mi.List = NewList(env, m, openDetail, latestLine)
	mi.open = widget.NewCheck(lang.X("mine.open_only", "Open ones only"), func(bool) { mi.Load() })
	mi.open.Checked = true
	top := container.NewHBox(mi.open, mi.List.Count())
	mi.obj = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, mi.List.Object())
	return mi
}

// Object is the screen's widget tree.
func (mi *Mine) Object() fyne.CanvasObject { return mi.obj }

// Content wraps the screen.
func (mi *Mine) Content() ui.Content { return ui.Content{Object: mi.obj, Refresh: mi.List.Reload} }

// Load reads the first page.
func (mi *Mine) Load() {
	s := mi.m.Session()
	q := model.ComplaintQuery{FilingStation: s.Station}
	if s.Station == "" {
		q.FiledBy = s.Login
	}
	if mi.open.Checked {
		q.Statuses = openStatuses
	}
	mi.List.Query(q)
}

// latestLine shows the supplier, the part and the latest message, which is
// what the operator waits for.
func latestLine(r *model.ComplaintRow) string {
	s := r.SupplierStation + " · " + r.PartRef
	if r.LatestUpdate != "" {
		return s + " · " + lang.X("mine.latest", "Latest: {{.Text}}", map[string]any{"Text": r.LatestUpdate})
	}
	return s + " · " + lang.X("mine.updated", "updated {{.When}}", map[string]any{"When": i18n.DateTime(r.UpdatedAt)})
}
