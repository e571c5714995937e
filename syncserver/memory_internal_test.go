package syncserver

import (
	"context"
	"errors"
	"runtime"
	"testing"
)

// The push budget grants bytes in arrival order, caps a request at the
// whole budget (so that any one push can run alone), and gives up when the
// context ends without keeping anything.
func TestByteBudget(t *testing.T) {
	b := newByteBudget(100)
	ctx := context.Background()
	first, err := b.acquire(ctx, 60)
	if err != nil || first != 60 {
		t.Fatalf("first: %d %v", first, err)
	}
	// 50 does not fit beside 60: the caller waits until its context ends.
	expired, cancel := context.WithCancel(ctx)
	cancel()
	if n, err := b.acquire(expired, 50); !errors.Is(err, context.Canceled) || n != 0 {
		t.Fatalf("over budget: %d %v", n, err)
	}
	if b.used != 60 || len(b.waiters) != 0 {
		t.Fatalf("a refusal kept something: used %d, %d waiters", b.used, len(b.waiters))
	}
	// A waiter is served by a release, in order: the large one first,
	// although the small one behind it would fit sooner.
	large := make(chan int64)
	go func() { n, _ := b.acquire(ctx, 1000); large <- n }() // capped at 100
	waitForWaiters(t, b, 1)
	small := make(chan int64)
	go func() { n, _ := b.acquire(ctx, 10); small <- n }()
	waitForWaiters(t, b, 2)
	b.release(first)
	if n := <-large; n != 100 {
		t.Fatalf("large push granted %d", n)
	}
	b.release(100)
	if n := <-small; n != 10 {
		t.Fatalf("small push granted %d", n)
	}
	b.release(10)
	if b.used != 0 {
		t.Fatalf("used %d after every release", b.used)
	}
}

// waitForWaiters blocks until n acquirers are queued: the goroutines
// above queue themselves before blocking, and the test must not release
// before they did.
func waitForWaiters(t *testing.T, b *byteBudget, n int) {
	t.Helper()
	for {
		b.mu.Lock()
		queued := len(b.waiters)
		b.mu.Unlock()
		if queued >= n {
			return
		}
		runtime.Gosched()
	}
}
