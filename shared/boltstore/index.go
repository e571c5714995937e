package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"boucle/shared/domain"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ComplaintRow is the compact projection of a complaint that lists and
// filters read: decoding it is much cheaper than the full state.
type ComplaintRow struct {
	ID              string                 `json:"id"`
	Number          string                 `json:"number"`
	Status          domain.ComplaintStatus `json:"status"`
	FilingStation   string                 `json:"filing_station"`
	SupplierStation string                 `json:"supplier_station"`
	PartRef         string                 `json:"part_ref"`
	Lot             string                 `json:"lot,omitempty"`
	Category        string                 `json:"category"`
	Severity        domain.Severity        `json:"severity"`
	Kind            domain.Kind            `json:"kind"`
	Assignee        string                 `json:"assignee,omitempty"`
	FiledBy         string                 `json:"filed_by"`
	FiledAt         time.Time              `json:"filed_at"`
	Deadline        time.Time              `json:"deadline,omitzero"`
	UpdatedAt       time.Time              `json:"updated_at"`
	Summary         string                 `json:"summary"` // start of the description
	LatestUpdate    string                 `json:"latest_update,omitempty"`
	Escalated       bool                   `json:"escalated,omitempty"`
	Reopens         int                    `json:"reopens,omitempty"`
	Conflicts       int                    `json:"conflicts,omitempty"`
	Flags           int                    `json:"flags,omitempty"`
}

// Overdue reports whether the announced deadline passed unresolved.
func (r *ComplaintRow) Overdue(now time.Time) bool {
	return r.Status.Open() && r.Status != domain.StatusResolved && !r.Deadline.IsZero() && now.After(r.Deadline)
}

func complaintRow(st *domain.State) ComplaintRow {
	c := st.Complaint
	r := ComplaintRow{ID: c.ID, Number: c.Number, Status: c.Status, FilingStation: c.FilingStation,
		SupplierStation: c.SupplierStation, PartRef: c.PartRef, Lot: c.Lot, Category: c.Category,
		Severity: c.Severity, Kind: c.Kind, Assignee: c.Assignee, FiledBy: c.FiledBy, FiledAt: c.FiledAt,
		Deadline: c.Deadline, UpdatedAt: st.Meta.Updated.Time(), Summary: truncate(c.Description, 140),
		Escalated: len(c.Escalations) > 0, Reopens: c.Reopens, Conflicts: len(st.Meta.Conflicts), Flags: len(st.Meta.Flags)}
	if n := len(c.Messages); n > 0 && !c.Messages[n-1].Internal {
		r.LatestUpdate = truncate(c.Messages[n-1].Text, 140)
	}
	return r
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// indexEntry is one key in one index bucket.
type indexEntry struct {
	bucket []byte
	key    string
	value  string // most indexes are keys only
}

// indexEntries lists the index keys an entity's state should have. The
// store diffs the lists before and after a change, so an index never keeps
// a stale key.
func indexEntries(st *domain.State) []indexEntry {
	switch {
	case st.Complaint != nil:
		c := st.Complaint
		filed := invTime(c.FiledAt) + c.ID
		row, _ := json.Marshal(complaintRow(st))
		out := []indexEntry{
			{bucketComplaintRows, c.ID, string(row)},
			{bucketComplaintText, filed, FoldText(c.Number + " " + c.PartRef + " " + c.Lot + " " + c.Description)},
			{idxComplaintFiled, filed, ""},
			{idxComplaintStatus, string(c.Status) + "\x00" + filed, ""},
			{idxComplaintSupplier, c.SupplierStation + "\x00" + filed, ""},
			{idxComplaintFiling, c.FilingStation + "\x00" + filed, ""},
		}
		if c.Assignee != "" {
			out = append(out, indexEntry{idxComplaintAssignee, c.Assignee + "\x00" + filed, ""})
		}
		if c.Status.Open() && c.Status != domain.StatusResolved && !c.Deadline.IsZero() {
			out = append(out, indexEntry{idxComplaintDeadline, timeKey(c.Deadline) + c.ID, ""})
		}
		return out
	case st.Action != nil:
		a := st.Action
		var out []indexEntry
		if a.ComplaintID != "" {
			out = append(out, indexEntry{idxActionComplaint, a.ComplaintID + "\x00" + a.ID, ""})
		}
		if a.Status.Pending() {
			out = append(out, indexEntry{idxActionOwnerDue, a.Owner + "\x00" + timeKey(a.Due) + a.ID, ""},
				indexEntry{idxActionDue, timeKey(a.Due) + a.ID, ""})
		}
		return out
	case st.Plan != nil:
		return []indexEntry{{idxPlanStatus, string(st.Plan.Status) + "\x00" + st.Plan.ID, ""}}
	}
	return nil
}

// reindex replaces an entity's index keys: keys no longer wanted are
// deleted, new or changed ones written.
func (t *Tx) reindex(old, cur []indexEntry) error {
	want := make(map[string]string, len(cur))
	for _, e := range cur {
		want[string(e.bucket)+"\x01"+e.key] = e.value
	}
	had := make(map[string]string, len(old))
	for _, e := range old {
		id := string(e.bucket) + "\x01" + e.key
		had[id] = e.value
		if _, ok := want[id]; !ok {
			if err := t.tx.Bucket(e.bucket).Delete([]byte(e.key)); err != nil {
				return err
			}
		}
	}
	for _, e := range cur {
		if v, ok := had[string(e.bucket)+"\x01"+e.key]; ok && v == e.value {
			continue
		}
		if err := t.tx.Bucket(e.bucket).Put([]byte(e.key), []byte(e.value)); err != nil {
			return err
		}
	}
	return nil
}

// invTime sorts newest first.
func invTime(t time.Time) string {
	return string(binary.BigEndian.AppendUint64(nil, ^uint64(t.UnixMilli())))
}

// timeKey sorts oldest first; negative times (never valid here) clamp to 0.
func timeKey(t time.Time) string {
	ms := t.UnixMilli()
	if ms < 0 {
		ms = 0
	}
	return string(binary.BigEndian.AppendUint64(nil, uint64(ms)))
}

// FoldText lower-cases and strips accents, so that "Rayure" finds
// "rayure" and "éraflure" finds "eraflure" on a shop-floor keyboard.
func FoldText(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
