package pgstore

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// The views' queries (syncserver's Complaints and ActionsAndPlans ports),
// answered as the bbolt store answers them: the same rows in the same
// order, the same page cursors. Each walks one key column in byte order
// from the cursor (as bbolt walks an index), in chunks, with the
// criteria SQL can check on its columns in the WHERE clause; every row is
// then checked with boltstore's own filters, and the walk stops where
// bbolt's stops.

// walkChunk is how many rows one statement of a walk reads.
const walkChunk = 500

// walk runs query (its $1 the plant, $2 the key to walk after, $3 the
// chunk's size, then args; its first column the key it orders by, its
// second the value visited) chunk after chunk, calling visit for each row
// until visit says stop. A chunk is read whole before it is visited: visit
// may query the transaction's connection.
func (t *Tx) walk(query string, after []byte, args []any, visit func(key, value []byte) (stop bool, err error)) error {
	if after == nil {
		after = []byte{} // nil would be sent as NULL, which no key follows
	}
	for {
		rows, err := t.tx.Query(t.ctx, query, append([]any{t.plant.id, after, walkChunk}, args...)...)
		if err != nil {
			return err
		}
		var chunk [][2][]byte
		for rows.Next() {
			raw := rows.RawValues()
			chunk = append(chunk, [2][]byte{slices.Clone(raw[0]), slices.Clone(raw[1])})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, row := range chunk {
			if stop, err := visit(row[0], row[1]); stop || err != nil {
				return err
			}
		}
		if len(chunk) < walkChunk {
			return nil
		}
		after = chunk[len(chunk)-1][0]
	}
}

// QueryComplaints returns a page of complaints matching q, in the order
// of the bbolt store's (boltstore.Tx.QueryComplaints): newest filing
// first, oldest deadline first for the overdue ones without words.
func (t *Tx) QueryComplaints(q boltstore.ComplaintQuery) (boltstore.ComplaintPage, error) {
	f := q.ComplaintFilter
	after, err := boltstore.DecodeCursor(f.Cursor)
	if err != nil {
		return boltstore.ComplaintPage{}, err
	}
	limit := boltstore.PageSize(q.Limit)
	words := strings.Fields(boltstore.FoldText(f.Text))
	byFiling := !f.Overdue || len(words) > 0
	if f.Cursor == "" && byFiling && !q.To.IsZero() {
		after = boltstore.FiledAtOrBefore(q.To) // keys after it: filed at or before To
	}
	key := "filed_key"
	where := []string{"plant = $1", "filed_key > $2"}
	if !byFiling {
		key, where = "deadline_key", []string{"plant = $1", "deadline_key IS NOT NULL", "deadline_key > $2"}
	}
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)+3))
	}
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			statuses[i] = string(s)
		}
		arg("status = ANY($%d)", statuses)
	}
	for _, c := range []struct{ column, value string }{{"supplier_station", f.SupplierStation}, {"filing_station", f.FilingStation},
		{"assignee", f.Assignee}, {"filed_by", f.FiledBy}, {"category", f.Category}, {"severity", string(f.Severity)}} {
		if c.value != "" {
			arg(c.column+" = $%d", c.value)
		}
	}
	for _, w := range words {
		arg("position($%d::bytea IN folded_text) > 0", []byte(w))
	}
	query := fmt.Sprintf("SELECT %[1]s, row FROM complaint_rows WHERE %[2]s ORDER BY %[1]s LIMIT $3", key, strings.Join(where, " AND "))
	var page boltstore.ComplaintPage
	err = t.walk(query, after, args, func(k, row []byte) (bool, error) {
		if !byFiling && int64(binary.BigEndian.Uint64(k[:8])) >= f.Now.UnixMilli() {
			return true, nil // deadlines ahead: none of the rest is overdue
		}
		r, err := boltstore.DecodeComplaintRow(row)
		if err != nil {
			return false, domain.Errorf(domain.EInternal, "corrupt complaint row: %v", err)
		}
		switch {
		case !f.Matches(&r):
			return false, nil
		case byFiling && !q.From.IsZero() && r.FiledAt.Before(q.From):
			return true, nil // filing order: every row that follows is older
		case !q.Keeps(&r):
			return false, nil
		case len(page.Rows) == limit:
			page.Next = boltstore.ComplaintCursor(&page.Rows[limit-1], byFiling)
			return true, nil
		}
		page.Rows = append(page.Rows, r)
		return false, nil
	})
	if err != nil {
		return boltstore.ComplaintPage{}, err
	}
	return page, nil
}

