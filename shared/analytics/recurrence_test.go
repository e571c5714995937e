package analytics_test

import (
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestRecurrencesFixture lists the fixture's recurrences, with the rule
// applied to the whole dataset (C00 in December, C14 in March count).
func TestRecurrencesFixture(t *testing.T) {
	recs := fixture().Recurrences(analytics.Settings{})
	// Since issue 11 a recurrence links to the previous complaint of the
	// same problem (C06 → C03, no longer the earliest C00), and prevention
	// on any complaint of the problem counts (PL1 names C03).
	// C03 → C00: problem C00 (scratches on the P-100 housing), 23 days 1 h,
	//   after A0 done 12-20 10:00 < 01-07 10:00
	// C04 → C01: problem C01 (paint of the P-300 hood, in English), 3 days
	//   6 h; the problem's only preventive action A1 is open
	// C06 → C03: 14 days; after A0 and PL1 (approved 01-16, names C03)
	// C08 → C05: DECOUPE/dimensional/P-050, 22 days 4 h; after A5 (01-20)
	// C12 → C02: PRESSE/dimensional/P-200, 42 days; after A2b (done 01-09)
	//   and PL2 (approved 01-20)
	// C14 → C06: 42 days; after A0 and PL1
	// Not: C07 (P-310 ≠ P-300, runs of paint), C10 (duplicate), C11 (withdrawn).
	want := []analytics.Recurrence{
		{ComplaintID: "C03", Of: "C00", Problem: "C00", Gap: 23*analytics.Day + time.Hour, AfterPrevention: true, PreventiveActions: []string{"A0"}},
		{ComplaintID: "C04", Of: "C01", Problem: "C01", Gap: 3*analytics.Day + 6*time.Hour},
		{ComplaintID: "C06", Of: "C03", Problem: "C00", Gap: 14 * analytics.Day, AfterPrevention: true, PreventiveActions: []string{"A0"}, Plans: []string{"PL1"}},
		{ComplaintID: "C08", Of: "C05", Problem: "C05", Gap: 22*analytics.Day + 4*time.Hour, AfterPrevention: true, PreventiveActions: []string{"A5"}},
		{ComplaintID: "C12", Of: "C02", Problem: "C02", Gap: 42 * analytics.Day, AfterPrevention: true, PreventiveActions: []string{"A2b"}, Plans: []string{"PL2"}},
		{ComplaintID: "C14", Of: "C06", Problem: "C00", Gap: 42 * analytics.Day, AfterPrevention: true, PreventiveActions: []string{"A0"}, Plans: []string{"PL1"}},
	}
	eq(t, "all", recs.All(), want)
	eq(t, "len", recs.Len(), 6)
	got, ok := recs.Lookup("C06")
	eq(t, "lookup", got, want[2])
	eq(t, "found", ok, true)
	if _, ok := recs.Lookup("C07"); ok {
		t.Error("C07 is not a recurrence")
	}
}

// rc builds a countable complaint of supplier S, category surface.
func rc(id string, filed time.Time, part string) domain.Complaint {
	return domain.Complaint{ID: id, FilingStation: "C", SupplierStation: "S", PartRef: part, Category: "surface",
		Severity: domain.SeverityMinor, Kind: domain.KindComplaint, FiledAt: filed, Status: domain.StatusNew}
}

var t0 = at("2026-01-01 08:00")

func recurrenceOf(t *testing.T, in analytics.Input, id string) (analytics.Recurrence, bool) {
	t.Helper()
	return analytics.NewDataset(in).Recurrences(analytics.Settings{}).Lookup(id)
}

// TestRecurrenceRule checks the edges of the rule with two or three
// complaints at a time.
func TestRecurrenceRule(t *testing.T) {
	day := analytics.Day
	t.Run("Day89", func(t *testing.T) {
		r, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "P1"), rc("B", t0.Add(89*day), "P1")}}, "B")
		eq(t, "found", ok, true)
		eq(t, "of", r.Of, "A")
	})
	t.Run("Day90IsInside", func(t *testing.T) {
		// FiledAt(B) − FiledAt(A) = 90 days ≤ window
		_, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "P1"), rc("B", t0.Add(90*day), "P1")}}, "B")
		eq(t, "found", ok, true)
	})
	t.Run("Day90AndOneMinuteIsOutside", func(t *testing.T) {
		_, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "P1"), rc("B", t0.Add(90*day+time.Minute), "P1")}}, "B")
		eq(t, "found", ok, false)
	})
	t.Run("Day91", func(t *testing.T) {
		_, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "P1"), rc("B", t0.Add(91*day), "P1")}}, "B")
		eq(t, "found", ok, false)
	})
	t.Run("WindowSetting", func(t *testing.T) {
		ds := analytics.NewDataset(analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "P1"), rc("B", t0.Add(20*day), "P1")}})
		eq(t, "30 days", ds.Recurrences(analytics.Settings{RecurrenceWindow: 30 * day}).Len(), 1)
		eq(t, "10 days", ds.Recurrences(analytics.Settings{RecurrenceWindow: 10 * day}).Len(), 0)
	})
	t.Run("DifferentPart", func(t *testing.T) {
		_, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "P1"), rc("B", t0.Add(day), "P2")}}, "B")
		eq(t, "found", ok, false)
	})
	t.Run("PartCaseAndSpaces", func(t *testing.T) {
		_, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "p1 "), rc("B", t0.Add(day), "P1")}}, "B")
		eq(t, "found", ok, true)
	})
	t.Run("UnknownPartNeverMatches", func(t *testing.T) {
		// Before issue 11 a complaint without a part matched every part
		// (B and C recurred A). An unknown part is no evidence: with
		// nothing else in common but the category, three problems.
		in := analytics.Input{Complaints: []domain.Complaint{rc("A", t0, ""), rc("B", t0.Add(day), "P2"), rc("C", t0.Add(2*day), "P3")}}
		_, okB := recurrenceOf(t, in, "B")
		_, okC := recurrenceOf(t, in, "C")
		eq(t, "B", okB, false)
		eq(t, "C", okC, false)
	})
	t.Run("DifferentSupplierOrCategory", func(t *testing.T) {
		b, c := rc("B", t0.Add(day), "P1"), rc("C", t0.Add(2*day), "P1")
		b.SupplierStation, c.Category = "OTHER", "dimensional"
		ds := analytics.NewDataset(analytics.Input{Complaints: []domain.Complaint{rc("A", t0, "P1"), b, c}})
		eq(t, "none", ds.Recurrences(analytics.Settings{}).Len(), 0)
	})
	t.Run("PreviousOfTheProblem", func(t *testing.T) {
		// A day 0, B day 30, C day 60, D day 100: each links to the
		// problem's previous complaint (before issue 11, to the earliest
		// within the window: C → A, D → B)
		in := analytics.Input{Complaints: []domain.Complaint{rc("D", t0.Add(100*day), "P1"), rc("C", t0.Add(60*day), "P1"),
			rc("A", t0, "P1"), rc("B", t0.Add(30*day), "P1")}}
		ds := analytics.NewDataset(in)
		var got []string
		for _, r := range ds.Recurrences(analytics.Settings{}).All() {
			got = append(got, r.ComplaintID+"→"+r.Of)
		}
		eq(t, "links", got, []string{"B→A", "C→B", "D→C"})
	})
	t.Run("SameInstant", func(t *testing.T) {
		// two complaints filed at the same millisecond: the id decides
		// which is earlier, the same way everywhere
		in := analytics.Input{Complaints: []domain.Complaint{rc("B", t0, "P1"), rc("A", t0, "P1")}}
		r, ok := recurrenceOf(t, in, "B")
		eq(t, "B → A", ok && r.Of == "A", true)
	})
	t.Run("NotCountable", func(t *testing.T) {
		for _, st := range []domain.ComplaintStatus{domain.StatusRejected, domain.StatusDuplicate, domain.StatusWithdrawn} {
			a := rc("A", t0, "P1")
			a.Status = st
			b := rc("B", t0.Add(day), "P1")
			_, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{a, b}}, "B")
			eq(t, "earlier "+string(st), ok, false)
			a.Status, b.Status = domain.StatusNew, st
			_, ok = recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{a, b}}, "B")
			eq(t, "later "+string(st), ok, false)
		}
	})
}

