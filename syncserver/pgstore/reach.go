package pgstore

import (
	"context"
	"time"

	"boucle/shared/domain"
)

// Backoff is how OpenWhenReachable waits between attempts: First after
// the first failure, doubling up to Max.
type Backoff struct {
	First, Max time.Duration
	// Wait waits d or until ctx ends (ctx's error then); nil: a timer.
	Wait func(ctx context.Context, d time.Duration) error
}

// DefaultBackoff waits 1 s, 2 s, 4 s… up to a minute between attempts.
var DefaultBackoff = Backoff{First: time.Second, Max: time.Minute}

// OpenWhenReachable opens the store as Open does, trying again while the
// database cannot be reached (EUnavailable): a server started before its
// database, or during its failover, waits for it instead of dying. told
// is called with each failure and the wait before the next attempt (the
// message names the database's address, never its password). Any other
// failure (a bad URL, a schema newer than the binary, a refused password)
// is returned at once; so is ctx's end.
func OpenWhenReachable(ctx context.Context, url string, b Backoff, told func(err error, retryIn time.Duration)) (*Store, error) {
	wait := b.Wait
	if wait == nil {
		wait = sleep
	}
	delay := b.First
	for {
		s, err := Open(ctx, url)
		if err == nil || domain.ErrorCode(err) != domain.EUnavailable {
			return s, err
		}
		told(err, delay)
		if werr := wait(ctx, delay); werr != nil {
			return nil, err
		}
		delay = min(2*delay, b.Max)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
