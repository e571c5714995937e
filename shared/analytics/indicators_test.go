package analytics_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"
	"time"

	"boucle/shared/analytics"
)

func h(n float64) time.Duration { return time.Duration(n * float64(time.Hour)) }

// TestIndicators checks every figure of the fixture's report for January
// and February 2026 against the hand computation.
func TestIndicators(t *testing.T) {
	r := fixture().Indicators(fixPer, fixSet, fixNow)

	t.Run("Cohort", func(t *testing.T) {
		// C01..C13 are filed in [01-01, 03-01); C00 (December) and C14
		// (March) are not. Countable: 13 − C09 (rejected) − C10 (duplicate)
		// − C11 (withdrawn) = 10.
		eq(t, "filed", r.Filed, 13)
		eq(t, "countable", r.Countable, 10)
	})

	t.Run("Volume", func(t *testing.T) {
		v := r.Volume
		// filing: MONTAGE C01 C04 C07 C09 C11 = 5; PEINT C02 C03 C06 C10 C12 = 5; PRESSE C05 C08 C13 = 3
		eq(t, "by filing", v.ByFilingStation, counts("MONTAGE", 5, "PEINT", 5, "PRESSE", 3))
		// supplier: DECOUPE C05 C08 C13 = 3; PEINT C01 C04 C07 C09 C11 = 5; PRESSE C02 C03 C06 C10 C12 = 5
		eq(t, "by supplier", v.BySupplierStation, counts("DECOUPE", 3, "PEINT", 5, "PRESSE", 5))
		// surface C01 C03 C04 C06 C07 C10 = 6; dimensional C02 C05 C08 C12 = 4; C13, C11, C09 one each
		eq(t, "by category", v.ByCategory, counts("contamination", 1, "dimensional", 4, "handling_damage", 1, "labelling", 1, "surface", 6))
		// critical C05; major C02 C03 C06 C08 C10 C12; minor C01 C04 C07 C09 C11 C13
		eq(t, "by severity", v.BySeverity, counts("critical", 1, "major", 6, "minor", 6))
		// claims C02 C05
		eq(t, "by kind", v.ByKind, counts("claim", 2, "complaint", 11))
		// closed C01 C02 C03 C04 C05 C12 = 6; investigating C07 C08 = 2; the others one each
		eq(t, "by status", v.ByStatus, counts("acknowledged", 1, "closed", 6, "duplicate", 1, "investigating", 2,
			"rejected", 1, "resolved", 1, "withdrawn", 1))
		// ISO weeks from the one holding 01-01 (W01, from Mon 2025-12-29)
		// to the one holding 02-28 (W09): W02 C01–C04, W03 C05, W04 C06,
		// W06 C07–C10, W07 C11, W08 C12, W09 C13; W01 and W05 are empty.
		eq(t, "by week", periods(v.ByWeek), []string{"2026-W01:0", "2026-W02:4", "2026-W03:1", "2026-W04:1", "2026-W05:0",
			"2026-W06:4", "2026-W07:1", "2026-W08:1", "2026-W09:1"})
		eq(t, "first week starts", v.ByWeek[0].Start, at("2025-12-29 00:00"))
		// January C01–C06, February C07–C13
		eq(t, "by month", periods(v.ByMonth), []string{"2026-01:6", "2026-02:7"})
	})

	t.Run("Pareto", func(t *testing.T) {
		// countable only: surface C01 C03 C04 C06 C07 = 5, dimensional
		// C02 C05 C08 C12 = 4, contamination C13 = 1; total 10
		eq(t, "categories", r.ParetoCategories, []analytics.ParetoRow{
			{Key: "surface", Count: 5, Pct: 50, CumulativePct: 50},        // 5/10
			{Key: "dimensional", Count: 4, Pct: 40, CumulativePct: 90},    // 4/10, (5+4)/10
			{Key: "contamination", Count: 1, Pct: 10, CumulativePct: 100}, // 1/10, 10/10
		})
		// PRESSE C02 C03 C06 C12 = 4; DECOUPE C05 C08 C13 = 3; PEINT C01
		// C04 C07 = 3 (tie: by code)
		eq(t, "suppliers", r.ParetoSuppliers, []analytics.ParetoRow{
			{Key: "PRESSE", Count: 4, Pct: 40, CumulativePct: 40},
			{Key: "DECOUPE", Count: 3, Pct: 30, CumulativePct: 70},
			{Key: "PEINT", Count: 3, Pct: 30, CumulativePct: 100},
		})
	})

	t.Run("TimeToAcknowledge", func(t *testing.T) {
		// acknowledged: C01..C09, C12, C13 (C10, C11 never were)
		// TTA sorted = 1h(C08) 2h(C01) 2h(C06) 2h(C09) 3h(C07) 4h(C02) 5h(C03) 6h(C12) 8h(C04) 24h(C13) 30h(C05), n = 11
		// median: rank ⌈0.5·11⌉ = 6 → 4h; p90: rank ⌈0.9·11⌉ = ⌈9.9⌉ = 10 → 24h
		// mean = 87h / 11 = 313200 s / 11 = 28472 s + 8/11 s → 28472.727272727 s (truncated to the ns)
		eq(t, "tta", r.TimeToAcknowledge, analytics.DurationStats{Count: 11, Mean: 28472*time.Second + 727272727,
			Median: h(4), P90: h(24), Min: h(1), Max: h(30)})
	})

	t.Run("TimeToResolve", func(t *testing.T) {
		// resolved now: C01 96h, C02 48h, C03 168h, C04 192h (second
		// resolution, after the reopening), C05 36h, C06 48h, C12 72h; C08
		// was reopened and is unresolved
		// sorted = 36 48 48 72 96 168 192, n = 7
		// median: rank ⌈3.5⌉ = 4 → 72h; p90: rank ⌈6.3⌉ = 7 → 192h
		// mean = 660h / 7 = 2376000 s / 7 = 339428 s + 4/7 s → 339428.571428571 s
		eq(t, "ttr", r.TimeToResolve, analytics.DurationStats{Count: 7, Mean: 339428*time.Second + 571428571,
			Median: h(72), P90: h(192), Min: h(36), Max: h(192)})
	})

	t.Run("Rates", func(t *testing.T) {
		// Countable with a deadline: C01 C02 C03 C04 C05 C06 C07 C08 C12 C13.
		// On time (resolved ≤ deadline): C01 C02 C04 C05 C06 C12 = 6.
		// Late: C03 (resolved 01-14 > 01-12), C07 and C08 (unresolved,
		// deadline passed before now). Undecided: C13 (deadline 03-20 > now).
		eq(t, "by deadline", r.ResolvedByDeadline, analytics.Rate{Num: 6, Den: 9})
		// Closed or reopened: C01 C02 C03 C04 C05 C12 (closed) + C08
		// (reopened) = 7; closed never reopened: C01 C02 C03 C05 C12 = 5.
		eq(t, "first-time resolution", r.FirstTimeResolution, analytics.Rate{Num: 5, Den: 7})
		// Resolved at least once: C01 C02 C03 C04 C05 C06 C12 + C08 (its
		// resolution was cleared by the reopening) = 8; reopened: C04 C08.
		eq(t, "reopen", r.Reopen, analytics.Rate{Num: 2, Den: 8})
		// escalated: C05, C07 / 13 filed
		eq(t, "escalation", r.Escalation, analytics.Rate{Num: 2, Den: 13})
		// recurrences in the cohort: C03 (of C00), C04 (of C01), C06 (of
		// C03, the problem's previous complaint), C08 (of C05), C12 (of
		// C02) / 10 countable
		eq(t, "recurrence", r.Recurrence, analytics.Rate{Num: 5, Den: 10})
		// after prevention: C03 and C06 (A0 done 12-20 on C00, same
		// problem), C08 (A5 done 01-20), C12 (A2b done 01-09, PL2 approved
		// 01-20); C04's problem only has A1, still open
		eq(t, "after prevention", r.RecurrenceAfterPrevention, analytics.Rate{Num: 4, Den: 5})
		if got := r.ResolvedByDeadline.Pct(); math.Abs(got-66.666666) > 1e-4 { // 6/9
			t.Errorf("pct = %v, want 66.67", got)
		}
	})

	t.Run("Satisfaction", func(t *testing.T) {
		// ratings: C01 5, C02 4, C03 2, C04 3, C05 5, C12 1 → 6 rated, sum 20
		// mean 20/6 = 3.333…; satisfied (4–5) C01 C02 C05 = 3; dissatisfied
		// (1–2) C03 C12 = 2; net = 100·(3 − 2)/6 = 16.666… points
		s := r.Satisfaction
		eq(t, "rated", s.Rated, 6)
		eq(t, "distribution", s.Distribution, [5]int{1, 1, 1, 1, 2})
		eq(t, "satisfied", s.Satisfied, 3)
		eq(t, "dissatisfied", s.Dissatisfied, 2)
		near(t, "mean", s.Mean, 20.0/6)
		near(t, "net", s.Net, 100.0/6)
	})

	t.Run("OverdueActions", func(t *testing.T) {
		// pending past due on 03-16, whatever the period: A1 (marc, due
		// 01-20, C01 → PEINT), A7 (marc, 02-10, C07 → PEINT), A12 (lea,
		// 03-01, C12 → PRESSE). A8 (due 03-20) and APL2 (04-01) are not late.
		eq(t, "overdue", r.OverdueActions, analytics.OverdueActions{Total: 3,
			ByOwner: counts("marc", 2, "lea", 1), ByStation: counts("PEINT", 2, "PRESSE", 1)})
	})

	t.Run("Prevention", func(t *testing.T) {
		// 30-day window. Plans started in the period: PL3 (01-06,
		// effective: no DECOUPE contamination/quantity complaint by 02-05),
		// PL1 (01-17, ineffective: C06 on 01-21), PL2 (02-18, pending until
		// 03-20). Preventive actions done in the period: A2b (01-09,
		// effective: no complaint of C02's problem in (01-09, 02-08]),
		// A4 (01-16, effective: C07 is another problem since issue 11),
		// A5 (01-20, ineffective: C08), A13 (02-27, pending). A0 was done
		// in December: not in the period.
		eq(t, "prevention", r.Prevention, analytics.PreventionSummary{
			Plans:   analytics.VerdictCounts{Effective: 1, Ineffective: 1, Pending: 1},
			Actions: analytics.VerdictCounts{Effective: 2, Ineffective: 1, Pending: 1},
		})
	})
}

