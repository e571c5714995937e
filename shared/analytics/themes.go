package analytics

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
)

// ThemeOptions chooses the periods and the size of the lists.
type ThemeOptions struct {
	Period Granularity // Week or Month; default Month
	Top    int         // terms and phrases per period; default 10
	// MinCount is the fewest complaints a term must appear in, in the
	// period, to be listed. Default 2: one complaint is not a theme.
	MinCount int
}

func (o ThemeOptions) withDefaults() ThemeOptions {
	if o.Period != Week {
		o.Period = Month
	}
	if o.Top <= 0 {
		o.Top = 10
	}
	if o.MinCount <= 0 {
		o.MinCount = 2
	}
	return o
}

// ThemePeriod lists the themes of one period.
type ThemePeriod struct {
	Period     string    `json:"period"` // "2026-W05" or "2026-03"
	Start      time.Time `json:"start"`
	Complaints int       `json:"complaints"`
	Terms      []Theme   `json:"terms"`
	Phrases    []Theme   `json:"phrases"`
}

// Theme is a stemmed term or a two-word phrase with its trend: the number
// of complaints whose description holds it this period and the period
// before.
type Theme struct {
	Term     string `json:"term"`  // stem, or two stems joined by a space
	Label    string `json:"label"` // most frequent surface form(s) in the data analysed
	Count    int    `json:"count"`
	Previous int    `json:"previous"`
	Delta    int    `json:"delta"` // Count − Previous
}

// Themes returns, for each period of the filter (From to To, or the first
// to the last filing), the most frequent terms and two-word phrases in the
// descriptions of the complaints passing the filter. A term counts once
// per complaint. A phrase is two kept words next to each other once the
// stop words are gone ("trace de graisse" gives "trac graiss"), not across
// punctuation. The period before the first one is read too, so that its
// trend is known; the periods themselves are cut at the filter's bounds.
// Lists are sorted by count, then delta, both descending,
// then term.
func (ds *Dataset) Themes(f Filter, s Settings, opts ThemeOptions) []ThemePeriod {
	s, opts = s.withDefaults(), opts.withDefaults()
	cohort := ds.selected(f)
	times := make([]int64, len(cohort))
	for i, p := range cohort {
		times[i] = ds.facts[p].filed
	}
	from, last, ok := span(times, f)
	if !ok {
		return []ThemePeriod{}
	}
	starts := periodRange(from, last, opts.Period, s.Location)
	wide := f
	wide.From = prevPeriod(starts[0], opts.Period)
	tally := newThemeTally()
	for _, p := range ds.selected(wide) {
		c := ds.complaints[p]
		// Before From, only the period before the first one is read.
		if c.FiledAt.Before(starts[0]) || f.InPeriod(c.FiledAt) {
			tally.add(c, periodStart(c.FiledAt, opts.Period, s.Location).Unix())
		}
	}
	out := make([]ThemePeriod, len(starts))
	for i, st := range starts {
		prev := prevPeriod(st, opts.Period).Unix()
		out[i] = ThemePeriod{Period: periodLabel(st, opts.Period), Start: st, Complaints: tally.complaints[st.Unix()],
			Terms:   tally.top(tally.terms, st.Unix(), prev, opts),
			Phrases: tally.top(tally.phrases, st.Unix(), prev, opts)}
	}
	return out
}

// themeTally counts, per period start, the complaints holding each term
// and phrase, and the surface forms of each term for the labels.
type themeTally struct {
	complaints map[int64]int
	terms      map[int64]counter
	phrases    map[int64]counter
	forms      map[string]counter
}

func newThemeTally() *themeTally {
	return &themeTally{complaints: map[int64]int{}, terms: map[int64]counter{}, phrases: map[int64]counter{}, forms: map[string]counter{}}
}

func (t *themeTally) add(c *domain.Complaint, period int64) {
	t.complaints[period]++
	var terms, phrases []string
	prev := ""
	tokenize(c.Description, func(tok token) {
		terms = append(terms, tok.term)
		t.form(tok.term, tok.form)
		if prev != "" && tok.follow && prev != tok.term {
			phrases = append(phrases, prev+" "+tok.term)
		}
		prev = tok.term
	})
	if t.terms[period] == nil {
		t.terms[period], t.phrases[period] = counter{}, counter{}
	}
	countOnce(t.terms[period], terms)
	countOnce(t.phrases[period], phrases)
}

// countOnce counts each distinct value of vs once.
func countOnce(c counter, vs []string) {
	slices.Sort(vs)
	for _, v := range slices.Compact(vs) {
		c[v]++
	}
}

func (t *themeTally) form(term, form string) {
	fs := t.forms[term]
	if fs == nil {
		fs = counter{}
		t.forms[term] = fs
	}
	fs[form]++
}

func (t *themeTally) top(counts map[int64]counter, period, prev int64, opts ThemeOptions) []Theme {
	out := []Theme{}
	for term, n := range counts[period] {
		if n >= opts.MinCount {
			p := counts[prev][term]
			out = append(out, Theme{Term: term, Count: n, Previous: p, Delta: n - p})
		}
	}
	slices.SortFunc(out, func(a, b Theme) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(b.Delta, a.Delta), strings.Compare(a.Term, b.Term))
	})
	out = out[:min(opts.Top, len(out))]
	for i := range out {
		out[i].Label = t.label(out[i].Term)
	}
	return out
}

// label gives the most frequent surface form of each stem of the term, the
// smallest on a tie.
func (t *themeTally) label(term string) string {
	words := strings.Fields(term)
	for i, w := range words {
		best, bestN := w, 0
		for form, n := range t.forms[w] {
			if n > bestN || (n == bestN && form < best) {
				best, bestN = form, n
			}
		}
		words[i] = best
	}
	return strings.Join(words, " ")
}
