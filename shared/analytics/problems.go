package analytics

import (
	"slices"
	"time"
)

// ProblemID names a problem (failure mode). A problem the software
// proposed is named after the complaint that started it; a problem an
// engineer created (by moving a complaint to a new problem, or splitting)
// has the id the engineer's workstation gave it.
type ProblemID string

// Problems assigns every countable complaint to exactly one problem: the
// same failure (symptom or mechanism on the same product, or the same root
// cause) coming back. It is a pure function of the dataset: complaints are
// taken in their recorded order (FiledAt, the filing event's HLC, then id),
// never in the order they reached this replica, so the server and every
// workstation holding the same events find the same problems.
//
// For each complaint, in that order:
//  1. an engineer's decision (confirm, move, split: Complaint.Problem)
//     wins, after following the merges (a problem merged into another
//     hands its complaints to it);
//  2. otherwise the complaint is scored against the problems already met
//     of its supplier station (score and reasons: see Proposal), leaving
//     out those an engineer said it is not; it joins the best one scoring
//     at least ProposalThreshold, or starts a problem of its own.
//
// Then each problem of a station is compared as a whole with the others
// as they became, and joins the best alike one (problems_consolidate.go):
// a complaint in a wording its problem met only later, through a
// complaint analysed since, is found with it.
//
// Non-countable complaints (rejected, duplicate, withdrawn) belong to no
// problem; they are still scored, so a screen can show what they look like.
type Problems struct {
	ds    *Dataset
	model *textModel
	desc  []vec // by position
	cause []vec

	problem []int32    // by position: problem index, -1 for a non-countable complaint
	prev    []int32    // by position: the previous complaint of the same problem, -1
	best    []int32    // by position: the problem scored best (the one joined, or the runner-up of a new one), -1
	feat    []features // by position: how the complaint compared with best
	decided []bool     // by position: an engineer decided its problem

	list  []*problemState // by index: in order of their first complaint
	index map[ProblemID]int32
	merge map[ProblemID]ProblemID // merged → into, cycles removed

	parts     map[int32]*partition    // by home supplier station: the proposal's look-ups
	variant   map[variantKey][]int32  // part dict ids one deletion away (see partVariants)
	near      map[supplierKey][]int32 // the parts within one typo of a part, itself first
	partCount map[supplierKey]int32   // complaints per supplier station and part (twoParts)

	synonyms map[uint32]vec // term → the terms the problems associate with it (synonyms.go)

	byCategory map[supplierKey][]int32 // (home station, category) → its problems last met, latest first (proposal_rank.go)

	firstPrevention []int64 // by problem: earliest preventive action done or plan approved on any of its complaints
}

type supplierKey struct{ supplier, id int32 }

type variantKey struct {
	supplier int32
	v        string
}

// problemState is what the proposal compares a complaint with.
type problemState struct {
	id         ProblemID
	supplier   int32   // its home: the supplier station of its first complaint, or of the problem it was first decided into
	members    []int32 // positions, increasing
	parts      []int32 // part dict ids met, sorted
	spread     bool    // seen on two parts of the station, not a part and its slip (spreadOver)
	categories []int32 // category dict ids met, distinct
	families   [len(familyNames)]int32
	causeParts []int32     // the parts its complaints' causes name, sorted
	not        []ProblemID // the problems an engineer said one of its complaints is not
	text       centroid
	cause      centroid
	into       int32 // after the merges: the index it was merged into, else itself
}

// Problems returns the problems of the dataset, computed once.
func (ds *Dataset) Problems() *Problems {
	ds.problemsOnce.Do(func() {
		ds.problems = ds.findProblems()
		ds.problemsFound.Store(true)
	})
	return ds.problems
}

// ProblemsFound reports whether the problems are found: Problems returns
// at once.
func (ds *Dataset) ProblemsFound() bool { return ds.problemsFound.Load() }

// Len returns the number of problems.
func (ps *Problems) Len() int { return len(ps.list) }

// ProblemOf returns the problem of a complaint and how it was reached: an
// engineer's decision, or the proposal with its score and reasons. A
// non-countable or unknown complaint has no problem ("").
func (ps *Problems) ProblemOf(complaintID string) (ProblemID, Proposal) {
	p, ok := ps.ds.pos[complaintID]
	if !ok {
		return "", Proposal{}
	}
	return ps.problemAt(p), ps.proposalAt(p)
}

func (ps *Problems) problemAt(p int32) ProblemID {
	if ps.problem[p] < 0 {
		return ""
	}
	return ps.list[ps.problem[p]].id
}

// Complaints lists the complaints of a problem in (FiledAt, ID) order; a
// problem merged into another answers with the other's.
func (ps *Problems) Complaints(id ProblemID) []string {
	i, ok := ps.index[ps.resolve(id)]
	if !ok {
		return nil
	}
	out := make([]string, len(ps.list[i].members))
	for j, p := range ps.list[i].members {
		out[j] = ps.ds.complaints[p].ID
	}
	return out
}

// Resolve returns the problem that holds id's complaints now (id itself
// unless it was merged).
func (ps *Problems) Resolve(id ProblemID) ProblemID { return ps.resolve(id) }

// Problem describes one problem for its page.
type Problem struct {
	ID              ProblemID   `json:"id"`
	SupplierStation string      `json:"supplier_station"`
	Complaints      []string    `json:"complaints"` // by (FiledAt, ID)
	First           time.Time   `json:"first"`
	Last            time.Time   `json:"last"`
	Parts           []string    `json:"parts,omitempty"`      // part keys met (PartKey)
	Categories      []string    `json:"categories,omitempty"` // in order met
	MergedFrom      []ProblemID `json:"merged_from,omitempty"`
	// Decided counts the complaints an engineer placed there.
	Decided int `json:"decided"`
}

// Problem describes a problem; false when no complaint belongs to it.
func (ps *Problems) Problem(id ProblemID) (Problem, bool) {
	i, ok := ps.index[ps.resolve(id)]
	if !ok {
		return Problem{}, false
	}
	return ps.describe(i), true
}

// All describes every problem, in the order of their first complaint.
func (ps *Problems) All() []Problem {
	out := make([]Problem, len(ps.list))
	for i := range ps.list {
		out[i] = ps.describe(int32(i))
	}
	return out
}

func (ps *Problems) describe(i int32) Problem {
	st, ds := ps.list[i], ps.ds
	pr := Problem{ID: st.id, SupplierStation: ds.stations.names[st.supplier], Complaints: ps.Complaints(st.id)}
	if n := len(st.members); n > 0 {
		pr.First, pr.Last = ds.complaints[st.members[0]].FiledAt, ds.complaints[st.members[n-1]].FiledAt
	}
	for _, p := range st.parts {
		pr.Parts = append(pr.Parts, ds.parts.names[p])
	}
	for _, c := range st.categories {
		pr.Categories = append(pr.Categories, ds.categories.names[c])
	}
	for from := range ps.merge {
		if from != st.id && ps.resolve(from) == st.id {
			pr.MergedFrom = append(pr.MergedFrom, from)
		}
	}
	slices.Sort(pr.MergedFrom)
	for _, p := range st.members {
		if ps.decided[p] {
			pr.Decided++
		}
	}
	return pr
}

// problemsOfPositions lists the distinct problems (indices) of the
// complaints at the given positions, sorted.
func (ps *Problems) problemsOfPositions(pos []int32) []int32 {
	var out []int32
	for _, p := range pos {
		if i := ps.problem[p]; i >= 0 && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}
