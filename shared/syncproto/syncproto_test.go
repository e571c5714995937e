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

// The push's answer is written by hand: the bytes json.Marshal writes, for
// every kind of result and every string a refusal may carry, and it reads
// back as it was written.
func TestPushResponseJSON(t *testing.T) {
	reasons := []string{"", "sync.author: author op9 is not in the plant's directory", `quote " and \ backslash`,
		"<script>&amp;</script>", "accents é ü, 漢字, emoji 🙂", "control \x00\x01\t\n", "invalid \xff\xfe UTF-8", "line\u2028separator\u2029"}
	for _, results := range [][]syncproto.EventResult{nil, {}} {
		check(t, syncproto.PushResponse{Results: results, ServerTime: 1, Epoch: ""})
	}
	r := syncproto.PushResponse{ServerTime: hlc.New(1_760_000_000_000, 7), Epoch: "0192f3a4-<epoch>"}
	for i, reason := range reasons {
		r.Results = append(r.Results,
			syncproto.EventResult{ID: uuid.Must(uuid.NewV7()), Result: syncproto.Accepted},
			syncproto.EventResult{ID: uuid.Must(uuid.NewRandom()), Result: syncproto.Duplicate},
			syncproto.EventResult{ID: uuid.UUID{byte(i), 0xff}, Result: syncproto.Rejected, Code: domain.EForbidden, Reason: reason},
			syncproto.EventResult{ID: uuid.Nil, Result: syncproto.Result(reason), Code: domain.Code(reason)})
	}
	check(t, r)
}

func check(t *testing.T, r syncproto.PushResponse) {
	t.Helper()
	want, _ := json.Marshal(r)
	got := r.AppendJSON([]byte("prefix"))
	if string(got[len("prefix"):]) != string(want) {
		t.Fatalf("AppendJSON\n got %s\nwant %s", got[len("prefix"):], want)
	}
	var std syncproto.PushResponse
	if err := json.Unmarshal(want, &std); err != nil {
		t.Fatal(err)
	}
	back, err := syncproto.DecodePushResponse(want)
	if err != nil || !reflect.DeepEqual(back, std) {
		t.Fatalf("DecodePushResponse = %+v, %v; encoding/json read %+v", back, err, std)
	}
}

// An answer cut short is refused, in encoding/json's words.
func TestDecodePushResponseRefusesCutShort(t *testing.T) {
	r := syncproto.PushResponse{Results: []syncproto.EventResult{{ID: uuid.Must(uuid.NewV7()), Result: syncproto.Accepted}}, Epoch: "e"}
	raw := r.AppendJSON(nil)
	for _, cut := range []int{1, len(raw) / 2, len(raw) - 1} {
		_, err := syncproto.DecodePushResponse(raw[:cut])
		var std syncproto.PushResponse
		want := json.Unmarshal(raw[:cut], &std)
		if err == nil || err.Error() != want.Error() {
			t.Fatalf("cut at %d: %v, want %v", cut, err, want)
		}
	}
}

func BenchmarkPushResponse5000(b *testing.B) {
	r := syncproto.PushResponse{Results: make([]syncproto.EventResult, 5000), Epoch: "e1", ServerTime: 1}
	for i := range r.Results {
		r.Results[i] = syncproto.EventResult{ID: uuid.Must(uuid.NewV7()), Result: syncproto.Accepted}
	}
	raw := r.AppendJSON(nil)
	b.Run("AppendJSON", func(b *testing.B) {
		for b.Loop() {
			raw = r.AppendJSON(raw[:0])
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(r)
		}
	})
	b.Run("DecodePushResponse", func(b *testing.B) {
		for b.Loop() {
			_, _ = syncproto.DecodePushResponse(raw)
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		for b.Loop() {
			var out syncproto.PushResponse
			_ = json.Unmarshal(raw, &out)
		}
	})
}
