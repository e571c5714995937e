package syncserver

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/gin-gonic/gin"
)

// Memory under load. A push holds its decoded events (about the size of
// its body) from the moment its body is read until its transaction
// commits, and the store's one writer serves pushes one at a time: eight
// workstations pushing 60 MiB at once held eight decoded batches (and,
// before ReadBatch, eight bodies as well), and took the server from 51 MB
// to more than 1.5 GB. The push budget bounds the bytes of push bodies in
// flight, server-wide (Config.PushMemory, 128 MiB: one push being applied
// while the next is read): a push that does not fit waits, up to
// Config.PushWait, then is answered 503 with Retry-After. Waiting costs
// nothing but a connection: its body stays in the network.

// Defaults of the push budget.
const (
	DefaultPushMemory = 128 << 20
	DefaultPushWait   = 30 * time.Second
	// pushRetryAfter is what a push refused for want of memory is told.
	pushRetryAfter = 10 * time.Second
)

// byteBudget is a semaphore counted in bytes, served in arrival order so
// that a large push is not starved by small ones.
type byteBudget struct {
	mu      sync.Mutex
	size    int64
	used    int64
	waiters []*budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{} // closed once the bytes are granted
}

func newByteBudget(size int64) *byteBudget { return &byteBudget{size: size} }

// acquire waits until n bytes (at most the whole budget, so that any
// single push can run alone) are free, or ctx ends. It returns the bytes
// granted, to release.
func (b *byteBudget) acquire(ctx context.Context, n int64) (int64, error) {
	n = min(max(n, 1), b.size)
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.size {
		b.used += n
		b.mu.Unlock()
		return n, nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
		b.mu.Lock()
		defer b.mu.Unlock()
		select {
		case <-w.ready: // granted meanwhile: give it back
			b.used -= n
			b.grant()
		default:
			b.remove(w)
			b.grant() // the next in line may fit now
		}
		return 0, ctx.Err()
	}
}

// release gives n bytes back and wakes whoever now fits.
func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	b.grant()
}

// grant serves the waiters in order while the first fits; the caller
// holds mu.
func (b *byteBudget) grant() {
	for len(b.waiters) > 0 && b.used+b.waiters[0].n <= b.size {
		w := b.waiters[0]
		b.waiters = b.waiters[1:]
		b.used += w.n
		close(w.ready)
	}
}

func (b *byteBudget) remove(w *budgetWaiter) {
	for i, x := range b.waiters {
		if x == w {
			b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
			return
		}
	}
}

// busyError is a 503: the server is short of the resource, retry later.
type busyError struct {
	retryAfter time.Duration
	msg        string
}

func (e *busyError) Error() string { return e.msg }

// admitPush reserves the push body's bytes in the budget (the whole
// budget when the length is not announced) and returns the release, or
// a 413 above the batch limit, or a 503 when the budget stays short for
// Config.PushWait.
func (s *Server) admitPush(c *gin.Context) (release func(), err error) {
	n := c.Request.ContentLength
	if n > syncproto.MaxBatchBytes {
		return nil, &domain.Error{Code: domain.ETooLarge, Message: "batch larger than 64 MiB"}
	}
	if n < 0 {
		n = syncproto.MaxBatchBytes
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.PushWait)
	defer cancel()
	granted, err := s.pushBudget.acquire(ctx, n)
	if err != nil {
		s.metrics.pushesBusy.Inc()
		return nil, &busyError{retryAfter: pushRetryAfter, msg: "the server is busy with other pushes: retry in a few seconds"}
	}
	return func() { s.pushBudget.release(granted) }, nil
}

// readPushBody decodes a push body as it arrives (syncproto.ReadBatch):
// 413 above syncproto.MaxBatchBytes or MaxBatchEvents, 400 when it is not
// a well-formed batch.
func readPushBody(c *gin.Context) ([]domain.Event, error) {
	events, err := syncproto.ReadBatch(http.MaxBytesReader(c.Writer, c.Request.Body, syncproto.MaxBatchBytes))
	var tooBig *http.MaxBytesError
	var de *domain.Error
	switch {
	case errors.As(err, &tooBig):
		return nil, &domain.Error{Code: domain.ETooLarge, Message: "batch larger than 64 MiB"}
	case err != nil && !errors.As(err, &de):
		return nil, &domain.Error{Code: domain.EMalformed, Message: "could not read the batch"}
	}
	return events, err
}

// maxPooledBatch is the largest pull buffer kept for reuse (a full page
// of 5000 ordinary events is 3–5 MiB, so it must fit): a page of
// large events may need 64 MiB once, but the pool must not keep such
// buffers alive for every goroutine that ever served one.
const maxPooledBatch = 16 << 20

func putBatchBuffer(bp *[]byte) {
	if cap(*bp) > maxPooledBatch {
		return
	}
	batchPool.Put(bp)
}
