package domain_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"boucle/shared/domain"

	"github.com/google/uuid"
)

// plant3 is a station and two quality desks, all up to date with a
// complaint acknowledged by eric.
type plant3 struct {
	op, qa1, qa2 *replica
}

func newPlant3(t *testing.T, status domain.ComplaintStatus) plant3 {
	t.Helper()
	w := newWorld()
	p := plant3{
		op:  w.replica("ws-press2", olga, domain.RoleOperator, 0),
		qa1: w.replica("qa-1", eric, domain.RoleEngineer, 0),
		qa2: w.replica("qa-2", "erin", domain.RoleEngineer, 0),
	}
	for _, s := range complaintPath[status] {
		r := p.qa1
		if s.role == domain.RoleOperator {
			r = p.op
		}
		r.mustEmitAs(t, s.author, s.role, s.typ, cid, s.payload())
		syncAll(p.op, p.qa1, p.qa2)
	}
	return p
}

func (p plant3) all() []*replica { return []*replica{p.op, p.qa1, p.qa2} }

func (p plant3) clone() plant3 { return plant3{p.op.clone(), p.qa1.clone(), p.qa2.clone()} }

// merged syncs everyone and returns the complaint's state, checking that
// every replica folds it to the same bytes as a fold of the union.
func (p plant3) merged(t *testing.T) *domain.State {
	t.Helper()
	syncAll(p.all()...)
	key := domain.EntityKey{Type: domain.EntityComplaint, ID: cid}
	states, _ := domain.Fold(union(p.all()...))
	want := mustMarshal(t, states[key])
	for _, r := range p.all() {
		if got := mustMarshal(t, r.state(key)); got != want {
			t.Fatalf("%s folds differently:\n%s\n%s", r.id, got, want)
		}
	}
	return states[key]
}

func conflictOn(s *domain.State, field string) *domain.Conflict {
	for i := range s.Meta.Conflicts {
		if s.Meta.Conflicts[i].Field == field {
			return &s.Meta.Conflicts[i]
		}
	}
	return nil
}

// wantValues checks a conflict's values: each value, its author and event,
// and when it was written.
func wantValues(t *testing.T, c *domain.Conflict, values []string, events ...domain.Event) {
	t.Helper()
	if c == nil {
		t.Fatal("no conflict")
	}
	if len(c.Values) != len(events) {
		t.Fatalf("%d values, want %d: %+v", len(c.Values), len(events), c.Values)
	}
	for i, v := range c.Values {
		e := events[i]
		if string(v.Value) != values[i] || v.Writer.Event != e.ID || v.Writer.Author != e.Author ||
			v.Writer.Replica != e.Replica || v.Writer.Seq != e.Seq || !v.At.Equal(e.HLC.Time()) {
			t.Fatalf("value %d: %s by %s (%s) at %v, want %s by %s (%s) at %v", i, v.Value, v.Writer.Author, v.Writer.Event, v.At,
				values[i], e.Author, e.ID, e.HLC.Time())
		}
	}
}

