// Package report is the "Report a defect" form, the operator's home: built
// for speed and for the keyboard (a barcode scanner fills the lot and
// moves on; Enter and Tab walk the fields; Ctrl+S or Ctrl+Enter saves;
// similar open complaints show while typing), saved at once with the
// complaint number shown, and kept as a draft until then (draft.go).
package report

import (
	"io"
	"strconv"
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
	"boucle/desktop/ui/widgets"
	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// Model is what the screen needs.
type Model interface {
	Session() model.Session
	Reference() (model.Reference, error)
	FileComplaint(model.NewComplaint) (model.Filed, error)
	SimilarOpen(supplier, partRef, description string, max int) ([]model.ComplaintRow, error)
	// The known problems the complaint being written looks like.
	ProposeProblems(q model.ProblemQuery, max int) ([]model.ProblemProposal, error)
	// The signed-in user's draft of this form, on this workstation.
	ReportDraft() (model.ReportDraft, bool, error)
	SaveReportDraft(model.ReportDraft) (model.ReportDraft, error)
	DiscardReportDraft() error
}

// Opener opens a complaint's detail (the similar ones are links).
type Opener func(id string)

// ProblemOpener opens a problem's page (the problems proposed are links).
type ProblemOpener func(id analytics.ProblemID)

// Screen is the form as a menu screen: the operator's home (and the
// engineer's "File a complaint"), which keeps a draft.
func Screen(env ui.Env, m Model, open Opener, openProblem ProblemOpener) ui.Content {
	f := NewForm(env, m, open)
	f.OpenProblem = openProblem
	f.KeepDrafts()
	f.Load()
	return ui.Content{Object: f.Object(), Refresh: f.RefreshReference}
}

// maxSimilar is how many similar complaints the form shows.
const maxSimilar = 5

// Form is the report form. Its fields are kept so tests can drive them.
type Form struct {
	env  ui.Env
	m    Model
	open Opener
	ref  model.Reference

	station        *widgets.StationPicker
	part           *widgets.Entry
	lot            *widgets.Entry
	quantity       *widgets.Entry
	category       *widget.Select
	severity       *widgets.Radio
	severityPrompt *widget.Label
	kind           *widgets.Radio
	remedy         *widget.Select
	remedyRow      *ui.Field
	description    *widgets.MultiLineEntry
	files          []model.File
	fileList       *fyne.Container
	save           *widget.Button
	form           *ui.Form
	similar        *fyne.Container
	similarHead    *widget.Label
	shown          []string // numbers of the similar complaints shown
	known          *knownProblems
	saved          *widget.Label
	obj            fyne.CanvasObject

	writes  *queue // draft writes, the filing and discards, in order
	lookups *queue // similar-complaints lookups, the latest wins
	guesses *queue // known-problem lookups, the latest wins
	filing  bool   // a filing is under way: Save and its shortcuts wait
	quiet   bool   // filling or resetting: field changes are not typing

	drafts     bool // this form keeps the user's draft (see draft.go)
	draftLine  *fyne.Container
	draftText  *widget.Label
	draftError *widget.Label
	leaving    dialog.Dialog // the "keep the draft?" question, when open

	prefill *model.NewComplaint // what to fill the form with once loaded (see Prefill)
	// OnSaved, when set, is called on the UI goroutine after each save.
	OnSaved func(model.Filed)
	// OpenProblem, when set, opens a problem's page.
	OpenProblem ProblemOpener
}

// NewForm builds the form; call Load to fill the pickers.
func NewForm(env ui.Env, m Model, open Opener) *Form {
	f := &Form{env: env, m: m, open: open, writes: newQueue(env.Async), lookups: newQueue(env.Async),
		guesses: newQueue(env.Async)}
	f.build()
	return f
}

func (f *Form) build() {
	f.quiet = true // the defaults set while building are not typing
	defer func() { f.quiet = false }()
	f.buildInputs()
	f.buildForm()
	f.buildDraftLine()
	f.save = widget.NewButtonWithIcon(lang.X("report.save", "Save the complaint"), theme.DocumentSaveIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.saved = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.saved.Importance = widget.SuccessImportance
	f.saved.Hide()
	legend := ui.Wrapped(lang.X("report.required_legend", "Fields marked * are required. Enter or Tab moves to the next field; Ctrl+S or Ctrl+Enter saves."))
	hint := ui.Wrapped(lang.X("report.hint", "A part from an upstream station is not right? Report it here: it takes less than 30 seconds."))
	left := container.NewVBox(hint, f.draftLine, f.form.Object(), legend, ui.Touch(f.save), f.saved)

	f.similarHead = ui.Heading(lang.X("report.similar", "Similar open complaints"))
	f.similar = container.NewVBox(ui.Wrapped(lang.X("report.similar_hint", "Pick the supplier station and describe the defect: open complaints that look the same show here, so you can avoid a duplicate.")))
	f.known = newKnownProblems(f)
	side := container.NewVBox(f.known.obj, f.similarHead, f.similar)
	f.known.side = side

	split := container.NewHSplit(container.NewVScroll(container.NewPadded(left)), container.NewVScroll(container.NewPadded(side)))
	split.Offset = 0.64
	f.obj = ui.NewGuarded(split, f)
}

// buildForm lays the fields out, the required ones marked with a star.
func (f *Form) buildForm() {
	required := func(label string) string { return label + " *" }
	f.form = ui.NewForm()
	f.form.Add("supplier_station", required(lang.X("field.supplier_station", "Supplier station")), f.station.Object())
	f.form.Alias("filing_station", "supplier_station")
	f.form.Add("part_ref", required(lang.X("field.part_ref", "Part reference")), ui.MinSize(f.part, 0, 44))
	f.form.Add("lot", lang.X("field.lot", "Lot"), ui.MinSize(f.lot, 0, 44))
	f.form.Add("quantity", lang.X("field.quantity", "Quantity affected"), ui.MinSize(f.quantity, 0, 44))
	f.form.Add("category", required(lang.X("field.category", "Category")), ui.MinSize(f.category, 0, 44))
	f.form.Add("severity", required(lang.X("field.severity", "Severity")), container.NewVBox(f.severity, f.severityPrompt))
	f.form.Add("kind", required(lang.X("field.kind", "Kind")), f.kind)
	f.remedyRow = f.form.Add("remedy", required(lang.X("field.remedy", "Remedy demanded")), ui.MinSize(f.remedy, 0, 44))
	f.form.Add("description", required(lang.X("field.description", "Description")), f.description)
	addFile := widget.NewButtonWithIcon(lang.X("report.add_file", "Add a photo or file"), theme.FileImageIcon(), f.pickFile)
	f.form.Add("attachments", lang.X("field.attachments", "Photos and files"), container.NewVBox(f.fileList, container.NewHBox(addFile)))
	f.showRemedy()
}

// buildInputs makes the fields and wires them: every change clears the
// field's error once fixed and keeps the draft; Enter in a one-line field
// (a scanner types the code, then Enter) moves to the next field, as Tab
// does; Ctrl+S or Ctrl+Enter in any text field saves (keys.go).
func (f *Form) buildInputs() {
	f.station = widgets.NewStationPicker()
	f.part = widgets.NewEntry()
	f.lot = widgets.NewEntry()
	f.lot.SetPlaceHolder(lang.X("report.lot_placeholder", "Scan or type the lot"))
	f.quantity = widgets.NewEntry()
	f.quantity.SetPlaceHolder("1")
	f.category = ui.NewSelect(nil, func(string) { f.edited("category") })
	f.severity = widgets.NewRadio(severityLabels(), func(string) { f.edited("severity") })
	f.severityPrompt = ui.Wrapped(lang.X("report.severity_prompt", "Choose how serious the defect is: it sets the deadline to answer. Arrow keys change the choice."))
	f.severityPrompt.TextStyle.Italic = true
	f.kind = widgets.NewRadio([]string{i18n.Kind(domain.KindComplaint), i18n.Kind(domain.KindClaim)}, func(string) {
		f.showRemedy()
		f.edited("kind")
	})
	f.kind.SetSelected(i18n.Kind(domain.KindComplaint))
	f.remedy = ui.NewSelect(remedyLabels(), func(string) { f.edited("remedy") })
	f.description = widgets.NewMultiLineEntry()
	f.description.SetMinRowsVisible(4)
	f.description.SetPlaceHolder(lang.X("report.description_placeholder", "What is wrong, how many, where you saw it"))
	f.fileList = container.NewVBox()

	f.station.OnSubmit = func() { f.focusAfter(f.station.Entry) }
	f.station.OnPicked = func(string) { f.edited("supplier_station") }
	for field, e := range map[string]*widgets.Entry{"part_ref": f.part, "lot": f.lot, "quantity": f.quantity} {
		e.OnChanged = func(string) { f.edited(field) }
		e.OnSubmitted = func(string) { f.focusAfter(e) }
	}
	f.description.OnChanged = func(string) { f.edited("description") }
	for _, e := range []*widgets.Entry{f.station.Entry, f.part, f.lot, f.quantity} {
		e.OnSubmitForm = f.submit
	}
	f.description.OnSubmitForm = f.submit
}

// Object is the form's widget tree.
func (f *Form) Object() fyne.CanvasObject { return f.obj }

// Load fills the station and category pickers, and the draft when the
// form keeps one, off the UI goroutine.
func (f *Form) Load() {
	type loaded struct {
		ref   model.Reference
		draft *model.ReportDraft
	}
	drafts := f.drafts && f.prefill == nil
	ui.Load(f.env, func() (loaded, error) {
		ref, err := f.m.Reference()
		if err != nil || !drafts {
			return loaded{ref: ref}, err
		}
		d, ok, err := f.m.ReportDraft()
		if !ok {
			return loaded{ref: ref}, err
		}
		return loaded{ref: ref, draft: &d}, err
	}, func(l loaded, err error) {
		if err != nil {
			ui.ShowError(f.env, err)
			return
		}
		f.setReference(l.ref)
		if f.prefill != nil {
			f.fill(draftOf(*f.prefill))
			f.prefill = nil
		}
		if l.draft != nil && !l.draft.Empty() {
			f.restore(*l.draft)
		}
		f.focusFirstEmpty()
	})
}

// RefreshReference reloads the stations and categories (a sync brought
// new ones), keeping what is typed and chosen.
func (f *Form) RefreshReference() {
	ui.Load(f.env, f.m.Reference, func(ref model.Reference, err error) {
		if err == nil {
			f.setReference(ref)
		}
	})
}

// setReference fills the pickers, quietly, the category chosen kept.
func (f *Form) setReference(ref model.Reference) {
	f.quiet = true
	defer func() { f.quiet = false }()
	chosen := f.draft().Category
	f.ref = ref
	f.station.SetStations(ref.Stations, f.m.Session().Station)
	var cats []string
	for _, c := range ref.Categories {
		cats = append(cats, i18n.Category(c))
	}
	f.category.SetOptions(cats)
	f.category.ClearSelected()
	for i, c := range ref.Categories {
		if c.Code == chosen {
			f.category.SetSelectedIndex(i)
		}
	}
}

// Prefill makes Load fill the form with nc, as it was typed: a complaint
// the server refused is recorded again from it. Call it before Load.
func (f *Form) Prefill(nc model.NewComplaint) { f.prefill = &nc }

func draftOf(nc model.NewComplaint) model.ReportDraft {
	d := model.ReportDraft{SupplierStation: nc.SupplierStation, PartRef: nc.PartRef, Lot: nc.Lot, Category: nc.Category,
		Severity: nc.Severity, Kind: nc.Kind, Remedy: nc.Remedy, Description: nc.Description, Files: nc.Files}
	if nc.Quantity > 0 {
		d.Quantity = strconv.Itoa(nc.Quantity)
	}
	return d
}

// fill sets every field from d, quietly; the pickers must be loaded.
func (f *Form) fill(d model.ReportDraft) {
	f.quiet = true
	defer func() { f.quiet = false }()
	f.station.Pick(d.SupplierStation)
	f.part.SetText(d.PartRef)
	f.lot.SetText(d.Lot)
	f.quantity.SetText(d.Quantity)
	for i, c := range f.ref.Categories {
		if c.Code == d.Category {
			f.category.SetSelectedIndex(i)
		}
	}
	if d.Severity != "" {
		f.severity.SetSelected(i18n.Severity(d.Severity))
	}
	if d.Kind != "" {
		f.kind.SetSelected(i18n.Kind(d.Kind))
	}
	for i, r := range domain.Remedies {
		if r == d.Remedy {
			f.remedy.SetSelectedIndex(i)
		}
	}
	f.description.SetText(d.Description)
	for _, file := range d.Files {
		f.AddFile(file)
	}
	f.lookUpSimilar()
	f.lookUpProblems()
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
	claim := f.kind.Selected() == i18n.Kind(domain.KindClaim)
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
	d := f.draft()
	nc := model.NewComplaint{SupplierStation: d.SupplierStation, PartRef: d.PartRef, Lot: d.Lot, Category: d.Category,
		Severity: d.Severity, Kind: d.Kind, Remedy: d.Remedy, Description: d.Description, Files: d.Files}
	q := strings.TrimSpace(d.Quantity)
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

// draft reads the form as typed.
func (f *Form) draft() model.ReportDraft {
	d := model.ReportDraft{SupplierStation: f.station.Selected(), PartRef: f.part.Text, Lot: f.lot.Text,
		Quantity: f.quantity.Text, Description: f.description.Text, Files: f.files, Kind: domain.KindComplaint}
	if i := f.category.SelectedIndex(); i >= 0 && i < len(f.ref.Categories) {
		d.Category = f.ref.Categories[i].Code
	}
	for _, s := range domain.Severities {
		if i18n.Severity(s) == f.severity.Selected() {
			d.Severity = s
		}
	}
	if f.kind.Selected() == i18n.Kind(domain.KindClaim) {
		d.Kind = domain.KindClaim
	}
	if i := f.remedy.SelectedIndex(); i >= 0 {
		d.Remedy = domain.Remedies[i]
	}
	return d
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

// edited follows a change of a field by the user: its error goes once it
// is fixed, the similar complaints follow the text, the draft is kept.
func (f *Form) edited(field string) {
	if f.quiet {
		return
	}
	f.env.Nav.Touch()
	f.recheck(field)
	f.severityPrompt.Hidden = f.severity.Selected() != ""
	f.severityPrompt.Refresh()
	switch field {
	case "supplier_station", "part_ref", "description":
		f.lookUpSimilar()
		f.lookUpProblems()
	case "category":
		f.lookUpProblems()
	}
	f.keepDraft()
}

// recheck clears the error shown under a field as soon as the field
// passes the form's own checks again; the domain's rules are checked
// again on the next save.
func (f *Form) recheck(field string) {
	if f.form.ErrorText(field) == "" {
		return
	}
	nc, qerr := f.value()
	for _, err := range missing(nc, qerr) {
		if de, ok := err.(*domain.Error); ok && de.Field == field {
			return // still wrong
		}
	}
	for _, fld := range f.form.Fields() {
		if fld.Name == field {
			ui.SetError(fld.Err, nil)
		}
	}
}

func (f *Form) submit() {
	if f.filing {
		return // Ctrl+S pressed again while saving
	}
	f.env.Nav.Touch()
	nc, err := f.value()
	if errs := missing(nc, err); len(errs) > 0 {
		ui.FocusField(f.env.Win, f.form.ShowAll(errs))
		return
	}
	nc.FromDraft = f.drafts
	f.filing = true
	f.save.Disable()
	var filed model.Filed
	f.writes.after(func() error {
		var err error
		filed, err = f.m.FileComplaint(nc)
		return err
	}, func(err error) {
		f.filing = false
		f.save.Enable()
		if err != nil {
			ui.FocusField(f.env.Win, f.form.Show(err))
			return
		}
		f.filed(filed)
	})
}

// filed shows the number and makes the form ready for the next defect.
func (f *Form) filed(filed model.Filed) {
	f.form.Clear()
	f.reset(false)
	f.hideDraftLine()
	f.saved.SetText(lang.X("report.saved", "Saved as {{.Number}}. The form is ready for the next defect.", map[string]any{"Number": filed.Number}))
	f.saved.Show()
	if f.OnSaved != nil {
		f.OnSaved(filed)
	}
	// A draft write queued while the filing ran holds the filed complaint
	// (keys typed meanwhile): drop it. The store has no draft now, and the
	// emptied form is none.
	f.writes.dropLatest()
	f.focusFirstEmpty()
}

// reset empties the fields for the next defect; the supplier station
// stays, since defects often come in series from the same one, unless
// all is true (the draft discarded).
func (f *Form) reset(all bool) {
	f.quiet = true
	defer func() { f.quiet = false }()
	if all {
		f.station.Clear()
	}
	f.part.SetText("")
	f.lot.SetText("")
	f.quantity.SetText("")
	f.description.SetText("")
	f.category.ClearSelected()
	f.severity.SetSelected("")
	f.severityPrompt.Show()
	f.kind.SetSelected(i18n.Kind(domain.KindComplaint))
	f.files = nil
	f.fileList.RemoveAll()
	f.showSimilar(nil)
	f.known.show(nil)
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
				f.files = append(f.files[:i:i], f.files[i+1:]...)
				break
			}
		}
		f.fileList.Remove(row)
		f.edited("attachments")
	})
	size := lang.X("report.file_size", "{{.KB}} KB", map[string]any{"KB": (len(file.Data) + 1023) / 1024})
	row = container.NewBorder(nil, nil, nil, remove, widget.NewLabel(file.Name+" ("+size+")"))
	f.fileList.Add(row)
	f.edited("attachments")
}

// lookUpSimilar looks similar complaints up off the UI goroutine; a
// lookup asked while one runs replaces any waiting (the latest text wins).
func (f *Form) lookUpSimilar() {
	supplier, part, desc := f.station.Selected(), f.part.Text, f.description.Text
	var rows []model.ComplaintRow
	f.lookups.latest(func() error {
		var err error
		rows, err = f.m.SimilarOpen(supplier, part, desc, maxSimilar)
		return err
	}, func(err error) {
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
