package signin

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/syncclient"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/domain"
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

// people is an Auth that knows a few users and signs nobody in.
type people []domain.User

func (people) DefaultServer() string                        { return "" }
func (people) Settings() model.Settings                     { return model.Settings{Station: "PRESS2"} }
func (people) Enrol(string, string, string, string) error   { return nil }
func (people) StartStandalone(_, _, _, _, _ string) error   { return nil }
func (p people) KnownUsers() ([]domain.User, error)         { return p, nil }
func (people) SignIn(string, string) (model.Session, error) { return model.Session{}, nil }

func TestPeopleButtonsHoldTheirNames(t *testing.T) {
	// Given a workstation where a quality engineer with a long name signed in before
	env, _ := uitest.New(t)
	si := NewSignIn(env, people{
		{Login: "julien.moreau", DisplayName: "Julien Moreau", Role: domain.RoleEngineer},
		{Login: "emma.roux", DisplayName: "Emma Roux", Role: domain.RoleOperator},
		{Login: "long", DisplayName: "Marie-Christine de La Tour-Dupont-Villeneuve-Saint-Georges", Role: domain.RoleManager},
	}, "", func(model.Session) {})
	uitest.Show(env, si.Object())
	// When the sign-in lists the people
	si.Load()
	// Then every button is at least as wide as its text needs
	for _, o := range si.people.Objects {
		b := o.(*widget.Button)
		if b.Size().Width < b.MinSize().Width {
			t.Errorf("%q is %.0f px wide, its text needs %.0f", b.Text, b.Size().Width, b.MinSize().Width)
		}
	}
	// And a name too long for the widest button is cut, its role kept
	if got := si.People(); len(got) != 3 || got[0] != "Julien Moreau · Quality engineer" ||
		!strings.HasPrefix(got[2], "Marie-Christine") || !strings.HasSuffix(got[2], "… · Plant manager") {
		t.Errorf("people = %q", got)
	}
}
