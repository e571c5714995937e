package domain

import (
	"encoding/json"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// State is the folded state of one entity: the entity itself (one of the
// pointers, by type) and the bookkeeping that makes folding deterministic
// and incremental. Serialized with encoding/json it is byte-for-byte the
// same whatever order the events arrived in.
type State struct {
	Meta      Meta            `json:"meta"`
	Complaint *Complaint      `json:"complaint,omitempty"`
	Action    *Action         `json:"action,omitempty"`
	Plan      *Plan           `json:"plan,omitempty"`
	Station   *Station        `json:"station,omitempty"`
	User      *User           `json:"user,omitempty"`
	Category  *Category       `json:"category,omitempty"`
	Severity  *SeverityConfig `json:"severity,omitempty"`
	Problem   *Problem        `json:"problem,omitempty"`
}

// Meta is the bookkeeping of a fold.
type Meta struct {
	Key     EntityKey     `json:"key"`
	Events  int           `json:"events"` // events folded, duplicates excluded
	Created hlc.Timestamp `json:"created"`
	Updated hlc.Timestamp `json:"updated"`
	Last    OrderKey      `json:"last"`  // the greatest event folded
	Heads   []uuid.UUID   `json:"heads"` // events no folded event names as parent: the next local event's parents
	// Clocks holds, for each folded event, the version vector of what its
	// author had seen (its own replica's counter and its parents'), which
	// tells whether one event saw another without keeping the events.
	Clocks    map[uuid.UUID]VV  `json:"clocks"`
	Writers   map[string]Writer `json:"writers,omitempty"`   // last writer of each field edited after creation
	Conflicts []Conflict        `json:"conflicts,omitempty"` // concurrent writes not yet resolved
	Flags     []Flag            `json:"flags,omitempty"`     // events whose transition was refused by the state
}

// VV is a version vector: the highest sequence number seen of each
// replica, sorted by replica. A sorted slice rather than a map: an entity
// sees a handful of replicas, and a fold of a million events keeps one VV
// per event, where a million small maps cost a quarter of a gigabyte. It
// serializes as the JSON object {"replica": seq, ...}.
type VV []ReplicaSeq

// ReplicaSeq is one entry of a version vector.
type ReplicaSeq struct {
	Replica string
	Seq     uint64
}

// Get returns the highest sequence number seen of replica, 0 if none.
func (v VV) Get(replica string) uint64 {
	for _, rs := range v {
		if rs.Replica == replica {
			return rs.Seq
		}
	}
	return 0
}

// raise returns v with replica's entry at least seq, keeping the order.
func (v VV) raise(replica string, seq uint64) VV {
	i, found := slices.BinarySearchFunc(v, replica, func(rs ReplicaSeq, r string) int { return compareStrings(rs.Replica, r) })
	if found {
		v[i].Seq = max(v[i].Seq, seq)
		return v
	}
	return slices.Insert(v, i, ReplicaSeq{replica, seq})
}

// MarshalJSON writes the object form, keys in order (as a map would).
func (v VV) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 16+24*len(v)), '{')
	for i, rs := range v {
		if i > 0 {
			b = append(b, ',')
		}
		key, _ := json.Marshal(rs.Replica)
		b = append(append(b, key...), ':')
		b = strconv.AppendUint(b, rs.Seq, 10)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the object form.
func (v *VV) UnmarshalJSON(b []byte) error {
	var m map[string]uint64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	out := make(VV, 0, len(m))
	for r, n := range m {
		out = append(out, ReplicaSeq{r, n})
	}
	slices.SortFunc(out, func(a, b ReplicaSeq) int { return compareStrings(a.Replica, b.Replica) })
	*v = out
	return nil
}

// Writer identifies the event that last wrote a field.
type Writer struct {
	Event   uuid.UUID     `json:"event"`
	Replica string        `json:"replica"`
	Seq     uint64        `json:"seq"`
	Author  string        `json:"author"`
	HLC     hlc.Timestamp `json:"hlc"` // when, so that a conflict can show it for every value
}

// Conflict is a field written concurrently: no author had seen the other
// values. The field shows the value of the event last in fold order; all the
// values stay visible here until an event that has seen them all (an edit or
// a resolution) settles the field.
type Conflict struct {
	Field  string          `json:"field"`
	Values []ConflictValue `json:"values"`
}

// ConflictValue is one side of a conflict.
type ConflictValue struct {
	Value  json.RawMessage `json:"value"`
	Writer Writer          `json:"writer"`
	At     time.Time       `json:"at"`
}

// Flag records an event the state refused, most often because a concurrent
// event changed the state first (closing while someone adds an action). The
// event is kept and shown, never dropped.
type Flag struct {
	Event      uuid.UUID `json:"event"`
	Type       EventType `json:"type"`
	Author     string    `json:"author"`
	At         time.Time `json:"at"`
	Rule       string    `json:"rule"`
	Message    string    `json:"message"`
	Concurrent bool      `json:"concurrent"` // the author had not seen the change that made it invalid
}

// ErrOutOfOrder is returned by Apply for an event that sorts before the
// last one folded: the caller refolds the entity from all its events.
var ErrOutOfOrder = errors.New("event sorts before the last folded event: refold")

// NewState returns the empty state of an entity.
func NewState(k EntityKey) *State {
	return &State{Meta: Meta{Key: k, Clocks: map[uuid.UUID]VV{}}}
}

// Exists reports whether the entity has been created.
func (s *State) Exists() bool {
	return s.Complaint != nil || s.Action != nil || s.Plan != nil || s.Station != nil ||
		s.User != nil || s.Category != nil || s.Severity != nil || s.Problem != nil
}

// Has reports whether the event was already folded.
func (s *State) Has(id uuid.UUID) bool {
	_, ok := s.Meta.Clocks[id]
	return ok
}

// Apply folds one more event. A duplicate is ignored; an event that sorts
// before the last one folded returns ErrOutOfOrder. An event the state
// refuses is recorded as a Flag, not returned as an error: folding never
// loses an event. Events that are not Known must not be passed.
func (s *State) Apply(e *Event) error {
	if s.Has(e.ID) {
		return nil
	}
	if s.Meta.Events > 0 && e.Order().Compare(s.Meta.Last) < 0 {
		return ErrOutOfOrder
	}
	if err := s.apply(e); err != nil {
		s.flag(e, err)
	}
	return nil
}

// Decide folds a new local event strictly: the envelope, the author's
// permission, the payload and the transition must all be valid, otherwise
// it returns the error naming the field or rule and the caller writes
// nothing (the state may have been partly changed: discard it).
func (s *State) Decide(e *Event) error {
	if err := Validate(e); err != nil {
		return err
	}
	if e.Key() != s.Meta.Key {
		return Errorf(EInternal, "event for %s applied to %s", e.Key(), s.Meta.Key)
	}
	if s.Has(e.ID) {
		return Errorf(EConflict, "event %s already recorded", e.ID)
	}
	if s.Meta.Events > 0 && e.Order().Compare(s.Meta.Last) < 0 {
		return Errorf(EInternal, "local clock behind the entity's last event")
	}
	return s.apply(e)
}

// apply runs the entity's handler and does the bookkeeping. A returned
// error means the handler refused the transition; what the handler already
// recorded (an action link, a message) stays.
func (s *State) apply(e *Event) error {
	c := s.begin(e)
	defer c.finish()
	if !e.Role.CanEmit(e.Type) {
		return CheckPermission(e.Role, e.Type)
	}
	p, err := DecodePayload(e)
	if err != nil {
		return err
	}
	switch s.Meta.Key.Type {
	case EntityComplaint:
		return applyComplaint(c, p)
	case EntityAction:
		return applyAction(c, p)
	case EntityPlan:
		return applyPlan(c, p)
	case EntityProblem:
		return applyProblem(c, p)
	default:
		return applyReference(c, p)
	}
}

// change is one event being folded into a state.
type change struct {
	s  *State
	e  *Event
	vv VV
}

func (s *State) begin(e *Event) *change {
	vv := VV{{e.Replica, e.Seq}}
	for _, p := range e.Parents {
		for _, rs := range s.Meta.Clocks[p] {
			vv = vv.raise(rs.Replica, rs.Seq)
		}
	}
	return &change{s: s, e: e, vv: vv}
}

// finish records the event in the bookkeeping, whatever the handler did.
func (c *change) finish() {
	m, e := &c.s.Meta, c.e
	m.Clocks[e.ID] = c.vv
	m.Heads = slices.DeleteFunc(m.Heads, func(h uuid.UUID) bool { return slices.Contains(e.Parents, h) })
	m.Heads = append(m.Heads, e.ID)
	slices.SortFunc(m.Heads, func(a, b uuid.UUID) int { return compareUUID(a, b) })
	if m.Events == 0 {
		m.Created = e.HLC
	}
	m.Events++
	m.Updated = e.HLC
	m.Last = e.Order()
}

func compareUUID(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

func (c *change) writer() Writer {
	return Writer{Event: c.e.ID, Replica: c.e.Replica, Seq: c.e.Seq, Author: c.e.Author, HLC: c.e.HLC}
}

func (c *change) at() time.Time { return c.e.HLC.Time() }

// saw reports whether the event being folded had seen w's event.
func (c *change) saw(w Writer) bool { return w.Event == c.e.ID || c.vv.Get(w.Replica) >= w.Seq }

// write records that the event sets field from old to new, detecting
// concurrent writes. A field never written since creation has been seen by
// every later event (nobody edits an entity before seeing it created).
// It is generic so that the values are only boxed and marshalled when a
// conflict is possible.
func write[T any](c *change, field string, old, new T) {
	m := &c.s.Meta
	i := slices.IndexFunc(m.Conflicts, func(x Conflict) bool { return x.Field == field })
	var candidates []ConflictValue
	if i >= 0 {
		candidates = m.Conflicts[i].Values
	} else if w, ok := m.Writers[field]; ok {
		candidates = []ConflictValue{{Value: mustJSON(old), Writer: w, At: w.HLC.Time()}}
	}
	unseen := slices.DeleteFunc(slices.Clone(candidates), func(v ConflictValue) bool { return c.saw(v.Writer) })
	switch {
	case len(unseen) == 0 && i >= 0:
		m.Conflicts = slices.Delete(m.Conflicts, i, i+1)
	case len(unseen) > 0:
		conflict := Conflict{Field: field, Values: append(unseen, ConflictValue{Value: mustJSON(new), Writer: c.writer(), At: c.at()})}
		if i >= 0 {
			m.Conflicts[i] = conflict
		} else {
			m.Conflicts = append(m.Conflicts, conflict)
			slices.SortFunc(m.Conflicts, func(a, b Conflict) int { return compareStrings(a.Field, b.Field) })
		}
	}
	if m.Writers == nil {
		m.Writers = map[string]Writer{}
	}
	m.Writers[field] = c.writer()
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// moveStatus changes an entity's status when the current one allows it,
// and otherwise returns the refusal naming the rule.
func moveStatus[S ~string](c *change, rule string, cur *S, to S, from ...S) error {
	if !slices.Contains(from, *cur) {
		return RuleError(EConflict, rule, "not allowed while %s", *cur)
	}
	if c.s.Meta.Writers == nil {
		c.s.Meta.Writers = map[string]Writer{}
	}
	c.s.Meta.Writers["status"] = c.writer()
	*cur = to
	return nil
}

// flag records a refused event. It is concurrent with the cause of the
// refusal when its author had not seen the last status change.
func (s *State) flag(e *Event, err error) {
	de := AsError(err)
	rule := de.Rule
	if rule == "" {
		rule = string(de.Code)
		if de.Field != "" {
			rule += "." + de.Field
		}
	}
	w, ok := s.Meta.Writers["status"]
	concurrent := false
	if ok {
		c := s.begin(e)
		concurrent = !c.saw(w)
	}
	s.Meta.Flags = append(s.Meta.Flags, Flag{Event: e.ID, Type: e.Type, Author: e.Author, At: e.HLC.Time(),
		Rule: rule, Message: de.Message, Concurrent: concurrent})
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only domain values are passed: they always marshal
	}
	return b
}

// Fold folds events of any entities in any order, with duplicates, into
// their states. Events that are not Known are skipped and returned so the
// caller can keep them for a later version. events is not modified.
//
// Entities are folded in parallel on GOMAXPROCS goroutines: each entity's
// fold depends on its own events only, so the result is the same.
func Fold(events []Event) (states map[EntityKey]*State, unknown []Event) {
	// Number the entities, then lay out pointers to each entity's events
	// contiguously: no event is copied.
	index := make(map[EntityKey]int32)
	entity := make([]int32, len(events))
	for i := range events {
		e := &events[i]
		if !e.Known() {
			unknown = append(unknown, *e)
			entity[i] = -1
			continue
		}
		n, ok := index[e.Key()]
		if !ok {
			n = int32(len(index))
			index[e.Key()] = n
		}
		entity[i] = n
	}
	keys := make([]EntityKey, len(index))
	for k, n := range index {
		keys[n] = k
	}
	start := make([]int32, len(keys)+1) // entity n's events are ptrs[start[n]:start[n+1]]
	for _, n := range entity {
		if n >= 0 {
			start[n+1]++
		}
	}
	for n := range keys {
		start[n+1] += start[n]
	}
	next := slices.Clone(start[:len(keys)])
	ptrs := make([]*Event, start[len(keys)])
	for i, n := range entity {
		if n >= 0 {
			ptrs[next[n]] = &events[i]
			next[n]++
		}
	}

	folded := make([]*State, len(keys))
	foldRange := func(from, to int) {
		for n := from; n < to; n++ {
			folded[n] = foldSorted(keys[n], sortedPtrs(ptrs[start[n]:start[n+1]]))
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), len(keys)/foldBatch+1); workers <= 1 {
		foldRange(0, len(keys))
	} else {
		var wg sync.WaitGroup
		var claimed atomic.Int64
		for range workers {
			wg.Go(func() {
				for {
					from := int(claimed.Add(foldBatch)) - foldBatch
					if from >= len(keys) {
						return
					}
					foldRange(from, min(from+foldBatch, len(keys)))
				}
			})
		}
		wg.Wait()
	}

	states = make(map[EntityKey]*State, len(keys))
	for n, k := range keys {
		states[k] = folded[n]
	}
	return states, unknown
}

// foldBatch is how many entities a Fold worker claims at a time.
const foldBatch = 256

// FoldEntity folds the events of one entity; it sorts evs in place.
func FoldEntity(k EntityKey, evs []Event) *State {
	SortEvents(evs)
	ptrs := make([]*Event, 0, len(evs))
	for i := range evs {
		if evs[i].Known() && evs[i].Key() == k {
			ptrs = append(ptrs, &evs[i])
		}
	}
	return foldSorted(k, ptrs)
}

func sortedPtrs(evs []*Event) []*Event {
	slices.SortFunc(evs, func(a, b *Event) int { return a.Order().Compare(b.Order()) })
	return evs
}

// foldSorted folds the known events of one entity, in fold order.
func foldSorted(k EntityKey, evs []*Event) *State {
	s := &State{Meta: Meta{Key: k, Clocks: make(map[uuid.UUID]VV, len(evs))}}
	for _, e := range evs {
		_ = s.Apply(e) // sorted: never out of order
	}
	return s
}

// setField sets one field of an entity from its JSON value, for conflict
// resolutions. It round-trips through JSON so that every conflictable field
// works without a hand-written setter; resolutions are rare.
func setField(entity any, field string, value json.RawMessage) error {
	raw, err := json.Marshal(entity)
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	m[field] = value
	raw, _ = json.Marshal(m)
	if err := json.Unmarshal(raw, entity); err != nil {
		return FieldError("value", "does not fit field %s", field)
	}
	return nil
}

// resolveConflict applies a conflict resolution to entity for one of the
// fields that may conflict.
func resolveConflict(c *change, p *ResolveConflictPayload, entity any, conflictable []string) error {
	if !slices.Contains(conflictable, p.Field) {
		return FieldError("field", "%s cannot be in conflict", p.Field)
	}
	value, err := resolvedValue(p.Field, p.Value)
	if err != nil {
		return err
	}
	old, _ := json.Marshal(entity)
	var before map[string]json.RawMessage
	_ = json.Unmarshal(old, &before)
	if err := setField(entity, p.Field, value); err != nil {
		return err
	}
	write(c, p.Field, before[p.Field], value)
	return nil
}
