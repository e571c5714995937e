package analytics

import (
	"cmp"
	"container/heap"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"boucle/shared/domain"
)

// Index finds complaints similar to a text: TF-IDF vectors compared by
// cosine similarity, over the terms of the description (see Terms) plus the
// part reference and the lot as two exact terms ("part=P-100", "lot=L7").
//
// Weights: w(t,d) = b(t) · (1 + ln tf(t,d)) · idf(t), idf(t) = ln((1+N)/(1+df(t))) + 1,
// with N the number of complaints indexed, df(t) the number holding t and
// b(t) = ExactTermWeight for the part and lot terms, 1 for words; the score
// is Σ w(t,q)·w(t,d) / (|q|·|d|), between 0 and 1.
//
// Look-ups go through an inverted index (term → complaints holding it) and
// score only the complaints sharing a term with the query. A very common
// term (held by more than CommonTermShare of the complaints and more than
// CommonTermMin of them) does not bring candidates of its own, since a
// complaint sharing only such words with the query scores low anyway; it
// still counts in the score of the candidates the other terms bring.
//
// The index is built once and kept up to date with Add and Remove; the
// weights and norms, which depend on N and every df, are refreshed lazily
// at the next look-up. Scores do not depend on the order complaints were
// added in: sums run in term order, never in insertion order. An Index is
// safe for concurrent use.
type Index struct {
	opts IndexOptions

	mu     sync.RWMutex
	termID map[string]uint32
	terms  []termEntry
	formID map[string]uint32 // surface forms, numbered
	forms  []string
	slot   map[string]uint32 // complaint id → docs index
	docs   []docEntry
	free   []uint32
	live   int
	dirty  bool
	pool   sync.Pool
	// generation counts the changes: what was found from the index
	// (clusterCache) holds while it stays the same
	generation uint64

	clusterMu    sync.Mutex
	clusterCache clusterCache
}

// IndexOptions tunes the index. Zero fields take their defaults.
type IndexOptions struct {
	// A term held by more than CommonTermShare of the complaints (default
	// 0.05) and more than CommonTermMin complaints (default 1000) brings no
	// candidates by itself.
	CommonTermShare float64
	CommonTermMin   int
	// ExactTermWeight multiplies the weight of the part and lot terms
	// (default 0.5). Lots are nearly unique: at full weight a different lot
	// would count as much as the rarest word and pull two identical
	// descriptions apart, while a shared lot stays a strong hint.
	ExactTermWeight float64
}

func (o IndexOptions) withDefaults() IndexOptions {
	if o.CommonTermShare <= 0 {
		o.CommonTermShare = 0.05
	}
	if o.CommonTermMin <= 0 {
		o.CommonTermMin = 1000
	}
	if o.ExactTermWeight <= 0 {
		o.ExactTermWeight = 0.5
	}
	return o
}

type termEntry struct {
	text     string
	postings []posting
	forms    map[uint32]int32 // surface forms held by the indexed complaints, for the label
	idf      float64
}

type posting struct {
	doc uint32
	ltf float32 // 1 + ln tf
}

type docEntry struct {
	id, number, supplier string
	filedAt              time.Time
	status               domain.ComplaintStatus
	terms                []docTerm // sorted by term text
	forms                []docForm // what the complaint added to its terms' forms
	norm                 float64
	alive                bool
}

type docTerm struct {
	id  uint32
	ltf float32
}

type docForm struct {
	term, form uint32
	n          int32
}

// Match is one similar complaint.
type Match struct {
	ID              string    `json:"id"`
	Number          string    `json:"number"`
	SupplierStation string    `json:"supplier_station"`
	FiledAt         time.Time `json:"filed_at"`
	Score           float64   `json:"score"` // cosine similarity, 0 to 1
	// Shared are the labels of the terms the complaint shares with the
	// query, largest contribution first: why it matched.
	Shared []string `json:"shared"`
}

// Query is a look-up with the fields of the filing form.
type Query struct {
	Text    string // description typed so far
	PartRef string
	Lot     string
	// SupplierStation restricts the look-up to the complaints against that
	// station; empty means all.
	SupplierStation string
	// ExcludeID leaves one complaint out (the one being looked at).
	ExcludeID string
}

// NewIndex returns an empty index.
func NewIndex(opts IndexOptions) *Index {
	return &Index{opts: opts.withDefaults(), termID: map[string]uint32{}, slot: map[string]uint32{}, formID: map[string]uint32{}}
}

// Len returns the number of complaints indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// analysed is a complaint turned into terms, before it enters the index.
type analysed struct {
	c     *domain.Complaint
	terms []string // distinct, sorted
	tf    []int
	forms [][]formCount // by term: its surface forms, sorted
}

type formCount struct {
	form string
	n    int32
}

