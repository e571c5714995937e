// Package hlc implements a hybrid logical clock.
//
// Workstation clocks drift, jump backwards after NTP corrections and sleep
// with laptops; the event log needs timestamps that never go backwards on a
// replica and that order an event after every event its author had seen.
// A hybrid logical clock keeps wall-clock time where clocks behave and falls
// back to a logical counter where they don't.
package hlc

import (
	"fmt"
	"sync"
	"time"
)

// Timestamp packs milliseconds since the Unix epoch in the high 48 bits and
// a logical counter in the low 16 bits, so that comparing two timestamps is
// comparing two integers and the byte form sorts in time order.
type Timestamp uint64

const logicalBits = 16
const logicalMask = 1<<logicalBits - 1

// MaxDrift is how far ahead of the local clock a remote timestamp may be
// before it is flagged as a clock problem.
const MaxDrift = 5 * time.Minute

// New builds a timestamp from its parts.
func New(wallMs int64, logical uint16) Timestamp {
	return Timestamp(uint64(wallMs)<<logicalBits | uint64(logical))
}

// FromTime returns the first timestamp of the millisecond of t.
func FromTime(t time.Time) Timestamp { return New(t.UnixMilli(), 0) }

// WallMs is the physical part, in milliseconds since the Unix epoch.
func (t Timestamp) WallMs() int64 { return int64(uint64(t) >> logicalBits) }

// Logical is the counter that orders events within one millisecond.
func (t Timestamp) Logical() uint16 { return uint16(uint64(t) & logicalMask) }

// Time is the wall-clock part as a UTC time.
func (t Timestamp) Time() time.Time { return time.UnixMilli(t.WallMs()).UTC() }

// String renders the timestamp as RFC 3339 time plus counter.
func (t Timestamp) String() string {
	return fmt.Sprintf("%s/%d", t.Time().Format("2006-01-02T15:04:05.000Z"), t.Logical())
}

// next returns the smallest timestamp strictly after t.
func (t Timestamp) next() Timestamp {
	if t.Logical() == logicalMask {
		// The counter is exhausted: borrow the next millisecond rather than
		// wrap, which would go backwards.
		return New(t.WallMs()+1, 0)
	}
	return t + 1
}

// Clock hands out strictly increasing timestamps. It is safe for concurrent
// use. The caller persists Last() together with every event it stamps so
// that a restart never reuses a timestamp.
type Clock struct {
	mu   sync.Mutex
	now  func() time.Time
	last Timestamp
}

// NewClock returns a clock reading physical time from now (time.Now when
// nil) and resuming after last, the value saved before a restart.
func NewClock(now func() time.Time, last Timestamp) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now, last: last}
}

// Now returns a timestamp strictly greater than every timestamp this clock
// has returned or observed.
func (c *Clock) Now() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	pt := FromTime(c.now())
	if pt > c.last {
		c.last = pt
	} else {
		c.last = c.last.next()
	}
	return c.last
}

// Observe merges a timestamp received from another replica so that every
// later local timestamp sorts after it. It reports whether the remote clock
// is more than MaxDrift ahead of the local physical clock: the timestamp is
// still observed (causality must hold), but the caller should raise it.
func (c *Clock) Observe(remote Timestamp) (aheadBy time.Duration, flagged bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if remote > c.last {
		c.last = remote
	}
	ahead := time.Duration(remote.WallMs()-c.now().UnixMilli()) * time.Millisecond
	return ahead, ahead > MaxDrift
}

// Last is the greatest timestamp returned or observed so far.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
