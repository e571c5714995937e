// Package report is the operator's "Report a defect" screen: a big button,
// then a form built for speed (a barcode scanner fills the lot and moves
// on; similar open complaints show while typing), saved at once with the
// complaint number shown.
package report

import (
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/widgets"
	"boucle/shared/domain"
)

// Model is what the screen needs.
type Model interface {
	Session() model.Session
	Reference() (model.Reference, error)
	FileComplaint(model.NewComplaint) (model.Filed, error)
	SimilarOpen(supplier, partRef, description string, max int) ([]model.ComplaintRow, error)
}

// Opener opens a complaint's detail (the similar ones are links).
type Opener func(id string)

// Home is the operator's start screen: one big button.
func Home(env ui.Env, m Model, open Opener) ui.Content {
	label := lang.X("report.big_button", "Report a defect")
	b := widget.NewButton("", func() {
		f := NewForm(env, m, open)
		env.Nav.Push(lang.X("report.title", "Report a defect"), f.Object())
		f.Load()
	})
	b.Importance = widget.HighImportance
	// The button's own text is small; a large caption sits on top of it
	// (text is not tappable, so taps reach the button).
	caption := canvas.NewText("+  "+label, theme.Color(theme.ColorNameForegroundOnPrimary))
	caption.TextSize = 30
	caption.TextStyle.Bold = true
	hint := ui.Wrapped(lang.X("report.hint", "A part from an upstream station is not right? Report it here: it takes less than 30 seconds."))
	hint.Alignment = fyne.TextAlignCenter
	big := ui.MinSize(container.NewStack(b, container.NewCenter(caption)), 460, 160)
	return ui.Content{Object: container.NewCenter(container.NewVBox(big, hint))}
}

// maxSimilar is how many similar complaints the form shows.
const maxSimilar = 5

// Form is the report form. Its fields are kept so tests can drive them.
type Form struct {
	env  ui.Env
	m    Model
	open Opener
	ref  model.Reference

	station     *widgets.StationPicker
	part        *widget.Entry
	lot         *widget.Entry
	quantity    *widget.Entry
	category    *widget.Select
	severity    *widget.RadioGroup
	kind        *widget.RadioGroup
	remedy      *widget.Select
	remedyRow   *ui.Field
	description *widgets.MultiLineEntry
	files       []model.File
	fileList    *fyne.Container
	save        *widget.Button
	form        *ui.Form
	similar     *fyne.Container
	similarHead *widget.Label
	shown       []string // numbers of the similar complaints shown
	saved       *widget.Label

	// debounce is the pause after typing before similar complaints are
	// looked up; tests set it to 0 to look up at once.
	debounce time.Duration
	timer    *time.Timer
	quiet    bool // resetting: field changes are not typing
	obj      fyne.CanvasObject

	prefill *model.NewComplaint // what to fill the form with once loaded (see Prefill)
	// OnSaved, when set, is called on the UI goroutine after each save.
	OnSaved func(model.Filed)
}

// NewForm builds the form; call Load to fill the pickers.
func NewForm(env ui.Env, m Model, open Opener) *Form {
	f := &Form{env: env, m: m, open: open, debounce: 400 * time.Millisecond}
	f.build()
	return f
}

