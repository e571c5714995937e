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

// maxWallMs is the largest wall part a timestamp can hold (year 10889).
const maxWallMs = 1<<(64-logicalBits) - 1

// Max is the greatest timestamp. A clock never goes past it: at Max it
// saturates rather than wrap to 0 (see next), which a clock bounded by
// Limit never reaches.
const Max = Timestamp(1<<64 - 1)

// Limit is the latest plausible timestamp, 2200-01-01T00:00Z: beyond it a
// clock is broken, not early. Events stamped after it are malformed
// (domain.ValidateEnvelope) and no clock observes it, so a clock stays
// eight millennia short of overflowing.
var Limit = FromTime(time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))

// MaxDrift is how far ahead of the local clock a remote timestamp may be
// before it is flagged as a clock problem, and the default bound of a
// bounded clock (see SetMaxAhead): five minutes, as Kerberos allows, far
// more than NTP-synchronised machines ever differ and than an unsynchronised
// PC clock drifts in weeks (a second or two a day), far less than a wrong
// date or time zone.
const MaxDrift = 5 * time.Minute

// New builds a timestamp from its parts; a wall part outside what a
// timestamp holds is clamped (negative to 0, past year 10889 to its end).
func New(wallMs int64, logical uint16) Timestamp {
	wall := uint64(max(wallMs, 0))
	if wall > maxWallMs {
		wall = maxWallMs
	}
	return Timestamp(wall<<logicalBits | uint64(logical))
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

// next returns the smallest timestamp strictly after t, or Max when t is
// Max: saturating there keeps time from wrapping to 0.
func (t Timestamp) next() Timestamp {
	if t == Max {
		return Max
	}
	// When the counter is exhausted, +1 carries into the wall part: the
	// next millisecond is borrowed rather than the counter wrapped, which
	// would go backwards.
	return t + 1
}

// Clock hands out strictly increasing timestamps. It is safe for concurrent
// use. The caller persists Last() together with every event it stamps so
// that a restart never reuses a timestamp.
//
// A clock observes the timestamps of other replicas so that its later
// timestamps sort after them. Unbounded (the default), it observes any
// timestamp up to Limit. Bounded (SetMaxAhead), it observes a remote
// timestamp only up to maxAhead past the later of its physical time and
// its reference (the plant server's time, see ObserveReference), so that
// one replica with a clock days ahead cannot drag every other clock
// along; a lagging physical clock still follows the reference.
type Clock struct {
	mu        sync.Mutex
	now       func() time.Time
	last      Timestamp
	maxAhead  time.Duration // 0: unbounded
	reference Timestamp     // the latest reference time observed
}

// NewClock returns a clock reading physical time from now (time.Now when
// nil) and resuming after last, the value saved before a restart.
func NewClock(now func() time.Time, last Timestamp) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now, last: min(last, Limit)}
}

// SetMaxAhead bounds what Observe merges: a remote timestamp more than d
// ahead of max(physical time, reference) is not merged. Zero unbounds.
func (c *Clock) SetMaxAhead(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxAhead = d
}

// Now returns a timestamp strictly greater than every timestamp this clock
// has returned or observed (saturating at Max, which no clock bounded by
// Limit reaches).
func (c *Clock) Now() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	pt := min(FromTime(c.now()), Limit) // a physical clock past Limit is broken: count on from Limit
	if pt > c.last {
		c.last = pt
	} else {
		c.last = c.last.next()
	}
	return c.last
}

// Observe merges a timestamp received from another replica so that every
// later local timestamp sorts after it. It reports how far the remote is
// ahead of the local physical clock and flags it when that is more than
// MaxDrift, or when the remote was not merged: past Limit, or past the
// clock's bound (SetMaxAhead). A flagged timestamp within the bound is
// still merged (causality must hold); the caller should raise it.
func (c *Clock) Observe(remote Timestamp) (aheadBy time.Duration, flagged bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	phys := c.now()
	ahead := time.Duration(remote.WallMs()-phys.UnixMilli()) * time.Millisecond
	if remote > c.bound(phys) {
		return ahead, true
	}
	if remote > c.last {
		c.last = remote
	}
	return ahead, ahead > MaxDrift
}

// bound is the greatest timestamp Observe merges at physical time phys.
func (c *Clock) bound(phys time.Time) Timestamp {
	if c.maxAhead <= 0 {
		return Limit
	}
	base := max(FromTime(phys), c.reference)
	return min(New(base.WallMs()+c.maxAhead.Milliseconds(), logicalMask), Limit)
}

// ObserveReference merges the plant's reference time (the server's clock,
// which bounds itself) without a bound but Limit, and counts the clock's
// bound from it too: a workstation whose physical clock lags still orders
// its events after what the server had seen. It reports whether ref was
// merged.
func (c *Clock) ObserveReference(ref Timestamp) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ref > Limit {
		return false
	}
	c.reference = max(c.reference, ref)
	c.last = max(c.last, ref)
	return true
}

// Last is the greatest timestamp returned or observed so far.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
