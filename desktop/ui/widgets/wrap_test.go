package widgets_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/widgets"
)

// Typing goes where the cursor is, even when a space typed at the end of
// a row wraps the next word: Fyne lost the cursor in the gap between the
// rows, and the next letter went before the space ("the maintenance
// plan" became "the maintenanceplan "). Every width from 100 to 420
// pixels puts some space on a wrap.
func TestTypingAcrossASoftWrapKeepsTheSpaces(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	const text = "No die wear check in the maintenance plan, since the last audit"
	for w := float32(100); w <= 420; w += 2 {
		e := widgets.NewMultiLineEntry()
		win := test.NewWindow(e)
		win.Resize(fyne.NewSize(w, 300))
		test.Type(e, text)
		if e.Text != text {
			t.Errorf("at %v px: typed %q", w, e.Text)
		}
		if got := e.CursorTextOffset(); got != len(text) {
			t.Errorf("at %v px: the cursor at %d, want the end (%d)", w, got, len(text))
		}
		win.Close()
	}
}
