package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/shared/domain"
)

// TouchHeight is the minimum height of a target on the operator screens:
// about 11 mm on a 24" full-HD panel, enough for a gloved finger.
const TouchHeight = 56

// minLayout gives its single object at least a minimum size.
type minLayout struct{ min fyne.Size }

func (l minLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l minLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	min := l.min
	for _, o := range objs {
		min = min.Max(o.MinSize())
	}
	return min
}

// MinSize wraps o so that it is at least w×h.
func MinSize(o fyne.CanvasObject, w, h float32) fyne.CanvasObject {
	return container.New(minLayout{fyne.NewSize(w, h)}, o)
}

// Touch wraps a widget to the touch height.
func Touch(o fyne.CanvasObject) fyne.CanvasObject { return MinSize(o, 0, TouchHeight) }

// Heading is a bold title.
func Heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// Wrapped is a label that wraps words.
func Wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// ErrorLabel is an empty red label shown under a field or a form.
func ErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// SetError shows err on an error label, or hides it when err is nil.
func SetError(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(i18n.Error(err))
	l.Show()
}

// ShowError tells the user a command failed, in a dialog.
func ShowError(env Env, err error) {
	dialog.ShowInformation(lang.X("error.title", "Not done"), i18n.Error(err), env.Win)
}

// Field is one input of a Form with its label and inline error.
type Field struct {
	Name  string
	Label *widget.Label
	Input fyne.CanvasObject
	Err   *widget.Label
	cell  *fyne.Container
}

// SetVisible shows or hides the whole row: label, input and error.
func (f *Field) SetVisible(on bool) {
	if on {
		f.Label.Show()
		f.cell.Show()
	} else {
		f.Label.Hide()
		f.cell.Hide()
	}
}

// Form lays out labelled inputs in two columns and shows a domain error
// under the input its Field names.
type Form struct {
	fields []*Field
	byName map[string]*Field
	grid   *fyne.Container
	other  *widget.Label // errors that name no field of the form
}

// NewForm starts an empty form.
func NewForm() *Form {
	return &Form{byName: map[string]*Field{}, grid: container.New(layout.NewFormLayout()), other: ErrorLabel()}
}

// Add appends an input labelled label; name is the domain field it edits
// ("part_ref"), so that an error naming it lands under it.
func (f *Form) Add(name, label string, input fyne.CanvasObject) *Field {
	fld := &Field{Name: name, Input: input, Err: ErrorLabel()}
	f.fields = append(f.fields, fld)
	if name != "" {
		f.byName[name] = fld
	}
	fld.Label = widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	fld.cell = container.NewVBox(input, fld.Err)
	f.grid.Add(fld.Label)
	f.grid.Add(fld.cell)
	return fld
}

// Fields lists the form's fields in order.
func (f *Form) Fields() []*Field { return f.fields }

// Alias lets an error about another domain field land under an input
// ("filing_station" under the station picker).
func (f *Form) Alias(name, to string) {
	if fld, ok := f.byName[to]; ok {
		f.byName[name] = fld
	}
}

// Object is the form's widget tree: the fields, then the form-wide error.
func (f *Form) Object() fyne.CanvasObject { return container.NewVBox(f.grid, f.other) }

// Clear hides every error.
func (f *Form) Clear() {
	for _, fld := range f.fields {
		SetError(fld.Err, nil)
	}
	SetError(f.other, nil)
}

// Show shows err under the field it names, or under the form; it returns
// the field, if any, so the caller can focus it.
func (f *Form) Show(err error) *Field {
	if err == nil {
		f.Clear()
		return nil
	}
	return f.ShowAll([]error{err})
}

// ShowAll shows several errors at once (every empty required field, say);
// it returns the first field named, in form order, for the focus.
func (f *Form) ShowAll(errs []error) *Field {
	f.Clear()
	for _, err := range errs {
		var de *domain.Error
		if errors.As(err, &de) && de.Field != "" {
			if fld, ok := f.byName[i18n.BaseField(de.Field)]; ok {
				fld.Err.SetText(i18n.Message(err))
				fld.Err.Show()
				continue
			}
		}
		SetError(f.other, err)
	}
	for _, fld := range f.fields {
		if fld.Err.Visible() {
			return fld
		}
	}
	return nil
}

// ErrorText returns the error currently shown under a field, "" if none.
func (f *Form) ErrorText(name string) string {
	if fld, ok := f.byName[name]; ok && fld.Err.Visible() {
		return fld.Err.Text
	}
	return ""
}

// FormError returns the form-wide error shown, "" if none.
func (f *Form) FormError() string {
	if f.other.Visible() {
		return f.other.Text
	}
	return ""
}

// FocusField puts the keyboard focus on the first focusable widget of
// the field's input (inputs are often wrapped for size).
func FocusField(win fyne.Window, fld *Field) {
	if fld == nil || win == nil {
		return
	}
	if foc := firstFocusable(fld.Input); foc != nil {
		win.Canvas().Focus(foc)
	}
}

func firstFocusable(o fyne.CanvasObject) fyne.Focusable {
	if foc, ok := o.(fyne.Focusable); ok {
		return foc
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, child := range c.Objects {
			if foc := firstFocusable(child); foc != nil {
				return foc
			}
		}
	}
	return nil
}

// NewSelect is widget.NewSelect with a translated placeholder (Fyne's own
// "(Select one)" is not translated into French).
func NewSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = lang.X("select.placeholder", "(choose)")
	return s
}
