package boltstore

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// A bucket's pages are split at its FillPercent when a transaction
// commits, half full by default: room for the keys a later transaction
// inserts among them. Keys that only ever grow leave that room empty for
// good (the log's logFillPercent). The id index (UUIDv7 ids, time first)
// and the per-entity index (an entity type's ids, then an event's time)
// mostly grow at the end of a range, but not always: an event recorded
// offline days ago, or the next event of an open complaint, lands among
// the keys. So a transaction fills the pages of one of these indexes only
// when every key it put there went past the keys its range held before:
// those pages will only be read. A push of new cases, as an outbox back
// from days offline holds, then writes half the index pages; a push that
// inserts among the keys splits pages as it always did.

// appendWatch follows the puts of one transaction into one bucket.
type appendWatch struct {
	last      map[string][]byte // per range (its keys' prefix): its last key before the transaction put into it, nil when it had none
	scattered bool              // a key was put before the end of its range
}

// put notes a put of key into b, in the range of the keys beginning with
// prefix: call it before the put.
func (w *appendWatch) put(b *bolt.Bucket, key, prefix []byte) {
	if w.scattered {
		return
	}
	last, seen := w.last[string(prefix)]
	if !seen {
		if w.last == nil {
			w.last = map[string][]byte{}
		}
		last = lastOfRange(b, key, prefix)
		w.last[string(prefix)] = last
	}
	if last != nil && bytes.Compare(key, last) <= 0 {
		w.scattered = true
	}
}

// lastOfRange is the last key of b beginning with prefix, or, when one
// follows key, that one: either way key goes past the range's keys only
// if it sorts after the key returned.
func lastOfRange(b *bolt.Bucket, key, prefix []byte) []byte {
	c := b.Cursor()
	k, _ := c.Seek(key)
	if k == nil {
		k, _ = c.Last()
	} else if !bytes.HasPrefix(k, prefix) {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return nil
	}
	return bytes.Clone(k)
}

// fill sets b to fill its pages if the transaction only appended to it.
func (w *appendWatch) fill(b *bolt.Bucket) {
	if w.last != nil && !w.scattered {
		b.FillPercent = 1
	}
}
