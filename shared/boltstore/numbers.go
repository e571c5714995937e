package boltstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// This file keeps two small indexes of complaint filings, written with the
// log itself (appendEvent) rather than by the fold, so that the server's
// push transaction, which only logs complaint events, can check a filing
// against every filing logged before it, the same push's included:
//
//   - bucketComplaintFilings: complaint id → filing station, 0, number —
//     whose operators act as the complaint's complainant;
//   - idxComplaintNumber: number → complaint id — numbers are unique.

// ComplaintFiling is what the filing of a complaint fixed for good.
type ComplaintFiling struct {
	Station string // the filing station: its operators are the complainant
	Number  string
}

// ComplaintFiling returns how a complaint was filed, as logged here; ok is
// false when no filing of it is logged.
func (t *Tx) ComplaintFiling(id string) (f ComplaintFiling, ok bool) {
	raw := t.tx.Bucket(bucketComplaintFilings).Get([]byte(id))
	if raw == nil {
		return ComplaintFiling{}, false
	}
	station, number, _ := bytes.Cut(raw, []byte{0})
	return ComplaintFiling{Station: string(station), Number: string(number)}, true
}

// ComplaintWithNumber returns the id of the complaint holding a number;
// ok is false when none does.
func (t *Tx) ComplaintWithNumber(number string) (id string, ok bool) {
	raw := t.tx.Bucket(idxComplaintNumber).Get([]byte(number))
	return string(raw), raw != nil
}

// putFiling records a logged complaint.filed (appendFiled). A complaint keeps its
// first filing. The number goes to the complaint logged last: on the
// server a taken number never reaches the log (the push refuses it), and
// on a workstation the log's later filings of a number are the server's
// (pulled), which win over a local one it is going to refuse.
func putFiling(tx *bolt.Tx, id string, p *ComplaintFiling) error {
	filings := tx.Bucket(bucketComplaintFilings)
	if filings.Get([]byte(id)) == nil {
		if err := filings.Put([]byte(id), []byte(p.Station+"\x00"+p.Number)); err != nil {
			return err
		}
	}
	return tx.Bucket(idxComplaintNumber).Put([]byte(p.Number), []byte(id))
}

// unindexFiling forgets a filing the server refused: the complaint does
// not exist for the plant, and its number is not its own.
func (t *Tx) unindexFiling(e *domain.Event) error {
	p, err := filedPayload(e)
	if err != nil || p == nil {
		return err
	}
	numbers := t.tx.Bucket(idxComplaintNumber)
	if string(numbers.Get([]byte(p.Number))) == e.EntityID {
		if err := numbers.Delete([]byte(p.Number)); err != nil {
			return err
		}
	}
	return t.tx.Bucket(bucketComplaintFilings).Delete([]byte(e.EntityID))
}

// filedPayload reads what the indexes need of a complaint.filed event; nil for
// any other event, or one this version cannot read. It decodes two fields
// only: the server runs it on every filing inside its single writer.
func filedPayload(e *domain.Event) (*ComplaintFiling, error) {
	if e.Type != domain.ComplaintFiled || !e.Known() {
		return nil, nil
	}
	var p struct {
		Number  string `json:"number"`
		Station string `json:"filing_station"`
	}
	if json.Unmarshal(e.Payload, &p) != nil || p.Number == "" {
		return nil, nil // an invalid filing indexes nothing; the fold flags it
	}
	return &ComplaintFiling{Station: p.Station, Number: p.Number}, nil
}

// FilingOf reads what the filing indexes keep of a complaint.filed event:
// nil for any other event, or one this version cannot read.
func FilingOf(e *domain.Event) *ComplaintFiling {
	f, _ := filedPayload(e)
	return f
}

// indexFilingsOfLog builds the filing indexes of a store written before
// they existed (schema 1): one walk of the log, leaving out the events the
// server refused.
func indexFilingsOfLog(tx *bolt.Tx) error {
	rejected := tx.Bucket(bucketRejections)
	return tx.Bucket(bucketEvents).ForEach(func(_, raw []byte) error {
		e, err := domain.DecodeEvent(raw)
		if err != nil {
			return nil // damaged: the next migration seals it as such, readers quarantine it
		}
		if rejected.Get(e.ID[:]) != nil {
			return nil
		}
		p, err := filedPayload(&e)
		if err != nil || p == nil {
			return err
		}
		return putFiling(tx, e.EntityID, p)
	})
}

// nextNumber hands out the next complaint number of the filing station
// for the current year, in this workstation's series (see NumberSeries):
// PRESS2-2026-0042 in the bare series, PRESS2-2026-B0042 in series B. The
// counter is this workstation's, and a number already logged here (pulled
// from the plant, filed before a reinstall) is skipped.
func (t *Tx) nextNumber(station string) (string, error) {
	year := t.store.clock.Last().Time().Year()
	if y := t.store.now().Year(); y > year {
		year = y
	}
	series := t.NumberSeries()
	key := keyCounterPrefix + station + "/" + strconv.Itoa(year)
	if series != "" {
		key += "/" + series
	}
	meta := t.tx.Bucket(bucketMeta)
	numbers := t.tx.Bucket(idxComplaintNumber)
	n := readU64(meta.Get([]byte(key)))
	var number string
	for {
		n++
		number = fmt.Sprintf("%s-%d-%s%04d", station, year, series, n)
		if numbers.Get([]byte(number)) == nil {
			break
		}
	}
	return number, meta.Put([]byte(key), u64(n))
}

// NumberSeries is this workstation's complaint number series: the letters
// the server gave it at enrolment, "" for a standalone workstation (the
// bare series of the numbers filed before series existed).
func (t *Tx) NumberSeries() string { return string(t.tx.Bucket(bucketMeta).Get(keyNumberSeries)) }

// SetNumberSeries saves the series the server gave this workstation.
func (t *Tx) SetNumberSeries(series string) error {
	if series != "" && !domain.ValidNumberSeries(series) {
		return domain.FieldError("series", "must be 1 to 3 capital letters")
	}
	return putOrDelete(t.tx.Bucket(bucketMeta), keyNumberSeries, series)
}
