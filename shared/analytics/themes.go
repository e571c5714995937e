package analytics

import (
	"time"
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

// Theme is a term or a two-word phrase with its trend: the number of
// complaints whose description holds it this period and the period
// before, and those complaints.
type Theme struct {
	Term     string `json:"term"`  // stem, or two stems joined by a space
	Label    string `json:"label"` // the words people wrote: the most frequent written form, with its accents
	Count    int    `json:"count"`
	Previous int    `json:"previous"`
	Delta    int    `json:"delta"` // Count − Previous
	// Complaints holding it in the period, in (FiledAt, ID) order, and
	// their problems (countable complaints have one), in the order of
	// their first complaint here: what a theme opens.
	Complaints []string    `json:"complaints"`
	Problems   []ProblemID `json:"problems"`
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
	tally := newThemeTally(ds)
	for _, p := range ds.selected(wide) {
		filed := ds.filedTime(p)
		// Before From, only the period before the first one is read.
		if filed.Before(starts[0]) || f.InPeriod(filed) {
			tally.add(p, periodStart(filed, opts.Period, s.Location).Unix())
		}
	}
	tally.count()
	out := make([]ThemePeriod, len(starts))
	for i, st := range starts {
		cur, prev := tally.slot(st.Unix()), tally.slot(prevPeriod(st, opts.Period).Unix())
		out[i] = ThemePeriod{Period: periodLabel(st, opts.Period), Start: st, Complaints: tally.complaintsIn(cur),
			Terms: tally.top(false, cur, prev, opts), Phrases: tally.top(true, cur, prev, opts)}
	}
	tally.label(out)
	return out
}
