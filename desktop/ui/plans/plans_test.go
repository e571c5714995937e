package plans

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"text/template"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
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
	test.Type(uitest.Entry(sc.Input("comment")), "Go ahead")
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

func TestDraftCandidatesShowTheirTextUnticked(t *testing.T) {
	// Given two complaints against CUT1 and an engineer drafting a plan
	env, _, m, s := setup(t, fixture.Engineer)
	fixture.File(t, s, fixture.Filing("Burr on the bracket"))
	fixture.File(t, s, fixture.Filing("Sharp edge on the bracket"))
	l := NewList(env, m, func(string) {})
	uitest.Show(env, l.Object())
	l.Load()
	test.Tap(uitest.FindButton(l.Object(), "New plan from complaints"))
	// When they pick the supplier station, ticking nothing
	l.draft.station.SetSelected("CUT1 · Cutting 1")
	// Then every candidate's box shows its number, description, filing
	// station and date, unticked
	for _, c := range l.draft.Candidates() {
		drawn := uitest.Drawn(l.draft.Object(), c.Number)
		if len(drawn) != 1 {
			t.Fatalf("candidate %s drawn as %q", c.Number, drawn)
		}
		for _, want := range []string{firstLine(c.Summary), "PRESS2", i18n.Date(c.FiledAt)} {
			if !strings.Contains(drawn[0], want) {
				t.Errorf("candidate %q lacks %q", drawn[0], want)
			}
		}
	}
}

func TestSignatureReadsWithoutDoubleFullStop(t *testing.T) {
	// Given a plan the manager approved
	env, _, m, s := setup(t, fixture.Manager)
	id := fixture.Submitted(t, s, fixture.File(t, s, fixture.Filing("Burr")))
	if err := m.SignPlan(id, true, "Go ahead", Meaning(true), "correct horse"); err != nil {
		t.Fatal(err)
	}
	// When the plan is shown
	sc := NewScreen(env, m, id, func(string) {})
	uitest.Show(env, sc.Object())
	sc.Load()
	// Then the meaning is quoted whole, with no full stop after the quote
	if !uitest.HasText(sc.Object(), "“"+Meaning(true)+"”") {
		t.Errorf("meaning not shown: %q", uitest.Texts(sc.Object(), "Meaning"))
	}
	if bad := uitest.Texts(sc.Object(), "”."); len(bad) > 0 {
		t.Errorf("double full stop: %q", bad)
	}
	if !uitest.HasText(sc.Object(), "Go ahead") {
		t.Error("the comment is not shown")
	}
}

func TestSignatureTemplatesInBothLanguages(t *testing.T) {
	// Every sentence that quotes a signature's meaning, filled with the
	// meanings of its own language, ends the quote without a second stop.
	files, err := i18n.Files()
	if err != nil {
		t.Fatal(err)
	}
	for lng, b := range files {
		var keys map[string]string
		if err := json.Unmarshal(b, &keys); err != nil {
			t.Fatal(err)
		}
		for key, text := range keys {
			if !strings.Contains(text, "{{.Meaning}}") {
				continue
			}
			for _, meaning := range []string{keys["plan.meaning_approve"], keys["plan.meaning_reject"]} {
				var out strings.Builder
				if err := template.Must(template.New(key).Parse(text)).Execute(&out, map[string]any{"Meaning": meaning}); err != nil {
					t.Fatal(err)
				}
				for _, bad := range []string{".”.", ". ».", ".\u00a0».", ".»."} {
					if strings.Contains(out.String(), bad) {
						t.Errorf("%s %s reads %q", lng, key, out.String())
					}
				}
			}
		}
	}
}
