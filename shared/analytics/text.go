package analytics

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// The text pipeline turns a description into terms, the same way for the
// index, the query typed by an operator and the themes:
//
//  1. split on anything that is not a letter or a digit (apostrophes and
//     hyphens included: "l'usure" gives "l" and "usure");
//  2. lower-case;
//  3. drop stop words (French and English, accented or not), pure numbers
//     and one-character tokens;
//  4. stem each word with both the French and the English Snowball stemmer
//     and keep the shorter stem (French on a tie). Descriptions mix both
//     languages and a query of three words cannot be told apart reliably,
//     so the choice must not depend on the rest of the text: the same word
//     always gives the same term ("rayures" and "rayure" → "rayur",
//     "scratched" and "scratches" → "scratch");
//  5. fold accents ("déformé" → "deform").

// token is one kept word: its term (stem) and the folded surface form, used
// to label the term for people.
type token struct {
	term   string
	form   string
	follow bool // false when a sentence break (. , ; : ! ? parentheses, new line) came before it
}

// wordInfo caches what the pipeline decided for one lower-case word.
type wordInfo struct {
	stop bool
	term string
	form string
}

// stemCache maps a lower-case word to its wordInfo. Stemming is the costly
// step and a plant's vocabulary is small, so the cache is shared by every
// index and dataset; it stops growing at maxCachedWords so that hostile
// input cannot make it unbounded.
var (
	stemCache   sync.Map
	cachedWords atomic.Int64
)

const maxCachedWords = 200_000

// analyseWord returns the decision for one lower-case word.
func analyseWord(w string) wordInfo {
	if v, ok := stemCache.Load(w); ok {
		return v.(wordInfo)
	}
	info := computeWord(w)
	if cachedWords.Load() < maxCachedWords {
		if _, loaded := stemCache.LoadOrStore(strings.Clone(w), info); !loaded {
			cachedWords.Add(1)
		}
	}
	return info
}

func computeWord(w string) wordInfo {
	folded := foldAccents(w)
	if utf8.RuneCountInString(folded) < 2 || isStopWord(w, folded) || isNumber(folded) {
		return wordInfo{stop: true}
	}
	return wordInfo{term: stem(w, folded), form: folded}
}

// stem applies both stemmers to the accented word (the French stemmer needs
// the accents) and folds the result.
func stem(w, folded string) string {
	if !isLetters(folded) {
		return folded // references such as "m8" or "12mm" are kept whole
	}
	fr, en := french.Stem(w, true), english.Stem(w, true)
	s := fr
	if utf8.RuneCountInString(en) < utf8.RuneCountInString(fr) {
		s = en
	}
	s = foldAccents(s)
	if utf8.RuneCountInString(s) < 2 {
		return folded
	}
	return s
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// tokenize runs the pipeline over text and calls emit for every kept word.
func tokenize(text string, emit func(token)) {
	var buf []byte
	pendingBreak := false
	flush := func() {
		if len(buf) == 0 {
			return
		}
		info := analyseWord(string(buf))
		buf = buf[:0]
		if !info.stop {
			emit(token{term: info.term, form: info.form, follow: !pendingBreak})
			pendingBreak = false
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			flush()
			if isSentenceBreak(r) {
				pendingBreak = true
			}
		}
	}
	flush()
}

func isSentenceBreak(r rune) bool {
	return strings.ContainsRune(".,;:!?()[]\n\r•", r)
}

// Terms returns the terms of text in order, as the index and the themes
// see them (stems, accents folded, stop words removed). It is exported so
// that a screen can show why two complaints match.
func Terms(text string) []string {
	var out []string
	tokenize(text, func(t token) { out = append(out, t.term) })
	return out
}

// foldAccents replaces accented Latin letters by their base letter and the
// ligatures by two letters, so that "étiquette" and "etiquette" meet.
func foldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := accentFold[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var accentFold = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'Œ': "oe", 'Æ': "ae"}
	groups := map[string]string{
		"a": "àáâãäåā", "c": "çćč", "e": "èéêëēė", "i": "ìíîïī", "n": "ñń",
		"o": "òóôõöøō", "u": "ùúûüū", "y": "ýÿ",
		"A": "ÀÁÂÃÄÅ", "C": "Ç", "E": "ÈÉÊË", "I": "ÌÍÎÏ", "N": "Ñ", "O": "ÒÓÔÕÖØ", "U": "ÙÚÛÜ", "Y": "Ý",
	}
	for base, accented := range groups {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// isStopWord checks the Snowball stop lists of both languages (they hold
// accented forms) and the extra list below (folded forms).
func isStopWord(lower, folded string) bool {
	return french.IsStopWord(lower) || english.IsStopWord(lower) || extraStopWords[folded]
}

// extraStopWords completes the Snowball lists: the unaccented spellings of
// accented stop words (shop-floor keyboards drop accents), and frequent
// French and English function words the Snowball lists leave out.
var extraStopWords = func() map[string]bool {
	words := strings.Fields(`
		a ou les ils elles etre avoir
		ete etee etees etes etant etante etants etantes etais etait etions etiez etaient
		fumes futes fut eumes eutes eut meme memes
		cette cet ceci cela ca celle celui ceux celles sans sous tres plus moins tout tous toute toutes
		aussi entre apres avant comme donc alors ainsi car puis encore deja leurs quand quel quelle
		quels quelles dont ici peu beaucoup chaque autre autres depuis lors selon vers chez
		oui si
		also would could may might shall must per via yet upon within without
	`)
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}()
