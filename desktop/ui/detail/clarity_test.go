package detail

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The action type offered only "Containment" before the complainant's
// choice, without a word why.
func TestOnlyContainmentIsExplained(t *testing.T) {
	s := seeded(t)
	tests := []struct {
		name  string
		id    string
		kinds int
		says  string // "" when no explanation is due
	}{
		{"acknowledged", fixture.Acknowledged(t, s, "Burr"), 1, "Propose solutions; once the complainant has chosen one, all three kinds are offered."},
		{"solutions proposed", fixture.Proposed(t, s, "Scratch"), 1, "the complainant has not chosen among the proposed solutions yet"},
		{"solution chosen", chosen(t, s, "Dent"), 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// When the engineer opens "Assign an action"
			r := open(t, s, fixture.Engineer, tt.id)
			r.tap("Assign an action")
			// Then the kinds offered follow the status, and the panel says
			// why only containment is offered, and what unblocks the others
			if got := len(r.sc.Input("kind").(*widget.Select).Options); got != tt.kinds {
				t.Fatalf("%d kinds offered, want %d", got, tt.kinds)
			}
			shown := uitest.Texts(r.sc.side, "Only containment")
			switch {
			case tt.says == "" && len(shown) > 0:
				t.Errorf("explanation shown with every kind offered: %v", shown)
			case tt.says != "" && !uitest.HasText(r.sc.side, tt.says):
				t.Errorf("explanation %v, want one saying %q", shown, tt.says)
			}
		})
	}
}

func investigating(t *testing.T, s *boltstore.Store, desc string) string {
	t.Helper()
	id := fixture.Acknowledged(t, s, desc)
	root := "Worn die"
	fixture.Do(t, s, fixture.Engineer, domain.ComplaintAnalysisRecorded, id, &domain.AnalysisPayload{RootCause: &root})
	return id
}

func chosen(t *testing.T, s *boltstore.Store, desc string) string {
	t.Helper()
	id := fixture.Proposed(t, s, desc)
	fixture.Do(t, s, fixture.Operator, domain.ComplaintSolutionChosen, id, &domain.ChooseSolutionPayload{SolutionID: "S1"})
	return id
}

// sideButtons lists the task buttons in the side panel, in order, and the
// highlighted ones.
func sideButtons(r *rig) (all, high []string) {
	uitest.Walk(r.sc.side, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok {
			all = append(all, b.Text)
			if b.Importance == widget.HighImportance {
				high = append(high, b.Text)
			}
		}
		return false
	})
	return all, high
}

