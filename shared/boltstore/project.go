package boltstore

import "boucle/shared/domain"

// Events logged with Tx.Append are folded later, in log order, by Project.
// The watermark `projected` in the meta bucket is the log position up to
// which every event is folded; Ingest and Record fold at once and move it
// along while nothing awaits projection.

// projectedPos reads the watermark once per transaction.
func (t *Tx) projectedPos() uint64 {
	if !t.projectedRead {
		t.projected = readU64(t.tx.Bucket(bucketMeta).Get(keyProjected))
		t.projectedRead = true
	}
	return t.projected
}

// Backlog is the number of logged events not yet folded.
func (t *Tx) Backlog() uint64 { return t.LogLen() - t.projectedPos() }

// Project folds up to limit logged events past the watermark, in one
// transaction, and returns how many remain.
func (s *Store) Project(limit int) (remaining uint64, err error) {
	err = s.Update(func(t *Tx) error {
		pos := t.projectedPos()
		c := t.tx.Bucket(bucketEvents).Cursor()
		rejected := t.tx.Bucket(bucketRejections)
		n := 0
		for k, v := c.Seek(u64(pos + 1)); k != nil && n < limit; k, v = c.Next() {
			e, err := domain.DecodeEvent(v)
			if err != nil {
				return err
			}
			if rejected.Get(e.ID[:]) == nil {
				if err := t.fold(&e); err != nil {
					return err
				}
			}
			pos, n = readU64(k), n+1
		}
		t.projected = pos
		remaining = t.LogLen() - pos
		return nil
	})
	return remaining, err
}

// CatchUp folds every event awaiting projection. Readers that must see
// every logged event (the server's views, a test comparing stores) call
// it first; it costs one read transaction when there is nothing to do.
func (s *Store) CatchUp() error {
	var backlog uint64
	if err := s.View(func(t *Tx) error { backlog = t.Backlog(); return nil }); err != nil || backlog == 0 {
		return err
	}
	for {
		remaining, err := s.Project(5000)
		if err != nil || remaining == 0 {
			return err
		}
	}
}
