package syncserver

import (
	"net/http"
	"strconv"
	"sync"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// batchPool recycles the buffers of pulled pages (megabytes each), which
// would otherwise dominate the garbage of a sync; putBatchBuffer keeps
// only the ordinary ones (memory.go).
var batchPool = sync.Pool{New: func() any { return new([]byte) }}

// push stores a batch of events in one transaction (see pushTx); a gap,
// an unknown event type or a foreign replica refuses the whole batch and
// nothing is written.
func (s *Server) push(c *gin.Context) {
	release, err := s.admitPush(c) // memory.go: bounds the bytes of pushes in flight
	if err != nil {
		_ = c.Error(err)
		return
	}
	defer release()
	defer s.projector.begin()()
	events, err := readPushBody(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	// Read, not yet applied (the end-to-end tests kill the server here).
	s.log.Debug("push received", "events", len(events))
	p := principalOf(c)
	gens, err := s.keyGenerations(c.Request.Context(), events)
	if err != nil {
		_ = c.Error(err)
		return
	}
	checks := s.prevalidate(events, gens)
	defer checks.stop()
	resp := syncproto.PushResponse{Results: make([]syncproto.EventResult, len(events))}
	err = s.events.UpdateLog(c.Request.Context(), func(t LogTx) error {
		pt := pushTx{t: t, device: p.device, subject: p.Login, clock: s.clockLimit(), epoch: readEpoch(t), authors: map[string]authorEntry{}}
		found := t.LookUpEvents(eventIDs(events))
		if l, ok := t.(FilingLookUp); ok {
			l.LookUpFilings(filingKeys(events))
		}
		for i := range events {
			r, err := pt.apply(&events[i], found[i], checks.result(i))
			if err != nil {
				return err
			}
			resp.Results[i] = r
			// The transaction holds the event's encoding now: drop the
			// decoded payload, so that a large push does not keep both
			// until it commits (memory.go).
			events[i].Payload = nil
		}
		resp.Epoch = pt.epoch.ID
		return nil
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	resp.ServerTime = s.events.Clock().Now()
	s.metrics.countPush(resp.Results)
	// Written by hand, not by reflection: 5000 results cost 1.2 µs each
	// through encoding/json (syncproto/pushresponse.go).
	c.Data(http.StatusOK, gin.MIMEJSON+"; charset=utf-8", resp.AppendJSON(make([]byte, 0, 64*len(resp.Results)+128)))
}

// pushTx is one push being applied.
type pushTx struct {
	t       LogTx
	device  *Device
	subject string // the token's user
	clock   clockLimit
	epoch   Epoch
	authors map[string]authorEntry // the directory's entries of the push's authors, read once per push
}

// apply decides one event, in batch order:
//   - of another replica than the device's: the whole push is forbidden
//     (checkOwnReplica);
//   - already stored → duplicate; already refused → the same refusal;
//   - of the device's replica: a sequence number past the next expected
//     refuses the whole push with a gap; one already used by another event
//     is refused for good;
//   - of a type or schema this server does not know: the whole push is
//     refused until the server is upgraded (nothing can be checked);
//   - not signed by its author or invalid (domain.Validate), checked by
//     prevalidate on the other cores meanwhile, or its author
//     unknown, disabled, without the role claimed, or not the session's
//     for a directory event (checkAuthorship)
//     → refused for good, kept apart from the log (StoreRejection);
//   - otherwise stored and folded.
//
// found is what the store held of the event before the push
// (LookUpEvents, for the whole batch at once), c what prevalidate found.
func (p *pushTx) apply(e *domain.Event, found boltstore.EventLookup, c checked) (syncproto.EventResult, error) {
	res := syncproto.EventResult{ID: e.ID}
	if err := checkOwnReplica(p.device, e); err != nil {
		return res, err
	}
	if found.Repeat { // the same event earlier in the push: decided by now
		found = boltstore.EventLookup{Logged: p.t.HasEvent(e.ID), Refused: true}
	}
	if found.Logged {
		res.Result = syncproto.Duplicate
		return res, p.t.AdvanceReplica(e.Replica, e.Seq)
	}
	if found.Refused {
		if r, ok := p.t.Rejection(e.ID); ok {
			res.Result, res.Code, res.Reason = syncproto.Rejected, r.Code, r.Reason
			return res, p.t.AdvanceReplica(e.Replica, e.Seq)
		}
	}
	if !e.Known() {
		return res, domain.Errorf(domain.EConflict, "event type %s (schema %d) is unknown to this server: upgrade the server; the events stay queued", e.Type, e.Schema)
	}
	refusal := p.refusal(e, c)
	if refusal != nil {
		if _, isGap := refusal.(*gapError); isGap {
			return res, refusal
		}
		de := domain.AsError(refusal)
		res.Result, res.Code, res.Reason = syncproto.Rejected, de.Code, reason(de)
		return res, p.t.StoreRejection(e, res.Code, res.Reason)
	}
	if err := p.store(e, c.filing); err != nil {
		return res, err
	}
	res.Result = syncproto.Accepted
	return res, nil
}

// store logs an accepted event. Reference data (stations, users,
// categories, severities) is folded at once because later events of the
// same push are checked against it; the rest is only logged and folded by
// the projector when pushes pause, which keeps a push's transaction to
// the log's writes.
func (p *pushTx) store(e *domain.Event, filing *boltstore.ComplaintFiling) error {
	var err error
	switch e.EntityType {
	case domain.EntityStation, domain.EntityUser, domain.EntityCategory, domain.EntitySeverity:
		_, err = p.t.Ingest(e)
		if e.EntityType == domain.EntityUser {
			delete(p.authors, e.EntityID) // later events of the push see the change
		}
	default:
		err = p.t.AppendNew(e, filing) // apply found it absent
	}
	return err
}

// eventIDs lists the ids of a batch, in batch order.
func eventIDs(events []domain.Event) []uuid.UUID {
	ids := make([]uuid.UUID, len(events))
	for i := range events {
		ids[i] = events[i].ID
	}
	return ids
}

// refusal returns why an event cannot be accepted: a gap (which refuses
// the batch), or a domain error (which refuses the event), or nil.
// c.invalid is the event's refusal from prevalidate (its signature, then
// domain.Validate).
func (p *pushTx) refusal(e *domain.Event, c checked) error {
	switch next := p.t.ReplicaSeq(e.Replica) + 1; {
	case e.Seq > next:
		return newGapError(e.Replica, next, e.Seq)
	case e.Seq < next:
		return domain.RuleError(domain.EConflict, "sync.sequence_reused",
			"sequence %d of replica %s was already used by another event", e.Seq, e.Replica)
	}
	if c.invalid != nil {
		return c.invalid
	}
	if err := p.clock.check(e); err != nil {
		return err
	}
	if err := p.checkAuthorship(e); err != nil {
		return err
	}
	return p.checkStateRules(e, c.filingCheck)
}

// reason is the text kept with a refusal: the rule or field, then the
// message.
func reason(e *domain.Error) string {
	switch {
	case e.Rule != "":
		return e.Rule + ": " + e.Message
	case e.Field != "":
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// pull answers a page of the log after the cursor, as a batch of the
// stored bytes (no decoding, no re-encoding, except an internal note an
// older store kept in plain text, sealed on the way: servedEvent). A cursor of another epoch
// starts from the beginning: the log it pointed into was replaced by a
// restore.
func (s *Server) pull(c *gin.Context) {
	cur, err := syncproto.ParseCursor(c.Query("cursor"))
	if err != nil {
		_ = c.Error(err)
		return
	}
	limit, err := queryLimit(c, syncproto.DefaultPull, syncproto.MaxBatchEvents)
	if err != nil {
		_ = c.Error(err)
		return
	}
	bp := batchPool.Get().(*[]byte)
	defer putBatchBuffer(bp)
	var next syncproto.Cursor
	var more bool
	var n int
	err = s.events.ViewLog(c.Request.Context(), func(t LogTx) error {
		next.Epoch = readEpoch(t).ID
		if cur.Epoch != next.Epoch {
			cur.Seq = 0
		}
		b := syncproto.StartBatch((*bp)[:0])
		var err error
		next.Seq, more, err = t.LogRaw(cur.Seq, limit, func(_ uint64, raw []byte) error {
			served, err := s.servedEvent(raw)
			if err != nil {
				return err
			}
			b = syncproto.AppendRaw(b, served)
			n++
			return nil
		})
		*bp = b
		return err
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	h := c.Writer.Header()
	h.Set(syncproto.HeaderCursor, next.String())
	h.Set(syncproto.HeaderMore, strconv.FormatBool(more))
	h.Set(syncproto.HeaderEpoch, next.Epoch)
	h.Set(syncproto.HeaderServerTime, strconv.FormatUint(uint64(s.events.Clock().Now()), 10))
	setSeriesHeader(c)
	s.metrics.pulled.Add(float64(n))
	c.Data(http.StatusOK, syncproto.ContentTypeBatch, *bp)
}

// state tells a workstation what the server holds: after a new epoch it
// re-pushes its events above the server's high-water mark of each replica.
func (s *Server) state(c *gin.Context) {
	var st syncproto.ServerState
	err := s.events.ViewLog(c.Request.Context(), func(t LogTx) error {
		st = syncproto.ServerState{Epoch: readEpoch(t).ID, LogLen: t.LogLen(), Replicas: t.ReplicaSeqs()}
		return nil
	})
	if err != nil {
		_ = c.Error(err)
		return
	}
	st.ServerTime = s.events.Clock().Now()
	c.JSON(http.StatusOK, st)
}

// queryLimit reads the limit parameter: def when absent, 400 when not a
// number in 1..max.
func queryLimit(c *gin.Context, def, max int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, domain.FieldError("limit", "must be a number between 1 and %d", max)
	}
	return n, nil
}