func (f *Form) build() {
	f.station = widgets.NewStationPicker()
	f.part = widget.NewEntry()
	f.lot = widget.NewEntry()
	f.lot.SetPlaceHolder(lang.X("report.lot_placeholder", "Scan or type the lot"))
	f.quantity = widget.NewEntry()
	f.quantity.SetPlaceHolder("1")
	f.category = ui.NewSelect(nil, nil)
	f.severity = widget.NewRadioGroup(severityLabels(), nil)
	f.severity.Horizontal = true
	f.severity.Required = true
	f.kind = widget.NewRadioGroup([]string{i18n.Kind(domain.KindComplaint), i18n.Kind(domain.KindClaim)}, func(string) { f.showRemedy() })
	f.kind.Horizontal = true
	f.kind.Required = true
	f.kind.SetSelected(i18n.Kind(domain.KindComplaint))
	f.remedy = ui.NewSelect(remedyLabels(), nil)
	f.description = widgets.NewMultiLineEntry()
	f.description.SetMinRowsVisible(4)
	f.description.SetPlaceHolder(lang.X("report.description_placeholder", "What is wrong, how many, where you saw it"))
	f.fileList = container.NewVBox()
	addFile := widget.NewButtonWithIcon(lang.X("report.add_file", "Add a photo or file"), theme.FileImageIcon(), f.pickFile)

	// Enter moves on, so a scanner (which types the code, then Enter) or
	// a fast typist never needs the mouse.
	f.station.OnSubmit = func() { f.focus(f.part) }
	f.station.OnPicked = func(string) { f.lookUpSimilar() }
	f.part.OnSubmitted = func(string) { f.focus(f.lot) }
	f.lot.OnSubmitted = func(string) { f.focus(f.quantity) }
	f.quantity.OnSubmitted = func(string) { f.focus(f.description) }
	f.part.OnChanged = func(string) { f.lookUpSimilar() }
	f.description.OnChanged = func(string) { f.lookUpSimilar() }

	f.form = ui.NewForm()
	f.form.Add("supplier_station", lang.X("field.supplier_station", "Supplier station"), f.station.Object())
	f.form.Alias("filing_station", "supplier_station")
	f.form.Add("part_ref", lang.X("field.part_ref", "Part reference"), ui.MinSize(f.part, 0, 44))
	f.form.Add("lot", lang.X("field.lot", "Lot"), ui.MinSize(f.lot, 0, 44))
	f.form.Add("quantity", lang.X("field.quantity", "Quantity affected"), ui.MinSize(f.quantity, 0, 44))
	f.form.Add("category", lang.X("field.category", "Category"), ui.MinSize(f.category, 0, 44))
	f.form.Add("severity", lang.X("field.severity", "Severity"), f.severity)
	f.form.Add("kind", lang.X("field.kind", "Kind"), f.kind)
	f.remedyRow = f.form.Add("remedy", lang.X("field.remedy", "Remedy demanded"), ui.MinSize(f.remedy, 0, 44))
	f.form.Add("description", lang.X("field.description", "Description"), f.description)
	f.form.Add("attachments", lang.X("field.attachments", "Photos and files"), container.NewVBox(f.fileList, container.NewHBox(addFile)))
	f.showRemedy()

	f.save = widget.NewButtonWithIcon(lang.X("report.save", "Save the complaint"), theme.DocumentSaveIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.saved = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.saved.Importance = widget.SuccessImportance
	f.saved.Hide()

	f.similarHead = ui.Heading(lang.X("report.similar", "Similar open complaints"))
	f.similar = container.NewVBox(ui.Wrapped(lang.X("report.similar_hint", "Pick the supplier station and describe the defect: open complaints that look the same show here, so you can avoid a duplicate.")))
	side := container.NewVBox(f.similarHead, f.similar)

	left := container.NewVBox(f.form.Object(), ui.Touch(f.save), f.saved)
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(left)), container.NewVScroll(container.NewPadded(side)))
	split.Offset = 0.64
	f.obj = split
}

// Object is the form's widget tree.
func (f *Form) Object() fyne.CanvasObject { return f.obj }

// Load fills the station and category pickers, off the UI goroutine.
func (f *Form) Load() {
	ui.Load(f.env, f.m.Reference, func(ref model.Reference, err error) {
		if err != nil {
			ui.ShowError(f.env, err)
			return
		}
		f.ref = ref
		f.station.SetStations(ref.Stations, f.m.Session().Station)
		var cats []string
		for _, c := range ref.Categories {
			cats = append(cats, i18n.Category(c))
		}
		f.category.SetOptions(cats)
		if f.prefill != nil {
			f.fill(*f.prefill)
			f.prefill = nil
		}
		f.focus(f.station.Entry)
	})
}

// Prefill makes Load fill the form with nc, as it was typed: a complaint
// the server refused is recorded again from it. Call it before Load.
func (f *Form) Prefill(nc model.NewComplaint) { f.prefill = &nc }

