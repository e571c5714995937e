package boltstore

import (
	"encoding/binary"
	"fmt"
)

// stateDerivedBuckets hold what a rebuild writes from the states: the
// states and every index of them (indexEntries). The complaint filings
// and numbers are written with the log, and stay.
var stateDerivedBuckets = [][]byte{
	bucketStates, bucketComplaintRows, bucketComplaintText, idxComplaintFiled, idxComplaintStatus,
	idxComplaintSupplier, idxComplaintFiling, idxComplaintAssignee, idxComplaintDeadline,
	idxActionOwnerDue, idxActionDue, idxActionComplaint, idxPlanStatus, idxAttachment,
}

// migrateStateLayout refolds every state when the layout of the stored
// states changed since the store last wrote them (a field added to a
// domain struct, say): the binary values of the old layout cannot be read
// (statecodec.go). The states and their indexes are emptied and rebuilt
// from the log, then the layout is recorded; a rebuild interrupted starts
// again at the next open. A store without a recorded layout holds JSON
// states (an older version's), which stay readable: it only records it.
func (s *Store) migrateStateLayout() error {
	stale := false
	err := s.Update(func(t *Tx) error {
		meta := t.tx.Bucket(bucketMeta)
		switch saved := meta.Get(keyStateLayout); {
		case saved == nil:
			return meta.Put(keyStateLayout, binary.BigEndian.AppendUint32(nil, storedLayout))
		case len(saved) == 4 && binary.BigEndian.Uint32(saved) == storedLayout:
			return nil
		}
		stale = true
		return t.dropStates()
	})
	if err != nil || !stale {
		return err
	}
	if err := s.Rebuild(); err != nil {
		return fmt.Errorf("refold the states in this version's layout: %w", err)
	}
	return s.Update(func(t *Tx) error {
		return t.tx.Bucket(bucketMeta).Put(keyStateLayout, binary.BigEndian.AppendUint32(nil, storedLayout))
	})
}

// dropStates empties the states and their indexes, and marks the whole log
// as awaiting its fold.
func (t *Tx) dropStates() error {
	for _, name := range stateDerivedBuckets {
		if err := t.tx.DeleteBucket(name); err != nil {
			return err
		}
		if _, err := t.tx.CreateBucket(name); err != nil {
			return err
		}
	}
	t.projectedPos() // written back at commit (Store.Update)
	t.projected = 0
	return nil
}
