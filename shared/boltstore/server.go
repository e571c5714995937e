package boltstore

import (
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// This file holds what only the plant server (syncserver) needs: it keeps
// the refusals it decides out of the log, reports every replica's
// high-water mark, renews its replica id after a restore, and answers the
// plant-wide views with filters the screens' indexes do not cover.

// StoreRejection records the server's refusal of a pushed event that was
// never stored. Unlike Reject (the workstation's side), the event goes to
// neither the log nor the projections, so no puller ever receives it and
// no other workstation folds it; its bytes and the reason are kept apart
// for audit, and the replica's high-water mark moves past its sequence
// number so that the replica's next events are not refused as a gap.
func (t *Tx) StoreRejection(e *domain.Event, code domain.Code, reason string) error {
	if t.HasEvent(e.ID) {
		return domain.Errorf(domain.EInternal, "event %s is already in the log: it cannot be refused", e.ID)
	}
	r := Rejection{Event: e.ID, Type: e.Type, Entity: e.Key(), Code: code, Reason: reason, Rejected: t.store.now().UTC()}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketRejections).Put(e.ID[:], raw); err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketRejectedEvents).Put(e.ID[:], domain.EncodeEvent(e)); err != nil {
		return err
	}
	return t.advanceReplicaSeq(e.Replica, e.Seq)
}

// Rejection returns the stored refusal of an event, so that a retried push
// gets the same answer as the first one.
func (t *Tx) Rejection(id uuid.UUID) (Rejection, bool) {
	raw := t.tx.Bucket(bucketRejections).Get(id[:])
	if raw == nil {
		return Rejection{}, false
	}
	var r Rejection
	if err := json.Unmarshal(raw, &r); err != nil {
		return Rejection{Event: id, Code: domain.EInternal, Reason: "corrupt rejection record"}, true
	}
	return r, true
}

// RejectedEvent returns the bytes of an event the server refused (see
// StoreRejection), decoded; ENotFound when there are none.
func (t *Tx) RejectedEvent(id uuid.UUID) (domain.Event, error) {
	raw := t.tx.Bucket(bucketRejectedEvents).Get(id[:])
	if raw == nil {
		return domain.Event{}, domain.Errorf(domain.ENotFound, "no refused event %s", id)
	}
	return domain.DecodeEvent(raw)
}

// AdvanceReplica moves the replica's high-water mark to seq when seq is
// the next number. The server calls it for an event it already holds
// (a duplicate or an earlier refusal), pushed by the replica's own device:
// when a replica's events are in the store with a hole (the events past it
// stored by an older server that still accepted relays), the replica's own
// in-order push of them closes the hole.
func (t *Tx) AdvanceReplica(replica string, seq uint64) error {
	return t.advanceReplicaSeq(replica, seq)
}

// ReplicaSeqs returns the high-water mark of every replica the store has
// events of (see ReplicaSeq).
func (t *Tx) ReplicaSeqs() map[string]uint64 { return t.replicaSeqs() }

// RenewReplica gives the store a new replica id, with its own sequence
// starting again at 1 and an empty outbox. A server restored from a backup
// calls it before serving: events it recorded after the backup may live on
// in workstations that pulled them, and its new events must not
// reuse their (replica, sequence) numbers, on which the fold's version
// vectors rely. Not safe while other goroutines record events.
func (s *Store) RenewReplica() (string, error) {
	replica := uuid.Must(uuid.NewV7()).String()
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keyReplicaID, []byte(replica)); err != nil {
			return err
		}
		if err := meta.Delete(keyLocalSeq); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketOutbox); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucketOutbox)
		return err
	})
	if err != nil {
		return "", err
	}
	s.replica = replica
	return replica, nil
}

// ComplaintQuery is a ComplaintFilter plus the criteria of the plant-wide
// views that no index covers; those are checked on the compact rows while
// the filter's driving index is walked.
type ComplaintQuery struct {
	ComplaintFilter
	Station string    // filing or supplier station
	From    time.Time // filed at or after, when not zero
	To      time.Time // filed at or before, when not zero
}

// QueryComplaints returns a page of complaints matching q, in the order of
// ListComplaints (newest first; oldest deadline first for overdue ones).
// Pages of the driving index are read in turn and filtered until the page
// is full; a walk in filing order starts at To and stops at From.
func (t *Tx) QueryComplaints(q ComplaintQuery) (ComplaintPage, error) {
	limit := pageSize(q.Limit)
	f := q.ComplaintFilter
	f.Limit = MaxPageSize
	byFiling := !f.Overdue || len(strings.Fields(FoldText(f.Text))) > 0 // the walk ListComplaints takes
	if f.Cursor == "" && byFiling && !q.To.IsZero() {
		f.Cursor = hex.EncodeToString([]byte(filedAtOrBefore(q.To))) // keys after it: filed at or before To
	}
	var page ComplaintPage
	for {
		p, err := t.ListComplaints(f)
		if err != nil {
			return ComplaintPage{}, err
		}
		for i := range p.Rows {
			r := &p.Rows[i]
			if byFiling && !q.From.IsZero() && r.FiledAt.Before(q.From) {
				return page, nil // filing order: every row that follows is older
			}
			if !q.keeps(r) {
				continue
			}
			if len(page.Rows) == limit {
				page.Next = complaintCursor(&page.Rows[limit-1], byFiling)
				return page, nil
			}
			page.Rows = append(page.Rows, *r)
		}
		if p.Next == "" {
			return page, nil
		}
		f.Cursor = p.Next
	}
}

