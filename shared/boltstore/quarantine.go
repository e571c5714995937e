package boltstore

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"boucle/shared/domain"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// A logged event whose bytes fail their check is quarantined: recorded in
// bucketQuarantine with the reason, reported (Store.OnQuarantine), and
// left out of everything that walks the log: pulls skip its position (the
// cursor moves past it), folds leave it out. One bad event never stalls a
// pull or a projection. The bytes stay where they are, for the forensics
// of `boucle-server check`; the cure is a restore from a backup, after
// which the workstations re-push what they hold (see the sync protocol's
// epochs), the damaged event among them.

// Quarantined is one quarantined event.
type Quarantined struct {
	Pos    uint64    `json:"pos"`    // log position
	Event  uuid.UUID `json:"event"`  // id, from the event id index (the bytes cannot be trusted)
	Reason string    `json:"reason"` // what failed
	Found  time.Time `json:"found"`  // when a reader first found it
}

// quarantine is the store's in-memory view of bucketQuarantine, so that
// readers need not write to learn whether a position is known.
type quarantine struct {
	mu    sync.Mutex
	known map[uint64]bool
	hook  func(Quarantined)
}

// OnQuarantine sets the function told of each newly quarantined event
// (once per event, after the record commits): the server logs it and
// counts it.
func (s *Store) OnQuarantine(fn func(Quarantined)) {
	s.quarantine.mu.Lock()
	defer s.quarantine.mu.Unlock()
	s.quarantine.hook = fn
}

// QuarantinedCount is the number of quarantined events, without a
// transaction (the metrics read it).
func (s *Store) QuarantinedCount() int {
	s.quarantine.mu.Lock()
	defer s.quarantine.mu.Unlock()
	return len(s.quarantine.known)
}

// loadQuarantine reads the known positions at open.
func (s *Store) loadQuarantine() error {
	s.quarantine.known = map[uint64]bool{}
	return s.db.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketQuarantine).ForEach(func(k, _ []byte) error {
			s.quarantine.known[readU64(k)] = true
			return nil
		})
	})
}

// Quarantined lists the quarantined events in log order.
func (t *Tx) Quarantined() []Quarantined {
	var out []Quarantined
	_ = t.tx.Bucket(bucketQuarantine).ForEach(func(_, v []byte) error {
		var q Quarantined
		if json.Unmarshal(v, &q) == nil {
			out = append(out, q)
		}
		return nil
	})
	return out
}

// corrupt notes that the value at pos failed its check; the record is
// written when the transaction ends (see Store.Update and Store.View).
// It returns nil for ECorrupt errors (the caller skips the event) and any
// other error as is.
func (t *Tx) corrupt(pos uint64, v []byte, err error) error {
	if domain.ErrorCode(err) != ECorrupt {
		return err
	}
	if t.store.isQuarantined(pos) {
		return nil
	}
	t.bad = append(t.bad, Quarantined{Pos: pos, Event: t.idAt(pos), Reason: err.Error(), Found: t.store.now().UTC()})
	return nil
}

// idAt finds the id of the event at pos in the event id index, not in the
// damaged bytes. It walks the index: once per damaged event.
func (t *Tx) idAt(pos uint64) uuid.UUID {
	var id uuid.UUID
	want := u64(pos)
	_ = t.tx.Bucket(bucketEventIDs).ForEach(func(k, v []byte) error {
		if string(v) == string(want) && len(k) == len(id) {
			copy(id[:], k)
			return errStop
		}
		return nil
	})
	return id
}

func (s *Store) isQuarantined(pos uint64) bool {
	s.quarantine.mu.Lock()
	defer s.quarantine.mu.Unlock()
	return s.quarantine.known[pos]
}

// readLogged reads and checks the event at pos; a damaged one is noted
// for quarantine and reported as ok == false.
func (t *Tx) readLogged(pos uint64, v []byte) (e domain.Event, ok bool, err error) {
	e, err = decodeStored(pos, v)
	if err != nil {
		return e, false, t.corrupt(pos, v, err)
	}
	return e, true, nil
}

// newlyBad is the part of the transaction's findings not yet recorded.
func (t *Tx) newlyBad() []Quarantined {
	q := &t.store.quarantine
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.DeleteFunc(slices.Clone(t.bad), func(b Quarantined) bool { return q.known[b.Pos] })
}

// writeQuarantine records findings in the transaction.
func (t *Tx) writeQuarantine(bad []Quarantined) error {
	b := t.tx.Bucket(bucketQuarantine)
	for _, q := range bad {
		if b.Get(u64(q.Pos)) != nil {
			continue
		}
		raw, err := json.Marshal(q)
		if err != nil {
			return err
		}
		if err := b.Put(u64(q.Pos), raw); err != nil {
			return err
		}
	}
	return nil
}

// quarantined marks committed findings as known and reports the new ones.
func (s *Store) quarantined(bad []Quarantined) {
	q := &s.quarantine
	q.mu.Lock()
	var fresh []Quarantined
	for _, b := range bad {
		if !q.known[b.Pos] {
			q.known[b.Pos] = true
			fresh = append(fresh, b)
		}
	}
	hook := q.hook
	q.mu.Unlock()
	if hook != nil {
		for _, b := range fresh {
			hook(b)
		}
	}
}

// recordQuarantine writes what a read-only transaction found, in a
// transaction of its own: rare (once per damaged event), so readers stay
// readers the rest of the time.
func (s *Store) recordQuarantine(bad []Quarantined) error {
	err := s.db.Update(func(btx *bolt.Tx) error {
		t := &Tx{tx: btx, store: s}
		return t.writeQuarantine(bad)
	})
	if err != nil {
		return errors.Join(domain.Errorf(ECorrupt, "could not record %d damaged events", len(bad)), err)
	}
	s.quarantined(bad)
	return nil
}
