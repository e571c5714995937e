package domain_test

import (
	"os"
	"runtime"
	"testing"
	"time"

	"boucle/shared/domain"
)

func TestZZMem(t *testing.T) {
	if os.Getenv("MEM") == "" {
		t.Skip()
	}
	ev := history(t, 100_000)
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	base := m.HeapAlloc
	for range 3 {
		t0 := time.Now()
		st, _ := domain.Fold(ev)
		d := time.Since(t0)
		runtime.GC()
		runtime.ReadMemStats(&m)
		t.Logf("fold %v, live %d MB, %d states", d, (m.HeapAlloc-base)>>20, len(st))
		st = nil
		runtime.GC()
	}
}
