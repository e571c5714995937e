package analytics

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"boucle/shared/domain"
)

// Proposal says which problem a complaint looks like, how strongly and
// why. The score is the sum of the weights of the reasons; a complaint
// joins the problem when it reaches ProposalThreshold. A decision of an
// engineer is a proposal too, with Decided set and the single reason
// ReasonDecided.
type Proposal struct {
	Problem ProblemID `json:"problem"`
	Score   float64   `json:"score"`
	Reasons []Reason  `json:"reasons"`
	// Decided: an engineer placed the complaint there (confirmed, moved or
	// split); the score is 1.
	Decided bool `json:"decided,omitempty"`
	// New: no earlier problem reached the threshold, the complaint started
	// its own problem (Problem is then its own). Best, if set, is the
	// problem that came closest, with Score and Reasons about it.
	New  bool      `json:"new,omitempty"`
	Best ProblemID `json:"best,omitempty"`
	// Likelihood, in a list of proposals (Propose), is the ranking's
	// estimate that the complaint belongs to this problem rather than to
	// another problem of the list: what orders the list.
	Likelihood float64 `json:"likelihood,omitempty"`
}

// Reason is one named reason of a score, for a screen to show in the
// user's language (the codes are listed in docs/kpis.md with their
// English and French wording). Weight is its share of the score (negative
// against); Detail is the evidence: the part, the shared words, the cause
// family.
type Reason struct {
	Code   ReasonCode `json:"code"`
	Weight float64    `json:"weight"`
	Detail string     `json:"detail,omitempty"`
}

// ReasonCode names a reason.
type ReasonCode string

const (
	ReasonDecided          ReasonCode = "decided"           // an engineer decided
	ReasonSamePart         ReasonCode = "same_part"         // the same part, however written
	ReasonPartTypo         ReasonCode = "part_typo"         // the part one typing slip away
	ReasonOtherPart        ReasonCode = "other_part"        // both parts known, different
	ReasonSimilarText      ReasonCode = "similar_text"      // the description shares rare words
	ReasonDifferentText    ReasonCode = "different_text"    // the descriptions share little
	ReasonSameCategory     ReasonCode = "same_category"     // a category of the problem
	ReasonOtherCategory    ReasonCode = "other_category"    // a category the problem never had
	ReasonSameCauseFamily  ReasonCode = "same_cause_family" // the 6M family found for the problem
	ReasonOtherCauseFamily ReasonCode = "other_cause_family"
	ReasonSimilarCause     ReasonCode = "similar_cause"   // root cause and 5 whys alike
	ReasonDifferentCause   ReasonCode = "different_cause" // root causes known, unlike
	// Reasons of the ranking only (Propose): their weight is their share
	// of the ranking's score, not of the join score.
	ReasonLikeComplaint ReasonCode = "like_complaint" // worded like one of its complaints, more than like the problem as a whole
	ReasonKinProblem    ReasonCode = "kin_problem"    // worded like a problem of a like cause on another part
)

// ProposalThreshold is the score from which a complaint joins a problem.
const ProposalThreshold = 0.5

// The weights of the reasons. The description decides most: the same part
// and category with an unlike description is another failure on that part
// (burrs and a wrong drilling on one bracket), so it stays under the
// threshold; the same part with a paraphrase passes; without a part, the
// description and the category must carry it alone.
const (
	wText            = 0.9  // × cosine of the description with the problem's
	wTextBase        = 0.2  // subtracted when both have a description
	wSamePart        = 0.4  //
	wPartTypo        = 0.3  //
	wOtherPart       = -0.4 //
	wOtherPartSpread = -0.1 // against a problem seen on several parts
	wSameCat         = 0.15 //
	wOtherCat        = -0.2 //
	wSameFamily      = 0.1  //
	wOtherFamily     = -0.3 //
	wCause           = 3.0  // × cosine of the cause with the problem's: the same root cause is the same problem
	wCauseBase       = 0.9  // subtracted when both have a cause
)

// causeAlike is the cosine from which two causes are the same cause: the
// cause's weight is then positive.
const causeAlike = wCauseBase / wCause

