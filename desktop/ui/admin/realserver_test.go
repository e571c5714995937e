package admin

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"boucle/desktop/syncclient"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/syncserver"
)

// plantServer is a real plant server, in-process on a loopback port:
// its administrator's password and what a test needs to reach it.
type plantServer struct {
	http  *httptest.Server
	admin *syncserver.Admin
	pw    string
}

func startPlant(t *testing.T) *plantServer {
	t.Helper()
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := syncserver.New(store, syncserver.Config{Plant: "test-plant"})
	if err != nil {
		t.Fatal(err)
	}
	p := &plantServer{http: httptest.NewServer(srv.Handler()), admin: srv.Admin()}
	t.Cleanup(func() {
		p.http.Close()
		store.Close()
	})
	if p.pw, err = p.admin.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if err := p.admin.AddStation(context.Background(), "PRESS2", "Press 2"); err != nil {
		t.Fatal(err)
	}
	return p
}

// enrolledAdmin is a workstation of PRESS2 enrolled with the plant, its
// administrator signed in online.
func enrolledAdmin(t *testing.T, p *plantServer) *viewmodel.Workstation {
	t.Helper()
	w, err := viewmodel.OpenWorkstation(t.TempDir(), p.http.URL, syncclient.Config{Verifier: syncclient.VerifierParams{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	en, err := p.admin.EnrolDevice(context.Background(), "PRESS2 by the door", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Enrol(p.http.URL, en.Code, "PRESS2", "press2-pc"); err != nil {
		t.Fatal(err)
	}
	if sess, err := w.SignIn("admin", p.pw); err != nil || sess.Offline {
		t.Fatalf("online sign-in: %+v %v", sess, err)
	}
	return w
}

// TestThroughTheRealServer drives the screen through the view model and
// the admin client against a real plant server: lists, a change and its
// shown-once password, a field error and a refusal in words, and the
// banner once the server is gone.
func TestThroughTheRealServer(t *testing.T) {
	p := startPlant(t)
	w := enrolledAdmin(t, p)
	env, _ := uitest.New(t)
	s := New(env, w)
	uitest.Show(env, s.Object())
	s.Load()
	h := &harness{t: t, env: env, s: s}
	// The server's lists: this workstation among the devices
	if s.dir.Access != model.AdminOnline || s.dir.Local {
		t.Fatalf("access %d local %v, want the server's", s.dir.Access, s.dir.Local)
	}
	if !uitest.HasText(s.lists[tabWorkstations], "press2-pc · “PRESS2 by the door” · PRESS2 · series A · enrolled") {
		t.Fatalf("device not listed: %v", uitest.Texts(s.lists[tabWorkstations], ""))
	}
	if !uitest.HasText(s.lists[tabWorkstations], "this workstation") {
		t.Fatal("this workstation not marked")
	}
	if !uitest.HasText(s.lists[tabCategories], "dimensional · Dimensional / Dimensionnel") {
		t.Fatal("categories not listed")
	}
	// A bad station code: refused by the server, named on its field
	dlg := h.openAdd(tabStations, "Add a station")
	fill(dlg, "cut one!", "Cutting 1")
	h.press(dlg, "Add the station")
	if got := h.fieldError("entity_id"); !strings.Contains(got, "a station code is capital letters") {
		t.Fatalf("station code error = %q (form: %q)", got, s.dialog.form.FormError())
	}
	h.press(h.overlay(), "Cancel")
	// A person without a user id: required, under its field
	dlg = h.openAdd(tabPeople, "Add a person")
	h.press(dlg, "Add the person")
	if got := h.fieldError("entity_id"); got != "is required" {
		t.Fatalf("empty user id error = %q", got)
	}
	h.press(h.overlay(), "Cancel")
	// A person added: the server's password, shown once, signs her in
	dlg = h.openAdd(tabPeople, "Add a person")
	fill(dlg, "marie", "Marie Dupont")
	selects(dlg)[1].SetSelected("PRESS2 · Press 2")
	h.press(dlg, "Add the person")
	pw := entries(h.overlay())[0].Text
	h.press(h.overlay(), "Done")
	if !uitest.HasText(s.lists[tabPeople], "Marie Dupont (marie) · Operator · PRESS2 · enabled") {
		t.Fatalf("not listed from the server: %v", uitest.Texts(s.lists[tabPeople], "marie"))
	}
	// The last administrator cannot step down: said in words
	dlg = h.openRow(tabPeople, "(admin)", "Edit")
	selects(dlg)[0].SetSelected("Operator")
	h.press(dlg, "Save")
	if got := s.dialog.form.FormError(); !strings.Contains(got, "The plant would be left without an enabled administrator") {
		t.Fatalf("last admin refusal = %q", got)
	}
	h.press(h.overlay(), "Cancel")
	// Marie signs in online with the password she was handed
	if sess, err := w.SignIn("marie", pw); err != nil || sess.Offline {
		t.Fatalf("marie: %+v %v", sess, err)
	}
	if _, err := w.SignIn("admin", p.pw); err != nil {
		t.Fatal(err)
	}
	// The server gone: the banner says so, the lists are the last known, changes off
	p.http.Close()
	s.Load()
	if !uitest.HasText(s.Object(), "Administration needs the plant server, which does not answer") {
		t.Fatalf("no banner; access %d", s.dir.Access)
	}
	if !uitest.HasText(s.lists[tabStations], "Last known on this workstation") {
		t.Fatal("last known directory not labelled")
	}
	s.Show(tabPeople)
	if b := uitest.FindButton(s.Object(), "Add a person"); b == nil || !b.Disabled() {
		t.Fatal("adding still offered without the server")
	}
}
