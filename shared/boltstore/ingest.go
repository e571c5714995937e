package boltstore

import (
	"cmp"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// IngestStatus says what became of one event offered to the store.
type IngestStatus int

const (
	Stored    IngestStatus = iota // new, written to the log
	Duplicate                     // already in the log: nothing written
)

// ClockAlert records a remote clock far ahead of ours (see hlc.MaxDrift).
type ClockAlert struct {
	Event   uuid.UUID     `json:"event"`
	Replica string        `json:"replica"`
	Remote  hlc.Timestamp `json:"remote"`
	AheadMs int64         `json:"ahead_ms"`
	SeenAt  time.Time     `json:"seen_at"`
}

// Ingest stores events written elsewhere (pulled from the server, or pushed
// to it), in one transaction. Duplicates are skipped; the clock observes
// every timestamp.
func (s *Store) Ingest(events []domain.Event) (stored int, err error) {
	err = s.Update(func(t *Tx) error {
		for i := range events {
			st, err := t.Ingest(&events[i])
			if err != nil {
				return err
			}
			if st == Stored {
				stored++
			}
		}
		return nil
	})
	return stored, err
}

// Ingest stores one remote event: the clock observes it (a clock far ahead
// is recorded as a ClockAlert), then it is logged and folded, or kept
// unfolded when this version does not know it.
func (t *Tx) Ingest(e *domain.Event) (IngestStatus, error) {
	st, err := t.log(e, true, true)
	if err != nil || st == Duplicate {
		return st, err
	}
	return Stored, t.fold(e)
}

// Append stores one remote event like Ingest but leaves the folding to
// Store.Project, so that a transaction receiving thousands of events only
// writes the log: the server acknowledges a push as soon as the events are
// durably logged, and projects them when the pushes pause.
func (t *Tx) Append(e *domain.Event) (IngestStatus, error) { return t.log(e, false, true) }

// AppendBulk stores one remote event like Append, and leaves its entry in
// the per-entity index to Store.IndexEntities as well, which the
// projection runs first: a long pull's pages scatter their events over
// that whole index, so writing it page by page rewrote most of its pages
// at every commit; written once, sorted, after the pull, each page is
// written about once. Until then entityEvents finds them by a scan.
func (t *Tx) AppendBulk(e *domain.Event) (IngestStatus, error) { return t.log(e, false, false) }

// AppendNew is Append for an event the caller has just found absent from
// the log in this transaction (HasEvent, LookUpEvents), with its filing
// as FilingOf reads it (nil for any other event): the server's push looks
// a whole batch up at once and reads the filings on other cores, so its
// single writer neither looks each event up again nor decodes a payload.
func (t *Tx) AppendNew(e *domain.Event, filing *ComplaintFiling) error {
	return t.logNew(e, false, true, filing)
}

// log observes, dedupes and logs a remote event; folded says whether the
// caller folds it at once, indexed whether its entity index entry is
// written now.
func (t *Tx) log(e *domain.Event, folded, indexed bool) (IngestStatus, error) {
	if t.HasEvent(e.ID) {
		return Duplicate, nil
	}
	return Stored, t.logNew(e, folded, indexed, FilingOf(e))
}

// logNew observes and logs a remote event that is not in the log.
func (t *Tx) logNew(e *domain.Event, folded, indexed bool, filing *ComplaintFiling) error {
	if ahead, flagged := t.store.clock.Observe(e.HLC); flagged {
		alert := ClockAlert{Event: e.ID, Replica: e.Replica, Remote: e.HLC, AheadMs: ahead.Milliseconds(), SeenAt: t.store.now().UTC()}
		raw, _ := json.Marshal(alert)
		if err := t.tx.Bucket(bucketClockAlerts).Put(e.ID[:], raw); err != nil {
			return err
		}
	}
	return t.appendFiled(e, folded, indexed, filing)
}

// HasEvent reports whether the event is in the log.
func (t *Tx) HasEvent(id uuid.UUID) bool { return t.tx.Bucket(bucketEventIDs).Get(id[:]) != nil }

// appendEvent writes an event to the log and its indexes, once. folded
// says whether the caller folds it in this transaction: if nothing before
// it awaits projection, the projection watermark moves past it.
func (t *Tx) appendEvent(e *domain.Event, folded bool) error {
	return t.appendFiled(e, folded, true, FilingOf(e))
}

// appendFiled is appendEvent with the event's filing already read
// (FilingOf); indexed says whether its per-entity index entry is written
// now (not by AppendBulk).
func (t *Tx) appendFiled(e *domain.Event, folded, indexed bool, filing *ComplaintFiling) error {
	t.indexedPos() // before the log grows: an absent watermark means "all of it"
	events := t.tx.Bucket(bucketEvents)
	pos, err := events.NextSequence()
	if err != nil {
		return err
	}
	if folded && t.projectedPos()+1 == pos {
		t.projected = pos
	}
	// One copy of the position serves as the log's key and the indexes'
	// values: bbolt keeps the slices until the commit, and none changes.
	at := u64(pos)
	if err := events.Put(at, sealedEvent(pos, e)); err != nil {
		return err
	}
	ids := t.tx.Bucket(bucketEventIDs)
	t.idPuts.put(ids, e.ID[:], nil)
	if err := ids.Put(e.ID[:], at); err != nil {
		return err
	}
	if indexed {
		t.entityPuts = append(t.entityPuts, entityPut{entityEventKey(e), at})
		if t.indexed+1 == pos {
			t.indexed = pos
		}
	} else {
		t.noteBulk(e, pos)
	}
	if filing != nil {
		if err := putFiling(t.tx, e.EntityID, filing); err != nil {
			return err
		}
	}
	return t.advanceReplicaSeq(e.Replica, e.Seq)
}

// fold brings the entity's projection up to date with a newly logged event.
func (t *Tx) fold(e *domain.Event) error {
	if !e.Known() {
		return t.tx.Bucket(bucketUnfolded).Put(e.ID[:], []byte("unknown type or newer schema: "+string(e.Type)))
	}
	cs, err := t.cached(e.Key())
	if err != nil || cs.state.Has(e.ID) {
		return err // folded already: a refold after a late event included it
	}
	cs.dirty = true
	if err := cs.state.Apply(e); errors.Is(err, domain.ErrOutOfOrder) {
		// Arrived late: replay the entity's events, now including it, in
		// fold order. Entities hold tens of events, so this stays cheap.
		cs.state, err = t.refold(e.Key())
		return err
	} else if err != nil {
		return err
	}
	return nil
}

// cached returns the entity's state for this transaction, loading it once.
func (t *Tx) cached(k domain.EntityKey) (*cachedState, error) {
	if cs, ok := t.states[k]; ok {
		return cs, nil
	}
	st, err := t.loadState(k)
	if err != nil {
		return nil, err
	}
	cs := &cachedState{state: st}
	if st == nil {
		cs.state = domain.NewState(k)
	} else {
		cs.oldIdx = indexEntries(st)
	}
	t.states[k] = cs
	return cs, nil
}

// loadState reads a stored state, nil when the entity has none.
func (t *Tx) loadState(k domain.EntityKey) (*domain.State, error) {
	raw := t.tx.Bucket(bucketStates).Get(stateKey(k))
	if raw == nil {
		return nil, nil
	}
	st := &domain.State{}
	if err := decodeStateValue(raw, st); err != nil {
		return nil, domain.Errorf(domain.EInternal, "corrupt state of %s: %v", k, err)
	}
	if st.Meta.Clocks == nil {
		st.Meta.Clocks = map[uuid.UUID]domain.VV{}
	}
	return st, nil
}

// refold folds an entity from its logged events, leaving out the events
// this version does not know and those the server rejected.
func (t *Tx) refold(k domain.EntityKey) (*domain.State, error) {
	st := domain.NewState(k)
	rejected := t.tx.Bucket(bucketRejections)
	err := t.entityEvents(k, func(e *domain.Event) error {
		if e.Known() && rejected.Get(e.ID[:]) == nil {
			return st.Apply(e) // read in fold order: never out of order
		}
		return nil
	})
	return st, err
}

// entityEvents calls fn for each logged event of an entity, in fold order,
// leaving out the damaged ones (quarantined).
func (t *Tx) entityEvents(k domain.EntityKey, fn func(*domain.Event) error) error {
	if err := t.writeEntityPuts(); err != nil {
		return err
	}
	if t.indexedPos() < t.LogLen() {
		return t.entityEventsLagging(k, fn)
	}
	return t.indexedEntityEvents(k, fn)
}

// indexedEntityEvents calls fn for each event of the entity in the
// per-entity index, in fold order.
func (t *Tx) indexedEntityEvents(k domain.EntityKey, fn func(*domain.Event) error) error {
	prefix := entityPrefix(k)
	c := t.tx.Bucket(bucketEntityEvents).Cursor()
	events := t.tx.Bucket(bucketEvents)
	for key, pos := c.Seek(prefix); key != nil && hasPrefix(key, prefix); key, pos = c.Next() {
		e, ok, err := t.readLogged(readU64(pos), events.Get(pos))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}

// flush writes the states changed in the transaction and their indexes,
// in key order: bbolt inserts sorted keys much faster than scattered ones.
func (t *Tx) flush() error {
	dirty := make([]domain.EntityKey, 0, len(t.states))
	for k, cs := range t.states {
		if cs.dirty {
			dirty = append(dirty, k)
		}
	}
	slices.SortFunc(dirty, func(a, b domain.EntityKey) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.ID, b.ID))
	})
	states := t.tx.Bucket(bucketStates)
	var idx indexWrites
	for _, k := range dirty {
		cs := t.states[k]
		enc, err := encodeState(cs.state)
		if err != nil {
			return err
		}
		if err := states.Put(stateKey(k), enc.raw); err != nil {
			return err
		}
		idx.diff(cs.oldIdx, enc.idx)
		cs.oldIdx, cs.dirty = enc.idx, false
	}
	return idx.write(t)
}

