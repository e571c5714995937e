package pgstore

import (
	"errors"

	"boucle/shared/boltstore"

	"github.com/jackc/pgx/v5"
)

// pendingFilings are the filings of the events a transaction appended,
// written at commit with the events (queueFilings).
type pendingFilings struct {
	complaints []string                             // in append order
	first      map[string]boltstore.ComplaintFiling // each complaint's first filing
	numbers    map[string]string                    // number → the complaint appended last with it
}

func (f *pendingFilings) add(complaint string, filing boltstore.ComplaintFiling) {
	if f.first == nil {
		f.first, f.numbers = map[string]boltstore.ComplaintFiling{}, map[string]string{}
	}
	if _, ok := f.first[complaint]; !ok {
		f.first[complaint] = filing
		f.complaints = append(f.complaints, complaint)
	}
	f.numbers[filing.Number] = complaint
}

// ComplaintFiling returns how a complaint was filed, as logged; ok is
// false when no filing of it is logged.
func (t *Tx) ComplaintFiling(id string) (boltstore.ComplaintFiling, bool) {
	var f boltstore.ComplaintFiling
	err := t.tx.QueryRow(t.ctx, "SELECT station, number FROM complaint_filings WHERE plant = $1 AND complaint = $2",
		t.plant.id, id).Scan(&f.Station, &f.Number)
	switch {
	case err == nil:
		return f, true // logged before this transaction: the first filing
	case errors.Is(err, pgx.ErrNoRows):
		f, ok := t.filings.first[id]
		return f, ok
	}
	t.fail(err)
	return boltstore.ComplaintFiling{}, false
}

// ComplaintWithNumber returns the id of the complaint holding a number;
// ok is false when none does.
func (t *Tx) ComplaintWithNumber(number string) (string, bool) {
	if id, ok := t.filings.numbers[number]; ok {
		return id, true
	}
	var id string
	err := t.tx.QueryRow(t.ctx, "SELECT complaint FROM complaint_numbers WHERE plant = $1 AND number = $2",
		t.plant.id, number).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) || t.fail(err) != nil {
		return "", false
	}
	return id, true
}

// queueFilings queues the writing of the transaction's filings: a
// complaint's filing only if none is logged, each number to its last
// complaint.
func (t *Tx) queueFilings(b *pgx.Batch) {
	f := &t.filings
	if len(f.complaints) == 0 {
		return
	}
	stations, numbers := make([]string, len(f.complaints)), make([]string, len(f.complaints))
	for i, c := range f.complaints {
		stations[i], numbers[i] = f.first[c].Station, f.first[c].Number
	}
	b.Queue(`INSERT INTO complaint_filings (plant, complaint, station, number)
		SELECT $1, c, s, n FROM unnest($2::text[], $3::text[], $4::text[]) AS f(c, s, n)
		ON CONFLICT (plant, complaint) DO NOTHING`, t.plant.id, f.complaints, stations, numbers)
	taken, holders := make([]string, 0, len(f.numbers)), make([]string, 0, len(f.numbers))
	for n, c := range f.numbers {
		taken, holders = append(taken, n), append(holders, c)
	}
	b.Queue(`INSERT INTO complaint_numbers (plant, number, complaint)
		SELECT $1, n, c FROM unnest($2::text[], $3::text[]) AS f(n, c)
		ON CONFLICT (plant, number) DO UPDATE SET complaint = excluded.complaint`, t.plant.id, taken, holders)
}