func TestConcurrentEditsOfOneFieldConflict(t *testing.T) {
	p := newPlant3(t, domain.StatusInvestigating)
	// Offline, both engineers state the root cause.
	e1 := p.qa1.mustEmit(t, domain.ComplaintAnalysisRecorded, cid, analysisPayload("worn punch"))
	e2 := p.qa2.mustEmit(t, domain.ComplaintAnalysisRecorded, cid, analysisPayload("wrong setting"))

	offline := p.clone()

	s := p.merged(t)
	wantValues(t, conflictOn(s, "root_cause"), []string{`"worn punch"`, `"wrong setting"`}, e1, e2)
	if len(s.Meta.Conflicts) != 1 {
		t.Fatalf("conflicts %+v", s.Meta.Conflicts)
	}
	if s.Complaint.RootCause != "wrong setting" { // the value of the last event in fold order shows
		t.Fatalf("root cause %q", s.Complaint.RootCause)
	}
	if len(s.Meta.Heads) != 2 || !slices.Contains(s.Meta.Heads, e1.ID) || !slices.Contains(s.Meta.Heads, e2.ID) {
		t.Fatalf("heads %v, want both edits", s.Meta.Heads)
	}

	t.Run("an edit that saw both settles it", func(t *testing.T) {
		p := offline.clone()
		syncAll(p.all()...)
		e3 := p.qa1.mustEmit(t, domain.ComplaintAnalysisRecorded, cid, analysisPayload("worn punch, wrong setting"))
		s := p.merged(t)
		if len(s.Meta.Conflicts) != 0 || s.Complaint.RootCause != "worn punch, wrong setting" {
			t.Fatalf("conflicts %+v, root cause %q", s.Meta.Conflicts, s.Complaint.RootCause)
		}
		if len(e3.Parents) != 2 || !slices.Contains(e3.Parents, e1.ID) || !slices.Contains(e3.Parents, e2.ID) {
			t.Fatalf("parents %v", e3.Parents)
		}
	})
	t.Run("a resolution settles it", func(t *testing.T) {
		p := offline.clone()
		syncAll(p.all()...)
		r := p.qa1.mustEmitAs(t, mona, domain.RoleManager, domain.ComplaintConflictResolved, cid,
			&domain.ResolveConflictPayload{Field: "root_cause", Value: json.RawMessage(` "worn punch" `)})
		s := p.merged(t)
		if len(s.Meta.Conflicts) != 0 || s.Complaint.RootCause != "worn punch" || s.Meta.Writers["root_cause"].Event != r.ID {
			t.Fatalf("conflicts %+v, root cause %q, writer %+v", s.Meta.Conflicts, s.Complaint.RootCause, s.Meta.Writers["root_cause"])
		}
	})
	t.Run("an edit or resolution that saw one side does not", func(t *testing.T) {
		p := offline.clone()
		e3 := p.qa1.mustEmit(t, domain.ComplaintAnalysisRecorded, cid, analysisPayload("worn punch again"))
		e4 := p.qa1.mustEmit(t, domain.ComplaintConflictResolved, cid,
			&domain.ResolveConflictPayload{Field: "root_cause", Value: json.RawMessage(`"worn punch!"`)})
		s := p.merged(t)
		// e3 and e4 saw e1 and each other, not e2.
		wantValues(t, conflictOn(s, "root_cause"), []string{`"wrong setting"`, `"worn punch!"`}, e2, e4)
		_ = e3
	})
}

func TestConcurrentEditsOfDifferentFieldsMerge(t *testing.T) {
	p := newPlant3(t, domain.StatusInvestigating)
	p.qa1.mustEmit(t, domain.ComplaintAnalysisRecorded, cid, &domain.AnalysisPayload{Containment: ptr("lot quarantined")})
	p.qa2.mustEmit(t, domain.ComplaintAnalysisRecorded, cid, &domain.AnalysisPayload{Whys: &[]string{"burrs"}, Ishikawa: ptr(domain.IshikawaMethod)})
	p.qa2.mustEmit(t, domain.ComplaintDeadlineRescheduled, cid, &domain.ReschedulePayload{Deadline: epoch.Add(10 * 24 * time.Hour), Reason: "audit"})
	p.op.mustEmit(t, domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Text: "any news?"})
	s := p.merged(t)
	k := s.Complaint
	if len(s.Meta.Conflicts) != 0 || len(s.Meta.Flags) != 0 {
		t.Fatalf("conflicts %+v flags %+v", s.Meta.Conflicts, s.Meta.Flags)
	}
	if k.Containment != "lot quarantined" || !slices.Equal(k.Whys, []string{"burrs"}) || k.Ishikawa != domain.IshikawaMethod ||
		k.RootCause != "worn punch" || !k.Deadline.Equal(epoch.Add(10*24*time.Hour)) || len(k.Messages) != 1 {
		t.Fatalf("%+v", k)
	}
}

func TestConcurrentAssignmentConflict(t *testing.T) {
	p := newPlant3(t, domain.StatusAcknowledged)
	e1 := p.qa1.mustEmitAs(t, mona, domain.RoleManager, domain.ComplaintAssigned, cid, &domain.AssignPayload{Assignee: "erin"})
	e2 := p.qa2.mustEmit(t, domain.ComplaintAssigned, cid, &domain.AssignPayload{Assignee: "ezra"})
	s := p.merged(t)
	wantValues(t, conflictOn(s, "assignee"), []string{`"erin"`, `"ezra"`}, e1, e2)
}

