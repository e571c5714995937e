package signin

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/syncclient"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
)

func TestFirstRunStandalone(t *testing.T) {
	// Given a new workstation's first-run screen
	env, _ := uitest.New(t)
	w, err := viewmodel.OpenWorkstation(t.TempDir(), "http://plant:8477", syncclient.Config{Verifier: syncclient.VerifierParams{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	done := false
	f := NewFirstRun(env, w, func() { done = true })
	uitest.Show(env, f.Object())
	// Then the server address comes from the command line
	if f.Server.Text != "http://plant:8477" {
		t.Errorf("server = %q", f.Server.Text)
	}
	// When the two passwords differ
	test.Type(f.LocalStation, "press2")
	test.Type(f.Login, "chef")
	test.Type(f.Password, "long enough")
	test.Type(f.Confirm, "long enougH")
	test.Tap(f.standalone)
	if f.LocalError("confirm") == "" || done {
		t.Fatal("mismatch not reported")
	}
	// When they match
	f.Confirm.SetText("long enough")
	test.Tap(f.standalone)
	// Then the workstation is set up
	if !done || w.FirstRun() || w.Settings().Station != "PRESS2" {
		t.Fatalf("done %v settings %+v", done, w.Settings())
	}
}

func TestFirstRunConnectNeedsACode(t *testing.T) {
	env, _ := uitest.New(t)
	w, err := viewmodel.OpenWorkstation(t.TempDir(), "", syncclient.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	f := NewFirstRun(env, w, func() { t.Fatal("done without enrolment") })
	test.Type(f.Server, "http://127.0.0.1:1")
	test.Tap(f.connect)
	if f.ServerError("enrolment_code") == "" {
		t.Fatal("no error under the enrolment code")
	}
	test.Type(f.Code, "ABCD-1234")
	test.Tap(f.connect)
	if f.ServerError("server") == "" {
		t.Fatal("an unreachable server is not reported under its address")
	}
}
