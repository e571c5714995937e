package actions

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// withAction returns a store with one open corrective action owned by
// Léa on a complaint Paul handles.
func withAction(t *testing.T) (*boltstore.Store, string) {
	t.Helper()
	s := fixture.Open(t)
	fixture.Seed(t, s)
	id := fixture.Proposed(t, s, "Burr")
	fixture.Do(t, s, fixture.Operator, domain.ComplaintSolutionChosen, id, &domain.ChooseSolutionPayload{SolutionID: "S1"})
	m := viewmodel.New(s, "", nil)
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer})
	if err := m.AssignAction(id, model.NewAction{Kind: domain.ActionCorrective, Title: "Replace die", Owner: fixture.Engineer2.Login, Due: time.Now().Add(-time.Hour).Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return s, id
}

func TestBoardMarkDoneAndVerify(t *testing.T) {
	// Given Léa's board with her open action
	s, _ := withAction(t)
	env, _ := uitest.New(t)
	m := viewmodel.New(s, "", nil)
	m.SetSession(model.Session{Login: fixture.Engineer2.Login, Role: domain.RoleEngineer})
	b := NewBoard(env, m, func(string) {})
	uitest.Show(env, b.Object())
	b.Load()
	if len(b.Rows()) != 1 || !uitest.HasText(b.Object(), "To start (1)") {
		t.Fatalf("rows %+v", b.Rows())
	}
	// When she starts it, then marks it done
	test.Tap(uitest.FindButton(b.Object(), "Start"))
	if b.Rows()[0].Status != domain.ActionStatusInProgress || !uitest.HasText(b.Object(), "In progress (1)") {
		t.Fatalf("after start: %s", b.Rows()[0].Status)
	}
	test.Tap(uitest.FindButton(b.Object(), "Mark done"))
	// Then it leaves her board (she owns no pending action any more)
	if len(b.Rows()) != 0 {
		t.Fatalf("rows after done = %+v", b.Rows())
	}
	// And lands on Paul's, who handles the complaint, to verify
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer})
	b.Load()
	if len(b.Rows()) != 1 || !uitest.HasText(b.Object(), "Done, to verify (1)") {
		t.Fatalf("Paul's board = %+v", b.Rows())
	}
	// When Paul finds it effective
	test.Tap(uitest.FindButton(b.Object(), "Effective"))
	// Then it is verified and off the board
	if len(b.Rows()) != 0 {
		t.Fatalf("rows after verifying = %+v", b.Rows())
	}
}

func TestPlantListOverdue(t *testing.T) {
	// Given one action due in an hour
	s, _ := withAction(t)
	env, _ := uitest.New(t)
	m := viewmodel.New(s, "", nil)
	m.SetSession(model.Session{Login: fixture.Manager.Login, Role: domain.RoleManager})
	p := NewPlant(env, m, func(string) {})
	uitest.Show(env, p.Object())
	p.Load()
	if len(p.Rows()) != 1 || p.Rows()[0].Station != "CUT1" {
		t.Fatalf("rows = %+v", p.Rows())
	}
	// When the manager asks for overdue ones only
	station, overdue := p.Filters()
	overdue.SetChecked(true)
	if len(p.Rows()) != 0 {
		t.Fatalf("overdue rows = %+v", p.Rows())
	}
	// And two hours later it is overdue, and filtering by PAINT hides it
	m.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	env.Now = m.Now
	overdue.SetChecked(false)
	overdue.SetChecked(true)
	if len(p.Rows()) != 1 {
		t.Fatalf("overdue rows later = %+v", p.Rows())
	}
	station.SetSelected("PAINT · Paint shop")
	if len(p.Rows()) != 0 {
		t.Fatalf("PAINT rows = %+v", p.Rows())
	}
}