// A value that was written once and then concurrently overwritten shows
// the time of both writes (the first write's time used to be lost).
func TestConflictShowsTimeOfEveryValue(t *testing.T) {
	p := newPlant3(t, domain.StatusAcknowledged)
	e0 := p.qa1.mustEmit(t, domain.ComplaintDeadlineRescheduled, cid, &domain.ReschedulePayload{Deadline: epoch.Add(72 * time.Hour), Reason: "a"})
	syncAll(p.all()...)
	e1 := p.qa1.mustEmit(t, domain.ComplaintDeadlineRescheduled, cid, &domain.ReschedulePayload{Deadline: epoch.Add(96 * time.Hour), Reason: "b"})
	e2 := p.qa2.mustEmit(t, domain.ComplaintDeadlineRescheduled, cid, &domain.ReschedulePayload{Deadline: epoch.Add(120 * time.Hour), Reason: "c"})
	s := p.merged(t)
	wantValues(t, conflictOn(s, "deadline"), []string{`"2026-03-06T08:00:00Z"`, `"2026-03-07T08:00:00Z"`}, e1, e2)
	if e0.HLC >= e1.HLC {
		t.Fatal("clock")
	}
	// Resolving with a time in another zone stores it in UTC, like an edit.
	p.qa1.mustEmit(t, domain.ComplaintConflictResolved, cid, &domain.ResolveConflictPayload{Field: "deadline",
		Value: json.RawMessage(`"2026-03-07T10:00:00+02:00"`)})
	s = p.merged(t)
	if len(s.Meta.Conflicts) != 0 || s.Complaint.Deadline.Location() != time.UTC || !s.Complaint.Deadline.Equal(epoch.Add(120*time.Hour)) {
		t.Fatalf("deadline %v, conflicts %+v", s.Complaint.Deadline, s.Meta.Conflicts)
	}
}

func TestConcurrentAcknowledgementIsFlagged(t *testing.T) {
	p := newPlant3(t, domain.StatusNew)
	p.qa1.mustEmit(t, domain.ComplaintAcknowledged, cid, ackPayload())
	second := p.qa2.mustEmit(t, domain.ComplaintAcknowledged, cid, &domain.AcknowledgePayload{Deadline: epoch.Add(24 * time.Hour), Assignee: "erin"})
	s := p.merged(t)
	if s.Complaint.AcknowledgedBy != eric || s.Complaint.Assignee != "eric" {
		t.Fatalf("%+v", s.Complaint)
	}
	if len(s.Meta.Flags) != 1 || s.Meta.Flags[0].Event != second.ID || !s.Meta.Flags[0].Concurrent ||
		s.Meta.Flags[0].Rule != "complaint.acknowledge" || s.Meta.Flags[0].Author != "erin" || !s.Meta.Flags[0].At.Equal(second.HLC.Time()) {
		t.Fatalf("flags %+v", s.Meta.Flags)
	}
}

