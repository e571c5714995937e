package analytics

import (
	"math"
	"slices"
	"time"

	"boucle/shared/domain"
)

// Filter selects complaints. Empty fields select everything. The period is
// half-open, [From, To), on the filing time; a zero bound is open.
type Filter struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// Station selects the complaints the station filed or received.
	Station         string          `json:"station,omitempty"`
	SupplierStation string          `json:"supplier_station,omitempty"`
	FilingStation   string          `json:"filing_station,omitempty"`
	Category        string          `json:"category,omitempty"`
	Severity        domain.Severity `json:"severity,omitempty"`
}

// Match reports whether the complaint passes every field of the filter,
// for lists built outside a Dataset.
func (f Filter) Match(c *domain.Complaint) bool {
	eq := func(want, got string) bool { return want == "" || want == got }
	return f.InPeriod(c.FiledAt) && eq(f.SupplierStation, c.SupplierStation) && eq(f.FilingStation, c.FilingStation) &&
		(f.Station == "" || f.Station == c.SupplierStation || f.Station == c.FilingStation) &&
		eq(f.Category, c.Category) && eq(string(f.Severity), string(c.Severity))
}

// InPeriod reports whether t is in [From, To).
func (f Filter) InPeriod(t time.Time) bool {
	return (f.From.IsZero() || !t.Before(f.From)) && (f.To.IsZero() || t.Before(f.To))
}

// withoutStations is the filter with its station fields cleared, for
// computations that split by station themselves.
func (f Filter) withoutStations() Filter {
	f.Station, f.SupplierStation, f.FilingStation = "", "", ""
	return f
}

// withoutPeriod is the filter for snapshots taken at now.
func (f Filter) withoutPeriod() Filter {
	f.From, f.To = time.Time{}, time.Time{}
	return f
}

// compiled is a Filter translated to the dataset's ids.
type compiled struct {
	from, to                                      int64 // [from, to) in Unix nanoseconds
	station, supplier, filing, category, severity int32 // anyID, absentID or an id
}

func (ds *Dataset) compile(f Filter) compiled {
	c := compiled{from: math.MinInt64 + 1, to: math.MaxInt64,
		station: ds.stations.lookup(f.Station), supplier: ds.stations.lookup(f.SupplierStation),
		filing: ds.stations.lookup(f.FilingStation), category: ds.categories.lookup(f.Category),
		severity: ds.severities.lookup(string(f.Severity))}
	if !f.From.IsZero() {
		c.from = unixNano(f.From)
	}
	if !f.To.IsZero() {
		c.to = unixNano(f.To)
	}
	return c
}

func (c *compiled) inPeriod(t int64) bool { return t >= c.from && t < c.to }

func is(want, got int32) bool { return want == anyID || want == got }

func (c *compiled) match(f *fact) bool {
	return c.inPeriod(f.filed) && is(c.supplier, f.supplier) && is(c.filing, f.filing) &&
		(c.station == anyID || c.station == f.supplier || c.station == f.filing) &&
		is(c.category, f.category) && is(c.severity, int32(f.severity))
}

// scope is what a preventive action or plan protects: a supplier station
// and categories, taken from a complaint (complaint ≥ 0) or from a plan.
type scope struct {
	complaint  int32 // position, -1 for a plan's scope
	supplier   int32
	categories []int32
	valid      bool // false for an action whose complaint and plan are unknown
}

// matchScope applies the filter, period aside, to a scope. A scope taken
// from a complaint passes when that complaint does; a plan has no filing
// station or severity, so a filter on either leaves plans out (see
// docs/kpis.md, "Filters").
func (c *compiled) matchScope(ds *Dataset, s *scope) bool {
	if !s.valid {
		return false
	}
	if s.complaint >= 0 {
		f := &ds.facts[s.complaint]
		noPeriod := *c
		noPeriod.from, noPeriod.to = math.MinInt64, math.MaxInt64
		return noPeriod.match(f)
	}
	return is(c.station, s.supplier) && is(c.supplier, s.supplier) && c.filing == anyID && c.severity == anyID &&
		(c.category == anyID || slices.Contains(s.categories, c.category))
}

// selected returns the positions of the complaints passing the filter, in
// (FiledAt, ID) order. Facts are sorted by filing time, so the period is
// two binary searches.
func (ds *Dataset) selected(f Filter) []int32 {
	c := ds.compile(f)
	lo, _ := slices.BinarySearchFunc(ds.facts, c.from, func(x fact, t int64) int { return cmpInt(x.filed, t) })
	hi, _ := slices.BinarySearchFunc(ds.facts, c.to, func(x fact, t int64) int { return cmpInt(x.filed, t) })
	out := make([]int32, 0, max(hi-lo, 0))
	for p := lo; p < hi; p++ {
		if c.match(&ds.facts[p]) {
			out = append(out, int32(p))
		}
	}
	return out
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
