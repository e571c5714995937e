package boltstore

import (
	"encoding/hex"
	"time"

	"boucle/shared/domain"

	"github.com/google/uuid"
)

// What another adapter of the server's store (syncserver/pgstore) reuses
// so that its projections are stored and answered as this store's: the
// stored forms of states and complaint rows (statecodec.go), the keys the
// complaint and action lists sort on, and the filters the queries apply
// on the rows. Answers compared across adapters are only equal if both
// sort on the same bytes and filter with the same code.

// EncodeState is the stored form of a state (statecodec.go).
func EncodeState(st *domain.State) []byte { return encodeStateValue(st) }

// DecodeState reads a stored state.
func DecodeState(raw []byte) (*domain.State, error) {
	st := &domain.State{}
	if err := decodeStateValue(raw, st); err != nil {
		return nil, err
	}
	if st.Meta.Clocks == nil {
		st.Meta.Clocks = map[uuid.UUID]domain.VV{}
	}
	return st, nil
}

// ComplaintRowOf is the compact row of a complaint's state (nil when the
// state is not a complaint's).
func ComplaintRowOf(st *domain.State) *ComplaintRow {
	if st.Complaint == nil {
		return nil
	}
	r := complaintRow(st)
	return &r
}

// EncodeComplaintRow and DecodeComplaintRow are a row's stored form.
func EncodeComplaintRow(r *ComplaintRow) []byte { return encodeComplaintRow(r) }

func DecodeComplaintRow(raw []byte) (ComplaintRow, error) {
	var r ComplaintRow
	err := decodeComplaintRow(raw, &r)
	return r, err
}

// FiledKey is the key complaint lists walk, newest filing first (filedKey).
func (r *ComplaintRow) FiledKey() []byte { return []byte(filedKey(r.FiledHLC, r.FiledReplica, r.ID)) }

// DeadlineKey is the key of the overdue walk, oldest deadline first; nil
// for a complaint that walk leaves out (closed, resolved, no deadline).
func DeadlineKey(c *domain.Complaint) []byte {
	if !c.Status.Open() || c.Status == domain.StatusResolved || c.Deadline.IsZero() {
		return nil
	}
	return []byte(timeKey(c.Deadline) + c.ID)
}

// ComplaintText is the folded text the word search scans.
func ComplaintText(c *domain.Complaint) string {
	return FoldText(c.Number + " " + c.PartRef + " " + c.Lot + " " + c.Description)
}

// ActionDueKey is the key of the walk of pending actions by due date; nil
// for an action that is not pending.
func ActionDueKey(a *domain.Action) []byte {
	if !a.Status.Pending() {
		return nil
	}
	return []byte(timeKey(a.Due) + a.ID)
}

// TimeKey sorts times oldest first, to the millisecond (timeKey).
func TimeKey(t time.Time) []byte { return []byte(timeKey(t)) }

// FiledAtOrBefore is the smallest filed key of a complaint filed at or
// before t (filedAtOrBefore).
func FiledAtOrBefore(t time.Time) []byte { return []byte(filedAtOrBefore(t)) }

// Matches reports whether r passes the filter's criteria.
func (f *ComplaintFilter) Matches(r *ComplaintRow) bool { return f.matches(r) }

// Keeps reports whether r passes the criteria no index covers.
func (q *ComplaintQuery) Keeps(r *ComplaintRow) bool { return q.keeps(r) }

// Keeps reports whether a passes the query's criteria (the station's
// aside: it needs the complaint's or plan's row).
func (q *ActionQuery) Keeps(a *domain.Action) bool { return q.keeps(a) }

// ComplaintCursor is the cursor of the page after r, in a walk by filing
// (byFiling) or by deadline.
func ComplaintCursor(r *ComplaintRow, byFiling bool) string { return complaintCursor(r, byFiling) }

// DecodeCursor reads a page cursor, naming the field when it is not one.
func DecodeCursor(cursor string) ([]byte, error) {
	after, err := hex.DecodeString(cursor)
	if err != nil {
		return nil, domain.FieldError("cursor", "is not a cursor from a previous page")
	}
	return after, nil
}

// PageSize is the page size a query's limit gives.
func PageSize(limit int) int { return pageSize(limit) }

// CheckEntityClock refuses a new event stamped before the entity's last
// change (rule RuleRecordAhead), as Record does.
func CheckEntityClock(st *domain.State, e *domain.Event) error { return checkEntityClock(st, e) }
