package syncproto_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// ReadBatch decodes what DecodeBatch decodes, and refuses what it refuses,
// with the same codes and fields.
func TestReadBatchAgreesWithDecodeBatch(t *testing.T) {
	in := []domain.Event{event(1), event(2), event(3)}
	out, err := syncproto.ReadBatch(bytes.NewReader(syncproto.AppendBatch(nil, in)))
	if err != nil || !reflect.DeepEqual(in, out) {
		t.Fatalf("read: %v\n in %+v\nout %+v", err, in, out)
	}
	if out, err := syncproto.ReadBatch(bytes.NewReader(syncproto.StartBatch(nil))); err != nil || len(out) != 0 {
		t.Fatalf("empty batch: %v %v", out, err)
	}
	good := syncproto.AppendBatch(nil, []domain.Event{event(1), event(2)})
	huge := syncproto.AppendRaw(syncproto.StartBatch(nil), make([]byte, domain.MaxEventBytes+1))
	for name, body := range map[string][]byte{
		"NotABatch": []byte(`{"events":[]}`),
		"Empty":     nil,
		"Truncated": good[:len(good)-3],
		"CutLength": append(syncproto.StartBatch(nil), 0x80),
		"BadEvent":  append(syncproto.StartBatch(nil), 3, 9, 9, 9),
		"TooMany":   manyEvents(syncproto.MaxBatchEvents + 1),
		"HugeEvent": huge,
	} {
		t.Run(name, func(t *testing.T) {
			_, want := syncproto.DecodeBatch(body)
			_, got := syncproto.ReadBatch(bytes.NewReader(body))
			w, g := domain.AsError(want), domain.AsError(got)
			// DecodeBatch names an event too large "events[0]." (no field inside).
			if got == nil || g.Code != w.Code || g.Field != strings.TrimSuffix(w.Field, ".") {
				t.Fatalf("ReadBatch: %v (field %q); DecodeBatch: %v (field %q)", got, g.Field, want, w.Field)
			}
		})
	}
	t.Run("ReadErrorsPassThrough", func(t *testing.T) {
		cut := errors.New("connection reset")
		_, err := syncproto.ReadBatch(&failingReader{data: good[:20], err: cut})
		if !errors.Is(err, cut) {
			t.Fatalf("err = %v", err)
		}
	})
}

type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}
