package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// MultiLineEntry is the app's only multi-line text field. Fyne's own
// types a tab character on Tab, so a keyboard user (shop floor: gloves,
// scanners, no mouse) can never leave it; this one lets Tab and Shift+Tab
// move the focus like every other field, and Ctrl+Enter submit.
//
// Enter still starts a new line: descriptions have paragraphs.
type MultiLineEntry struct {
	widget.Entry

	// OnSubmitForm, when set, is called on Ctrl+Enter or Ctrl+S (Cmd on
	// macOS): Fyne hands a focused field's shortcuts to the field alone, so
	// the window's own shortcuts never fire while typing here.
	OnSubmitForm func()

	shift bool // Shift is held (test drivers hand Tab to the widget)

	// lost is where the next letter goes when Fyne lost the cursor (see
	// TypedRune), -1 or 0 otherwise; lostRow and lostCol are where Fyne
	// left the cursor then, so a move of the user's forgets it.
	lost, lostRow, lostCol int
}

// NewMultiLineEntry builds an empty multi-line entry that wraps words.
func NewMultiLineEntry() *MultiLineEntry {
	e := &MultiLineEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab is false, so the desktop driver moves the focus on Tab and
// Shift+Tab instead of handing the key to the entry.
func (e *MultiLineEntry) AcceptsTab() bool { return false }

// TypedKey moves the focus on Tab for drivers that hand Tab to the
// focused widget anyway (Fyne's test driver); other keys edit the text.
func (e *MultiLineEntry) TypedKey(key *fyne.KeyEvent) {
	if key.Name != fyne.KeyTab {
		e.Entry.TypedKey(key)
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil {
		return
	}
	if e.shift {
		c.FocusPrevious()
	} else {
		c.FocusNext()
	}
}

// KeyDown remembers Shift for Shift+Tab, then lets the entry select text.
func (e *MultiLineEntry) KeyDown(key *fyne.KeyEvent) {
	if isShift(key.Name) {
		e.shift = true
	}
	e.Entry.KeyDown(key)
}

// KeyUp forgets Shift.
func (e *MultiLineEntry) KeyUp(key *fyne.KeyEvent) {
	if isShift(key.Name) {
		e.shift = false
	}
	e.Entry.KeyUp(key)
}

// FocusLost forgets Shift too: its release may go to the next field.
func (e *MultiLineEntry) FocusLost() {
	e.shift = false
	e.Entry.FocusLost()
}

// TypedShortcut submits the form on a submit shortcut and leaves the
// rest (copy, paste, undo…) to the entry.
func (e *MultiLineEntry) TypedShortcut(s fyne.Shortcut) {
	if e.OnSubmitForm != nil && IsSubmitShortcut(s) {
		e.OnSubmitForm()
		return
	}
	e.Entry.TypedShortcut(s)
}

func isShift(k fyne.KeyName) bool { return k == desktop.KeyShiftLeft || k == desktop.KeyShiftRight }

// EntryOf returns the text entry o is, or wraps (a MultiLineEntry), and
// nil for anything else: code that watches what is typed (the inactivity
// sign-out, tests) sees both kinds of field.
func EntryOf(o any) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *MultiLineEntry:
		return &e.Entry
	case *Entry:
		return &e.Entry
	}
	return nil
}

// TypedRune types r at the cursor. Fyne 2.8 loses the cursor after a
// space typed at the end of a row that then wraps: the space falls in the
// gap between two rows, which no row and column point to, so the cursor
// stays before it and the next letter went before the space ("the
// maintenance plan" became "the maintenanceplan "). The offset the cursor
// should have is kept, and the next letter goes there.
func (e *MultiLineEntry) TypedRune(r rune) {
	if e.lost > 0 && e.CursorRow == e.lostRow && e.CursorColumn == e.lostCol && e.lost <= len([]rune(e.Text)) {
		at := e.lost
		e.lost = 0
		runes := []rune(e.Text)
		e.SetText(string(runes[:at]) + string(r) + string(runes[at:]))
		e.placeCursor(at + 1)
		return
	}
	e.lost = 0
	at := e.CursorTextOffset()
	selecting := e.SelectedText() != ""
	e.Entry.TypedRune(r)
	if !selecting && e.CursorTextOffset() != at+1 {
		e.lost, e.lostRow, e.lostCol = at+1, e.CursorRow, e.CursorColumn
	}
}

// placeCursor puts the cursor at a text offset, in the rows and columns
// Fyne counts in: the last row beginning at or before the offset (a row
// past the last one begins at 0 for Fyne: rows begin further on), then
// the column in it.
func (e *MultiLineEntry) placeCursor(offset int) {
	row := 0
	for next := 1; next <= len([]rune(e.Text)); next++ {
		e.CursorRow, e.CursorColumn = next, 0
		begin := e.CursorTextOffset()
		if begin == 0 || begin > offset {
			break
		}
		row = next
	}
	e.CursorRow, e.CursorColumn = row, 0
	e.CursorColumn = offset - e.CursorTextOffset()
	e.Refresh()
}
