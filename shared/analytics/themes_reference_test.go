package analytics

import (
	"cmp"
	"slices"
	"strings"

	"boucle/shared/domain"
)

// ReferenceThemes is Themes as it was before its descriptions were
// tokenised once per dataset: the straightforward version, kept to check
// that the fast one gives the same answer. It returns, for each period of the filter (From to To, or the first
// to the last filing), the most frequent terms and two-word phrases in the
// descriptions of the complaints passing the filter. A term counts once
// per complaint. A phrase is two kept words next to each other once the
// stop words are gone ("trace de graisse" gives "trac graiss"), not across
// punctuation. The period before the first one is read too, so that its
// trend is known; the periods themselves are cut at the filter's bounds.
// Lists are sorted by count, then delta, both descending,
// then term.
func (ds *Dataset) ReferenceThemes(f Filter, s Settings, opts ThemeOptions) []ThemePeriod {
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
	tally := newRefThemeTally()
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
			Terms:   ds.refWithProblems(tally.top(tally.terms, st.Unix(), prev, opts)),
			Phrases: ds.refWithProblems(tally.top(tally.phrases, st.Unix(), prev, opts))}
	}
	return out
}

// refWithProblems lists the problems of each theme's complaints.
func (ds *Dataset) refWithProblems(themes []Theme) []Theme {
	ps := ds.Problems()
	for i := range themes {
		themes[i].Problems = []ProblemID{}
		for _, id := range themes[i].Complaints {
			if p := ps.Of(id); p != "" && !slices.Contains(themes[i].Problems, p) {
				themes[i].Problems = append(themes[i].Problems, p)
			}
		}
	}
	return themes
}

// refThemeTally counts, per period start, the complaints holding each term
// and phrase, and how people wrote each, for the labels.
type refThemeTally struct {
	complaints map[int64]int
	terms      map[int64]refHolders
	phrases    map[int64]refHolders
	forms      map[string]counter // term or phrase → written forms
}

// refHolders lists, per term, the complaints holding it (as added: in
// (FiledAt, ID) order).
type refHolders map[string][]string

func newRefThemeTally() *refThemeTally {
	return &refThemeTally{complaints: map[int64]int{}, terms: map[int64]refHolders{}, phrases: map[int64]refHolders{}, forms: map[string]counter{}}
}

func (t *refThemeTally) add(c *domain.Complaint, period int64) {
	t.complaints[period]++
	var terms, phrases []string
	var prev token
	tokenize(c.Description, func(tok token) {
		terms = append(terms, tok.term)
		t.form(tok.term, tok.form)
		if prev.term != "" && tok.follow && prev.term != tok.term {
			phrase := prev.term + " " + tok.term
			phrases = append(phrases, phrase)
			// The phrase as written, stop words between included: "traces de graisse".
			t.form(phrase, strings.Join(strings.Fields(strings.ToLower(c.Description[prev.start:tok.end])), " "))
		}
		prev = tok
	})
	if t.terms[period] == nil {
		t.terms[period], t.phrases[period] = refHolders{}, refHolders{}
	}
	refHoldOnce(t.terms[period], terms, c.ID)
	refHoldOnce(t.phrases[period], phrases, c.ID)
}

// refHoldOnce records the complaint once for each distinct value of vs.
func refHoldOnce(h refHolders, vs []string, id string) {
	slices.Sort(vs)
	for _, v := range slices.Compact(vs) {
		h[v] = append(h[v], id)
	}
}

func (t *refThemeTally) form(term, form string) {
	fs := t.forms[term]
	if fs == nil {
		fs = counter{}
		t.forms[term] = fs
	}
	fs[form]++
}

func (t *refThemeTally) top(counts map[int64]refHolders, period, prev int64, opts ThemeOptions) []Theme {
	out := []Theme{}
	for term, ids := range counts[period] {
		if n := len(ids); n >= opts.MinCount {
			p := len(counts[prev][term])
			out = append(out, Theme{Term: term, Count: n, Previous: p, Delta: n - p, Complaints: ids})
		}
	}
	slices.SortFunc(out, func(a, b Theme) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(b.Delta, a.Delta), strings.Compare(a.Term, b.Term))
	})
	out = out[:min(opts.Top, len(out))]
	for i := range out {
		out[i].Label = bestForm(t.forms[out[i].Term])
	}
	return out
}
