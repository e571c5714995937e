package complaints

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// Model is what the complaint lists need.
type Model interface {
	Lister
	Session() model.Session
	Reference() (model.Reference, error)
}

// open statuses, the inbox's default.
var openStatuses = []domain.ComplaintStatus{domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating,
	domain.StatusSolutionProposed, domain.StatusSolutionChosen, domain.StatusActionsInProgress, domain.StatusResolved}

// searchPause is how long the typing must pause before the inbox
// searches: shorter than a reader notices, longer than the gap between
// two keys of a fast typist or a scanner.
const searchPause = 250 * time.Millisecond

// Inbox is the engineer's triage inbox: new complaints first, overdue ones
// flagged, filters by severity, station, category, status and assignee,
// and a text search.
type Inbox struct {
	env  ui.Env
	m    Model
	ref  model.Reference
	List *List

	severity *widget.Select
	station  *widget.Select
	category *widget.Select
	status   *widget.Select
	assignee *widget.Select
	text     *widget.Entry
	typing   ui.Debounce
	overdue  *widget.Check
	obj      fyne.CanvasObject
}

// NewInbox builds the inbox; Load fills it.
func NewInbox(env ui.Env, m Model, open func(id string)) *Inbox {
	in := &Inbox{env: env, m: m}
	in.List = NewList(env, m, open, summaryLine)
	all := lang.X("filter.all", "All")
	apply := func(string) { in.apply() }
	in.severity = ui.NewSelect(append([]string{all}, labels(domain.Severities, i18n.Severity)...), apply)
	in.station = ui.NewSelect([]string{all}, apply)
	in.category = ui.NewSelect([]string{all}, apply)
	in.status = ui.NewSelect(append([]string{lang.X("filter.open", "Open"), all}, labels(domain.ComplaintStatuses, i18n.Status)...), apply)
	in.assignee = ui.NewSelect([]string{all, lang.X("filter.me", "Me"), lang.X("filter.nobody", "Nobody yet")}, apply)
	for _, s := range []*widget.Select{in.severity, in.station, in.category, in.assignee} {
		s.SetSelectedIndex(0)
	}
	in.status.SetSelectedIndex(0)
	in.text = widget.NewEntry()
	in.text.SetPlaceHolder(lang.X("filter.search_as_you_type", "Search number, part, lot, words: results as you type"))
	// Results follow the typing once it pauses. A search is fast enough
	// for every key (9 to 10 ms over 100k complaints when nothing matches,
	// BenchmarkTextSearch100k), but the list would jump at each letter and
	// a scanner's burst would run a dozen; Enter searches at once.
	in.typing = ui.Debounce{Later: env.Later, Delay: searchPause}
	in.text.OnChanged = func(string) { in.typing.Call(in.apply) }
	in.text.OnSubmitted = func(string) { in.typing.Now(in.apply) }
	in.overdue = widget.NewCheck(lang.X("filter.overdue", "Overdue only"), func(bool) { in.apply() })

	filters := container.NewGridWithColumns(5,
		labelled(lang.X("field.severity", "Severity"), in.severity),
		labelled(lang.X("filter.supplier", "Supplier station"), in.station),
		labelled(lang.X("field.category", "Category"), in.category),
		labelled(lang.X("filter.status", "Status"), in.status),
		labelled(lang.X("filter.assignee", "Assigned to"), in.assignee))
	search := container.NewBorder(nil, nil, nil, container.NewHBox(in.overdue, in.List.Count()), in.text)
	in.obj = container.NewBorder(container.NewVBox(filters, search, widget.NewSeparator()), nil, nil, nil, in.List.Object())
	return in
}

func labelled(label string, o fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(label)
	l.TextStyle.Bold = true
	return container.NewVBox(l, o)
}

func labels[T any](vals []T, label func(T) string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = label(v)
	}
	return out
}

// Object is the inbox's widget tree.
func (in *Inbox) Object() fyne.CanvasObject { return in.obj }

// Content wraps the inbox as a screen.
func (in *Inbox) Content() ui.Content {
	return ui.Content{Object: in.obj, Refresh: in.List.Reload}
}

// Load reads the reference data for the filters, then the first page.
func (in *Inbox) Load() {
	ui.Load(in.env, in.m.Reference, func(ref model.Reference, err error) {
		if err != nil {
			ui.ShowError(in.env, err)
			return
		}
		in.ref = ref
		all := lang.X("filter.all", "All")
		stations := []string{all}
		for _, s := range ref.Stations {
			stations = append(stations, s.Label())
		}
		in.station.SetOptions(stations)
		cats := []string{all}
		for _, c := range ref.Categories {
			cats = append(cats, i18n.Category(c))
		}
		in.category.SetOptions(cats)
		in.apply()
	})
}

// Query is the query the filters make.
func (in *Inbox) Query() model.ComplaintQuery {
	q := model.ComplaintQuery{UnacknowledgedFirst: true, Text: in.text.Text, Overdue: in.overdue.Checked}
	if i := in.severity.SelectedIndex(); i > 0 {
		q.Severity = domain.Severities[i-1]
	}
	if i := in.station.SelectedIndex(); i > 0 && i <= len(in.ref.Stations) {
		q.SupplierStation = in.ref.Stations[i-1].Code
	}
	if i := in.category.SelectedIndex(); i > 0 && i <= len(in.ref.Categories) {
		q.Category = in.ref.Categories[i-1].Code
	}
	switch i := in.status.SelectedIndex(); {
	case i == 0:
		q.Statuses = slices.Clone(openStatuses)
	case i >= 2:
		q.Statuses = []domain.ComplaintStatus{domain.ComplaintStatuses[i-2]}
	}
	switch in.assignee.SelectedIndex() {
	case 1:
		q.Assignee = in.m.Session().Login
	case 2:
		// Unassigned means not yet acknowledged: new complaints.
		q.Statuses = []domain.ComplaintStatus{domain.StatusNew}
	}
	return q
}

func (in *Inbox) apply() {
	if in.List == nil || in.overdue == nil {
		return // still building
	}
	in.env.Nav.Touch()
	in.List.Query(in.Query())
}

// Filters exposes the filter widgets to tests.
func (in *Inbox) Filters() (severity, station, category, status, assignee *widget.Select, text *widget.Entry, overdue *widget.Check) {
	return in.severity, in.station, in.category, in.status, in.assignee, in.text, in.overdue
}
