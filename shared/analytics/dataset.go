package analytics

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"boucle/shared/domain"
)

// Input is what a Dataset is built from: folded states, as the store or the
// fold returns them. Stations and categories are optional; when given,
// scorecards list the stations that received no complaint too.
type Input struct {
	Complaints []domain.Complaint
	Actions    []domain.Action
	Plans      []domain.Plan
	Stations   []domain.Station
	Categories []domain.Category
	// Problems are the problems engineers merged (the others have no
	// state): see Problems.
	Problems []domain.Problem
}

// Dataset is an immutable view over an Input, indexed once for every
// computation. It keeps pointers into the Input's slices instead of
// copying them: the caller must not modify them while the Dataset is in
// use. A Dataset is safe for concurrent use.
//
// Internally each complaint is reduced to a compact fact (times as
// integers, stations and categories as small numbers), held in (FiledAt,
// ID) order, so that a position compares like the complaints it stands for
// and a report over 100k complaints walks a few megabytes instead of
// chasing 100k pointers and hashing strings.
type Dataset struct {
	in         Input
	complaints []*domain.Complaint // by (FiledAt, ID); a complaint's index here is its position
	facts      []fact              // by position
	pos        map[string]int32    // complaint id → position
	actions    []*domain.Action    // by ID
	actScope   []scope             // by action index
	pendingDue []int64             // by action index: Due of an open or in-progress action, else noTime
	plans      []*domain.Plan      // by ID
	planScope  []scope             // by plan index
	planIdx    map[string]int32    // plan id → index

	stations, categories, severities, kinds, statuses, parts dict

	// groups holds the positions of the countable complaints of each
	// (supplier, category), increasing: recurrence and effectiveness
	// search them.
	groups map[groupKey][]int32
	// oneCategory[c] is []int32{c}, shared by the scopes of actions.
	oneCategory [][]int32
	// actionsOf[pos] lists the actions answering the complaint at pos
	// (indices into actions), in CSR form: actionsOf.at(pos).
	actionsOf csr
	// plansOf lists the plans (indices) naming the complaint at pos.
	plansOf csr
	// firstPrevention[pos] is the earliest moment (Unix ns) the complaint
	// had a preventive action done or a plan approved, math.MaxInt64 if
	// never.
	firstPrevention []int64
	subjects        []subject // preventive actions done and plans started, by (doneAt, kind, ID)

	mu          sync.Mutex
	recurrences map[time.Duration]*Recurrences

	problemsOnce  sync.Once
	problems      *Problems
	problemsFound atomic.Bool // problems is set (AdoptProblems reads it from another dataset)

	themes themeTexts // the descriptions as the themes read them, numbered once
}

// fact is what the computations read of a complaint.
type fact struct {
	filed, ack, resolved, deadline int64 // Unix nanoseconds; noTime when unset
	supplier, filing, category     int32 // dict ids
	part                           int32 // dict id, -1 without a part
	severity, kind, status         int16
	reopens                        int16
	rating                         int8
	escalated, countable           bool
}

// noTime stands for an unset time. Real times are years 2000 to 2200.
const noTime = math.MinInt64

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return unixNano(t)
}

// unixNano is t.UnixNano clamped to what an int64 holds (years 1678 to
// 2261): a filter from year 1 must select everything, not overflow.
func unixNano(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64 + 1
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var minNanoTime, maxNanoTime = time.Unix(0, math.MinInt64+1), time.Unix(0, math.MaxInt64)

// filedTime is the filing time of the complaint at p read from its fact,
// not from the complaint (over a year's complaints, reading each one is a
// cache miss each); the complaint's own when the fact's was clamped.
func (ds *Dataset) filedTime(p int32) time.Time {
	if n := ds.facts[p].filed; n != math.MinInt64+1 && n != math.MaxInt64 {
		return time.Unix(0, n)
	}
	return ds.complaints[p].FiledAt
}

// groupKey is what makes two complaints "the same problem" before the part
// is looked at: dict ids of the supplier station and the category.
type groupKey struct{ supplier, category int32 }

// NewDataset indexes the input.
func NewDataset(in Input) *Dataset {
	ds := &Dataset{in: in, recurrences: map[time.Duration]*Recurrences{}}
	ds.complaints = ds.sortedComplaints()
	// The id map and the actions' owners need nothing else and are the
	// slowest part: they run on a second core while the facts are built.
	var owners []int32
	var unnamed map[string]int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		ds.indexIDs()
		ds.sortActions()
		owners, unnamed = ds.actionOwners()
	}()
	ds.indexFacts()
	<-done
	ds.indexPlans()
	ds.indexActions(owners, unnamed)
	ds.indexPrevention()
	return ds
}

