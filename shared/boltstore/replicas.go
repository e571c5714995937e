package boltstore

import (
	"maps"
	"slices"
)

// Each replica's high-water mark (bucketReplicas) is read and moved by
// every event a transaction logs: the server's gap check reads it, each
// logged event moves it. A push of 5000 events of one replica would read
// and rewrite the same key 10,000 times, so a transaction keeps the marks
// it touched in memory and writes each once, when it commits
// (flushReplicas, called by Store.Update).

// replicaMark is a replica's high-water mark as this transaction sees it.
type replicaMark struct {
	seq   uint64
	dirty bool // moved in this transaction: written at commit
}

// advanceReplicaSeq keeps, per replica, the highest sequence number below
// which none is missing: the server's gap check on push reads it.
func (t *Tx) advanceReplicaSeq(replica string, seq uint64) error {
	m := t.replicaMark(replica)
	if m.seq+1 == seq {
		m.seq, m.dirty = seq, true
	}
	return nil
}

// ReplicaSeq is the highest contiguous sequence number stored for replica.
func (t *Tx) ReplicaSeq(replica string) uint64 { return t.replicaMark(replica).seq }

// replicaMark reads a replica's mark once per transaction.
func (t *Tx) replicaMark(replica string) *replicaMark {
	if m, ok := t.replicas[replica]; ok {
		return m
	}
	if t.replicas == nil {
		t.replicas = map[string]*replicaMark{}
	}
	m := &replicaMark{seq: readU64(t.tx.Bucket(bucketReplicas).Get([]byte(replica)))}
	t.replicas[replica] = m
	return m
}

// replicaSeqs reads every replica's mark, with the moves of this
// transaction not yet written.
func (t *Tx) replicaSeqs() map[string]uint64 {
	out := map[string]uint64{}
	_ = t.tx.Bucket(bucketReplicas).ForEach(func(k, v []byte) error {
		out[string(k)] = readU64(v)
		return nil
	})
	for r, m := range t.replicas {
		if m.dirty {
			out[r] = m.seq
		}
	}
	return out
}

// flushReplicas writes the marks this transaction moved.
func (t *Tx) flushReplicas() error {
	b := t.tx.Bucket(bucketReplicas)
	for _, r := range slices.Sorted(maps.Keys(t.replicas)) {
		if m := t.replicas[r]; m.dirty {
			if err := b.Put([]byte(r), u64(m.seq)); err != nil {
				return err
			}
			m.dirty = false
		}
	}
	return nil
}
