package settings

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
)

func standalone(t *testing.T) *viewmodel.Workstation {
	t.Helper()
	return fixture.Standalone(t, fixture.CheapVerifier)
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
