package plans

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/uitest"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

func TestPlanListFiltersByStatus(t *testing.T) {
	// Given a submitted plan and a draft one
	env, _, m, s := setup(t, fixture.Manager)
	c := fixture.File(t, s, fixture.Filing("Burr"))
	submitted := fixture.Submitted(t, s, c)
	fixture.Do(t, s, fixture.Engineer, domain.PlanDrafted, "", &domain.PlanContentPayload{
		Title: "Paint racks", SupplierStation: "PAINT", Categories: []string{"surface"}})
	l := NewList(env, m, func(string) {})
	uitest.Show(env, l.Object())
	l.Load()
	if len(l.Plans()) != 2 {
		t.Fatalf("plans = %d", len(l.Plans()))
	}
	// When the manager shows the submitted ones only
	l.status.SetSelected("Submitted for approval")
	// Then the list holds the plan waiting for her, and says so on screen
	if got := l.Plans(); len(got) != 1 || got[0].ID != submitted {
		t.Fatalf("submitted = %+v", got)
	}
	if uitest.HasText(l.Object(), "Paint racks") {
		t.Error("the draft is still drawn")
	}
	// When she shows every status again, both are back
	l.status.SetSelectedIndex(0)
	if len(l.Plans()) != 2 {
		t.Fatalf("all = %d", len(l.Plans()))
	}
}

func TestPlanShowsTheRootCausesOfItsComplaints(t *testing.T) {
	// Given a plan over a complaint analysed with five whys and a root cause
	env, _, m, s := setup(t, fixture.Manager)
	c := fixture.Acknowledged(t, s, "Burr on the bracket")
	whys := []string{"Burr on the edge", "Worn punch", "Punch changed too late"}
	root, ish := "Punch change interval not followed", domain.IshikawaMachine
	fixture.Do(t, s, fixture.Engineer, domain.ComplaintAnalysisRecorded, c, &domain.AnalysisPayload{Whys: &whys, RootCause: &root, Ishikawa: &ish})
	id := fixture.Submitted(t, s, c)
	// When the manager opens the plan
	sc := NewScreen(env, m, id, func(string) {})
	uitest.Show(env, sc.Object())
	sc.Load()
	// Then its root causes are there, with the whys that led to them
	for _, want := range []string{"Root causes", root, "Worn punch", "Punch changed too late"} {
		if !uitest.HasText(sc.Object(), want) {
			t.Errorf("no %q on the plan", want)
		}
	}
}

func TestCarryingAComplaintsPreventiveActionIntoAPlan(t *testing.T) {
	// Given a complaint with a preventive action, and a draft plan against the same station
	env, _, m, s := setup(t, fixture.Engineer)
	c := fixture.Acknowledged(t, s, "Burr on the bracket")
	due := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	fixture.Do(t, s, fixture.Engineer, domain.ActionAssigned, "", &domain.ActionAssignedPayload{
		Kind: domain.ActionPreventive, Title: "Weekly die check", Owner: fixture.Engineer2.Login, Due: due, ComplaintID: c})
	evs, err := s.Record(fixture.Engineer, boltstoreDraft("Die wear at CUT1"))
	if err != nil {
		t.Fatal(err)
	}
	plan := evs[0].EntityID
	sc := NewScreen(env, m, plan, func(string) {})
	uitest.Show(env, sc.Object())
	sc.Load()
	// When the engineer picks it from the complaints' preventive actions
	test.Tap(uitest.FindButton(sc.Object(), "Add a complaint's preventive action"))
	pick := sc.Input("action").(*widget.Select)
	if len(pick.Options) != 1 {
		t.Fatalf("options = %q", pick.Options)
	}
	pick.SetSelectedIndex(0)
	test.Tap(sc.Submit())
	// Then the plan holds a copy with its title, owner and due date, and names the complaint
	p := sc.Plan()
	if len(p.Actions) != 1 || len(p.Complaints) != 1 || p.Complaints[0] != c {
		t.Fatalf("plan = %+v (%s)", p, sc.FieldError("action"))
	}
	d, err := m.Plan(plan)
	if err != nil {
		t.Fatal(err)
	}
	a := d.Actions[0]
	if a.Title != "Weekly die check" || a.Owner != fixture.Engineer2.Login || !a.Due.Equal(due) || a.PlanID != plan || a.Kind != domain.ActionPreventive {
		t.Errorf("action = %+v", a)
	}
	// And the same action is not offered twice: the panel says none is left
	test.Tap(uitest.FindButton(sc.Object(), "Add a complaint's preventive action"))
	if sc.Input("action") != nil || !uitest.HasText(sc.Object(), "No preventive action of a complaint") || !sc.Submit().Disabled() {
		t.Errorf("offered again: %v", sc.Input("action"))
	}
}

func boltstoreDraft(title string) boltstore.Command {
	return boltstore.Command{Type: domain.PlanDrafted, Payload: &domain.PlanContentPayload{
		Title: title, SupplierStation: "CUT1", Categories: []string{"dimensional"}}}
}

func TestDraftWithAStationPicked(t *testing.T) {
	// Given two complaints against CUT1
	env, _, m, s := setup(t, fixture.Engineer)
	fixture.File(t, s, fixture.Filing("Burr"))
	fixture.File(t, s, fixture.Filing("Burr again"))
	// When the new plan's form opens with CUT1 picked in advance
	d := NewDraft(env, m, func(string) {})
	d.Preselect("CUT1")
	uitest.Show(env, d.Object())
	d.Load()
	// Then CUT1 is chosen and its complaints are offered
	if d.station.Selected != "CUT1 · Cutting 1" || len(d.Candidates()) != 2 {
		t.Fatalf("station %q, %d candidates", d.station.Selected, len(d.Candidates()))
	}
}

// The new plan's category starts at "All", as it counts: it showed
// "(choose)" though every category was taken.
func TestDraftCategoryShowsAll(t *testing.T) {
	env, _, m, _ := setup(t, fixture.Engineer)
	d := NewDraft(env, m, func(string) {})
	uitest.Show(env, d.Object())
	d.Load()
	if d.category.Selected != "All" {
		t.Fatalf("category shows %q", d.category.Selected)
	}
	if _, category := d.selection(); category != "" {
		t.Fatalf("category %q, want every one", category)
	}
}
