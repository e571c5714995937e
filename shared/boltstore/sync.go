package boltstore

import (
	"encoding/json"
	"slices"
	"time"

	"boucle/shared/domain"

	"github.com/google/uuid"
)

// Rejection is the server's refusal of a pushed event, kept so that the
// workstation stops retrying it and shows it with the reason.
type Rejection struct {
	Event    uuid.UUID        `json:"event"`
	Type     domain.EventType `json:"type"`
	Entity   domain.EntityKey `json:"entity"`
	Code     domain.Code      `json:"code"`
	Reason   string           `json:"reason"`
	Rejected time.Time        `json:"rejected"`
	// Dismissed is when a user marked the refusal handled (recorded again
	// properly, or let go): it leaves the list of refusals to handle, and
	// the event stays refused.
	Dismissed time.Time `json:"dismissed,omitzero"`
}

// Outbox returns up to limit local events not yet acknowledged by the
// server, in replica sequence order (the order the server requires).
func (t *Tx) Outbox(limit int) ([]domain.Event, error) {
	var out []domain.Event
	c := t.tx.Bucket(bucketOutbox).Cursor()
	for k, id := c.First(); k != nil && len(out) < limit; k, id = c.Next() {
		e, err := t.eventByID(uuid.UUID(id))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// OutboxLen counts the local events waiting for the server.
func (t *Tx) OutboxLen() int { return t.tx.Bucket(bucketOutbox).Stats().KeyN }

// Acknowledge removes events the server accepted (or already had) from the
// outbox.
func (t *Tx) Acknowledge(seqs ...uint64) error {
	b := t.tx.Bucket(bucketOutbox)
	for _, s := range seqs {
		if err := b.Delete(u64(s)); err != nil {
			return err
		}
	}
	return nil
}

// Reject records the server's refusal of a local event: it leaves the
// outbox, and the entity is refolded without it so that this workstation
// converges with the plant (the event stays in the log, visible).
func (t *Tx) Reject(e *domain.Event, code domain.Code, reason string) error {
	r := Rejection{Event: e.ID, Type: e.Type, Entity: e.Key(), Code: code, Reason: reason, Rejected: t.store.now().UTC()}
	raw, _ := json.Marshal(r)
	if err := t.tx.Bucket(bucketRejections).Put(e.ID[:], raw); err != nil {
		return err
	}
	if e.Replica == t.store.replica {
		if err := t.Acknowledge(e.Seq); err != nil {
			return err
		}
	}
	if err := t.unindexFiling(e); err != nil {
		return err
	}
	if !e.Known() {
		return nil
	}
	cs, err := t.cached(e.Key())
	if err != nil {
		return err
	}
	cs.state, err = t.refold(e.Key())
	cs.dirty = true
	return err
}

// Rejections lists the events the server refused.
func (t *Tx) Rejections() []Rejection {
	var out []Rejection
	_ = t.tx.Bucket(bucketRejections).ForEach(func(_, v []byte) error {
		var r Rejection
		if json.Unmarshal(v, &r) == nil {
			out = append(out, r)
		}
		return nil
	})
	return out
}

// OpenRejections lists the refusals nobody has dismissed yet.
func (t *Tx) OpenRejections() []Rejection {
	out := t.Rejections()
	return slices.DeleteFunc(out, func(r Rejection) bool { return !r.Dismissed.IsZero() })
}

// DismissRejection marks a refusal handled; the event stays refused and
// out of the fold. ENotFound when the event was not refused.
func (t *Tx) DismissRejection(id uuid.UUID) error {
	r, ok := t.Rejection(id)
	if !ok {
		return domain.Errorf(domain.ENotFound, "no refused event %s", id)
	}
	if !r.Dismissed.IsZero() {
		return nil
	}
	r.Dismissed = t.store.now().UTC()
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketRejections).Put(id[:], raw)
}

// IsRejected reports whether an event was refused.
func (t *Tx) IsRejected(id uuid.UUID) bool { return t.tx.Bucket(bucketRejections).Get(id[:]) != nil }

// Cursor is the position of the last page pulled from the server, "epoch:seq".
func (t *Tx) Cursor() string { return string(t.tx.Bucket(bucketMeta).Get(keyCursor)) }

// SetCursor saves the pull position in the same transaction as the page.
func (t *Tx) SetCursor(c string) error { return t.tx.Bucket(bucketMeta).Put(keyCursor, []byte(c)) }

// LoggedEvent is an event with its position in this store's log.
type LoggedEvent struct {
	Pos   uint64
	Event domain.Event
}

// LogAfter returns up to limit events logged after position pos, in commit
// order, and whether more follow. Positions are handed out inside the
// single writing transaction, so a reader never sees a later position
// before an earlier one. Damaged events are quarantined and left out.
func (t *Tx) LogAfter(pos uint64, limit int) (out []LoggedEvent, more bool, err error) {
	c := t.tx.Bucket(bucketEvents).Cursor()
	for k, v := c.Seek(u64(pos + 1)); k != nil; k, v = c.Next() {
		if len(out) == limit {
			return out, true, nil
		}
		e, ok, err := t.readLogged(readU64(k), v)
		if err != nil {
			return nil, false, err
		}
		if ok {
			out = append(out, LoggedEvent{Pos: readU64(k), Event: e})
		}
	}
	return out, false, nil
}

// LogRaw calls fn with the encoded bytes of each event after pos, checked
// against their checksum but not decoded: the server streams them to
// pullers as they are. A damaged event is quarantined and skipped: last
// moves past it, so a pull's cursor does too. The bytes are only valid
// during the call.
func (t *Tx) LogRaw(pos uint64, limit int, fn func(pos uint64, raw []byte) error) (last uint64, more bool, err error) {
	c := t.tx.Bucket(bucketEvents).Cursor()
	n := 0
	last = pos
	for k, v := c.Seek(u64(pos + 1)); k != nil; k, v = c.Next() {
		if n == limit {
			return last, true, nil
		}
		last = readU64(k)
		enc, err := unsealEvent(last, v)
		if err != nil {
			if err := t.corrupt(last, v, err); err != nil {
				return last, false, err
			}
			continue
		}
		if err := fn(last, enc); err != nil {
			return last, false, err
		}
		n++
	}
	return last, false, nil
}

// LogLen is the number of events in the log (its last position).
func (t *Tx) LogLen() uint64 { return t.tx.Bucket(bucketEvents).Sequence() }

// Event returns one logged event.
func (t *Tx) Event(id uuid.UUID) (domain.Event, error) { return t.eventByID(id) }

// ServerEpoch is the epoch of the server this store last synced with.
func (t *Tx) ServerEpoch() string { return string(t.tx.Bucket(bucketMeta).Get(keyServerEpoch)) }

// SetServerEpoch saves the server's epoch, with the cursor that belongs to it.
func (t *Tx) SetServerEpoch(epoch string) error {
	return t.tx.Bucket(bucketMeta).Put(keyServerEpoch, []byte(epoch))
}
