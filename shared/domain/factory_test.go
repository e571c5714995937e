package domain_test

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// world is the physical time shared by simulated replicas: every emit moves
// it forward by step, and each replica reads it through its own skew.
type world struct {
	now  time.Time
	step time.Duration
}

// epoch is when every simulated plant starts.
var epoch = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func newWorld() *world { return &world{now: epoch, step: time.Second} }

// replica is a simulated workstation: its clock, its own sequence counter,
// the user at the keyboard and the events it knows (its own and those
// received by sync). It decides new events against its local fold, as the
// real workstation does before writing.
type replica struct {
	w      *world
	id     string
	skew   time.Duration
	clock  *hlc.Clock
	seq    uint64
	author string
	role   domain.Role
	events map[uuid.UUID]domain.Event
	states map[domain.EntityKey]*domain.State // cache of local folds
}

// replica returns a workstation whose physical clock is off by skew.
func (w *world) replica(id, author string, role domain.Role, skew time.Duration) *replica {
	r := &replica{w: w, id: id, skew: skew, author: author, role: role,
		events: map[uuid.UUID]domain.Event{}, states: map[domain.EntityKey]*domain.State{}}
	r.clock = hlc.NewClock(func() time.Time { return r.w.now.Add(r.skew) }, 0)
	return r
}

// clone returns an independent copy of the replica, sharing its world.
func (r *replica) clone() *replica {
	c := *r
	c.events = maps.Clone(r.events)
	c.states = map[domain.EntityKey]*domain.State{}
	c.clock = hlc.NewClock(func() time.Time { return c.w.now.Add(c.skew) }, r.clock.Last())
	return &c
}

// state returns the replica's local fold of an entity. The result belongs
// to the cache: callers only read it.
func (r *replica) state(k domain.EntityKey) *domain.State {
	if s, ok := r.states[k]; ok {
		return s
	}
	var evs []domain.Event
	for _, e := range r.events {
		if e.Key() == k {
			evs = append(evs, e)
		}
	}
	s := domain.FoldEntity(k, evs)
	r.states[k] = s
	return s
}

// complaint returns the local view of a complaint, nil if unknown here.
func (r *replica) complaint(id string) *domain.Complaint {
	return r.state(domain.EntityKey{Type: domain.EntityComplaint, ID: id}).Complaint
}

func (r *replica) action(id string) *domain.Action {
	return r.state(domain.EntityKey{Type: domain.EntityAction, ID: id}).Action
}

func (r *replica) plan(id string) *domain.Plan {
	return r.state(domain.EntityKey{Type: domain.EntityPlan, ID: id}).Plan
}

// emit records a new event as the replica's current user: it builds it
// with domain.NewEvent, stamps it, names the local heads as parents and
// decides it against the local fold. A refused event is not recorded and
// the error (a *domain.Error) is returned.
func (r *replica) emit(t domain.EventType, entityID string, p domain.Payload) (domain.Event, error) {
	return r.emitAs(r.author, r.role, t, entityID, p)
}

// emitAs is emit by another user of the same workstation.
func (r *replica) emitAs(author string, role domain.Role, t domain.EventType, entityID string, p domain.Payload) (domain.Event, error) {
	e, err := r.stamp(author, role, t, entityID, p)
	if err != nil {
		return e, err
	}
	s := r.state(e.Key())
	if err := s.Decide(&e); err != nil {
		delete(r.states, e.Key()) // Decide may have changed it: refold next time
		return e, err
	}
	r.seq++
	r.events[e.ID] = e
	return e, nil
}

// stamp builds the event as the replica would record it, without deciding
// or recording it.
func (r *replica) stamp(author string, role domain.Role, t domain.EventType, entityID string, p domain.Payload) (domain.Event, error) {
	e, err := domain.NewEvent(t, entityID, p)
	if err != nil {
		return e, err
	}
	if e.ID, err = uuid.NewV7(); err != nil {
		panic(err)
	}
	r.w.now = r.w.now.Add(r.w.step)
	e.HLC = r.clock.Now()
	e.Replica = r.id
	e.Seq = r.seq + 1
	e.Author, e.Role = author, role
	e.Parents = slices.Clone(r.state(e.Key()).Meta.Heads)
	return e, nil
}

// force records an event without deciding it, as a replica whose state
// differed (or a buggy client) would have: the fold must flag, not drop it.
func (r *replica) force(tb testing.TB, author string, role domain.Role, t domain.EventType, entityID string, p domain.Payload) domain.Event {
	tb.Helper()
	e, err := r.stamp(author, role, t, entityID, p)
	if err != nil {
		tb.Fatal(err)
	}
	r.seq++
	r.receive(e)
	return e
}

// mustEmit is emit for steps a test relies on.
func (r *replica) mustEmit(tb testing.TB, t domain.EventType, entityID string, p domain.Payload) domain.Event {
	tb.Helper()
	e, err := r.emit(t, entityID, p)
	if err != nil {
		tb.Fatalf("%s %s on %s by %s (%s): %v", r.id, t, entityID, r.author, r.role, err)
	}
	return e
}

