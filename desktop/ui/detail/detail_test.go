package detail

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/ui/widgets"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

type rig struct {
	t  *testing.T
	s  *boltstore.Store
	m  *viewmodel.Model
	sc *Screen
}

// open shows complaint id to a user.
func open(t *testing.T, s *boltstore.Store, as boltstore.Actor, id string) *rig {
	t.Helper()
	env, _ := uitest.New(t)
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: as.Login, Role: as.Role})
	sc := New(env, m, id)
	uitest.Show(env, sc.Object())
	sc.Load()
	return &rig{t, s, m, sc}
}

func seeded(t *testing.T) *boltstore.Store {
	s := fixture.Open(t)
	fixture.Seed(t, s)
	return s
}

// tap taps the task button with the label.
func (r *rig) tap(label string) {
	r.t.Helper()
	b := uitest.FindButton(r.sc.Object(), label)
	if b == nil {
		r.t.Fatalf("no button %q; tasks %v", label, r.sc.Tasks())
	}
	test.Tap(b)
}

func (r *rig) entry(field string) *widget.Entry {
	r.t.Helper()
	e := uitest.Entry(r.sc.Input(field))
	if e == nil {
		r.t.Fatalf("no entry for %s", field)
	}
	return e
}

func (r *rig) complaint() domain.Complaint { return r.sc.Detail().Complaint }

func TestAcknowledging(t *testing.T) {
	// Given a new major complaint opened by the engineer
	s := seeded(t)
	id := fixture.File(t, s, fixture.Filing("Burr on the edge"))
	r := open(t, s, fixture.Engineer, id)
	if got := r.sc.Tasks(); got[0] != "Acknowledge" {
		t.Fatalf("first task = %v", got)
	}
	// When they tap Acknowledge
	r.tap("Acknowledge")
	// Then the deadline defaults from the severity (major: 5 days) and
	// the assignee to themselves
	deadline := r.entry("deadline")
	want := r.complaint().FiledAt.Add(5 * 24 * time.Hour).Local().Format("2006-01-02 15:04")
	if deadline.Text != want {
		t.Errorf("default deadline %q, want %q", deadline.Text, want)
	}
	if sel := r.sc.Input("assignee").(*widget.Select); sel.Selected != "Paul Martin" {
		t.Errorf("assignee = %q", sel.Selected)
	}
	// When they type a wrong date and confirm
	deadline.SetText("")
	test.Type(deadline, "next week")
	test.Tap(r.sc.Submit())
	// Then the deadline field says so
	if r.sc.PanelError("deadline") == "" {
		t.Fatal("no deadline error")
	}
	// When they fix it and confirm
	deadline.SetText(want)
	test.Tap(r.sc.Submit())
	// Then the complaint is acknowledged with that deadline, shown in the header
	c := r.complaint()
	if c.Status != domain.StatusAcknowledged || c.Assignee != fixture.Engineer.Login {
		t.Fatalf("status %s assignee %s", c.Status, c.Assignee)
	}
	if !strings.Contains(r.sc.Notice(), "Acknowledged") {
		t.Errorf("notice = %q", r.sc.Notice())
	}
	if !uitest.HasText(r.sc.Object(), "Acknowledged") || !uitest.HasText(r.sc.Object(), "left") {
		t.Error("header does not show the status and countdown")
	}
	// And the timeline tells who did it
	r.sc.tabs.SelectIndex(1)
	if !uitest.HasText(r.sc.Object(), "Paul Martin (Quality engineer)") {
		t.Error("timeline lacks the author")
	}
}

func TestAssigningAnAction(t *testing.T) {
	// Given a complaint whose solution was chosen
	s := seeded(t)
	id := fixture.Proposed(t, s, "Burr")
	fixture.Do(t, s, fixture.Operator, domain.ComplaintSolutionChosen, id, &domain.ChooseSolutionPayload{SolutionID: "S1"})
	r := open(t, s, fixture.Engineer, id)
	// When the engineer assigns a corrective action without an owner
	r.tap("Assign an action")
	kind := r.sc.Input("kind").(*widget.Select)
	if len(kind.Options) != 3 {
		t.Fatalf("kinds = %v, want all three once a solution is chosen", kind.Options)
	}
	kind.SetSelected("Corrective")
	test.Type(r.entry("title"), "Replace the cutting die")
	test.Tap(r.sc.Submit())
	// Then the owner field says it is missing
	if r.sc.PanelError("owner") == "" {
		t.Fatal("no owner error")
	}
	// When an owner is chosen
	r.sc.Input("owner").(*widget.Select).SetSelected("Léa Petit")
	test.Tap(r.sc.Submit())
	// Then the action is linked, owned and shown
	d := r.sc.Detail()
	if len(d.Actions) != 1 || d.Actions[0].Owner != fixture.Engineer2.Login || d.Actions[0].Kind != domain.ActionCorrective {
		t.Fatalf("actions = %+v", d.Actions)
	}
	if d.Complaint.Status != domain.StatusActionsInProgress {
		t.Errorf("status = %s", d.Complaint.Status)
	}
	r.sc.tabs.SelectIndex(2)
	if !uitest.HasText(r.sc.Object(), "Corrective · Replace the cutting die") {
		t.Error("actions tab does not show it")
	}
}