// TestIndicatorsFiltered checks the station, category and severity fields.
func TestIndicatorsFiltered(t *testing.T) {
	ds := fixture()
	t.Run("Station", func(t *testing.T) {
		// PRESSE filed C05 C08 C13 and received C02 C03 C06 C10 C12 = 8
		f := fixPer
		f.Station = "PRESSE"
		r := ds.Indicators(f, fixSet, fixNow)
		eq(t, "filed", r.Filed, 8)
		// countable 8 − C10 = 7; recurrences C03 C06 C08 C12 = 4
		eq(t, "recurrence", r.Recurrence, analytics.Rate{Num: 4, Den: 7})
		// overdue: A12 (C12, PRESSE supplier); A1 and A7 are PEINT's and
		// their complaints were filed by MONTAGE
		eq(t, "overdue", r.OverdueActions.Total, 1)
		// plans of PRESSE: PL1 ineffective, PL2 pending; actions on PRESSE's
		// complaints (as supplier or filer): A2b effective, A5 (C05 filed by
		// PRESSE) ineffective, A13 (C13 filed by PRESSE) pending
		eq(t, "prevention", r.Prevention, analytics.PreventionSummary{
			Plans:   analytics.VerdictCounts{Ineffective: 1, Pending: 1},
			Actions: analytics.VerdictCounts{Effective: 1, Ineffective: 1, Pending: 1},
		})
	})
	t.Run("SupplierAndSeverity", func(t *testing.T) {
		// PEINT as supplier, minor: C01 C04 C07 C09 C11 = 5 (all minor)
		f := fixPer
		f.SupplierStation, f.Severity = "PEINT", "minor"
		r := ds.Indicators(f, fixSet, fixNow)
		eq(t, "filed", r.Filed, 5)
		// plans have no severity: none; actions: A4 (C04) effective (C07
		// is another problem)
		eq(t, "prevention", r.Prevention, analytics.PreventionSummary{Actions: analytics.VerdictCounts{Effective: 1}})
	})
	t.Run("Category", func(t *testing.T) {
		// dimensional: C02 C05 C08 C12; TTA 4h 30h 1h 6h → sorted 1 4 6 30,
		// median rank ⌈2⌉ = 2 → 4h, p90 rank ⌈3.6⌉ = 4 → 30h
		f := fixPer
		f.Category = "dimensional"
		r := ds.Indicators(f, fixSet, fixNow)
		eq(t, "filed", r.Filed, 4)
		eq(t, "median", r.TimeToAcknowledge.Median, h(4))
		eq(t, "p90", r.TimeToAcknowledge.P90, h(30))
	})
	t.Run("AbsurdPeriod", func(t *testing.T) {
		// years 1 to 9999: the weeks are cut to the first and last filing,
		// C00 (2025-W51) to C14 (2026-W10): W51, W52, then W01..W10 = 12
		r := ds.Indicators(analytics.Filter{From: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, fixSet, fixNow)
		eq(t, "filed", r.Filed, 15)
		eq(t, "weeks", len(r.Volume.ByWeek), 12)
		eq(t, "first", r.Volume.ByWeek[0].Period, "2025-W51")
	})
	t.Run("UnknownStation", func(t *testing.T) {
		f := fixPer
		f.Station = "NOWHERE"
		r := ds.Indicators(f, fixSet, fixNow)
		eq(t, "filed", r.Filed, 0)
		eq(t, "overdue", r.OverdueActions.Total, 0)
		eq(t, "tta", r.TimeToAcknowledge, analytics.DurationStats{})
	})
}

// TestScorecards checks the four stations' cards.
func TestScorecards(t *testing.T) {
	cards := fixture().Scorecards(fixPer, fixSet, fixNow)
	codes := []string{}
	for _, c := range cards {
		codes = append(codes, c.Station)
	}
	// ANCIEN is retired and appears in no complaint
	eq(t, "stations", codes, []string{"DECOUPE", "MONTAGE", "PEINT", "PRESSE"})
	want := map[string]analytics.Scorecard{
		// received C05 C08 C13; TTA 30h 1h 24h → 1 24 30, median rank 2 = 24h;
		// TTR C05 36h only; recurrence C08 (after A5); open A8 (due 03-20)
		"DECOUPE": {Station: "DECOUPE", AsSupplier: analytics.SupplierCard{Received: 3,
			TimeToAcknowledge:          analytics.DurationStats{Count: 3, Mean: 18*time.Hour + 20*time.Minute /* 55h/3 */, Median: h(24), P90: h(30), Min: h(1), Max: h(30)},
			TimeToResolve:              analytics.DurationStats{Count: 1, Mean: h(36), Median: h(36), P90: h(36), Min: h(36), Max: h(36)},
			Recurrences:                1,
			RecurrencesAfterPrevention: 1, OpenActions: 1}},
		// filed C01 C04 C07 C09 C11, received nothing
		"MONTAGE": {Station: "MONTAGE", AsClient: analytics.ClientCard{Filed: 5}},
		// received C01 C04 C07 C09 C11; TTA 2h 8h 3h 2h → 2 2 3 8, median
		// rank 2 = 2h, p90 rank ⌈3.6⌉ = 4 → 8h, mean 15/4 = 3.75h; TTR C01
		// 96h C04 192h, median rank 1 = 96h; recurrence C04 (no
		// prevention); open A1 and A7, both overdue; filed C02 C03 C06 C10 C12
		"PEINT": {Station: "PEINT", AsSupplier: analytics.SupplierCard{Received: 5,
			TimeToAcknowledge: analytics.DurationStats{Count: 4, Mean: h(3.75), Median: h(2), P90: h(8), Min: h(2), Max: h(8)},
			TimeToResolve:     analytics.DurationStats{Count: 2, Mean: h(144), Median: h(96), P90: h(192), Min: h(96), Max: h(192)},
			Recurrences:       1, OpenActions: 2, OverdueActions: 2},
			AsClient: analytics.ClientCard{Filed: 5}},
		// received C02 C03 C06 C10 C12; TTA 4h 5h 2h 6h → 2 4 5 6, median
		// 4h, mean 17/4 = 4.25h; TTR 48h 168h 48h 72h → 48 48 72 168,
		// median rank 2 = 48h, mean 336/4 = 84h; recurrences C03 C06 C12,
		// all after prevention; open A12 (overdue) and APL2 (plan PL2);
		// filed C05 C08 C13
		"PRESSE": {Station: "PRESSE", AsSupplier: analytics.SupplierCard{Received: 5,
			TimeToAcknowledge:          analytics.DurationStats{Count: 4, Mean: h(4.25), Median: h(4), P90: h(6), Min: h(2), Max: h(6)},
			TimeToResolve:              analytics.DurationStats{Count: 4, Mean: h(84), Median: h(48), P90: h(168), Min: h(48), Max: h(168)},
			Recurrences:                3,
			RecurrencesAfterPrevention: 3, OpenActions: 2, OverdueActions: 1},
			AsClient: analytics.ClientCard{Filed: 3}},
	}
	for _, c := range cards {
		eq(t, c.Station, c, want[c.Station])
	}
	t.Run("OneStation", func(t *testing.T) {
		f := fixPer
		f.Station = "PEINT"
		got := fixture().Scorecards(f, fixSet, fixNow)
		eq(t, "cards", got, []analytics.Scorecard{want["PEINT"]})
	})
}

// TestJSON checks the shapes the API and the exports read.
func TestJSON(t *testing.T) {
	b, err := json.Marshal(analytics.Rate{Num: 1, Den: 4})
	if err != nil || string(b) != `{"num":1,"den":4,"pct":25}` {
		t.Errorf("rate = %s, %v", b, err)
	}
	b, err = json.Marshal(analytics.DurationStats{Count: 2, Mean: 90 * time.Minute, Median: time.Hour, P90: 2 * time.Hour, Min: time.Hour, Max: 2 * time.Hour})
	want := `{"count":2,"mean_seconds":5400,"median_seconds":3600,"p90_seconds":7200,"min_seconds":3600,"max_seconds":7200}`
	if err != nil || string(b) != want {
		t.Errorf("stats = %s, %v", b, err)
	}
	if _, err := json.Marshal(fixture().Indicators(fixPer, fixSet, fixNow)); err != nil {
		t.Error(err)
	}
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// counts builds []Count from key, count pairs.
func counts(kv ...any) []analytics.Count {
	out := []analytics.Count{}
	for i := 0; i < len(kv); i += 2 {
		out = append(out, analytics.Count{Key: kv[i].(string), Count: kv[i+1].(int)})
	}
	return out
}

func periods(ps []analytics.PeriodCount) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Period+":"+strconv.Itoa(p.Count))
	}
	return out
}
