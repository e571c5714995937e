package analytics

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"boucle/shared/domain"
)

// The problem proposal compares descriptions (and causes) with the same
// TF-IDF weights as the Index (docs/kpis.md, "Similar complaints"):
// w(t,d) = (1 + ln tf) · idf(t), idf(t) = ln((1+N)/(1+df(t))) + 1, over
// the dataset's complaints, vectors normalised to unit length. The index
// is built for look-ups while people type; the proposal needs every
// complaint's vector at once, in a compact form, so it builds its own.

// tw is one weighted term of a vector.
type tw struct {
	id uint32
	w  float32
}

// vec is a sparse vector, sorted by term id.
type vec []tw

// dot is the scalar product of two sorted vectors. float64 sums, no fused
// multiply-add: the same result on every CPU.
func dot(a, b vec) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			s += float64(float64(a[i].w) * float64(b[j].w))
			i++
			j++
		}
	}
	return s
}

func norm(v vec) float64 {
	var s float64
	for _, t := range v {
		s += float64(float64(t.w) * float64(t.w))
	}
	return math.Sqrt(s)
}

// termCount is a term of a text with its count.
type termCount struct {
	term string
	form string // first surface form met, for people
	n    int32
}

// countTerms runs the text pipeline (see Terms), maps English words to
// their French counterpart (lexicon.go) and counts each term, sorted by
// term.
func countTerms(texts ...string) []termCount {
	var out []termCount
	for _, text := range texts {
		tokenize(text, func(t token) { out = append(out, termCount{concept(t.term), t.form, 1}) })
	}
	slices.SortStableFunc(out, func(a, b termCount) int { return strings.Compare(a.term, b.term) })
	w := 0
	for i := range out {
		if w > 0 && out[w-1].term == out[i].term {
			out[w-1].n++
			continue
		}
		out[w] = out[i]
		w++
	}
	return out[:w]
}

// textModel numbers the terms of a dataset and holds their idf.
type textModel struct {
	ids   map[string]uint32
	terms []string // by term id
	forms []string // by term id: the first surface form met
	df    []int32
	idf   []float64
	n     int

	written [][]string // by term id: its written forms, accents folded (at most maxWritten, the first in byte order)
	slips   slipIndex  // built on the first query (proposal_typos.go)
}

// complaintTexts are one complaint's counted terms: its description and
// its cause (the 5 whys and the root cause).
type complaintTexts struct {
	desc, cause []termCount
}

func causeTexts(c *domain.Complaint) []string {
	if c.RootCause == "" && len(c.Whys) == 0 {
		return nil
	}
	return append([]string{c.RootCause}, c.Whys...)
}

// buildTextModel counts the terms of every complaint and returns the
// model and the vectors by position. Terms are numbered in alphabetical
// order, which every replica finds alike, so that each core can count its
// share of the complaints on its own.
func buildTextModel(cs []*domain.Complaint) (*textModel, []vec, []vec) {
	texts := make([]complaintTexts, len(cs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(cs)/1000+1))
	type seen struct {
		df      int32
		first   int    // position where the term was first met
		form    string // its surface form there
		written []string
	}
	local := make([]map[string]*seen, workers)
	forEach := func(work func(w, i int)) {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(cs); i += workers {
					work(w, i)
				}
			})
		}
		wg.Wait()
	}
	forEach(func(w, i int) {
		if local[w] == nil {
			local[w] = map[string]*seen{}
		}
		texts[i] = complaintTexts{desc: countTerms(cs[i].Description), cause: countTerms(causeTexts(cs[i])...)}
		for _, list := range [2][]termCount{texts[i].desc, texts[i].cause} {
			for _, t := range list {
				x := local[w][t.term]
				if x != nil {
					x.df++
				} else {
					x = &seen{df: 1, first: i, form: t.form}
					local[w][t.term] = x
				}
				x.written = addWritten(x.written, t.form)
			}
		}
	})
	all := map[string]*seen{}
	for _, l := range local {
		for term, x := range l {
			if y := all[term]; y == nil {
				all[term] = x
			} else {
				y.df += x.df
				if x.first < y.first {
					y.first, y.form = x.first, x.form
				}
				for _, f := range x.written {
					y.written = addWritten(y.written, f)
				}
			}
		}
	}
	m := &textModel{ids: make(map[string]uint32, len(all)), n: len(cs)}
	for _, term := range sortedKeys(all) {
		m.ids[term] = uint32(len(m.forms))
		m.terms = append(m.terms, term)
		m.forms = append(m.forms, all[term].form)
		m.df = append(m.df, all[term].df)
		m.written = append(m.written, all[term].written)
	}
	m.idf = make([]float64, len(m.df))
	for i, df := range m.df {
		m.idf[i] = math.Log((1+float64(m.n))/(1+float64(df))) + 1
	}
	spec := m.specificity(cs, texts)
	m.designations(cs, spec)
	for i := range m.idf {
		m.idf[i] *= spec[i]
	}
	desc, cause := make([]vec, len(cs)), make([]vec, len(cs))
	forEach(func(_, i int) { desc[i], cause[i] = m.vector(texts[i].desc), m.vector(texts[i].cause) })
	return m, desc, cause
}

// vector weighs counted terms and normalises; a term the model does not
// know (a query's new word) weighs as one held by no complaint, and is
// left out of the vector after counting in its norm: it can match nothing.
func (m *textModel) vector(ts []termCount) vec {
	if len(ts) == 0 {
		return nil
	}
	v := make(vec, 0, len(ts))
	var sum float64
	for _, t := range ts {
		id, known := m.ids[t.term]
		idf := math.Log(1+float64(m.n)) + 1
		if known {
			idf = m.idf[id]
		}
		w := (1 + math.Log(float64(t.n))) * idf
		sum += float64(w * w)
		if known {
			v = append(v, tw{id, float32(w)})
		}
	}
	n := math.Sqrt(sum)
	for i := range v {
		v[i].w = float32(float64(v[i].w) / n)
	}
	slices.SortFunc(v, func(a, b tw) int { return int(int64(a.id) - int64(b.id)) })
	return v
}