// TestRecurrenceAfterPrevention: the earlier complaint's preventive action
// must be done, and its plan approved, before the new one was filed.
func TestRecurrenceAfterPrevention(t *testing.T) {
	day := analytics.Day
	a, b := rc("A", t0, "P1"), rc("B", t0.Add(20*day), "P1")
	prevAction := func(kind domain.ActionKind, status domain.ActionStatus, done time.Time) domain.Action {
		return domain.Action{ID: "X", Kind: kind, ComplaintID: "A", Status: status, DoneAt: done, Owner: "o", Due: t0.Add(30 * day)}
	}
	approvedPlan := func(at time.Time) domain.Plan {
		return domain.Plan{ID: "PL", SupplierStation: "S", Categories: []string{"surface"}, Complaints: []string{"A"},
			Status: domain.PlanStatusApproved, SignOffs: []domain.SignOff{{Decision: domain.PlanStatusApproved, At: at}}}
	}
	cases := []struct {
		name    string
		actions []domain.Action
		plans   []domain.Plan
		after   bool
	}{
		{"NoPrevention", nil, nil, false},
		{"PreventiveDoneBefore", []domain.Action{prevAction(domain.ActionPreventive, domain.ActionStatusDone, t0.Add(10*day))}, nil, true},
		{"PreventiveVerifiedIneffective", []domain.Action{prevAction(domain.ActionPreventive, domain.ActionStatusIneffective, t0.Add(10*day))}, nil, true},
		{"PreventiveDoneAfter", []domain.Action{prevAction(domain.ActionPreventive, domain.ActionStatusDone, t0.Add(25*day))}, nil, false},
		{"PreventiveDoneSameInstant", []domain.Action{prevAction(domain.ActionPreventive, domain.ActionStatusDone, t0.Add(20*day))}, nil, false},
		{"PreventiveNotDone", []domain.Action{prevAction(domain.ActionPreventive, domain.ActionStatusInProgress, time.Time{})}, nil, false},
		{"CorrectiveDone", []domain.Action{prevAction(domain.ActionCorrective, domain.ActionStatusDone, t0.Add(10*day))}, nil, false},
		{"PlanApprovedBefore", nil, []domain.Plan{approvedPlan(t0.Add(5 * day))}, true},
		{"PlanApprovedAfter", nil, []domain.Plan{approvedPlan(t0.Add(21 * day))}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ok := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{a, b}, Actions: c.actions, Plans: c.plans}, "B")
			eq(t, "recurrence", ok, true)
			eq(t, "after prevention", r.AfterPrevention, c.after)
		})
	}
	t.Run("ActionOfPlanLinkedToComplaint", func(t *testing.T) {
		// an action of a plan names no complaint; the complaint links it
		a := a
		a.Actions = []domain.ActionLink{{ID: "X", Kind: domain.ActionPreventive}}
		x := domain.Action{ID: "X", Kind: domain.ActionPreventive, PlanID: "PL", Status: domain.ActionStatusDone, DoneAt: t0.Add(day)}
		r, _ := recurrenceOf(t, analytics.Input{Complaints: []domain.Complaint{a, b}, Actions: []domain.Action{x}}, "B")
		eq(t, "after", r.AfterPrevention, true)
		eq(t, "actions", r.PreventiveActions, []string{"X"})
	})
}
