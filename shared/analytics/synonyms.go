package analytics

import (
	"cmp"
	"slices"
)

// A failure is told several ways — "sous-ensemble retourné", "orientation
// inversée", "pièce montée à l'envers" — and a new complaint often uses a
// wording its problem has not met yet, although another problem of the
// same kind has (the same failure on another part, its own problem). The
// problems found, which the causes and the engineers' decisions hold
// together, are the plant's own evidence of which words tell one failure:
// two words that the heaviest words of several problems hold together are
// associated, P(b | a) being the share of the problems holding a that
// hold b too. A description being proposed a problem is widened with the
// words associated with its own (weighed by that share and synonymWeight)
// before it is compared; the problems are found on the words as written.
// Nothing is learnt from outside the dataset.

// Association limits.
const (
	synonymTerms   = 8    // the heaviest words of a problem's description that count
	synonymMinCo   = 1    // problems that must hold both words
	synonymMinP    = 0.25 // P(b | a) from which b is associated with a
	synonymWeight  = 0.5  // an associated word's share of the word it comes from
	synonymPerTerm = 4    // associated words kept per word, strongest first
)

// learnSynonyms computes the associations of the words from the problems
// of two complaints or more.
func (ps *Problems) learnSynonyms(list []*problemState) {
	df := map[uint32]int32{}
	co := map[[2]uint32]int32{}
	var top vec
	for _, st := range list {
		if len(st.members) < 2 {
			continue
		}
		top = append(top[:0], st.text.v...)
		slices.SortFunc(top, func(a, b tw) int { return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(a.id, b.id)) })
		top = top[:min(len(top), synonymTerms)]
		for i, a := range top {
			df[a.id]++
			for _, b := range top[i+1:] {
				co[[2]uint32{min(a.id, b.id), max(a.id, b.id)}]++
			}
		}
	}
	ps.synonyms = map[uint32]vec{}
	for pair, n := range co {
		if n < synonymMinCo {
			continue
		}
		for k := range 2 {
			a, b := pair[k], pair[1-k]
			if p := float32(n) / float32(df[a]); p >= synonymMinP {
				ps.synonyms[a] = append(ps.synonyms[a], tw{b, p})
			}
		}
	}
	for a, l := range ps.synonyms {
		slices.SortFunc(l, func(x, y tw) int { return cmp.Or(cmp.Compare(y.w, x.w), cmp.Compare(x.id, y.id)) })
		ps.synonyms[a] = l[:min(len(l), synonymPerTerm)]
	}
}

// widen adds to a unit description vector the words associated with its
// own that it lacks, and normalises it again.
func (ps *Problems) widen(v vec) vec {
	if len(ps.synonyms) == 0 || len(v) == 0 {
		return v
	}
	var add vec // the associated words lacking, each as often as it comes
	for _, t := range v {
		for _, s := range ps.synonyms[t.id] {
			if _, held := slices.BinarySearchFunc(v, s.id, func(x tw, id uint32) int { return cmp.Compare(x.id, id) }); !held {
				add = append(add, tw{s.id, synonymWeight * t.w * s.w})
			}
		}
	}
	if len(add) == 0 {
		return v
	}
	slices.SortFunc(add, func(a, b tw) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(b.w, a.w)) })
	out := make(vec, len(v), len(v)+len(add))
	copy(out, v)
	for k, a := range add {
		if k == 0 || a.id != add[k-1].id { // the strongest of each word
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b tw) int { return cmp.Compare(a.id, b.id) })
	n := float32(norm(out))
	for i := range out {
		out[i].w /= n
	}
	return out
}
