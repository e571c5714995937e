package boltstore

import (
	"bytes"
	"slices"
	"sync"

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
// end of the log. The entries of the events logged in bulk since the
// store was opened were kept in memory as they were logged (pulledEntries);
// the others (logged before a restart) are read from the log (a damaged
// event is quarantined and left out, as every reader does). The entries
// are written in transactions of indexChunk keys; stopped midway, it
// starts again from the watermark, and writing an entry twice changes
// nothing.
func (s *Store) IndexEntities() error {
	var from, to uint64
	err := s.View(func(t *Tx) error { from, to = t.indexedPos(), t.LogLen(); return nil })
	if err != nil || from >= to {
		return err
	}
	entries, lo, hi := s.pulled.within(from, to)
	for _, r := range [][2]uint64{{from, lo}, {hi, to}} {
		if entries, err = s.readIndexEntries(entries, r[0], r[1]); err != nil {
			return err
		}
	}
	slices.SortFunc(entries, func(a, b indexedEntry) int { return bytes.Compare(a.key, b.key) })
	if err := s.writeIndexEntries(entries, to); err != nil {
		return err
	}
	s.pulled.dropThrough(to)
	return nil
}

// readIndexEntries appends the index entries of the events logged at
// positions from+1..to, read from the log.
func (s *Store) readIndexEntries(entries []indexedEntry, from, to uint64) ([]indexedEntry, error) {
	if from >= to {
		return entries, nil
	}
	arena := make([]byte, 0, (to-from)*64)
	entries = slices.Grow(entries, int(to-from))
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
					entries = append(entries, indexedEntry{key: arena[off:len(arena):len(arena)], pos: readU64(k)})
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		s.ReleaseMapped() // the log's pages just read
	}
	return entries, nil
}

// writeIndexEntries writes sorted entries, indexChunk a transaction, and
// moves the watermark to `to` with the last ones.
func (s *Store) writeIndexEntries(entries []indexedEntry, to uint64) error {
	for first := true; first || len(entries) > 0; first = false {
		n := min(indexChunk, len(entries))
		last := n == len(entries)
		err := s.Update(func(t *Tx) error {
			b := t.tx.Bucket(bucketEntityEvents)
			for _, e := range entries[:n] {
				if err := b.Put(e.key, u64(e.pos)); err != nil {
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

// indexedEntry is one entry of the per-entity index.
type indexedEntry struct {
	key []byte
	pos uint64
}

// bulkLogged is what one transaction logged with AppendBulk: the index
// entries of the events it logged in bulk at positions lo+1..hi (the
// others it logged there are indexed already), their keys in one arena.
type bulkLogged struct {
	lo, hi  uint64
	arena   []byte
	entries []bulkEntry
}

type bulkEntry struct {
	off, end int
	pos      uint64
}

// noteBulk keeps the index entry of an event AppendBulk logged at pos,
// handed to the store's pulledEntries when the transaction commits: the
// events are in memory now, reading them back from the log for their
// entries cost a tenth of a first sync.
func (t *Tx) noteBulk(e *domain.Event, pos uint64) {
	b := t.bulk
	if b == nil {
		b = &bulkLogged{lo: pos - 1}
		t.bulk = b
		store := t.store
		t.tx.OnCommit(func() { store.pulled.add(b) })
	}
	off := len(b.arena)
	b.arena = append(b.arena, entityEventKey(e)...)
	b.entries = append(b.entries, bulkEntry{off: off, end: len(b.arena), pos: pos})
	b.hi = pos
}

// pulledEntries holds the entries of consecutive committed transactions
// of AppendBulk (each one's lo the previous one's hi) until IndexEntities
// writes them. A gap (another transaction logged events between) starts
// over: the events before it are read back from the log, like those
// logged before the store was opened.
type pulledEntries struct {
	mu     sync.Mutex
	chunks []*bulkLogged
}

func (p *pulledEntries) add(b *bulkLogged) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.chunks); n > 0 && p.chunks[n-1].hi != b.lo {
		p.chunks = nil
	}
	p.chunks = append(p.chunks, b)
}

// within returns the entries kept for positions from+1..to and the
// positions lo+1..hi they cover: every event logged in bulk there has its
// entry among them. Nothing kept: lo = hi = to.
func (p *pulledEntries) within(from, to uint64) (entries []indexedEntry, lo, hi uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lo, hi = to, to
	for _, c := range p.chunks {
		if c.hi <= from || c.lo >= to {
			continue
		}
		if entries == nil {
			lo = max(c.lo, from)
			n := 0
			for _, c := range p.chunks {
				n += len(c.entries)
			}
			entries = make([]indexedEntry, 0, n)
		}
		hi = min(c.hi, to)
		for _, e := range c.entries {
			if e.pos > from && e.pos <= to {
				entries = append(entries, indexedEntry{key: c.arena[e.off:e.end:e.end], pos: e.pos})
			}
		}
	}
	return entries, lo, hi
}

// dropThrough forgets the entries of the transactions that ended at or
// before position to: they are in the index now.
func (p *pulledEntries) dropThrough(to uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chunks = slices.DeleteFunc(p.chunks, func(c *bulkLogged) bool { return c.hi <= to })
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
		t.entityAppends.put(b, p.key, p.key[:bytes.IndexByte(p.key, 0)+1]) // an entity type's keys are a range
		if err := b.Put(p.key, p.pos); err != nil {
			return err
		}
	}
	t.entityPuts = t.entityPuts[:0]
	return nil
}