// Closing on one workstation while another links a corrective action: the
// complaint stays closed, the action link is kept, and the link is flagged
// as concurrent on the complaint.
func TestCloseWhileLinkingAction(t *testing.T) {
	p := newPlant3(t, domain.StatusActionsInProgress)
	p.qa1.mustEmit(t, domain.ComplaintResolved, cid, &domain.ResolvePayload{Summary: "done"})
	sync(p.op, p.qa1)
	p.op.mustEmit(t, domain.ComplaintVerified, cid, &domain.VerifyPayload{Rating: 5})
	// qa2 has not seen the resolution: for it the actions are in progress.
	p.qa2.mustEmit(t, domain.ActionAssigned, "a2", actionPayload(cid))
	link := p.qa2.mustEmit(t, domain.ComplaintActionLinked, cid, linkPayload("a2", domain.ActionCorrective))

	s := p.merged(t)
	if s.Complaint.Status != domain.StatusClosed || s.Complaint.Rating != 5 {
		t.Fatalf("status %s", s.Complaint.Status)
	}
	if !slices.ContainsFunc(s.Complaint.Actions, func(a domain.ActionLink) bool { return a.ID == "a2" }) {
		t.Fatalf("the action link was dropped: %+v", s.Complaint.Actions)
	}
	want := domain.Flag{Event: link.ID, Type: domain.ComplaintActionLinked, Author: "erin", At: link.HLC.Time(),
		Rule: "complaint.link_action", Message: "not allowed while closed", Concurrent: true}
	if len(s.Meta.Flags) != 1 || s.Meta.Flags[0] != want {
		t.Fatalf("flags\n got %+v\nwant %+v", s.Meta.Flags, want)
	}

	// The same link by someone who had seen the closing is flagged, but
	// not as concurrent: it was refused knowingly.
	late := p.qa1.force(t, eric, domain.RoleEngineer, domain.ComplaintActionLinked, cid, linkPayload("a3", domain.ActionCorrective))
	s = p.merged(t)
	if len(s.Meta.Flags) != 2 || s.Meta.Flags[1].Event != late.ID || s.Meta.Flags[1].Concurrent {
		t.Fatalf("flags %+v", s.Meta.Flags)
	}
}

func TestConcurrentActionReschedulesConflict(t *testing.T) {
	w := newWorld()
	a, b := w.replica("qa-1", eric, domain.RoleEngineer, 0), w.replica("qa-2", "erin", domain.RoleEngineer, 0)
	a.mustEmit(t, domain.ActionAssigned, aid, actionPayload(cid))
	sync(a, b)
	e1 := a.mustEmitAs(t, mona, domain.RoleManager, domain.ActionRescheduled, aid, &domain.ActionRescheduledPayload{Owner: "ezra", Reason: "x"})
	e2 := b.mustEmit(t, domain.ActionRescheduled, aid, &domain.ActionRescheduledPayload{Owner: "erin", Due: epoch.Add(240 * time.Hour), Reason: "y"})
	sync(a, b)
	key := domain.EntityKey{Type: domain.EntityAction, ID: aid}
	s := a.state(key)
	if len(s.Meta.Conflicts) != 1 {
		t.Fatalf("conflicts %+v (the due date was changed on one side only)", s.Meta.Conflicts)
	}
	wantValues(t, conflictOn(s, "owner"), []string{`"ezra"`, `"erin"`}, e1, e2)
	a.mustEmit(t, domain.ActionConflictResolved, aid, &domain.ResolveConflictPayload{Field: "owner", Value: json.RawMessage(`"ezra"`)})
	sync(a, b)
	if s := b.state(key); len(s.Meta.Conflicts) != 0 || s.Action.Owner != "ezra" || !s.Action.Due.Equal(epoch.Add(240*time.Hour)) {
		t.Fatalf("%+v %+v", s.Meta.Conflicts, s.Action)
	}
}

func TestConcurrentPlanRevisionsConflict(t *testing.T) {
	w := newWorld()
	a, b := w.replica("qa-1", eric, domain.RoleEngineer, 0), w.replica("qa-2", mona, domain.RoleManager, 0)
	a.mustEmit(t, domain.PlanDrafted, pid, planPayload("Punch wear"))
	sync(a, b)
	e1 := a.mustEmit(t, domain.PlanRevised, pid, planPayload("Punch wear, press 2"))
	e2 := b.mustEmit(t, domain.PlanRevised, pid, planPayload("Punch wear, all presses"))
	sync(a, b)
	key := domain.EntityKey{Type: domain.EntityPlan, ID: pid}
	s := a.state(key)
	if len(s.Meta.Conflicts) != 1 {
		t.Fatalf("conflicts %+v", s.Meta.Conflicts)
	}
	wantValues(t, conflictOn(s, "title"), []string{`"Punch wear, press 2"`, `"Punch wear, all presses"`}, e1, e2)
	_, err := b.emit(domain.PlanConflictResolved, pid, &domain.ResolveConflictPayload{Field: "status", Value: json.RawMessage(`"approved"`)})
	wantField(t, err, domain.EInvalid, "field")
	_, err = b.emit(domain.PlanConflictResolved, pid, &domain.ResolveConflictPayload{Field: "owner", Value: json.RawMessage(`"eric"`)})
	wantField(t, err, domain.EInvalid, "field") // an action's field, not a plan's
	b.mustEmit(t, domain.PlanConflictResolved, pid, &domain.ResolveConflictPayload{Field: "title", Value: json.RawMessage(`"Punch wear"`)})
	sync(a, b)
	if s := a.state(key); len(s.Meta.Conflicts) != 0 || s.Plan.Title != "Punch wear" {
		t.Fatalf("%+v %q", s.Meta.Conflicts, s.Plan.Title)
	}
}

