package dashboard

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/shared/analytics"
)

func TestRecurrenceFigureOpensTheList(t *testing.T) {
	// Given the dashboard with two recurrences in the last 30 days
	env, m, _ := setup(t)
	d := New(env, m)
	var q *model.DashboardQuery
	var period string
	d.OpenRecurrences = func(query model.DashboardQuery, p string) { q, period = &query, p }
	uitest.Show(env, d.Content().Object)
	d.Load()
	// Then the recurrence tile says it opens a list
	if !tileShows(d, "Recurrences", "2 / 3 · tap for the list") {
		t.Fatalf("tiles = %v", tileTexts(d))
	}
	// When the manager taps it
	var tile *tappable
	for _, o := range d.tiles.Objects {
		if tp, ok := o.(*tappable); ok {
			tile = tp
		}
	}
	if tile == nil {
		t.Fatal("no tile opens anything")
	}
	test.Tap(tile)
	// Then the list of the query's recurrences opens, its period named
	if q == nil || q.Period != model.Last30Days || period != "in the last 30 days" {
		t.Fatalf("opened %+v %q", q, period)
	}
	// And the button under the recurring problems opens it too
	q = nil
	test.Tap(uitest.FindButton(d.problems, "Every recurrence of the period (2)"))
	if q == nil {
		t.Fatal("the button opens nothing")
	}
}

func TestRecurringProblemsOpenTheirPage(t *testing.T) {
	// Given the dashboard whose three complaints are one problem, back twice
	env, m, _ := setup(t)
	d := New(env, m)
	var opened analytics.ProblemID
	d.OpenProblem = func(id analytics.ProblemID) { opened = id }
	uitest.Show(env, d.Content().Object)
	d.Load()
	if len(d.Data.Problems) != 1 || d.Data.Problems[0].Recurrences != 2 || !uitest.HasText(d.problems, "2 recurrences") {
		t.Fatalf("problems = %+v", d.Data.Problems)
	}
	// When the manager taps the problem's name
	p := d.Data.Problems[0].Problem
	var hl *widget.Hyperlink
	uitest.Walk(d.problems, func(o fyne.CanvasObject) bool {
		hl, _ = o.(*widget.Hyperlink)
		return hl != nil
	})
	if hl == nil || hl.Text != p.Name() {
		t.Fatalf("no link to %q", p.Name())
	}
	test.TapAt(hl, fyne.NewPos(20, hl.Size().Height/2))
	// Then its page opens
	if opened != p.ID {
		t.Errorf("opened %q, want %q", opened, p.ID)
	}
}

func TestThemesListTheirProblems(t *testing.T) {
	// Given three complaints about burrs on the bracket edge, one problem
	env, m, _ := setup(t)
	d := New(env, m)
	var opened analytics.ProblemID
	d.OpenProblem = func(id analytics.ProblemID) { opened = id }
	uitest.Show(env, d.Content().Object)
	d.Load()
	// Then the themes of the period name the words with their problem
	var theme *model.ThemeRow
	for i, th := range d.Data.Themes {
		if th.Label == "bracket" || th.Label == "burr" || th.Label == "edge" {
			theme = &d.Data.Themes[i]
			break
		}
	}
	if theme == nil || theme.Count != 3 || len(theme.Problems) != 1 {
		t.Fatalf("themes = %+v", d.Data.Themes)
	}
	// When the manager taps the problem's number
	b := uitest.FindButton(d.themes, theme.Problems[0].Number)
	if b == nil {
		t.Fatalf("no button %q: %v", theme.Problems[0].Number, uitest.Texts(d.themes, ""))
	}
	test.Tap(b)
	// Then the problem's page opens
	if opened != theme.Problems[0].ID {
		t.Errorf("opened %q", opened)
	}
}
