package settings

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/syncclient"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
)

func standalone(t *testing.T) *viewmodel.Workstation {
	t.Helper()
	w, err := viewmodel.OpenWorkstation(t.TempDir(), "", syncclient.Config{Verifier: syncclient.VerifierParams{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.StartStandalone("PRESS2", "Press 2", "admin", "Admin", "password1"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SignIn("admin", "password1"); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestSaveSettings(t *testing.T) {
	// Given the settings of a standalone workstation
	env, _ := uitest.New(t)
	w := standalone(t)
	s := New(env, w)
	uitest.Show(env, s.Object())
	s.Load()
	if s.station.Selected != "PRESS2 · Press 2" || s.idle.Selected != "After 15 min" {
		t.Fatalf("station %q idle %q", s.station.Selected, s.idle.Selected)
	}
	// When the delay is set to 5 minutes and French chosen
	s.idle.SetSelected("After 5 min")
	s.language.SetSelected("Français")
	test.Tap(uitest.FindButton(s.Object(), "Save the settings"))
	// Then both are saved
	if got := w.Settings(); got.IdleMinutes != 5 || got.Language != "fr" || got.Station != "PRESS2" {
		t.Fatalf("settings = %+v", got)
	}
}

func TestAdminAddsStationAndPerson(t *testing.T) {
	env, _ := uitest.New(t)
	w := standalone(t)
	s := New(env, w)
	uitest.Show(env, s.Object())
	s.Load()
	// A station with a bad code is refused under its field
	entries := entriesOf(s)
	test.Type(entries[0], "cut one!")
	test.Tap(uitest.FindButton(s.Object(), "Add the station"))
	if uitest.HasText(s.Object(), "CUT ONE!") {
		t.Fatal("bad station added")
	}
	// A good one is listed
	entries[0].SetText("CUT1")
	test.Type(entries[1], "Cutting 1")
	test.Tap(uitest.FindButton(s.Object(), "Add the station"))
	if !uitest.HasText(s.Object(), "CUT1 · Cutting 1") {
		t.Fatal("station not listed")
	}
	// A person with a password can then sign in
	entries = entriesOf(s)
	test.Type(entries[2], "marie")
	test.Type(entries[3], "Marie")
	test.Type(entries[4], "marie-pass")
	test.Tap(uitest.FindButton(s.Object(), "Add the person"))
	if !uitest.HasText(s.Object(), "Marie · marie · Operator") {
		t.Fatal("person not listed")
	}
	if _, err := w.SignIn("marie", "marie-pass"); err != nil {
		t.Fatal(err)
	}
}

// entriesOf lists the entries of the admin part, in order: station code,
// station name, login, name, password.
func entriesOf(s *Screen) []*widget.Entry {
	var out []*widget.Entry
	for _, o := range s.admin.Objects {
		uitest.Walk(o, func(c fyne.CanvasObject) bool {
			if e, ok := c.(*widget.Entry); ok {
				out = append(out, e)
			}
			return false
		})
	}
	return out
}
