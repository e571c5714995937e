package detail

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/uitest"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// twoBurrs files two complaints of one problem: burrs on BR-2040.
func twoBurrs(t *testing.T, s *boltstore.Store) (first, second string) {
	t.Helper()
	first = fixture.File(t, s, fixture.Filing("Burrs on the edge of the bracket, sharp to the touch"))
	second = fixture.File(t, s, fixture.Filing("Sharp burrs on the bracket edge again"))
	return first, second
}

// overlayButton taps the button of the dialog shown over the window.
func overlayButton(t *testing.T, win fyne.Window, label string) {
	t.Helper()
	top := uitest.TopOverlay(win)
	b := uitest.FindButton(top, label)
	if b == nil {
		t.Fatalf("no button %q over the window (%v)", label, uitest.Texts(top, ""))
	}
	test.Tap(b)
}

func (r *rig) panelShows(text string) bool { return uitest.HasText(r.sc.problem.box, text) }

func TestProblemPanelConfirmThenNotTheSame(t *testing.T) {
	// Given two complaints of burrs on one bracket, the second opened by
	// the engineer
	s := seeded(t)
	first, second := twoBurrs(t, s)
	r := open(t, s, fixture.Engineer, second)
	var opened analytics.ProblemID
	r.sc.OpenProblem = func(id analytics.ProblemID) { opened = id }
	r.sc.Load()
	// Then the panel says which problem it looks like, the score and its
	// reasons in words
	p := r.sc.Problem()
	if p.Problem.ID != analytics.ProblemID(first) || !r.panelShows("Looks like problem "+p.Problem.Number) ||
		!r.panelShows("Score ") || !r.panelShows("the same part (BR2040), however written") {
		t.Fatalf("panel: %v", uitest.Texts(r.sc.problem.box, ""))
	}
	// And the problem opens
	r.tap("Open the problem")
	if opened != analytics.ProblemID(first) {
		t.Errorf("opened %q", opened)
	}
	// When they confirm it
	r.tap("Confirm")
	// Then the panel says who decided and when, and Confirm is gone
	if !r.panelShows("Confirmed by Paul Martin on ") || uitest.FindButton(r.sc.problem.box, "Confirm") != nil {
		t.Fatalf("after confirming: %v", uitest.Texts(r.sc.problem.box, ""))
	}
	if r.sc.Notice() != "Problem confirmed." {
		t.Errorf("notice %q", r.sc.Notice())
	}
	// When they say it is not the same after all, and confirm in the dialog
	r.tap("Not the same")
	overlayButton(t, r.sc.env.Win, "Not the same")
	// Then it is a problem of its own, and the panel says who denied which
	if !r.panelShows("A problem of its own") || !r.panelShows("Not the same as problem "+p.Problem.Number) || !r.panelShows(", said Paul Martin on ") {
		t.Fatalf("after denying: %v", uitest.Texts(r.sc.problem.box, ""))
	}
	// And the timeline says it in words
	if !uitest.HasText(r.sc.timeline, "Not the same problem as the one proposed") || !uitest.HasText(r.sc.timeline, "Problem confirmed") {
		t.Errorf("timeline: %v", uitest.Texts(r.sc.timeline, "roblem"))
	}
}

func TestMovingToAnotherSuppliersProblemAsksWhy(t *testing.T) {
	// Given a problem of CUT1 and a complaint against PAINT
	s := seeded(t)
	first, _ := twoBurrs(t, s)
	p := fixture.Filing("Paint runs on the bracket")
	p.SupplierStation = "PAINT"
	paint := fixture.File(t, s, p)
	r := open(t, s, fixture.Engineer, paint)
	win := r.sc.env.Win
	// When the engineer opens "Move to another problem…" and chooses the
	// CUT1 problem
	r.tap("Move to another problem…")
	list := findList(uitest.TopOverlay(win))
	if list == nil || list.Length() != 1 {
		t.Fatalf("no picker with the one other problem: %v", uitest.Texts(uitest.TopOverlay(win), ""))
	}
	list.Select(0)
	overlayButton(t, win, "Move")
	// Then a confirmation says why it asks: the problem is another
	// supplier station's
	if !uitest.HasText(uitest.TopOverlay(win), "is about supplier station CUT1, this complaint about PAINT") {
		t.Fatalf("no confirmation: %v", uitest.Texts(uitest.TopOverlay(win), ""))
	}
	if c := r.sc.Problem(); c.Problem.ID == analytics.ProblemID(first) {
		t.Fatal("moved before the confirmation")
	}
	// When they move it anyway
	overlayButton(t, win, "Move anyway")
	// Then it is in the CUT1 problem, placed by them
	if c := r.sc.Problem(); c.Problem.ID != analytics.ProblemID(first) || !r.panelShows("Placed in this problem by Paul Martin") {
		t.Fatalf("after the move: %+v / %v", c.Problem, uitest.Texts(r.sc.problem.box, ""))
	}
	// When they start a new problem for it instead
	r.tap("Start a new problem")
	overlayButton(t, win, "Start a new problem")
	// Then it is alone in a problem of its own
	if c := r.sc.Problem(); c.Problem.Complaints != 1 || c.Problem.ID == analytics.ProblemID(first) || c.Decided == nil {
		t.Fatalf("after a new problem: %+v", c)
	}
}

