package analytics

import (
	"cmp"
	"slices"
	"strings"
)

// ReferenceClusters is Clusters scoring every pair of complaints that
// share a term, as it did before the prefix filter (cluster_prefix.go):
// kept to check that the fast one gives the same groups.
func (ix *Index) ReferenceClusters(opts ClusterOptions) []Cluster {
	opts = opts.withDefaults()
	ix.rlockFresh()
	defer ix.mu.RUnlock()
	var out []Cluster
	for _, part := range ix.clusterPartitions(opts) {
		out = append(out, ix.referenceClusterPartition(part, opts)...)
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		return cmp.Or(cmp.Compare(len(b.Complaints), len(a.Complaints)), a.First.Compare(b.First),
			strings.Compare(a.Complaints[0], b.Complaints[0]))
	})
	return out
}

// referenceClusterPartition is clusterPartition as it was before the
// prefix filter: it links every pair of the part above the threshold,
// through postings restricted to the part, and returns its groups.
func (ix *Index) referenceClusterPartition(part []uint32, opts ClusterOptions) []Cluster {
	type subPosting struct {
		pos int32 // position in part
		ltf float32
	}
	postings := map[uint32][]subPosting{} // by increasing position
	for i, s := range part {
		for _, dt := range ix.docs[s].terms {
			postings[dt.id] = append(postings[dt.id], subPosting{int32(i), dt.ltf})
		}
	}
	uf := newUnionFind(len(part))
	acc := make([]float64, len(part))
	var touched []int32
	for i, s := range part {
		d := &ix.docs[s]
		for _, dt := range d.terms {
			idf := ix.terms[dt.id].idf
			wi := float64(float64(dt.ltf) * idf)
			ps := postings[dt.id]
			// only later positions: each pair is scored once, from its first member
			k, _ := slices.BinarySearchFunc(ps, int32(i)+1, func(p subPosting, t int32) int { return cmp.Compare(p.pos, t) })
			for _, p := range ps[k:] {
				if acc[p.pos] == 0 {
					touched = append(touched, p.pos)
				}
				acc[p.pos] += float64(wi * float64(float64(p.ltf)*idf))
			}
		}
		for _, j := range touched {
			if acc[j]/(d.norm*ix.docs[part[j]].norm) >= opts.Threshold {
				uf.union(i, int(j))
			}
			acc[j] = 0
		}
		touched = touched[:0]
	}
	return ix.groups(part, uf, opts)
}
