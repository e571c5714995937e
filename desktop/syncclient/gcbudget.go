package syncclient

import (
	"runtime/debug"
	"sync"
)

// A long pull (a first sync: a million events logged, indexed and folded)
// allocates gigabytes whose live part stays small. At the default GOGC the
// collector ran every time the heap doubled over that small live part:
// about a tenth of the workstation's CPU. During a long pull the collector
// is let the heap grow four times its live part instead, under a soft
// memory limit that keeps the process's own memory within the first
// sync's budget (peak RSS ≤ 500 MB, the store's mapped pages included):
// near the limit the runtime collects as often as it must. Both settings
// are the process's, so they are taken by the first long pull and given
// back by the last one to end (several Syncers share a process in tests).

const (
	longPullGCPercent = 400
	// longPullMemoryLimit leaves about 100 MB of the 500 MB budget to the
	// store's pages mapped in the process.
	longPullMemoryLimit = 384 << 20
)

var longPullGC struct {
	mu      sync.Mutex
	pulls   int // long pulls under way
	percent int // the GOGC and the memory limit before the first of them
	limit   int64
}

// gcForLongPull relaxes the collector for a long pull; the function it
// returns puts it back (call it once).
func gcForLongPull() (restore func()) {
	g := &longPullGC
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pulls == 0 {
		g.limit = debug.SetMemoryLimit(-1) // -1 reads it
		g.percent = debug.SetGCPercent(longPullGCPercent)
		debug.SetMemoryLimit(min(g.limit, longPullMemoryLimit))
	}
	g.pulls++
	return sync.OnceFunc(func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.pulls--; g.pulls == 0 {
			debug.SetGCPercent(g.percent)
			debug.SetMemoryLimit(g.limit)
		}
	})
}