func TestOperatorsSeeNoProblemPanel(t *testing.T) {
	// Given a complaint of a problem, opened by its operator
	s := seeded(t)
	_, second := twoBurrs(t, s)
	r := open(t, s, fixture.Operator, second)
	// Then the page has no problem panel
	if uitest.HasText(r.sc.Object(), "Looks like problem") || r.sc.problem.box != nil {
		t.Fatal("the operator sees the problem panel")
	}
}

func TestConcurrentProblemDecisionsShowAsAConflict(t *testing.T) {
	// Given two engineers who moved one complaint to two different
	// problems on two workstations, synced into one store
	s := seeded(t)
	first, second := twoBurrs(t, s)
	third := fixture.File(t, s, fixture.Filing("Paint runs on the bracket"))
	other := fixture.Open(t)
	var evs []domain.Event
	_ = s.View(func(tx *boltstore.Tx) error {
		evs, _, _ = logAll(tx)
		return nil
	})
	if _, err := other.Ingest(evs); err != nil {
		t.Fatal(err)
	}
	fixture.Do(t, s, fixture.Engineer, domain.ComplaintProblemMoved, second, &domain.ProblemDecisionPayload{Problem: third})
	b, err := other.Record(fixture.Engineer2, boltstore.Command{Type: domain.ComplaintProblemConfirmed, EntityID: second, Payload: &domain.ProblemDecisionPayload{Problem: first}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(b); err != nil {
		t.Fatal(err)
	}
	r := open(t, s, fixture.Engineer, second)
	// Then the panel names both problems with who chose them
	cp := r.sc.Problem()
	if len(cp.Conflict) != 2 || !r.panelShows("Two people placed this complaint in different problems") {
		t.Fatalf("conflict: %+v / %v", cp.Conflict, uitest.Texts(r.sc.problem.box, ""))
	}
	// And the Conflicts tab names them too, not by their ids
	r.sc.tabs.SelectIndex(4)
	if !uitest.HasText(r.sc.issues, cp.Conflict[0].Problem.Name()+" — ") || !uitest.HasText(r.sc.issues, cp.Conflict[1].Problem.Name()+" — ") {
		t.Fatalf("conflicts tab: %v", uitest.Texts(r.sc.issues, " — "))
	}
	// When the engineer keeps Léa's (the first problem)
	for _, v := range cp.Conflict {
		if v.Problem.ID == analytics.ProblemID(first) {
			keepIn(t, r, v.By)
		}
	}
	// Then the conflict is settled and it is in the first problem
	if c := r.sc.Problem(); len(c.Conflict) != 0 || c.Problem.ID != analytics.ProblemID(first) {
		t.Fatalf("after keeping: %+v", c)
	}
}

// keepIn taps "Keep this one" on the panel's line written by who.
func keepIn(t *testing.T, r *rig, who string) {
	t.Helper()
	for _, o := range r.sc.problem.box.Objects {
		if b := uitest.FindButton(o, "Keep this one"); b != nil && uitest.HasText(o, who) {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no Keep button beside %s", who)
}

// findList returns the first list of a tree.
func findList(o fyne.CanvasObject) *widget.List {
	var l *widget.List
	uitest.Walk(o, func(c fyne.CanvasObject) bool {
		l, _ = c.(*widget.List)
		return l != nil
	})
	return l
}
