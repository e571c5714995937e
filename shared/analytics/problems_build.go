package analytics

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"boucle/shared/domain"
)

// Finding the problems is one pass over the complaints in recorded order,
// but the proposal only compares a complaint with the problems of its own
// supplier station: the pass splits into one independent pass per
// supplier station (its partition), run on every core. A complaint an
// engineer placed in a problem of another station joins that problem's
// partition, at its place in the recorded order. Merges are applied once
// every partition is done: the merged problem's complaints join the
// other's.

// partition is the pass over one home supplier station.
type partition struct {
	supplier  int32
	positions []int32 // increasing
	list      []*problemState
	index     map[ProblemID]int32
	byPart    map[int32][]int32  // part dict id → local problems holding it, by last use
	byTerm    map[uint32][]int32 // term id → local problems whose complaints hold it (duplicates possible)
	byCause   map[uint32][]int32 // the same for the terms of the causes
	global    []int32            // local index → global index, once merged
	into      []int32            // local index → the local problem it was joined to (consolidate), itself if none
}

func (ds *Dataset) findProblems() *Problems {
	n := len(ds.complaints)
	ps := &Problems{ds: ds, problem: make([]int32, n), prev: make([]int32, n), best: make([]int32, n),
		feat: make([]features, n), decided: make([]bool, n), index: map[ProblemID]int32{},
		parts: map[int32]*partition{}, variant: map[variantKey][]int32{}, near: map[supplierKey][]int32{}, partCount: map[supplierKey]int32{}}
	ps.model, ps.desc, ps.cause = buildTextModel(ds.complaints)
	ps.merge = mergeMap(ds.in.Problems)
	ps.indexPartVariants()
	ps.partition()
	ps.runPartitions()
	ps.consolidatePartitions()
	ps.collect()
	ps.applyMerges()
	ps.learnSynonyms(ps.list)
	ps.indexCategories()
	ps.measurePrevention()
	return ps
}

// measurePrevention finds, per problem, the earliest preventive action
// done or plan approved on any of its complaints.
func (ps *Problems) measurePrevention() {
	ps.firstPrevention = make([]int64, len(ps.list))
	for i, st := range ps.list {
		first := int64(1<<63 - 1)
		for _, m := range st.members {
			first = min(first, ps.ds.firstPrevention[m])
		}
		ps.firstPrevention[i] = first
	}
}

// indexPartVariants lets a part find the parts one typo away among those
// of its supplier station, and lists those neighbours for every part met.
func (ps *Problems) indexPartVariants() {
	var pairs []supplierKey
	seen := map[supplierKey]bool{}
	for p := range ps.ds.facts {
		f := &ps.ds.facts[p]
		k := supplierKey{f.supplier, f.part}
		if f.part < 0 {
			continue
		}
		ps.partCount[k]++
		if seen[k] {
			continue
		}
		seen[k] = true
		pairs = append(pairs, k)
		for _, v := range partVariants(ps.ds.parts.names[f.part]) {
			vk := variantKey{f.supplier, v}
			ps.variant[vk] = append(ps.variant[vk], f.part)
		}
	}
	for _, k := range pairs {
		ps.near[k] = ps.partNeighbours(k.supplier, ps.ds.parts.names[k.id])
	}
}

// partition assigns each complaint to the pass of its home supplier
// station: its own, or that of the problem an engineer placed it in.
func (ps *Problems) partition() {
	ds := ps.ds
	home := map[ProblemID]int32{} // decided problem → its home station
	for p, c := range ds.complaints {
		if c.Problem == "" || !ds.facts[p].countable {
			continue
		}
		id := ProblemID(c.Problem)
		if _, ok := home[id]; ok {
			continue
		}
		if q, ok := ds.pos[c.Problem]; ok { // a problem the software named after its complaint
			home[id] = ds.facts[q].supplier
		} else {
			home[id] = ds.facts[p].supplier
		}
	}
	for p, c := range ds.complaints {
		s := ds.facts[p].supplier
		if h, ok := home[ProblemID(c.Problem)]; ok && c.Problem != "" && ds.facts[p].countable {
			s = h
		}
		pt := ps.parts[s]
		if pt == nil {
			pt = &partition{supplier: s}
			ps.parts[s] = pt
		}
		pt.positions = append(pt.positions, int32(p))
	}
}

// runPartitions runs the passes on every core.
func (ps *Problems) runPartitions() {
	for _, pt := range ps.parts {
		n := len(pt.positions)
		pt.index, pt.byPart, pt.byTerm = make(map[ProblemID]int32, n/2), make(map[int32][]int32, n/8), make(map[uint32][]int32, 1024)
		pt.byCause = make(map[uint32][]int32, 256)
		pt.list = make([]*problemState, 0, n/2)
	}
	ps.onEveryCore(func(pt *partition, sc *candidateScratch) {
		for _, p := range pt.positions {
			ps.assign(pt, p, sc)
		}
	})
}

