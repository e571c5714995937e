package dashboard

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
)

// Every export of the Export menu opens the save dialog, with the file
// name proposed. They used to crash the app: the dialog was resized
// before Fyne had built its window.
func TestEveryExportOpensTheSaveDialog(t *testing.T) {
	// Given the manager's dashboard
	env, m, _ := setup(t)
	d := New(env, m)
	uitest.Show(env, d.Content().Object)
	d.Load()
	for _, x := range []struct {
		item string
		kind model.ExportKind
	}{
		{"Export complaints (XLSX)", model.ExportComplaintsXLSX}, {"Export complaints (CSV)", model.ExportComplaintsCSV},
		{"Export actions (XLSX)", model.ExportActionsXLSX}, {"Export actions (CSV)", model.ExportActionsCSV},
		{"Monthly report (PDF)", model.ExportMonthlyPDF},
	} {
		item := x.item
		t.Run(item, func(t *testing.T) {
			// When the manager taps Export, then the item of the menu
			export := uitest.FindButton(d.Content().Object, "Export")
			if export == nil {
				t.Fatal("no Export button")
			}
			test.Tap(export)
			menu := uitest.TopOverlay(env.Win)
			if menu == nil || !uitest.TapText(menu, item) {
				t.Fatalf("no menu item %q over the dashboard", item)
			}
			// Then the save dialog opens with the file name proposed, and
			// Cancel closes it
			dlg := uitest.FileDialog(env.Win, "Save")
			if dlg == nil {
				t.Fatalf("no save dialog (top overlay: %T)", uitest.TopOverlay(env.Win))
			}
			if name := FileName(x.kind, d.q, env.Now()); !uitest.HasText(dlg, name) {
				t.Errorf("the save dialog does not propose %s", name)
			}
			uitest.CancelFileDialog(t, env.Win, "Save")
		})
	}
}