// The highlighted button follows the status: one next step at a time,
// none while the complaint waits for someone else, and the buttons keep
// their order from one status to the next ("Record the analysis" stayed
// highlighted at every later stage).
func TestOnePrimaryActionPerStatus(t *testing.T) {
	s := seeded(t)
	id := fixture.File(t, s, fixture.Filing("Burr"))
	due := time.Now().Add(72 * time.Hour)
	root := "Worn die"
	var actionID string
	steps := []struct {
		name    string
		as      boltstore.Actor
		primary string // "" when nothing is highlighted
		waits   string // the line saying whose turn it is, "" if none
		then    func()
	}{
		{"new", fixture.Engineer, "Acknowledge", "", func() {
			fixture.Do(t, s, fixture.Engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: due, Assignee: fixture.Engineer.Login})
		}},
		{"acknowledged", fixture.Engineer, "Record the analysis", "", func() {
			fixture.Do(t, s, fixture.Engineer, domain.ComplaintAnalysisRecorded, id, &domain.AnalysisPayload{RootCause: &root})
		}},
		{"investigating", fixture.Engineer, "Propose solutions", "", func() {
			fixture.Do(t, s, fixture.Engineer, domain.ComplaintSolutionProposed, id, &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{{ID: "S1", Text: "Replace the die"}}})
		}},
		{"proposed, engineer", fixture.Engineer, "", "Waiting for the complainant to choose", nil},
		{"proposed, operator", fixture.Operator, "Choose a solution", "", func() {
			fixture.Do(t, s, fixture.Operator, domain.ComplaintSolutionChosen, id, &domain.ChooseSolutionPayload{SolutionID: "S1"})
		}},
		{"chosen", fixture.Engineer, "Assign an action", "", func() {
			evs, err := s.Record(fixture.Engineer,
				boltstore.Command{Type: domain.ActionAssigned, Payload: &domain.ActionAssignedPayload{Kind: domain.ActionCorrective, Title: "New die", Owner: fixture.Engineer.Login, Due: due, ComplaintID: id}})
			if err != nil {
				t.Fatal(err)
			}
			actionID = evs[0].EntityID
			fixture.Do(t, s, fixture.Engineer, domain.ComplaintActionLinked, id, &domain.LinkActionPayload{ActionID: actionID, Kind: domain.ActionCorrective, Title: "New die"})
		}},
		{"actions pending", fixture.Engineer, "", "Actions still to be done: 1", func() {
			fixture.Do(t, s, fixture.Engineer, domain.ActionCompleted, actionID, &domain.NotePayload{})
		}},
		{"actions done", fixture.Engineer, "Mark as resolved", "", func() {
			fixture.Do(t, s, fixture.Engineer, domain.ComplaintResolved, id, &domain.ResolvePayload{Summary: "Die replaced"})
		}},
		{"resolved, engineer", fixture.Engineer, "", "Waiting for the complainant to confirm", nil},
		{"resolved, operator", fixture.Operator, "Confirm and rate", "", nil},
	}
	before := map[string]bool{} // "role|a|b": a was shown above b
	for _, st := range steps {
		r := open(t, s, st.as, id)
		all, high := sideButtons(r)
		want := []string{}
		if st.primary != "" {
			want = []string{st.primary}
		}
		if strings.Join(high, "|") != strings.Join(want, "|") {
			t.Errorf("%s: highlighted %q, want %q (buttons %v)", st.name, high, want, all)
		}
		if st.waits != "" && !uitest.HasText(r.sc.side, st.waits) {
			t.Errorf("%s: no line saying %q", st.name, st.waits)
		}
		// The buttons shown at two stages keep their relative order.
		for i, a := range all {
			for _, b := range all[i+1:] {
				if before[string(st.as.Role)+"|"+b+"|"+a] {
					t.Errorf("%s: %q now comes before %q", st.name, a, b)
				}
				before[string(st.as.Role)+"|"+a+"|"+b] = true
			}
		}
		if st.then != nil {
			st.then()
		}
	}
}

// Raw errors of the store ("no active user \"\"") become words under the
// field, in every task of the page.
func TestTaskErrorsInWords(t *testing.T) {
	s := seeded(t)
	tests := []struct {
		name  string
		id    string
		as    boltstore.Actor
		task  string
		fill  func(r *rig)
		field string // "" for the form-wide error
		want  string
	}{
		{"assign without owner", chosen(t, s, "Burr"), fixture.Engineer, "Assign an action", func(r *rig) {
			test.Type(r.entry("title"), "New die")
		}, "owner", "Choose the owner"},
		{"assign without title", chosen(t, s, "Dent"), fixture.Engineer, "Assign an action", func(r *rig) {
			r.sc.Input("owner").(*widget.Select).SetSelected("Léa Petit")
		}, "title", "Give the action a title"},
		{"acknowledge without engineer", fixture.File(t, s, fixture.Filing("Oil")), fixture.Engineer, "Acknowledge", func(r *rig) {
			r.sc.Input("assignee").(*widget.Select).ClearSelected()
		}, "assignee", "Choose the engineer who handles it"},
		{"reject without reason", fixture.File(t, s, fixture.Filing("Stain")), fixture.Engineer, "Reject", nil, "reason", "Say why"},
		{"resolve without summary", chosen(t, s, "Crack"), fixture.Engineer, "Mark as resolved", nil, "summary", "Say what was done"},
		{"propose nothing", investigating(t, s, "Rust"), fixture.Engineer, "Propose solutions", nil, "options", "Write at least one solution"},
		{"duplicate of nothing", fixture.File(t, s, fixture.Filing("Chip")), fixture.Engineer, "Mark as duplicate", func(r *rig) {
			test.Type(r.entry("of"), "PRESS2-2026-9999")
		}, "of", "No complaint has the number PRESS2-2026-9999"},
		{"analysis unchanged", fixture.Acknowledged(t, s, "Warp"), fixture.Engineer, "Record the analysis", nil, "", "Nothing to save"},
		{"message empty", fixture.Acknowledged(t, s, "Bend"), fixture.Operator, "Reply", nil, "text", "Write the message"},
		{"choose nothing", fixture.Proposed(t, s, "Hole"), fixture.Operator, "Choose a solution", nil, "solution_id", "Choose a solution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := open(t, s, tt.as, tt.id)
			r.tap(tt.task)
			if tt.fill != nil {
				tt.fill(r)
			}
			test.Tap(r.sc.Submit())
			got := r.sc.panel.form.FormError()
			if tt.field != "" {
				got = r.sc.PanelError(tt.field)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("error %q, want %q (form-wide: %q)", got, tt.want, r.sc.panel.form.FormError())
			}
		})
	}
}