// centroid is the sum of a problem's member vectors, kept to its
// centroidTerms heaviest terms so that comparing stays cheap however large
// the problem grows.
type centroid struct {
	v     vec
	spare vec // the other buffer: add merges into it, then swaps
	norm  float64
}

const centroidTerms = 32

// add sums x into the centroid.
func (c *centroid) add(x vec) {
	if len(x) == 0 {
		return
	}
	out := c.spare[:0]
	if cap(out) < len(c.v)+len(x) {
		out = make(vec, 0, max(len(c.v)+len(x), 2*cap(out)))
	}
	i, j := 0, 0
	for i < len(c.v) || j < len(x) {
		switch {
		case j == len(x) || (i < len(c.v) && c.v[i].id < x[j].id):
			out = append(out, c.v[i])
			i++
		case i == len(c.v) || x[j].id < c.v[i].id:
			out = append(out, x[j])
			j++
		default:
			out = append(out, tw{c.v[i].id, c.v[i].w + x[j].w})
			i++
			j++
		}
	}
	if len(out) > centroidTerms {
		slices.SortFunc(out, func(a, b tw) int {
			if a.w != b.w {
				if a.w > b.w {
					return -1
				}
				return 1
			}
			return int(int64(a.id) - int64(b.id))
		})
		out = out[:centroidTerms]
		slices.SortFunc(out, func(a, b tw) int { return int(int64(a.id) - int64(b.id)) })
	}
	c.v, c.spare, c.norm = out, c.v, norm(out)
}

// cosine of a unit vector with the centroid, or -1 when either is empty
// (nothing to compare).
func (c *centroid) cosine(x vec) float64 {
	if len(x) == 0 || c.norm == 0 {
		return -1
	}
	return min(dot(x, c.v)/c.norm, 1)
}

// shared lists the surface forms of the terms x shares with the centroid,
// heaviest contribution first, at most n.
func (c *centroid) shared(m *textModel, x vec, n int) []string {
	type contrib struct {
		id uint32
		v  float32
	}
	var cs []contrib
	i, j := 0, 0
	for i < len(x) && j < len(c.v) {
		switch {
		case x[i].id < c.v[j].id:
			i++
		case x[i].id > c.v[j].id:
			j++
		default:
			cs = append(cs, contrib{x[i].id, x[i].w * c.v[j].w})
			i++
			j++
		}
	}
	slices.SortFunc(cs, func(a, b contrib) int {
		if a.v != b.v {
			if a.v > b.v {
				return -1
			}
			return 1
		}
		return int(int64(a.id) - int64(b.id))
	})
	out := make([]string, 0, min(n, len(cs)))
	for _, x := range cs[:min(n, len(cs))] {
		out = append(out, m.forms[x.id])
	}
	return out
}

// specificity weighs each term by how much it says about the kind of
// defect: 1 − H(category | term) / H(category), the entropy of the
// categories of the complaints holding it against that of all the
// complaints. Words of the circumstances — where it was found, what it
// stopped, how many bins — come with every kind of defect and weigh
// little however rare they are; a word of a symptom comes with one or two
// categories and keeps its weight. The categories are the data's own (the
// filing form asks for one), nothing learnt from outside. A floor keeps a
// spread word from vanishing altogether.
func (m *textModel) specificity(cs []*domain.Complaint, texts []complaintTexts) []float64 {
	cats := map[string]int{}
	catOf := make([]int, len(cs))
	for i, c := range cs {
		k, ok := cats[c.Category]
		if !ok {
			k = len(cats)
			cats[c.Category] = k
		}
		catOf[i] = k
	}
	spec := make([]float64, len(m.df))
	for i := range spec {
		spec[i] = 1
	}
	if len(cats) < 2 {
		return spec
	}
	counts := make([][]int32, len(m.df))
	all := make([]int32, len(cats))
	for i := range cs {
		all[catOf[i]]++
		for _, list := range [2][]termCount{texts[i].desc, texts[i].cause} {
			for _, t := range list {
				id := m.ids[t.term]
				if counts[id] == nil {
					counts[id] = make([]int32, len(cats))
				}
				counts[id][catOf[i]]++
			}
		}
	}
	hAll := entropy(all)
	if hAll == 0 {
		return spec
	}
	for id, c := range counts {
		spec[id] = max(specificityFloor, 1-entropy(c)/hAll)
	}
	return spec
}

// designations lowers the weight of the words people write in the part
// field after the reference ("BRK-2041 Support moteur"): the part's
// designation, which the description repeats to say on which part, not
// what went wrong. The part is compared on its own.
func (m *textModel) designations(cs []*domain.Complaint, spec []float64) {
	seen := map[string]bool{}
	for _, c := range cs {
		if c.PartRef == "" || seen[c.PartRef] {
			continue
		}
		seen[c.PartRef] = true
		tokenize(c.PartRef, func(t token) {
			if id, ok := m.ids[concept(t.term)]; ok {
				spec[id] = min(spec[id], designationWeight)
			}
		})
	}
}

const designationWeight = 0.1

const specificityFloor = 0.1

func entropy(counts []int32) float64 {
	var n float64
	for _, c := range counts {
		n += float64(c)
	}
	var h float64
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log(p)
		}
	}
	return h
}
