package problems

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

type rig struct {
	t      *testing.T
	env    ui.Env
	s      *boltstore.Store
	m      *viewmodel.Model
	sc     *Screen
	opened []string // what the page opened: "complaint:<id>", "plan:<id>", "problem:<id>"
}

func seeded(t *testing.T) (*boltstore.Store, *viewmodel.Model) {
	t.Helper()
	// A stepping clock: an action completed and a complaint filed next
	// are never in the same millisecond ("after prevention" is strict).
	s := fixture.OpenWithClock(t, fixture.Stepping(10*time.Millisecond))
	fixture.Seed(t, s)
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: fixture.Engineer.Role})
	return s, m
}

func (r *rig) opener() Opener {
	return Opener{
		Complaint: func(id string) { r.opened = append(r.opened, "complaint:"+id) },
		Plan:      func(id string) { r.opened = append(r.opened, "plan:"+id) },
		Problem:   func(id analytics.ProblemID) { r.opened = append(r.opened, "problem:"+string(id)) },
	}
}

// openPage shows problem id's page.
func openPage(t *testing.T, s *boltstore.Store, m *viewmodel.Model, id analytics.ProblemID) *rig {
	t.Helper()
	env, _ := uitest.New(t)
	r := &rig{t: t, env: env, s: s, m: m}
	r.sc = New(env, m, id, r.opener())
	uitest.Show(env, r.sc.Object())
	r.sc.Load()
	return r
}

func (r *rig) shows(text string) bool { return uitest.HasText(r.sc.Object(), text) }

func (r *rig) tap(label string) {
	r.t.Helper()
	b := uitest.FindButton(r.sc.Object(), label)
	if b == nil {
		r.t.Fatalf("no button %q in %v", label, uitest.Texts(r.sc.Object(), ""))
	}
	test.Tap(b)
}

// overlayTap taps a button of the dialog shown over the window.
func (r *rig) overlayTap(label string) {
	r.t.Helper()
	top := uitest.TopOverlay(r.env.Win)
	b := uitest.FindButton(top, label)
	if b == nil {
		r.t.Fatalf("no button %q over the window: %v", label, uitest.Texts(top, ""))
	}
	test.Tap(b)
}

func (r *rig) overlayShows(text string) bool {
	return uitest.HasText(uitest.TopOverlay(r.env.Win), text)
}

