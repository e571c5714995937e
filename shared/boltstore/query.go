package boltstore

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	bolt "go.etcd.io/bbolt"
)

// DefaultPageSize is the page size when a query gives none.
const DefaultPageSize = 50

// MaxPageSize bounds one page.
const MaxPageSize = 500

// ComplaintFilter selects complaints. Empty fields do not filter.
type ComplaintFilter struct {
	Statuses        []domain.ComplaintStatus
	SupplierStation string
	FilingStation   string
	Assignee        string
	FiledBy         string
	Category        string
	Severity        domain.Severity
	Overdue         bool      // deadline passed and not yet resolved (needs Now)
	Now             time.Time // reference time for Overdue
	Text            string    // words found in number, part, lot or description
	Limit           int
	Cursor          string // from the previous page's Next
}

// ComplaintPage is one page of complaints, newest first (oldest deadline
// first when filtering overdue ones).
type ComplaintPage struct {
	Rows []ComplaintRow `json:"rows"`
	Next string         `json:"next,omitempty"` // cursor of the next page; empty on the last
}

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// ListComplaints returns a page of complaints matching f. One index drives
// the walk (text, overdue, status, supplier, filing station, assignee, or
// all in filing order); the other criteria are checked on the compact rows.
func (t *Tx) ListComplaints(f ComplaintFilter) (ComplaintPage, error) {
	after, err := hex.DecodeString(f.Cursor)
	if err != nil {
		return ComplaintPage{}, domain.FieldError("cursor", "is not a cursor from a previous page")
	}
	words := strings.Fields(FoldText(f.Text))
	stored := t.tx.Bucket(bucketComplaintRows)
	rows := pager[ComplaintRow]{limit: pageSize(f.Limit)}
	visit := func(suffix []byte, id []byte) (bool, error) {
		if id == nil {
			return false, domain.Errorf(domain.EInternal, "corrupt complaint index key %x", suffix)
		}
		var r ComplaintRow
		if err := decodeComplaintRow(stored.Get(id), &r); err != nil {
			return false, domain.Errorf(domain.EInternal, "corrupt complaint row %s", id)
		}
		if !f.matches(&r) {
			return false, nil
		}
		return rows.add(suffix, r), nil
	}
	switch {
	case len(words) > 0:
		err = t.walkText(words, after, visit)
	case f.Overdue:
		err = walkMerged(t.tx.Bucket(idxComplaintDeadline), [][]byte{nil}, after, 8, func(suffix []byte) (bool, error) {
			if int64(readU64(suffix[:8])) >= f.Now.UnixMilli() {
				return true, nil // deadlines ahead: none of the rest is overdue
			}
			return visit(suffix, suffix[8:])
		})
	default:
		b, prefixes := t.drivingIndex(f)
		err = walkMerged(b, prefixes, after, 8, func(suffix []byte) (bool, error) { return visit(suffix, filedKeyID(suffix)) })
	}
	return ComplaintPage{Rows: rows.items, Next: rows.next}, err
}

// drivingIndex picks the most selective index for f.
func (t *Tx) drivingIndex(f ComplaintFilter) (*bolt.Bucket, [][]byte) {
	one := func(name []byte, v string) (*bolt.Bucket, [][]byte) {
		return t.tx.Bucket(name), [][]byte{[]byte(v + "\x00")}
	}
	switch {
	case len(f.Statuses) > 0:
		var ps [][]byte
		for i, s := range f.Statuses {
			if !slices.Contains(f.Statuses[:i], s) { // a status asked twice is walked once
				ps = append(ps, []byte(string(s)+"\x00"))
			}
		}
		return t.tx.Bucket(idxComplaintStatus), ps
	case f.SupplierStation != "":
		return one(idxComplaintSupplier, f.SupplierStation)
	case f.FilingStation != "":
		return one(idxComplaintFiling, f.FilingStation)
	case f.Assignee != "":
		return one(idxComplaintAssignee, f.Assignee)
	}
	return t.tx.Bucket(idxComplaintFiled), [][]byte{nil}
}