// fill sets every field from nc; the pickers must be loaded.
func (f *Form) fill(nc model.NewComplaint) {
	f.station.Pick(nc.SupplierStation)
	f.part.SetText(nc.PartRef)
	f.lot.SetText(nc.Lot)
	if nc.Quantity > 0 {
		f.quantity.SetText(strconv.Itoa(nc.Quantity))
	}
	for i, c := range f.ref.Categories {
		if c.Code == nc.Category {
			f.category.SetSelectedIndex(i)
		}
	}
	if nc.Severity != "" {
		f.severity.SetSelected(i18n.Severity(nc.Severity))
	}
	if nc.Kind != "" {
		f.kind.SetSelected(i18n.Kind(nc.Kind))
	}
	for i, r := range domain.Remedies {
		if r == nc.Remedy {
			f.remedy.SetSelectedIndex(i)
		}
	}
	f.description.SetText(nc.Description)
	for _, file := range nc.Files {
		f.AddFile(file)
	}
}

// Values reads the form as it would be saved (tests).
func (f *Form) Values() model.NewComplaint {
	nc, _ := f.value()
	return nc
}

func (f *Form) focus(o fyne.Focusable) {
	if f.env.Win != nil {
		f.env.Win.Canvas().Focus(o)
	}
}

func (f *Form) showRemedy() {
	if f.remedyRow == nil {
		return
	}
	claim := f.kind.Selected == i18n.Kind(domain.KindClaim)
	if !claim {
		f.remedy.ClearSelected()
	}
	f.remedyRow.SetVisible(claim)
}

func severityLabels() []string {
	var out []string
	for _, s := range domain.Severities {
		out = append(out, i18n.Severity(s))
	}
	return out
}

func remedyLabels() []string {
	var out []string
	for _, r := range domain.Remedies {
		out = append(out, i18n.Remedy(r))
	}
	return out
}

// value reads the form. The quantity is kept as typed: a word where a
// number belongs is reported as a quantity error, like the domain's.
func (f *Form) value() (model.NewComplaint, error) {
	nc := model.NewComplaint{SupplierStation: f.station.Selected(), PartRef: f.part.Text, Lot: f.lot.Text,
		Description: f.description.Text, Files: f.files}
	if i := f.category.SelectedIndex(); i >= 0 {
		nc.Category = f.ref.Categories[i].Code
	}
	for _, s := range domain.Severities {
		if i18n.Severity(s) == f.severity.Selected {
			nc.Severity = s
		}
	}
	nc.Kind = domain.KindComplaint
	if f.kind.Selected == i18n.Kind(domain.KindClaim) {
		nc.Kind = domain.KindClaim
	}
	if i := f.remedy.SelectedIndex(); i >= 0 {
		nc.Remedy = domain.Remedies[i]
	}
	q := strings.TrimSpace(f.quantity.Text)
	if q == "" {
		q = "1" // the placeholder: one part unless said otherwise
	}
	n, err := strconv.Atoi(q)
	if err != nil {
		return nc, domain.FieldError("quantity", "must be at least 1")
	}
	nc.Quantity = n
	return nc, nil
}

// missing lists, in form order, the required fields left empty (and the
// quantity error), so that the operator sees them all at once; the domain
// then checks the rest, one rule at a time.
func missing(nc model.NewComplaint, quantity error) []error {
	var errs []error
	required := func(empty bool, field string) {
		if empty {
			errs = append(errs, domain.FieldError(field, "is required"))
		}
	}
	required(nc.SupplierStation == "", "supplier_station")
	required(strings.TrimSpace(nc.PartRef) == "", "part_ref")
	if quantity != nil {
		errs = append(errs, quantity)
	}
	required(nc.Category == "", "category")
	required(nc.Severity == "", "severity")
	required(nc.Kind == domain.KindClaim && nc.Remedy == "", "remedy")
	required(strings.TrimSpace(nc.Description) == "", "description")
	return errs
}

func (f *Form) submit() {
	f.env.Nav.Touch()
	nc, err := f.value()
	if errs := missing(nc, err); len(errs) > 0 {
		ui.FocusField(f.env.Win, f.form.ShowAll(errs))
		return
	}
	f.save.Disable()
	ui.Load(f.env, func() (model.Filed, error) { return f.m.FileComplaint(nc) }, func(filed model.Filed, err error) {
		f.save.Enable()
		if err != nil {
			ui.FocusField(f.env.Win, f.form.Show(err))
			return
		}
		f.form.Clear()
		f.reset()
		f.saved.SetText(lang.X("report.saved", "Saved as {{.Number}}. Report another defect, or go back.", map[string]any{"Number": filed.Number}))
		f.saved.Show()
		if f.OnSaved != nil {
			f.OnSaved(filed)
		}
		f.focus(f.station.Entry)
	})
}

