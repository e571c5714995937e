package boltstore

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// Schema 3 → 4: the complaint lists are keyed by the fold order of each
// complaint's filing event (filedKey), which the states record in
// domain.Complaint.FiledOrder. The migration in Open's first transaction
// only empties the lists (their old keys, by filing millisecond, cannot be
// computed from the new states to be deleted one by one) and marks the
// work to do; rekeyByFilingOrder then reads each complaint's filing event,
// once the log is checksummed, in resumable batches.

// rekeyBatch is how many complaints one rekeying transaction handles.
var rekeyBatch = 2000 // a variable so that a test can make batches small

func startRekeyingByFilingOrder(tx *bolt.Tx) error {
	for _, name := range filingOrderBuckets {
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keyFilingRekeyed, complaintStatePrefix())
}

func complaintStatePrefix() []byte { return []byte(string(domain.EntityComplaint) + "\x00") }

// rekeyByFilingOrder finishes the migration to schema 4, if one is under
// way: keyFilingRekeyed remembers the last complaint done, and is removed
// at the end. Open returns only after.
func (s *Store) rekeyByFilingOrder() error {
	for {
		done := false
		err := s.Update(func(t *Tx) error {
			var err error
			done, err = t.rekeyBatch()
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate the complaint lists to schema 4: %w", err)
		}
		if done {
			return nil
		}
	}
}

// rekeyBatch rekeys the next complaints after the marker.
func (t *Tx) rekeyBatch() (done bool, err error) {
	meta := t.tx.Bucket(bucketMeta)
	from := meta.Get(keyFilingRekeyed)
	if from == nil {
		return true, nil
	}
	// Keys first, then the rewrites: bbolt's cursors do not survive writes
	// to their bucket.
	prefix := complaintStatePrefix()
	var keys [][]byte
	c := t.tx.Bucket(bucketStates).Cursor()
	k, _ := c.Seek(from)
	if k != nil && bytes.Equal(k, from) {
		k, _ = c.Next()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && len(keys) < rekeyBatch; k, _ = c.Next() {
		keys = append(keys, slices.Clone(k))
	}
	for _, k := range keys {
		if err := t.recordFilingOrder(k); err != nil {
			return false, fmt.Errorf("complaint %q: %w", k[len(prefix):], err)
		}
	}
	if len(keys) < rekeyBatch {
		return true, meta.Delete(keyFilingRekeyed)
	}
	return false, meta.Put(keyFilingRekeyed, keys[len(keys)-1])
}

// recordFilingOrder sets the filing order of one stored complaint state
// and writes its index keys.
func (t *Tx) recordFilingOrder(key []byte) error {
	states := t.tx.Bucket(bucketStates)
	st := &domain.State{}
	if err := decodeStateValue(states.Get(key), st); err != nil {
		return err
	}
	if st.Complaint == nil {
		return nil // events of a complaint whose filing is not here yet
	}
	order, err := t.filingOrder(st.Meta.Key)
	if err != nil {
		return err
	}
	st.Complaint.FiledOrder = order
	if err := states.Put(key, encodeStateValue(st)); err != nil {
		return err
	}
	for _, e := range indexEntries(st) {
		if err := t.tx.Bucket(e.bucket).Put([]byte(e.key), []byte(e.value)); err != nil {
			return err
		}
	}
	return nil
}

// filingOrder is the fold order of the complaint.filed event the fold
// applied: the first one, in fold order, that the server did not refuse.
func (t *Tx) filingOrder(k domain.EntityKey) (domain.OrderKey, error) {
	var order domain.OrderKey
	err := t.entityEvents(k, func(e *domain.Event) error {
		if e.Type != domain.ComplaintFiled || !e.Known() || t.IsRejected(e.ID) {
			return nil
		}
		order = e.Order()
		return errFound
	})
	switch {
	case errors.Is(err, errFound):
		return order, nil
	case err != nil:
		return order, err
	}
	return order, errors.New("no complaint.filed event for a filed complaint")
}

// errFound ends a walk at what it looked for.
var errFound = errors.New("found")
