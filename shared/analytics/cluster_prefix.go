package analytics

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Clustering links two complaints whose cosine reaches the threshold t.
// Scoring every pair that shares a word is quadratic in the complaints
// holding a common word (a plant's "rayure", or one defect written ten
// thousand times), so the pairs are found the way all-pairs similarity
// search does (Bayardo, Ma and Srikant, "Scaling up all pairs similarity
// search", 2007), with the same answer:
//
// Order the terms of the part, most frequent first. Each complaint's unit
// vector y splits into a prefix, its most frequent terms for as long as
// both |prefix| and Σ y(t)·maxweight(t) over the prefix stay under t
// (maxweight(t) is the largest share t has in any complaint of the part),
// and the rest, which is indexed. A later complaint x looks up every one
// of its terms in that index: a pair it does not meet shares terms only
// in y's prefix, and those add less than t to the cosine (Cauchy-Schwarz,
// or x(t) ≤ maxweight(t)). So only the pairs met are scored, each as
// before, over all its terms, in the same order: the same sum to the last
// bit. A pair already in one group is not scored at all: single-link
// groups are the connected parts of the links, which that link would not
// change.
//
// Most pairs met are far from t. x adds up, as it meets y, the share of
// y's indexed terms in their cosine, then y's prefix terms' share (y keeps
// its prefix): a pair whose estimate is more than linkMargin from t is
// decided on it, only the others are scored as before. The estimate sums
// in another order, with the indexed shares in float32: it errs by under
// 1e-7, far inside the margin, so every pair is decided as its score
// decides it.

// prefixMargin keeps the prefix's bound safely under the threshold: the
// bound holds for the exact cosines, which the computed ones approach to
// about 1e-15.
const prefixMargin = 1e-9

// linkMargin is how far from the threshold an estimate must be to decide
// a pair without its score.
const linkMargin = 1e-6

// clusterScratch holds the arrays by term id one Clusters call reuses for
// each of its parts.
type clusterScratch struct {
	df       []int32   // by term: complaints of the part holding it
	maxw     []float64 // by term: its largest share of a complaint's unit vector
	indexed  [][]share // by term: positions whose indexed rest holds it, increasing
	weight   []float64 // by term: the current complaint's ltf·idf
	holder   []int32   // by term: position + 1 of the complaint weight is about
	touched  []uint32  // terms with a non-empty indexed list
	describe *describeScratch
	ordered  []orderTerm
}

// share is a term's share of a complaint's unit vector: in an indexed
// list, pos is the complaint's position; in a prefix, the term's id.
type share struct {
	pos uint32
	u   float32
}

type orderTerm struct {
	id uint32
	df int32
	u  float64 // the term's share of the unit vector
}

func (ix *Index) newClusterScratch() *clusterScratch {
	n := len(ix.terms)
	return &clusterScratch{df: make([]int32, n), maxw: make([]float64, n), indexed: make([][]share, n),
		weight: make([]float64, n), holder: make([]int32, n), describe: ix.newDescribeScratch()}
}

// clusterPart is one part's complaints with their weights (ltf·idf) in
// term order, as the pairs are scored.
type clusterPart struct {
	start []int32 // by position: its terms are terms[start[i]:start[i+1]]
	terms []weightedTerm
	norm  []float64
	// by position, once its turn has passed: its prefix's terms are
	// prefix[prefixStart[i]:prefixStart[i+1]]
	prefixStart []int32
	prefix      []share
}

type weightedTerm struct {
	id uint32
	a  float64
}

// clusterPartitionsOnEveryCore groups each part not found yet on its
// own, the largest first, on every core, into groups (by part).
func (ix *Index) clusterPartitionsOnEveryCore(parts [][]uint32, groups [][]Cluster, found []bool, opts ClusterOptions) {
	var order []int
	for i := range parts {
		if !found[i] {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(parts[b]), len(parts[a])) })
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Go(func() {
			sc := ix.newClusterScratch()
			for k := int(next.Add(1) - 1); k < len(order); k = int(next.Add(1) - 1) {
				groups[order[k]] = ix.clusterPartition(parts[order[k]], opts, sc)
			}
		})
	}
	wg.Wait()
}

