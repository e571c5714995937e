package report

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/problems"
	"boucle/desktop/ui/uitest"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
)

func TestKnownProblemWhileTyping(t *testing.T) {
	// Given two complaints about burrs on one bracket from CUT1, closed or not
	f, env, s := newForm(t)
	first := fixture.File(t, s, fixture.Filing("Burrs on the edge of the bracket, sharp to the touch"))
	fixture.File(t, s, fixture.Filing("Sharp burrs on the bracket edge again"))
	var number string
	_ = s.View(func(tx *boltstore.Tx) error { st, _ := tx.Complaint(first); number = st.Complaint.Number; return nil })
	var opened *problems.Screen
	f.OpenProblem = func(id analytics.ProblemID) {
		opened = problems.New(env, f.m.(problems.Model), id, problems.Opener{})
		env.Nav.Push("Problem", opened.Object())
		opened.Load()
	}
	// Then nothing is proposed before the station and a description
	if uitest.HasText(f.Object(), "Looks like a known problem") {
		t.Fatal("a known problem shown on an empty form")
	}
	// When the operator picks CUT1 and describes burrs
	f.station.Pick("CUT1")
	test.Type(f.description, "burrs on the bracket edge")
	// Then their problem is proposed, named after its first complaint,
	// with its two complaints, a likelihood and why
	got := f.KnownProblems()
	if len(got) == 0 || got[0].Problem.ID != analytics.ProblemID(first) {
		t.Fatalf("known problems = %+v, want %s's first", got, number)
	}
	for _, want := range []string{"Looks like a known problem", got[0].Problem.Name(), "2 complaints", "very likely", "descriptions alike"} {
		if !uitest.HasText(f.Object(), want) {
			t.Errorf("the form does not show %q: %v", want, uitest.Texts(f.Object(), ""))
		}
	}
	// When they tap it
	link := f.knownLink(0)
	test.TapAt(link, fyne.NewPos(20, link.Size().Height/2)) // over its text: a link ignores a tap beside it
	// Then the problem's page opens, on that problem
	if opened == nil || opened.Detail().Ref.ID != analytics.ProblemID(first) || !uitest.HasText(env.Nav.(*uitest.Nav).Top(), number) {
		t.Fatalf("problem page not opened on %s", number)
	}
	// And another station with nothing like it hides the panel
	f.station.Pick("PAINT")
	if len(f.KnownProblems()) != 0 || uitest.HasText(f.Object(), "Looks like a known problem") {
		t.Errorf("known problems for PAINT: %+v", f.KnownProblems())
	}
}
