package syncserver

import (
	"runtime"
	"sync/atomic"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// prevalidation runs the checks of a pushed batch that need no state —
// who signed each event (signatureVerifier.check), then domain.Validate
// (the envelope, the permission of the claimed role, the payload's rules)
// — on every core, while the push's transaction applies the events
// already checked. The store's single writer waits only when it reaches
// an event whose chunk is not checked yet: the checks cost a few
// microseconds an event, the writer's work more, so they overlap instead
// of adding up. Unknown event types are left to apply.
type prevalidation struct {
	errs    []error
	filings []filingCheck   // of the valid complaint filings: read here, so that the writer decodes no payload
	done    []chan struct{} // closed when the chunk's events are checked
	stopped atomic.Bool     // the push ended early: skip the chunks left
}

// checkChunk is how many events a worker checks at a time: small enough
// that the writer starts soon, large enough that handing out chunks costs
// nothing.
const checkChunk = 128

// prevalidate starts the checks of events; err(i) waits for event i's.
// Call stop when the push ends, however it ends.
// gens are the authors' key generations (keyGenerations).
func (s *Server) prevalidate(events []domain.Event, gens map[string]uint64) *prevalidation {
	chunks := (len(events) + checkChunk - 1) / checkChunk
	pv := &prevalidation{errs: make([]error, len(events)), filings: make([]filingCheck, len(events)), done: make([]chan struct{}, chunks)}
	for i := range pv.done {
		pv.done[i] = make(chan struct{})
	}
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), chunks) {
		go func() {
			sv := newSignatureVerifier(s.keys, gens)
			for c := int(next.Add(1) - 1); c < chunks; c = int(next.Add(1) - 1) {
				if !pv.stopped.Load() {
					for i := c * checkChunk; i < min((c+1)*checkChunk, len(events)); i++ {
						var p domain.Payload
						p, pv.errs[i] = checkStateless(&sv, &events[i])
						if f, ok := p.(*domain.ComplaintFiledPayload); ok && pv.errs[i] == nil {
							pv.filings[i] = readFiling(f)
						}
					}
				}
				close(pv.done[c])
			}
		}()
	}
	return pv
}

// checkStateless is the refusal of an event that needs no state, or nil,
// and its payload when it decoded it: who wrote it comes first, then what
// it says (domain.Validate, but for the envelope: the batch's decoding,
// syncproto.ReadBatch, checked it already).
func checkStateless(sv *signatureVerifier, e *domain.Event) (domain.Payload, error) {
	if err := sv.check(e); err != nil {
		return nil, err
	}
	if !e.Known() {
		return nil, nil
	}
	return domain.ValidateDecoded(e)
}

// checked is what prevalidate found of one event.
type checked struct {
	invalid error // its refusal, or nil
	filingCheck
}

// filingCheck is what the push's state rules need of a valid complaint
// filing (checkFiling); zero for other events.
type filingCheck struct {
	filing    *boltstore.ComplaintFiling // what the filing indexes keep (boltstore.FilingOf)
	newFiling error                      // domain's CheckNewFiling: a refusal, decided after the rules checked before it
}

// readFiling reads what the state rules need of a valid filing's payload.
func readFiling(f *domain.ComplaintFiledPayload) filingCheck {
	return filingCheck{filing: &boltstore.ComplaintFiling{Station: f.FilingStation, Number: f.Number}, newFiling: f.CheckNewFiling()}
}

// result waits for the checks of event i.
func (pv *prevalidation) result(i int) checked {
	<-pv.done[i/checkChunk]
	return checked{invalid: pv.errs[i], filingCheck: pv.filings[i]}
}

// stop lets the workers skip what is left once the push has ended.
func (pv *prevalidation) stop() { pv.stopped.Store(true) }
