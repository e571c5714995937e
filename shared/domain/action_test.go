package domain_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
)

// row is one line of an action or plan transition table: the statuses
// that allow the event and where each leads; from any other status it is
// refused with rule.
type row[S ~string] struct {
	step
	variant string
	allowed map[S]S
	rule    string
}

func moves[S ~string](target S, from ...S) map[S]S {
	m := map[S]S{}
	for _, s := range from {
		m[s] = target
	}
	return m
}

func stays[S ~string](statuses ...S) map[S]S {
	m := map[S]S{}
	for _, s := range statuses {
		m[s] = s
	}
	return m
}

// entityTable runs a transition table against every status of an entity.
type entityTable[S ~string] struct {
	key      domain.EntityKey
	statuses []S
	reach    func(*testing.T, S) *replica
	status   func(*domain.State) S
	rows     []row[S]
}

func (tb entityTable[S]) run(t *testing.T) {
	covered := map[domain.EventType]bool{}
	for _, tr := range tb.rows {
		covered[tr.typ] = true
		for _, from := range tb.statuses {
			name := fmt.Sprintf("%s/%s/from_%s", tr.typ, strings.TrimSuffix(string(tr.role)+"_"+tr.variant, "_"), from)
			want, ok := tr.allowed[from]
			t.Run(name, func(t *testing.T) {
				r := tb.reach(t, from)
				before := len(r.events)
				_, err := r.emitAs(tr.author, tr.role, tr.typ, tb.key.ID, tr.payload())
				if ok {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if got := tb.status(r.state(tb.key)); got != want {
						t.Fatalf("status %s, want %s", got, want)
					}
					return
				}
				wantRule(t, err, domain.EConflict, tr.rule)
				if len(r.events) != before {
					t.Fatal("a refused event was recorded")
				}
				e := r.force(t, tr.author, tr.role, tr.typ, tb.key.ID, tr.payload())
				s := r.state(tb.key)
				if got := tb.status(s); got != from {
					t.Fatalf("forced event moved the status to %s", got)
				}
				if len(s.Meta.Flags) != 1 || s.Meta.Flags[0].Event != e.ID || s.Meta.Flags[0].Rule != tr.rule {
					t.Fatalf("flags %+v, want one for %s with rule %s", s.Meta.Flags, e.ID, tr.rule)
				}
			})
		}
	}
	for _, typ := range domain.EventTypes() {
		if et, _ := domain.EntityOf(typ); et == tb.key.Type && !covered[typ] {
			t.Errorf("%s has no row in the transition table", typ)
		}
	}
}

const aid = "a1" // the action under test

var actionPath = map[domain.ActionStatus][]step{
	domain.ActionStatusOpen:        {assignActionStep},
	domain.ActionStatusInProgress:  {assignActionStep, startActionStep},
	domain.ActionStatusDone:        {assignActionStep, startActionStep, completeActionStep},
	domain.ActionStatusEffective:   {assignActionStep, startActionStep, completeActionStep, verdictStep(domain.ActionVerified, eric, domain.RoleEngineer, true)},
	domain.ActionStatusIneffective: {assignActionStep, completeActionStep, verdictStep(domain.ActionVerified, eric, domain.RoleEngineer, false)},
	domain.ActionStatusCancelled:   {assignActionStep, {mona, domain.RoleManager, domain.ActionCancelled, func() domain.Payload { return reason("superseded") }}},
}

var (
	assignActionStep   = step{eric, domain.RoleEngineer, domain.ActionAssigned, func() domain.Payload { return actionPayload(cid) }}
	startActionStep    = step{eric, domain.RoleEngineer, domain.ActionStarted, func() domain.Payload { return &domain.NotePayload{Note: "tooling ordered"} }}
	completeActionStep = step{mona, domain.RoleManager, domain.ActionCompleted, func() domain.Payload { return &domain.NotePayload{} }}
)

func verdictStep(t domain.EventType, author string, role domain.Role, effective bool) step {
	return step{author, role, t, func() domain.Payload {
		return &domain.VerdictPayload{Effective: effective, Note: "checked on 3 lots", Evidence: []string{"c1", "c2"}}
	}}
}

func actionIn(t *testing.T, status domain.ActionStatus) *replica {
	t.Helper()
	r := newDesk()
	for _, s := range actionPath[status] {
		r.mustEmitAs(t, s.author, s.role, s.typ, aid, s.payload())
	}
	if got := r.action(aid).Status; got != status {
		t.Fatalf("path to %s ends in %s", status, got)
	}
	return r
}

