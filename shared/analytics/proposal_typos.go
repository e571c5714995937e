package analytics

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// A word typed with a slip ("Faisceu pincé", "Orietnation inversée",
// "chargeemnt") is a term no complaint holds: it matches nothing, and the
// description being proposed a problem loses its most telling word. The
// proposal reads such a word as the known word one typing slip away (a
// letter replaced, added, dropped, two neighbours swapped; words of five
// letters or more, accents folded), the one most complaints hold when
// several are. Only words the dataset never met are read again: a word it
// knows stays itself. The problems themselves are found on the words as
// written.

// maxWritten is how many written forms of a term are kept to recognise
// slips: the first in byte order, so that every replica keeps the same.
const maxWritten = 8

// addWritten adds a written form, accents folded, to a term's sorted list.
func addWritten(list []string, form string) []string {
	f := foldAccents(form)
	j, found := slices.BinarySearch(list, f)
	if found || (len(list) >= maxWritten && j == len(list)) {
		return list
	}
	list = slices.Insert(list, j, f)
	return list[:min(len(list), maxWritten)]
}

// slipIndex finds the terms written one slip away from a word: every
// written form (and term) under itself and each of its one-deletion
// variants (partVariants), built on the first query.
type slipIndex struct {
	once     sync.Once
	variants map[string][]slipEntry
}

type slipEntry struct {
	id   uint32
	word string
}

func (m *textModel) slipIndex() map[string][]slipEntry {
	m.slips.once.Do(func() {
		ix := map[string][]slipEntry{}
		for id, forms := range m.written {
			for _, w := range append(slices.Clone(forms), m.terms[id]) {
				if len(w) < minTypoPart {
					continue
				}
				for _, v := range partVariants(w) {
					if l := ix[v]; len(l) == 0 || l[len(l)-1].id != uint32(id) {
						ix[v] = append(l, slipEntry{uint32(id), w})
					}
				}
			}
		}
		m.slips.variants = ix
	})
	return m.slips.variants
}

// correctSlips reads each term of ts the model does not know as the known
// term one slip away, if any, and merges the terms that become one.
func (m *textModel) correctSlips(ts []termCount) []termCount {
	changed := false
	for i := range ts {
		if _, known := m.ids[ts[i].term]; known {
			continue
		}
		if id, ok := m.slipOf(foldAccents(ts[i].form)); ok {
			ts[i].term, changed = m.terms[id], true
		}
	}
	if !changed {
		return ts
	}
	slices.SortStableFunc(ts, func(a, b termCount) int { return strings.Compare(a.term, b.term) })
	w := 0
	for i := range ts {
		if w > 0 && ts[w-1].term == ts[i].term {
			ts[w-1].n += ts[i].n
			continue
		}
		ts[w] = ts[i]
		w++
	}
	return ts[:w]
}

// slipOf is the known term written one slip away from word, the one of
// most complaints (then the first in order) when several are.
func (m *textModel) slipOf(word string) (uint32, bool) {
	if utf8.RuneCountInString(word) < minTypoPart {
		return 0, false
	}
	ix := m.slipIndex()
	best, found := uint32(0), false
	for _, v := range partVariants(word) {
		for _, e := range ix[v] {
			if !withinOneEdit(word, e.word) {
				continue
			}
			if !found || m.df[e.id] > m.df[best] || (m.df[e.id] == m.df[best] && e.id < best) {
				best, found = e.id, true
			}
		}
	}
	return best, found
}