// features is how a complaint compared with a problem; the score and the
// reasons are functions of it.
type features struct {
	text, cause float32 // cosines; -1 when not comparable
	causePart   int8    // +1 both causes name the same part, -1 other parts, 0 unknown
	part        int8    // partUnknown, partSame, partTypo, partOther
	spread      bool    // the problem was seen on several parts (problemState.spread)
	category    int8    // +1 same, -1 other
	family      int8    // +1 same, -1 other, 0 unknown
	partID      int32   // the part dict id met in the problem, -1
	familyID    int8    // the problem's family, -1
}

const (
	partUnknown int8 = iota
	partSame
	partTypo
	partOther
)

func (f *features) score() float64 {
	s := f.textWeight() + f.partWeight()
	if f.category > 0 {
		s += wSameCat
	} else if f.category < 0 {
		s += wOtherCat
	}
	if f.family > 0 {
		s += wSameFamily
	} else if f.family < 0 {
		s += wOtherFamily
	}
	if f.cause >= 0 {
		s += wCause*float64(f.cause) - wCauseBase
	}
	return math.Round(s*1000) / 1000
}

// sameCause: both causes known and alike.
func (f *features) sameCause() bool { return f.cause >= causeAlike }

// textWeight is the weight of the description, 0 when not comparable. The
// same cause told in other words is not held against.
func (f *features) textWeight() float64 {
	if f.text < 0 {
		return 0
	}
	w := wText*float64(f.text) - wTextBase
	if f.sameCause() {
		w = max(w, 0)
	}
	return w
}

// partWeight is the weight of the part. Another part counts against
// a problem seen on one part only; a problem already seen on several
// parts is a failure of the station (its machine, its bath), and another
// part says less against it; nor does it against the same cause (a
// part's own cause names its part: features.causePart).
func (f *features) partWeight() float64 {
	switch f.part {
	case partSame:
		return wSamePart
	case partTypo:
		return wPartTypo
	case partOther:
		switch {
		case f.sameCause():
			return 0
		case f.spread:
			return wOtherPartSpread
		}
		return wOtherPart
	}
	return 0
}

// familyNames are the 6M families, numbered for counting.
var familyNames = [...]domain.Ishikawa{domain.IshikawaManpower, domain.IshikawaMachine, domain.IshikawaMethod,
	domain.IshikawaMaterial, domain.IshikawaMeasurement, domain.IshikawaEnvironment}

func familyOf(i domain.Ishikawa) int8 {
	for n, f := range familyNames {
		if f == i {
			return int8(n)
		}
	}
	return -1
}

// query is a complaint as the proposal sees it.
type query struct {
	supplier, category, part int32   // dict ids; -1 when the dataset never met it
	causePart                int32   // the part of the station its cause names (causePart), -1
	partKey                  string  // PartKey of its part, "" unknown
	partNear                 []int32 // the parts of its supplier station within one typo of partKey (partNeighbours)
	family                   int8
	desc, cause              vec
	not                      []ProblemID // problems an engineer said it is not, merges followed
}

func (ps *Problems) queryOf(p int32) query {
	c, f := ps.ds.complaints[p], &ps.ds.facts[p]
	q := query{supplier: f.supplier, category: f.category, part: f.part, family: familyOf(c.Ishikawa),
		desc: ps.desc[p], cause: ps.cause[p]}
	if f.part >= 0 {
		q.partKey = ps.ds.parts.names[f.part]
		q.partNear = ps.partNeighbours(f.supplier, q.partKey)
	}
	q.causePart = ps.causePart(f.supplier, c)
	ps.partFromCause(&q)
	q.not = ps.notProblems(c.NotProblems)
	return q
}

// partFromCause takes the part a complaint's cause names as its part when
// the operator wrote none ("?", "voir photo"): the engineer who analysed
// it says which part it was.
func (ps *Problems) partFromCause(q *query) {
	if q.partKey != "" || q.causePart < 0 {
		return
	}
	q.part, q.partKey = q.causePart, ps.ds.parts.names[q.causePart]
	q.partNear = ps.partNeighbours(q.supplier, q.partKey)
}

