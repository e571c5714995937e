package report

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// newForm opens a seeded store, signs the PRESS2 operator in and shows
// the report form.
func newForm(t *testing.T) (*Form, ui.Env, *boltstore.Store) {
	t.Helper()
	env, _ := uitest.New(t)
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Operator.Login, Role: domain.RoleOperator})
	f := NewForm(env, m, func(string) {})
	show(env, f)
	f.Load()
	return f, env, s
}

// show puts the form on screen as the shell does: its window shortcuts
// bound while it is shown (ui.Guard).
func show(env ui.Env, f *Form) {
	uitest.Show(env, f.Object())
	f.OnScreen()
}

func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func TestFiling(t *testing.T) {
	// Given the report form of the PRESS2 operator
	f, env, s := newForm(t)
	// Then the picker does not offer their own station
	for _, m := range f.station.Matches() {
		if strings.HasPrefix(m, "PRESS2") {
			t.Errorf("own station offered: %v", f.station.Matches())
		}
	}
	// When they type "cut" and tap the one match
	test.Type(f.station.Entry, "cut")
	if got := f.station.Matches(); len(got) != 1 || got[0] != "CUT1 · Cutting 1" {
		t.Fatalf("matches = %v", got)
	}
	test.Tap(uitest.FindButton(f.Object(), "CUT1 · Cutting 1"))
	// And fill the part, then scan the lot: the scanner's Enter moves on
	test.Type(f.part, "BR-2040")
	test.Type(f.lot, "L-0917")
	enter(f.lot)
	if env.Win.Canvas().Focused() != f.quantity {
		t.Errorf("focus after the lot's Enter = %T, want the quantity", env.Win.Canvas().Focused())
	}
	test.Type(f.quantity, "12")
	f.category.SetSelectedIndex(0)
	f.severity.SetSelected("Major")
	test.Type(f.description, "Burr on the edge")
	f.AddFile(model.File{Name: "burr.jpg", Data: []byte("\xff\xd8\xff photo")})
	test.Tap(f.save)
	// Then the complaint number is shown and the complaint is in the store
	number := "PRESS2-" + time.Now().Format("2006") + "-0001"
	if got := f.SavedText(); !strings.Contains(got, number) {
		t.Fatalf("saved text = %q, want %s", got, number)
	}
	var rows []boltstore.ComplaintRow
	_ = s.View(func(tx *boltstore.Tx) error {
		p, err := tx.ListComplaints(boltstore.ComplaintFilter{})
		rows = p.Rows
		return err
	})
	if len(rows) != 1 || rows[0].SupplierStation != "CUT1" || rows[0].Lot != "L-0917" || rows[0].Severity != domain.SeverityMajor {
		t.Fatalf("stored = %+v", rows)
	}
	// And the form is ready for the next defect, supplier kept
	if f.part.Text != "" || f.station.Selected() != "CUT1" || len(f.files) != 0 {
		t.Errorf("form not reset: part %q station %q files %d", f.part.Text, f.station.Selected(), len(f.files))
	}
}

func TestFilingClaim(t *testing.T) {
	// Given the form with a claim chosen
	f, _, s := newForm(t)
	f.station.Pick("CUT1")
	test.Type(f.part, "BR-2040")
	f.category.SetSelectedIndex(1)
	f.severity.SetSelected("Minor")
	test.Type(f.description, "Scratched")
	f.kind.SetSelected("Claim (remedy demanded)")
	// When it is saved without a remedy
	test.Tap(f.save)
	// Then the remedy field says so
	if got := f.form.ErrorText("remedy"); got == "" {
		t.Fatalf("no remedy error; form error %q", f.form.FormError())
	}
	// When a remedy is chosen
	f.remedy.SetSelected("Sorting")
	test.Tap(f.save)
	// Then it is saved as a claim demanding sorting
	if f.SavedText() == "" {
		t.Fatalf("not saved: %q", f.form.FormError())
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		p, _ := tx.ListComplaints(boltstore.ComplaintFilter{})
		st, _ := tx.Complaint(p.Rows[0].ID)
		if st.Complaint.Kind != domain.KindClaim || st.Complaint.Remedy != domain.RemedySorting {
			t.Errorf("stored %s %s", st.Complaint.Kind, st.Complaint.Remedy)
		}
		return nil
	})
}

func TestInlineValidation(t *testing.T) {
	tests := []struct {
		name, field string
		fill        func(f *Form)
	}{
		{"ErrSupplierRequired", "supplier_station", func(f *Form) {}},
		{"ErrPartRequired", "part_ref", func(f *Form) { f.station.Pick("CUT1") }},
		{"ErrQuantityNotANumber", "quantity", func(f *Form) {
			f.station.Pick("CUT1")
			test.Type(f.part, "X")
			test.Type(f.quantity, "twelve")
		}},
		{"ErrCategoryRequired", "category", func(f *Form) { f.station.Pick("CUT1"); test.Type(f.part, "X") }},
		{"ErrDescriptionRequired", "description", func(f *Form) {
			f.station.Pick("CUT1")
			test.Type(f.part, "X")
			f.category.SetSelectedIndex(0)
			f.severity.SetSelected("Minor")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Given a form filled up to the field
			f, env, _ := newForm(t)
			tt.fill(f)
			// When it is saved
			test.Tap(f.save)
			// Then the error shows under that field only, and nothing is saved
			if f.form.ErrorText(tt.field) == "" {
				t.Fatalf("no error under %s; form error %q", tt.field, f.form.FormError())
			}
			if f.SavedText() != "" {
				t.Error("saved anyway")
			}
			if tt.field == "part_ref" && env.Win.Canvas().Focused() != f.part {
				t.Error("focus did not move to the field at fault")
			}
		})
	}
}

func TestSimilarWhileTyping(t *testing.T) {
	// Given an open complaint against CUT1 about a burr
	f, _, s := newForm(t)
	id := fixture.File(t, s, fixture.Filing("Burr on the edge of the bracket"))
	var number string
	_ = s.View(func(tx *boltstore.Tx) error { st, _ := tx.Complaint(id); number = st.Complaint.Number; return nil })
	// When the operator picks CUT1 and describes a burr
	f.station.Pick("CUT1")
	test.Type(f.description, "burrs on the bracket")
	// Then that complaint is shown as similar
	if got := f.SimilarNumbers(); len(got) != 1 || got[0] != number {
		t.Fatalf("similar = %v, want [%s]", got, number)
	}
	// And picking another station clears it
	f.station.Pick("PAINT")
	if got := f.SimilarNumbers(); len(got) != 0 {
		t.Errorf("similar for PAINT = %v", got)
	}
}
