package syncserver

import (
	"runtime"
	"sync/atomic"

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
	pv := &prevalidation{errs: make([]error, len(events)), done: make([]chan struct{}, chunks)}
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
						pv.errs[i] = checkStateless(&sv, &events[i])
					}
				}
				close(pv.done[c])
			}
		}()
	}
	return pv
}

// checkStateless is the refusal of an event that needs no state, or nil:
// who wrote it comes first, then what it says.
func checkStateless(sv *signatureVerifier, e *domain.Event) error {
	if err := sv.check(e); err != nil {
		return err
	}
	if !e.Known() {
		return nil
	}
	return domain.Validate(e)
}

// err waits for the checks of event i and returns its refusal, or nil.
func (pv *prevalidation) err(i int) error {
	<-pv.done[i/checkChunk]
	return pv.errs[i]
}

// stop lets the workers skip what is left once the push has ended.
func (pv *prevalidation) stop() { pv.stopped.Store(true) }
