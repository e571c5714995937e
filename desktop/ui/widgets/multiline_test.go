package widgets_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/uitest"
	"boucle/desktop/ui/widgets"
)

// threeFields shows an entry, the multi-line entry and a button, in order.
func threeFields(t *testing.T) (fyne.Canvas, *widget.Entry, *widgets.MultiLineEntry, *widget.Button) {
	env, _ := uitest.New(t)
	before, after := widget.NewEntry(), widget.NewButton("Save", func() {})
	multi := widgets.NewMultiLineEntry()
	uitest.Show(env, container.NewVBox(before, multi, after))
	return env.Win.Canvas(), before, multi, after
}

func TestMultiLineEntry_TabLeavesAndShiftTabReturns(t *testing.T) {
	c, before, multi, after := threeFields(t)
	// Given text typed in the multi-line entry
	c.Focus(multi)
	test.Type(multi, "Burrs on the edge")
	// When Tab is pressed, as the desktop driver routes it
	uitest.PressTab(c, false)
	// Then the focus is on the next field and no tab was typed
	if c.Focused() != after {
		t.Fatalf("focus after Tab = %T, want the button", c.Focused())
	}
	if multi.Text != "Burrs on the edge" {
		t.Fatalf("text = %q, want no tab typed", multi.Text)
	}
	// And Shift+Tab from the multi-line entry goes to the field before it
	c.Focus(multi)
	uitest.PressTab(c, true)
	if c.Focused() != before {
		t.Fatalf("focus after Shift+Tab = %T, want the entry before", c.Focused())
	}
	if strings.Contains(multi.Text, "\t") {
		t.Fatalf("text = %q, want no tab typed", multi.Text)
	}
}

// A driver that hands Tab to the widget (the test driver) moves the focus too.
func TestMultiLineEntry_TabKeyEventMovesFocus(t *testing.T) {
	c, before, multi, after := threeFields(t)
	c.Focus(multi)
	multi.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if c.Focused() != after || multi.Text != "" {
		t.Fatalf("Tab: focus %T, text %q; want the button and no tab", c.Focused(), multi.Text)
	}
	c.Focus(multi)
	multi.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	multi.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if c.Focused() != before || multi.Text != "" {
		t.Fatalf("Shift+Tab: focus %T, text %q; want the entry before and no tab", c.Focused(), multi.Text)
	}
}

func TestMultiLineEntry_EnterStillStartsALine(t *testing.T) {
	c, _, multi, _ := threeFields(t)
	c.Focus(multi)
	test.Type(multi, "one")
	uitest.PressKey(c, fyne.KeyReturn)
	test.Type(multi, "two")
	if multi.Text != "one\ntwo" {
		t.Fatalf("text = %q, want two lines", multi.Text)
	}
}

func TestMultiLineEntry_CtrlEnterSubmits(t *testing.T) {
	c, _, multi, _ := threeFields(t)
	submitted := 0
	multi.OnSubmitForm = func() { submitted++ }
	c.Focus(multi)
	test.Type(multi, "text")
	uitest.PressShortcut(c, uitest.CtrlEnter)
	if submitted != 1 || multi.Text != "text" {
		t.Fatalf("Ctrl+Enter: %d submits, text %q; want 1 and the text unchanged", submitted, multi.Text)
	}
}

func TestMultiLineEntry_CtrlSSubmitsAndCopyStillCopies(t *testing.T) {
	c, _, multi, _ := threeFields(t)
	submitted := 0
	multi.OnSubmitForm = func() { submitted++ }
	c.Focus(multi)
	test.Type(multi, "text")
	uitest.PressShortcut(c, uitest.CtrlS)
	uitest.PressShortcut(c, &fyne.ShortcutSelectAll{})
	if submitted != 1 || multi.SelectedText() != "text" {
		t.Fatalf("Ctrl+S then Ctrl+A: %d submits, selection %q; want 1 and the whole text", submitted, multi.SelectedText())
	}
}

// The test helper reaches the window's shortcuts as the driver does.
func TestPressShortcut_ReachesTheWindowFromAButton(t *testing.T) {
	c, _, _, button := threeFields(t)
	saved := 0
	c.AddShortcut(uitest.CtrlS, func(fyne.Shortcut) { saved++ })
	c.Focus(button)
	uitest.PressShortcut(c, uitest.CtrlS)
	if saved != 1 {
		t.Fatalf("Ctrl+S with a button focused reached the window %d times, want 1", saved)
	}
}