// Complaint returns one complaint's state; ENotFound for an unknown one.
func (t *Tx) Complaint(id string) (*domain.State, error) {
	return t.State(domain.EntityKey{Type: domain.EntityComplaint, ID: id})
}

// Timeline returns every event of a complaint and of its actions, in
// fold order.
func (t *Tx) Timeline(complaintID string) ([]boltstore.TimelineEntry, error) {
	if _, err := t.Complaint(complaintID); err != nil {
		return nil, err
	}
	keys := []domain.EntityKey{{Type: domain.EntityComplaint, ID: complaintID}}
	rows, err := t.tx.Query(t.ctx, "SELECT id FROM action_keys WHERE plant = $1 AND complaint = $2 ORDER BY id", t.plant.id, complaintID)
	if err != nil {
		return nil, err
	}
	var id string
	if _, err := pgx.ForEachRow(rows, []any{&id}, func() error {
		keys = append(keys, domain.EntityKey{Type: domain.EntityAction, ID: id})
		return nil
	}); err != nil {
		return nil, err
	}
	var out []boltstore.TimelineEntry
	for _, k := range keys {
		events, err := t.entityEvents(k)
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			// Refused events never enter the server's log (StoreRejection).
			out = append(out, boltstore.TimelineEntry{Event: e, Unfolded: !e.Known()})
		}
	}
	slices.SortFunc(out, func(a, b boltstore.TimelineEntry) int { return a.Event.Order().Compare(b.Event.Order()) })
	return out, nil
}

// actionWalk is a walk of the actions in the order of one of the bbolt
// store's action indexes, and where the id starts in its keys.
type actionWalk struct {
	query string
	args  []any
	idAt  int
	trim  int // bytes after the id (the state keys' closing NUL)
}

// actionRows selects an action's key column and its state.
const actionRows = `SELECT %s, s.body FROM action_keys k JOIN states s ON s.plant = k.plant AND s.type = 'action' AND s.id = k.id
	WHERE k.plant = $1 AND %s ORDER BY 1 LIMIT $3`

func byComplaint(complaint string) actionWalk {
	return actionWalk{query: fmt.Sprintf(actionRows, "convert_to(k.id, 'UTF8')", "k.complaint = $4 AND k.complaint <> '' AND convert_to(k.id, 'UTF8') > $2"),
		args: []any{complaint}}
}

func byDue(owner string) actionWalk {
	if owner == "" {
		return actionWalk{query: fmt.Sprintf(actionRows, "k.due_key", "k.due_key IS NOT NULL AND k.due_key > $2"), idAt: 8}
	}
	return actionWalk{query: fmt.Sprintf(actionRows, "k.due_key", "k.owner = $4 AND k.due_key IS NOT NULL AND k.due_key > $2"),
		args: []any{owner}, idAt: 8}
}

// byID walks every action in id order, as bbolt walks the action states
// (keys closed by a NUL).
func byID() actionWalk {
	return actionWalk{query: fmt.Sprintf(actionRows, `convert_to(k.id, 'UTF8') || '\x00'::bytea`, `convert_to(k.id, 'UTF8') || '\x00'::bytea > $2`), trim: 1}
}

// each walks the actions after the key after.
func (w actionWalk) each(t *Tx, after []byte, visit func(key []byte, a *domain.Action) (bool, error)) error {
	return t.walk(w.query, after, w.args, func(key, body []byte) (bool, error) {
		st, err := boltstore.DecodeState(body)
		if err != nil {
			return false, domain.Errorf(domain.EInternal, "corrupt state of action %q: %v", key, err)
		}
		if st.Action == nil {
			return false, nil
		}
		return visit(key, st.Action)
	})
}

