package boltstore

import (
	"bytes"
	"slices"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// EventLookup is what the store holds of one event of a batch.
type EventLookup struct {
	Logged  bool // in the log (HasEvent)
	Refused bool // refused by the server (Rejection)
	// Repeat: an earlier event of the batch has the same id, so the
	// answers above are those from before the batch: look it up again
	// once the earlier one is decided.
	Repeat bool
}

// LookUpEvents answers HasEvent and whether a refusal is kept for every
// id of a batch at once, walking each bucket in key order with one
// cursor instead of a look-up from the root per id: the pages are read
// once, and the ids past the bucket's last key (a workstation's new
// events, UUIDv7 growing with time) cost one seek in all.
func (t *Tx) LookUpEvents(ids []uuid.UUID) []EventLookup {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bytes.Compare(ids[a][:], ids[b][:]) })
	out := make([]EventLookup, len(ids))
	for n, i := range order {
		out[i].Repeat = n > 0 && ids[order[n-1]] == ids[i]
	}
	walkSorted(t.tx.Bucket(bucketEventIDs), ids, order, func(i int) { out[i].Logged = true })
	walkSorted(t.tx.Bucket(bucketRejections), ids, order, func(i int) { out[i].Refused = true })
	return out
}

// walkSorted calls found for each id (taken in the given key order) that
// is a key of b. The cursor only moves forward: it seeks again only when
// it stands before the id sought.
func walkSorted(b *bolt.Bucket, ids []uuid.UUID, order []int, found func(int)) {
	c := b.Cursor()
	var k []byte
	sought := false
	for _, i := range order {
		id := ids[i][:]
		if !sought || k != nil && bytes.Compare(k, id) < 0 {
			k, _ = c.Seek(id)
			sought = true
		}
		if k == nil {
			return // past the last key: so are the ids that follow
		}
		if bytes.Equal(k, id) {
			found(i)
		}
	}
}
