package detail

import (
	"testing"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/domain"
)

// The complaint's save dialogs open: the 8D report and the copy of a
// photo. They used to crash the app: the dialog was resized before Fyne
// had built its window.
func TestSaveDialogsOfAComplaint(t *testing.T) {
	// Given a complaint filed at this workstation with a photo, which
	// repeats an earlier one (so the engineer is offered the 8D report)
	s := seeded(t)
	fixture.File(t, s, fixture.Filing("Burr on the edge"))
	op := viewmodel.New(s, "PRESS2", nil)
	op.SetSession(model.Session{Login: fixture.Operator.Login, Role: fixture.Operator.Role, Station: "PRESS2"})
	filed, err := op.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "BR-2040", Quantity: 3,
		Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "Burr again",
		Files: []model.File{{Name: "burr.jpg", Data: []byte("\xff\xd8\xff photo")}}})
	if err != nil {
		t.Fatal(err)
	}
	r := open(t, s, fixture.Engineer, filed.ID)
	win := r.sc.env.Win
	t.Run("8D report", func(t *testing.T) {
		// When the engineer taps "8D report (PDF)"
		r.tap("8D report (PDF)")
		// Then the save dialog proposes the report's file name
		d := uitest.FileDialog(win, "Save")
		if d == nil {
			t.Fatalf("no save dialog (top overlay: %T)", uitest.TopOverlay(win))
		}
		if name := "8D-" + filed.Number + ".pdf"; !uitest.HasText(d, name) {
			t.Errorf("the save dialog does not propose %s", name)
		}
		uitest.CancelFileDialog(t, win, "Save")
	})
	t.Run("copy of a photo", func(t *testing.T) {
		// When the engineer opens the Files tab and taps "Save a copy"
		if !uitest.TapText(r.sc.Object(), "Files") {
			t.Fatal("no Files tab")
		}
		r.tap("Save a copy")
		// Then the save dialog proposes the photo's name
		d := uitest.FileDialog(win, "Save")
		if d == nil {
			t.Fatalf("no save dialog (top overlay: %T)", uitest.TopOverlay(win))
		}
		if !uitest.HasText(d, "burr.jpg") {
			t.Error("the save dialog does not propose burr.jpg")
		}
		uitest.CancelFileDialog(t, win, "Save")
	})
}