// encodedState is a state as flush writes it.
type encodedState struct {
	raw []byte       // the state's stored form (statecodec.go)
	idx []indexEntry // its index entries
}

func encodeState(st *domain.State) (*encodedState, error) {
	return &encodedState{raw: encodeStateValue(st), idx: indexEntries(st)}, nil
}

// foldNewlyKnown folds the events kept unfolded by an older version that
// this version now knows.
func (s *Store) foldNewlyKnown() error {
	var known []uuid.UUID
	err := s.View(func(t *Tx) error {
		return t.tx.Bucket(bucketUnfolded).ForEach(func(id, _ []byte) error {
			e, err := t.eventByID(uuid.UUID(id))
			if err == nil && e.Known() {
				known = append(known, e.ID)
			}
			if domain.ErrorCode(err) == ECorrupt {
				return nil // quarantined by eventByID: it stays unfolded
			}
			return err
		})
	})
	if err != nil || len(known) == 0 {
		return err
	}
	return s.Update(func(t *Tx) error {
		for _, id := range known {
			e, err := t.eventByID(id)
			if err != nil {
				return err
			}
			if err := t.tx.Bucket(bucketUnfolded).Delete(id[:]); err != nil {
				return err
			}
			cs, err := t.cached(e.Key())
			if err != nil {
				return err
			}
			if cs.state, err = t.refold(e.Key()); err != nil {
				return err
			}
			cs.dirty = true
		}
		return nil
	})
}

