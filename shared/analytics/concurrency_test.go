package analytics_test

import (
	"sync"
	"testing"

	"boucle/shared/analytics"
)

// TestConcurrentUse: a Dataset and an Index are read from many goroutines
// (the server's handlers) while the index is updated (run with -race);
// the problems are found once, by whichever asks first; the clusters'
// cache, shared by every caller, gives the reference's answer.
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
				_ = ix.Clusters(analytics.ClusterOptions{SameSupplier: i%2 == 0}) // its cache shared
				ps := ds.Problems()
				c := cs[i]
				_ = ps.Propose(&c, 3)
				_, _ = ps.ProblemOf(c.ID)
				_ = ps.All()
				ix.Add(&c)
			}
		})
	}
	wg.Wait()
	eq(t, "len", ix.Len(), 15)
	for _, opts := range []analytics.ClusterOptions{{SameSupplier: true}, {}} {
		eq(t, "clusters", ix.Clusters(opts), ix.ReferenceClusters(opts))
	}
}