func TestChoosingASolution(t *testing.T) {
	// Given a complaint with two solutions proposed, opened by the operator
	s := seeded(t)
	id := fixture.Proposed(t, s, "Burr")
	r := open(t, s, fixture.Operator, id)
	if got := r.sc.Tasks(); got[0] != "Choose a solution" {
		t.Fatalf("tasks = %v", got)
	}
	// When they confirm without choosing
	r.tap("Choose a solution")
	test.Tap(r.sc.Submit())
	if r.sc.PanelError("solution_id") == "" {
		t.Fatal("no error for a missing choice")
	}
	// When they pick the second
	r.sc.Input("solution_id").(*widgets.Radio).SetSelected("S2: Rework the parts at CUT1")
	test.Tap(r.sc.Submit())
	// Then it is chosen, and the overview marks it
	if c := r.complaint(); c.ChosenSolution != "S2" || c.Status != domain.StatusSolutionChosen {
		t.Fatalf("chosen %q status %s", c.ChosenSolution, c.Status)
	}
	if !uitest.HasText(r.sc.Object(), "● S2: Rework the parts at CUT1") {
		t.Error("overview does not mark the choice")
	}
	// And the operator has nothing more to choose
	if slices.Contains(r.sc.Tasks(), "Choose a solution") {
		t.Error("still offered to choose")
	}
}

func TestRating(t *testing.T) {
	// Given a resolved complaint opened by the operator
	s := seeded(t)
	id := fixture.Resolved(t, s, "Burr")
	r := open(t, s, fixture.Operator, id)
	if got := r.sc.Tasks(); got[0] != "Confirm and rate" || !slices.Contains(got, "Not solved: reopen") {
		t.Fatalf("tasks = %v", got)
	}
	// When they confirm with 4 stars and a comment
	r.tap("Confirm and rate")
	r.sc.Input("rating").(*widgets.Radio).SetSelected("4")
	test.Type(r.entry("comment"), "Fast, thanks")
	test.Tap(r.sc.Submit())
	// Then the complaint is closed with the rating shown
	c := r.complaint()
	if c.Status != domain.StatusClosed || c.Rating != 4 || c.RatingComment != "Fast, thanks" {
		t.Fatalf("status %s rating %d %q", c.Status, c.Rating, c.RatingComment)
	}
	if !uitest.HasText(r.sc.Object(), "★★★★☆ — Fast, thanks") {
		t.Error("rating not shown")
	}
}

func TestReopen(t *testing.T) {
	s := seeded(t)
	id := fixture.Resolved(t, s, "Burr")
	r := open(t, s, fixture.Operator, id)
	r.tap("Not solved: reopen")
	test.Tap(r.sc.Submit())
	if r.sc.PanelError("reason") == "" {
		t.Fatal("no reason error")
	}
	test.Type(r.entry("reason"), "Burrs again on lot L-0920")
	test.Tap(r.sc.Submit())
	if c := r.complaint(); c.Status != domain.StatusInvestigating || c.Reopens != 1 {
		t.Fatalf("status %s reopens %d", c.Status, c.Reopens)
	}
}

func TestOperatorMessagesAndEscalation(t *testing.T) {
	// Given an acknowledged complaint whose deadline has passed
	s := seeded(t)
	id := fixture.Acknowledged(t, s, "Burr")
	r := open(t, s, fixture.Operator, id)
	if slices.Contains(r.sc.Tasks(), "Escalate") {
		t.Fatal("escalation offered before the deadline")
	}
	r.sc.env.Now = func() time.Time { return time.Now().Add(80 * time.Hour) }
	r.sc.Load()
	// When the operator escalates to the manager
	r.tap("Escalate")
	if sel := r.sc.Input("supervisor").(*widget.Select); sel.Selected != "Sophie Bernard" {
		t.Errorf("supervisor = %q", sel.Selected)
	}
	test.Tap(r.sc.Submit())
	// Then it is recorded
	if c := r.complaint(); len(c.Escalations) != 1 || c.Escalations[0].Supervisor != fixture.Manager.Login {
		t.Fatalf("escalations = %+v", c.Escalations)
	}
	// And a reply shows in the messages
	r.tap("Reply")
	test.Type(r.entry("text"), "Line is waiting")
	test.Tap(r.sc.Submit())
	if !uitest.HasText(r.sc.Object(), "Line is waiting") {
		t.Error("message not shown")
	}
}

