package analytics

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Rate is a share as its numerator and denominator, so that a report can
// show "7 / 20" and a test can check both; Pct is derived from them.
type Rate struct {
	Num int `json:"num"`
	Den int `json:"den"`
}

// Pct returns the share in percent, 0 when the denominator is 0.
func (r Rate) Pct() float64 {
	if r.Den == 0 {
		return 0
	}
	return 100 * float64(r.Num) / float64(r.Den)
}

// MarshalJSON adds the percentage for the API and the exports.
func (r Rate) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Num int     `json:"num"`
		Den int     `json:"den"`
		Pct float64 `json:"pct"`
	}{r.Num, r.Den, r.Pct()})
}

// DurationStats summarises durations. Median and P90 are nearest-rank
// percentiles (see percentile); Mean is exact to the nanosecond, truncated.
// All are zero when Count is 0.
type DurationStats struct {
	Count  int           `json:"count"`
	Mean   time.Duration `json:"mean"`
	Median time.Duration `json:"median"`
	P90    time.Duration `json:"p90"`
	Min    time.Duration `json:"min"`
	Max    time.Duration `json:"max"`
}

// MarshalJSON writes the durations in seconds (rounded), which every
// consumer of the API can read, instead of Go's nanoseconds.
func (s DurationStats) MarshalJSON() ([]byte, error) {
	sec := func(d time.Duration) int64 { return int64(d.Round(time.Second) / time.Second) }
	return json.Marshal(struct {
		Count  int   `json:"count"`
		Mean   int64 `json:"mean_seconds"`
		Median int64 `json:"median_seconds"`
		P90    int64 `json:"p90_seconds"`
		Min    int64 `json:"min_seconds"`
		Max    int64 `json:"max_seconds"`
	}{s.Count, sec(s.Mean), sec(s.Median), sec(s.P90), sec(s.Min), sec(s.Max)})
}

// durationStats sorts ds in place and summarises it.
func durationStats(ds []time.Duration) DurationStats {
	n := len(ds)
	if n == 0 {
		return DurationStats{}
	}
	slices.Sort(ds)
	return DurationStats{Count: n, Mean: meanDuration(ds), Median: percentile(ds, 50),
		P90: percentile(ds, 90), Min: ds[0], Max: ds[n-1]}
}

// percentile is the nearest-rank percentile of sorted values: the value of
// rank ⌈p·n/100⌉ (ranks from 1). It is always one of the observed values,
// which an engineer can find in the list. Integer arithmetic, so that
// 0.9·10 is exactly 9.
func percentile(sorted []time.Duration, p int) time.Duration {
	n := len(sorted)
	rank := (p*n + 99) / 100
	return sorted[max(rank, 1)-1]
}

// meanDuration sums whole seconds and the remaining nanoseconds apart: the
// sum of 100k durations of months in nanoseconds would overflow an int64.
func meanDuration(ds []time.Duration) time.Duration {
	var sec, ns int64
	for _, d := range ds {
		sec += int64(d / time.Second)
		ns += int64(d % time.Second)
	}
	n := int64(len(ds))
	q, r := sec/n, sec%n
	return time.Duration(q)*time.Second + time.Duration((r*int64(time.Second)+ns)/n)
}

// Count is the number of complaints (or actions) with one value of a
// dimension.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// counter counts by key.
type counter map[string]int

// sorted returns the counts by key, for tables read by key.
func (c counter) sorted() []Count {
	out := make([]Count, 0, len(c))
	for _, k := range sortedKeys(c) {
		out = append(out, Count{k, c[k]})
	}
	return out
}

// ParetoRow is one bar of a Pareto chart: the count, its share of the
// total and the cumulative share of this and the bars before it, in percent.
type ParetoRow struct {
	Key           string  `json:"key"`
	Count         int     `json:"count"`
	Pct           float64 `json:"pct"`
	CumulativePct float64 `json:"cumulative_pct"`
}