// eventByID reads one logged event; a damaged one is quarantined and
// answered with ECorrupt.
func (t *Tx) eventByID(id uuid.UUID) (domain.Event, error) {
	pos := t.tx.Bucket(bucketEventIDs).Get(id[:])
	if pos == nil {
		return domain.Event{}, domain.Errorf(domain.ENotFound, "event %s not found", id)
	}
	return t.eventAt(readU64(pos))
}

// eventAt reads the event at a log position; a damaged one is quarantined
// and answered with ECorrupt.
func (t *Tx) eventAt(pos uint64) (domain.Event, error) {
	v := t.tx.Bucket(bucketEvents).Get(u64(pos))
	if v == nil {
		return domain.Event{}, domain.Errorf(domain.ENotFound, "no event at position %d", pos)
	}
	e, err := decodeStored(pos, v)
	if err != nil {
		_ = t.corrupt(pos, v, err)
	}
	return e, err
}

// Unfolded lists the ids of events kept but not folded.
func (t *Tx) Unfolded() []uuid.UUID {
	var out []uuid.UUID
	_ = t.tx.Bucket(bucketUnfolded).ForEach(func(k, _ []byte) error {
		out = append(out, uuid.UUID(k))
		return nil
	})
	return out
}

// ClockAlerts lists the remote clocks seen far ahead.
func (t *Tx) ClockAlerts() []ClockAlert {
	var out []ClockAlert
	_ = t.tx.Bucket(bucketClockAlerts).ForEach(func(_, v []byte) error {
		var a ClockAlert
		if json.Unmarshal(v, &a) == nil {
			out = append(out, a)
		}
		return nil
	})
	return out
}

func hasPrefix(b, prefix []byte) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == string(prefix)
}
