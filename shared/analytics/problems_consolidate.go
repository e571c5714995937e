package analytics

import "slices"

// The pass meets each complaint once, with the problems as they stood
// when it was filed: a complaint told in a wording its problem had not
// met yet, and not analysed (contained only, or not yet), starts a
// problem of its own. Its problem often becomes recognisable later, once
// complaints analysed since have tied that wording to the problem's cause
// (the same cause written under two wordings), or a second complaint in
// the same words showed it was no one-off. So once a partition's pass is
// over, each problem, oldest first, is compared as a whole with the
// earlier problems of its station as they became, with the features and
// weights of a complaint (descriptions, the learnt wordings widening its
// own, causes, parts, categories, cause families), and joins the one that
// scores best from ProposalThreshold, when their descriptions or causes
// are alike: the part and the category alone are as likely another
// failure of the part.
//
// An engineer's word stays: a problem holding a complaint an engineer
// placed, or named by an engineer (not the same, merged), is never joined
// to another nor another to it, and two problems are not joined when a
// complaint of one was said not to be of the other.

// consolidatePartitions learns the wordings from the problems of the
// pass (synonyms.go), then consolidates every partition.
func (ps *Problems) consolidatePartitions() {
	var all []*problemState
	for _, pt := range ps.parts {
		all = append(all, pt.list...)
	}
	ps.learnSynonyms(all)
	ps.onEveryCore(ps.consolidate)
}

// consolidate joins the alike problems of a partition after its pass.
// pt.into then sends each local problem to the one holding its
// complaints.
func (ps *Problems) consolidate(pt *partition, sc *candidateScratch) {
	n := len(pt.list)
	pt.into = make([]int32, n)
	for i := range pt.into {
		pt.into[i] = int32(i)
	}
	locked := ps.lockedProblems(pt)
	for i := range int32(n) {
		if locked[i] {
			continue
		}
		if j, f := ps.bestEarlier(pt, i, locked, sc); j >= 0 {
			ps.join(pt, i, j, f)
		}
	}
}

// bestEarlier returns the earlier problem local problem i joins, and how
// they compared; -1 when none scores ProposalThreshold with alike
// descriptions or causes.
func (ps *Problems) bestEarlier(pt *partition, i int32, locked []bool, sc *candidateScratch) (int32, features) {
	src := pt.list[i]
	best, bestScore := int32(-1), ProposalThreshold-0.001
	var bestFeat features
	var wide vec
	for _, j := range pt.earlier(i, locked, sc) {
		dst := pt.list[j]
		if len(src.members) == 1 && dst.members[len(dst.members)-1] < src.members[0] {
			continue // the pass compared them as they are
		}
		if ps.keptApart(src, dst) {
			continue
		}
		f := ps.compareProblemsCheap(src, dst)
		if f.upperBoundAlike(src) < bestScore {
			continue // even the same words could not beat the best
		}
		if wide == nil {
			wide = ps.widenedUnit(&src.text)
		}
		compareProblemsText(src, wide, dst, &f)
		if f.textWeight() <= 0 && !f.sameCause() {
			continue // part and category alone: another failure of the part as likely
		}
		if s := f.score(); s > bestScore || (s == bestScore && j < best) {
			best, bestScore, bestFeat = j, s, f
		}
	}
	return best, bestFeat
}

// earlier gathers the problems started before local problem i, not
// locked, as they are now (joins followed), that share one of its parts
// or the rarest words of its descriptions or causes, most recently met
// first, within the limits of the pass; among the last earlierScan
// problems of each list only (the later ones come first in it, and a
// long list need not be read to its start).
const earlierScan = 64

func (pt *partition) earlier(i int32, locked []bool, sc *candidateScratch) []int32 {
	sc.begin(len(pt.list))
	take := func(l []int32, n int, _ int32) {
		for k := len(l) - 1; k >= max(0, len(l)-earlierScan) && n > 0; k-- {
			if j := pt.final(l[k]); j < i && !locked[j] && sc.stamp[j] != sc.gen {
				sc.stamp[j] = sc.gen
				sc.list = append(sc.list, j)
				n--
			}
		}
	}
	src := pt.list[i]
	for _, part := range src.parts {
		take(pt.byPart[part], joinLimits.perPart, part)
		if len(sc.list) >= joinLimits.byPart {
			break
		}
	}
	takeRarest(src.text.v, pt.byTerm, take, joinLimits)
	takeRarest(src.cause.v, pt.byCause, take, joinLimits)
	return sc.list
}

// final follows the joins from a local problem to the one holding its
// complaints.
func (pt *partition) final(i int32) int32 {
	for pt.into[i] != i {
		i = pt.into[i]
	}
	return i
}

// lockedProblems marks the local problems an engineer's decision names:
// one holding a complaint an engineer placed, one an engineer said a
// complaint is not of, one merged or merged into.
func (ps *Problems) lockedProblems(pt *partition) []bool {
	locked := make([]bool, len(pt.list))
	for i, st := range pt.list {
		if _, merged := ps.merge[st.id]; merged {
			locked[i] = true
		}
		for _, p := range st.members {
			if ps.decided[p] {
				locked[i] = true
				break
			}
		}
	}
	for _, to := range ps.merge {
		if i, ok := pt.index[to]; ok {
			locked[i] = true
		}
	}
	for _, st := range pt.list {
		for _, id := range st.not {
			if i, ok := pt.index[id]; ok {
				locked[i] = true
			}
		}
	}
	return locked
}

