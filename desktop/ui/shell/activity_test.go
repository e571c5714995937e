package shell

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/widgets"
)

// Typing in a multi-line field (a long description) is activity, like
// typing in a one-line field: the operator is not signed out mid-sentence.
func TestTypingInAMultiLineFieldIsActivity(t *testing.T) {
	// Given an operator signed in on a workstation that signs out after 5 min
	w := plant(t)
	set := w.Settings()
	set.IdleMinutes = 5
	if err := w.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	s := newShell(t, w)
	signIn(t, s, "paul")
	start := time.Now()
	desc := widgets.NewMultiLineEntry()
	s.win.SetContent(desc)
	s.win.Canvas().Focus(desc)
	// When they type for four minutes, then four more
	s.env.Now = func() time.Time { return start.Add(4 * time.Minute) }
	test.Type(desc, "Burr on the edge")
	s.activity.check()
	s.env.Now = func() time.Time { return start.Add(8 * time.Minute) }
	test.Type(desc, ", lot L-0917")
	s.activity.check()
	// Then they are still signed in
	if s.Session().Login != "paul" {
		t.Fatal("signed out while typing a description")
	}
}
