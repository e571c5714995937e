package syncclient

import (
	"testing"
	"time"
)

func TestBackoffDoublesWithJitterAndIsCapped(t *testing.T) {
	for _, tc := range []struct {
		name   string
		jitter float64
		want   []time.Duration
	}{
		{"NoJitter", 0, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}},
		{"FullJitter", 0.999999, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := backoff{min: time.Second, max: time.Minute, rand: func() float64 { return tc.jitter }}
			for i, want := range tc.want {
				if got := b.next().Round(time.Millisecond); got != want {
					t.Fatalf("wait %d = %s, want %s", i, got, want)
				}
			}
			b.reset()
			if got := b.next().Round(time.Millisecond); got != tc.want[0] {
				t.Fatalf("after reset: %s", got)
			}
		})
	}
}

func TestWatchdog(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	var w watchdog
	steps := []struct {
		at      time.Duration
		head    uint64
		pending bool
		answer  time.Duration // last answer, relative to t0; negative: none since t0
		want    bool
	}{
		{0, 5, true, 0, false},
		{30 * time.Second, 5, true, 30 * time.Second, false},
		{61 * time.Second, 5, true, 61 * time.Second, true},  // a minute unmoved, the server answering
		{62 * time.Second, 6, true, 62 * time.Second, false}, // it moved
		{200 * time.Second, 6, true, -1, false},              // no answer since: offline, not stalled
		{300 * time.Second, 0, false, 300 * time.Second, false},
	}
	for i, s := range steps {
		last := time.Time{}
		if s.answer >= 0 {
			last = t0.Add(s.answer)
		}
		if got := w.observe(t0.Add(s.at), s.head, s.pending, last, time.Minute); got != s.want {
			t.Fatalf("step %d: stalled = %v, want %v", i, got, s.want)
		}
	}
}
