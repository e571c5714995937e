package syncserver

import (
	"context"
	"sync"
	"time"
)

// limiter is a token bucket per key (a login, a client address) that only
// failures drain: burst failures are allowed at once, then one more every
// refill. It lives in memory: a restart forgives, which is acceptable for
// a limit measured in minutes. It is the AttemptLimit of a store one
// process serves (attempts.go).
type limiter struct {
	mu      sync.Mutex
	burst   float64
	refill  time.Duration // time to earn back one attempt
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the memory an attacker cycling through addresses can
// make the limiter use; full buckets are dropped first.
const maxBuckets = 100_000

func newLimiter(burst int, per time.Duration, now func() time.Time) *limiter {
	return &limiter{burst: float64(burst), refill: per / time.Duration(burst), now: now, buckets: map[string]*bucket{}}
}

// take spends one attempt of every key and returns zero, or, when some key
// has none left, spends nothing and returns how long to wait. Attempts
// are spent before the check they guard, so that concurrent guesses cannot
// all slip through; a successful attempt is refunded.
func (l *limiter) take(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var longest time.Duration
	for _, k := range keys {
		if b := l.fill(k); b.tokens < 1 {
			longest = max(longest, time.Duration((1-b.tokens)*float64(l.refill)))
		}
	}
	if longest > 0 {
		return longest
	}
	if len(l.buckets) > maxBuckets {
		l.prune()
	}
	for _, k := range keys {
		b := l.fill(k)
		b.tokens--
		l.buckets[k] = b
	}
	return 0
}

// refund gives back the attempt of every key: it succeeded.
func (l *limiter) refund(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if b, ok := l.buckets[k]; ok {
			b.tokens = min(l.burst, b.tokens+1)
		}
	}
}

// fill returns the key's bucket with the attempts earned since last seen.
func (l *limiter) fill(key string) *bucket {
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		return &bucket{tokens: l.burst, at: now}
	}
	b.tokens, b.at = refilled(b.tokens, b.at, now, l.burst, l.refill), now
	return b
}

// refilled is a bucket's attempts at now: those left at at, plus one per
// refill since, up to burst.
func refilled(tokens float64, at, now time.Time, burst float64, refill time.Duration) float64 {
	return min(burst, tokens+float64(now.Sub(at))/float64(refill))
}

// prune drops the buckets that have filled up again: they hold no state.
func (l *limiter) prune() {
	for k := range l.buckets {
		if l.fill(k).tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// loginAttempt is a login attempt spent from both limits; a successful
// login refunds it.
type loginAttempt struct {
	s                    *Server
	pairLimit, addrLimit AttemptLimit
	pair, addr           string
}

// takeLoginAttempt spends one attempt of the (login, address) pair and one
// of the address. The pair's limit is tight (5 a minute): it stops
// guessing one password, and since it is per address, an attacker
// guessing a colleague's password from his own desk locks only himself
// out, not the colleague at hers. The address's limit is looser (30 a
// minute): it stops spraying one guess over many logins. A distributed
// attacker is left to argon2id's cost and the log.
func (s *Server) takeLoginAttempt(ctx context.Context, login, addr string) (loginAttempt, error) {
	return s.takeAttemptOf(ctx, s.limiter, s.addrLimiter, login, addr)
}

// takeGroupLoginAttempt is takeLoginAttempt for a group account, from the
// group's limits: one account signs in at every plant's server, and its
// attempts are counted once, wherever they are made.
func (s *Server) takeGroupLoginAttempt(ctx context.Context, login, addr string) (loginAttempt, error) {
	return s.takeAttemptOf(ctx, s.groupLimiter, s.groupAddrLimiter, "group/"+login, addr)
}

func (s *Server) takeAttemptOf(ctx context.Context, pairLimit, addrLimit AttemptLimit, login, addr string) (loginAttempt, error) {
	a := loginAttempt{s: s, pairLimit: pairLimit, addrLimit: addrLimit, pair: "login:" + login + "|" + addr, addr: "addr:" + addr}
	if err := spend(ctx, pairLimit, a.pair); err != nil {
		return a, err
	}
	if err := spend(ctx, addrLimit, a.addr); err != nil {
		s.refundAttempt(ctx, pairLimit, a.pair)
		return a, err
	}
	return a, nil
}

func (a loginAttempt) refund(ctx context.Context) {
	a.s.refundAttempt(ctx, a.pairLimit, a.pair)
	a.s.refundAttempt(ctx, a.addrLimit, a.addr)
}
