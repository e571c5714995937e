package shell

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

func TestProblemPagesFromTheComplaintAndTheDashboard(t *testing.T) {
	// Given two complaints of one problem, and the engineer signed in
	w := plant(t)
	s := newShell(t, w)
	signIn(t, s, "marie")
	var ids []string
	for _, d := range []string{"Burrs on the edge of the bracket, sharp to the touch", "Sharp burrs on the bracket edge again"} {
		filed, err := w.Model().FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "BR-2040", Quantity: 1,
			Category: "surface", Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: d})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, filed.ID)
	}
	signIn(t, s, "paul")
	// When they open the second complaint and tap "Open the problem"
	s.OpenComplaint(ids[1])
	open := uitest.FindButton(s.Top(), "Open the problem")
	if open == nil {
		t.Fatalf("no problem panel: %v", uitest.Texts(s.Top(), "roblem"))
	}
	test.Tap(open)
	// Then the problem's page is shown over it, with both complaints
	if s.title.Text != "Problem" || !uitest.HasText(s.Top(), "Complaints per month") {
		t.Fatalf("title %q: %v", s.title.Text, uitest.Texts(s.Top(), ""))
	}
	// When they open the list of recurrences from the dashboard
	s.ShowID("dashboard")
	test.Tap(uitest.FindButton(s.Top(), "Every recurrence of the period (1)"))
	// Then it is shown, the second complaint in it
	if s.title.Text != "Recurrences" || !uitest.HasText(s.Top(), "no prevention before") {
		t.Fatalf("title %q: %v", s.title.Text, uitest.Texts(s.Top(), ""))
	}
}
