package plans

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// managerPassword is the only password the test verifier accepts.
type managerPassword struct{}

func (managerPassword) CheckPassword(login, pw string) error {
	if login == fixture.Manager.Login && pw == "correct horse" {
		return nil
	}
	return errors.New("no")
}

func setup(t *testing.T, as boltstore.Actor) (ui.Env, *uitest.Nav, *viewmodel.Model, *boltstore.Store) {
	t.Helper()
	env, nav := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := viewmodel.New(s, "", managerPassword{})
	m.SetSession(model.Session{Login: as.Login, Role: as.Role})
	return env, nav, m, s
}

func TestApprovingAPlan(t *testing.T) {
	// Given a plan submitted for approval, seen by the manager
	env, _, m, s := setup(t, fixture.Manager)
	a := fixture.File(t, s, fixture.Filing("Burr"))
	id := fixture.Submitted(t, s, a)
	l := NewList(env, m, func(string) {})
	uitest.Show(env, l.Object())
	l.Load()
	if len(l.Plans()) != 1 || l.Plans()[0].Status != domain.PlanStatusSubmitted {
		t.Fatalf("plans = %+v", l.Plans())
	}
	// When they open it
	l.Open(id)
	sc := l.current
	if got := sc.Choices(); len(got) != 2 || got[0] != "Approve" || got[1] != "Reject" {
		t.Fatalf("choices = %v", got)
	}
	// And approve with a wrong password
	test.Tap(uitest.FindButton(sc.Object(), "Approve"))
	if !uitest.HasText(sc.Object(), "I approve this preventive plan") {
		t.Error("the meaning of the signature is not shown")
	}
	test.Type(sc.Input("comment").(*widget.Entry), "Go ahead")
	test.Type(sc.Input("password").(*widget.Entry), "wrong")
	test.Tap(sc.Submit())
	// Then the password field says so and the plan is still submitted
	if sc.FieldError("password") == "" {
		t.Fatal("no password error")
	}
	if sc.Plan().Status != domain.PlanStatusSubmitted {
		t.Fatal("approved with a wrong password")
	}
	// When they type the right one
	pw := sc.Input("password").(*widget.Entry)
	pw.SetText("")
	test.Type(pw, "correct horse")
	test.Tap(sc.Submit())
	// Then the plan is approved and the signature shows who, when and its meaning
	p := sc.Plan()
	if p.Status != domain.PlanStatusApproved || len(p.SignOffs) != 1 || p.SignOffs[0].By != fixture.Manager.Login {
		t.Fatalf("plan = %+v", p)
	}
	if !strings.Contains(p.SignOffs[0].Meaning, "I approve") || p.SignOffs[0].Comment != "Go ahead" {
		t.Errorf("sign-off = %+v", p.SignOffs[0])
	}
	if !uitest.HasText(sc.Object(), "Approved by Sophie Bernard (Plant manager)") {
		t.Errorf("signature not shown: %v", uitest.Texts(sc.Object(), "by"))
	}
}

func TestRejectingAPlanNeedsAComment(t *testing.T) {
	env, _, m, s := setup(t, fixture.Manager)
	id := fixture.Submitted(t, s, fixture.File(t, s, fixture.Filing("Burr")))
	l := NewList(env, m, func(string) {})
	l.Load()
	l.Open(id)
	sc := l.current
	test.Tap(uitest.FindButton(sc.Object(), "Reject"))
	test.Type(sc.Input("password").(*widget.Entry), "correct horse")
	test.Tap(sc.Submit())
	if sc.FieldError("comment") == "" {
		t.Fatalf("no comment error (plan %s)", sc.Plan().Status)
	}
}

func TestDraftingAPlanFromComplaints(t *testing.T) {
	// Given two complaints against CUT1 and an engineer on the plans screen
	env, _, m, s := setup(t, fixture.Engineer)
	a := fixture.File(t, s, fixture.Filing("Burr"))
	fixture.File(t, s, fixture.Filing("Burr again"))
	l := NewList(env, m, func(string) {})
	uitest.Show(env, l.Object())
	l.Load()
	// When they start a new plan, pick CUT1 and one complaint, and name it
	test.Tap(uitest.FindButton(l.Object(), "New plan from complaints"))
	draft := l.draft
	draft.station.SetSelected("CUT1 · Cutting 1")
	if len(draft.Candidates()) != 2 {
		t.Fatalf("candidates = %d", len(draft.Candidates()))
	}
	draft.Pick(a)
	test.Type(draft.title, "Die wear checks")
	test.Tap(draft.save)
	// Then the plan is drafted with that complaint, and opened
	sc := l.current
	p := sc.Plan()
	if p.Title != "Die wear checks" || len(p.Complaints) != 1 || p.Complaints[0] != a || p.Status != domain.PlanStatusDraft {
		t.Fatalf("plan = %+v", p)
	}
	// When they add an action and submit
	test.Tap(uitest.FindButton(sc.Object(), "Add a preventive action"))
	test.Type(sc.Input("title").(*widget.Entry), "Weekly die check")
	sc.Input("owner").(*widget.Select).SetSelected("Léa Petit")
	test.Tap(sc.Submit())
	test.Tap(uitest.FindButton(sc.Object(), "Submit for approval"))
	test.Tap(sc.Submit())
	// Then it waits for a manager, with its action
	if p := sc.Plan(); p.Status != domain.PlanStatusSubmitted || len(p.Actions) != 1 {
		t.Fatalf("plan = %+v", p)
	}
}

func TestEffectivenessBadge(t *testing.T) {
	// Given a plan over a CUT1 complaint, approved and started
	env, _, m, s := setup(t, fixture.Manager)
	id := fixture.Submitted(t, s, fixture.File(t, s, fixture.Filing("Burr")))
	if err := m.SignPlan(id, true, "Go", "I approve", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := m.StartPlan(id); err != nil {
		t.Fatal(err)
	}
	l := NewList(env, m, func(string) {})
	uitest.Show(env, l.Object())
	l.Load()
	// When the manager opens it
	l.Open(id)
	// Then it is measured pending, with the days left
	if !uitest.HasText(l.current.Object(), "Measured: pending, 9") || !uitest.HasText(l.current.Object(), "days left") {
		t.Errorf("badge = %v", uitest.Texts(l.current.Object(), "Measured"))
	}
	// When the problem comes back, then the badge names the proving complaint
	again := fixture.File(t, s, fixture.Filing("Burr again"))
	d, err := m.Complaint(again)
	if err != nil {
		t.Fatal(err)
	}
	l.Open(id)
	if want := "Measured: ineffective (" + d.Complaint.Number + ")"; !uitest.HasText(l.current.Object(), want) {
		t.Errorf("badge = %v, want %q", uitest.Texts(l.current.Object(), "Measured"), want)
	}
}
