package report

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/uitest"
)

// Tab leaves the description for the next field and Shift+Tab comes back:
// it used to type a tab, and a keyboard user could never get out.
func TestTabLeavesTheDescription(t *testing.T) {
	// Given the form with a description typed
	f, env, _ := newForm(t)
	c := env.Win.Canvas()
	c.Focus(f.description)
	test.Type(f.description, "Burr on the edge")
	// When Tab is pressed
	uitest.PressTab(c, false)
	// Then the focus is on "Add a photo or file" and no tab was typed
	add := uitest.FindButton(f.Object(), "Add a photo or file")
	if c.Focused() != add {
		t.Fatalf("focus after Tab = %T, want the Add a photo or file button", c.Focused())
	}
	// When Shift+Tab is pressed
	uitest.PressTab(c, true)
	// Then the focus is back in the description
	if c.Focused() != f.description {
		t.Fatalf("focus after Shift+Tab = %T, want the description", c.Focused())
	}
	// And Shift+Tab again leaves it for the field before
	uitest.PressTab(c, true)
	if c.Focused() == f.description || strings.Contains(f.description.Text, "\t") {
		t.Fatalf("Shift+Tab in the description: focus %T, text %q", c.Focused(), f.description.Text)
	}
	if f.description.Text != "Burr on the edge" {
		t.Fatalf("description = %q", f.description.Text)
	}
}

// fillByKeyboard fills every required field but the description, as a
// keyboard user does.
func fillByKeyboard(t *testing.T, f *Form, c fyne.Canvas) {
	t.Helper()
	f.station.Pick("CUT1")
	c.Focus(f.part)
	test.Type(f.part, "BR-2040")
	f.category.SetSelectedIndex(0)
	f.severity.SetSelected("Major")
}

// Ctrl+Enter and Ctrl+S save the complaint from the description, from a
// one-line field, and from a radio (the window's shortcut), with no tap.
func TestSubmitShortcutsSave(t *testing.T) {
	cases := []struct {
		name  string
		focus func(t *testing.T, f *Form) fyne.Focusable
		keys  fyne.Shortcut
	}{
		{"CtrlEnterInTheDescription", func(_ *testing.T, f *Form) fyne.Focusable { return f.description }, uitest.CtrlEnter},
		{"CtrlSInTheDescription", func(_ *testing.T, f *Form) fyne.Focusable { return f.description }, uitest.CtrlS},
		{"CtrlSInTheQuantity", func(_ *testing.T, f *Form) fyne.Focusable { return f.quantity }, uitest.CtrlS},
		{"CtrlEnterOnTheSeverity", func(t *testing.T, f *Form) fyne.Focusable { return focusable(t, f.severity) }, uitest.CtrlEnter},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Given a filled form, the focus in a field
			f, env, _ := newForm(t)
			c := env.Win.Canvas()
			fillByKeyboard(t, f, c)
			c.Focus(f.description)
			test.Type(f.description, "Burr on the edge")
			c.Focus(tc.focus(t, f))
			// When the shortcut is typed
			uitest.PressShortcut(c, tc.keys)
			// Then the complaint is saved, its number shown
			if !strings.HasPrefix(f.SavedText(), "Saved as PRESS2-") {
				t.Fatalf("after the shortcut: saved %q, errors %q", f.SavedText(), f.form.FormError())
			}
			// And Ctrl+Enter in the reset description does not type a line
			if f.description.Text != "" {
				t.Fatalf("description after saving = %q", f.description.Text)
			}
		})
	}
}

// focusable is o as the canvas focuses it: a radio group that cannot
// take the focus (Fyne's: each option can) fails here.
func focusable(t *testing.T, o any) fyne.Focusable {
	t.Helper()
	foc, ok := o.(fyne.Focusable)
	if !ok {
		t.Fatalf("%T cannot take the focus", o)
	}
	return foc
}

// Enter in a one-line field goes where Tab goes: the quantity's Enter
// lands on the category (it used to jump to the description), and the
// scanned fields each go to the next.
func TestEnterFollowsTheFocusOrder(t *testing.T) {
	f, env, _ := newForm(t)
	c := env.Win.Canvas()
	f.station.Pick("CUT1")
	for _, from := range []fyne.Focusable{f.station.Entry, f.part, f.lot, f.quantity} {
		c.Focus(from)
		uitest.PressTab(c, false)
		tabbed := c.Focused()
		c.Focus(from)
		uitest.PressKey(c, fyne.KeyReturn)
		if c.Focused() != tabbed {
			t.Errorf("Enter in %T went to %T, Tab to %T", from, c.Focused(), tabbed)
		}
	}
	c.Focus(f.quantity)
	uitest.PressKey(c, fyne.KeyReturn)
	if c.Focused() != f.category {
		t.Fatalf("Enter in the quantity went to %T, want the category", c.Focused())
	}
}

// The arrow keys move the severity's choice: Tab from the category lands
// on the severity, Right picks Minor then Major, Left goes back.
func TestArrowKeysChooseTheSeverity(t *testing.T) {
	f, env, _ := newForm(t)
	c := env.Win.Canvas()
	c.Focus(f.category)
	uitest.PressTab(c, false)
	uitest.PressKey(c, fyne.KeyRight)
	uitest.PressKey(c, fyne.KeyRight)
	if got := f.Values().Severity; got != "major" {
		t.Fatalf("severity after Right Right = %q, want major", got)
	}
	uitest.PressKey(c, fyne.KeyLeft)
	if got := f.Values().Severity; got != "minor" {
		t.Fatalf("severity after Left = %q, want minor", got)
	}
	// And one more Tab leaves the severity for the kind, whose Right
	// picks a claim and shows the remedy
	uitest.PressTab(c, false)
	uitest.PressKey(c, fyne.KeyRight)
	if got := f.Values().Kind; got != "claim" || !f.remedyRow.Label.Visible() {
		t.Fatalf("kind after Tab Right = %q, remedy shown %v", got, f.remedyRow.Label.Visible())
	}
}
