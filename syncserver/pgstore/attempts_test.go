package pgstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Two instances share one limit: guesses spread over them are counted
// once, even when they arrive at the same moment (with a limit in each
// instance's memory, two instances let 10 of these 20 through).
func TestAttemptsCountedAcrossInstances(t *testing.T) {
	ctx := context.Background()
	stores := newStores(t, 2)
	now := func() time.Time { return testNow }
	limits := []*AttemptLimit{stores[0].AttemptLimit("north", now, 5, time.Minute), stores[1].AttemptLimit("north", now, 5, time.Minute)}
	var passed atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			wait, err := limits[i%2].Take(ctx, "login:ana|10.0.0.9", "addr:10.0.0.9")
			if err != nil {
				t.Error(err)
			}
			if wait == 0 {
				passed.Add(1)
			}
		})
	}
	wg.Wait()
	if got := passed.Load(); got != 5 {
		t.Fatalf("%d of 20 guesses over two instances passed, want 5", got)
	}
	// Another plant's limit is its own.
	if wait, err := stores[1].AttemptLimit("south", now, 5, time.Minute).Take(ctx, "login:ana|10.0.0.9"); wait != 0 || err != nil {
		t.Fatalf("south's first attempt: wait %v, %v", wait, err)
	}
}

// The in-memory limiter's rules, on the database: a refused take spends
// nothing of the other keys; a refund gives an attempt back; attempts are
// earned back with time, one every window/burst.
func TestAttemptLimitRules(t *testing.T) {
	ctx := context.Background()
	clock := testNow
	now := func() time.Time { return clock }
	a := newStore(t)
	limit := a.AttemptLimit("north", now, 5, time.Minute)
	take := func(want time.Duration, keys ...string) {
		t.Helper()
		if wait, err := limit.Take(ctx, keys...); err != nil || wait != want {
			t.Fatalf("take %v at +%v: wait %v, %v; want %v", keys, clock.Sub(testNow), wait, err, want)
		}
	}
	for range 5 {
		take(0, "pair")
	}
	take(12*time.Second, "pair", "addr") // pair is spent: addr keeps its 5
	for range 5 {
		take(0, "addr")
	}
	take(12*time.Second, "addr")
	if err := limit.Refund(ctx, "pair"); err != nil {
		t.Fatal(err)
	}
	take(0, "pair")
	clock = clock.Add(6 * time.Second)
	take(6*time.Second, "pair")
	clock = clock.Add(6 * time.Second)
	take(0, "pair")
	clock = clock.Add(2 * time.Minute) // full again: the buckets are deleted at the next write
	take(0, "other")
	var rows int
	if err := a.Pool().QueryRow(ctx, "SELECT count(*) FROM sign_in_attempts WHERE plant = 'north'").Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d buckets kept, %v; want 1 (other's)", rows, err)
	}
}
