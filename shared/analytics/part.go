package analytics

import (
	"slices"
	"strings"
	"unicode"

	"boucle/shared/domain"
)

// PartKey is a part reference reduced to what identifies the part, or ""
// when the reference says nothing: "BRK2041", "brk-2041 " and "BRK 2041"
// all give "BRK2041"; "?", "N/A", "voir photo", "-" and "" give "". Case,
// spaces, dashes, dots, slashes and accents are dropped: people type one
// reference several ways, and a screen must not split a problem on a dash.
// An unknown part never matches any part, not even another unknown one.
//
// A reference followed (or preceded) by the part's designation, "BRK-2041
// Support moteur", keeps the reference: the words from the first one
// holding a digit, with a short prefix written apart ("BRK 2041"), up to
// the next space.
func PartKey(ref string) string {
	words := strings.Fields(foldAccents(ref))
	if i := slices.IndexFunc(words, hasDigit); i >= 0 {
		start := i
		if i > 0 && isDigit(words[i][0]) && len(words[i-1]) <= 4 && !hasDigit(words[i-1]) {
			start = i - 1 // "BRK 2041"
		}
		words = words[start : i+1]
	}
	var b strings.Builder
	for _, w := range words {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(unicode.ToUpper(r))
			}
		}
	}
	k := b.String()
	if placeholderParts[k] {
		return ""
	}
	return k
}

func hasDigit(w string) bool { return strings.ContainsFunc(w, unicode.IsDigit) }

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// placeholderParts are what people write when they do not know the part,
// once reduced by PartKey ("N/A" → "NA", "voir photo" → "VOIRPHOTO").
var placeholderParts = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`NA NC ND NR NONE NULL NIL UNKNOWN INCONNU INCONNUE AUCUN AUCUNE SANS SANSREF NOREF
		VOIRPHOTO VOIRPHOTOS VOIRIMAGE SEEPHOTO SEEPHOTOS SEEPICTURE SEEATTACHED VOIRPJ PJ X XX XXX XXXX TBD TBC ADEFINIR
		NONRENSEIGNE NONCONNU NOTKNOWN DIVERS VARIOUS 0 00 000`) {
		m[w] = true
	}
	return m
}()

// partsClose reports whether two known part keys differ by at most one
// typing slip: one character replaced, added, dropped, or two neighbours
// swapped ("BRK2041" and "BRK2014", "BRK2041" and "BRK241"). Keys shorter
// than five characters must be equal: "P10" and "P11" are two parts.
func partsClose(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	if min(len(a), len(b)) < minTypoPart {
		return false
	}
	return withinOneEdit(a, b)
}

// minTypoPart is the shortest part key in which a typo is recognised.
const minTypoPart = 5

// withinOneEdit is the optimal-string-alignment distance ≤ 1, on bytes
// (PartKey keeps ASCII letters and digits in practice; a multi-byte letter
// only makes the test stricter).
func withinOneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		if a[i+1:] == b[i+1:] { // one replaced
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // two swapped
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:] // one added to b
	}
	return false
}

// partVariants lists the keys one deletion away from k, with k itself:
// two keys within one edit share one of them, so an index of variants
// finds the typo neighbours of a part without comparing every pair.
func partVariants(k string) []string {
	out := []string{k}
	if len(k) < minTypoPart {
		return out
	}
	for i := range len(k) {
		out = append(out, k[:i]+k[i+1:])
	}
	return out
}

// causePart is the part of the supplier station that a complaint's cause
// names, -1 when it names none. Engineers write the cause of a part's own
// program, tool or fixture with the part's reference ("the BRK-2041
// program was edited"): that cause is the part's problem, and another
// part's program with the same words is another problem. A reference is
// a word holding a letter and a digit; it names a part the station
// delivers when PartKey reduces it to that part, or to one typing slip
// away from it.
func (ps *Problems) causePart(supplier int32, c *domain.Complaint) int32 {
	if supplier < 0 || (c.RootCause == "" && len(c.Whys) == 0) {
		return -1
	}
	for _, text := range causeTexts(c) {
		if !strings.ContainsFunc(text, unicode.IsDigit) {
			continue
		}
		for _, w := range strings.Fields(text) {
			if !strings.ContainsFunc(w, unicode.IsDigit) || !strings.ContainsFunc(w, unicode.IsLetter) {
				continue
			}
			k := PartKey(w)
			if len(k) < minTypoPart {
				continue
			}
			if near := ps.partNeighbours(supplier, k); len(near) > 0 {
				return near[0]
			}
		}
	}
	return -1
}
