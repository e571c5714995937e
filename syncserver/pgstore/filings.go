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

// loggedFilings are the filing indexes as logged before the transaction,
// read at once for a push (LookUpFilings): the plant's lock keeps them
// as read until the transaction ends.
type loggedFilings struct {
	filings map[string]*boltstore.ComplaintFiling // by complaint; nil: none logged
	holders map[string]string                     // by number; "": none
}

// LookUpFilings reads in one round trip how complaints were filed and
// which complaints hold numbers, for ComplaintFiling and
// ComplaintWithNumber to answer from memory: a push's state rules ask
// for the filing of each of its complaint events, one round trip each
// otherwise. Both queries name their table's whole key per value (see
// probe).
func (t *Tx) LookUpFilings(complaints, numbers []string) {
	if t.err != nil || len(complaints)+len(numbers) == 0 {
		return
	}
	l := &t.logged
	if l.filings == nil {
		l.filings, l.holders = map[string]*boltstore.ComplaintFiling{}, map[string]string{}
	}
	for _, c := range complaints {
		l.filings[c] = nil
	}
	for _, n := range numbers {
		l.holders[n] = ""
	}
	var b pgx.Batch
	b.Queue(`SELECT q.c, f.station, f.number FROM unnest($2::text[]) AS q(c)
		CROSS JOIN LATERAL (SELECT station, number FROM complaint_filings WHERE plant = $1 AND complaint = q.c LIMIT 1) AS f`,
		t.plant.id, complaints).Query(func(rows pgx.Rows) error {
		var c string
		var f boltstore.ComplaintFiling
		_, err := pgx.ForEachRow(rows, []any{&c, &f.Station, &f.Number}, func() error {
			l.filings[c] = &boltstore.ComplaintFiling{Station: f.Station, Number: f.Number}
			return nil
		})
		return err
	})
	b.Queue(`SELECT q.n, h.complaint FROM unnest($2::text[]) AS q(n)
		CROSS JOIN LATERAL (SELECT complaint FROM complaint_numbers WHERE plant = $1 AND number = q.n LIMIT 1) AS h`,
		t.plant.id, numbers).Query(func(rows pgx.Rows) error {
		var n, c string
		_, err := pgx.ForEachRow(rows, []any{&n, &c}, func() error {
			l.holders[n] = c
			return nil
		})
		return err
	})
	t.fail(t.tx.SendBatch(t.ctx, &b).Close())
}

// ComplaintFiling returns how a complaint was filed, as logged; ok is
// false when no filing of it is logged.
func (t *Tx) ComplaintFiling(id string) (boltstore.ComplaintFiling, bool) {
	logged, read := t.logged.filings[id]
	if !read {
		var f boltstore.ComplaintFiling
		err := t.tx.QueryRow(t.ctx, "SELECT station, number FROM complaint_filings WHERE plant = $1 AND complaint = $2",
			t.plant.id, id).Scan(&f.Station, &f.Number)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			t.fail(err)
			return boltstore.ComplaintFiling{}, false
		}
		if err == nil {
			logged = &f
		}
	}
	if logged != nil {
		return *logged, true // logged before this transaction: the first filing
	}
	f, ok := t.filings.first[id]
	return f, ok
}

// ComplaintWithNumber returns the id of the complaint holding a number;
// ok is false when none does.
func (t *Tx) ComplaintWithNumber(number string) (string, bool) {
	if id, ok := t.filings.numbers[number]; ok {
		return id, true
	}
	if id, read := t.logged.holders[number]; read {
		return id, id != ""
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
