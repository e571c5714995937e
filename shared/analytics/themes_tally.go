package analytics

import (
	"cmp"
	"slices"
	"strings"
)

// themeTally counts, per period, the complaints holding each term and
// phrase, over the dataset's numbered descriptions (themeTexts). The
// complaints of a period are counted with one dense array per kind, reset
// after the period, and kept as sorted (id, count) pairs: a period's
// previous one is looked up by binary search.
type themeTally struct {
	ds       *Dataset
	tt       *themeTexts
	slots    map[int64]int32 // period start (Unix s) → slot
	members  [][]int32       // by slot: the positions added, increasing
	terms    []sparseCounts  // by slot
	phrases  []sparseCounts  // by slot
	problems *problemSet
}

// sparseCounts are the ids held by some complaint of a period, increasing,
// with the number of complaints holding each.
type sparseCounts struct {
	ids, n []int32
}

func (c *sparseCounts) of(id int32) int {
	if i, ok := slices.BinarySearch(c.ids, id); ok {
		return int(c.n[i])
	}
	return 0
}

func newThemeTally(ds *Dataset) *themeTally {
	return &themeTally{ds: ds, tt: ds.themeTexts(), slots: map[int64]int32{}, problems: newProblemSet(ds.Problems())}
}

// add counts the complaint at position p in the period starting at
// period; positions come increasing.
func (t *themeTally) add(p int32, period int64) {
	s, ok := t.slots[period]
	if !ok {
		s = int32(len(t.members))
		t.slots[period] = s
		t.members = append(t.members, nil)
	}
	t.members[s] = append(t.members[s], p)
}

// slot returns the slot of a period, -1 when no complaint was added in it.
func (t *themeTally) slot(period int64) int32 {
	if s, ok := t.slots[period]; ok {
		return s
	}
	return -1
}

func (t *themeTally) complaintsIn(s int32) int {
	if s < 0 {
		return 0
	}
	return len(t.members[s])
}

// count fills the sparse counts of every period.
func (t *themeTally) count() {
	terms := newDistinctCounter(len(t.tt.terms.names))
	phrases := newDistinctCounter(len(t.tt.phrases.names))
	t.terms, t.phrases = make([]sparseCounts, len(t.members)), make([]sparseCounts, len(t.members))
	for s, members := range t.members {
		for _, p := range members {
			for _, o := range t.tt.at(p) {
				if o.phrase {
					phrases.add(o.key, p)
				} else {
					terms.add(o.key, p)
				}
			}
		}
		t.terms[s], t.phrases[s] = terms.flush(), phrases.flush()
	}
}

// distinctCounter counts, per id, the complaints holding it (each once).
type distinctCounter struct {
	n, last []int32 // by id: count; the last position counted + 1
	touched []int32
}

func newDistinctCounter(ids int) *distinctCounter {
	return &distinctCounter{n: make([]int32, ids), last: make([]int32, ids)}
}

func (d *distinctCounter) add(id, p int32) {
	if d.last[id] == p+1 {
		return
	}
	d.last[id] = p + 1
	if d.n[id] == 0 {
		d.touched = append(d.touched, id)
	}
	d.n[id]++
}

// flush returns the counts so far, sorted by id, and starts again.
func (d *distinctCounter) flush() sparseCounts {
	slices.Sort(d.touched)
	out := sparseCounts{ids: slices.Clone(d.touched), n: make([]int32, len(d.touched))}
	for i, id := range d.touched {
		out.n[i], d.n[id] = d.n[id], 0
	}
	d.touched = d.touched[:0]
	return out
}

// top lists the themes of one kind of the period in slot cur, against the
// period in slot prev: those held by at least MinCount complaints, by
// count, then delta, both descending, then term, at most Top, each with
// its complaints in (FiledAt, ID) order and their problems. Labels come
// later (label).
func (t *themeTally) top(phrase bool, cur, prev int32, opts ThemeOptions) []Theme {
	out := []Theme{}
	if cur < 0 {
		return out
	}
	counts, names := t.terms, t.tt.terms.names
	if phrase {
		counts, names = t.phrases, t.tt.phrases.names
	}
	type ranked struct {
		id int32
		th Theme
	}
	var list []ranked
	for i, id := range counts[cur].ids {
		if n := int(counts[cur].n[i]); n >= opts.MinCount {
			p := 0
			if prev >= 0 {
				p = counts[prev].of(id)
			}
			list = append(list, ranked{id, Theme{Term: names[id], Count: n, Previous: p, Delta: n - p}})
		}
	}
	slices.SortFunc(list, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.th.Count, a.th.Count), cmp.Compare(b.th.Delta, a.th.Delta), strings.Compare(a.th.Term, b.th.Term))
	})
	list = list[:min(opts.Top, len(list))]
	chosen := map[int32]int{} // id → index in list
	members := make([][]int32, len(list))
	for i, r := range list {
		chosen[r.id] = i
		members[i] = make([]int32, 0, r.th.Count)
	}
	for _, p := range t.members[cur] {
		for _, o := range t.tt.at(p) {
			if o.phrase != phrase {
				continue
			}
			if i, ok := chosen[o.key]; ok {
				if m := members[i]; len(m) == 0 || m[len(m)-1] != p { // a complaint once
					members[i] = append(m, p)
				}
			}
		}
	}
	for i, r := range list {
		r.th.Complaints = make([]string, len(members[i]))
		for j, p := range members[i] {
			r.th.Complaints[j] = t.ds.complaints[p].ID
		}
		r.th.Problems = t.problems.of(members[i])
		out = append(out, r.th)
	}
	return out
}

// label names every theme listed by the form most often written for it
// over all the complaints read (bestForm).
func (t *themeTally) label(periods []ThemePeriod) {
	type key struct {
		id     int32
		phrase bool
	}
	forms := map[key]map[string]int32{}
	for _, pr := range periods {
		for _, th := range pr.Terms {
			forms[key{t.tt.terms.ids[th.Term], false}] = map[string]int32{}
		}
		for _, th := range pr.Phrases {
			forms[key{t.tt.phrases.ids[th.Term], true}] = map[string]int32{}
		}
	}
	if len(forms) == 0 {
		return
	}
	for _, members := range t.members {
		for _, p := range members {
			for _, o := range t.tt.at(p) {
				if m, ok := forms[key{o.key, o.phrase}]; ok {
					m[t.tt.forms.names[o.form]]++
				}
			}
		}
	}
	for i := range periods {
		for j := range periods[i].Terms {
			periods[i].Terms[j].Label = bestForm(forms[key{t.tt.terms.ids[periods[i].Terms[j].Term], false}])
		}
		for j := range periods[i].Phrases {
			periods[i].Phrases[j].Label = bestForm(forms[key{t.tt.phrases.ids[periods[i].Phrases[j].Term], true}])
		}
	}
}

// problemSet lists the problems of a theme's complaints, each once, in
// the order of their first complaint in the theme.
type problemSet struct {
	ps   *Problems
	seen []int32 // by problem index: gen when listed
	gen  int32
}

func newProblemSet(ps *Problems) *problemSet {
	return &problemSet{ps: ps, seen: make([]int32, len(ps.list))}
}

// of lists the problems of the complaints at the given positions.
func (s *problemSet) of(positions []int32) []ProblemID {
	s.gen++
	out := []ProblemID{}
	for _, p := range positions {
		if g := s.ps.problem[p]; g >= 0 && s.seen[g] != s.gen {
			s.seen[g] = s.gen
			out = append(out, s.ps.list[g].id)
		}
	}
	return out
}