// keptApart reports whether a complaint of one problem was said not to be
// of the other.
func (ps *Problems) keptApart(a, b *problemState) bool {
	return slices.Contains(a.not, b.id) || slices.Contains(b.not, a.id)
}

// join moves the complaints of local problem i into the earlier local
// problem j, which keeps its id. The complaint that started i is now
// proposed j, with the features of the two problems compared.
func (ps *Problems) join(pt *partition, i, j int32, f features) {
	src, dst := pt.list[i], pt.list[j]
	first := src.members[0]
	pt.index[src.id] = j
	dst.absorb(src)
	dst.spread = ps.spreadOver(dst.supplier, dst.parts)
	dst.not = append(dst.not, src.not...)
	pt.into[i] = j
	ps.best[first], ps.feat[first] = j, f
}

// compareProblemsCheap computes the features of problem a against
// problem b that need no cosine, as those of a complaint against a
// problem: their parts (one shared, one a typo away, or none), the parts
// their causes name, categories and cause families.
func (ps *Problems) compareProblemsCheap(a, b *problemState) features {
	f := features{text: -1, cause: -1, familyID: -1, spread: b.spread}
	f.part, f.partID = ps.problemParts(a, b)
	if len(a.causeParts) > 0 && len(b.causeParts) > 0 {
		f.causePart = -1
		if intersects(a.causeParts, b.causeParts) {
			f.causePart = 1
		}
	}
	switch {
	case slices.ContainsFunc(a.categories, func(c int32) bool { return slices.Contains(b.categories, c) }):
		f.category = 1
	case len(a.categories) > 0 && len(b.categories) > 0:
		f.category = -1
	}
	fa, fb := dominantFamily(&a.families), dominantFamily(&b.families)
	f.familyID = fb
	if fa >= 0 && fb >= 0 {
		f.family = -1
		if fa == fb {
			f.family = 1
		}
	}
	return f
}

// compareProblemsText fills the cosines: a's descriptions widened with
// the learnt wordings (wide: widenedUnit) against b's, and their causes.
func compareProblemsText(a *problemState, wide vec, b *problemState, f *features) {
	if len(wide) > 0 && b.text.norm > 0 {
		f.text = float32(min(dot(wide, b.text.v)/b.text.norm, 1))
	}
	if a.cause.norm > 0 && b.cause.norm > 0 {
		f.cause = float32(min(dot(a.cause.v, b.cause.v)/(a.cause.norm*b.cause.norm), 1))
	}
	if f.causePart < 0 && f.cause > 0 {
		f.cause = 0 // alike words about two parts' programs or tools: two causes
	}
}

// upperBoundAlike is the best score the cheap features could reach with
// a's descriptions and causes (both cosines 1).
func (f features) upperBoundAlike(a *problemState) float64 {
	f.text, f.cause = -1, -1
	s := f.score()
	if a.text.norm > 0 {
		s += wText - wTextBase
	}
	if a.cause.norm > 0 {
		s += wCause - wCauseBase
	}
	return s
}

// problemParts compares the parts of two problems: the same when they
// share one; a typo when one is a slip of one of the other's, unless two
// of their parts are two parts of the station one slip apart (twoParts: a
// problem of ENS-7700 is not one of ENS-7710 because a complaint of one
// wrote a slip of both); another part otherwise, unknown when either has
// none. The part is the one of b met.
func (ps *Problems) problemParts(a, b *problemState) (int8, int32) {
	if len(a.parts) == 0 || len(b.parts) == 0 {
		return partUnknown, -1
	}
	typo := int32(-1)
	for _, p := range a.parts {
		if _, ok := slices.BinarySearch(b.parts, p); ok {
			return partSame, p
		}
		if typo >= 0 {
			continue
		}
		for _, o := range ps.near[supplierKey{a.supplier, p}] { // its slips, two parts left out (twoParts)
			if _, ok := slices.BinarySearch(b.parts, o); ok && o != p {
				typo = o
				break
			}
		}
	}
	if typo < 0 || ps.twoPartsAmong(a, b) {
		return partOther, -1
	}
	return partTypo, typo
}

// twoPartsAmong reports whether a part of a and a part of b are two parts
// of the station one slip apart.
func (ps *Problems) twoPartsAmong(a, b *problemState) bool {
	for _, p := range a.parts {
		for _, o := range b.parts {
			if ps.twoParts(a.supplier, p, o) && partsClose(ps.ds.parts.names[p], ps.ds.parts.names[o]) {
				return true
			}
		}
	}
	return false
}

// intersects reports whether two sorted sets share an element.
func intersects(a, b []int32) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			return true
		}
	}
	return false
}

// widenedUnit is a centroid as a unit vector, widened with the words
// associated with its own (synonyms.go); nil when empty.
func (ps *Problems) widenedUnit(c *centroid) vec {
	if c.norm == 0 {
		return nil
	}
	u := make(vec, len(c.v))
	for i, t := range c.v {
		u[i] = tw{t.id, float32(float64(t.w) / c.norm)}
	}
	return ps.widen(u)
}
