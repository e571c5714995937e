package refused_test

import (
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/refused"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

// fake is the view model: refusals in memory.
type fake struct {
	rows       []model.Refusal
	dismissErr error
}

func (f *fake) Refused() ([]model.Refusal, error) { return f.rows, nil }

func (f *fake) DismissRefusal(id string) error {
	if f.dismissErr != nil {
		return f.dismissErr
	}
	for i := range f.rows {
		if f.rows[i].EventID == id {
			f.rows = append(f.rows[:i], f.rows[i+1:]...)
			return nil
		}
	}
	return domain.Errorf(domain.ENotFound, "no refused event %s", id)
}

var at = time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)

// A rule this version does not explain shows the server's own words; a
// plan's refused step opens the plan; a failed dismissal says why and
// keeps the row.
func TestRefusalsScreen(t *testing.T) {
	env, _ := uitest.New(t)
	m := &fake{rows: []model.Refusal{
		{EventID: "e1", Type: domain.PlanApproved, Author: "Claire Martin", RecordedAt: at, RefusedAt: at.Add(time.Minute),
			Rule: "clock.ahead", Code: domain.EInvalid, Message: "this workstation's clock is 2 days ahead", PlanID: "p1"},
		{EventID: "e2", Type: domain.UserUpdated, RefusedAt: at, Code: "weird", Message: "no such thing"},
	}}
	var opened []string
	s := refused.New(env, m, refused.Redo{OpenPlan: func(id string) { opened = append(opened, id) }})
	uitest.Show(env, s.Object())
	s.Load()
	if got := s.Titles(); len(got) != 2 || got[0] != "Preventive plan · Plan approved" || got[1] != "Person edited" {
		t.Fatalf("titles = %v", got)
	}
	// The rule is unknown here, the code is explained in words.
	if !uitest.HasText(s.Object(), "The server found a field that breaks a rule.") || !uitest.HasText(s.Object(), "no such thing") {
		t.Fatal("reasons not shown")
	}
	// Reference data cannot be recorded again from here: one button only.
	n := 0
	uitest.Walk(s.Object(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Record again" {
			n++
		}
		return false
	})
	if n != 1 {
		t.Fatalf("%d record again buttons, want 1", n)
	}
	test.Tap(uitest.FindButton(s.Object(), "Record again"))
	if len(opened) != 1 || opened[0] != "p1" {
		t.Fatalf("opened %v", opened)
	}
	m.dismissErr = errors.New("disk full")
	test.Tap(uitest.FindButton(s.Object(), "Dismiss"))
	if len(s.Titles()) != 2 || !uitest.HasText(s.Object(), "disk full") {
		t.Fatal("a failed dismissal is not shown")
	}
	m.dismissErr = nil
	test.Tap(uitest.FindButton(s.Object(), "Dismiss"))
	if got := s.Titles(); len(got) != 1 || got[0] != "Person edited" {
		t.Fatalf("after dismissal: %v", got)
	}
}