// The side panel is readable at 1280×800: long whys and titles wrap
// instead of scrolling sideways, and nothing makes the page wider than
// the window.
func TestReadableAt1280(t *testing.T) {
	// Given a complaint with a long action title, analysed with long whys
	s := seeded(t)
	id := chosen(t, s, "Burr")
	long := strings.Repeat("the die was not checked after the night shift ", 3)[:110]
	whys := []string{long, long, long}
	fixture.Do(t, s, fixture.Engineer, domain.ComplaintAnalysisRecorded, id, &domain.AnalysisPayload{Whys: &whys})
	r := open(t, s, fixture.Engineer, id)
	if err := r.m.AssignAction(id, model.NewAction{Kind: domain.ActionCorrective, Title: long, Owner: fixture.Engineer.Login, Due: time.Now().Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r.sc.Load()
	win := r.sc.env.Win
	// When the engineer shows the actions and opens the analysis
	r.sc.Show("actions")
	r.tap("Record the analysis")
	// Then the whys and the title wrap, and the page fits the window
	box := r.sc.Input("whys").(*fyne.Container)
	for i, o := range box.Objects {
		e := uitest.Entry(o)
		if !e.MultiLine || e.Wrapping != fyne.TextWrapWord {
			t.Errorf("why %d scrolls sideways (multi-line %v, wrapping %v)", i+1, e.MultiLine, e.Wrapping)
		}
	}
	if w := win.Content().MinSize().Width; w > 1280 {
		t.Errorf("the page needs %.0f pixels, more than the 1280 of the window", w)
	}
	if w := r.sc.side.Size().Width; w < 480 {
		t.Errorf("side panel %.0f pixels wide, want at least 480", w)
	}
	r.tap("Cancel")
	r.tap("Assign an action")
	if e := r.entry("title"); !e.MultiLine || e.Wrapping != fyne.TextWrapWord {
		t.Error("the action title scrolls sideways")
	}
}

// The header's badges (status, severity, an overdue deadline, a
// recurrence) wrap onto a second line rather than widening the page
// beyond the window: next to the menu, the page has about 1000 pixels at
// 1280 (French labels are longer still).
func TestHeaderFitsBesideTheMenu(t *testing.T) {
	s := seeded(t)
	fixture.Acknowledged(t, s, "Burr on the edge")
	id := fixture.Acknowledged(t, s, "Burr on the edge again")
	r := open(t, s, fixture.Engineer, id)
	r.sc.env.Now = func() time.Time { return time.Now().Add(30 * 24 * time.Hour) } // long overdue
	r.sc.Load()
	if !uitest.HasText(r.sc.header, "Recurrence of") || !uitest.HasText(r.sc.header, "Overdue") {
		t.Fatalf("header lacks the badges: %v", uitest.Texts(r.sc.header, ""))
	}
	if w := r.sc.Object().MinSize().Width; w > 1000 {
		t.Errorf("the page needs %.0f pixels, more than the 1000 beside the menu", w)
	}
}
