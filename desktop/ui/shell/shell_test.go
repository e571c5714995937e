package shell

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/syncclient"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/domain"
)

var cheap = fixture.CheapVerifier

// plant sets a standalone workstation up with an admin, an operator, two
// engineers and a manager, all with the password "password1".
func plant(t *testing.T) *viewmodel.Workstation { t.Helper(); return plantWith(t, cheap) }

// plantWith is plant with a sync configuration (its clock: cfg.Now).
func plantWith(t *testing.T, cfg syncclient.Config) *viewmodel.Workstation {
	t.Helper()
	w := fixture.Standalone(t, cfg)
	if err := w.AddStation("CUT1", "Cutting 1"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []domain.User{
		{Login: "marie", DisplayName: "Marie", Role: domain.RoleOperator, Station: "PRESS2"},
		{Login: "paul", DisplayName: "Paul", Role: domain.RoleEngineer},
		{Login: "lea", DisplayName: "Léa", Role: domain.RoleEngineer},
		{Login: "sophie", DisplayName: "Sophie", Role: domain.RoleManager},
	} {
		if err := w.AddLocalUser(u, "password1"); err != nil {
			t.Fatal(err)
		}
	}
	w.SignOut()
	return w
}

func newShell(t *testing.T, w *viewmodel.Workstation) *Shell {
	t.Helper()
	env, _ := uitest.New(t)
	s := New(fyne.CurrentApp(), env.Win, w, w.Model(), ui.Inline)
	t.Cleanup(s.Close)
	return s
}

// signIn signs a user in through the sign-in screen.
func signIn(t *testing.T, s *Shell, login string) {
	t.Helper()
	s.ShowSignIn("")
	si := s.lastSignIn
	test.Type(si.Login, login)
	test.Type(si.Pass, "password1")
	si.Pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.Session().Login != login {
		t.Fatalf("not signed in as %s: %q", login, si.Error())
	}
}

func TestMenuByRole(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	tests := []struct {
		login string
		want  []string
	}{
		{"marie", []string{"report", "mine", "settings"}},
		{"paul", []string{"inbox", "dashboard", "actions", "plant", "plans", "file", "settings"}},
		{"sophie", []string{"inbox", "dashboard", "actions", "plant", "plans", "settings"}},
		{"admin", []string{"inbox", "dashboard", "admin", "settings"}},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			// Given the sign-in screen, when the user signs in
			signIn(t, s, tt.login)
			// Then the menu holds the screens of their role, home first
			if got := s.Screens(); !slices.Equal(got, tt.want) {
				t.Errorf("menu = %v, want %v", got, tt.want)
			}
			if s.title.Text == "" {
				t.Error("no title")
			}
		})
	}
}

func TestQuickSwitchAndWrongPassword(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	signIn(t, s, "marie")
	// When the operator hands over with "Switch user"
	test.Tap(uitest.FindButton(s.win.Content(), "Switch user"))
	// Then the sign-in lists the people of this workstation
	people := s.lastSignIn.People()
	if len(people) != 5 || !slices.Contains(people, "Marie · Operator") {
		t.Fatalf("people = %v", people)
	}
	// And a wrong password is refused with a message
	test.Tap(uitest.FindButton(s.win.Content(), "Paul · Quality engineer"))
	test.Type(s.lastSignIn.Pass, "nope")
	test.Tap(uitest.FindButton(s.win.Content(), "Sign in"))
	if s.Session().Login != "" || !strings.Contains(s.lastSignIn.Error(), "Wrong user or password") {
		t.Fatalf("session %q, error %q", s.Session().Login, s.lastSignIn.Error())
	}
}

func TestNavigationStackAndComplaint(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	signIn(t, s, "marie")
	// The operator's home is the report form itself: no button to press first
	if s.back.Visible() || s.title.Text != "Report a defect" || uitest.FindButton(s.Top(), "Save the complaint") == nil {
		t.Fatalf("home: title %q back %v, form shown %v", s.title.Text, s.back.Visible(), uitest.FindButton(s.Top(), "Save the complaint") != nil)
	}
	filed, err := w.Model().FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X", Quantity: 1, Category: "surface",
		Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "scratch"})
	if err != nil {
		t.Fatal(err)
	}
	// When they go to "My complaints" and open it
	s.ShowID("mine")
	if !uitest.HasText(s.Top(), filed.Number) {
		t.Fatalf("%s not listed", filed.Number)
	}
	s.OpenComplaint(filed.ID)
	if !uitest.HasText(s.Top(), filed.Number) || !uitest.HasText(s.Top(), "What to do") || !s.back.Visible() {
		t.Fatal("complaint screen not shown")
	}
	// Then Back returns to the list
	s.Back()
	if s.back.Visible() || s.title.Text != "My complaints" {
		t.Fatalf("after Back: title %q back %v", s.title.Text, s.back.Visible())
	}
}

