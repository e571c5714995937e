package syncproto

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"

	"boucle/shared/domain"
)

// ReadBatch decodes a batch as it arrives from r, without holding the
// whole body: only the decoded events (which copy what they keep) and the
// bytes of a few chunks of events at a time (batchChunks). A server
// reading a 64 MiB push this way holds 64 MiB, not twice that. This
// goroutine only frames the events; other goroutines decode each chunk
// meanwhile, so the decoding (a fifth of a push's critical path when it
// was done here) runs on every core as the body arrives. Errors are those
// of DecodeBatch, the first event's in batch order whichever goroutine
// found it; a read error of r is returned as it is, for the caller to tell
// a body over its limit from a connection cut.
func ReadBatch(r io.Reader) ([]domain.Event, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic := make([]byte, len(batchMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != string(batchMagic) {
		return nil, readError(err, &domain.Error{Code: domain.EMalformed, Field: "batch", Message: "not an event batch"})
	}
	d := startChunkDecoders()
	defer d.stop()
	c := &eventChunk{}
	for n := 0; ; n++ {
		size, err := binary.ReadUvarint(br)
		if errors.Is(err, io.EOF) {
			d.decode(c)
			return d.events()
		}
		truncated := &domain.Error{Code: domain.EMalformed, Field: fmt.Sprintf("events[%d]", n), Message: "truncated"}
		switch {
		case err != nil:
			return nil, d.firstError(readError(err, truncated))
		case n == MaxBatchEvents:
			return nil, d.firstError(&domain.Error{Code: domain.ETooLarge, Field: "batch", Message: fmt.Sprintf("more than %d events", MaxBatchEvents)})
		case size > domain.MaxEventBytes:
			return nil, d.firstError(&domain.Error{Code: domain.ETooLarge, Field: fmt.Sprintf("events[%d]", n), Message: "event larger than 64 KiB"})
		}
		if err := c.read(br, int(size)); err != nil {
			return nil, d.firstError(readError(err, truncated))
		}
		if c.full() {
			if d.failed() { // a bad event already refuses the batch: read no more of it
				return nil, d.firstError(nil)
			}
			d.decode(c)
			c = &eventChunk{first: n + 1}
		}
	}
}

// readError returns a read error of the underlying reader as it is (the
// caller knows what a body limit or a cut connection means), and bad
// bytes as malformed.
func readError(err, malformed error) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return malformed
	}
	return err
}

// Chunks: at most chunkEvents events or about chunkBytes bytes each, and
// batchChunks chunks read ahead of their decoding, so that a batch's raw
// bytes are never held whole.
const (
	chunkEvents = 256
	chunkBytes  = 256 << 10
	batchChunks = 4
)

// eventChunk is a run of consecutive events of a batch: their bytes as
// read, then as decoded.
type eventChunk struct {
	first  int // index of its first event in the batch
	raw    []byte
	ends   []int // end of each event's bytes in raw
	events []domain.Event
	err    error // the first event's error, if any (its index in the message)
}

func (c *eventChunk) read(r io.Reader, size int) error {
	start := len(c.raw)
	if c.raw == nil && size < chunkBytes {
		c.raw = (*chunkBuffers.Get().(*[]byte))[:0]
	}
	c.raw = slices.Grow(c.raw, size)[:start+size]
	if _, err := io.ReadFull(r, c.raw[start:]); err != nil {
		return err
	}
	c.ends = append(c.ends, len(c.raw))
	return nil
}

func (c *eventChunk) full() bool { return len(c.ends) == chunkEvents || len(c.raw) >= chunkBytes }

// decodeAll decodes the chunk's events, stopping at the first bad one.
func (c *eventChunk) decodeAll() {
	c.events = make([]domain.Event, 0, len(c.ends))
	start := 0
	for i, end := range c.ends {
		e, err := domain.DecodeEvent(c.raw[start:end])
		if err != nil {
			de := domain.AsError(err)
			c.err = &domain.Error{Code: de.Code, Field: fmt.Sprintf("events[%d].%s", c.first+i, de.Field), Message: de.Message}
			break
		}
		c.events = append(c.events, e)
		start = end
	}
	if cap(c.raw) <= 2*chunkBytes {
		raw := c.raw[:0]
		chunkBuffers.Put(&raw)
	}
	c.raw, c.ends = nil, nil // decoded: the events share none of these bytes
}

// chunkBuffers recycles the chunks' bytes: a push of 5000 events would
// otherwise leave its whole size behind as garbage.
var chunkBuffers = sync.Pool{New: func() any { b := make([]byte, 0, chunkBytes+4<<10); return &b }}

// chunkDecoders decode the chunks of one batch on every core.
type chunkDecoders struct {
	work   chan *eventChunk
	wg     sync.WaitGroup
	chunks []*eventChunk // in batch order
	mu     sync.Mutex
	bad    bool // a chunk held a bad event
}

func startChunkDecoders() *chunkDecoders {
	d := &chunkDecoders{work: make(chan *eventChunk, batchChunks)}
	for range runtime.GOMAXPROCS(0) {
		d.wg.Go(func() {
			for c := range d.work {
				c.decodeAll()
				if c.err != nil {
					d.mu.Lock()
					d.bad = true
					d.mu.Unlock()
				}
			}
		})
	}
	return d
}

// decode hands a chunk to the decoders (waiting while batchChunks are
// queued).
func (d *chunkDecoders) decode(c *eventChunk) {
	if len(c.ends) == 0 {
		return
	}
	d.chunks = append(d.chunks, c)
	d.work <- c
}

// stop ends the decoders; idempotent.
func (d *chunkDecoders) stop() {
	if d.work != nil {
		close(d.work)
		d.wg.Wait()
		d.work = nil
	}
}

func (d *chunkDecoders) failed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.bad
}

// firstError waits for the chunks handed over and returns the first bad
// event's error in batch order, or err (an error found past them).
func (d *chunkDecoders) firstError(err error) error {
	d.stop()
	for _, c := range d.chunks {
		if c.err != nil {
			return c.err
		}
	}
	return err
}

// events waits for every chunk and returns the batch's events in order.
func (d *chunkDecoders) events() ([]domain.Event, error) {
	if err := d.firstError(nil); err != nil {
		return nil, err
	}
	n := 0
	for _, c := range d.chunks {
		n += len(c.events)
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]domain.Event, 0, n)
	for _, c := range d.chunks {
		out = append(out, c.events...)
		c.events = nil
	}
	return out, nil
}