// onEveryCore runs work on every partition, on every core, largest first.
func (ps *Problems) onEveryCore(work func(pt *partition, sc *candidateScratch)) {
	pts := make([]*partition, 0, len(ps.parts))
	for _, pt := range ps.parts {
		pts = append(pts, pt)
	}
	slices.SortFunc(pts, func(a, b *partition) int {
		return cmp.Or(cmp.Compare(len(b.positions), len(a.positions)), cmp.Compare(a.supplier, b.supplier))
	})
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pts)) {
		wg.Go(func() {
			var sc candidateScratch
			for i := int(next.Add(1) - 1); i < len(pts); i = int(next.Add(1) - 1) {
				work(pts[i], &sc)
			}
		})
	}
	wg.Wait()
}

// assign finds the problem of the complaint at p within its partition and
// adds it there. Indices are the partition's until collect.
func (ps *Problems) assign(pt *partition, p int32, sc *candidateScratch) {
	c, f := ps.ds.complaints[p], &ps.ds.facts[p]
	ps.problem[p], ps.prev[p], ps.best[p] = -1, -1, -1
	q := ps.queryOf(p)
	best, feat, score := ps.bestMatch(pt, &q, sc)
	ps.best[p], ps.feat[p] = best, feat
	if !f.countable {
		return
	}
	var target int32
	switch {
	case c.Problem != "":
		target, ps.decided[p] = pt.problemNamed(ProblemID(c.Problem), pt.supplier), true
	case best >= 0 && score >= ProposalThreshold:
		target = best
	default:
		target = pt.problemNamed(ProblemID(c.ID), f.supplier)
	}
	ps.problem[p] = target
	st := pt.list[target]
	n := len(st.parts)
	pt.add(target, p, &q)
	if len(st.parts) > n && !st.spread {
		st.spread = ps.spreadOver(st.supplier, st.parts)
	}
	for _, id := range q.not {
		if !slices.Contains(st.not, id) {
			st.not = append(st.not, id)
		}
	}
}

// problemNamed returns the local index of the problem with that id,
// creating it if need be.
func (pt *partition) problemNamed(id ProblemID, supplier int32) int32 {
	if i, ok := pt.index[id]; ok {
		return i
	}
	i := int32(len(pt.list))
	pt.list = append(pt.list, &problemState{id: id, supplier: supplier})
	pt.index[id] = i
	return i
}

// add makes the complaint a member of the problem and updates what later
// complaints compare with. A complaint an engineer placed there from
// another supplier station counts as a member but does not open the
// problem to that station's part and words.
func (pt *partition) add(i int32, p int32, q *query) {
	st := pt.list[i]
	st.members = append(st.members, p)
	if q.category >= 0 && !slices.Contains(st.categories, q.category) {
		st.categories = append(st.categories, q.category)
	}
	if q.family >= 0 {
		st.families[q.family]++
	}
	st.text.add(q.desc)
	st.cause.add(q.cause)
	st.causeParts = insertSorted(st.causeParts, q.causePart)
	if q.supplier != pt.supplier {
		return
	}
	if j, found := slices.BinarySearch(st.parts, q.part); q.part >= 0 && !found {
		st.parts = slices.Insert(st.parts, j, q.part)
	}
	if q.part >= 0 {
		l := pt.byPart[q.part]
		if k := slices.Index(l, i); k >= 0 { // keep the list by last use: the recent problems come first
			l = slices.Delete(l, k, k+1)
		}
		pt.byPart[q.part] = append(l, i)
	}
	indexTerms(pt.byTerm, q.desc, i)
	indexTerms(pt.byCause, q.cause, i)
}

// collect numbers the problems of every partition in the order of their
// first complaint and turns the partitions' indices into those numbers.
func (ps *Problems) collect() {
	type ref struct {
		pt    *partition
		local int32
	}
	var all []ref
	for _, pt := range ps.parts {
		pt.global = make([]int32, len(pt.list))
		for i := range pt.list {
			if pt.into[i] == int32(i) {
				all = append(all, ref{pt, int32(i)})
			}
		}
	}
	slices.SortFunc(all, func(a, b ref) int {
		return cmp.Compare(a.pt.list[a.local].members[0], b.pt.list[b.local].members[0])
	})
	ps.list = make([]*problemState, len(all))
	for g, r := range all {
		r.pt.global[r.local] = int32(g)
		st := r.pt.list[r.local]
		st.into = int32(g)
		ps.list[g] = st
		ps.index[st.id] = int32(g)
	}
	for _, pt := range ps.parts {
		for i := range pt.list {
			pt.global[i] = pt.global[pt.final(int32(i))]
		}
		for _, p := range pt.positions {
			if ps.problem[p] >= 0 {
				ps.problem[p] = pt.global[ps.problem[p]]
			}
			if ps.best[p] >= 0 {
				ps.best[p] = pt.global[ps.best[p]]
			}
		}
	}
}

