package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// maxGapRepairs bounds the 409 answers handled in one cycle, so that a
// server that keeps asking for the same event cannot spin the loop.
const maxGapRepairs = 3

// pushOutbox sends the outbox in replica-sequence order, in batches of up
// to syncproto.MaxBatchEvents, until it is empty.
func (s *Syncer) pushOutbox(ctx context.Context, c *Client) error {
	repairs := 0
	for {
		var batch []domain.Event
		err := s.store.View(func(tx *boltstore.Tx) (err error) { batch, err = tx.Outbox(syncproto.MaxBatchEvents); return err })
		if err != nil || len(batch) == 0 {
			return err
		}
		epoch, err := s.push(ctx, c, batch)
		var gap *GapError
		switch {
		case errors.As(err, &gap) && repairs < maxGapRepairs:
			repairs++
			if err := s.fillGap(ctx, c, gap); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if err := s.checkEpoch(ctx, c, epoch); err != nil {
				return err
			}
		}
	}
}

// push sends one batch and applies the server's answer for each event,
// returning the server's epoch.
func (s *Syncer) push(ctx context.Context, c *Client, batch []domain.Event) (string, error) {
	var resp syncproto.PushResponse
	err := s.authed(ctx, c, func() (err error) { resp, err = c.Push(ctx, batch); return err })
	if err != nil {
		return "", err
	}
	s.noteServerTime(resp.ServerTime)
	if len(resp.Results) == 0 {
		return "", domain.Errorf(domain.EInternal, "the server answered a push of %d events without results", len(batch))
	}
	return resp.Epoch, s.applyResults(batch, resp.Results)
}

// applyResults records the answers in one transaction: accepted and
// duplicate events leave the outbox (their evidence is marked for
// upload); rejected ones are kept, shown and never retried.
func (s *Syncer) applyResults(batch []domain.Event, results []syncproto.EventResult) error {
	own := s.store.Replica()
	rejected := 0
	err := s.store.Update(func(tx *boltstore.Tx) error {
		for i, r := range results {
			if i >= len(batch) || r.ID != batch[i].ID {
				return domain.Errorf(domain.EInternal, "push result %d does not match the event sent", i)
			}
			if err := applyResult(tx, own, &batch[i], r); err != nil {
				return err
			}
			if r.Result == syncproto.Rejected {
				rejected++
			}
		}
		return nil
	})
	if rejected > 0 {
		s.storeChanged()
		s.cfg.Logger.Warn("sync: the server refused events", "count", rejected)
	}
	return err
}

func applyResult(tx *boltstore.Tx, own string, e *domain.Event, r syncproto.EventResult) error {
	switch r.Result {
	case syncproto.Accepted, syncproto.Duplicate:
		if e.Replica == own {
			if err := tx.Acknowledge(e.Seq); err != nil {
				return err
			}
		}
		for _, sha := range attachments(e) {
			if tx.HasBlob(sha) {
				if err := tx.MarkBlobForUpload(sha); err != nil {
					return err
				}
			}
		}
		return nil
	case syncproto.Rejected:
		return tx.Reject(e, r.Code, r.Reason)
	}
	return domain.Errorf(domain.EInternal, "unknown push result %q", r.Result)
}

// attachments lists the evidence an event references.
func attachments(e *domain.Event) []string {
	var shas []string
	switch e.Type {
	case domain.ComplaintFiled:
		var p struct {
			Attachments []domain.Attachment `json:"attachments"`
		}
		if json.Unmarshal(e.Payload, &p) == nil {
			for _, a := range p.Attachments {
				shas = append(shas, a.SHA256)
			}
		}
	case domain.ComplaintAttachmentAdded:
		var p domain.AttachmentPayload
		if json.Unmarshal(e.Payload, &p) == nil {
			shas = append(shas, p.Attachment.SHA256)
		}
	}
	return shas
}

// fillGap answers a 409: the server lacks the events of gap.Replica from
// gap.Expected on (restored from a backup, or enrolled afresh), so they
// are pushed again from the local log, where acknowledged events stay.
func (s *Syncer) fillGap(ctx context.Context, c *Client, gap *GapError) error {
	var refs []boltstore.EventRef
	err := s.store.View(func(tx *boltstore.Tx) (err error) {
		refs, err = tx.ReplicaEventsAfter(map[string]uint64{gap.Replica: gap.Expected - 1})
		return err
	})
	if err != nil {
		return err
	}
	if len(refs) == 0 || refs[0].Seq != gap.Expected {
		return domain.Errorf(domain.EConflict, "the server needs event %d of replica %s, which this workstation does not hold", gap.Expected, gap.Replica)
	}
	s.cfg.Logger.Info("sync: pushing again events the server lacks", "replica", gap.Replica, "from", gap.Expected, "count", len(refs))
	return s.pushRefs(ctx, c, refs)
}

// pushRefs pushes logged events, sorted by replica and sequence, in
// batches holding one replica each.
func (s *Syncer) pushRefs(ctx context.Context, c *Client, refs []boltstore.EventRef) error {
	for len(refs) > 0 {
		n := 1
		for n < len(refs) && n < syncproto.MaxBatchEvents && refs[n].Replica == refs[0].Replica {
			n++
		}
		batch := make([]domain.Event, n)
		err := s.store.View(func(tx *boltstore.Tx) error {
			for i, r := range refs[:n] {
				var err error
				if batch[i], err = tx.EventAt(r.Pos); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if _, err := s.push(ctx, c, batch); err != nil {
			return fmt.Errorf("pushing again events of %s: %w", refs[0].Replica, err)
		}
		refs = refs[n:]
	}
	return nil
}