func TestEngineerFullAnalysis(t *testing.T) {
	s := seeded(t)
	id := fixture.Acknowledged(t, s, "Burr")
	r := open(t, s, fixture.Engineer, id)
	r.tap("Record the analysis")
	test.Type(r.entry("containment"), "Lot quarantined")
	r.sc.Input("ishikawa").(*widget.Select).SetSelected("Machine")
	test.Type(r.entry("root_cause"), "Die worn beyond limit")
	test.Tap(r.sc.Submit())
	c := r.complaint()
	if c.Status != domain.StatusInvestigating || c.Ishikawa != domain.IshikawaMachine || c.Containment != "Lot quarantined" {
		t.Fatalf("complaint = %+v", c)
	}
	r.tap("Propose solutions")
	opts := r.sc.panel.form.Fields()
	test.Type(uitest.Entry(opts[0].Input), "Replace the die")
	test.Tap(r.sc.Submit())
	if c := r.complaint(); c.Status != domain.StatusSolutionProposed || len(c.Solutions) != 1 {
		t.Fatalf("status %s solutions %v", c.Status, c.Solutions)
	}
}

func TestConflictShownAndResolved(t *testing.T) {
	// Given two engineers who changed the assignee concurrently on two
	// workstations, synced into one store
	s := seeded(t)
	id := fixture.Acknowledged(t, s, "Burr")
	other := fixture.Open(t)
	var evs []domain.Event
	_ = s.View(func(tx *boltstore.Tx) error {
		evs, _, _ = logAll(tx)
		return nil
	})
	if _, err := other.Ingest(evs); err != nil {
		t.Fatal(err)
	}
	a, err := s.Record(fixture.Engineer, boltstore.Command{Type: domain.ComplaintAssigned, EntityID: id, Payload: &domain.AssignPayload{Assignee: fixture.Engineer2.Login}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := other.Record(fixture.Engineer2, boltstore.Command{Type: domain.ComplaintAssigned, EntityID: id, Payload: &domain.AssignPayload{Assignee: fixture.Engineer.Login}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(b); err != nil {
		t.Fatal(err)
	}
	_ = a
	r := open(t, s, fixture.Engineer, id)
	// Then both values show with their authors, and a way to keep one
	if len(r.sc.Detail().Conflicts) != 1 {
		t.Fatalf("conflicts = %+v", r.sc.Detail().Conflicts)
	}
	r.sc.tabs.SelectIndex(4)
	if !uitest.HasText(r.sc.Object(), "Léa Petit — Paul Martin") || !uitest.HasText(r.sc.Object(), "Paul Martin — Léa Petit") {
		t.Errorf("values not shown: %v", uitest.Texts(r.sc.Object(), " — "))
	}
	// When the engineer keeps Léa
	test.Tap(uitest.FindButton(r.sc.Object(), "Keep this one"))
	// Then the conflict is gone and Léa handles it
	if d := r.sc.Detail(); len(d.Conflicts) != 0 || d.Complaint.Assignee != fixture.Engineer2.Login {
		t.Fatalf("after keeping: conflicts %d assignee %s", len(d.Conflicts), d.Complaint.Assignee)
	}
}

// logAll reads the whole log of a store.
func logAll(tx *boltstore.Tx) ([]domain.Event, bool, error) {
	l, more, err := tx.LogAfter(0, 100000)
	out := make([]domain.Event, len(l))
	for i := range l {
		out[i] = l[i].Event
	}
	return out, more, err
}

func TestTasksByRole(t *testing.T) {
	now := time.Now()
	ref := &model.Reference{Severities: domain.DefaultSeverities}
	c := func(s domain.ComplaintStatus) *domain.Complaint {
		return &domain.Complaint{Status: s, FiledAt: now.Add(-time.Hour), Severity: domain.SeverityMajor}
	}
	tests := []struct {
		name   string
		role   domain.Role
		c      *domain.Complaint
		want   []taskID
		absent []taskID
	}{
		{"EngineerNew", domain.RoleEngineer, c(domain.StatusNew), []taskID{taskAcknowledge, taskReject, taskDuplicate}, []taskID{taskAssign, taskResolve}},
		{"EngineerChosen", domain.RoleEngineer, c(domain.StatusSolutionChosen), []taskID{taskAssign, taskResolve, taskAnalyse}, []taskID{taskReject, taskPropose}},
		{"EngineerResolved", domain.RoleEngineer, c(domain.StatusResolved), []taskID{taskMessage}, []taskID{taskAssign, taskAnalyse}},
		{"OperatorProposed", domain.RoleOperator, c(domain.StatusSolutionProposed), []taskID{taskChoose, taskMessage}, []taskID{taskEscalate, taskVerify}},
		{"OperatorRejected", domain.RoleOperator, c(domain.StatusRejected), []taskID{taskReexamine}, []taskID{taskEscalate}},
		{"OperatorClosed", domain.RoleOperator, c(domain.StatusClosed), []taskID{taskReopen}, []taskID{taskVerify}},
		{"OperatorUnacknowledgedTooLong", domain.RoleOperator, &domain.Complaint{Status: domain.StatusNew, Severity: domain.SeverityCritical, FiledAt: now.Add(-3 * time.Hour)}, []taskID{taskEscalate}, nil},
		{"ManagerOpen", domain.RoleManager, c(domain.StatusInvestigating), []taskID{taskReassign, taskEscalate, taskNote}, []taskID{taskAcknowledge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tasks("someone", tt.role, tt.c, ref, now)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %s in %v", w, got)
				}
			}
			for _, a := range tt.absent {
				if slices.Contains(got, a) {
					t.Errorf("%s offered in %v", a, got)
				}
			}
		})
	}
}

func TestRecurrenceBadgeAndEightD(t *testing.T) {
	// Given a complaint that repeats an earlier one at the same station
	s := seeded(t)
	first := fixture.File(t, s, fixture.Filing("Burr on the edge"))
	second := fixture.File(t, s, fixture.Filing("Burr again"))
	// When the engineer opens the second
	r := open(t, s, fixture.Engineer, second)
	// Then the header says which complaint it repeats, and offers the 8D
	number := open(t, s, fixture.Engineer, first).complaint().Number
	if !uitest.HasText(r.sc.Object(), "Recurrence of "+number) {
		t.Errorf("no recurrence badge for %s: %v", number, uitest.Texts(r.sc.Object(), "Recurr"))
	}
	if uitest.HasText(r.sc.Object(), "Recurred after prevention") {
		t.Error("recurred after prevention without any prevention")
	}
	if uitest.FindButton(r.sc.Object(), "8D report (PDF)") == nil {
		t.Error("no 8D button")
	}
	// When an operator opens it, there is no 8D button
	if op := open(t, s, fixture.Operator, second); uitest.FindButton(op.sc.Object(), "8D report (PDF)") != nil {
		t.Error("operator sees the 8D button")
	}
}

// The complainant chooses and rates with the keyboard: each choice is one
// Tab stop the arrow keys move through, as on the filing form. Fyne's own
// radio group ignored the arrow keys.
func TestChoiceAndRatingByArrowKeys(t *testing.T) {
	s := seeded(t)
	id := fixture.Proposed(t, s, "Burr")
	r := open(t, s, fixture.Operator, id)
	r.tap("Choose a solution")
	choice := r.sc.Input("solution_id").(*widgets.Radio)
	c := fyne.CurrentApp().Driver().CanvasForObject(choice)
	c.Focus(choice)
	uitest.PressKey(c, fyne.KeyDown)
	uitest.PressKey(c, fyne.KeyDown)
	if got := choice.Selected(); got != "S2: Rework the parts at CUT1" {
		t.Fatalf("two arrows down chose %q", got)
	}
	test.Tap(r.sc.Submit())
	if got := r.complaint().ChosenSolution; got != "S2" {
		t.Fatalf("chosen %q", got)
	}

	id = fixture.Resolved(t, s, "Burr")
	r = open(t, s, fixture.Operator, id)
	r.tap("Confirm and rate")
	stars := r.sc.Input("rating").(*widgets.Radio)
	c = fyne.CurrentApp().Driver().CanvasForObject(stars)
	c.Focus(stars)
	uitest.PressKey(c, fyne.KeyLeft) // from none: the last option
	uitest.PressKey(c, fyne.KeyLeft)
	test.Tap(r.sc.Submit())
	if got := r.complaint().Rating; got != 4 {
		t.Fatalf("rating %d, want 4", got)
	}
}
