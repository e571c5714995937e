package syncproto_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"

	"github.com/google/uuid"
)

func event(seq uint64) domain.Event {
	return domain.Event{ID: uuid.Must(uuid.NewV7()), HLC: hlc.New(1_760_000_000_000, uint16(seq)), Replica: "ws1", Seq: seq,
		Author: "op1", Role: domain.RoleOperator, EntityType: domain.EntityComplaint, EntityID: "c1",
		Type: domain.ComplaintMessagePosted, Schema: 1, Parents: []uuid.UUID{uuid.Must(uuid.NewV7())},
		Payload: json.RawMessage(`{"text":"lot trié"}`)}
}

func TestBatchRoundTrip(t *testing.T) {
	in := []domain.Event{event(1), event(2), event(3)}
	out, err := syncproto.DecodeBatch(syncproto.AppendBatch(nil, in))
	if err != nil || !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip: %v\n in %+v\nout %+v", err, in, out)
	}
	// AppendRaw after StartBatch builds the same bytes as AppendBatch.
	raw := syncproto.StartBatch(nil)
	for i := range in {
		raw = syncproto.AppendRaw(raw, domain.EncodeEvent(&in[i]))
	}
	if string(raw) != string(syncproto.AppendBatch(nil, in)) {
		t.Fatal("StartBatch+AppendRaw differs from AppendBatch")
	}
	if out, err := syncproto.DecodeBatch(syncproto.StartBatch(nil)); err != nil || len(out) != 0 {
		t.Fatalf("empty batch: %v %v", out, err)
	}
}

func TestBatchRefusesMalformedInput(t *testing.T) {
	good := syncproto.AppendBatch(nil, []domain.Event{event(1), event(2)})
	cases := map[string]struct {
		body  []byte
		code  domain.Code
		field string
	}{
		"NotABatch": {[]byte(`{"events":[]}`), domain.EMalformed, "batch"},
		"Truncated": {good[:len(good)-3], domain.EMalformed, "events[1]"},
		"BadEvent":  {append(syncproto.StartBatch(nil), 3, 9, 9, 9), domain.EMalformed, "events[0].version"},
		"TooMany":   {manyEvents(syncproto.MaxBatchEvents + 1), domain.ETooLarge, "batch"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := syncproto.DecodeBatch(tc.body)
			de := domain.AsError(err)
			if err == nil || de.Code != tc.code || de.Field != tc.field {
				t.Fatalf("err = %v (field %q), want %s %q", err, de.Field, tc.code, tc.field)
			}
		})
	}
}

func manyEvents(n int) []byte {
	e := event(1)
	enc := domain.EncodeEvent(&e)
	b := syncproto.StartBatch(nil)
	for i := 0; i < n; i++ {
		b = syncproto.AppendRaw(b, enc)
	}
	return b
}

func TestParseCursor(t *testing.T) {
	c, err := syncproto.ParseCursor("ep1:42")
	if err != nil || c != (syncproto.Cursor{Epoch: "ep1", Seq: 42}) || c.String() != "ep1:42" {
		t.Fatalf("ParseCursor = %+v, %v", c, err)
	}
	if c, err := syncproto.ParseCursor(""); err != nil || c != (syncproto.Cursor{}) {
		t.Fatalf("empty cursor = %+v, %v", c, err)
	}
	for _, bad := range []string{"42", "ep:", ":5", "ep:-1", "ep:x"} {
		if _, err := syncproto.ParseCursor(bad); domain.AsError(err).Field != "cursor" {
			t.Errorf("ParseCursor(%q) = %v", bad, err)
		}
	}
}
