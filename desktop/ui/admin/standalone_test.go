package admin

import (
	"testing"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/domain"
)

// standalone is a workstation set up without a server, its administrator
// signed in.
func standalone(t *testing.T) *viewmodel.Workstation {
	t.Helper()
	return fixture.Standalone(t, fixture.CheapVerifier)
}

// TestStandaloneWorkstationAdministersItsOwnDirectory: without a server
// the administrator still adds stations and people (what Settings did
// before this screen), on this workstation, through the same forms.
func TestStandaloneWorkstationAdministersItsOwnDirectory(t *testing.T) {
	// Given a standalone workstation
	w := standalone(t)
	env, _ := uitest.New(t)
	s := New(env, w)
	uitest.Show(env, s.Object())
	s.Load()
	h := &harness{t: t, env: env, s: s, f: newFake()}
	if !uitest.HasText(s.Object(), "kept on this computer only") {
		t.Fatal("no standalone banner")
	}
	// A station with a bad code is refused under its field, then a good one listed
	dlg := h.openAdd(tabStations, "Add a station")
	fill(dlg, "cut one!", "Cutting 1")
	h.press(dlg, "Add the station")
	if got := h.fieldError("entity_id"); got == "" {
		t.Fatal("bad station code not refused under its field")
	}
	entries(h.overlay())[0].SetText("CUT1")
	h.press(h.overlay(), "Add the station")
	h.noDialog()
	if !uitest.HasText(s.lists[tabStations], "CUT1 · Cutting 1") {
		t.Fatal("station not listed")
	}
	// A person gets a generated password, shown once, that signs them in here
	dlg = h.openAdd(tabPeople, "Add a person")
	fill(dlg, "marie", "Marie")
	selects(dlg)[1].SetSelected("CUT1 · Cutting 1")
	h.press(dlg, "Add the person")
	pw := entries(h.overlay())[0].Text
	h.press(h.overlay(), "Done")
	if !uitest.HasText(s.lists[tabPeople], "Marie (marie) · Operator · CUT1 · enabled") {
		t.Fatal("person not listed")
	}
	if _, err := w.SignIn("marie", pw); err != nil {
		t.Fatalf("the shown password does not sign in: %v", err)
	}
	if _, err := w.SignIn("admin", "password1"); err != nil {
		t.Fatal(err)
	}
	// Disabled, she can no longer sign in
	dlg = h.openRow(tabPeople, "marie", "Disable")
	fill(dlg, "Left")
	h.press(dlg, "Disable")
	h.noDialog()
	if _, err := w.SignIn("marie", pw); domain.ErrorCode(err) != domain.EForbidden {
		t.Fatalf("a disabled person signed in: %v", err)
	}
	// Workstations need a server
	s.Show(tabWorkstations)
	if b := uitest.FindButton(s.Object(), "New enrolment code"); b == nil || !b.Disabled() {
		t.Fatal("enrolment offered without a server")
	}
}
