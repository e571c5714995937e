package shell

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// refuse files a complaint as marie and has it refused the way the sync
// client records a server's refusal (Tx.Reject with the server's reason).
func refuse(t *testing.T, w *viewmodel.Workstation, nc model.NewComplaint) model.Filed {
	t.Helper()
	if _, err := w.SignIn("marie", "password1"); err != nil {
		t.Fatal(err)
	}
	filed, err := w.Model().FileComplaint(nc)
	if err != nil {
		t.Fatal(err)
	}
	w.SignOut()
	err = w.Store().Update(func(tx *boltstore.Tx) error {
		st, err := tx.Timeline(filed.ID)
		if err != nil {
			return err
		}
		e := st[0].Event
		return tx.Reject(&e, domain.EConflict, "complaint.number_taken: number "+filed.Number+
			" already belongs to another complaint: file it again on this workstation to get a number of its own")
	})
	if err != nil {
		t.Fatal(err)
	}
	return filed
}

// A filing the server refused stays visible with the reason in words; the
// operator opens it from the status bar and records it again from the
// form filled as it was, which handles it.
func TestRefusedFilingIsRecordedAgain(t *testing.T) {
	w := plant(t)
	typed := model.NewComplaint{SupplierStation: "CUT1", PartRef: "BRK-2231", Lot: "L0815", Quantity: 12, Category: "surface",
		Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "Burrs on the inner edge",
		Files: []model.File{{Name: "burr.jpg", Data: []byte("\xff\xd8\xff a photo")}}}
	refusedFiling := refuse(t, w, typed)
	s := newShell(t, w)
	signIn(t, s, "marie")

	// Given the status bar counts the refusal, when the operator opens it
	bar := s.bar.RefusedButton()
	if !bar.Visible() || bar.Text != "1 refused" {
		t.Fatalf("refused button %q visible %v", bar.Text, bar.Visible())
	}
	test.Tap(bar)
	// Then the screen lists it: number, what, who, and why in words
	if s.title.Text != "Refused by the server" {
		t.Fatalf("title %q", s.title.Text)
	}
	top := s.Top()
	for _, want := range []string{refusedFiling.Number + " · Complaint filed", "Recorded by Marie on",
		"Another complaint already has this number", "The server said: number " + refusedFiling.Number} {
		if !uitest.HasText(top, want) {
			t.Errorf("the refusals screen does not show %q", want)
		}
	}

	// When they record it again, the report form opens filled as it was
	test.Tap(uitest.FindButton(top, "Record again"))
	if s.title.Text != "Report a defect" || s.lastRefill == nil {
		t.Fatalf("record again opened %q", s.title.Text)
	}
	got := s.lastRefill.Values()
	if got.SupplierStation != typed.SupplierStation || got.PartRef != typed.PartRef || got.Lot != typed.Lot || got.Quantity != typed.Quantity ||
		got.Category != typed.Category || got.Severity != typed.Severity || got.Kind != typed.Kind || got.Description != typed.Description ||
		len(got.Files) != 1 || got.Files[0].Name != "burr.jpg" {
		t.Fatalf("form filled with %+v, want %+v", got, typed)
	}
	// And saving files a new complaint, with a number of its own
	test.Tap(uitest.FindButton(s.Top(), "Save the complaint"))
	if saved := s.lastRefill.SavedText(); !strings.HasPrefix(saved, "Saved as ") || strings.Contains(saved, refusedFiling.Number+".") {
		t.Fatalf("saved: %q", saved)
	}

	// Then, back on the list, the refusal is handled: it is gone
	s.Back()
	if !uitest.HasText(s.Top(), "Nothing is waiting") || uitest.HasText(s.Top(), refusedFiling.Number) {
		t.Fatal("the refusal filed again is still listed")
	}
	left, err := w.Model().Refused()
	if err != nil || len(left) != 0 {
		t.Fatalf("refusals left: %v, %v", left, err)
	}
}

// Another refused change opens its complaint, to take the step again.
func TestRefusedStepOpensItsComplaint(t *testing.T) {
	w := plant(t)
	if _, err := w.SignIn("marie", "password1"); err != nil {
		t.Fatal(err)
	}
	filed, err := w.Model().FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X", Quantity: 1, Category: "surface",
		Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "scratch"})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := w.Store().Record(boltstore.Actor{Login: "marie", Role: domain.RoleOperator}, boltstore.Command{Type: domain.ComplaintMessagePosted,
		EntityID: filed.ID, Payload: &domain.MessagePayload{Text: "photo to follow"}})
	if err != nil {
		t.Fatal(err)
	}
	w.SignOut()
	err = w.Store().Update(func(tx *boltstore.Tx) error {
		return tx.Reject(&evs[0], domain.EForbidden, "sync.author: the server could not check the author's signature")
	})
	if err != nil {
		t.Fatal(err)
	}
	s := newShell(t, w)
	signIn(t, s, "marie")
	r := s.OpenRefused()
	if titles := r.Titles(); len(titles) != 1 || titles[0] != filed.Number+" · Message posted" {
		t.Fatalf("refusals = %v", titles)
	}
	if !uitest.HasText(s.Top(), "The server could not confirm who recorded this change") {
		t.Fatal("the reason is not in words")
	}
	test.Tap(uitest.FindButton(s.Top(), "Record again"))
	if s.title.Text != "Complaint" {
		t.Fatalf("record again opened %q", s.title.Text)
	}
}
