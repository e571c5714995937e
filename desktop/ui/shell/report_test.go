package shell

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/uitest"
)

// typeHere types into the focused field, as a keyboard does.
func typeHere(t *testing.T, c fyne.Canvas, text string) {
	t.Helper()
	f := c.Focused()
	if f == nil {
		t.Fatalf("nothing focused to type %q into", text)
	}
	test.Type(f, text)
}

// fileByKeyboard fills the operator's form with the keyboard only, from
// the station field focused at landing, up to the description.
func fileByKeyboard(t *testing.T, c fyne.Canvas) {
	t.Helper()
	typeHere(t, c, "CUT1")
	uitest.PressKey(c, fyne.KeyReturn) // picks CUT1, moves to the part
	fileFromThePart(t, c)
}

// fileFromThePart fills the rest of the form with the keyboard, from the
// part focused (the supplier station kept from the last filing).
func fileFromThePart(t *testing.T, c fyne.Canvas) {
	t.Helper()
	typeHere(t, c, "BR-2040")
	uitest.PressKey(c, fyne.KeyReturn) // to the lot
	typeHere(t, c, "L-0917")           // scanned: the scanner's Enter follows
	uitest.PressKey(c, fyne.KeyReturn) // to the quantity
	typeHere(t, c, "12")
	uitest.PressKey(c, fyne.KeyReturn) // to the category
	uitest.PressKey(c, fyne.KeyRight)  // its first one
	uitest.PressTab(c, false)          // to the severity
	uitest.PressKey(c, fyne.KeyRight)  // Minor
	uitest.PressKey(c, fyne.KeyRight)  // Major
	uitest.PressTab(c, false)          // to the kind (a complaint)
	uitest.PressTab(c, false)          // to the description
	typeHere(t, c, "Burr on the edge")
}

// The operator lands on the form itself, the focus in the supplier
// station, and files a complaint with the keyboard only.
func TestOperatorFilesWithTheKeyboardOnly(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	signIn(t, s, "marie")
	c := s.win.Canvas()
	// Then home is the form, ready to type into
	if s.title.Text != "Report a defect" || uitest.FindButton(s.Top(), "Save the complaint") == nil {
		t.Fatalf("home is %q, without the form", s.title.Text)
	}
	if e := uitest.Entry(c.Focused()); e == nil || e.PlaceHolder != "Type a code or a name" {
		t.Fatalf("focus at landing: %T, want the supplier station", c.Focused())
	}
	// When they fill it and press Ctrl+S
	fileByKeyboard(t, c)
	uitest.PressShortcut(c, uitest.CtrlS)
	// Then it is saved, and the number shown
	if !uitest.HasText(s.Top(), "Saved as PRESS2-") {
		t.Fatalf("not saved; the form shows %q", uitest.Texts(s.Top(), "required"))
	}
}

// Ctrl+S files the form only while it is shown: with a complaint opened
// over it, the form's shortcut is gone; back on the form, it is there.
func TestSubmitShortcutOnlyWhileTheFormIsShown(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	signIn(t, s, "marie")
	c := s.win.Canvas()
	fileByKeyboard(t, c)
	// When a view is opened over the form (a similar complaint, say)
	s.Push("Complaint", widget.NewLabel("a complaint"))
	c.Focus(nil)
	uitest.PressShortcut(c, uitest.CtrlS)
	s.Back()
	// Then nothing was filed behind it
	if uitest.HasText(s.Top(), "Saved as") {
		t.Fatal("Ctrl+S filed the hidden form")
	}
	// And back on the form, Ctrl+S files it
	c.Focus(nil)
	uitest.PressShortcut(c, uitest.CtrlS)
	if !uitest.HasText(s.Top(), "Saved as PRESS2-") {
		t.Fatal("Ctrl+S did not file the form shown")
	}
}

// Leaving the form with a draft asks: stay, keep the draft (it comes back
// with a line saying so), or discard it.
func TestLeavingTheFormWithADraftAsks(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	signIn(t, s, "marie")
	c := s.win.Canvas()
	typeHere(t, c, "CUT1")
	uitest.PressKey(c, fyne.KeyReturn)
	typeHere(t, c, "BR-2040")
	question := "Keep this complaint as a draft?"
	leave := func() {
		t.Helper()
		test.Tap(uitest.FindButton(s.win.Content(), "My complaints"))
		if top := uitest.TopOverlay(s.win); top == nil || !uitest.HasText(top, question) {
			t.Fatalf("leaving asked nothing (title now %q)", s.title.Text)
		}
	}
	// When they go to "My complaints" (twice: one question) and choose to stay
	leave()
	test.Tap(uitest.FindButton(s.win.Content(), "My complaints"))
	if n := len(s.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d questions shown, want 1", n)
	}
	test.Tap(uitest.FindButton(uitest.TopOverlay(s.win), "Stay on the form"))
	if uitest.TopOverlay(s.win) != nil || s.title.Text != "Report a defect" {
		t.Fatalf("after Stay: title %q", s.title.Text)
	}
	// When they leave keeping the draft
	leave()
	test.Tap(uitest.FindButton(uitest.TopOverlay(s.win), "Keep the draft"))
	if s.title.Text != "My complaints" {
		t.Fatalf("after Keep: title %q", s.title.Text)
	}
	// Then coming back restores it, and says so
	test.Tap(uitest.FindButton(s.win.Content(), "Report a defect"))
	if !uitest.HasText(s.Top(), "Draft restored, from ") {
		t.Fatal("no draft restored")
	}
	if d, ok, _ := w.Model().ReportDraft(); !ok || d.PartRef != "BR-2040" {
		t.Fatalf("draft %+v %v", d, ok)
	}
	// When they leave discarding it
	leave()
	test.Tap(uitest.FindButton(uitest.TopOverlay(s.win), "Discard it"))
	if s.title.Text != "My complaints" {
		t.Fatalf("after Discard: title %q", s.title.Text)
	}
	if _, ok, _ := w.Model().ReportDraft(); ok {
		t.Fatal("the draft is still there after Discard")
	}
	// And an empty form leaves without asking
	test.Tap(uitest.FindButton(s.win.Content(), "Report a defect"))
	test.Tap(uitest.FindButton(s.win.Content(), "My complaints"))
	if uitest.TopOverlay(s.win) != nil || s.title.Text != "My complaints" || strings.Contains(s.title.Text, "Report") {
		t.Fatalf("an empty form asked, or stayed: %q", s.title.Text)
	}
}