func (ds *Dataset) indexIDs() {
	ds.pos = make(map[string]int32, len(ds.complaints))
	for i, c := range ds.complaints {
		ds.pos[c.ID] = int32(i)
	}
}

func (ds *Dataset) indexFacts() {
	ds.facts = make([]fact, len(ds.complaints))
	ds.groups = map[groupKey][]int32{}
	for i, c := range ds.complaints {
		f := ds.factOf(c)
		ds.facts[i] = f
		if f.countable {
			k := groupKey{f.supplier, f.category}
			ds.groups[k] = append(ds.groups[k], int32(i))
		}
	}
	ds.oneCategory = make([][]int32, len(ds.categories.names))
	for i := range ds.oneCategory {
		ds.oneCategory[i] = []int32{int32(i)}
	}
}

// sortedComplaints orders the complaints by (FiledAt, ID), sorting small
// keys rather than comparing times through pointers.
func (ds *Dataset) sortedComplaints() []*domain.Complaint {
	cs := ds.in.Complaints
	type key struct {
		filed int64
		i     int32
	}
	keys := make([]key, len(cs))
	for i := range cs {
		keys[i] = key{unixNano(cs[i].FiledAt), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.filed != b.filed {
			return cmpInt(a.filed, b.filed)
		}
		return strings.Compare(cs[a.i].ID, cs[b.i].ID)
	})
	out := make([]*domain.Complaint, len(cs))
	for j, k := range keys {
		out[j] = &cs[k.i]
	}
	return out
}

func (ds *Dataset) factOf(c *domain.Complaint) fact {
	f := fact{filed: nanos(c.FiledAt), ack: nanos(c.AcknowledgedAt), resolved: nanos(c.ResolvedAt),
		deadline: nanos(c.Deadline), supplier: ds.stations.id(c.SupplierStation), filing: ds.stations.id(c.FilingStation),
		category: ds.categories.id(c.Category), part: -1, severity: int16(ds.severities.id(string(c.Severity))),
		kind: int16(ds.kinds.id(string(c.Kind))), status: int16(ds.statuses.id(string(c.Status))),
		reopens: int16(min(c.Reopens, math.MaxInt16)), escalated: len(c.Escalations) > 0, countable: countable(c)}
	if c.Rating >= 1 && c.Rating <= 5 {
		f.rating = int8(c.Rating)
	}
	if p := PartKey(c.PartRef); p != "" {
		f.part = ds.parts.id(p)
	}
	return f
}

func (ds *Dataset) sortActions() {
	ds.actions = make([]*domain.Action, len(ds.in.Actions))
	for i := range ds.in.Actions {
		ds.actions[i] = &ds.in.Actions[i]
	}
	byID := func(a, b *domain.Action) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(ds.actions, byID) {
		slices.SortFunc(ds.actions, byID)
	}
}

// actionOwners returns the position of the complaint each action names
// (-1 if none or unknown) and the actions that name none, by id: an action
// of a plan names no complaint, complaints link it.
func (ds *Dataset) actionOwners() (owner []int32, unnamed map[string]int32) {
	unnamed = map[string]int32{}
	owner = make([]int32, len(ds.actions))
	for i, a := range ds.actions {
		owner[i] = -1
		if p, ok := ds.pos[a.ComplaintID]; ok {
			owner[i] = p
		} else if a.ComplaintID == "" {
			unnamed[a.ID] = int32(i)
		}
	}
	return owner, unnamed
}