func (ps *Problems) notProblems(ids []string) []ProblemID {
	var out []ProblemID
	for _, id := range ids {
		out = append(out, ps.resolve(ProblemID(id)))
	}
	return out
}

// excluded reports whether an engineer said the complaint is not in st.
func (ps *Problems) excluded(q *query, st *problemState) bool {
	return len(q.not) > 0 && slices.Contains(q.not, ps.resolve(st.id))
}

// candidateScratch marks the problems already gathered for one query.
type candidateScratch struct {
	stamp []int32
	via   []int32 // by local index: the part whose list brought it, -1 for a word
	gen   int32
	list  []int32
}

// Candidate limits: how many problems each look-up brings. Problems are
// listed in the order they were last met, so the most recent come first.
const maxPartNeighbours = 6 // the part and the first typo neighbours met

// candidateLimits says how many problems each look-up brings: per part
// (the part itself, each typo neighbour), in all through the parts, per
// term, and how many of the rarest terms of the description and of the
// cause bring some.
type candidateLimits struct{ perPart, perTypo, byPart, perTerm, terms int }

// joinLimits are the limits of finding the problems, complaint after
// complaint.
var joinLimits = candidateLimits{perPart: 8, perTypo: 2, byPart: 16, perTerm: 8, terms: 3}

// candidates gathers the problems (local indices) of the partition that
// share the query's part (or one a typo away) or one of the rarest words
// of its description or of its cause.
func (pt *partition) candidates(q *query, sc *candidateScratch) []int32 {
	return pt.candidatesWithin(q, sc, joinLimits)
}

// begin starts a gathering among n problems: none marked, the list empty.
func (sc *candidateScratch) begin(n int) {
	if len(sc.stamp) < n {
		sc.stamp = append(sc.stamp, make([]int32, n-len(sc.stamp))...)
		sc.via = append(sc.via, make([]int32, n-len(sc.via))...)
	}
	sc.gen++
	sc.list = sc.list[:0]
}

// candidatesWithin is candidates with other limits.
func (pt *partition) candidatesWithin(q *query, sc *candidateScratch, lim candidateLimits) []int32 {
	sc.begin(len(pt.list))
	take := func(l []int32, n int, via int32) {
		for k := len(l) - 1; k >= 0 && n > 0; k-- {
			if i := l[k]; sc.stamp[i] != sc.gen {
				sc.stamp[i], sc.via[i] = sc.gen, via
				sc.list = append(sc.list, i)
				n--
			}
		}
	}
	for k, part := range q.partNear {
		n := lim.perPart // the part itself
		if k > 0 || part != q.part {
			n = lim.perTypo
		}
		take(pt.byPart[part], n, part)
		if len(sc.list) >= lim.byPart {
			break
		}
	}
	takeRarest(q.desc, pt.byTerm, take, lim)
	takeRarest(q.cause, pt.byCause, take, lim) // the same cause in other words or on another part
	return sc.list
}

// takeRarest brings the problems holding the rarest words of v that some
// problem holds, heaviest first (id on a tie): a selection, the vector is
// short and few are needed.
func takeRarest(v vec, byTerm map[uint32][]int32, take func(l []int32, n int, via int32), lim candidateLimits) {
	used, last := 0, tw{w: float32(math.Inf(1))}
	for used < lim.terms {
		next, found := tw{}, false
		for _, t := range v {
			if lighter(t, last) && (!found || lighter(next, t)) {
				next, found = t, true
			}
		}
		if !found {
			break
		}
		last = next
		if l := byTerm[next.id]; len(l) > 0 {
			take(l, lim.perTerm, -1)
			used++
		}
	}
}

