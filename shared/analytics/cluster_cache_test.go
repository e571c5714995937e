package analytics_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// TestCachedClustersAreFoundFromScratch edits an index at random (complaints
// filed, rewritten, rejected and reopened, withdrawn, removed and put back)
// and asks after each edit for the clusters of periods the dashboard and
// the reports ask for, some again, some moved a little: every answer, from
// the cache or not, is the one the reference finds from scratch.
func TestCachedClustersAreFoundFromScratch(t *testing.T) {
	p := generatePlant(2000, 11)
	ix := analytics.NewIndex(analytics.IndexOptions{})
	ix.AddAll(p.in.Complaints)
	r := rand.New(rand.NewPCG(5, 6))
	live := map[string]domain.Complaint{}
	for _, c := range p.in.Complaints {
		live[c.ID] = c
	}
	var removed []domain.Complaint
	var last analytics.ClusterOptions
	for step := range 45 {
		again := step%3 == 0 // every third step asks again without an edit
		if !again {
			removed = edit(r, ix, p, live, removed)
		}
		for k := range 3 {
			opts := clusterAsk(r, p.now)
			if again && k == 0 {
				opts = last
			}
			hits := ix.ClusterCacheHits()
			got, want := ix.Clusters(opts), ix.ReferenceClusters(opts)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d, %+v: %d clusters, the reference %d", step, opts, len(got), len(want))
			}
			if again && k == 0 && step > 0 && ix.ClusterCacheHits() == hits {
				t.Fatalf("step %d, %+v asked again with no edit: nothing from the cache", step, opts)
			}
			if len(got) > 0 { // a caller changing its answer changes no later one
				got[0].Complaints[0], got[0].TopTerms[0].Term = "changed", "changed"
			}
			last = opts
		}
	}
}

// clusterAsk is a dashboard's or a report's period (90 days or 12 months,
// ending now or a few hours earlier) with its options.
func clusterAsk(r *rand.Rand, now time.Time) analytics.ClusterOptions {
	to := now.Add(-time.Duration(r.IntN(3)) * 6 * time.Hour)
	opts := []analytics.ClusterOptions{{SameSupplier: true}, {SameSupplier: true}, {}, {SameSupplier: true, Threshold: 0.3, MinSize: 3}}[r.IntN(4)]
	opts.From, opts.To = to.AddDate(0, 0, -[]int{90, 365}[r.IntN(2)]), to
	return opts
}

// edit changes one complaint of the index the way events would.
func edit(r *rand.Rand, ix *analytics.Index, p *genPlant, live map[string]domain.Complaint, removed []domain.Complaint) []domain.Complaint {
	c := p.in.Complaints[r.IntN(len(p.in.Complaints))]
	if cur, ok := live[c.ID]; ok {
		c = cur
	}
	switch r.IntN(6) {
	case 0: // filed now
		c.ID, c.FiledAt = c.ID+"-new", p.now.Add(-time.Duration(r.IntN(48))*time.Hour)
	case 1: // its description rewritten with another's
		c.Description = p.in.Complaints[r.IntN(len(p.in.Complaints))].Description
	case 2:
		c.Status = domain.StatusRejected
	case 3:
		c.Status = domain.StatusWithdrawn
	case 4:
		c.Status = domain.StatusInvestigating
	case 5:
		if len(removed) > 0 && r.IntN(2) == 0 {
			c, removed = removed[len(removed)-1], removed[:len(removed)-1]
			break
		}
		ix.Remove(c.ID)
		delete(live, c.ID)
		return append(removed, c)
	}
	ix.Add(&c)
	live[c.ID] = c
	return removed
}
