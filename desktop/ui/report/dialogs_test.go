package report

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/uitest"
)

// "Add a photo or file" opens the file dialog over a half-typed complaint,
// and cancelling it keeps what was typed. It used to crash the app: the
// dialog was resized before Fyne had built its window.
func TestAddAFileOpensTheFileDialog(t *testing.T) {
	// Given the report form with a description typed
	f, env, _ := newForm(t)
	test.Type(f.description, "Burr on the edge")
	// When the operator taps "Add a photo or file"
	add := uitest.FindButton(f.Object(), "Add a photo or file")
	if add == nil {
		t.Fatal("no button Add a photo or file")
	}
	test.Tap(add)
	// Then a file dialog opens over the form
	if uitest.FileDialog(env.Win, "Open") == nil {
		t.Fatalf("no file dialog over the form (top overlay: %T)", uitest.TopOverlay(env.Win))
	}
	// And cancelling it leaves the complaint as typed, with no file
	uitest.CancelFileDialog(t, env.Win, "Open")
	if f.description.Text != "Burr on the edge" || len(f.files) != 0 {
		t.Fatalf("after cancelling: description %q, %d files", f.description.Text, len(f.files))
	}
}