// Every field that may be in conflict can be resolved with a valid value,
// on the entity it belongs to.
func TestEveryConflictableFieldResolves(t *testing.T) {
	fields := map[domain.EntityType]map[string]string{
		domain.EntityComplaint: {"assignee": `"erin"`, "deadline": `"2026-04-01T00:00:00Z"`, "containment": `"sorted"`,
			"whys": `["a","b"]`, "ishikawa": `"method"`, "root_cause": `"x"`},
		domain.EntityAction: {"owner": `"erin"`, "due": `"2026-04-01T00:00:00Z"`},
		domain.EntityPlan: {"title": `"t"`, "objective": `"o"`, "supplier_station": `"CUT2"`, "categories": `["surface"]`,
			"complaints": `["c1","c2"]`, "actions": `["a1"]`},
	}
	types := map[domain.EntityType]domain.EventType{domain.EntityComplaint: domain.ComplaintConflictResolved,
		domain.EntityAction: domain.ActionConflictResolved, domain.EntityPlan: domain.PlanConflictResolved}
	for et, fs := range fields {
		for field, value := range fs {
			t.Run(string(et)+"/"+field, func(t *testing.T) {
				var r *replica
				id := map[domain.EntityType]string{domain.EntityComplaint: cid, domain.EntityAction: aid, domain.EntityPlan: pid}[et]
				switch et {
				case domain.EntityComplaint:
					r = complaintIn(t, domain.StatusInvestigating)
				case domain.EntityAction:
					r = actionIn(t, domain.ActionStatusOpen)
				default:
					r = planIn(t, domain.PlanStatusDraft)
				}
				r.mustEmitAs(t, eric, domain.RoleEngineer, types[et], id, &domain.ResolveConflictPayload{Field: field, Value: json.RawMessage(value)})
				s := r.state(domain.EntityKey{Type: et, ID: id})
				var entity map[string]json.RawMessage
				json.Unmarshal([]byte(mustMarshal(t, map[domain.EntityType]any{
					domain.EntityComplaint: s.Complaint, domain.EntityAction: s.Action, domain.EntityPlan: s.Plan}[et])), &entity)
				if string(entity[field]) != value {
					t.Fatalf("%s = %s, want %s", field, entity[field], value)
				}
				// The other entities' fields are refused.
				for other, ofs := range fields {
					if other == et {
						continue
					}
					for f, v := range ofs {
						_, err := r.emitAs(eric, domain.RoleEngineer, types[et], id, &domain.ResolveConflictPayload{Field: f, Value: json.RawMessage(v)})
						wantField(t, err, domain.EInvalid, "field")
					}
				}
			})
		}
	}
}

// A workstation whose clock is an hour slow still writes after what it
// has seen: the hybrid clock observes every remote timestamp.
func TestSlowClockStillOrdersAfterWhatItSaw(t *testing.T) {
	w := newWorld()
	fast := w.replica("ws-press2", olga, domain.RoleOperator, 0)
	slow := w.replica("qa-1", eric, domain.RoleEngineer, -time.Hour)
	filed := fast.mustEmit(t, domain.ComplaintFiled, cid, filedPayload("PRESS2-2026-0042"))
	sync(fast, slow)
	ack := slow.mustEmit(t, domain.ComplaintAcknowledged, cid, ackPayload())
	if ack.HLC <= filed.HLC || ack.Order().Compare(filed.Order()) <= 0 {
		t.Fatalf("ack %v not after filing %v", ack.HLC, filed.HLC)
	}
	if !slices.Equal(ack.Parents, []uuid.UUID{filed.ID}) {
		t.Fatalf("parents %v", ack.Parents)
	}
}