// analyseComplaint tokenises a complaint. Slices and one sort rather than
// maps: a description has a few dozen words, and this runs 100k times when
// the index is built.
func analyseComplaint(c *domain.Complaint) analysed {
	type occurrence struct{ term, form string }
	var occ []occurrence
	tokenize(c.Description, func(t token) { occ = append(occ, occurrence{t.term, t.form}) })
	// Part and lot are exact terms; their label is their value.
	if p := PartKey(c.PartRef); p != "" {
		occ = append(occ, occurrence{partPrefix + p, ""})
	}
	if l := strings.ToUpper(strings.TrimSpace(c.Lot)); l != "" {
		occ = append(occ, occurrence{lotPrefix + l, ""})
	}
	slices.SortFunc(occ, func(a, b occurrence) int {
		if a.term != b.term {
			return strings.Compare(a.term, b.term)
		}
		return strings.Compare(a.form, b.form)
	})
	a := analysed{c: c}
	for i, o := range occ {
		if i == 0 || o.term != occ[i-1].term {
			a.terms = append(a.terms, o.term)
			a.tf = append(a.tf, 0)
			a.forms = append(a.forms, nil)
		}
		last := len(a.terms) - 1
		a.tf[last]++
		if o.form == "" {
			continue
		}
		if fs := a.forms[last]; len(fs) > 0 && fs[len(fs)-1].form == o.form {
			fs[len(fs)-1].n++
		} else {
			a.forms[last] = append(fs, formCount{o.form, 1})
		}
	}
	return a
}

// Add indexes a complaint, replacing the one with the same id (call it
// again when a complaint's status changes: clusters leave out rejected,
// duplicate and withdrawn complaints).
func (ix *Index) Add(c *domain.Complaint) {
	a := analyseComplaint(c)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.insert(a)
}

// AddAll indexes many complaints, analysing their text on every core.
func (ix *Index) AddAll(cs []domain.Complaint) {
	as := make([]analysed, len(cs))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(cs); i += workers {
				as[i] = analyseComplaint(&cs[i])
			}
		})
	}
	wg.Wait()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.docs = slices.Grow(ix.docs, len(as))
	for _, a := range as {
		ix.insert(a)
	}
}

// Remove takes a complaint out of the index; an unknown id is ignored.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
}

func (ix *Index) insert(a analysed) {
	ix.remove(a.c.ID)
	s := ix.allocSlot()
	d := &ix.docs[s]
	*d = docEntry{id: a.c.ID, number: a.c.Number, supplier: a.c.SupplierStation, filedAt: a.c.FiledAt,
		status: a.c.Status, alive: true, terms: make([]docTerm, len(a.terms))}
	for i, text := range a.terms {
		id := ix.term(text)
		ltf := float32(ix.ltf(text, a.tf[i]))
		d.terms[i] = docTerm{id: id, ltf: ltf}
		t := &ix.terms[id]
		t.postings = append(t.postings, posting{doc: s, ltf: ltf})
		for _, fc := range a.forms[i] {
			f := ix.form(fc.form)
			if t.forms == nil {
				t.forms = map[uint32]int32{}
			}
			t.forms[f] += fc.n
			d.forms = append(d.forms, docForm{term: id, form: f, n: fc.n})
		}
	}
	ix.slot[a.c.ID] = s
	ix.live++
	ix.dirty = true
	ix.generation++
}

func (ix *Index) allocSlot() uint32 {
	if n := len(ix.free); n > 0 {
		s := ix.free[n-1]
		ix.free = ix.free[:n-1]
		return s
	}
	ix.docs = append(ix.docs, docEntry{})
	return uint32(len(ix.docs) - 1)
}

func (ix *Index) term(text string) uint32 {
	if id, ok := ix.termID[text]; ok {
		return id
	}
	id := uint32(len(ix.terms))
	ix.terms = append(ix.terms, termEntry{text: text})
	ix.termID[text] = id
	return id
}

func (ix *Index) form(text string) uint32 {
	if id, ok := ix.formID[text]; ok {
		return id
	}
	id := uint32(len(ix.forms))
	ix.forms = append(ix.forms, text)
	ix.formID[text] = id
	return id
}

// remove drops a complaint's postings and its share of the forms.
func (ix *Index) remove(id string) {
	s, ok := ix.slot[id]
	if !ok {
		return
	}
	d := &ix.docs[s]
	for _, dt := range d.terms {
		t := &ix.terms[dt.id]
		if i := slices.IndexFunc(t.postings, func(p posting) bool { return p.doc == s }); i >= 0 {
			t.postings = slices.Delete(t.postings, i, i+1)
		}
	}
	for _, f := range d.forms {
		if forms := ix.terms[f.term].forms; forms != nil {
			if forms[f.form] -= f.n; forms[f.form] <= 0 {
				delete(forms, f.form)
			}
		}
	}
	*d = docEntry{}
	delete(ix.slot, id)
	ix.free = append(ix.free, s)
	ix.live--
	ix.dirty = true
	ix.generation++
}

