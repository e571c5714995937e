package syncproto

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"boucle/shared/domain"
)

// ReadBatch decodes a batch as it arrives from r, one event at a time,
// without holding the whole body: only the decoded events (which copy
// what they keep) and one event's bytes at a time. A server reading a
// 64 MiB push this way holds 64 MiB, not twice that. Errors are those of
// DecodeBatch; a read error of r is returned as it is, for the caller to
// tell a body over its limit from a connection cut.
func ReadBatch(r io.Reader) ([]domain.Event, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic := make([]byte, len(batchMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != string(batchMagic) {
		return nil, readError(err, &domain.Error{Code: domain.EMalformed, Field: "batch", Message: "not an event batch"})
	}
	var out []domain.Event
	scratch := make([]byte, 0, 4<<10)
	for {
		n, err := binary.ReadUvarint(br)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		truncated := &domain.Error{Code: domain.EMalformed, Field: fmt.Sprintf("events[%d]", len(out)), Message: "truncated"}
		switch {
		case err != nil:
			return nil, readError(err, truncated)
		case len(out) == MaxBatchEvents:
			return nil, &domain.Error{Code: domain.ETooLarge, Field: "batch", Message: fmt.Sprintf("more than %d events", MaxBatchEvents)}
		case n > domain.MaxEventBytes:
			return nil, &domain.Error{Code: domain.ETooLarge, Field: fmt.Sprintf("events[%d]", len(out)), Message: "event larger than 64 KiB"}
		}
		if uint64(cap(scratch)) < n {
			scratch = make([]byte, n)
		}
		scratch = scratch[:n]
		if _, err := io.ReadFull(br, scratch); err != nil {
			return nil, readError(err, truncated)
		}
		e, err := domain.DecodeEvent(scratch)
		if err != nil {
			de := domain.AsError(err)
			return nil, &domain.Error{Code: de.Code, Field: fmt.Sprintf("events[%d].%s", len(out), de.Field), Message: de.Message}
		}
		out = append(out, e)
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
