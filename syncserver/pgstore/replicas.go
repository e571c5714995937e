package pgstore

import (
	"errors"
	"maps"
	"slices"

	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// Each replica's high-water mark is read and moved by every event a push
// logs; a transaction keeps the marks it touched in memory and writes the
// moved ones once, at commit (queueMarks), as the bbolt adapter does.

// replicaMark is a replica's high-water mark as this transaction sees it.
type replicaMark struct {
	seq   uint64
	dirty bool // moved in this transaction: written at commit
}

// ReplicaSeq is the highest contiguous sequence number stored for the
// replica (0 when none).
func (t *Tx) ReplicaSeq(replica string) uint64 {
	m, err := t.mark(replica)
	if t.fail(err) != nil {
		return 0
	}
	return m.seq
}

// AdvanceReplica moves the replica's mark to seq when seq is the next
// number; other numbers leave it (a duplicate below it, or an event past
// a hole that an older server stored).
func (t *Tx) AdvanceReplica(replica string, seq uint64) error {
	if err := t.writable("moving a replica's mark"); err != nil {
		return err
	}
	m, err := t.mark(replica)
	if err != nil {
		return t.fail(err)
	}
	if m.seq+1 == seq {
		m.seq, m.dirty = seq, true
	}
	return nil
}

// ReplicaSeqs returns every replica's mark, this transaction's moves
// included.
func (t *Tx) ReplicaSeqs() map[string]uint64 {
	out, err := replicaSeqs(t.tx.Query(t.ctx, "SELECT replica, seq FROM replica_marks WHERE plant = $1", t.plant.id))
	if t.fail(err) != nil {
		return map[string]uint64{}
	}
	for r, m := range t.marks {
		if m.dirty {
			out[r] = m.seq
		}
	}
	return out
}

func replicaSeqs(rows pgx.Rows, err error) (map[string]uint64, error) {
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	var replica string
	var seq int64
	_, err = pgx.ForEachRow(rows, []any{&replica, &seq}, func() error {
		out[replica] = uint64(seq)
		return nil
	})
	return out, err
}

// SequenceRefusal applies the replica's sequence to a pushed event the log
// does not hold: a number past the next expected is a *GapError (the
// whole push is refused, the replica re-sends from the mark); a number
// already used by another event refuses this one for good
// (sync.sequence_reused, to keep with StoreRejection); nil for the next.
func (t *Tx) SequenceRefusal(e *domain.Event) error {
	seq := t.ReplicaSeq(e.Replica)
	if t.err != nil {
		return t.err
	}
	switch next := seq + 1; {
	case e.Seq > next:
		return &GapError{Replica: e.Replica, Expected: next, Got: e.Seq}
	case e.Seq < next:
		return domain.RuleError(domain.EConflict, "sync.sequence_reused",
			"sequence %d of replica %s was already used by another event", e.Seq, e.Replica)
	}
	return nil
}

// mark reads a replica's mark once per transaction.
func (t *Tx) mark(replica string) (*replicaMark, error) {
	if m, ok := t.marks[replica]; ok {
		return m, nil
	}
	var seq int64
	err := t.tx.QueryRow(t.ctx, "SELECT seq FROM replica_marks WHERE plant = $1 AND replica = $2", t.plant.id, replica).Scan(&seq)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	m := &replicaMark{seq: uint64(seq)}
	t.marks[replica] = m
	return m, nil
}

// queueMarks queues the writing of the marks this transaction moved, in
// one statement.
func (t *Tx) queueMarks(b *pgx.Batch) {
	var replicas []string
	var seqs []int64
	for _, r := range slices.Sorted(maps.Keys(t.marks)) {
		if m := t.marks[r]; m.dirty {
			replicas, seqs = append(replicas, r), append(seqs, int64(m.seq))
		}
	}
	if len(replicas) == 0 {
		return
	}
	b.Queue(`INSERT INTO replica_marks (plant, replica, seq)
		SELECT $1, r, s FROM unnest($2::text[], $3::bigint[]) AS m(r, s)
		ON CONFLICT (plant, replica) DO UPDATE SET seq = excluded.seq`, t.plant.id, replicas, seqs)
}