// QueryActions returns a page of actions matching q, as the bbolt store's
// (boltstore.Tx.QueryActions): by due date when q.ActionsByDue, those of
// one complaint, or every action in id order.
func (t *Tx) QueryActions(q boltstore.ActionQuery) (boltstore.ActionPage, error) {
	after, err := boltstore.DecodeCursor(q.Cursor)
	if err != nil {
		return boltstore.ActionPage{}, err
	}
	due := q.ActionsByDue()
	w := byID()
	switch {
	case q.ComplaintID != "":
		w = byComplaint(q.ComplaintID)
	case due:
		w = byDue(q.Owner)
	}
	if due && len(after) == 0 && !q.DueFrom.IsZero() {
		after = boltstore.TimeKey(q.DueFrom) // keys at or after: due at or after DueFrom
	}
	stations := map[string]string{}
	page := actionPager{limit: boltstore.PageSize(q.Limit)}
	err = w.each(t, after, func(key []byte, a *domain.Action) (bool, error) {
		if due && (q.Overdue && !a.Due.Before(q.Now) || !q.DueTo.IsZero() && a.Due.After(q.DueTo)) {
			return true, nil // walking by due date: the rest is due later
		}
		if !q.Keeps(a) {
			return false, nil
		}
		if q.Station != "" {
			station, err := t.actionStation(a, stations)
			if err != nil || station != q.Station {
				return false, err
			}
		}
		return page.add(key, *a), nil
	})
	return page.result(), err
}

// ListActions returns a page of actions: those of a complaint, or the
// pending ones by due date (of one owner, or of everyone).
func (t *Tx) ListActions(f boltstore.ActionFilter) (boltstore.ActionPage, error) {
	after, err := boltstore.DecodeCursor(f.Cursor)
	if err != nil {
		return boltstore.ActionPage{}, err
	}
	w := byDue(f.Owner)
	if f.ComplaintID != "" {
		w = byComplaint(f.ComplaintID)
	}
	page := actionPager{limit: boltstore.PageSize(f.Limit)}
	err = w.each(t, after, func(key []byte, a *domain.Action) (bool, error) {
		if f.Overdue && f.ComplaintID == "" && !a.Due.Before(f.Now) {
			return true, nil // walking by due date: the rest is not overdue
		}
		if (f.Kind != "" && a.Kind != f.Kind) || (f.Overdue && !a.Overdue(f.Now)) {
			return false, nil
		}
		return page.add(key, *a), nil
	})
	return page.result(), err
}

// actionStation returns the supplier station of the action's complaint
// or plan, remembering the answers in seen.
func (t *Tx) actionStation(a *domain.Action, seen map[string]string) (string, error) {
	key := "c" + a.ComplaintID
	if a.ComplaintID == "" {
		key = "p" + a.PlanID
	}
	if s, ok := seen[key]; ok {
		return s, nil
	}
	var station string
	if a.ComplaintID != "" {
		err := t.tx.QueryRow(t.ctx, "SELECT supplier_station FROM complaint_rows WHERE plant = $1 AND id = $2", t.plant.id, a.ComplaintID).Scan(&station)
		if err != nil && !isNoRows(err) {
			return "", err
		}
	} else if st, err := t.State(domain.EntityKey{Type: domain.EntityPlan, ID: a.PlanID}); err == nil {
		station = st.Plan.SupplierStation
	} else if domain.ErrorCode(err) != domain.ENotFound {
		return "", err
	}
	seen[key] = station
	return station, nil
}

// actionPager collects a page of actions and the cursor of the next: the
// key of the last kept, once one more matches (boltstore's pager).
type actionPager struct {
	limit int
	items []domain.Action
	next  string
	last  []byte
}

func (p *actionPager) add(key []byte, a domain.Action) (full bool) {
	if len(p.items) == p.limit {
		p.next = fmt.Sprintf("%x", p.last)
		return true
	}
	p.items, p.last = append(p.items, a), key
	return false
}

func (p *actionPager) result() boltstore.ActionPage {
	return boltstore.ActionPage{Actions: p.items, Next: p.next}
}
