package syncserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/gin-gonic/gin"
)

// The plant-wide views: every station's complaints, actions and plans, for
// managers and integrations. Any signed-in role may read them; operators
// do not see internal notes (the one thing the domain hides from them).

// query reads the parameters of a view, remembering the first error.
type query struct {
	c   *gin.Context
	err error
}

func (q *query) str(name string) string { return strings.TrimSpace(q.c.Query(name)) }

// list reads a repeatable parameter, also split on commas.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.c.QueryArray(name) {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (q *query) bool(name string) bool {
	switch v := q.str(name); v {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	q.fail(domain.FieldError(name, "must be true or false"))
	return false
}

// time reads an RFC 3339 time or a date; a date ends the day when endOfDay
// (an inclusive upper bound).
func (q *query) time(name string, endOfDay bool) time.Time {
	v := q.str(name)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		q.fail(domain.FieldError(name, "must be a date (2026-03-01) or an RFC 3339 time"))
		return time.Time{}
	}
	if endOfDay {
		return d.Add(24*time.Hour - time.Millisecond)
	}
	return d
}

func (q *query) limit() int {
	n, err := queryLimit(q.c, boltstore.DefaultPageSize, boltstore.MaxPageSize)
	q.fail(err)
	return n
}

func (q *query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

// enums reads a repeatable parameter of allowed values.
func enums[T ~string](q *query, name string, allowed []T) []T {
	var out []T
	for _, v := range q.list(name) {
		if !slices.Contains(allowed, T(v)) {
			q.fail(domain.FieldError(name, "unknown value %q", v))
			return nil
		}
		out = append(out, T(v))
	}
	return out
}

func enum[T ~string](q *query, name string, allowed []T) T {
	v := enums(q, name, allowed)
	if len(v) > 1 {
		q.fail(domain.FieldError(name, "give one value"))
	}
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// listComplaints: GET /complaints. The store's indexes drive the walk
// (text, overdue, status, supplier, filing station, assignee, filing
// date); station (either side) and the filed date range are checked on
// the compact rows (see boltstore.QueryComplaints).
func (s *Server) listComplaints(c *gin.Context) {
	q := &query{c: c}
	cq := boltstore.ComplaintQuery{
		ComplaintFilter: boltstore.ComplaintFilter{
			Statuses:        enums(q, "status", domain.ComplaintStatuses),
			SupplierStation: q.str("supplier_station"),
			FilingStation:   q.str("filing_station"),
			Assignee:        q.str("assignee"),
			Category:        q.str("category"),
			Severity:        enum(q, "severity", domain.Severities),
			Overdue:         q.bool("overdue"),
			Now:             s.now(),
			Text:            q.str("q"),
			Limit:           q.limit(),
			Cursor:          q.str("cursor"),
		},
		Station: q.str("station"),
		From:    q.time("from", false),
		To:      q.time("to", true),
	}
	if q.err != nil {
		_ = c.Error(q.err)
		return
	}
	var page boltstore.ComplaintPage
	if err := s.views.ViewProjections(c.Request.Context(), func(t ProjectionTx) (err error) { page, err = t.QueryComplaints(cq); return err }); err != nil {
		_ = c.Error(err)
		return
	}
	if page.Rows == nil {
		page.Rows = []boltstore.ComplaintRow{}
	}
	c.JSON(http.StatusOK, page)
}

// ComplaintDetail is one complaint with everything about it.
type ComplaintDetail struct {
	Complaint *domain.Complaint         `json:"complaint"`
	Conflicts []domain.Conflict         `json:"conflicts,omitempty"` // concurrent edits not yet settled
	Flags     []domain.Flag             `json:"flags,omitempty"`     // events its state refused
	Actions   []domain.Action           `json:"actions"`
	Timeline  []boltstore.TimelineEntry `json:"timeline"` // its events and its actions', in fold order
}

// getComplaint: GET /complaints/{id}, by id or by number.
func (s *Server) getComplaint(c *gin.Context) {
	id := c.Param("id")
	var d ComplaintDetail
	err := s.views.ViewProjections(c.Request.Context(), func(t ProjectionTx) error {
		st, err := complaintByRef(t, id)
		if err != nil {
			return err
		}
		d = ComplaintDetail{Complaint: st.Complaint, Conflicts: st.Meta.Conflicts, Flags: st.Meta.Flags}
		if d.Timeline, err = t.Timeline(st.Complaint.ID); err != nil {
			return err
		}
		actions, err := t.ListActions(boltstore.ActionFilter{ComplaintID: st.Complaint.ID, Limit: boltstore.MaxPageSize})
		d.Actions = actions.Actions
		return err
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.showInternalNotes(&d, principalOf(c).Role)
	if d.Actions == nil {
		d.Actions = []domain.Action{}
	}
	c.JSON(http.StatusOK, d)
}

// complaintByRef finds a complaint by id, or by number.
func complaintByRef(t ProjectionTx, ref string) (*domain.State, error) {
	st, err := t.Complaint(ref)
	if domain.ErrorCode(err) == domain.ENotFound && strings.Count(ref, "-") >= 2 {
		st, err = boltstore.FindComplaintByNumber(t, ref)
	}
	return st, err
}

// hideInternalNotes removes what operators do not see: engineers' internal
// notes, from the state and from the timeline.
func hideInternalNotes(d *ComplaintDetail) {
	d.Complaint.Messages = slices.DeleteFunc(slices.Clone(d.Complaint.Messages), func(m domain.Message) bool { return m.Internal })
	d.Timeline = slices.DeleteFunc(d.Timeline, func(te boltstore.TimelineEntry) bool {
		if te.Event.Type != domain.ComplaintMessagePosted {
			return false
		}
		var p domain.MessagePayload
		return json.Unmarshal(te.Event.Payload, &p) != nil || p.Internal
	})
}

// listActions: GET /actions. Pending actions are walked by due date (an
// index); asking for other statuses, or for none, scans the action states
// in id order; station is the supplier station of the action's complaint
// or plan (see boltstore.QueryActions).
func (s *Server) listActions(c *gin.Context) {
	q := &query{c: c}
	aq := boltstore.ActionQuery{
		Statuses:    enums(q, "status", domain.ActionStatuses),
		Owner:       q.str("owner"),
		Station:     q.str("station"),
		Kind:        enum(q, "kind", domain.ActionKinds),
		ComplaintID: q.str("complaint"),
		Overdue:     q.bool("overdue"),
		Now:         s.now(),
		DueFrom:     q.time("due_from", false),
		DueTo:       q.time("due_to", true),
		Limit:       q.limit(),
		Cursor:      q.str("cursor"),
	}
	if q.err != nil {
		_ = c.Error(q.err)
		return
	}
	var page boltstore.ActionPage
	if err := s.views.ViewProjections(c.Request.Context(), func(t ProjectionTx) (err error) { page, err = t.QueryActions(aq); return err }); err != nil {
		_ = c.Error(err)
		return
	}
	if page.Actions == nil {
		page.Actions = []domain.Action{}
	}
	c.JSON(http.StatusOK, page)
}

// listPlans: GET /plans, newest first. Plans are few: one page.
func (s *Server) listPlans(c *gin.Context) {
	q := &query{c: c}
	statuses := enums(q, "status", domain.PlanStatuses)
	station := q.str("station")
	if q.err != nil {
		_ = c.Error(q.err)
		return
	}
	var plans []domain.Plan
	if err := s.views.ViewProjections(c.Request.Context(), func(t ProjectionTx) (err error) { plans, err = t.Plans(statuses...); return err }); err != nil {
		_ = c.Error(err)
		return
	}
	plans = slices.DeleteFunc(plans, func(p domain.Plan) bool { return station != "" && p.SupplierStation != station })
	if plans == nil {
		plans = []domain.Plan{}
	}
	c.JSON(http.StatusOK, gin.H{"plans": plans})
}

// Reference data, the same every workstation receives through the log.

func (s *Server) listStations(c *gin.Context) {
	reference(c, s, "stations", func(t ProjectionTx) (any, error) { return nonNil(t.Stations()) })
}

func (s *Server) listUsers(c *gin.Context) {
	reference(c, s, "users", func(t ProjectionTx) (any, error) { return nonNil(t.Users()) })
}

func (s *Server) listCategories(c *gin.Context) {
	reference(c, s, "categories", func(t ProjectionTx) (any, error) { return nonNil(t.Categories()) })
}

func (s *Server) listSeverities(c *gin.Context) {
	reference(c, s, "severities", func(t ProjectionTx) (any, error) { return t.Severities() })
}

func reference(c *gin.Context, s *Server, name string, read func(ProjectionTx) (any, error)) {
	var v any
	if err := s.views.ViewProjections(c.Request.Context(), func(t ProjectionTx) (err error) { v, err = read(t); return err }); err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, gin.H{name: v})
}

// nonNil answers an empty list as [] rather than null. The store lists
// reference data in key order (code, login) already.
func nonNil[T any](items []T, err error) ([]T, error) {
	if items == nil {
		items = []T{}
	}
	return items, err
}