func (f *ComplaintFilter) matches(r *ComplaintRow) bool {
	switch {
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, r.Status),
		f.SupplierStation != "" && r.SupplierStation != f.SupplierStation,
		f.FilingStation != "" && r.FilingStation != f.FilingStation,
		f.Assignee != "" && r.Assignee != f.Assignee,
		f.FiledBy != "" && r.FiledBy != f.FiledBy,
		f.Category != "" && r.Category != f.Category,
		f.Severity != "" && r.Severity != f.Severity,
		f.Overdue && !r.Overdue(f.Now):
		return false
	}
	return true
}

// walkText scans the folded texts newest first for every word. A scan of
// plain bytes with no decoding is what keeps it fast over 100k complaints.
func (t *Tx) walkText(words []string, after []byte, visit func(suffix, id []byte) (bool, error)) error {
	needles := make([][]byte, len(words))
	for i, w := range words {
		needles[i] = []byte(w)
	}
	c := t.tx.Bucket(bucketComplaintText).Cursor()
	k, v := c.First()
	if len(after) > 0 {
		k, v = c.Seek(after)
		if k != nil && bytes.Equal(k, after) {
			k, v = c.Next()
		}
	}
	for ; k != nil; k, v = c.Next() {
		if !containsAll(v, needles) {
			continue
		}
		if stop, err := visit(k, filedKeyID(k)); stop || err != nil {
			return err
		}
	}
	return nil
}

func containsAll(text []byte, needles [][]byte) bool {
	for _, n := range needles {
		if !bytes.Contains(text, n) {
			return false
		}
	}
	return true
}

// walkMerged walks several key prefixes of an index in the order of the
// suffix that follows the prefix, merging them like sorted lists, starting
// after the suffix `after`. Suffixes are at least minSuffix bytes.
func walkMerged(b *bolt.Bucket, prefixes [][]byte, after []byte, minSuffix int, fn func(suffix []byte) (bool, error)) error {
	type head struct {
		c      *bolt.Cursor
		prefix []byte
		suffix []byte
	}
	heads := make([]*head, 0, len(prefixes))
	advance := func(h *head, k []byte) {
		h.suffix = nil
		if k != nil && bytes.HasPrefix(k, h.prefix) && len(k)-len(h.prefix) >= minSuffix {
			h.suffix = k[len(h.prefix):]
		}
	}
	for _, p := range prefixes {
		h := &head{c: b.Cursor(), prefix: p}
		k, _ := h.c.Seek(append(slices.Clone(p), after...))
		advance(h, k)
		if h.suffix != nil && len(after) > 0 && bytes.Equal(h.suffix, after) {
			k, _ := h.c.Next()
			advance(h, k)
		}
		heads = append(heads, h)
	}
	for {
		var min *head
		for _, h := range heads {
			if h.suffix != nil && (min == nil || bytes.Compare(h.suffix, min.suffix) < 0) {
				min = h
			}
		}
		if min == nil {
			return nil
		}
		if stop, err := fn(min.suffix); stop || err != nil {
			return err
		}
		k, _ := min.c.Next()
		advance(min, k)
	}
}

// State returns an entity's folded state, or ENotFound.
func (t *Tx) State(k domain.EntityKey) (*domain.State, error) {
	st, err := t.state(k)
	if err != nil {
		return nil, err
	}
	if st == nil || !st.Exists() {
		return nil, domain.Errorf(domain.ENotFound, "no %s %q", k.Type, k.ID)
	}
	return st, nil
}

// Complaint returns one complaint's state.
func (t *Tx) Complaint(id string) (*domain.State, error) {
	return t.State(domain.EntityKey{Type: domain.EntityComplaint, ID: id})
}