func TestSignOutAfterInactivity(t *testing.T) {
	w := plant(t)
	set := w.Settings()
	set.IdleMinutes = 5
	if err := w.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	s := newShell(t, w)
	signIn(t, s, "paul")
	start := time.Now()
	// Four minutes later, still signed in
	s.env.Now = func() time.Time { return start.Add(4 * time.Minute) }
	s.activity.check()
	if s.Session().Login != "paul" {
		t.Fatal("signed out too early")
	}
	// Activity resets the delay
	s.Touch()
	s.env.Now = func() time.Time { return start.Add(8 * time.Minute) }
	s.activity.check()
	if s.Session().Login != "paul" {
		t.Fatal("signed out despite activity")
	}
	// Five minutes after the last activity, signed out, and told why
	s.env.Now = func() time.Time { return start.Add(9*time.Minute + time.Second) }
	s.activity.check()
	if s.Session().Login != "" || !uitest.HasText(s.win.Content(), "Signed out after 5 min without activity.") {
		t.Fatalf("session %q", s.Session().Login)
	}
}

// An action assigned in the very millisecond of the sign-in, after it, is
// news: events are stamped to the millisecond, the session start was not.
func TestNotificationForAnActionOfTheSignInMillisecond(t *testing.T) {
	// Given a store whose clock stands at 08:00:00.000 and Léa signed in at
	// 08:00:00.000500
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	cfg := cheap
	cfg.Now = func() time.Time { return at }
	w := plantWith(t, cfg)
	s := newShell(t, w)
	s.env.Now = func() time.Time { return at.Add(500 * time.Microsecond) }
	m := w.Model()
	m.SetSession(model.Session{Login: "marie", Role: domain.RoleOperator, Station: "PRESS2"})
	filed, err := m.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X", Quantity: 1, Category: "surface",
		Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "scratch"})
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, s, "lea")
	// When Paul assigns her an action, stamped 08:00:00.000
	lea := m.Session()
	m.SetSession(model.Session{Login: "paul", Role: domain.RoleEngineer})
	if err := m.Acknowledge(filed.ID, at.Add(48*time.Hour), "paul", ""); err != nil {
		t.Fatal(err)
	}
	if err := m.AssignAction(filed.ID, model.NewAction{Kind: domain.ActionContainment, Title: "Quarantine the lot", Owner: "lea", Due: at.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	m.SetSession(lea)
	s.notifier.look()
	// Then she is told
	if len(s.notifier.sent) != 1 || !strings.Contains(s.notifier.sent[0].Content, "Quarantine the lot") {
		t.Fatalf("sent = %+v", s.notifier.sent)
	}
}

func TestNotificationForANewAction(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	// Given Léa signed in and a complaint whose solution was chosen
	m := w.Model()
	m.SetSession(model.Session{Login: "marie", Role: domain.RoleOperator, Station: "PRESS2"})
	filed, err := m.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X", Quantity: 1, Category: "surface",
		Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "scratch"})
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, s, "lea")
	if len(s.notifier.sent) != 0 {
		t.Fatalf("notified at sign-in: %v", s.notifier.sent)
	}
	// When Paul (on another workstation, simulated here) assigns her a containment action
	lea := m.Session()
	m.SetSession(model.Session{Login: "paul", Role: domain.RoleEngineer})
	if err := m.Acknowledge(filed.ID, time.Now().Add(48*time.Hour), "paul", ""); err != nil {
		t.Fatal(err)
	}
	if err := m.AssignAction(filed.ID, model.NewAction{Kind: domain.ActionContainment, Title: "Quarantine the lot", Owner: "lea", Due: time.Now().Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	m.SetSession(lea)
	s.notifier.look()
	// Then she gets one notification naming it
	if len(s.notifier.sent) != 1 || !strings.Contains(s.notifier.sent[0].Content, "Quarantine the lot") {
		t.Fatalf("sent = %+v", s.notifier.sent)
	}
	// And when the deadline of a complaint Paul handles passes, Paul is told
	signIn(t, s, "paul")
	s.env.Now = func() time.Time { return time.Now().Add(72 * time.Hour) }
	m.SetClock(s.env.Now)
	s.notifier.look()
	if n := len(s.notifier.sent); n != 2 || s.notifier.sent[1].Title != "Deadline passed" {
		t.Fatalf("sent = %+v", s.notifier.sent)
	}
}
