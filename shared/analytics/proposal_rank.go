package analytics

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Ranking the problems a new complaint looks like. Joining a problem
// (the threshold of the score) and ordering the problems proposed on the
// filing form are two questions: joining must not take a complaint into
// a problem it only resembles, while the form must put the complaint's
// own problem first even when the evidence is thin — a wording its
// problem has not met yet, an unknown part. The form's order therefore
// weighs more evidence than the join score:
//
//   - the description against the problem's complaints one by one, not
//     only against their sum: a wording met once is not drowned in the
//     others;
//   - the description against the problems with a like cause: the same
//     failure on another part (burrs from each part's own cutting program)
//     tells which wordings that failure takes, and the part then says
//     which of those problems it is;
//   - how many complaints the problem had, and how recently.
//
// The weights (rankWeights) are those of a conditional logit, fitted on
// the labelled plants of seeds 2 to 5 (TestLearnProposalRanking), never on
// seed 1 (validation) nor 7 (held out).

// Candidate limits of the ranking: wider than the join's, a filing form
// asks once.
var rankLimits = candidateLimits{perPart: 32, perTypo: 8, byPart: 64, perTerm: 16, terms: 5}

// rankPerCategory is how many of the problems of the query's category
// last met are candidates besides: a wording no problem met and an
// unknown part bring none otherwise.
const rankPerCategory = 16

// categoryListed is how many problems of each station and category
// indexCategories keeps: enough for rankPerCategory once those the other
// look-ups brought are left out.
const categoryListed = 2 * rankPerCategory

// indexCategories lists, per home station and category, the problems
// holding it whose last complaint is the latest.
func (ps *Problems) indexCategories() {
	ps.byCategory = map[supplierKey][]int32{}
	last := func(i int32) int32 { m := ps.list[i].members; return m[len(m)-1] }
	for i, st := range ps.list {
		for _, c := range st.categories {
			k := supplierKey{st.supplier, c}
			l := ps.byCategory[k]
			if len(l) == categoryListed && last(l[len(l)-1]) >= last(int32(i)) {
				continue
			}
			j, _ := slices.BinarySearchFunc(l, last(int32(i)), func(x, t int32) int { return cmp.Compare(t, last(x)) })
			l = slices.Insert(l, j, int32(i))
			ps.byCategory[k] = l[:min(len(l), categoryListed)]
		}
	}
}

// rankMembers is how many of a problem's latest complaints the
// description is compared with one by one.
const rankMembers = 16

// kinCause is the cosine of two problems' causes from which they are the
// same failure (on two parts).
const kinCause = 0.5

// The ranking's features, in rankWeights' order.
const (
	rfText          = iota // cosine with the problem's description (0 when none)
	rfMember               // best cosine with one of its latest complaints
	rfKin                  // how much better a problem with a like cause matches the description
	rfSamePart             // the same part
	rfPartShare            // the share of its latest complaints on the same part
	rfPartTypo             // one typing slip away: a slip
	rfPartNeighbour        // one typing slip away, but two parts of the station (twoParts: ENS7700, ENS7710)
	rfOtherPart            // both parts known, different, the problem on one part
	rfOtherSpread          // both known, different, the problem on several parts
	rfSpread               // the problem seen on several parts
	rfSameCat              // a category of the problem
	rfOtherCat             // a category the problem never had
	rfSize                 // ln(1 + its complaints)
	rfRecent               // exp(−days since its last complaint / 90)
	rfCount
)

var rankFeatureNames = [rfCount]string{"text", "member", "kin", "same_part", "part_share", "part_typo", "part_neighbour", "other_part", "other_spread",
	"spread", "same_cat", "other_cat", "size", "recent"}

// rankWeights are fitted by TestLearnProposalRanking on seeds 2 to 5.
var rankWeights = [rfCount]float64{2.436, 2.664, 4.234, 1.453, 0.653, 0.921, -1.727, -1.845, -0.628, 0.150, 3.150, -3.150, -0.573, 2.322}

// rankCandidate is one problem (global index) with its features.
type rankCandidate struct {
	i    int32
	f    features
	x    [rfCount]float64
	rank float64
}

// scratchPool keeps the proposal's scratch between calls: its marks
// grow to the largest partition once, not on every call.
var scratchPool = sync.Pool{New: func() any { return new(candidateScratch) }}

