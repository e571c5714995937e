package analytics

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
)

// ClusterOptions chooses the complaints to group and how close they must
// be. Zero fields take their defaults.
type ClusterOptions struct {
	// From and To bound the filing time, [From, To); zero is open. A
	// dashboard passes the last 90 days.
	From, To time.Time
	// Threshold is the cosine similarity from which two complaints are
	// linked. Default 0.5.
	Threshold float64
	// MinSize is the smallest group returned. Default 2.
	MinSize int
	// SameSupplier links only complaints against the same supplier
	// station: a recurring problem of one station rather than a word two
	// stations happen to share.
	SameSupplier bool
	// TopTerms is how many terms describe a cluster. Default 5.
	TopTerms int
}

func (o ClusterOptions) withDefaults() ClusterOptions {
	if o.Threshold <= 0 {
		o.Threshold = 0.5
	}
	if o.MinSize <= 0 {
		o.MinSize = 2
	}
	if o.TopTerms <= 0 {
		o.TopTerms = 5
	}
	return o
}

// Cluster is a group of complaints describing the same problem.
type Cluster struct {
	Complaints       []string     `json:"complaints"` // by (FiledAt, ID)
	SupplierStations []Count      `json:"supplier_stations"`
	First            time.Time    `json:"first"`
	Last             time.Time    `json:"last"`
	TopTerms         []TermWeight `json:"top_terms"`
}

// TermWeight is a term with its weight in a group of complaints.
type TermWeight struct {
	Term   string  `json:"term"`  // the stem, as indexed
	Label  string  `json:"label"` // its most frequent surface form
	Weight float64 `json:"weight"`
}

// Clusters groups the countable complaints (not rejected, duplicate or
// withdrawn) filed in the period by single-link clustering: two complaints
// whose similarity reaches the threshold are in the same cluster, and so,
// link by link, are their neighbours. The groups depend only on the set of
// complaints, not on any order. Clusters come largest first, then by their
// first filing and first id; each is described by the terms with the
// largest sum of normalised weights over its members. The groups of a
// supplier station are kept until the index changes (cluster_cache.go).
func (ix *Index) Clusters(opts ClusterOptions) []Cluster {
	opts = opts.withDefaults()
	ix.rlockFresh()
	defer ix.mu.RUnlock()
	parts := ix.clusterPartitions(opts)
	groups, found := ix.cachedGroups(parts, opts, ix.generation)
	if slices.Contains(found, false) {
		ix.clusterPartitionsOnEveryCore(parts, groups, found, opts)
		ix.keepGroups(parts, groups, found, opts, ix.generation)
	}
	var out []Cluster
	for _, cs := range groups {
		for _, c := range cs {
			out = append(out, c.cloned())
		}
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		return cmp.Or(cmp.Compare(len(b.Complaints), len(a.Complaints)), a.First.Compare(b.First),
			strings.Compare(a.Complaints[0], b.Complaints[0]))
	})
	return out
}

// clusterPartitions selects the complaints and splits them by supplier
// when only same-supplier links count, each part by (FiledAt, ID).
func (ix *Index) clusterPartitions(opts ClusterOptions) [][]uint32 {
	order := ix.docsInOrder(ix.generation)
	lo, hi := 0, len(order)
	if !opts.From.IsZero() {
		lo, _ = slices.BinarySearchFunc(order, opts.From, ix.filedBefore)
	}
	if !opts.To.IsZero() {
		hi, _ = slices.BinarySearchFunc(order, opts.To, ix.filedBefore)
	}
	parts := map[string][]uint32{}
	for _, s := range order[lo:max(lo, hi)] {
		d := &ix.docs[s]
		if !countableStatus(d) {
			continue
		}
		key := ""
		if opts.SameSupplier {
			key = d.supplier
		}
		parts[key] = append(parts[key], s)
	}
	out := make([][]uint32, 0, len(parts))
	for _, k := range sortedKeys(parts) {
		out = append(out, parts[k])
	}
	return out
}

