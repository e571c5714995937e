package report

import (
	"fyne.io/fyne/v2"

	"boucle/desktop/ui/widgets"
)

// OnScreen binds the submit shortcuts (Ctrl+S, Ctrl+Enter) to the window
// while the form is on screen: they save from a button, a radio or a
// select. Text fields take them themselves (OnSubmitForm), as Fyne gives
// a focused field's shortcuts to the field alone. The focus goes where
// typing starts: the operator lands on the form ready to scan.
func (f *Form) OnScreen() {
	if f.env.Win == nil {
		return
	}
	c := f.env.Win.Canvas()
	for _, s := range widgets.SubmitShortcuts() {
		c.AddShortcut(s, func(fyne.Shortcut) { f.submit() })
	}
	f.focusFirstEmpty()
}

// OffScreen unbinds them: another screen's Ctrl+S must not file a form
// nobody sees.
func (f *Form) OffScreen() {
	if f.env.Win == nil {
		return
	}
	c := f.env.Win.Canvas()
	for _, s := range widgets.SubmitShortcuts() {
		c.RemoveShortcut(s)
	}
}

// focusAfter moves the focus from a field as Tab does: Enter in a
// scanned field goes to the next field in the form's own focus order.
func (f *Form) focusAfter(from fyne.Focusable) {
	if f.env.Win == nil {
		return
	}
	c := f.env.Win.Canvas()
	if c.Focused() != from {
		c.Focus(from) // Enter came from it: the canvas follows
	}
	c.FocusNext()
}

// focusFirstEmpty puts the focus where typing starts: the first required
// text left empty (after a save, the supplier stays: the part).
func (f *Form) focusFirstEmpty() {
	switch {
	case f.station.Selected() == "":
		f.focus(f.station.Entry)
	case f.part.Text == "":
		f.focus(f.part)
	case f.description.Text == "":
		f.focus(f.description)
	default:
		f.focus(f.save)
	}
}
