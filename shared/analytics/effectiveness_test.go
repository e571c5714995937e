package analytics_test

import (
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestEffectivenessFixture lists the verdicts of the fixture's period
// (30-day window, now = 03-16 00:00), ordered by the moment each was done.
func TestEffectivenessFixture(t *testing.T) {
	got := fixture().Effectiveness(fixPer, fixSet, fixNow)
	type row struct {
		id       string
		verdict  analytics.Verdict
		evidence []string
		daysLeft int
		end      string
	}
	want := []row{
		// PL3 DECOUPE [contamination quantity], started 01-06 08:00: nothing
		// in (01-06 08:00, 02-05 08:00]; C13 (02-25) is after the window
		{"PL3", analytics.Effective, nil, 0, "2026-02-05 08:00"},
		// A2b PRESSE dimensional, done 01-09 10:00: C12 (02-17) is after 02-08 10:00
		{"A2b", analytics.Effective, nil, 0, "2026-02-08 10:00"},
		// A4 on C04 (problem of C01: paint on the hood, P-300), done 01-16
		// 16:00: nothing of that problem by 02-15 16:00. C07 (02-02, runs of
		// paint on P-310) is another problem of the same station and
		// category: no longer evidence (issue 11, point 5)
		{"A4", analytics.Effective, nil, 0, "2026-02-15 16:00"},
		// PL1 PRESSE surface, started 01-17 08:00: C06 on 01-21 (C10 of 02-05
		// is a duplicate and does not count)
		{"PL1", analytics.Ineffective, []string{"C06"}, 0, "2026-02-16 08:00"},
		// A5 DECOUPE dimensional, done 01-20 12:00: C08 on 02-03
		{"A5", analytics.Ineffective, []string{"C08"}, 0, "2026-02-19 12:00"},
		// PL2 PRESSE dimensional, started 02-18 09:00: window ends 03-20
		// 09:00; 03-20 09:00 − 03-16 00:00 = 4 d 9 h → 5 days left
		{"PL2", analytics.Pending, nil, 5, "2026-03-20 09:00"},
		// A13 DECOUPE contamination, done 02-27 10:00: ends 03-29 10:00;
		// 13 d 10 h → 14 days left
		{"A13", analytics.Pending, nil, 14, "2026-03-29 10:00"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d verdicts, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		eq(t, w.id+" id", g.ID, w.id)
		eq(t, w.id+" verdict", g.Verdict, w.verdict)
		eq(t, w.id+" evidence", g.Evidence, w.evidence)
		eq(t, w.id+" count", g.EvidenceCount, len(w.evidence))
		eq(t, w.id+" days left", g.DaysLeft, w.daysLeft)
		eq(t, w.id+" window end", g.WindowEnd, at(w.end))
	}
	eq(t, "A4 scope", []string{got[2].SupplierStation, got[2].ComplaintID}, []string{"PEINT", "C04"})
	eq(t, "PL3 categories", got[0].Categories, []string{"contamination", "quantity"})
	eq(t, "A2b recorded", got[1].Recorded, "effective")
	eq(t, "A2b subject", got[1].Subject, analytics.SubjectAction)

	one, ok := fixture().EffectivenessOf(analytics.SubjectPlan, "PL1", fixSet, fixNow)
	eq(t, "PL1 alone", one, got[3])
	eq(t, "found", ok, true)
	one, ok = fixture().EffectivenessOf(analytics.SubjectAction, "A5", fixSet, fixNow)
	eq(t, "A5 alone", one, got[4])
	eq(t, "found", ok, true)
	_, ok = fixture().EffectivenessOf(analytics.SubjectAction, "A1", fixSet, fixNow) // not done
	eq(t, "A1", ok, false)
	_, ok = fixture().EffectivenessOf(analytics.SubjectPlan, "PL4", fixSet, fixNow) // draft
	eq(t, "PL4", ok, false)
}

// TestEffectivenessRule checks the verdicts around one preventive action
// done at t0 with a 30-day window.
func TestEffectivenessRule(t *testing.T) {
	day := analytics.Day
	set := analytics.Settings{EffectivenessWindow: 30 * day}
	base := rc("A", t0.Add(-10*day), "P1")
	act := domain.Action{ID: "X", Kind: domain.ActionPreventive, ComplaintID: "A", Status: domain.ActionStatusDone, DoneAt: t0}
	verdict := func(t *testing.T, now time.Time, later ...domain.Complaint) analytics.Effectiveness {
		t.Helper()
		in := analytics.Input{Complaints: append([]domain.Complaint{base}, later...), Actions: []domain.Action{act}}
		es := analytics.NewDataset(in).Effectiveness(analytics.Filter{}, set, now)
		if len(es) != 1 {
			t.Fatalf("got %d verdicts", len(es))
		}
		return es[0]
	}
	t.Run("PendingWithDaysLeft", func(t *testing.T) {
		// 30 d − 10 d 12 h = 19 d 12 h → 20 days
		e := verdict(t, t0.Add(10*day+12*time.Hour))
		eq(t, "verdict", e.Verdict, analytics.Pending)
		eq(t, "days left", e.DaysLeft, 20)
	})
	t.Run("IneffectiveAtOnce", func(t *testing.T) {
		// a complaint of the problem on day 3 decides it on day 4, long
		// before the window ends
		e := verdict(t, t0.Add(4*day), rc("B", t0.Add(3*day), "P1"))
		eq(t, "verdict", e.Verdict, analytics.Ineffective)
		eq(t, "evidence", e.Evidence, []string{"B"})
		eq(t, "days left", e.DaysLeft, 0)
	})
	t.Run("OtherProblemIgnored", func(t *testing.T) {
		// same station and category, another part: another problem (before
		// issue 11 it made the action ineffective)
		e := verdict(t, t0.Add(40*day), rc("B", t0.Add(3*day), "P9"))
		eq(t, "verdict", e.Verdict, analytics.Effective)
	})
	t.Run("EffectiveAfterWindow", func(t *testing.T) {
		e := verdict(t, t0.Add(30*day))
		eq(t, "verdict", e.Verdict, analytics.Effective)
	})
	t.Run("ComplaintOnLastInstantCounts", func(t *testing.T) {
		e := verdict(t, t0.Add(40*day), rc("B", t0.Add(30*day), "P1"))
		eq(t, "verdict", e.Verdict, analytics.Ineffective)
	})
	t.Run("ComplaintAfterWindowDoesNot", func(t *testing.T) {
		e := verdict(t, t0.Add(40*day), rc("B", t0.Add(30*day+time.Minute), "P1"))
		eq(t, "verdict", e.Verdict, analytics.Effective)
	})
	t.Run("ComplaintAtDoneInstantDoesNot", func(t *testing.T) {
		e := verdict(t, t0.Add(40*day), rc("B", t0, "P1"))
		eq(t, "verdict", e.Verdict, analytics.Effective)
	})
	t.Run("ComplaintAfterNowIgnored", func(t *testing.T) {
		// figures as of now: a complaint stamped later is not yet evidence
		e := verdict(t, t0.Add(5*day), rc("B", t0.Add(6*day), "P1"))
		eq(t, "verdict", e.Verdict, analytics.Pending)
	})
	t.Run("NotCountableIgnored", func(t *testing.T) {
		b := rc("B", t0.Add(3*day), "P1")
		b.Status = domain.StatusRejected
		e := verdict(t, t0.Add(40*day), b)
		eq(t, "verdict", e.Verdict, analytics.Effective)
	})
	t.Run("OtherCategoryIgnored", func(t *testing.T) {
		b := rc("B", t0.Add(3*day), "P1")
		b.Category = "dimensional"
		e := verdict(t, t0.Add(40*day), b)
		eq(t, "verdict", e.Verdict, analytics.Effective)
	})
	t.Run("EvidenceCapped", func(t *testing.T) {
		var later []domain.Complaint
		for i := range analytics.MaxEvidence + 5 {
			later = append(later, rc("B"+string(rune('A'+i/26%26))+string(rune('A'+i%26)), t0.Add(time.Duration(i+1)*time.Minute), "P1"))
		}
		e := verdict(t, t0.Add(40*day), later...)
		eq(t, "listed", len(e.Evidence), analytics.MaxEvidence)
		eq(t, "counted", e.EvidenceCount, analytics.MaxEvidence+5)
		eq(t, "first", e.Evidence[0], "BAA")
	})
	t.Run("NotDoneNotMeasured", func(t *testing.T) {
		open := act
		open.Status, open.DoneAt = domain.ActionStatusInProgress, time.Time{}
		es := analytics.NewDataset(analytics.Input{Complaints: []domain.Complaint{base}, Actions: []domain.Action{open}}).
			Effectiveness(analytics.Filter{}, set, t0)
		eq(t, "verdicts", len(es), 0)
	})
}

// TestPlanEffectiveness: a plan is measured from its start, over every
// category it names.
func TestPlanEffectiveness(t *testing.T) {
	day := analytics.Day
	p := domain.Plan{ID: "PL", SupplierStation: "S", Categories: []string{"surface", "dimensional"}, Status: domain.PlanStatusInProgress, StartedAt: t0}
	b := rc("B", t0.Add(5*day), "P1")
	b.Category = "dimensional"
	c := rc("C", t0.Add(2*day), "P1")
	es := analytics.NewDataset(analytics.Input{Complaints: []domain.Complaint{b, c}, Plans: []domain.Plan{p}}).
		Effectiveness(analytics.Filter{}, analytics.Settings{}, t0.Add(10*day))
	eq(t, "verdict", es[0].Verdict, analytics.Ineffective)
	eq(t, "evidence in filing order across categories", es[0].Evidence, []string{"C", "B"})
	eq(t, "window end (default 90 days)", es[0].WindowEnd, t0.Add(90*day))

	approvedOnly := p
	approvedOnly.StartedAt, approvedOnly.Status = time.Time{}, domain.PlanStatusApproved
	es = analytics.NewDataset(analytics.Input{Plans: []domain.Plan{approvedOnly}}).Effectiveness(analytics.Filter{}, analytics.Settings{}, t0)
	eq(t, "not started: not measured", len(es), 0)
}
