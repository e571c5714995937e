package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Entry is a one-line text field of a form that Ctrl+Enter or Ctrl+S
// submits: Fyne hands a focused field's shortcuts to the field alone, so
// the form's window shortcuts never fire while typing in it.
type Entry struct {
	widget.Entry

	// OnSubmitForm, when set, is called on a submit shortcut.
	OnSubmitForm func()
}

// NewEntry builds an empty one-line entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut submits the form on a submit shortcut and leaves the
// rest (copy, paste, undo…) to the entry.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if e.OnSubmitForm != nil && IsSubmitShortcut(s) {
		e.OnSubmitForm()
		return
	}
	e.Entry.TypedShortcut(s)
}
