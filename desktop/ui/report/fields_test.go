package report

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/uitest"
)

// The required fields are marked with a star the legend explains; the
// optional ones are not.
func TestRequiredFieldsAreMarked(t *testing.T) {
	f, _, _ := newForm(t)
	required := map[string]bool{"supplier_station": true, "part_ref": true, "category": true, "severity": true,
		"kind": true, "remedy": true, "description": true}
	for _, fld := range f.form.Fields() {
		if marked := strings.HasSuffix(fld.Label.Text, " *"); marked != required[fld.Name] {
			t.Errorf("%s labelled %q: marked %v, required %v", fld.Name, fld.Label.Text, marked, required[fld.Name])
		}
	}
	if !uitest.HasText(f.Object(), "Fields marked * are required.") {
		t.Error("no legend for the star")
	}
}

// Severity has no default (it sets the deadline: a default would choose
// it for the operator), and a prompt says so until one is chosen.
func TestSeverityPromptsUntilChosen(t *testing.T) {
	f, _, _ := newForm(t)
	prompt := "Choose how serious the defect is"
	if f.Values().Severity != "" || !uitest.HasText(f.Object(), prompt) {
		t.Fatalf("severity %q, prompt shown %v", f.Values().Severity, uitest.HasText(f.Object(), prompt))
	}
	f.severity.SetSelected("Critical")
	if uitest.HasText(f.Object(), prompt) {
		t.Fatal("the prompt stays once a severity is chosen")
	}
}

// A field's error goes as soon as the field is fixed, not at the next
// save; the others stay until theirs are.
func TestAFieldErrorClearsWhenFixed(t *testing.T) {
	// Given an empty form saved: every required field says so
	f, _, _ := newForm(t)
	test.Type(f.quantity, "twelve")
	test.Tap(f.save)
	for _, field := range []string{"supplier_station", "part_ref", "quantity", "category", "severity", "description"} {
		if f.form.ErrorText(field) == "" {
			t.Fatalf("no error under %s", field)
		}
	}
	// When the part is typed, its error goes; the others stay
	test.Type(f.part, "B")
	if f.form.ErrorText("part_ref") != "" || f.form.ErrorText("description") == "" {
		t.Fatalf("after typing the part: part %q, description %q", f.form.ErrorText("part_ref"), f.form.ErrorText("description"))
	}
	// And a quantity still wrong keeps its error until it is a number
	f.quantity.SetText("twelve!")
	if f.form.ErrorText("quantity") == "" {
		t.Fatal("the quantity error went while the quantity is still a word")
	}
	f.quantity.SetText("12")
	// And each field fixed in turn clears its own
	f.station.Pick("CUT1")
	f.category.SetSelectedIndex(0)
	f.severity.SetSelected("Minor")
	test.Type(f.description, "Burr")
	for _, field := range []string{"supplier_station", "quantity", "category", "severity", "description"} {
		if got := f.form.ErrorText(field); got != "" {
			t.Errorf("%s still shows %q once fixed", field, got)
		}
	}
}