// reset empties the fields for the next defect; the supplier station
// stays, since defects often come in series from the same one.
func (f *Form) reset() {
	f.quiet = true
	defer func() { f.quiet = false }()
	f.part.SetText("")
	f.lot.SetText("")
	f.quantity.SetText("")
	f.description.SetText("")
	f.category.ClearSelected()
	f.severity.SetSelected("")
	f.kind.SetSelected(i18n.Kind(domain.KindComplaint))
	f.files = nil
	f.fileList.RemoveAll()
	f.showSimilar(nil)
}

// SavedText is the confirmation shown after a save, "" when none.
func (f *Form) SavedText() string {
	if f.saved.Visible() {
		return f.saved.Text
	}
	return ""
}

func (f *Form) pickFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, domain.MaxAttachmentBytes+1))
		if err != nil {
			ui.ShowError(f.env, err)
			return
		}
		if len(data) > domain.MaxAttachmentBytes {
			f.form.Show(&domain.Error{Code: domain.ETooLarge, Field: "attachments", Message: lang.X("report.file_too_big", "files are limited to 10 MB")})
			return
		}
		f.AddFile(model.File{Name: r.URI().Name(), Data: data})
	}, f.env.Win)
	ui.ShowFileDialog(d)
}

// AddFile attaches a file to the complaint being written.
func (f *Form) AddFile(file model.File) {
	f.files = append(f.files, file)
	var row *fyne.Container
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		for i := range f.files {
			if f.files[i].Name == file.Name {
				f.files = append(f.files[:i], f.files[i+1:]...)
				break
			}
		}
		f.fileList.Remove(row)
	})
	size := lang.X("report.file_size", "{{.KB}} KB", map[string]any{"KB": (len(file.Data) + 1023) / 1024})
	row = container.NewBorder(nil, nil, nil, remove, widget.NewLabel(file.Name+" ("+size+")"))
	f.fileList.Add(row)
}

// lookUpSimilar searches for similar complaints after a pause in typing.
func (f *Form) lookUpSimilar() {
	if f.quiet {
		return
	}
	f.env.Nav.Touch()
	if f.timer != nil {
		f.timer.Stop()
	}
	if f.debounce == 0 {
		f.searchSimilar()
		return
	}
	f.timer = time.AfterFunc(f.debounce, func() { fyne.Do(f.searchSimilar) })
}

func (f *Form) searchSimilar() {
	supplier, part, desc := f.station.Selected(), f.part.Text, f.description.Text
	ui.Load(f.env, func() ([]model.ComplaintRow, error) { return f.m.SimilarOpen(supplier, part, desc, maxSimilar) },
		func(rows []model.ComplaintRow, err error) {
			if err == nil && supplier == f.station.Selected() {
				f.showSimilar(rows)
			}
		})
}

func (f *Form) showSimilar(rows []model.ComplaintRow) {
	f.similar.RemoveAll()
	f.shown = f.shown[:0]
	if len(rows) == 0 {
		f.similar.Add(ui.Wrapped(lang.X("report.similar_none", "No similar open complaint.")))
		return
	}
	now := f.env.Now()
	for _, r := range rows {
		id := r.ID
		f.shown = append(f.shown, r.Number)
		title := r.Number + " · " + i18n.Status(r.Status)
		if !r.Deadline.IsZero() {
			title += " · " + i18n.Countdown(r.Deadline, now)
		}
		open := widget.NewButton(lang.X("report.similar_open", "Open"), func() { f.open(id) })
		card := container.NewBorder(nil, nil, nil, open, container.NewVBox(
			ui.Heading(title), ui.Wrapped(r.PartRef+" · "+r.Summary)))
		f.similar.Add(card)
		f.similar.Add(widget.NewSeparator())
	}
}

// SimilarNumbers lists the numbers of the similar complaints shown.
func (f *Form) SimilarNumbers() []string { return f.shown }
