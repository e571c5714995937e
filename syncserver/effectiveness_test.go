package syncserver_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
)

// preventionPlant records, at t0 (the harness's clock):
//
//	C1  PRESS2 → CUT1, dimensional; prev-a (preventive, C1) done; corr-a (corrective, C1) done
//	C3  PAINT4 → PRESS2, surface;   prev-b (preventive, C3) done; prev-c (preventive, C3) open
//	plan-ok   CUT1 [missing_part] started        (nothing will come: effective after 90 days)
//	plan-bad  CUT1 [dimensional] started         (C2 will prove it ineffective)
//	plan-hand CUT1 [labelling] started, then evaluated ineffective by an engineer
//	plan-draft CUT1 [surface], never started
//
// and at t0+2d C2, PRESS2 → CUT1, dimensional, investigated at once: the
// evidence against prev-a and plan-bad.
func preventionPlant(t *testing.T, h *harness) (t0 time.Time, c2 string) {
	t.Helper()
	rec := func(login string, role domain.Role, typ domain.EventType, id string, p domain.Payload) string {
		t.Helper()
		return h.record(boltstore.Actor{Login: login, Role: role}, boltstore.Command{Type: typ, EntityID: id, Payload: p})[0]
	}
	eng := func(typ domain.EventType, id string, p domain.Payload) string {
		return rec("eng1", domain.RoleEngineer, typ, id, p)
	}
	file := func(filingSt, supplier, cat string) string {
		return rec("op1", domain.RoleOperator, domain.ComplaintFiled, "", &domain.ComplaintFiledPayload{FilingStation: filingSt,
			SupplierStation: supplier, PartRef: "BRK-1", Quantity: 1, Category: cat, Severity: domain.SeverityMinor,
			Kind: domain.KindComplaint, Description: "defect"})
	}
	action := func(id string, kind domain.ActionKind, complaint string, done bool) {
		eng(domain.ActionAssigned, id, &domain.ActionAssignedPayload{Kind: kind, Title: id, Owner: "eng2", Due: h.clock.Now().Add(time.Hour), ComplaintID: complaint})
		if done {
			eng(domain.ActionCompleted, id, &domain.NotePayload{})
		}
	}
	plan := func(id, cat string, start bool) {
		eng(domain.PlanDrafted, id, &domain.PlanContentPayload{Title: id, SupplierStation: "CUT1", Categories: []string{cat}})
		if !start {
			return
		}
		eng(domain.PlanSubmitted, id, &domain.NotePayload{})
		rec("mgr", domain.RoleManager, domain.PlanApproved, id, &domain.SignOffPayload{Meaning: "approve", Comment: "ok"})
		eng(domain.PlanStarted, id, &domain.NotePayload{})
	}
	t0 = h.clock.Now()
	c1 := file("PRESS2", "CUT1", "dimensional")
	action("prev-a", domain.ActionPreventive, c1, true)
	action("corr-a", domain.ActionCorrective, c1, true)
	c3 := file("PAINT4", "PRESS2", "surface")
	action("prev-b", domain.ActionPreventive, c3, true)
	action("prev-c", domain.ActionPreventive, c3, false)
	plan("plan-ok", "missing_part", true)
	plan("plan-bad", "dimensional", true)
	plan("plan-hand", "labelling", true)
	eng(domain.PlanEvaluated, "plan-hand", &domain.VerdictPayload{Effective: false, Note: "judged by hand"})
	plan("plan-draft", "surface", false)
	h.clock.Advance(48 * time.Hour)
	c2 = file("PRESS2", "CUT1", "dimensional")
	investigate(t, h, c2)
	return t0, c2
}

// investigate takes a complaint through acknowledgement and analysis to a
// proposed solution: past its investigation it can no longer be rejected,
// withdrawn or marked duplicate, and counts as settled evidence.
func investigate(t *testing.T, h *harness, id string) {
	t.Helper()
	cause := "worn nozzle"
	h.record(boltstore.Actor{Login: "eng1", Role: domain.RoleEngineer},
		boltstore.Command{Type: domain.ComplaintAcknowledged, EntityID: id, Payload: &domain.AcknowledgePayload{Deadline: h.clock.Now().Add(5 * 24 * time.Hour), Assignee: "eng1"}},
		boltstore.Command{Type: domain.ComplaintAnalysisRecorded, EntityID: id, Payload: &domain.AnalysisPayload{RootCause: &cause}},
		boltstore.Command{Type: domain.ComplaintSolutionProposed, EntityID: id, Payload: &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{{ID: "s1", Text: "rework"}}}})
}

func state(t *testing.T, h *harness, typ domain.EntityType, id string) *domain.State {
	t.Helper()
	return h.state(domain.EntityKey{Type: typ, ID: id})
}