// partNeighbours lists the part (if the dataset holds it) and the parts
// of the supplier station one typo away from it.
// The answers for the parts of the dataset are computed once, before the
// pass (indexPartVariants).
func (ps *Problems) partNeighbours(supplier int32, key string) []int32 {
	part := lookupID(&ps.ds.parts, key)
	if near, ok := ps.near[supplierKey{supplier, part}]; ok && part >= 0 {
		return near
	}
	var out []int32
	if part >= 0 {
		out = append(out, part) // first: the same part outranks a typo
	}
	for _, v := range partVariants(key) {
		for _, other := range ps.variant[variantKey{supplier, v}] {
			if len(out) < maxPartNeighbours && !slices.Contains(out, other) && partsClose(key, ps.ds.parts.names[other]) &&
				!ps.twoParts(supplier, part, other) {
				out = append(out, other)
			}
		}
	}
	return out
}

// twoParts reports whether two references one slip apart are two parts
// of the station rather than one part and a slip: each was written at
// least minDistinctPart times, the rarer at least 1/20 of the other (a
// slip is seldom typed the same way three times, and never as often as
// the reference itself). ENS-7700 and ENS-7710 are then two assemblies;
// a part met once or twice is a slip of its neighbour.
func (ps *Problems) twoParts(supplier, a, b int32) bool {
	if a < 0 || b < 0 {
		return false
	}
	na, nb := ps.partCount[supplierKey{supplier, a}], ps.partCount[supplierKey{supplier, b}]
	return min(na, nb) >= minDistinctPart && 20*min(na, nb) >= max(na, nb)
}

const minDistinctPart = 3

// spreadOver reports whether parts (sorted) hold two parts of the
// station: two not one slip apart, or two parts one slip apart
// (twoParts). A part and its slip are one part.
func (ps *Problems) spreadOver(supplier int32, parts []int32) bool {
	for i, p := range parts {
		for _, o := range parts[i+1:] {
			if !partsClose(ps.ds.parts.names[p], ps.ds.parts.names[o]) || ps.twoParts(supplier, p, o) {
				return true
			}
		}
	}
	return false
}

// lighter orders weighted terms: a before b when a weighs less, or as
// much with a greater id (heaviest first, smallest id on a tie).
func lighter(a, b tw) bool { return a.w < b.w || (a.w == b.w && a.id > b.id) }

// bestMatch scores the candidates of the partition and returns the best
// (score, then the most recently met, then the first created) as a local
// index, its features and score; -1 when there is none.
func (ps *Problems) bestMatch(pt *partition, q *query, sc *candidateScratch) (int32, features, float64) {
	best, bestScore, bestLast := int32(-1), math.Inf(-1), int32(-1)
	var bestFeat features
	for _, i := range pt.candidates(q, sc) {
		st := pt.list[i]
		if ps.excluded(q, st) {
			continue
		}
		f := ps.compareCheap(q, st, sc.via[i])
		if f.upperBound(q) < bestScore-0.001 {
			continue // even the same words could not beat the best: skip the cosines
		}
		ps.compareText(q, st, &f)
		s, last := f.score(), st.members[len(st.members)-1]
		if s > bestScore || (s == bestScore && (last > bestLast || (last == bestLast && i < best))) {
			best, bestScore, bestLast, bestFeat = i, s, last, f
		}
	}
	return best, bestFeat, bestScore
}

// compare computes the features of a query against a problem.
func (ps *Problems) compare(q *query, st *problemState) features {
	f := ps.compareCheap(q, st, -1)
	ps.compareText(q, st, &f)
	return f
}

// compareText fills the cosines of the description and the cause.
func (ps *Problems) compareText(q *query, st *problemState, f *features) {
	f.text, f.cause = float32(st.text.cosine(q.desc)), float32(st.cause.cosine(q.cause))
	if f.causePart < 0 && f.cause > 0 {
		f.cause = 0 // alike words about two parts' programs or tools: two causes
	}
}

// upperBound is the best score the features could reach once the cosines
// are known (both 1).
func (f features) upperBound(q *query) float64 {
	f.text, f.cause = -1, -1
	s := f.score()
	if len(q.desc) > 0 {
		s += wText - wTextBase
	}
	if len(q.cause) > 0 {
		s += wCause - wCauseBase
	}
	return s
}

