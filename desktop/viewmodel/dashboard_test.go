package viewmodel_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/viewmodel"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
)

func TestRecurrenceBadge(t *testing.T) {
	// Given two complaints of PRESS2 against CUT1 on the same part and category
	m, s := newModel(t, fixture.Engineer)
	first := fixture.File(t, s, fixture.Filing("Burr on the edge"))
	second := fixture.File(t, s, fixture.Filing("Burr again"))
	// When the engineer opens each
	d1, err := m.Complaint(first)
	must(t, err)
	d2, err := m.Complaint(second)
	must(t, err)
	// Then the second is a recurrence of the first, not after prevention
	if d1.RecurrenceOf != "" {
		t.Errorf("first is a recurrence of %q", d1.RecurrenceOf)
	}
	if d2.RecurrenceOf != d1.Complaint.Number || d2.AfterPrevention {
		t.Errorf("second: of %q after %v, want of %q", d2.RecurrenceOf, d2.AfterPrevention, d1.Complaint.Number)
	}
}

func TestPlanEffectivenessBadge(t *testing.T) {
	// Given a plan over a CUT1 complaint, approved and started, on a clock
	// the test moves (the evidence must be filed after the start: within
	// the start's millisecond it would not count)
	clock := &stepClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "boucle.db"), boltstore.Options{Now: clock.now})
	must(t, err)
	defer s.Close()
	fixture.Seed(t, s)
	m := viewmodel.New(s, "PRESS2", passwords{fixture.Manager.Login: "s3cret"})
	m.SetClock(clock.now)
	signIn(m, fixture.Manager)
	c := fixture.File(t, s, fixture.Filing("Burr on the edge"))
	id := fixture.Submitted(t, s, c)
	must(t, m.SignPlan(id, true, "Go", "I approve this plan", "s3cret"))
	must(t, m.StartPlan(id))
	// When the plan is opened
	d, err := m.Plan(id)
	must(t, err)
	// Then it is pending, with the whole window to go
	if e := d.Effectiveness; e == nil || e.Verdict != analytics.Pending || e.DaysLeft < 89 {
		t.Fatalf("effectiveness = %+v", e)
	}
	// When the same problem comes back at CUT1 a minute later
	clock.t = clock.t.Add(time.Minute)
	again := fixture.File(t, s, fixture.Filing("Burr once more"))
	d, err = m.Plan(id)
	must(t, err)
	// Then the plan is measured ineffective, proven by the new complaint
	st, err := m.Complaint(again)
	must(t, err)
	if e := d.Effectiveness; e == nil || e.Verdict != analytics.Ineffective || len(e.Evidence) != 1 || e.Evidence[0] != st.Complaint.Number {
		t.Errorf("effectiveness = %+v, want ineffective by %s", d.Effectiveness, st.Complaint.Number)
	}
}

// stepClock is a physical clock the test moves by hand.
type stepClock struct{ t time.Time }

func (c *stepClock) now() time.Time { return c.t }

func TestEightD(t *testing.T) {
	// Given a resolved complaint
	m, s := newModel(t, fixture.Engineer)
	id := fixture.Resolved(t, s, "Burr on the edge")
	// When its 8D report is written
	var b bytes.Buffer
	must(t, m.EightD(id, "fr", &b))
	// Then it is a PDF
	if !strings.HasPrefix(b.String(), "%PDF") || b.Len() < 1000 {
		t.Errorf("8D starts with %q, %d bytes", b.String()[:min(8, b.Len())], b.Len())
	}
	// And an unknown complaint is an error
	if err := m.EightD("nope", "en", &b); err == nil {
		t.Error("8D of an unknown complaint")
	}
}
