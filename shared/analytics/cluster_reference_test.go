package analytics

import (
	"cmp"
	"math"
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
	return ix.referenceGroups(part, uf, opts)
}

// referenceGroups and referenceDescribe are groups and describe as they
// were before their scratch arrays.
func (ix *Index) referenceGroups(part []uint32, uf *unionFind, opts ClusterOptions) []Cluster {
	members := map[int][]uint32{}
	var roots []int
	for i, s := range part { // part is in (FiledAt, ID) order, and so is each group
		r := uf.find(i)
		if members[r] == nil {
			roots = append(roots, r)
		}
		members[r] = append(members[r], s)
	}
	var out []Cluster
	for _, r := range roots {
		if m := members[r]; len(m) >= opts.MinSize {
			out = append(out, ix.referenceDescribe(m, opts.TopTerms))
		}
	}
	return out
}

func (ix *Index) referenceDescribe(members []uint32, top int) Cluster {
	c := Cluster{First: ix.docs[members[0]].filedAt, Last: ix.docs[members[len(members)-1]].filedAt}
	weights := map[uint32]float64{}
	suppliers := counter{}
	for _, s := range members {
		d := &ix.docs[s]
		c.Complaints = append(c.Complaints, d.id)
		suppliers[d.supplier]++
		for _, dt := range d.terms {
			weights[dt.id] += float64(dt.ltf) * ix.terms[dt.id].idf / d.norm
		}
	}
	c.SupplierStations = suppliers.byCount()
	for id, w := range weights {
		c.TopTerms = append(c.TopTerms, TermWeight{Term: ix.terms[id].text, Weight: w})
	}
	slices.SortFunc(c.TopTerms, func(a, b TermWeight) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), strings.Compare(a.Term, b.Term))
	})
	c.TopTerms = c.TopTerms[:min(top, len(c.TopTerms))]
	for i := range c.TopTerms {
		c.TopTerms[i].Label = ix.label(ix.termID[c.TopTerms[i].Term])
		c.TopTerms[i].Weight = math.Round(c.TopTerms[i].Weight*1e6) / 1e6
	}
	return c
}
