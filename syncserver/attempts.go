package syncserver

import (
	"context"
	"time"
)

// AttemptLimit is a limit of failed attempts per key (a login and client
// address, an address): burst failures at once, then one more earned
// every per/burst (ratelimit.go has the bucket's rules). It is a port:
// with several instances behind a load balancer, a limit each counted in
// its own memory would let an attacker spread guesses over them, N
// instances N times the attempts; the PostgreSQL adapter counts them in
// the database, so the instances share one limit (pgstore.AttemptLimit).
type AttemptLimit interface {
	// Take spends one attempt of every key and returns zero, or, when
	// some key has none left, spends nothing and returns how long to
	// wait. An error (the store unreachable) lets nobody in.
	Take(ctx context.Context, keys ...string) (time.Duration, error)
	// Refund gives back the attempt of every key: it succeeded.
	Refund(ctx context.Context, keys ...string) error
}

// Take and Refund make the in-memory limiter the AttemptLimit of a store
// only one process serves (bbolt's).
func (l *limiter) Take(_ context.Context, keys ...string) (time.Duration, error) {
	return l.take(keys...), nil
}

func (l *limiter) Refund(_ context.Context, keys ...string) error {
	l.refund(keys...)
	return nil
}

// attemptLimit returns the limit of burst failures per window: the
// configured port's, else one in this process's memory.
func (c *Config) attemptLimit(burst int, per time.Duration) AttemptLimit {
	if c.AttemptLimits != nil {
		return c.AttemptLimits(burst, per)
	}
	return newLimiter(burst, per, c.Now)
}

// groupAttemptLimit makes a limit of the group's failed sign-ins.
func (c *Config) groupAttemptLimit(burst int, per time.Duration) AttemptLimit {
	if c.GroupAttemptLimits != nil {
		return c.GroupAttemptLimits(burst, per)
	}
	return c.attemptLimit(burst, per)
}

// spend takes an attempt of keys from limit; it returns the 429 to
// answer, or the store's failure (a 503).
func spend(ctx context.Context, limit AttemptLimit, keys ...string) error {
	wait, err := limit.Take(ctx, keys...)
	switch {
	case err != nil:
		return err
	case wait > 0:
		return &rateLimitError{retryAfter: wait}
	}
	return nil
}

// refundAttempt gives an attempt back; a failure is logged: at worst the
// key is limited a little sooner.
func (s *Server) refundAttempt(ctx context.Context, limit AttemptLimit, keys ...string) {
	if err := limit.Refund(ctx, keys...); err != nil {
		s.log.Warn("could not refund a successful attempt to its rate limit", "err", err)
	}
}