func (r *replica) mustEmitAs(tb testing.TB, author string, role domain.Role, t domain.EventType, entityID string, p domain.Payload) domain.Event {
	tb.Helper()
	e, err := r.emitAs(author, role, t, entityID, p)
	if err != nil {
		tb.Fatalf("%s %s on %s by %s (%s): %v", r.id, t, entityID, author, role, err)
	}
	return e
}

// receive adds events from elsewhere, observing their clocks.
func (r *replica) receive(evs ...domain.Event) {
	for _, e := range evs {
		if _, ok := r.events[e.ID]; ok {
			continue
		}
		r.events[e.ID] = e
		r.clock.Observe(e.HLC)
		delete(r.states, e.Key())
	}
}

// sync exchanges every event the two replicas know, both ways.
func sync(a, b *replica) {
	ea, eb := slices.Collect(maps.Values(a.events)), slices.Collect(maps.Values(b.events))
	a.receive(eb...)
	b.receive(ea...)
}

// syncAll brings every replica up to date with every other.
func syncAll(rs ...*replica) {
	for _, a := range rs[1:] {
		sync(rs[0], a)
	}
	for _, a := range rs[1:] {
		sync(rs[0], a)
	}
}

// union returns every event known to any of the replicas, in fold order.
func union(rs ...*replica) []domain.Event {
	seen := map[uuid.UUID]domain.Event{}
	for _, r := range rs {
		maps.Copy(seen, r.events)
	}
	out := slices.Collect(maps.Values(seen))
	domain.SortEvents(out)
	return out
}

// asError returns err as a *domain.Error, failing the test if it is not one.
func asError(tb testing.TB, err error) *domain.Error {
	tb.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		tb.Fatalf("error %v (%T) is not a *domain.Error", err, err)
	}
	return de
}

// wantRule checks that err is a domain error with that code and rule.
func wantRule(tb testing.TB, err error, code domain.Code, rule string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %s %s", code, rule)
	}
	de := asError(tb, err)
	if de.Code != code || de.Rule != rule {
		tb.Fatalf("got %s rule=%q field=%q (%v), want %s rule %q", de.Code, de.Rule, de.Field, err, code, rule)
	}
}

// wantField checks that err is a domain error with that code and field.
func wantField(tb testing.TB, err error, code domain.Code, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %s on %s", code, field)
	}
	de := asError(tb, err)
	if de.Code != code || de.Field != field {
		tb.Fatalf("got %s field=%q rule=%q (%v), want %s on field %q", de.Code, de.Field, de.Rule, err, code, field)
	}
}

// Payloads that pass validation, for tests that need one of each.

func ptr[T any](v T) *T { return &v }

func filedPayload(number string) *domain.ComplaintFiledPayload {
	return &domain.ComplaintFiledPayload{
		Number: number, FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: "BRK-2231", Lot: "L0815",
		Quantity: 40, Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindClaim,
		Remedy: domain.RemedySorting, Description: "Holes 0.4 mm off centre on the whole lot",
		Attachments: []domain.Attachment{{SHA256: sha('a'), Name: "photo.jpg", Size: 120_000, MediaType: "image/jpeg"}},
	}
}

// sha returns a valid SHA-256 hex string made of one repeated digit.
func sha(c byte) string {
	b := make([]byte, 64)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

func ackPayload() *domain.AcknowledgePayload {
	return &domain.AcknowledgePayload{Deadline: epoch.Add(5 * 24 * time.Hour), Assignee: "eric", Note: "on it"}
}

func analysisPayload(rootCause string) *domain.AnalysisPayload {
	return &domain.AnalysisPayload{RootCause: ptr(rootCause)}
}

func proposePayload(ids ...string) *domain.ProposeSolutionPayload {
	p := &domain.ProposeSolutionPayload{}
	for _, id := range ids {
		p.Options = append(p.Options, domain.SolutionOption{ID: id, Text: "option " + id})
	}
	return p
}

func linkPayload(actionID string, kind domain.ActionKind) *domain.LinkActionPayload {
	return &domain.LinkActionPayload{ActionID: actionID, Kind: kind, Title: "Re-centre the punch " + actionID}
}

func actionPayload(complaintID string) *domain.ActionAssignedPayload {
	return &domain.ActionAssignedPayload{Kind: domain.ActionCorrective, Title: "Re-centre the punch", Owner: "eric",
		Due: epoch.Add(7 * 24 * time.Hour), ComplaintID: complaintID}
}

func planPayload(title string) *domain.PlanContentPayload {
	return &domain.PlanContentPayload{Title: title, Objective: "No more off-centre holes", SupplierStation: "CUT1",
		Categories: []string{"dimensional"}, Complaints: []string{"c1"}}
}

func reason(s string) *domain.ReasonPayload { return &domain.ReasonPayload{Reason: s} }

func signOff() *domain.SignOffPayload {
	return &domain.SignOffPayload{Meaning: "approved for execution", Comment: "Go ahead"}
}