// refresh recomputes idf and norms after changes. Called with the write
// lock held.
func (ix *Index) refresh() {
	n := float64(ix.live)
	for i := range ix.terms {
		t := &ix.terms[i]
		t.idf = math.Log((1+n)/(1+float64(len(t.postings)))) + 1
	}
	for i := range ix.docs {
		d := &ix.docs[i]
		if !d.alive {
			continue
		}
		var sum float64
		for _, dt := range d.terms {
			w := float64(dt.ltf) * ix.terms[dt.id].idf
			sum += float64(w * w)
		}
		d.norm = math.Sqrt(sum)
	}
	ix.dirty = false
}

// ltf is a term's weight before idf: 1 + ln tf, times ExactTermWeight for
// a part or lot.
func (ix *Index) ltf(term string, tf int) float64 {
	w := 1 + math.Log(float64(tf))
	if strings.HasPrefix(term, partPrefix) || strings.HasPrefix(term, lotPrefix) {
		w *= ix.opts.ExactTermWeight
	}
	return w
}

// rlockFresh takes the read lock with the weights up to date.
func (ix *Index) rlockFresh() {
	ix.mu.RLock()
	for ix.dirty {
		ix.mu.RUnlock()
		ix.mu.Lock()
		if ix.dirty {
			ix.refresh()
		}
		ix.mu.Unlock()
		ix.mu.RLock()
	}
}

// label names a term for people: how the indexed complaints wrote it
// most often, with its accents (bestForm); a part or lot term is its
// value.
func (ix *Index) label(id uint32) string {
	t := &ix.terms[id]
	if v, ok := strings.CutPrefix(t.text, partPrefix); ok {
		return v
	}
	if v, ok := strings.CutPrefix(t.text, lotPrefix); ok {
		return v
	}
	forms := make(map[string]int32, len(t.forms))
	for f, n := range t.forms {
		forms[ix.forms[f]] += n
	}
	if len(forms) == 0 {
		return t.text
	}
	return bestForm(forms)
}

// The prefixes of the exact terms. "=" never appears in a word term.
const (
	partPrefix = "part="
	lotPrefix  = "lot="
)

// Similar returns the k complaints most similar to text, restricted to the
// complaints against supplierStation when it is not empty. It is the
// duplicate hint shown while an operator types a description.
func (ix *Index) Similar(text, supplierStation string, k int) []Match {
	return ix.SimilarTo(Query{Text: text, SupplierStation: supplierStation}, k)
}

// SimilarTo is Similar with every field of the filing form. Matches come
// best first (score descending, then most recently filed, then id); only
// complaints sharing at least one term with the query are returned.
func (ix *Index) SimilarTo(q Query, k int) []Match {
	if k <= 0 {
		return nil
	}
	qv := ix.queryVector(q)
	ix.rlockFresh()
	defer ix.mu.RUnlock()
	if len(qv.terms) == 0 || ix.live == 0 {
		return []Match{}
	}
	sc := ix.scratch()
	defer ix.pool.Put(sc)
	weights, qnorm := ix.weigh(qv)
	ix.accumulate(weights, q, sc)
	top := ix.topK(sc, qnorm, k)
	return ix.matches(top, weights)
}

// queryVector is the query as terms and term frequencies.
func (ix *Index) queryVector(q Query) analysed {
	return analyseComplaint(&domain.Complaint{Description: q.Text, PartRef: q.PartRef, Lot: q.Lot})
}

// qterm is a query term with its weight times its idf, ready to multiply by
// a complaint's 1 + ln tf.
type qterm struct {
	id     uint32
	known  bool
	factor float64 // w(t,q) · idf(t)
	common bool
}

// weigh computes the query's weights (terms sorted by text) and norm.
func (ix *Index) weigh(qv analysed) ([]qterm, float64) {
	n := float64(ix.live)
	limit := max(ix.opts.CommonTermShare*n, float64(ix.opts.CommonTermMin))
	out := make([]qterm, 0, len(qv.terms))
	var norm float64
	anyRare := false
	for i, text := range qv.terms {
		id, known := ix.termID[text]
		idf := math.Log(1+n) + 1 // a term no complaint holds
		df := 0
		if known {
			idf, df = ix.terms[id].idf, len(ix.terms[id].postings)
		}
		w := ix.ltf(text, qv.tf[i]) * idf
		norm += float64(w * w)
		if df == 0 {
			continue
		}
		common := float64(df) > limit
		anyRare = anyRare || !common
		out = append(out, qterm{id: id, known: true, factor: float64(w * idf), common: common})
	}
	if !anyRare && len(out) > 0 {
		// Only common words: the rarest of them brings the candidates.
		rarest := slices.MinFunc(out, func(a, b qterm) int {
			return cmp.Compare(len(ix.terms[a.id].postings), len(ix.terms[b.id].postings))
		})
		for i := range out {
			out[i].common = out[i].id != rarest.id
		}
	}
	return out, math.Sqrt(norm)
}

