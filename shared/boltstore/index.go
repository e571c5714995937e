package boltstore

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	bolt "go.etcd.io/bbolt"
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
	FiledHLC        hlc.Timestamp          `json:"filed_hlc"`     // with FiledReplica: the list order (see filedKey)
	FiledReplica    string                 `json:"filed_replica"` // replica that recorded the filing
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
		FiledHLC: c.FiledOrder.HLC, FiledReplica: c.FiledOrder.Replica,
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
		filed := filedKey(c.FiledOrder.HLC, c.FiledOrder.Replica, c.ID)
		row := complaintRow(st)
		out := []indexEntry{
			{bucketComplaintRows, c.ID, string(encodeComplaintRow(&row))},
			{bucketComplaintText, filed, FoldText(c.Number + " " + c.PartRef + " " + c.Lot + " " + c.Description)},
			{idxComplaintFiled, filed, ""},
			{idxComplaintStatus, string(c.Status) + "\x00" + filed, ""},
			{idxComplaintSupplier, c.SupplierStation + "\x00" + filed, ""},
			{idxComplaintFiling, c.FilingStation + "\x00" + filed, ""},
		}
		for _, a := range c.Attachments {
			out = append(out, indexEntry{idxAttachment, a.SHA256 + "\x00" + c.ID, ""})
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

// indexWrites gathers the index changes of a transaction's states, so
// that they are written bucket by bucket in key order.
type indexWrites struct {
	deletes, puts []indexEntry
}

// diff adds what replaces an entity's index keys old by cur: keys no
// longer wanted are deleted, new or changed ones written.
func (w *indexWrites) diff(old, cur []indexEntry) {
	if len(old) == 0 { // a new entity (all of them in a first sync)
		w.puts = append(w.puts, cur...)
		return
	}
	want := make(map[string]string, len(cur))
	for _, e := range cur {
		want[string(e.bucket)+"\x01"+e.key] = e.value
	}
	had := make(map[string]string, len(old))
	for _, e := range old {
		id := string(e.bucket) + "\x01" + e.key
		had[id] = e.value
		if _, ok := want[id]; !ok {
			w.deletes = append(w.deletes, e)
		}
	}
	for _, e := range cur {
		if v, ok := had[string(e.bucket)+"\x01"+e.key]; ok && v == e.value {
			continue
		}
		w.puts = append(w.puts, e)
	}
}

// write applies the deletes, then the puts (index keys name their entity,
// so one entity's put never meets another's delete), each sorted.
func (w *indexWrites) write(t *Tx) error {
	byKey := func(a, b indexEntry) int {
		return cmp.Or(bytes.Compare(a.bucket, b.bucket), strings.Compare(a.key, b.key))
	}
	slices.SortFunc(w.deletes, byKey)
	slices.SortFunc(w.puts, byKey)
	var b *bolt.Bucket
	var name []byte
	bucket := func(e indexEntry) *bolt.Bucket {
		if b == nil || !bytes.Equal(name, e.bucket) {
			b, name = t.tx.Bucket(e.bucket), e.bucket
		}
		return b
	}
	for _, e := range w.deletes {
		if err := bucket(e).Delete([]byte(e.key)); err != nil {
			return err
		}
	}
	for _, e := range w.puts {
		if err := bucket(e).Put([]byte(e.key), []byte(e.value)); err != nil {
			return err
		}
	}
	return nil
}

// filedKey sorts complaints newest first in the fold order of their
// filing event: inverted HLC, then the replica's bytes inverted and closed
// by 0xFF, then the complaint id. The HLC strictly increases on one
// replica, so complaints filed within one millisecond keep their filing
// order (the filing time in milliseconds, or the random bits of a UUIDv7,
// would not); replicas break ties between workstations. Replica ids are
// UTF-8 without NUL, whose bytes are never 0x00 or 0xFF, so an inverted
// byte is never 0xFF: the closing 0xFF sorts a replica after every longer
// one it prefixes (descending order) and marks where the id starts.
func filedKey(filed hlc.Timestamp, replica, id string) string {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(replica)+1+len(id)), ^uint64(filed))
	for i := 0; i < len(replica); i++ {
		b = append(b, ^replica[i])
	}
	b = append(b, 0xFF)
	return string(append(b, id...))
}

// CompareNewestFirst orders rows as the complaint lists do: newest filing
// first, in fold order (see filedKey).
func CompareNewestFirst(a, b *ComplaintRow) int {
	return strings.Compare(filedKey(a.FiledHLC, a.FiledReplica, a.ID), filedKey(b.FiledHLC, b.FiledReplica, b.ID))
}

// filedKeyID returns the complaint id at the end of a filedKey, nil when
// the key is not one.
func filedKeyID(key []byte) []byte {
	if len(key) < 8 {
		return nil
	}
	end := bytes.IndexByte(key[8:], 0xFF)
	if end < 0 {
		return nil
	}
	return key[8+end+1:]
}

// filedAtOrBefore is the smallest filedKey of a complaint filed at or
// before t (to the millisecond): the inverted last HLC of t's millisecond.
func filedAtOrBefore(t time.Time) string {
	return string(binary.BigEndian.AppendUint64(nil, ^uint64(hlc.New(t.UnixMilli(), math.MaxUint16))))
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
	if isASCII(s) {
		return strings.ToLower(s) // no accents to strip: most texts, and every first-sync index entry spared a transformer
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
