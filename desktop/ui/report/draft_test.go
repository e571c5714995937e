package report

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// typedAt is the clock of the draft tests: drafts say when they were kept.
var typedAt = time.Date(2026, 12, 7, 10, 42, 0, 0, time.UTC)

// operatorModel signs the PRESS2 operator in on a store, with a clock.
func operatorModel(s *boltstore.Store) *viewmodel.Model {
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Operator.Login, Role: domain.RoleOperator})
	m.SetClock(func() time.Time { return typedAt })
	return m
}

// openScreen shows the form as the operator's home screen shows it.
func openScreen(t *testing.T, env ui.Env, m Model) *Form {
	t.Helper()
	f := NewForm(env, m, func(string) {})
	f.KeepDrafts()
	show(env, f)
	f.Load()
	return f
}

func typeAComplaint(f *Form) {
	f.station.Pick("CUT1")
	test.Type(f.part, "BR-2040")
	test.Type(f.quantity, "12")
	f.category.SetSelectedIndex(1)
	f.severity.SetSelected("Major")
	test.Type(f.description, "Burr on the edge")
	f.AddFile(model.File{Name: "burr.jpg", Data: []byte("\xff\xd8\xff photo")})
}

func checkRestored(t *testing.T, f *Form) {
	t.Helper()
	got := f.Values()
	if got.SupplierStation != "CUT1" || got.PartRef != "BR-2040" || got.Quantity != 12 || got.Severity != domain.SeverityMajor ||
		got.Description != "Burr on the edge" || len(got.Files) != 1 || got.Files[0].Name != "burr.jpg" {
		t.Fatalf("restored %+v", got)
	}
	if want := "Draft restored, from "; !strings.HasPrefix(f.DraftText(), want) || uitest.FindButton(f.Object(), "Discard the draft") == nil {
		t.Fatalf("draft line %q, want %q… and a Discard button", f.DraftText(), want)
	}
}

// A complaint typed and left comes back when the form opens again.
func TestDraftSurvivesReopeningTheScreen(t *testing.T) {
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := operatorModel(s)
	typeAComplaint(openScreen(t, env, m))
	// When the screen is built again (the operator came back to it)
	f := openScreen(t, env, m)
	// Then everything typed is there, photo included, and it says so
	checkRestored(t, f)
	// And a fresh form of another user shows nothing
	other := operatorModel(s)
	other.SetSession(model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer})
	if g := openScreen(t, env, other); g.DraftText() != "" || g.Values().PartRef != "" {
		t.Fatalf("the engineer's form shows %q, %q", g.DraftText(), g.Values().PartRef)
	}
}