// scratch is a per-look-up accumulator, pooled: allocating 100k floats per
// keystroke would cost more than the scoring.
type scratch struct {
	acc     []float64
	touched []uint32
}

func (ix *Index) scratch() *scratch {
	sc, _ := ix.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.acc) < len(ix.docs) {
		sc.acc = make([]float64, len(ix.docs))
	}
	sc.touched = sc.touched[:0]
	return sc
}

// accumulate adds the dot product of the rare terms through their postings,
// then the common terms' share for the candidates found.
func (ix *Index) accumulate(weights []qterm, q Query, sc *scratch) {
	for _, w := range weights {
		if w.common {
			continue
		}
		for _, p := range ix.terms[w.id].postings {
			d := &ix.docs[p.doc]
			if (q.SupplierStation != "" && d.supplier != q.SupplierStation) || d.id == q.ExcludeID {
				continue
			}
			if sc.acc[p.doc] == 0 {
				sc.touched = append(sc.touched, p.doc)
			}
			sc.acc[p.doc] += float64(w.factor * float64(p.ltf)) // float64(): no fused multiply-add, same sums on every CPU
		}
	}
	var common []qterm
	for _, w := range weights {
		if w.common {
			common = append(common, w)
		}
	}
	if len(common) == 0 {
		return
	}
	for _, s := range sc.touched {
		for _, dt := range ix.docs[s].terms {
			for _, w := range common {
				if w.id == dt.id {
					sc.acc[s] += float64(w.factor * float64(dt.ltf))
				}
			}
		}
	}
}

// hit is a scored candidate.
type hit struct {
	doc   uint32
	score float64
}

// better orders hits best first: score, then most recent, then id.
func (ix *Index) better(a, b hit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	da, db := &ix.docs[a.doc], &ix.docs[b.doc]
	if c := da.filedAt.Compare(db.filedAt); c != 0 {
		return c > 0
	}
	return da.id < db.id
}

// hitHeap is a min-heap on "better": the worst of the best k on top.
type hitHeap struct {
	ix   *Index
	hits []hit
}

func (h *hitHeap) Len() int           { return len(h.hits) }
func (h *hitHeap) Less(i, j int) bool { return h.ix.better(h.hits[j], h.hits[i]) }
func (h *hitHeap) Swap(i, j int)      { h.hits[i], h.hits[j] = h.hits[j], h.hits[i] }
func (h *hitHeap) Push(x any)         { h.hits = append(h.hits, x.(hit)) }
func (h *hitHeap) Pop() any {
	x := h.hits[len(h.hits)-1]
	h.hits = h.hits[:len(h.hits)-1]
	return x
}

// topK scores the candidates, keeps the best k and clears the accumulator.
func (ix *Index) topK(sc *scratch, qnorm float64, k int) []hit {
	h := &hitHeap{ix: ix, hits: make([]hit, 0, k+1)}
	for _, s := range sc.touched {
		x := hit{doc: s, score: sc.acc[s] / (qnorm * ix.docs[s].norm)}
		sc.acc[s] = 0
		if h.Len() < k {
			heap.Push(h, x)
		} else if ix.better(x, h.hits[0]) {
			h.hits[0] = x
			heap.Fix(h, 0)
		}
	}
	slices.SortFunc(h.hits, func(a, b hit) int {
		if ix.better(a, b) {
			return -1
		}
		return 1
	})
	return h.hits
}

func (ix *Index) matches(top []hit, weights []qterm) []Match {
	out := make([]Match, len(top))
	for i, x := range top {
		d := &ix.docs[x.doc]
		out[i] = Match{ID: d.id, Number: d.number, SupplierStation: d.supplier, FiledAt: d.filedAt,
			Score: min(x.score, 1), Shared: ix.shared(d, weights)}
	}
	return out
}

// shared lists the labels of the query terms the complaint holds, largest
// contribution first.
func (ix *Index) shared(d *docEntry, weights []qterm) []string {
	type contrib struct {
		label string
		v     float64
	}
	var cs []contrib
	for _, w := range weights {
		for _, dt := range d.terms {
			if dt.id == w.id {
				cs = append(cs, contrib{ix.label(w.id), w.factor * float64(dt.ltf)})
			}
		}
	}
	slices.SortFunc(cs, func(a, b contrib) int { return cmp.Or(cmp.Compare(b.v, a.v), strings.Compare(a.label, b.label)) })
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.label
	}
	return out
}