func TestActionTransitions(t *testing.T) {
	pending := []domain.ActionStatus{domain.ActionStatusOpen, domain.ActionStatusInProgress}
	entityTable[domain.ActionStatus]{
		key:      domain.EntityKey{Type: domain.EntityAction, ID: aid},
		statuses: domain.ActionStatuses,
		reach:    actionIn,
		status:   func(s *domain.State) domain.ActionStatus { return s.Action.Status },
		rows: []row[domain.ActionStatus]{
			{step: assignActionStep, rule: "action.unique"},
			{step: step{mona, domain.RoleManager, domain.ActionStarted, func() domain.Payload { return &domain.NotePayload{} }},
				allowed: moves(domain.ActionStatusInProgress, domain.ActionStatusOpen), rule: "action.start"},
			{step: completeActionStep, allowed: moves(domain.ActionStatusDone, pending...), rule: "action.complete"},
			{step: verdictStep(domain.ActionVerified, eric, domain.RoleEngineer, true), variant: "effective",
				allowed: moves(domain.ActionStatusEffective, domain.ActionStatusDone), rule: "action.verify"},
			{step: verdictStep(domain.ActionVerified, eric, domain.RoleEngineer, false), variant: "ineffective",
				allowed: moves(domain.ActionStatusIneffective, domain.ActionStatusDone), rule: "action.verify"},
			{step: step{eric, domain.RoleEngineer, domain.ActionCancelled, func() domain.Payload { return reason("not needed") }},
				allowed: moves(domain.ActionStatusCancelled, pending...), rule: "action.cancel"},
			{step: step{mona, domain.RoleManager, domain.ActionRescheduled, func() domain.Payload {
				return &domain.ActionRescheduledPayload{Owner: "erin", Reason: "eric on leave"}
			}}, allowed: stays(pending...), rule: "action.reschedule"},
			{step: step{adam, domain.RoleAdmin, domain.ActionConflictResolved, func() domain.Payload {
				return &domain.ResolveConflictPayload{Field: "owner", Value: json.RawMessage(`"erin"`)}
			}}, allowed: stays(domain.ActionStatuses...)},
			{step: measureStep(false), allowed: stays(domain.ActionStatusDone, domain.ActionStatusEffective, domain.ActionStatusIneffective), rule: "action.measure"}, // measured_test.go
		},
	}.run(t)
}

func TestActionMissing(t *testing.T) {
	r := newDesk()
	for _, s := range []step{startActionStep, completeActionStep, verdictStep(domain.ActionVerified, eric, domain.RoleEngineer, true)} {
		_, err := r.emitAs(s.author, s.role, s.typ, "nope", s.payload())
		wantRule(t, err, domain.ENotFound, "action.exists")
	}
}

func TestActionLifecycleRecordsWhoAndWhen(t *testing.T) {
	r := actionIn(t, domain.ActionStatusEffective)
	a := r.action(aid)
	p := actionPayload(cid)
	if a.ID != aid || a.Kind != p.Kind || a.Title != p.Title || a.Owner != "eric" || !a.Due.Equal(p.Due) ||
		a.ComplaintID != cid || a.AssignedBy != eric || a.AssignedAt.IsZero() {
		t.Fatalf("assigned: %+v", a)
	}
	if a.StartedAt.IsZero() || a.DoneAt.IsZero() || a.VerifiedAt.IsZero() || a.VerifiedBy != eric ||
		a.Verdict != "checked on 3 lots" || !slices.Equal(a.Evidence, []string{"c1", "c2"}) {
		t.Fatalf("verified: %+v", a)
	}
	if len(a.Notes) != 1 || a.Notes[0].Text != "tooling ordered" || a.Notes[0].Author != eric {
		t.Fatalf("notes %+v (an empty note is not kept)", a.Notes)
	}
	if a.Overdue(a.Due.Add(time.Hour)) {
		t.Fatal("a verified action is never overdue")
	}
}

func TestActionReschedule(t *testing.T) {
	r := actionIn(t, domain.ActionStatusInProgress)
	due := epoch.Add(30 * 24 * time.Hour)
	r.mustEmitAs(t, mona, domain.RoleManager, domain.ActionRescheduled, aid, &domain.ActionRescheduledPayload{Due: due, Reason: "tooling late"})
	a := r.action(aid)
	if a.Owner != "eric" || !a.Due.Equal(due) || a.Notes[len(a.Notes)-1].Text != "tooling late" {
		t.Fatalf("after new due date: %+v", a)
	}
	if !a.Overdue(due.Add(time.Second)) || a.Overdue(due.Add(-time.Second)) {
		t.Fatal("Overdue does not follow the due date")
	}
	r.mustEmitAs(t, mona, domain.RoleManager, domain.ActionRescheduled, aid, &domain.ActionRescheduledPayload{Owner: "erin", Reason: "eric on leave"})
	if a := r.action(aid); a.Owner != "erin" || !a.Due.Equal(due) {
		t.Fatalf("after new owner: %+v", a)
	}
}

func TestActionCancel(t *testing.T) {
	r := actionIn(t, domain.ActionStatusCancelled)
	if a := r.action(aid); a.CancelReason != "superseded" || a.Status.Pending() {
		t.Fatalf("%+v", a)
	}
}
