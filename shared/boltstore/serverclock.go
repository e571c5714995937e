package boltstore

import (
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"
)

// A workstation keeps what it last learnt of the plant server's clock: the
// server's time and its own wall clock at that moment. From the two it
// knows how far ahead of the server its clock is, even offline days later
// (the difference does not grow while both clocks run), and refuses to
// record when that is more than hlc.MaxDrift: the server would refuse
// whatever it stamped (rule sync.clock_ahead). A clock far *behind* the
// server's is harmless: the hybrid logical clock follows the server's time
// it observes, so events still sort after what the workstation had seen,
// and the server accepts events stamped in the past (recorded offline).

// RuleClockAhead names the refusal to record on a workstation whose clock
// is far ahead of the server's.
const RuleClockAhead = "clock.ahead_of_server"

// RuleRecordAhead names the refusal to record on an entity whose last
// event is stamped after this workstation's clock: one stored before the
// server bounded clocks (see docs/sync-protocol.md, Clocks), which no
// clock observes. A new event must sort after it, and one stamped that far
// ahead would be refused by the server.
const RuleRecordAhead = "clock.record_ahead"

// checkEntityClock refuses an event that would sort before the entity's
// last one because that one is stamped ahead of every clock.
func checkEntityClock(st *domain.State, e *domain.Event) error {
	if st.Meta.Events == 0 || e.HLC > st.Meta.Last.HLC {
		return nil
	}
	return domain.RuleError(domain.EConflict, RuleRecordAhead,
		"the last change of this record is stamped %s UTC, after this workstation's clock (%s UTC): a clock was wrong when it was made; record this change once that time has passed, or ask the administrator",
		st.Meta.Last.HLC.Time().Format("2006-01-02 15:04"), e.HLC.Time().Format("2006-01-02 15:04"))
}

// ServerClock is the server's time as last seen, and the local wall clock
// at that moment.
type ServerClock struct {
	Server  hlc.Timestamp
	LocalMs int64
}

// Ahead is how far the local clock was ahead of the server's (negative
// when behind).
func (c ServerClock) Ahead() time.Duration {
	return time.Duration(c.LocalMs-c.Server.WallMs()) * time.Millisecond
}

// ClockAheadError refuses a record on a workstation whose clock is far
// ahead of the server's. It unwraps to a domain error naming the rule.
type ClockAheadError struct{ Ahead time.Duration }

func (e *ClockAheadError) Error() string { return e.Unwrap().Error() }

// ClockAhead is how far ahead the clock is, for a message in words.
func (e *ClockAheadError) ClockAhead() time.Duration { return e.Ahead }

func (e *ClockAheadError) Unwrap() error {
	return domain.RuleError(domain.EConflict, RuleClockAhead,
		"this workstation's clock is %s ahead of the server's: set its date and time right before recording (the server refuses events stamped more than %s ahead)",
		e.Ahead.Round(time.Minute), hlc.MaxDrift)
}

// serverClockNote is the in-memory copy of the saved ServerClock.
type serverClockNote struct {
	mu    sync.Mutex
	clock ServerClock
	saved ServerClock // what the store holds
}

// NoteServerTime records the server's time seen in an answer: the clock
// takes it as its reference (hlc.Clock.ObserveReference), and the store
// saves it with the local time when the difference between the clocks
// moved by a second or more since it last saved it (so a sync does not
// write at every answer). A zero or implausible time is ignored.
func (s *Store) NoteServerTime(ts hlc.Timestamp) error {
	if ts == 0 || !s.clock.ObserveReference(ts) {
		return nil
	}
	c := ServerClock{Server: ts, LocalMs: s.now().UnixMilli()}
	n := &s.serverClock
	n.mu.Lock()
	n.clock = c
	moved := n.saved.Server == 0 || (c.Ahead()-n.saved.Ahead()).Abs() >= time.Second
	n.mu.Unlock()
	if !moved {
		return nil
	}
	err := s.Update(func(t *Tx) error { return t.tx.Bucket(bucketMeta).Put(keyServerClock, encodeServerClock(c)) })
	if err == nil {
		n.mu.Lock()
		n.saved = c
		n.mu.Unlock()
	}
	return err
}

// ClockAhead returns how far this workstation's clock is ahead of the
// server's when that is more than hlc.MaxDrift, else 0. It is 0 before
// the first answer of a server, and when the local clock was set back
// since (the difference is then unknown until the next answer).
func (s *Store) ClockAhead() time.Duration {
	n := &s.serverClock
	n.mu.Lock()
	c := n.clock
	n.mu.Unlock()
	if c.Server == 0 || s.now().UnixMilli() < c.LocalMs {
		return 0
	}
	if ahead := c.Ahead(); ahead > hlc.MaxDrift {
		return ahead
	}
	return 0
}

// checkClockAhead refuses to record while ClockAhead is not 0.
func (t *Tx) checkClockAhead() error {
	if ahead := t.store.ClockAhead(); ahead > 0 {
		return &ClockAheadError{Ahead: ahead}
	}
	return nil
}

// loadServerClock reads the saved ServerClock at open and makes its time
// the clock's reference.
func (s *Store) loadServerClock(raw []byte) error {
	if raw == nil {
		return nil
	}
	if len(raw) != 16 {
		return fmt.Errorf("corrupt server clock in the store's meta bucket")
	}
	c := ServerClock{Server: hlc.Timestamp(binary.BigEndian.Uint64(raw)), LocalMs: int64(binary.BigEndian.Uint64(raw[8:]))}
	s.serverClock.clock, s.serverClock.saved = c, c
	s.clock.ObserveReference(c.Server)
	return nil
}

func encodeServerClock(c ServerClock) []byte {
	return binary.BigEndian.AppendUint64(u64(uint64(c.Server)), uint64(c.LocalMs))
}
