package main

import (
	"log/slog"
	"runtime/debug"
)

// DefaultMemoryLimitMiB is the Go runtime's soft memory limit the server
// sets: with it the garbage collector works harder as the heap nears it,
// rather than letting the heap grow to twice what is live, which is what
// took a server receiving eight maximum-size pushes past a gigabyte. The
// push budget (syncserver.Config.PushMemory) keeps what is live well below
// it; the limit is soft, so a heap that needs more still gets it.
const DefaultMemoryLimitMiB = 256

// applyMemoryLimit sets the soft memory limit, unless GOMEMLIMIT (the
// runtime's own variable) is set or mib is 0.
func applyMemoryLimit(mib int, env func(string) string, log *slog.Logger) {
	if env("GOMEMLIMIT") != "" || mib <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(mib) << 20)
	log.Debug("memory limit set", "MiB", mib)
}