// filedBefore compares a complaint's filing with t, for the binary
// searches of a period's bounds ([From, To)).
func (ix *Index) filedBefore(s uint32, t time.Time) int {
	return ix.docs[s].filedAt.Compare(t)
}

// countableStatus is countable (dataset.go) for an indexed complaint.
func countableStatus(d *docEntry) bool {
	switch d.status {
	case domain.StatusRejected, domain.StatusDuplicate, domain.StatusWithdrawn:
		return false
	}
	return true
}

func (ix *Index) compareDocs(a, b uint32) int {
	da, db := &ix.docs[a], &ix.docs[b]
	if c := da.filedAt.Compare(db.filedAt); c != 0 {
		return c
	}
	return strings.Compare(da.id, db.id)
}

// groups lists the groups of the part with at least MinSize complaints.
// A group's root is its first position (union by index), so the groups
// come in the order of their first complaint, and each lists its members
// in the part's (FiledAt, ID) order.
func (ix *Index) groups(part []uint32, uf *unionFind, opts ClusterOptions, sc *describeScratch) []Cluster {
	root := make([]int32, len(part))
	first := make([]int32, len(part)) // by root: its size, then where its members start
	for i := range part {
		root[i] = int32(uf.find(i))
		first[root[i]]++
	}
	start := int32(0)
	for r, n := range first {
		first[r] = start
		start += n
	}
	members := make([]uint32, len(part))
	end := slices.Clone(first) // by root: where its next member goes
	for i, s := range part {
		members[end[root[i]]] = s
		end[root[i]]++
	}
	var out []Cluster
	for r := range part {
		if m := members[first[r]:end[r]]; len(m) >= opts.MinSize {
			out = append(out, ix.describe(m, opts.TopTerms, sc))
		}
	}
	return out
}

// describeScratch holds the sums of a group's term weights, by term id.
type describeScratch struct {
	sum    []float64
	summed []uint32 // the terms with a sum
	ranked []TermWeight
}

func (ix *Index) newDescribeScratch() *describeScratch {
	return &describeScratch{sum: make([]float64, len(ix.terms))}
}

func (ix *Index) describe(members []uint32, top int, sc *describeScratch) Cluster {
	c := Cluster{First: ix.docs[members[0]].filedAt, Last: ix.docs[members[len(members)-1]].filedAt,
		Complaints: make([]string, len(members))}
	suppliers := counter{}
	for k, s := range members {
		d := &ix.docs[s]
		c.Complaints[k] = d.id
		suppliers[d.supplier]++
		for _, dt := range d.terms {
			if sc.sum[dt.id] == 0 {
				sc.summed = append(sc.summed, dt.id)
			}
			sc.sum[dt.id] += float64(dt.ltf) * ix.terms[dt.id].idf / d.norm
		}
	}
	c.SupplierStations = suppliers.byCount()
	if len(sc.summed) > 0 { // none: a complaint alone with no term (MinSize 1)
		sc.ranked = sc.ranked[:0]
		for _, id := range sc.summed {
			sc.ranked = append(sc.ranked, TermWeight{Term: ix.terms[id].text, Weight: sc.sum[id]})
			sc.sum[id] = 0
		}
		sc.summed = sc.summed[:0]
		slices.SortFunc(sc.ranked, func(a, b TermWeight) int {
			return cmp.Or(cmp.Compare(b.Weight, a.Weight), strings.Compare(a.Term, b.Term))
		})
		c.TopTerms = slices.Clone(sc.ranked[:min(top, len(sc.ranked))])
	}
	for i := range c.TopTerms {
		c.TopTerms[i].Label = ix.label(ix.termID[c.TopTerms[i].Term])
		c.TopTerms[i].Weight = math.Round(c.TopTerms[i].Weight*1e6) / 1e6
	}
	return c
}

// unionFind is a disjoint-set forest with path halving and union by index:
// the root is always the smallest position, so that groups do not depend
// on the order of the unions.
type unionFind struct{ parent []int }

func newUnionFind(n int) *unionFind {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return &unionFind{p}
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	switch {
	case ra < rb:
		u.parent[rb] = ra
	case rb < ra:
		u.parent[ra] = rb
	}
}
