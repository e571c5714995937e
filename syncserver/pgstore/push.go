package pgstore

import (
	"context"
	"errors"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/google/uuid"
)

// Append offers a batch of events to the plant's log in one transaction,
// with the log's own rules of a push (the sync server adds its checks of
// authorship, payload and state between them, with the Tx's methods):
//   - already logged → Duplicate: acknowledged, not stored again;
//   - already refused → the same refusal;
//   - a sequence number past the replica's next → *GapError: nothing of
//     the batch is written;
//   - a sequence number already used by another event → refused for good
//     (sync.sequence_reused), kept apart from the log;
//   - otherwise appended → Accepted.
//
// Each answer of a retried push is the answer of the first one.
func (p *Plant) Append(ctx context.Context, events []domain.Event) ([]syncproto.EventResult, error) {
	results := make([]syncproto.EventResult, len(events))
	err := p.Update(ctx, func(t *Tx) error {
		ids := make([]uuid.UUID, len(events))
		for i := range events {
			ids[i] = events[i].ID
		}
		found := t.LookUpEvents(ids)
		for i := range events {
			var err error
			if results[i], err = t.offer(&events[i], found[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// offer decides one event of Append.
func (t *Tx) offer(e *domain.Event, found boltstore.EventLookup) (syncproto.EventResult, error) {
	res := syncproto.EventResult{ID: e.ID}
	if found.Repeat { // the same event earlier in the batch: decided by now
		logged := t.HasEvent(e.ID)
		found = boltstore.EventLookup{Logged: logged, Refused: !logged}
	}
	if t.err != nil {
		return res, t.err
	}
	if found.Logged {
		res.Result = syncproto.Duplicate
		return res, t.AdvanceReplica(e.Replica, e.Seq)
	}
	if found.Refused {
		if r, ok := t.Rejection(e.ID); ok {
			res.Result, res.Code, res.Reason = syncproto.Rejected, r.Code, r.Reason
			return res, t.AdvanceReplica(e.Replica, e.Seq)
		}
	}
	if err := t.SequenceRefusal(e); err != nil {
		var gap *GapError
		if errors.As(err, &gap) || t.err != nil {
			return res, err
		}
		de := domain.AsError(err)
		res.Result, res.Code, res.Reason = syncproto.Rejected, de.Code, de.Rule+": "+de.Message
		return res, t.StoreRejection(e, res.Code, res.Reason)
	}
	res.Result = syncproto.Accepted
	return res, t.AppendNew(e, boltstore.FilingOf(e))
}