// ComplaintByNumber finds a complaint by its human number
// (FindComplaintByNumber).
func (t *Tx) ComplaintByNumber(number string) (*domain.State, error) {
	return FindComplaintByNumber(t, number)
}

// ComplaintSource is what finding a complaint by its number takes from a
// store. This store and the server's PostgreSQL adapter both find it
// through FindComplaintByNumber, so the two answer alike.
type ComplaintSource interface {
	Complaint(id string) (*domain.State, error)
	ComplaintWithNumber(number string) (id string, ok bool)
	QueryComplaints(q ComplaintQuery) (ComplaintPage, error)
}

// FindComplaintByNumber finds a complaint by its human number: from the
// number index, else by a text search (a number whose index entry went to
// a filing the server refused). ENotFound when none has it.
func FindComplaintByNumber(s ComplaintSource, number string) (*domain.State, error) {
	if id, ok := s.ComplaintWithNumber(number); ok {
		if st, err := s.Complaint(id); domain.ErrorCode(err) != domain.ENotFound {
			return st, err
		}
	}
	page, err := s.QueryComplaints(ComplaintQuery{ComplaintFilter: ComplaintFilter{Text: number, Limit: MaxPageSize}})
	if err != nil {
		return nil, err
	}
	for _, r := range page.Rows {
		if r.Number == number {
			return s.Complaint(r.ID)
		}
	}
	return nil, domain.Errorf(domain.ENotFound, "no complaint numbered %s", number)
}

// TimelineEntry is one event in a complaint's history.
type TimelineEntry struct {
	Event    domain.Event `json:"event"`
	Rejected bool         `json:"rejected,omitempty"` // refused by the server
	Unfolded bool         `json:"unfolded,omitempty"` // not understood by this version
}

// Timeline returns every event of a complaint and of its actions, in fold
// order.
func (t *Tx) Timeline(complaintID string) ([]TimelineEntry, error) {
	keys := []domain.EntityKey{{Type: domain.EntityComplaint, ID: complaintID}}
	if _, err := t.Complaint(complaintID); err != nil {
		return nil, err
	}
	prefix := []byte(complaintID + "\x00")
	c := t.tx.Bucket(idxActionComplaint).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, domain.EntityKey{Type: domain.EntityAction, ID: string(k[len(prefix):])})
	}
	var out []TimelineEntry
	unfolded := t.tx.Bucket(bucketUnfolded)
	for _, k := range keys {
		err := t.entityEvents(k, func(e *domain.Event) error {
			out = append(out, TimelineEntry{Event: *e, Rejected: t.IsRejected(e.ID), Unfolded: unfolded.Get(e.ID[:]) != nil})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b TimelineEntry) int { return a.Event.Order().Compare(b.Event.Order()) })
	return out, nil
}

// ActionFilter selects actions.
type ActionFilter struct {
	Owner       string // pending actions of one owner, by due date
	ComplaintID string // all actions of one complaint
	Kind        domain.ActionKind
	Overdue     bool // pending past due (needs Now)
	Now         time.Time
	Limit       int
	Cursor      string
}

// ActionPage is one page of actions.
type ActionPage struct {
	Actions []domain.Action `json:"actions"`
	Next    string          `json:"next,omitempty"`
}