// compareCheap computes the features that need no cosine: part,
// category, cause family. via is the part whose list of problems brought
// st, -1 if none did: then only the part itself is looked for among the
// problem's (a typo neighbour brings its problems through its own list).
func (ps *Problems) compareCheap(q *query, st *problemState, via int32) features {
	f := features{text: -1, cause: -1, partID: -1, familyID: -1}
	near := q.partNear
	switch {
	case via >= 0:
		near = []int32{via}
	case len(near) > 0 && near[0] == q.part:
		near = near[:1]
	}
	if via >= 0 && q.part >= 0 && via != q.part {
		if _, ok := slices.BinarySearch(st.parts, q.part); ok {
			near = []int32{q.part} // the same part outranks a typo
		}
	}
	f.spread = st.spread
	if q.partKey != "" && len(st.parts) > 0 {
		f.part = partOther
		for _, p := range near { // the part itself first, if known
			if _, ok := slices.BinarySearch(st.parts, p); ok {
				f.part, f.partID = partTypo, p
				if p == q.part {
					f.part = partSame
				}
				break
			}
		}
	}
	if q.causePart >= 0 && len(st.causeParts) > 0 {
		f.causePart = -1
		if _, ok := slices.BinarySearch(st.causeParts, q.causePart); ok {
			f.causePart = 1
		}
	}
	if slices.Contains(st.categories, q.category) {
		f.category = 1
	} else if len(st.categories) > 0 {
		f.category = -1
	}
	if fam := dominantFamily(&st.families); fam >= 0 {
		f.familyID = fam
		switch {
		case q.family < 0:
		case q.family == fam:
			f.family = 1
		default:
			f.family = -1
		}
	}
	return f
}

// dominantFamily is the 6M family most often found for the problem's
// complaints (the first on a tie), -1 when none was found.
func dominantFamily(counts *[len(familyNames)]int32) int8 {
	best, n := int8(-1), int32(0)
	for i, c := range counts {
		if c > n {
			best, n = int8(i), c
		}
	}
	return best
}