// clusterPartition links every pair of the part reaching the threshold
// and returns its groups.
func (ix *Index) clusterPartition(part []uint32, opts ClusterOptions, sc *clusterScratch) []Cluster {
	cp := ix.weighPart(part, sc)
	uf := newUnionFind(len(part))
	met := make([]int32, len(part))   // position + 1 of the complaint that last met it
	acc := make([]float64, len(part)) // the share of its indexed terms met
	var candidates []uint32
	for i := range part {
		cur := int32(i + 1)
		candidates = candidates[:0]
		for _, t := range cp.terms[cp.start[i]:cp.start[i+1]] {
			sc.weight[t.id], sc.holder[t.id] = t.a, cur
			u := t.a / cp.norm[i]
			for _, e := range sc.indexed[t.id] {
				if met[e.pos] != cur {
					met[e.pos], acc[e.pos] = cur, 0
					candidates = append(candidates, e.pos)
				}
				acc[e.pos] += float64(e.u) * u
			}
		}
		for _, j := range candidates {
			if uf.find(int(j)) != uf.find(i) && cp.links(int32(j), int32(i), acc[j], opts.Threshold, sc) {
				uf.union(int(j), i)
			}
		}
		for _, t := range cp.rest(int32(i), opts.Threshold, sc) {
			if len(sc.indexed[t.id]) == 0 {
				sc.touched = append(sc.touched, t.id)
			}
			sc.indexed[t.id] = append(sc.indexed[t.id], share{uint32(i), float32(t.u)})
		}
	}
	sc.reset(cp)
	return ix.groups(part, uf, opts, sc.describe)
}

// weighPart lists the part's weights and counts its terms.
func (ix *Index) weighPart(part []uint32, sc *clusterScratch) *clusterPart {
	n := 0
	for _, s := range part {
		n += len(ix.docs[s].terms)
	}
	cp := &clusterPart{start: make([]int32, len(part)+1), terms: make([]weightedTerm, 0, n), norm: make([]float64, len(part)),
		prefixStart: make([]int32, len(part)+1)}
	for i, s := range part {
		d := &ix.docs[s]
		cp.norm[i] = d.norm
		for _, dt := range d.terms {
			a := float64(float64(dt.ltf) * ix.terms[dt.id].idf)
			cp.terms = append(cp.terms, weightedTerm{dt.id, a})
			sc.df[dt.id]++
			sc.maxw[dt.id] = max(sc.maxw[dt.id], a/d.norm)
		}
		cp.start[i+1] = int32(len(cp.terms))
	}
	return cp
}

// links decides whether the earlier complaint j and the current one i
// reach the threshold, from the share of j's indexed terms met and j's
// prefix; only when that is within linkMargin of it, from their score.
func (cp *clusterPart) links(j, i int32, indexed, threshold float64, sc *clusterScratch) bool {
	var prefix float64
	for _, t := range cp.prefix[cp.prefixStart[j]:cp.prefixStart[j+1]] {
		if sc.holder[t.pos] == i+1 {
			prefix += float64(t.u) * sc.weight[t.pos]
		}
	}
	switch estimate := indexed + prefix/cp.norm[i]; {
	case estimate < threshold-linkMargin:
		return false
	case estimate >= threshold+linkMargin:
		return true
	}
	return cp.score(j, i, sc) >= threshold
}

// score is the cosine of the earlier complaint j with the current one i,
// whose weights are in the scratch: the sum runs over j's terms in their
// order, as the scoring of every pair did.
func (cp *clusterPart) score(j, i int32, sc *clusterScratch) float64 {
	var acc float64
	for _, t := range cp.terms[cp.start[j]:cp.start[j+1]] {
		if sc.holder[t.id] == i+1 {
			acc += float64(t.a * sc.weight[t.id]) // float64(): no fused multiply-add
		}
	}
	return acc / (cp.norm[j] * cp.norm[i])
}

// rest returns the complaint's terms past its prefix (see above) and
// keeps its prefix.
func (cp *clusterPart) rest(i int32, threshold float64, sc *clusterScratch) []orderTerm {
	sc.ordered = sc.ordered[:0]
	for _, t := range cp.terms[cp.start[i]:cp.start[i+1]] {
		sc.ordered = append(sc.ordered, orderTerm{t.id, sc.df[t.id], t.a / cp.norm[i]})
	}
	slices.SortFunc(sc.ordered, func(a, b orderTerm) int { return cmp.Or(cmp.Compare(b.df, a.df), cmp.Compare(a.id, b.id)) })
	limit := threshold - prefixMargin
	prefix, norm2, maxDot := 0, 0.0, 0.0
	for ; prefix < len(sc.ordered); prefix++ {
		t := sc.ordered[prefix]
		n2, md := norm2+t.u*t.u, maxDot+t.u*sc.maxw[t.id]
		if min(math.Sqrt(n2), md) >= limit {
			break
		}
		norm2, maxDot = n2, md
	}
	for _, t := range sc.ordered[:prefix] {
		cp.prefix = append(cp.prefix, share{t.id, float32(t.u)})
	}
	cp.prefixStart[i+1] = int32(len(cp.prefix))
	return sc.ordered[prefix:]
}

func (sc *clusterScratch) reset(cp *clusterPart) {
	for _, t := range cp.terms {
		sc.df[t.id], sc.maxw[t.id], sc.holder[t.id] = 0, 0, 0
	}
	for _, t := range sc.touched {
		sc.indexed[t] = sc.indexed[t][:0]
	}
	sc.touched = sc.touched[:0]
}
