package boltstore

import (
	"bytes"
	"slices"

	"boucle/shared/domain"
)

// The per-entity index (bucketEntityEvents) lets a refold read one
// entity's events in fold order. A long pull logs its pages with
// AppendBulk, which leaves that index behind: the watermark
// `entity_indexed` in the meta bucket is the log position up to which
// every event is in it (absent: all of them, as in a store written before
// it existed). Store.IndexEntities catches up in bulk, sorted, before the
// projection; until then, entityEvents also scans the log past the
// watermark, so every reader sees every logged event.

// indexedPos reads the watermark once per transaction.
func (t *Tx) indexedPos() uint64 {
	if !t.indexedRead {
		if raw := t.tx.Bucket(bucketMeta).Get(keyEntityIndexed); raw != nil {
			t.indexed = readU64(raw)
		} else {
			t.indexed = t.LogLen()
		}
		t.indexedRead = true
	}
	return t.indexed
}

// indexScan is how many logged events IndexEntities reads in one read
// transaction, between two releases of the pages read (ReleaseMapped).
const indexScan = 100_000

// indexChunk is how many index entries one transaction of IndexEntities
// writes: each covers a run of sorted keys, so each page of the index is
// written about once.
var indexChunk = 100_000 // a variable so that a test can make chunks small

// IndexEntities writes the per-entity index entries of the events logged
// past the watermark (AppendBulk), sorted, and moves the watermark to the
// end of the log. It reads the tail of the log once (a damaged event is
// quarantined and left out, as every reader does), then writes the
// entries in transactions of indexChunk keys; stopped midway, it starts
// again from the watermark, and writing an entry twice changes nothing.
func (s *Store) IndexEntities() error {
	var from, to uint64
	err := s.View(func(t *Tx) error { from, to = t.indexedPos(), t.LogLen(); return nil })
	if err != nil || from >= to {
		return err
	}
	arena := make([]byte, 0, (to-from)*64)
	entries := make([]indexedEntry, 0, to-from)
	for next := from + 1; next <= to; next += indexScan {
		err := s.View(func(t *Tx) error {
			c := t.tx.Bucket(bucketEvents).Cursor()
			for k, v := c.Seek(u64(next)); k != nil && readU64(k) <= min(to, next+indexScan-1); k, v = c.Next() {
				e, ok, err := t.readLogged(readU64(k), v)
				if err != nil {
					return err
				}
				if ok {
					off := len(arena)
					arena = append(arena, entityEventKey(&e)...)
					entries = append(entries, indexedEntry{off: off, end: len(arena), pos: readU64(k)})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		s.ReleaseMapped() // the log's pages just read
	}
	key := func(e indexedEntry) []byte { return arena[e.off:e.end] }
	slices.SortFunc(entries, func(a, b indexedEntry) int { return bytes.Compare(key(a), key(b)) })
	for first := true; first || len(entries) > 0; first = false {
		n := min(indexChunk, len(entries))
		last := n == len(entries)
		err := s.Update(func(t *Tx) error {
			b := t.tx.Bucket(bucketEntityEvents)
			for _, e := range entries[:n] {
				if err := b.Put(key(e), u64(e.pos)); err != nil {
					return err
				}
			}
			if last && t.indexedPos() < to {
				t.indexed = to
			}
			return nil
		})
		if err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

// indexedEntry is one entry of the per-entity index, its key in an arena.
type indexedEntry struct {
	off, end int
	pos      uint64
}

// entityEventsLagging is entityEvents while the index lags behind the
// log: the entity's indexed events and those logged past the watermark
// (found by a scan of the log's tail, the entity's id as a first filter),
// without duplicates, in fold order.
func (t *Tx) entityEventsLagging(k domain.EntityKey, fn func(*domain.Event) error) error {
	var evs []domain.Event
	err := t.indexedEntityEvents(k, func(e *domain.Event) error {
		evs = append(evs, *e)
		return nil
	})
	if err != nil {
		return err
	}
	id := []byte(k.ID)
	c := t.tx.Bucket(bucketEvents).Cursor()
	for pk, v := c.Seek(u64(t.indexedPos() + 1)); pk != nil; pk, v = c.Next() {
		if !bytes.Contains(v, id) {
			continue
		}
		e, ok, err := t.readLogged(readU64(pk), v)
		if err != nil {
			return err
		}
		if ok && e.Key() == k && !slices.ContainsFunc(evs, func(o domain.Event) bool { return o.ID == e.ID }) {
			evs = append(evs, e)
		}
	}
	domain.SortEvents(evs)
	for i := range evs {
		if err := fn(&evs[i]); err != nil {
			return err
		}
	}
	return nil
}

// entityPut is one entry of the per-entity index, waiting in its
// transaction.
type entityPut struct{ key, pos []byte }

// writeEntityPuts writes the index entries of the events the transaction
// logged, in key order. A push logs thousands of events of a few dozen
// entities in turn; put one by one as they came, each put searched the
// index's leaves, which grow unsplit until the commit, at another place,
// and missed the processor's caches; sorted, consecutive puts walk the
// same path.
func (t *Tx) writeEntityPuts() error {
	if len(t.entityPuts) == 0 {
		return nil
	}
	slices.SortFunc(t.entityPuts, func(a, b entityPut) int { return bytes.Compare(a.key, b.key) })
	b := t.tx.Bucket(bucketEntityEvents)
	for _, p := range t.entityPuts {
		if err := b.Put(p.key, p.pos); err != nil {
			return err
		}
	}
	t.entityPuts = t.entityPuts[:0]
	return nil
}