// pareto sorts by count descending, then key, and accumulates. The
// cumulative share is computed from the cumulative count, so the last row
// is exactly 100.
func pareto(counts []Count) []ParetoRow {
	rows := slices.Clone(counts)
	slices.SortStableFunc(rows, func(a, b Count) int { return b.Count - a.Count })
	total := 0
	for _, r := range rows {
		total += r.Count
	}
	out := make([]ParetoRow, len(rows))
	cum := 0
	for i, r := range rows {
		cum += r.Count
		out[i] = ParetoRow{Key: r.Key, Count: r.Count, Pct: 100 * float64(r.Count) / float64(total),
			CumulativePct: 100 * float64(cum) / float64(total)}
	}
	return out
}

// Granularity is the length of a calendar period.
type Granularity string

const (
	Week  Granularity = "week"  // ISO 8601 week, Monday to Sunday
	Month Granularity = "month" // calendar month
)

// PeriodCount is the count of one calendar period.
type PeriodCount struct {
	Period string    `json:"period"` // "2026-W05" or "2026-03"
	Start  time.Time `json:"start"`
	Count  int       `json:"count"`
}

// periodStart returns the start of the week or month holding t, in loc.
func periodStart(t time.Time, g Granularity, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	if g == Month {
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	}
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	return time.Date(y, m, d-wd, 0, 0, 0, 0, loc)
}

func nextPeriod(start time.Time, g Granularity) time.Time {
	if g == Month {
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 7)
}

func prevPeriod(start time.Time, g Granularity) time.Time {
	if g == Month {
		return start.AddDate(0, -1, 0)
	}
	return start.AddDate(0, 0, -7)
}

// periodLabel names a period: ISO week "2026-W05" or month "2026-03".
func periodLabel(start time.Time, g Granularity) string {
	if g == Month {
		return start.Format("2006-01")
	}
	y, w := start.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// periodRange returns the starts of every period from the one holding from
// to the one holding last, so that charts show empty periods too.
func periodRange(from, last time.Time, g Granularity, loc *time.Location) []time.Time {
	var out []time.Time
	end := periodStart(last, g, loc)
	for p := periodStart(from, g, loc); !p.After(end); p = nextPeriod(p, g) {
		out = append(out, p)
	}
	return out
}

// bucketise counts sorted times (Unix nanoseconds) per period between the
// filter's bounds, or the first and last time when a bound is open. The
// times are sorted, so one walk places them all.
func bucketise(sorted []int64, f Filter, g Granularity, loc *time.Location) []PeriodCount {
	from, last, ok := span(sorted, f)
	if !ok {
		return []PeriodCount{}
	}
	starts := periodRange(from, last, g, loc)
	out := make([]PeriodCount, len(starts))
	for i, s := range starts {
		out[i] = PeriodCount{Period: periodLabel(s, g), Start: s}
	}
	i := 0
	for _, t := range sorted {
		for i+1 < len(starts) && t >= unixNano(starts[i+1]) {
			i++
		}
		if t >= unixNano(starts[0]) && t < unixNano(nextPeriod(starts[len(starts)-1], g)) {
			out[i].Count++
		}
	}
	return out
}

// span returns the first and last instants to chart: the filter's bounds
// when set (To is exclusive), else the first and last of the sorted times.
// A period longer than maxChartSpan (a mistyped year) is cut to the times
// themselves, so that a request cannot ask for a million empty weeks.
func span(sorted []int64, f Filter) (from, last time.Time, ok bool) {
	if len(sorted) == 0 && (f.From.IsZero() || f.To.IsZero() || f.To.Sub(f.From) > maxChartSpan) {
		return time.Time{}, time.Time{}, false
	}
	from, last = f.From, f.To.Add(-time.Nanosecond)
	if f.From.IsZero() || last.Sub(from) > maxChartSpan {
		from = time.Unix(0, sorted[0])
	}
	if f.To.IsZero() || last.Sub(from) > maxChartSpan {
		last = time.Unix(0, sorted[len(sorted)-1])
	}
	return from, last, !last.Before(from)
}

// maxChartSpan is the longest period charted with its empty weeks.
const maxChartSpan = 20 * 366 * Day

// ceilDays rounds a positive duration up to whole days.
func ceilDays(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + Day - 1) / Day)
}
