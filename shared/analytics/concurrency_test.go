package analytics_test

import (
	"sync"
	"testing"

	"boucle/shared/analytics"
)

// TestConcurrentUse: a Dataset and an Index are read from many goroutines
// (the server's handlers) while the index is updated (run with -race).
func TestConcurrentUse(t *testing.T) {
	ds, ix := fixture(), fixtureIndex()
	want := ds.Indicators(fixPer, fixSet, fixNow)
	cs := fixtureComplaints()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 20 {
				eq(t, "report", ds.Indicators(fixPer, fixSet, fixNow), want)
				_ = ds.Recurrences(analytics.Settings{RecurrenceWindow: analytics.Day * 30}).All()
				_ = ix.Similar("rayures carter", "", 3)
				c := cs[i]
				ix.Add(&c)
			}
		})
	}
	wg.Wait()
	eq(t, "len", ix.Len(), 15)
}