// ListActions returns a page of actions: those of a complaint, or the
// pending ones by due date (of one owner, or of everyone).
func (t *Tx) ListActions(f ActionFilter) (ActionPage, error) {
	after, err := hex.DecodeString(f.Cursor)
	if err != nil {
		return ActionPage{}, domain.FieldError("cursor", "is not a cursor from a previous page")
	}
	b, prefix, idAt := t.tx.Bucket(idxActionDue), []byte(nil), 8
	switch {
	case f.ComplaintID != "":
		b, prefix, idAt = t.tx.Bucket(idxActionComplaint), []byte(f.ComplaintID+"\x00"), 0
	case f.Owner != "":
		b, prefix = t.tx.Bucket(idxActionOwnerDue), []byte(f.Owner+"\x00")
	}
	actions := pager[domain.Action]{limit: pageSize(f.Limit)}
	err = walkMerged(b, [][]byte{prefix}, after, idAt, func(suffix []byte) (bool, error) {
		st, err := t.State(domain.EntityKey{Type: domain.EntityAction, ID: string(suffix[idAt:])})
		if err != nil {
			return false, err
		}
		a := st.Action
		if f.Overdue && f.ComplaintID == "" && !a.Due.Before(f.Now) {
			return true, nil // walking by due date: the rest is not overdue
		}
		if (f.Kind != "" && a.Kind != f.Kind) || (f.Overdue && !a.Overdue(f.Now)) {
			return false, nil
		}
		return actions.add(suffix, *a), nil
	})
	return ActionPage{Actions: actions.items, Next: actions.next}, err
}

// Plans returns the preventive plans in the given statuses (all when none),
// the last drafted first.
func (t *Tx) Plans(statuses ...domain.PlanStatus) ([]domain.Plan, error) {
	type drafted struct {
		plan  domain.Plan
		order hlc.Timestamp // the drafting event's: DraftedAt's milliseconds tie
	}
	var found []drafted
	err := t.forEachState(domain.EntityPlan, func(st *domain.State) {
		if len(statuses) == 0 || slices.Contains(statuses, st.Plan.Status) {
			found = append(found, drafted{*st.Plan, st.Meta.Created})
		}
	})
	// Newest first; forEachState walks by id, so the stable sort breaks an
	// HLC tie (two workstations) the same way every time.
	slices.SortStableFunc(found, func(a, b drafted) int { return cmp.Compare(b.order, a.order) })
	out := make([]domain.Plan, len(found))
	for i := range found {
		out[i] = found[i].plan
	}
	return out, err
}

// ForEachState calls fn for every existing entity of a type, in id order.
// Each state is decoded afresh: fn may keep it. It reads every state of
// the type, for whole-plant computations (the server's reports, a test
// comparing two stores); screens use the indexed queries.
func (t *Tx) ForEachState(typ domain.EntityType, fn func(*domain.State)) error {
	return t.forEachState(typ, fn)
}

// forEachState calls fn for every existing entity of a type.
func (t *Tx) forEachState(typ domain.EntityType, fn func(*domain.State)) error {
	prefix := []byte(string(typ) + "\x00")
	c := t.tx.Bucket(bucketStates).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var st domain.State
		if err := decodeStateValue(v, &st); err != nil {
			return domain.Errorf(domain.EInternal, "corrupt state %q", k)
		}
		if st.Exists() {
			fn(&st)
		}
	}
	return nil
}

// Stations lists the stations, retired ones included (they are flagged).
func (t *Tx) Stations() ([]domain.Station, error) { return ReadStations(t) }

// Users lists the user directory.
func (t *Tx) Users() ([]domain.User, error) { return ReadUsers(t) }

// Categories lists the defect categories.
func (t *Tx) Categories() ([]domain.Category, error) { return ReadCategories(t) }

// Severities returns the handling times of every severity, configured or
// default.
func (t *Tx) Severities() ([]domain.SeverityConfig, error) { return ReadSeverities(t) }

// Severity returns the handling times of one severity.
func (t *Tx) Severity(s domain.Severity) (domain.SeverityConfig, error) { return ReadSeverity(t, s) }

// pager collects one page of a cursor walk: the items, and the cursor of
// the next page (the suffix of the last item kept) once one more matches.
type pager[T any] struct {
	limit int
	items []T
	next  string
	last  []byte
}

// add keeps an item found at suffix, or reports that the page is full.
func (p *pager[T]) add(suffix []byte, item T) (full bool) {
	if len(p.items) == p.limit {
		p.next = hex.EncodeToString(p.last)
		return true
	}
	p.items = append(p.items, item)
	p.last = append(p.last[:0], suffix...)
	return false
}
