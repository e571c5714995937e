package boltstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// CheckReport is what Check found.
type CheckReport struct {
	Schema      uint64        // the file's schema version
	Events      int           // logged events read
	Damaged     int           // of which failed their checksum or did not decode
	States      int           // states compared with their refold
	Differ      int           // of which differ
	NotCompared int           // states with events awaiting projection
	Quarantined []Quarantined // as recorded by the readers
	Problems    []string      // everything wrong, one line each
}

// maxProblems bounds the report: a file damaged throughout would
// otherwise print a line per event.
const maxProblems = 200

func (r *CheckReport) problem(format string, args ...any) {
	if len(r.Problems) == maxProblems {
		r.Problems = append(r.Problems, "… (more problems not listed)")
	}
	if len(r.Problems) <= maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// ErrInUse is returned by Check when another process (a running server)
// holds the file.
var ErrInUse = errors.New("the store is in use by another process")

// Check verifies the store file at path offline, read-only: bbolt's
// consistency check (every page reachable once, keys in order), every
// logged event's checksum and decoding, and every folded state against
// the refold of its logged events. It takes as long as reading the whole
// file; Open's quick check is the bounded part of it.
func Check(path string) (report CheckReport, err error) {
	db, err := openBolt(path, true)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return report, ErrInUse
	}
	if err != nil {
		return report, err
	}
	defer db.Close()
	s := &Store{db: db, now: time.Now}
	err = db.View(func(btx *bolt.Tx) (err error) {
		defer func() {
			if err != nil {
				report.problem("reading the file: %v", err)
				err = nil
			}
		}()
		defer guard(&err) // runs first: a panic becomes err, then a problem
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		t := &Tx{tx: btx, store: s, states: map[domain.EntityKey]*cachedState{}}
		for _, name := range allBuckets {
			if btx.Bucket(name) == nil {
				report.problem("bucket %s is missing", name)
				return nil
			}
		}
		t.readAll(allBuckets...) // a damaged page fails here, not in tx.Check's goroutine (see bboltCheck)
		for err := range btx.Check() {
			report.problem("bbolt: %v", err)
		}
		report.Schema = readU64(btx.Bucket(bucketMeta).Get(keySchemaVersion))
		if report.Schema != SchemaVersion || btx.Bucket(bucketMeta).Get(keyChecksummed) != nil {
			report.problem("schema %d, not %d: start the server once to migrate the file, then check it", report.Schema, SchemaVersion)
			return nil
		}
		t.checkEvents(&report)
		t.checkStates(&report)
		report.Quarantined = t.Quarantined()
		return nil
	})
	return report, err
}

// checkEvents reads every logged event.
func (t *Tx) checkEvents(r *CheckReport) {
	c := t.tx.Bucket(bucketEvents).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r.Events++
		if _, err := decodeStored(readU64(k), v); err != nil {
			r.Damaged++
			r.problem("%v", err)
		}
	}
}

// checkStates compares every folded state with the refold of its events.
// States with an event past the projection watermark (the server folds
// pushed events a moment later) are counted, not compared.
func (t *Tx) checkStates(r *CheckReport) {
	projected := t.projectedPos()
	c := t.tx.Bucket(bucketStates).Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		key, _, ok := splitEntityKey(k)
		if !ok {
			r.problem("state key %q is not an entity key", k)
			continue
		}
		if t.lastPos(key) > projected {
			r.NotCompared++
			continue
		}
		r.States++
		if !t.sameAsRefold(key, raw) {
			r.Differ++
			r.problem("state of %s %s differs from the refold of its logged events", key.Type, key.ID)
		}
	}
}

// lastPos is the highest log position among an entity's events.
func (t *Tx) lastPos(k domain.EntityKey) uint64 {
	prefix := entityPrefix(k)
	var last uint64
	c := t.tx.Bucket(bucketEntityEvents).Cursor()
	for key, pos := c.Seek(prefix); key != nil && hasPrefix(key, prefix); key, pos = c.Next() {
		last = max(last, readU64(pos))
	}
	return last
}

// sameAsRefold compares a stored state with its refold, both re-encoded so
// that only their content counts.
func (t *Tx) sameAsRefold(k domain.EntityKey, raw []byte) bool {
	stored := &domain.State{}
	if err := decodeStateValue(raw, stored); err != nil {
		return false
	}
	folded, err := t.refold(k)
	if err != nil {
		return false
	}
	a, errA := json.Marshal(stored)
	b, errB := json.Marshal(folded)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}