// applyMerges moves the complaints of every merged problem into the
// problem it was merged into (following chains), renames a merged problem
// whose target has no complaint yet, and links each complaint to the
// previous one of its final problem.
func (ps *Problems) applyMerges() {
	if len(ps.merge) > 0 {
		for i, st := range ps.list {
			to := ps.resolve(st.id)
			if to == st.id {
				continue
			}
			j, ok := ps.index[to]
			if !ok { // the target has no complaint: this one takes its name
				delete(ps.index, st.id)
				st.id = to
				ps.index[to] = int32(i)
				continue
			}
			ps.list[j].absorb(st)
			ps.list[j].spread = ps.spreadOver(ps.list[j].supplier, ps.list[j].parts)
			st.into = j
			delete(ps.index, st.id)
		}
		ps.compact()
	}
	for _, st := range ps.list {
		for k, p := range st.members {
			ps.problem[p] = ps.index[st.id]
			ps.prev[p] = -1
			if k > 0 {
				ps.prev[p] = st.members[k-1]
			}
		}
	}
}

// absorb takes the complaints and profile of a problem merged into st.
func (st *problemState) absorb(o *problemState) {
	st.members = mergeSorted(st.members, o.members)
	for _, p := range o.parts {
		if j, found := slices.BinarySearch(st.parts, p); !found {
			st.parts = slices.Insert(st.parts, j, p)
		}
	}
	for _, c := range o.categories {
		if !slices.Contains(st.categories, c) {
			st.categories = append(st.categories, c)
		}
	}
	for f, n := range o.families {
		st.families[f] += n
	}
	for _, p := range o.causeParts {
		st.causeParts = insertSorted(st.causeParts, p)
	}
	st.text.add(o.text.v)
	st.cause.add(o.cause.v)
	o.members = nil
}

// compact drops the problems merged away, renumbers the rest in the order
// of their first complaint and points every old index (the partitions',
// best) at the problem that holds its complaints now.
func (ps *Problems) compact() {
	old := ps.list
	final := func(i int32) int32 {
		for old[i].into != i {
			i = old[i].into
		}
		return i
	}
	var alive []int32
	for i, st := range old {
		if len(st.members) > 0 && final(int32(i)) == int32(i) {
			alive = append(alive, int32(i))
		}
	}
	slices.SortFunc(alive, func(a, b int32) int { return cmp.Compare(old[a].members[0], old[b].members[0]) })
	renum := make([]int32, len(old))
	ps.list = make([]*problemState, len(alive))
	ps.index = make(map[ProblemID]int32, len(alive))
	for g, i := range alive {
		renum[i] = int32(g)
		ps.list[g] = old[i]
		ps.index[old[i].id] = int32(g)
	}
	for i := range old {
		renum[i] = renum[final(int32(i))]
	}
	for _, st := range ps.list {
		st.into = ps.index[st.id]
	}
	for p, b := range ps.best {
		if b >= 0 {
			ps.best[p] = renum[b]
		}
	}
	for _, pt := range ps.parts {
		for l, g := range pt.global {
			pt.global[l] = renum[g]
		}
	}
}

func mergeSorted(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || (i < len(a) && a[i] < b[j]) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// resolve follows the merges from id to the problem that holds its
// complaints now.
func (ps *Problems) resolve(id ProblemID) ProblemID {
	for range len(ps.merge) + 1 {
		into, ok := ps.merge[id]
		if !ok {
			return id
		}
		id = into
	}
	return id // unreachable: mergeMap removed the cycles
}

// mergeMap turns the merges recorded on problems into a map merged → into.
// Merges are taken in their recorded order; one that would close a cycle
// (a problem merged into itself or into a problem merged into it) is left
// out, the way the workstation refuses it (CheckMerge).
func mergeMap(problems []domain.Problem) map[ProblemID]ProblemID {
	var merged []*domain.Problem
	for i := range problems {
		if problems[i].MergedInto != "" {
			merged = append(merged, &problems[i])
		}
	}
	slices.SortFunc(merged, func(a, b *domain.Problem) int {
		if c := a.MergedOrder.Compare(b.MergedOrder); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	m := map[ProblemID]ProblemID{}
	for _, p := range merged {
		from, into := ProblemID(p.ID), ProblemID(p.MergedInto)
		if !reaches(m, into, from) {
			m[from] = into
		}
	}
	return m
}

// reaches reports whether following merges from a arrives at b.
func reaches(m map[ProblemID]ProblemID, a, b ProblemID) bool {
	for range len(m) + 1 {
		if a == b {
			return true
		}
		next, ok := m[a]
		if !ok {
			return false
		}
		a = next
	}
	return true
}

// insertSorted adds x (when ≥ 0 and absent) to a sorted set.
func insertSorted(set []int32, x int32) []int32 {
	if j, found := slices.BinarySearch(set, x); x >= 0 && !found {
		return slices.Insert(set, j, x)
	}
	return set
}

// indexTerms lists problem i under each term of v (once in a row).
func indexTerms(byTerm map[uint32][]int32, v vec, i int32) {
	for _, t := range v {
		if l := byTerm[t.id]; len(l) == 0 || l[len(l)-1] != i {
			byTerm[t.id] = append(l, i)
		}
	}
}