// indexActions lists the actions per complaint and finds what each answers
// for.
func (ds *Dataset) indexActions(owner []int32, unnamed map[string]int32) {
	pairs := make([][2]int32, 0, len(owner)) // (complaint position, action index)
	for i, p := range owner {
		if p >= 0 {
			pairs = append(pairs, [2]int32{p, int32(i)})
		}
	}
	linked := make([]int32, len(ds.actions)) // first complaint linking an unnamed action, -1
	for i := range linked {
		linked[i] = -1
	}
	if len(unnamed) > 0 {
		for p, c := range ds.complaints {
			for _, l := range c.Actions {
				if i, ok := unnamed[l.ID]; ok {
					pairs = append(pairs, [2]int32{int32(p), i})
					if linked[i] < 0 {
						linked[i] = int32(p)
					}
				}
			}
		}
	}
	ds.actionsOf = newCSR(len(ds.complaints), pairs)
	ds.actScope = make([]scope, len(ds.actions))
	ds.pendingDue = make([]int64, len(ds.actions))
	for i, a := range ds.actions {
		ds.actScope[i] = ds.actionScope(a, owner[i], linked[i])
		ds.pendingDue[i] = noTime
		if a.Status.Pending() {
			ds.pendingDue[i] = unixNano(a.Due)
		}
	}
}

// actionScope returns the station and categories an action answers for:
// those of the complaint it names; for an action of a plan that names no
// complaint, those of the plan; else those of the first complaint that
// links it.
func (ds *Dataset) actionScope(a *domain.Action, owner, linked int32) scope {
	if owner < 0 {
		if pi, ok := ds.planIdx[a.PlanID]; ok {
			return ds.planScope[pi]
		}
		owner = linked
	}
	if owner < 0 {
		return scope{complaint: -1}
	}
	f := &ds.facts[owner]
	return scope{complaint: owner, supplier: f.supplier, categories: ds.oneCategory[f.category], valid: true}
}

func (ds *Dataset) indexPlans() {
	ds.plans = make([]*domain.Plan, len(ds.in.Plans))
	for i := range ds.in.Plans {
		ds.plans[i] = &ds.in.Plans[i]
	}
	slices.SortFunc(ds.plans, func(a, b *domain.Plan) int { return strings.Compare(a.ID, b.ID) })
	ds.planIdx = make(map[string]int32, len(ds.plans))
	var pairs [][2]int32
	ds.planScope = make([]scope, len(ds.plans))
	for i, p := range ds.plans {
		ds.planIdx[p.ID] = int32(i)
		ds.planScope[i] = ds.planScopeOf(p)
		for _, id := range p.Complaints {
			if pos, ok := ds.pos[id]; ok {
				pairs = append(pairs, [2]int32{pos, int32(i)})
			}
		}
	}
	ds.plansOf = newCSR(len(ds.complaints), pairs)
}

func (ds *Dataset) planScopeOf(p *domain.Plan) scope {
	s := scope{complaint: -1, supplier: ds.stations.id(p.SupplierStation), valid: true}
	for _, c := range sortedCopy(p.Categories) {
		s.categories = append(s.categories, ds.categories.id(c))
	}
	return s
}

// indexPrevention finds, per complaint, when prevention first existed for
// it, and lists the subjects whose effectiveness is measured.
func (ds *Dataset) indexPrevention() {
	ds.firstPrevention = make([]int64, len(ds.complaints))
	for p := range ds.firstPrevention {
		first := int64(math.MaxInt64)
		for _, ai := range ds.actionsOf.at(p) {
			if a := ds.actions[ai]; isDonePreventive(a) {
				first = min(first, unixNano(a.DoneAt))
			}
		}
		for _, pi := range ds.plansOf.at(p) {
			if at := approvedAt(ds.plans[pi]); !at.IsZero() {
				first = min(first, unixNano(at))
			}
		}
		ds.firstPrevention[p] = first
	}
	ds.subjects = ds.listSubjects()
}

// Complaint returns the complaint with the given id.
func (ds *Dataset) Complaint(id string) (*domain.Complaint, bool) {
	p, ok := ds.pos[id]
	if !ok {
		return nil, false
	}
	return ds.complaints[p], true
}

// FromStates builds the Input from folded states of any entity types (the
// result of domain.Fold or of a store scan); other entity types are
// ignored.
func FromStates(states []*domain.State) Input {
	var in Input
	for _, s := range states {
		switch {
		case s.Complaint != nil:
			in.Complaints = append(in.Complaints, *s.Complaint)
		case s.Action != nil:
			in.Actions = append(in.Actions, *s.Action)
		case s.Plan != nil:
			in.Plans = append(in.Plans, *s.Plan)
		case s.Station != nil:
			in.Stations = append(in.Stations, *s.Station)
		case s.Category != nil:
			in.Categories = append(in.Categories, *s.Category)
		case s.Problem != nil:
			in.Problems = append(in.Problems, *s.Problem)
		}
	}
	return in
}

