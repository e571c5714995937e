package report

import (
	"strings"
	"testing"

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