func (q *ComplaintQuery) keeps(r *ComplaintRow) bool {
	switch {
	case q.Station != "" && r.FilingStation != q.Station && r.SupplierStation != q.Station,
		!q.From.IsZero() && r.FiledAt.Before(q.From),
		!q.To.IsZero() && r.FiledAt.After(q.To):
		return false
	}
	return true
}

// complaintCursor is the cursor ListComplaints would give after r: the
// suffix of r's key in the walked index.
func complaintCursor(r *ComplaintRow, byFiling bool) string {
	if byFiling {
		return hex.EncodeToString([]byte(filedKey(r.FiledHLC, r.FiledReplica, r.ID)))
	}
	return hex.EncodeToString([]byte(timeKey(r.Deadline) + r.ID))
}

// ActionQuery selects actions for the plant-wide views. Empty fields do
// not filter.
type ActionQuery struct {
	Statuses    []domain.ActionStatus
	Owner       string
	Station     string // the supplier station of the action's complaint or plan: the one that acts
	Kind        domain.ActionKind
	ComplaintID string
	Overdue     bool      // pending past due (needs Now)
	Now         time.Time // reference time for Overdue
	DueFrom     time.Time // due at or after, when not zero
	DueTo       time.Time // due at or before, when not zero
	Limit       int
	Cursor      string
}

// ActionsByDue reports whether the query walks the pending actions by due
// date (every status asked for is pending, or overdue ones are asked for);
// other queries read the actions of one complaint, or every action in id
// order.
func (q *ActionQuery) ActionsByDue() bool {
	if q.ComplaintID != "" {
		return false
	}
	if q.Overdue {
		return true
	}
	return len(q.Statuses) > 0 && !slices.ContainsFunc(q.Statuses, func(s domain.ActionStatus) bool { return !s.Pending() })
}

// QueryActions returns a page of actions matching q: by due date when
// ActionsByDue, those of one complaint when ComplaintID is set, otherwise
// every action in id order (a scan of the action states: statuses other
// than the pending ones have no index).
func (t *Tx) QueryActions(q ActionQuery) (ActionPage, error) {
	after, err := hex.DecodeString(q.Cursor)
	if err != nil {
		return ActionPage{}, domain.FieldError("cursor", "is not a cursor from a previous page")
	}
	// The state keys end with a NUL; the index keys end with the id.
	b, prefix, idAt, trim := t.tx.Bucket(bucketStates), []byte(string(domain.EntityAction)+"\x00"), 0, 1
	byDue := q.ActionsByDue()
	switch {
	case q.ComplaintID != "":
		b, prefix, trim = t.tx.Bucket(idxActionComplaint), []byte(q.ComplaintID+"\x00"), 0
	case byDue && q.Owner != "":
		b, prefix, idAt, trim = t.tx.Bucket(idxActionOwnerDue), []byte(q.Owner+"\x00"), 8, 0
	case byDue:
		b, prefix, idAt, trim = t.tx.Bucket(idxActionDue), nil, 8, 0
	}
	if byDue && len(after) == 0 && !q.DueFrom.IsZero() {
		after = []byte(timeKey(q.DueFrom)) // keys at or after: due at or after DueFrom
	}
	stations := map[string]string{}
	actions := pager[domain.Action]{limit: pageSize(q.Limit)}
	err = walkMerged(b, [][]byte{prefix}, after, idAt+1, func(suffix []byte) (bool, error) {
		st, err := t.state(domain.EntityKey{Type: domain.EntityAction, ID: string(suffix[idAt : len(suffix)-trim])})
		if err != nil {
			return false, err
		}
		if st == nil || st.Action == nil {
			return false, nil // only refused events so far: no action to show
		}
		a := st.Action
		if byDue && (q.Overdue && !a.Due.Before(q.Now) || !q.DueTo.IsZero() && a.Due.After(q.DueTo)) {
			return true, nil // walking by due date: the rest is due later
		}
		if !q.keeps(a) || q.Station != "" && t.actionStation(a, stations) != q.Station {
			return false, nil
		}
		return actions.add(suffix, *a), nil
	})
	return ActionPage{Actions: actions.items, Next: actions.next}, err
}

func (q *ActionQuery) keeps(a *domain.Action) bool {
	switch {
	case len(q.Statuses) > 0 && !slices.Contains(q.Statuses, a.Status),
		q.Owner != "" && a.Owner != q.Owner,
		q.Kind != "" && a.Kind != q.Kind,
		q.Overdue && !a.Overdue(q.Now),
		!q.DueFrom.IsZero() && a.Due.Before(q.DueFrom),
		!q.DueTo.IsZero() && a.Due.After(q.DueTo):
		return false
	}
	return true
}

// actionStation returns the supplier station of the action's complaint or
// plan, remembering the answers in seen.
func (t *Tx) actionStation(a *domain.Action, seen map[string]string) string {
	key := "c" + a.ComplaintID
	if a.ComplaintID == "" {
		key = "p" + a.PlanID
	}
	if s, ok := seen[key]; ok {
		return s
	}
	var station string
	if a.ComplaintID != "" {
		var r ComplaintRow
		if raw := t.tx.Bucket(bucketComplaintRows).Get([]byte(a.ComplaintID)); raw != nil && decodeComplaintRow(raw, &r) == nil {
			station = r.SupplierStation
		}
	} else if st, err := t.State(domain.EntityKey{Type: domain.EntityPlan, ID: a.PlanID}); err == nil {
		station = st.Plan.SupplierStation
	}
	seen[key] = station
	return station
}
