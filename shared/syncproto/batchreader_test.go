package syncproto_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
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

// A batch of many chunks comes back whole and in order; its first bad
// event refuses it, named by its index in the batch, whichever chunk and
// goroutine decoded it, even with a later bad event or a cut end.
func TestReadBatchAcrossChunks(t *testing.T) {
	in := make([]domain.Event, 3000)
	for i := range in {
		in[i] = event(uint64(i + 1))
	}
	body := syncproto.AppendBatch(nil, in)
	out, err := syncproto.ReadBatch(bytes.NewReader(body))
	if err != nil || !reflect.DeepEqual(in, out) {
		t.Fatalf("read %d of %d events: %v", len(out), len(in), err)
	}
	bad := []byte{3, 9, 9, 9}
	withBad := func(at ...int) []byte {
		b := syncproto.StartBatch(nil)
		for i := range in {
			if slices.Contains(at, i) {
				b = syncproto.AppendRaw(b, bad)
				continue
			}
			b = syncproto.AppendRaw(b, domain.EncodeEvent(&in[i]))
		}
		return b
	}
	for name, tc := range map[string]struct {
		body  []byte
		field string
	}{
		"OneBad":       {withBad(1700), "events[1700]."},
		"TwoBad":       {withBad(2900, 700), "events[700]."},
		"BadThenCut":   {withBad(1300)[:len(body)-5], "events[1300]."},
		"CutAfterGood": {body[:len(body)-5], "events[2999]"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := syncproto.ReadBatch(bytes.NewReader(tc.body))
			if de := domain.AsError(err); err == nil || de.Code != domain.EMalformed || !strings.HasPrefix(de.Field, tc.field) {
				t.Fatalf("err = %v (field %q), want a malformed %s", err, de.Field, tc.field)
			}
		})
	}
}

// BenchmarkReadBatch5000: reading a push of 5000 events as the server
// does, from a stream.
func BenchmarkReadBatch5000(b *testing.B) {
	in := make([]domain.Event, 5000)
	for i := range in {
		in[i] = event(uint64(i + 1))
	}
	body := syncproto.AppendBatch(nil, in)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := syncproto.ReadBatch(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/event")
}
