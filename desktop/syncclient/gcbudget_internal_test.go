package syncclient

import (
	"runtime/debug"
	"testing"
)

// A long pull relaxes the collector under a memory limit, and the process's
// own settings come back when the last of two overlapping long pulls ends.
func TestLongPullRelaxesTheCollectorAndGivesItBack(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))

	first := gcForLongPull()
	if got := debug.SetGCPercent(longPullGCPercent); got != longPullGCPercent {
		t.Fatalf("GOGC during a long pull: %d, want %d", got, longPullGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != longPullMemoryLimit {
		t.Fatalf("memory limit during a long pull: %d, want %d", got, longPullMemoryLimit)
	}
	second := gcForLongPull()
	first()
	first() // twice: counted once
	if got := debug.SetMemoryLimit(-1); got != longPullMemoryLimit {
		t.Fatalf("memory limit while a second long pull runs: %d, want %d", got, longPullMemoryLimit)
	}
	second()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC after the long pulls: %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Fatalf("memory limit after the long pulls: %d, want %d", got, int64(1<<40))
	}
}

// A lower limit set by the process is kept during a long pull.
func TestLongPullKeepsALowerMemoryLimit(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(200 << 20))

	restore := gcForLongPull()
	defer restore()
	if got := debug.SetMemoryLimit(-1); got != 200<<20 {
		t.Fatalf("memory limit during a long pull: %d, want the process's 200 MiB", got)
	}
}