// reasons lists the reasons of features against a problem, strongest
// first. q is the complaint's vectors (for the shared words), st the
// problem.
func (ps *Problems) reasons(f features, q *query, st *problemState) []Reason {
	var out []Reason
	if f.text >= 0 {
		w := round3(f.textWeight())
		code := ReasonSimilarText
		if w < 0 {
			code = ReasonDifferentText
		}
		out = append(out, Reason{Code: code, Weight: w, Detail: joinWords(st.text.shared(ps.model, q.desc, 5))})
	}
	part := ""
	if f.partID >= 0 {
		part = ps.ds.parts.names[f.partID]
	}
	switch f.part {
	case partSame:
		out = append(out, Reason{Code: ReasonSamePart, Weight: wSamePart, Detail: part})
	case partTypo:
		out = append(out, Reason{Code: ReasonPartTypo, Weight: wPartTypo, Detail: part})
	case partOther:
		if w := f.partWeight(); w != 0 {
			out = append(out, Reason{Code: ReasonOtherPart, Weight: w})
		}
	}
	if f.category > 0 {
		out = append(out, Reason{Code: ReasonSameCategory, Weight: wSameCat})
	} else if f.category < 0 {
		out = append(out, Reason{Code: ReasonOtherCategory, Weight: wOtherCat})
	}
	family := ""
	if f.familyID >= 0 {
		family = string(familyNames[f.familyID])
	}
	if f.family > 0 {
		out = append(out, Reason{Code: ReasonSameCauseFamily, Weight: wSameFamily, Detail: family})
	} else if f.family < 0 {
		out = append(out, Reason{Code: ReasonOtherCauseFamily, Weight: wOtherFamily, Detail: family})
	}
	if f.cause >= 0 {
		w := round3(wCause*float64(f.cause) - wCauseBase)
		code := ReasonSimilarCause
		if w < 0 {
			code = ReasonDifferentCause
		}
		out = append(out, Reason{Code: code, Weight: w, Detail: joinWords(st.cause.shared(ps.model, q.cause, 5))})
	}
	slices.SortStableFunc(out, func(a, b Reason) int { return cmp.Compare(math.Abs(b.Weight), math.Abs(a.Weight)) })
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func joinWords(ws []string) string {
	s := ""
	for i, w := range ws {
		if i > 0 {
			s += ", "
		}
		s += w
	}
	return s
}

// proposalAt is the proposal recorded for the complaint at p.
func (ps *Problems) proposalAt(p int32) Proposal {
	c := ps.ds.complaints[p]
	if ps.decided[p] {
		return Proposal{Problem: ps.problemAt(p), Score: 1, Decided: true, Reasons: []Reason{{Code: ReasonDecided, Weight: 1, Detail: c.Problem}}}
	}
	pr := Proposal{Problem: ps.problemAt(p)}
	if b := ps.best[p]; b >= 0 {
		q := ps.queryOf(p)
		f := ps.feat[p]
		pr.Score, pr.Reasons = f.score(), ps.reasons(f, &q, ps.list[b])
		if ps.list[b].id != pr.Problem {
			pr.Best = ps.list[b].id
		}
	}
	if ps.problem[p] >= 0 && ps.list[ps.problem[p]].members[0] == p {
		pr.New = true
	}
	if !ps.ds.facts[p].countable && pr.Problem == "" && ps.best[p] >= 0 && pr.Score >= ProposalThreshold {
		pr.Problem, pr.Best = ps.list[ps.best[p]].id, ""
	}
	return pr
}

// Propose scores a complaint being filed (or any complaint) against the
// problems of the dataset as they stand, and returns the problems it most
// likely belongs to, most likely first (at most k), for the filing form
// and the complaint's page: ordered by the ranking (proposal_rank.go),
// each with its join score and reasons. An empty list means it would
// start a problem. c needs its supplier station, part, category and
// description; its lot and its cause count once known. A complaint of the
// dataset is compared without the problems an engineer said it is not.
func (ps *Problems) Propose(c *domain.Complaint, k int) []Proposal {
	q := ps.queryFor(c)
	all := ps.rankCandidates(&q, nanos(c.FiledAt))
	slices.SortFunc(all, func(a, b rankCandidate) int {
		la, lb := ps.list[a.i].members[len(ps.list[a.i].members)-1], ps.list[b.i].members[len(ps.list[b.i].members)-1]
		return cmp.Or(cmp.Compare(b.rank, a.rank), cmp.Compare(lb, la), cmp.Compare(a.i, b.i))
	})
	out := make([]Proposal, 0, min(k, len(all)))
	for _, x := range all[:min(k, len(all))] {
		out = append(out, Proposal{Problem: ps.list[x.i].id, Score: x.f.score(), Likelihood: likelihood(x.rank, all),
			Reasons: append(ps.reasons(x.f, &q, ps.list[x.i]), rankReasons(&x.x)...)})
	}
	return out
}

// queryFor turns a complaint that may not be in the dataset into a query,
// with the dataset's dictionaries (a station or part it never met matches
// nothing).
func (ps *Problems) queryFor(c *domain.Complaint) query {
	ds := ps.ds
	q := query{supplier: lookupID(&ds.stations, c.SupplierStation), category: lookupID(&ds.categories, c.Category),
		partKey: PartKey(c.PartRef), family: familyOf(c.Ishikawa)}
	q.part = lookupID(&ds.parts, q.partKey)
	if q.partKey != "" {
		q.partNear = ps.partNeighbours(q.supplier, q.partKey)
	}
	q.desc = ps.widen(ps.model.vector(ps.model.correctSlips(countTerms(c.Description))))
	q.cause = ps.model.vector(countTerms(causeTexts(c)...))
	q.causePart = ps.causePart(q.supplier, c)
	ps.partFromCause(&q)
	q.not = ps.notProblems(c.NotProblems)
	return q
}

func lookupID(d *dict, s string) int32 {
	if i, ok := d.ids[s]; ok {
		return i
	}
	return -1
}

// String is for logs and tests.
func (p Proposal) String() string {
	return fmt.Sprintf("%s %.3f %v", p.Problem, p.Score, p.Reasons)
}
