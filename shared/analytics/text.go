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
//     and keep the shorter stem (French on a tie); a word typed without
//     accents is also stemmed with the accent of a French past participle
//     put back ("deformees" as "deformées"), so that it meets its accented
//     spelling. Descriptions mix both
//     languages and a query of three words cannot be told apart reliably,
//     so the choice must not depend on the rest of the text: the same word
//     always gives the same term ("rayures" and "rayure" → "rayur",
//     "scratched" and "scratches" → "scratch");
//  5. fold accents ("déformé" → "deform").
//
// Numbers written as words ("dix", "twelve", "une dizaine") and the words
// that only hedge a quantity ("environ", "about") are stop words too: they
// say how much, never what went wrong.

// token is one kept word: its term (stem) and its written form (lower
// case, accents kept), used to label the term for people; start and end
// are its byte offsets in the text.
type token struct {
	term       string
	form       string
	start, end int
	follow     bool // false when a sentence break (. , ; : ! ? parentheses, new line) came before it
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
	if utf8.RuneCountInString(folded) < 2 || isStopWord(w, folded) || isNumber(folded) || numberWords[folded] {
		return wordInfo{stop: true}
	}
	return wordInfo{term: stem(w, folded), form: w}
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
	if r := reaccented(w); r != "" {
		if ra := french.Stem(r, true); utf8.RuneCountInString(ra) < utf8.RuneCountInString(s) {
			s = ra
		}
	}
	s = foldAccents(s)
	if utf8.RuneCountInString(s) < 2 {
		return folded
	}
	return s
}

// reaccented returns a word typed without accents with the accent of a
// French past participle put back on its ending ("deformees" →
// "deformées", "raye" → "rayé"), or "" when the word has accents or no
// such ending. The French stemmer only recognises the accented endings:
// without this, "déformées" and "deformees" would be two terms.
func reaccented(w string) string {
	for _, end := range [][2]string{{"ees", "ées"}, {"ee", "ée"}, {"es", "és"}, {"e", "é"}} {
		if stem, ok := strings.CutSuffix(w, end[0]); ok && len(stem) >= 3 && foldAccents(w) == w {
			return stem + end[1]
		}
	}
	return ""
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
	start := 0
	flush := func(end int) {
		if len(buf) == 0 {
			return
		}
		info := analyseWord(string(buf))
		buf = buf[:0]
		if !info.stop {
			emit(token{term: info.term, form: info.form, start: start, end: end, follow: !pendingBreak})
			pendingBreak = false
		}
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(buf) == 0 {
				start = i
			}
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			flush(i)
			if isSentenceBreak(r) {
				pendingBreak = true
			}
		}
	}
	flush(len(text))
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

// numberWords are numbers written as words, fractions and collective
// numbers, and the words that hedge a quantity, in French and English
// (folded forms). Ordinals from the second on are numbers too; "premier"
// and "first" are kept, for the first-article check.
var numberWords = func() map[string]bool {
	words := strings.Fields(`
		zero un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize
		dixsept dixhuit dixneuf vingt vingts trente quarante cinquante soixante septante huitante octante nonante
		cent cents mille millier milliers million millions milliard
		demi demie demis moitie moities quart quarts tiers
		dizaine dizaines douzaine douzaines quinzaine quinzaines vingtaine vingtaines trentaine centaine centaines
		deuxieme troisieme quatrieme cinquieme sixieme septieme huitieme neuvieme dixieme
		environ approximativement approx quasi presque quelque quelques plusieurs nombreux nombreuses
		divers diverses certains certaines maximum minimum
		one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
		seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
		hundred hundreds thousand thousands million millions billion
		half halves quarter quarters third thirds dozen dozens score
		fourth fifth sixth seventh eighth ninth tenth
		once twice thrice
		about approximately around roughly nearly almost several many few various
	`)
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}()

// bestForm chooses how to show a word or phrase to people among the ways
// it was written (form → count): the most frequent once accents are
// folded, then, among the spellings of that one, the most frequent with
// accents if any has them ("déformée" even where most typed "deformee"),
// the smallest on a tie.
func bestForm[N int | int32](forms map[string]N) string {
	folded := map[string]N{}
	for f, n := range forms {
		folded[foldAccents(f)] += n
	}
	best, bestN := "", N(0)
	for f, n := range folded {
		if n > bestN || (n == bestN && f < best) {
			best, bestN = f, n
		}
	}
	form, formN, accented := best, N(0), false
	for f, n := range forms {
		if foldAccents(f) != best {
			continue
		}
		acc := f != best
		switch {
		case acc && !accented, acc == accented && (n > formN || (n == formN && f < form)):
			form, formN, accented = f, n, acc
		}
	}
	return form
}