// The draft survives the app stopping (or crashing) and starting again:
// it is in the store, not in memory.
func TestDraftSurvivesARestart(t *testing.T) {
	env, _ := uitest.New(t)
	path := filepath.Join(t.TempDir(), "boucle.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fixture.Seed(t, s)
	typeAComplaint(openScreen(t, env, operatorModel(s)))
	// When the store is closed and opened again
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	// Then a new form restores it, with the time it was kept
	f := openScreen(t, env, operatorModel(s))
	checkRestored(t, f)
	if !strings.Contains(f.DraftText(), "2026") {
		t.Errorf("draft line %q does not say when", f.DraftText())
	}
}

// Discarding empties the form and deletes the draft.
func TestDiscardTheDraft(t *testing.T) {
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := operatorModel(s)
	typeAComplaint(openScreen(t, env, m))
	f := openScreen(t, env, m)
	test.Tap(uitest.FindButton(f.Object(), "Discard the draft"))
	if f.Values().PartRef != "" || f.Values().SupplierStation != "" || f.DraftText() != "" {
		t.Fatalf("after discarding: %+v, line %q", f.Values(), f.DraftText())
	}
	if _, ok, _ := m.ReportDraft(); ok {
		t.Fatal("the draft is still in the store")
	}
}

// Filing deletes the draft: the next form starts empty but for the
// supplier, and no line says a draft was restored.
func TestFilingDeletesTheDraft(t *testing.T) {
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := operatorModel(s)
	f := openScreen(t, env, m)
	typeAComplaint(f)
	test.Tap(f.save)
	if !strings.HasPrefix(f.SavedText(), "Saved as ") {
		t.Fatalf("not saved: %q", f.form.FormError())
	}
	if _, ok, _ := m.ReportDraft(); ok {
		t.Fatal("the draft outlived the filing")
	}
	// And the form is ready for the next defect, the focus on the part
	if env.Win.Canvas().Focused() != f.part || f.Values().SupplierStation != "CUT1" {
		t.Fatalf("after saving: focus %T, supplier %q", env.Win.Canvas().Focused(), f.Values().SupplierStation)
	}
	if g := openScreen(t, env, m); g.DraftText() != "" {
		t.Fatalf("a draft came back: %q", g.DraftText())
	}
}

// manualAsync holds the background work until the test runs it, as a
// slow disk would: what the UI goroutine does is seen apart from it.
type manualAsync struct{ held []func() }

func (a *manualAsync) async(work, apply func()) { a.held = append(a.held, func() { work(); apply() }) }

// runAll runs the work held, and what it queues, until none is left.
func (a *manualAsync) runAll() {
	for len(a.held) > 0 {
		next := a.held[0]
		a.held = a.held[1:]
		next()
	}
}

// countingModel counts the draft writes that reach the store.
type countingModel struct {
	*viewmodel.Model
	writes []model.ReportDraft
}

func (c *countingModel) SaveReportDraft(d model.ReportDraft) (model.ReportDraft, error) {
	c.writes = append(c.writes, d)
	return c.Model.SaveReportDraft(d)
}

// Typing does not write on the UI goroutine, and writes waiting behind a
// slow one are coalesced: the latest value wins.
func TestDraftWritesAreCoalesced(t *testing.T) {
	env, _ := uitest.New(t)
	slow := &manualAsync{}
	env.Async = slow.async
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := &countingModel{Model: operatorModel(s)}
	f := openScreen(t, env, m)
	slow.runAll() // the reference and the (absent) draft load
	// When "BR-2040" is typed, one key at a time, while the disk is slow
	test.Type(f.part, "BR-2040")
	// Then no write ran on the UI goroutine
	if len(m.writes) != 0 {
		t.Fatalf("%d draft writes ran while typing", len(m.writes))
	}
	// And once the disk answers: the first key's write, then only the last
	slow.runAll()
	if len(m.writes) != 2 || m.writes[0].PartRef != "B" || m.writes[1].PartRef != "BR-2040" {
		var got []string
		for _, w := range m.writes {
			got = append(got, w.PartRef)
		}
		t.Fatalf("writes %q, want [B BR-2040]", got)
	}
}

// A draft write waiting when the complaint is filed is dropped: it would
// write the draft back after the filing deleted it.
func TestNoDraftWriteLandsAfterTheFiling(t *testing.T) {
	env, _ := uitest.New(t)
	slow := &manualAsync{}
	env.Async = slow.async
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := operatorModel(s)
	f := openScreen(t, env, m)
	slow.runAll()
	// Given a complaint typed, its draft writes held by a slow disk
	typeAComplaint(f)
	// When it is saved before they ran
	test.Tap(f.save)
	slow.runAll()
	// Then it is filed and no draft is left
	if !strings.HasPrefix(f.SavedText(), "Saved as ") {
		t.Fatalf("not saved: %q", f.form.FormError())
	}
	if _, ok, _ := m.ReportDraft(); ok {
		t.Fatal("a draft write landed after the filing")
	}
}

// A sync that brings stations or categories reloads the pickers and
// keeps what is typed and chosen.
func TestRefreshKeepsWhatIsTyped(t *testing.T) {
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := operatorModel(s)
	content := Screen(env, m, func(string) {}, nil)
	uitest.Show(env, content.Object)
	f := content.Object.(*ui.Guarded).Guard.(*Form)
	typeAComplaint(f)
	before := f.Values()
	content.Refresh()
	if got := f.Values(); got.SupplierStation != before.SupplierStation || got.Category != before.Category || got.PartRef != before.PartRef {
		t.Fatalf("after a refresh: %+v, want %+v", got, before)
	}
}

// Keys typed while the filing runs do not bring the filed complaint back
// as a draft: the write they queued is replaced by the emptied form's.
func TestTypingWhileFilingLeavesNoDraft(t *testing.T) {
	env, _ := uitest.New(t)
	slow := &manualAsync{}
	env.Async = slow.async
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := operatorModel(s)
	f := openScreen(t, env, m)
	slow.runAll()
	typeAComplaint(f)
	slow.runAll()
	// When it is saved, and a scanner types a lot before the filing ran
	test.Tap(f.save)
	test.Type(f.lot, "L-0918")
	slow.runAll()
	// Then it is filed and no draft holds it
	if !strings.HasPrefix(f.SavedText(), "Saved as ") {
		t.Fatalf("not saved: %q", f.form.FormError())
	}
	if d, ok, _ := m.ReportDraft(); ok {
		t.Fatalf("a draft of the filed complaint is left: %+v", d)
	}
}