// storeState reads an entity's state in a workstation's store.
func storeState(t *testing.T, store *boltstore.Store, typ domain.EntityType, id string) *domain.State {
	t.Helper()
	var st *domain.State
	if err := store.View(func(tx *boltstore.Tx) (err error) {
		st, err = tx.State(domain.EntityKey{Type: typ, ID: id})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return st
}

// lastEvent returns the latest event of an entity.
func lastEvent(t *testing.T, h *harness, typ domain.EntityType, id string) domain.Event {
	t.Helper()
	var last domain.Event
	err := h.ports.ViewProjections(t.Context(), func(tx syncserver.ProjectionTx) error {
		evs, _, err := tx.LogAfter(0, 100000)
		for _, le := range evs {
			if le.Event.EntityType == typ && le.Event.EntityID == id {
				last = le.Event
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return last
}

func TestEvaluateEffectiveness(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		t0, c2 := preventionPlant(t, h)
		evaluate := func(want int) {
			t.Helper()
			if n, err := h.srv.EvaluateEffectiveness(h.clock.Now()); err != nil || n != want {
				t.Fatalf("evaluate at %s: %d recorded, %v; want %d", h.clock.Now().Sub(t0), n, err, want)
			}
		}

		t.Run("IneffectiveAtOnce", func(t *testing.T) {
			// given C2, against CUT1 in dimensional, two days after prev-a and plan-bad
			// when the server evaluates
			evaluate(2)
			// then prev-a is measured ineffective, its status left to people
			a := state(t, h, domain.EntityAction, "prev-a").Action
			if a.Status != domain.ActionStatusDone || a.MeasuredEffective == nil || *a.MeasuredEffective || !slices.Equal(a.MeasuredEvidence, []string{c2}) {
				t.Fatalf("prev-a = status %s, measured %v, evidence %v", a.Status, a.MeasuredEffective, a.MeasuredEvidence)
			}
			// and plan-bad is evaluated ineffective, with the evidence and a note
			pl := state(t, h, domain.EntityPlan, "plan-bad").Plan
			if pl.Status != domain.PlanStatusIneffective || !slices.Equal(pl.Evidence, []string{c2}) || !strings.Contains(pl.Verdict, "1 complaint") {
				t.Fatalf("plan-bad = %s, evidence %v, note %q", pl.Status, pl.Evidence, pl.Verdict)
			}
			for _, k := range []struct {
				typ domain.EntityType
				id  string
			}{{domain.EntityAction, "prev-a"}, {domain.EntityPlan, "plan-bad"}} {
				if e := lastEvent(t, h, k.typ, k.id); e.Author != syncserver.SystemLogin || e.Role != domain.RoleSystem {
					t.Fatalf("%s recorded by %s (%s)", k.id, e.Author, e.Role)
				}
			}
			// and the rest is pending
			for _, id := range []string{"prev-b"} {
				if a := state(t, h, domain.EntityAction, id).Action; a.MeasuredEffective != nil {
					t.Fatalf("%s measured before its window ended", id)
				}
			}
			if pl := state(t, h, domain.EntityPlan, "plan-ok").Plan; pl.Status != domain.PlanStatusInProgress {
				t.Fatalf("plan-ok = %s before its window ended", pl.Status)
			}
		})
		t.Run("Idempotent", func(t *testing.T) {
			before := h.logLen()
			evaluate(0)
			if h.logLen() != before {
				t.Fatal("a second evaluation recorded events")
			}
		})
		t.Run("EffectiveWhenTheWindowEnds", func(t *testing.T) {
			// one day short of the window: still pending
			h.clock.Advance(87 * 24 * time.Hour)
			evaluate(0)
			// the window (90 days after t0) has ended
			h.clock.Advance(2 * 24 * time.Hour)
			evaluate(2)
			if a := state(t, h, domain.EntityAction, "prev-b").Action; a.MeasuredEffective == nil || !*a.MeasuredEffective || a.Status != domain.ActionStatusDone {
				t.Fatalf("prev-b = %s, measured %v", a.Status, a.MeasuredEffective)
			}
			if pl := state(t, h, domain.EntityPlan, "plan-ok").Plan; pl.Status != domain.PlanStatusEffective || len(pl.Evidence) != 0 {
				t.Fatalf("plan-ok = %s, evidence %v", pl.Status, pl.Evidence)
			}
			// plan-hand was judged by people: the system leaves it; prev-c is not done; corr-a is not preventive
			if pl := state(t, h, domain.EntityPlan, "plan-hand").Plan; pl.Status != domain.PlanStatusIneffective || pl.Verdict != "judged by hand" {
				t.Fatalf("plan-hand = %s %q", pl.Status, pl.Verdict)
			}
			for _, id := range []string{"prev-c", "corr-a"} {
				if a := state(t, h, domain.EntityAction, id).Action; a.MeasuredEffective != nil {
					t.Fatalf("%s was measured", id)
				}
			}
			evaluate(0)
		})
		t.Run("WorkstationsReceiveTheVerdicts", func(t *testing.T) {
			ws := h.workstation("eng1")
			events, _ := h.pullAll(ws, "")
			store, err := boltstore.Open(filepath.Join(t.TempDir(), "ws.db"), boltstore.Options{Now: h.clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if _, err := store.Ingest(events); err != nil {
				t.Fatal(err)
			}
			if a := storeState(t, store, domain.EntityAction, "prev-a").Action; a.MeasuredEffective == nil || *a.MeasuredEffective {
				t.Fatalf("the workstation's prev-a: measured %v", a.MeasuredEffective)
			}
			if pl := storeState(t, store, domain.EntityPlan, "plan-ok").Plan; pl.Status != domain.PlanStatusEffective {
				t.Fatalf("the workstation's plan-ok: %s", pl.Status)
			}
		})
	})
}

// Run evaluates at once, and stops when its context ends.
func TestRunEvaluatesUntilStopped(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) { c.EvaluateEvery = 10 * time.Millisecond })
		preventionPlant(t, h)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); h.srv.Run(ctx) }()
		// Polls the store; the bound only turns a hang into a failure, and is
		// wide because the machine may be busy with other tests.
		deadline := time.Now().Add(time.Minute)
		for state(t, h, domain.EntityPlan, "plan-bad").Plan.Status != domain.PlanStatusIneffective {
			if time.Now().After(deadline) {
				t.Fatal("Run did not record the verdict")
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatal("Run did not stop")
		}
	})
}