// countable reports whether a complaint counts as a real occurrence of a
// problem. A rejected complaint was not a non-conformance, a duplicate
// repeats another one and a withdrawn one was retracted: none of them is a
// recurrence, proves a plan ineffective or is linked to by a recurrence.
func countable(c *domain.Complaint) bool {
	switch c.Status {
	case domain.StatusRejected, domain.StatusDuplicate, domain.StatusWithdrawn:
		return false
	}
	return true
}

// Settings are the plant's analysis parameters. A zero field takes its
// default, so Settings{} is valid.
type Settings struct {
	// RecurrenceWindow is how far back a complaint looks for the same
	// problem. Default 90 days.
	RecurrenceWindow time.Duration `json:"recurrence_window"`
	// EffectivenessWindow is how long after a preventive action is done (a
	// plan is started) no complaint of its station and categories may come
	// for it to be effective. Default 90 days.
	EffectivenessWindow time.Duration `json:"effectiveness_window"`
	// Location decides where a week or a month starts. Default UTC; the
	// server and the workstations must use the same one to agree.
	Location *time.Location `json:"-"`
}

// MarshalJSON writes the windows in days and the calendar's name, for the
// report's header.
func (s Settings) MarshalJSON() ([]byte, error) {
	s = s.withDefaults()
	return json.Marshal(struct {
		RecurrenceDays    float64 `json:"recurrence_window_days"`
		EffectivenessDays float64 `json:"effectiveness_window_days"`
		Location          string  `json:"location"`
	}{s.RecurrenceWindow.Hours() / 24, s.EffectivenessWindow.Hours() / 24, s.Location.String()})
}

// Day is 24 hours; windows are whole days in practice.
const Day = 24 * time.Hour

// DefaultSettings returns the defaults: 90-day windows, UTC calendar.
func DefaultSettings() Settings { return Settings{}.withDefaults() }

func (s Settings) withDefaults() Settings {
	if s.RecurrenceWindow <= 0 {
		s.RecurrenceWindow = 90 * Day
	}
	if s.EffectivenessWindow <= 0 {
		s.EffectivenessWindow = 90 * Day
	}
	if s.Location == nil {
		s.Location = time.UTC
	}
	return s
}

// dict numbers the values of one dimension (stations, categories...), so
// that counting is indexing an array.
type dict struct {
	ids   map[string]int32
	names []string
}

func (d *dict) id(s string) int32 {
	if i, ok := d.ids[s]; ok {
		return i
	}
	if d.ids == nil {
		d.ids = map[string]int32{}
	}
	i := int32(len(d.names))
	d.ids[s] = i
	d.names = append(d.names, s)
	return i
}

// lookup returns the id of s: anyID for "", absentID when s never occurs
// (a filter on it selects nothing).
func (d *dict) lookup(s string) int32 {
	if s == "" {
		return anyID
	}
	if i, ok := d.ids[s]; ok {
		return i
	}
	return absentID
}

const (
	anyID    int32 = -1
	absentID int32 = -2
)

// counts turns per-id counts into Counts sorted by name, zeros left out.
func (d *dict) counts(n []int) []Count {
	out := []Count{}
	for i, c := range n {
		if c > 0 {
			out = append(out, Count{d.names[i], c})
		}
	}
	slices.SortFunc(out, func(a, b Count) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// csr lists, for each of n rows, a few int32 values, in one array.
type csr struct {
	start []int32 // row r holds values[start[r]:start[r+1]]
	vals  []int32
}

// newCSR builds the rows from (row, value) pairs; each row keeps the order
// of its values in pairs.
func newCSR(n int, pairs [][2]int32) csr {
	c := csr{start: make([]int32, n+1), vals: make([]int32, len(pairs))}
	for _, p := range pairs {
		c.start[p[0]+1]++
	}
	for i := range n {
		c.start[i+1] += c.start[i]
	}
	next := slices.Clone(c.start[:n])
	for _, p := range pairs {
		c.vals[next[p[0]]] = p[1]
		next[p[0]]++
	}
	return c
}

func (c csr) at(row int) []int32 {
	if len(c.start) == 0 {
		return nil
	}
	return c.vals[c.start[row]:c.start[row+1]]
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
