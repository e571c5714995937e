package syncclient

import "time"

// backoff doubles the wait after each failure, from min up to max, with
// jitter so that a plant's workstations do not all retry together when
// the server comes back.
type backoff struct {
	min, max time.Duration
	rand     func() float64
	failures int
}

// next returns the wait before the next attempt: half the current step
// plus a random part of the other half.
func (b *backoff) next() time.Duration {
	step := b.min
	for i := 0; i < b.failures && step < b.max; i++ {
		step *= 2
	}
	step = min(step, b.max)
	b.failures++
	return step/2 + time.Duration(b.rand()*float64(step/2))
}

// reset starts again from min after a success.
func (b *backoff) reset() { b.failures = 0 }