// burrs files two complaints of one problem (the first acknowledged) and
// one of another problem on another part.
func burrs(t *testing.T, s *boltstore.Store) (first, second, other string) {
	t.Helper()
	first = fixture.Acknowledged(t, s, "Burrs on the edge of the bracket, sharp to the touch")
	second = fixture.File(t, s, fixture.Filing("Sharp burrs on the bracket edge again"))
	p := fixture.Filing("Hole drilled off position, the screw does not go in")
	p.PartRef = "BR-3000"
	other = fixture.File(t, s, p)
	return first, second, other
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestProblemPageAfterAnIneffectivePreventiveAction(t *testing.T) {
	// Given a complaint whose preventive action was done, then the same
	// problem back, and a plan naming the first
	s, m := seeded(t)
	first := fixture.Proposed(t, s, "Burrs on the edge of the bracket, sharp to the touch")
	fixture.Do(t, s, fixture.Operator, domain.ComplaintSolutionChosen, first, &domain.ChooseSolutionPayload{SolutionID: "S1"})
	must(t, m.AssignAction(first, model.NewAction{Kind: domain.ActionPreventive, Title: "Deburring station after cutting",
		Owner: fixture.Engineer.Login, Due: time.Now().Add(48 * time.Hour)}))
	d, err := m.Complaint(first)
	must(t, err)
	action := d.Actions[0].ID
	must(t, m.StartAction(action))
	must(t, m.CompleteAction(action, "Station installed"))
	second := fixture.File(t, s, fixture.Filing("Sharp burrs on the bracket edge again"))
	plan := fixture.Submitted(t, s, first)
	// When the engineer opens the problem's page
	r := openPage(t, s, m, analytics.ProblemID(first))
	// Then it shows its complaints per month, both complaints, the action
	// with its measured verdict, the plan, and the verdict of its
	// prevention with the recurrence after prevention flagged
	p := r.sc.Detail()
	if len(p.Complaints) != 2 || len(p.ByMonth) != 1 || p.ByMonth[0].Count != 2 || len(p.Actions) != 1 || len(p.Plans) != 1 {
		t.Fatalf("page = %+v", p)
	}
	for _, want := range []string{"Complaints per month", "Deburring station after cutting", "measured ineffective",
		"Prevention ineffective: the problem came back after “Deburring station after cutting”", "Complaints that came back after prevention: 1.",
		"after prevention", "recurrence of " + p.Complaints[0].Number, "Die wear monitoring at CUT1"} {
		if !r.shows(want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	// When the engineer taps the second complaint's number and the plan
	r.tap(p.Complaints[1].Number)
	r.tap("Die wear monitoring at CUT1")
	// Then they open
	if strings.Join(r.opened, " ") != "complaint:"+second+" plan:"+plan {
		t.Errorf("opened %v", r.opened)
	}
}

func TestProblemPageWithoutPrevention(t *testing.T) {
	// Given a problem nobody prevented yet
	s, m := seeded(t)
	first, _, _ := burrs(t, s)
	r := openPage(t, s, m, analytics.ProblemID(first))
	// Then the page says so
	if !r.shows("No prevention yet") || !r.shows("No plan names its complaints.") {
		t.Errorf("page: %v", uitest.Texts(r.sc.Object(), ""))
	}
}

func TestMergeDialogAndItsRefusals(t *testing.T) {
	// Given two problems of CUT1, each named by a plan, the second's page open
	s, m := seeded(t)
	first, _, other := burrs(t, s)
	fixture.Submitted(t, s, first)
	fixture.Submitted(t, s, other)
	r := openPage(t, s, m, analytics.ProblemID(other))
	// When the engineer opens the merge dialog and chooses the first problem
	r.tap("Merge into another problem…")
	if !r.overlayShows("the plans naming complaints of either stay linked") {
		t.Fatalf("merge dialog: %v", uitest.Texts(uitest.TopOverlay(r.env.Win), ""))
	}
	pk := r.sc.Picker()
	if len(pk.Shown()) != 1 || pk.Shown()[0].ID != analytics.ProblemID(first) {
		t.Fatalf("merge targets %+v", pk.Shown())
	}
	pk.Choose(0)
	r.overlayTap("Merge")
	// Then the page shows the merged problem with the three complaints
	// and both plans
	if r.sc.Notice() == "" || len(r.sc.Detail().Complaints) != 3 || r.sc.Detail().Ref.ID != analytics.ProblemID(first) {
		t.Fatalf("after the merge: %q %+v", r.sc.Notice(), r.sc.Detail().Ref)
	}
	if len(r.sc.Detail().Plans) != 2 {
		t.Fatalf("plans after the merge: %+v", r.sc.Detail().Plans)
	}
	if !r.shows("Merged into it: ") {
		t.Error("the page does not say what was merged into it")
	}
	// When they try to merge it into the problem merged into it
	r.tap("Merge into another problem…")
	pk = r.sc.Picker()
	i := -1
	for k, c := range pk.Shown() {
		if c.ID == analytics.ProblemID(other) {
			i = k
		}
	}
	if i < 0 {
		t.Fatalf("the merged problem is not offered: %+v", pk.Shown())
	}
	pk.Choose(i)
	r.overlayTap("Merge")
	// Then the refusal names its rule in words
	if !r.overlayShows("would close a loop") {
		t.Fatalf("refusal: %v", uitest.Texts(uitest.TopOverlay(r.env.Win), ""))
	}
}

func TestMergeAcrossSupplierStationsAsksFirst(t *testing.T) {
	// Given a problem of CUT1 and one of PAINT, the PAINT one's page open
	s, m := seeded(t)
	first, _, _ := burrs(t, s)
	p := fixture.Filing("Paint runs on the bracket")
	p.SupplierStation = "PAINT"
	paint := fixture.File(t, s, p)
	r := openPage(t, s, m, analytics.ProblemID(paint))
	// When the engineer merges it into the CUT1 problem
	r.tap("Merge into another problem…")
	pk := r.sc.Picker()
	for k, c := range pk.Shown() {
		if c.ID == analytics.ProblemID(first) {
			pk.Choose(k)
		}
	}
	r.overlayTap("Merge")
	// Then a confirmation says why, and nothing is merged yet
	if !r.overlayShows("is about supplier station CUT1, this one about PAINT") || r.sc.Detail().Ref.ID != analytics.ProblemID(paint) {
		t.Fatalf("no confirmation: %v", uitest.Texts(uitest.TopOverlay(r.env.Win), ""))
	}
	// When they merge anyway
	r.overlayTap("Merge anyway")
	// Then it is merged
	if r.sc.Detail().Ref.ID != analytics.ProblemID(first) || len(r.sc.Detail().Complaints) != 3 {
		t.Fatalf("after merging anyway: %+v", r.sc.Detail().Ref)
	}
}

func TestSplitDialog(t *testing.T) {
	// Given a problem of two complaints, its page open
	s, m := seeded(t)
	first, second, _ := burrs(t, s)
	r := openPage(t, s, m, analytics.ProblemID(first))
	numbers := map[string]string{}
	for _, c := range r.sc.Detail().Complaints {
		numbers[c.ID] = c.Number
	}
	// When the engineer ticks both complaints and splits
	r.tap("Split…")
	r.tick(numbers[first])
	r.tick(numbers[second])
	r.overlayTap("Split")
	// Then the refusal names its rule
	if !r.overlayShows("A split leaves at least one complaint in the problem") {
		t.Fatalf("refusal: %v", uitest.Texts(uitest.TopOverlay(r.env.Win), ""))
	}
	// When they split the second off
	r.tap("Split…")
	r.tick(numbers[second])
	r.overlayTap("Split")
	// Then the problem keeps one complaint and the new one opens
	if len(r.sc.Detail().Complaints) != 1 || r.sc.Notice() != "1 complaint forms a new problem." {
		t.Fatalf("after the split: %q %+v", r.sc.Notice(), r.sc.Detail().Complaints)
	}
	r.tap("Open the new problem")
	if len(r.opened) != 1 || !strings.HasPrefix(r.opened[0], "problem:") {
		t.Fatalf("opened %v", r.opened)
	}
	n, err := m.Problem(analytics.ProblemID(strings.TrimPrefix(r.opened[0], "problem:")))
	must(t, err)
	if len(n.Complaints) != 1 || n.Complaints[0].ID != second {
		t.Errorf("new problem %+v", n.Complaints)
	}
}

// tick ticks the split dialog's complaint with that number.
func (r *rig) tick(number string) {
	r.t.Helper()
	var found *widget.Check
	uitest.Walk(uitest.TopOverlay(r.env.Win), func(o fyne.CanvasObject) bool {
		if c, ok := o.(*widget.Check); ok && strings.HasPrefix(c.Text, number+" ") {
			found = c
			return true
		}
		return false
	})
	if found == nil {
		r.t.Fatalf("no complaint %s in the split dialog", number)
	}
	test.Tap(found)
}

func TestRecurrencesList(t *testing.T) {
	// Given two complaints of one problem filed now
	s, m := seeded(t)
	first, second, _ := burrs(t, s)
	env, _ := uitest.New(t)
	r := &rig{t: t, env: env}
	// When the list of the last 30 days' recurrences opens
	l := NewRecurrences(env, m, model.DashboardQuery{Period: model.Last30Days}, "in the last 30 days", r.opener())
	uitest.Show(env, l.Object())
	l.Load()
	// Then it lists the second, its problem and the first, without
	// prevention before
	rows := l.Rows()
	if len(rows) != 1 || rows[0].ComplaintID != second || rows[0].PreviousID != first {
		t.Fatalf("rows = %+v", rows)
	}
	if !uitest.HasText(l.Object(), "no prevention before") || !uitest.HasText(l.Object(), rows[0].Problem.Name()) {
		t.Errorf("list: %v", uitest.Texts(l.Object(), ""))
	}
	// When the engineer taps the complaint, the previous one and the problem
	test.Tap(uitest.FindButton(l.Object(), rows[0].Number))
	test.Tap(uitest.FindButton(l.Object(), rows[0].PreviousNumber))
	tapLink(t, l.Object(), rows[0].Problem.Name())
	// Then each opens
	want := "complaint:" + second + " complaint:" + first + " problem:" + first
	if strings.Join(r.opened, " ") != want {
		t.Errorf("opened %v, want %s", r.opened, want)
	}
}

// tapLink taps the hyperlink showing text, over its text (a hyperlink
// ignores a tap beside it).
func tapLink(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	var hl *widget.Hyperlink
	uitest.Walk(o, func(c fyne.CanvasObject) bool {
		if h, ok := c.(*widget.Hyperlink); ok && h.Text == text {
			hl = h
			return true
		}
		return false
	})
	if hl == nil {
		t.Fatalf("no link %q", text)
	}
	test.TapAt(hl, fyne.NewPos(20, hl.Size().Height/2))
}

func TestConcurrentMergesShowAsAConflict(t *testing.T) {
	// Given three problems of CUT1, and two engineers who merged the
	// second into the first and into the third at the same time, on two
	// workstations synced into one store
	s, m := seeded(t)
	first, _, other := burrs(t, s)
	q := fixture.Filing("Paint runs on the bracket")
	q.PartRef = "BR-5000"
	third := fixture.File(t, s, q)
	twin := fixture.Open(t)
	var evs []domain.Event
	must(t, s.View(func(tx *boltstore.Tx) error {
		l, _, err := tx.LogAfter(0, 1<<20)
		for _, e := range l {
			evs = append(evs, e.Event)
		}
		return err
	}))
	if _, err := twin.Ingest(evs); err != nil {
		t.Fatal(err)
	}
	must(t, m.MergeProblem(analytics.ProblemID(other), analytics.ProblemID(first), false))
	theirs, err := twin.Record(fixture.Engineer2, boltstore.Command{Type: domain.ProblemMerged, EntityID: other,
		Payload: &domain.ProblemMergedPayload{Into: third}})
	must(t, err)
	if _, err := s.Ingest(theirs); err != nil {
		t.Fatal(err)
	}
	// When the engineer opens the problem it was merged into
	r := openPage(t, s, m, analytics.ProblemID(other))
	// Then the page shows both merges with who chose them
	cf := r.sc.Detail().Conflicts
	if len(cf) != 1 || len(cf[0].Values) != 2 || !r.shows("merged "+cf[0].From.Number+" into different problems at the same time") {
		t.Fatalf("conflicts %+v: %v", cf, uitest.Texts(r.sc.Object(), ""))
	}
	// When they keep the merge into the first problem
	for _, o := range r.sc.body.Objects {
		if b := uitest.FindButton(o, "Keep this one"); b != nil && uitest.HasText(o, "Paul Martin") {
			test.Tap(b)
			break
		}
	}
	// Then the conflict is settled and the second belongs to the first
	d, err := m.Problem(analytics.ProblemID(other))
	must(t, err)
	if len(d.Conflicts) != 0 || d.Ref.ID != analytics.ProblemID(first) || r.sc.Notice() != "Conflict settled." {
		t.Fatalf("after keeping: %+v %q", d.Ref, r.sc.Notice())
	}
}

func TestRecurrencesListIsBounded(t *testing.T) {
	// Given more recurrences in the period than the list shows
	s, m := seeded(t)
	var cmds []boltstore.Command
	for range MaxRecurrencesShown + 2 {
		cmds = append(cmds, boltstore.Command{Type: domain.ComplaintFiled, Payload: fixture.Filing("Sharp burrs on the bracket edge again")})
	}
	if _, err := s.Record(fixture.Operator, cmds...); err != nil {
		t.Fatal(err)
	}
	env, _ := uitest.New(t)
	l := NewRecurrences(env, m, model.DashboardQuery{Period: model.Last30Days}, "in the last 30 days", Opener{})
	uitest.Show(env, l.Object())
	l.Load()
	// Then the newest are listed, and a line says how many there are
	if len(l.Rows()) != MaxRecurrencesShown+1 || !uitest.HasText(l.Object(), "The 300 newest of 301 are shown") {
		t.Fatalf("%d rows: %v", len(l.Rows()), uitest.Texts(l.Object(), "newest"))
	}
}