// rankCandidates gathers the problems of the query's supplier station
// worth ranking, with their features (unsorted).
func (ps *Problems) rankCandidates(q *query, filed int64) []rankCandidate {
	pt := ps.parts[q.supplier]
	if pt == nil || q.supplier < 0 {
		return nil
	}
	sc := scratchPool.Get().(*candidateScratch)
	defer scratchPool.Put(sc)
	locals := pt.candidatesWithin(q, sc, rankLimits)
	globals := make([]int32, 0, len(locals)+rankPerCategory)
	for _, local := range locals {
		globals = append(globals, pt.global[local])
	}
	n := len(globals)
	for _, i := range ps.byCategory[supplierKey{q.supplier, q.category}] {
		if len(globals)-n < rankPerCategory && !slices.Contains(globals[:n], i) {
			globals = append(globals, i)
		}
	}
	out := make([]rankCandidate, 0, len(globals))
	for _, i := range globals {
		if slices.ContainsFunc(out, func(x rankCandidate) bool { return x.i == i }) || ps.excluded(q, ps.list[i]) {
			continue // two problems merged into one, or one it is not
		}
		st := ps.list[i]
		r := rankCandidate{i: i, f: ps.compare(q, st)}
		r.x[rfText] = max(0, float64(r.f.text))
		r.x[rfMember] = ps.bestMember(q, st, r.x[rfText])
		ps.partFeatures(q, st, &r.x)
		if r.f.category > 0 {
			r.x[rfSameCat] = 1
		} else if r.f.category < 0 {
			r.x[rfOtherCat] = 1
		}
		r.x[rfSize] = math.Log1p(float64(len(st.members)))
		last := ps.ds.facts[st.members[len(st.members)-1]].filed
		r.x[rfRecent] = math.Exp(-max(0, float64(filed-last)) / float64(90*Day))
		out = append(out, r)
	}
	ps.kin(out)
	for k := range out {
		own := max(out[k].x[rfText], out[k].x[rfMember])
		out[k].x[rfKin] = max(0, out[k].x[rfKin]-own)
		out[k].rank = rankScore(&out[k].x)
	}
	return out
}

func rankScore(x *[rfCount]float64) float64 {
	var s float64
	for j, w := range rankWeights {
		s += w * x[j]
	}
	return s
}

// bestMember is the best cosine of the description with one of the
// problem's latest complaints.
func (ps *Problems) bestMember(q *query, st *problemState, text float64) float64 {
	if len(st.members) == 1 {
		return text // its only complaint is its description
	}
	best := 0.0
	for _, m := range st.members[max(0, len(st.members)-rankMembers):] {
		best = max(best, dot(q.desc, ps.desc[m]))
	}
	return min(best, 1)
}

// partFeatures compares the parts, a typing slip being looked for among
// every part of the problem (the join looks only through the lists that
// brought the problem).
func (ps *Problems) partFeatures(q *query, st *problemState, x *[rfCount]float64) {
	if len(st.parts) > 1 {
		x[rfSpread] = 1
	}
	if q.partKey == "" || len(st.parts) == 0 {
		return
	}
	if _, ok := slices.BinarySearch(st.parts, q.part); ok && q.part >= 0 {
		x[rfSamePart] = 1
		recent := st.members[max(0, len(st.members)-rankMembers):]
		for _, m := range recent {
			if ps.ds.facts[m].part == q.part {
				x[rfPartShare]++
			}
		}
		x[rfPartShare] /= float64(len(recent))
		return
	}
	for _, p := range st.parts {
		if partsClose(q.partKey, ps.ds.parts.names[p]) {
			if ps.twoParts(q.supplier, q.part, p) {
				x[rfPartNeighbour] = 1
			} else {
				x[rfPartTypo] = 1
			}
			return
		}
	}
	if len(st.parts) > 1 {
		x[rfOtherSpread] = 1
	} else {
		x[rfOtherPart] = 1
	}
}

// kin gives each candidate the best description cosine among the other
// candidates whose cause is like its own.
func (ps *Problems) kin(cs []rankCandidate) {
	for a := range cs {
		ca := &ps.list[cs[a].i].cause
		if ca.norm == 0 {
			continue
		}
		for b := a + 1; b < len(cs); b++ {
			cb := &ps.list[cs[b].i].cause
			if cb.norm == 0 || dot(ca.v, cb.v)/(ca.norm*cb.norm) < kinCause {
				continue
			}
			cs[a].x[rfKin] = max(cs[a].x[rfKin], cs[b].x[rfText], cs[b].x[rfMember])
			cs[b].x[rfKin] = max(cs[b].x[rfKin], cs[a].x[rfText], cs[a].x[rfMember])
		}
	}
}

// What the ranking weighs that the join does not, said as reasons when it
// counts: one complaint of the problem worded closer than the problem as
// a whole by likeMember, a problem of a like cause closer by likeKin.
const (
	likeMember = 0.1
	likeKin    = 0.1
)

// rankReasons are the ranking's own reasons of a candidate's features,
// weighed by their share of its ranking score.
func rankReasons(x *[rfCount]float64) []Reason {
	var out []Reason
	if x[rfMember] >= x[rfText]+likeMember {
		out = append(out, Reason{Code: ReasonLikeComplaint, Weight: round3(rankWeights[rfMember] * x[rfMember])})
	}
	if x[rfKin] >= likeKin {
		out = append(out, Reason{Code: ReasonKinProblem, Weight: round3(rankWeights[rfKin] * x[rfKin])})
	}
	return out
}

// likelihood is the share of a candidate's exp(rank) among all of them.
func likelihood(rank float64, all []rankCandidate) float64 {
	var sum float64
	for _, x := range all {
		sum += math.Exp(x.rank - rank)
	}
	return round3(1 / sum)
}
