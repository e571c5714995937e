package boltstore

import (
	"bytes"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"boucle/shared/domain"
)

// Events logged with Tx.Append are folded later, in log order, by Project.
// The watermark `projected` in the meta bucket is the log position up to
// which every event is folded; Ingest and Record fold at once and move it
// along while nothing awaits projection.

// projectedPos reads the watermark once per transaction.
func (t *Tx) projectedPos() uint64 {
	if !t.projectedRead {
		t.projected = readU64(t.tx.Bucket(bucketMeta).Get(keyProjected))
		t.projectedRead = true
	}
	return t.projected
}

// Backlog is the number of logged events not yet folded.
func (t *Tx) Backlog() uint64 { return t.LogLen() - t.projectedPos() }

// Project folds up to limit logged events past the watermark, in one
// transaction, and returns how many remain.
func (s *Store) Project(limit int) (remaining uint64, err error) {
	if err := s.IndexEntities(); err != nil { // a refold reads the entity's events from it
		return 0, err
	}
	err = s.Update(func(t *Tx) error {
		pos := t.projectedPos()
		c := t.tx.Bucket(bucketEvents).Cursor()
		rejected := t.tx.Bucket(bucketRejections)
		n := 0
		for k, v := c.Seek(u64(pos + 1)); k != nil && n < limit; k, v = c.Next() {
			e, ok, err := t.readLogged(readU64(k), v)
			if err != nil {
				return err
			}
			if ok && rejected.Get(e.ID[:]) == nil {
				if err := t.fold(&e); err != nil {
					return err
				}
			}
			pos, n = readU64(k), n+1
		}
		t.projected = pos
		remaining = t.LogLen() - pos
		return nil
	})
	return remaining, err
}

// CatchUp folds every event awaiting projection. Readers that must see
// every logged event (the server's views, a test comparing stores) call
// it first; it costs one read transaction when there is nothing to do.
// A backlog that is a large share of the log (a first sync) is cheaper to
// rebuild entity by entity than to fold event by event.
func (s *Store) CatchUp() error {
	var backlog, logLen uint64
	err := s.View(func(t *Tx) error { backlog, logLen = t.Backlog(), t.LogLen(); return nil })
	if err != nil || backlog == 0 {
		return err
	}
	if backlog >= rebuildThreshold && backlog*3 >= logLen {
		return s.Rebuild()
	}
	for {
		remaining, err := s.Project(5000)
		if err != nil || remaining == 0 {
			return err
		}
	}
}

// rebuildThreshold is the backlog from which CatchUp may rebuild.
const rebuildThreshold = 20_000

// rebuildChunk is how many entities one rebuild transaction folds.
var rebuildChunk = 2000 // a variable so that a test can make chunks small

// Rebuild refolds every entity from its logged events and rewrites its
// state and indexes once, then marks the whole log as projected. It walks
// the per-entity index (brought up to the log first), so each state is decoded and encoded once however
// many events it has, and folds each chunk's entities on every core.
func (s *Store) Rebuild() error {
	if err := s.IndexEntities(); err != nil { // the rebuild walks it
		return err
	}
	var target uint64
	var from []byte
	for {
		err := s.Update(func(t *Tx) error {
			if target == 0 {
				target = t.LogLen()
			}
			var err error
			from, err = t.rebuildChunk(from)
			if err == nil && from == nil {
				t.projectedPos()
				t.projected = max(t.projected, target)
			}
			return err
		})
		if err != nil || from == nil {
			return err
		}
		s.ReleaseMapped() // the chunk's events, read back from all over the log
	}
}

// rebuildChunk refolds up to rebuildChunk entities from the entity key
// prefix `from` on, and returns where the next chunk starts (nil at the end).
func (t *Tx) rebuildChunk(from []byte) (next []byte, err error) {
	var keys []domain.EntityKey
	var events [][]domain.Event
	if err := t.writeEntityPuts(); err != nil {
		return nil, err
	}
	c := t.tx.Bucket(bucketEntityEvents).Cursor()
	k, _ := c.First()
	if from != nil {
		k, _ = c.Seek(from)
	}
	for k != nil {
		key, prefix, ok := splitEntityKey(k)
		if !ok {
			return nil, domain.Errorf(domain.EInternal, "corrupt entity index key %q", k)
		}
		if len(keys) == rebuildChunk {
			next = slices.Clone(prefix) // k is bbolt's memory, gone with the transaction
			break
		}
		var evs []domain.Event
		if err := t.entityEvents(key, func(e *domain.Event) error {
			if e.Known() && !t.IsRejected(e.ID) {
				evs = append(evs, *e)
			}
			return nil
		}); err != nil {
			return nil, err
		}
		keys, events = append(keys, key), append(events, evs)
		// The next entity's keys sort after this entity's prefix with its
		// closing NUL raised by one.
		end := append(slices.Clone(prefix[:len(prefix)-1]), 1)
		k, _ = c.Seek(end)
	}
	encoded, err := foldAll(keys, events)
	if err != nil {
		return nil, err
	}
	return next, t.writeRebuilt(keys, encoded)
}

// writeRebuilt writes refolded states, in key order, and their indexes.
func (t *Tx) writeRebuilt(keys []domain.EntityKey, encoded []*encodedState) error {
	states := t.tx.Bucket(bucketStates)
	states.FillPercent = rebuiltStatesFill
	var idx indexWrites
	for i, k := range keys {
		old, err := t.loadState(k)
		if err != nil {
			return err
		}
		var oldIdx []indexEntry
		if old != nil {
			oldIdx = indexEntries(old)
		}
		if err := states.Put(stateKey(k), encoded[i].raw); err != nil {
			return err
		}
		idx.diff(oldIdx, encoded[i].idx)
	}
	return idx.write(t)
}

// foldAll folds and encodes entities on every core; each fold reads only
// its own events. Encoding (JSON, index entries) costs as much as folding,
// so it runs beside it rather than in the transaction's single goroutine.
func foldAll(keys []domain.EntityKey, events [][]domain.Event) ([]*encodedState, error) {
	enc := make([]*encodedState, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	var claimed atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(claimed.Add(1)) - 1; i < len(keys); i = int(claimed.Add(1)) - 1 {
				enc[i], errs[i] = encodeState(domain.FoldEntity(keys[i], events[i]))
			}
		})
	}
	wg.Wait()
	return enc, errors.Join(errs...)
}

// splitEntityKey reads the entity of a key of bucketEntityEvents and its
// prefix (type, NUL, id, NUL).
func splitEntityKey(k []byte) (domain.EntityKey, []byte, bool) {
	typ, rest, ok := bytes.Cut(k, []byte{0})
	if !ok {
		return domain.EntityKey{}, nil, false
	}
	id, _, ok := bytes.Cut(rest, []byte{0})
	if !ok {
		return domain.EntityKey{}, nil, false
	}
	n := len(typ) + len(id) + 2
	return domain.EntityKey{Type: domain.EntityType(typ), ID: string(id)}, k[:n:n], true
}
