package analytics

import "time"

// Scorecard is one station seen from both sides of its loop: as the
// internal supplier of the station downstream and as the internal client of
// the one upstream.
type Scorecard struct {
	Station    string       `json:"station"`
	Name       string       `json:"name,omitempty"`
	AsSupplier SupplierCard `json:"as_supplier"`
	AsClient   ClientCard   `json:"as_client"`
}

// SupplierCard is what the station received. Counts and times are over the
// cohort (complaints filed in the period that pass the category and
// severity of the filter); the actions are a snapshot at now.
type SupplierCard struct {
	Received          int           `json:"received"`
	TimeToAcknowledge DurationStats `json:"time_to_acknowledge"`
	TimeToResolve     DurationStats `json:"time_to_resolve"`
	Recurrences       int           `json:"recurrences"`
	// RecurrencesAfterPrevention is the part of Recurrences that came back
	// after a preventive action or an approved plan.
	RecurrencesAfterPrevention int `json:"recurrences_after_prevention"`
	// OpenActions are the actions still open or in progress that the
	// station owes (on its complaints or plans), whatever the period;
	// OverdueActions are those of them past due.
	OpenActions    int `json:"open_actions"`
	OverdueActions int `json:"overdue_actions"`
}

// ClientCard is what the station filed.
type ClientCard struct {
	Filed int `json:"filed"`
}

// Scorecards returns one scorecard per station, sorted by code: every
// station of the reference data (retired ones only when they appear in
// complaints) and of the complaints, or only the one the filter's station
// fields name. Those fields choose the cards; they do not narrow what a
// card counts (what its station filed and received).
func (ds *Dataset) Scorecards(f Filter, s Settings, now time.Time) []Scorecard {
	s = s.withDefaults()
	cards := make([]*Scorecard, len(ds.stations.names)) // by station id, nil when not shown
	var out []*Scorecard
	for _, code := range ds.stationCodes() {
		if (f.Station == "" || f.Station == code) && (f.SupplierStation == "" || f.SupplierStation == code) &&
			(f.FilingStation == "" || f.FilingStation == code) {
			sc := &Scorecard{Station: code, Name: ds.stationName(code)}
			out = append(out, sc)
			if id := ds.stations.lookup(code); id >= 0 {
				cards[id] = sc
			}
		}
	}
	ds.fillCards(cards, f.withoutStations(), s)
	ds.countOpenActions(cards, f.withoutStations().withoutPeriod(), unixNano(now))
	result := make([]Scorecard, len(out))
	for i, sc := range out {
		result[i] = *sc
	}
	return result
}

func (ds *Dataset) fillCards(cards []*Scorecard, f Filter, s Settings) {
	recs := ds.Recurrences(s)
	acks, ress := make([][]time.Duration, len(cards)), make([][]time.Duration, len(cards))
	for _, p := range ds.selected(f) {
		x := &ds.facts[p]
		if sc := cards[x.filing]; sc != nil {
			sc.AsClient.Filed++
		}
		sc := cards[x.supplier]
		if sc == nil {
			continue
		}
		sc.AsSupplier.Received++
		if x.ack != noTime {
			acks[x.supplier] = append(acks[x.supplier], time.Duration(x.ack-x.filed))
		}
		if x.resolved != noTime {
			ress[x.supplier] = append(ress[x.supplier], time.Duration(x.resolved-x.filed))
		}
		if recs.of[p] >= 0 {
			sc.AsSupplier.Recurrences++
			sc.AsSupplier.RecurrencesAfterPrevention += b2i(recs.after[p])
		}
	}
	for id, sc := range cards {
		if sc != nil {
			sc.AsSupplier.TimeToAcknowledge = durationStats(acks[id])
			sc.AsSupplier.TimeToResolve = durationStats(ress[id])
		}
	}
}

func (ds *Dataset) countOpenActions(cards []*Scorecard, f Filter, now int64) {
	c := ds.compile(f)
	for i, due := range ds.pendingDue {
		sc := ds.actScope[i]
		if due == noTime || !sc.valid || cards[sc.supplier] == nil || !c.matchScope(ds, &sc) {
			continue
		}
		card := cards[sc.supplier]
		card.AsSupplier.OpenActions++
		card.AsSupplier.OverdueActions += b2i(now > due)
	}
}

// stationCodes returns every station the input knows of, sorted: those of
// the reference data that are not retired and those of the complaints.
func (ds *Dataset) stationCodes() []string {
	set := map[string]bool{}
	for _, s := range ds.in.Stations {
		if !s.Retired {
			set[s.Code] = true
		}
	}
	for _, name := range ds.stations.names {
		set[name] = true
	}
	delete(set, "")
	return sortedKeys(set)
}

func (ds *Dataset) stationName(code string) string {
	for _, s := range ds.in.Stations {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}
