package domain_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// codecEvents are events that exercise every part of the binary form:
// each event of a case's history, one with many parents and non-ASCII
// text, one with no parents.
func codecEvents(tb testing.TB) []domain.Event {
	events := history(tb, 1)
	e, err := domain.NewEvent(domain.ComplaintMessagePosted, "réclamation-7", &domain.MessagePayload{Text: "Pièces non conformes — « urgent » 🚨"})
	if err != nil {
		tb.Fatal(err)
	}
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = fixedV7(1, 7), hlc.New(1<<40, 65535), "poste-émaillage", 1<<40, "zoé", domain.RoleOperator
	for i := range domain.MaxParents {
		e.Parents = append(e.Parents, fixedV7(int64(i), uint64(i)))
	}
	events = append(events, e)
	e.Parents, e.Seq = nil, 1
	events = append(events, e)
	signed := events[0]
	signed.Sig = domain.Signature{Kid: "a1b2c3d4e5f6"}
	for i := range signed.Sig.MAC {
		signed.Sig.MAC[i] = byte(i + 1)
	}
	return append(events, signed)
}

func TestCodecRoundTrip(t *testing.T) {
	for _, e := range codecEvents(t) {
		raw := domain.EncodeEvent(&e)
		got, err := domain.DecodeEvent(raw)
		if err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("round trip of %s\n got %+v\nwant %+v", e.Type, got, e)
		}
		// AppendEvent appends after what is there.
		if app := domain.AppendEvent([]byte("prefix"), &e); !bytes.Equal(app[6:], raw) || string(app[:6]) != "prefix" {
			t.Fatal("AppendEvent does not append")
		}
	}
}

func TestDecodedEventSharesNoMemory(t *testing.T) {
	for _, e := range codecEvents(t) {
		buf := domain.EncodeEvent(&e)
		got, err := domain.DecodeEvent(buf)
		if err != nil {
			t.Fatal(err)
		}
		for i := range buf { // the buffer was a bbolt page, now reused
			buf[i] = 0xA5
		}
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("decoded %s changed with its input buffer:\n%+v", e.Type, got)
		}
	}
}

func TestDecodeTruncated(t *testing.T) {
	for _, e := range codecEvents(t) {
		raw := domain.EncodeEvent(&e)
		for n := range len(raw) {
			_, err := domain.DecodeEvent(raw[:n])
			if err == nil {
				t.Fatalf("%s truncated to %d of %d bytes decoded", e.Type, n, len(raw))
			}
			if de := asError(t, err); de.Code != domain.EMalformed || de.Field == "" {
				t.Fatalf("%s truncated to %d: %v (want malformed, naming the field)", e.Type, n, err)
			}
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	e := codecEvents(t)[0]
	raw := domain.EncodeEvent(&e)
	// encode builds the binary form by hand, for what EncodeEvent cannot
	// produce, in version 1 (unsigned), which stays readable.
	encode := func(strs []string, schema uint64, parents uint64, payload []byte) []byte {
		b := []byte{1}
		b = append(b, e.ID[:]...)
		b = binary.BigEndian.AppendUint64(b, uint64(e.HLC))
		b = binary.AppendUvarint(b, e.Seq)
		for _, s := range strs {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.AppendUvarint(b, schema)
		b = binary.AppendUvarint(b, parents)
		for range min(parents, 100) {
			b = append(b, e.ID[:]...)
		}
		b = binary.AppendUvarint(b, uint64(len(payload)))
		return append(b, payload...)
	}
	strs := []string{e.Replica, e.Author, string(e.Role), string(e.EntityType), e.EntityID, string(e.Type)}
	if got, err := domain.DecodeEvent(encode(strs, 1, 0, e.Payload)); err != nil || !reflect.DeepEqual(got, e) {
		t.Fatalf("the hand encoder is wrong: %v", err)
	}
	withString := func(i int, s string) []string { out := append([]string(nil), strs...); out[i] = s; return out }
	tests := []struct {
		name  string
		b     []byte
		code  domain.Code
		field string
	}{
		{"too large", make([]byte, domain.MaxEventBytes+1), domain.ETooLarge, ""},
		{"trailing bytes", append(append([]byte(nil), raw...), 0), domain.EMalformed, "payload"},
		{"unknown encoding", append([]byte{3}, raw[1:]...), domain.EMalformed, "version"},
		{"signature truncated", append([]byte{2, 3, 'k', 'i', 'd'}, make([]byte, domain.MACSize-1)...), domain.EMalformed, "sig"},
		{"kid too long", append([]byte{2, 129, 1}, raw[2:]...), domain.EMalformed, "sig"},
		{"kid not UTF-8", append(append([]byte{2, 1, 0xff}, make([]byte, domain.MACSize)...), raw[2:]...), domain.EMalformed, "sig"},
		{"long replica", encode(withString(0, strings.Repeat("r", 129)), 1, 0, e.Payload), domain.EMalformed, "replica"},
		{"long type", encode(withString(5, strings.Repeat("t", 129)), 1, 0, e.Payload), domain.EMalformed, "type"},
		{"empty author", encode(withString(1, ""), 1, 0, e.Payload), domain.EMalformed, "author"},
		{"author not UTF-8", encode(withString(1, "\xff"), 1, 0, e.Payload), domain.EMalformed, "author"},
		{"schema 0", encode(strs, 0, 0, e.Payload), domain.EMalformed, "schema"},
		{"schema beyond 16 bits", encode(strs, 1<<16, 0, e.Payload), domain.EMalformed, "schema"},
		{"too many parents", encode(strs, 1, domain.MaxParents+1, e.Payload), domain.EMalformed, "parents"},
		{"payload too large", encode(strs, 1, 0, []byte(`{"x":"`+strings.Repeat("x", domain.MaxPayloadBytes)+`"}`)), domain.ETooLarge, "payload"},
		{"payload not an object", encode(strs, 1, 0, []byte(`[1]`)), domain.EMalformed, "payload"},
		{"payload not JSON", encode(strs, 1, 0, []byte(`{"a":}`)), domain.EMalformed, "payload"},
		{"bad varint", append(raw[:2+16+8:2+16+8], 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), domain.EMalformed, "seq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.DecodeEvent(tt.b)
			wantField(t, err, tt.code, tt.field)
		})
	}
	// The envelope is checked after decoding.
	bad := e
	bad.Seq = 0
	_, err := domain.DecodeEvent(domain.EncodeEvent(&bad))
	wantField(t, err, domain.EMalformed, "seq")
	bad = e
	bad.ID = uuid.New()
	_, err = domain.DecodeEvent(domain.EncodeEvent(&bad))
	wantField(t, err, domain.EMalformed, "id")
}

// The signature travels in the encoding but outside the signed bytes, so
// the MAC can be computed over them; a version 1 event (before
// signatures) decodes as unsigned and is encoded again as version 2.
func TestSignatureEncoding(t *testing.T) {
	events := codecEvents(t)
	signed := events[len(events)-1]
	unsigned := signed
	unsigned.Sig = domain.Signature{}
	if !signed.Signed() || unsigned.Signed() {
		t.Fatal("Signed() is wrong")
	}
	a, b := domain.AppendSignedBytes(nil, &signed), domain.AppendSignedBytes(nil, &unsigned)
	if !bytes.Equal(a, b) {
		t.Fatal("the signed bytes depend on the signature")
	}
	other := unsigned
	other.Payload = json.RawMessage(`{"text":"changed"}`)
	if bytes.Equal(domain.AppendSignedBytes(nil, &other), a) {
		t.Fatal("the signed bytes do not cover the payload")
	}
	enc := domain.EncodeEvent(&signed)
	if !bytes.HasSuffix(enc, a[1:]) || enc[0] != a[0] {
		t.Fatal("the signed bytes are not the encoding less the signature")
	}
	v1 := append([]byte{1}, domain.EncodeEvent(&unsigned)[2:]...)
	got, err := domain.DecodeEvent(v1)
	if err != nil || !reflect.DeepEqual(got, unsigned) {
		t.Fatalf("version 1 event: %v", err)
	}
}

// An event of a type this version does not know, or of a newer schema, is
// decoded and kept, but not folded: a later version folds it.
func TestUnknownEventsAreKeptNotFolded(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	known := union(r)

	future, err := r.stamp(eric, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, cid, analysisPayload("newer schema"))
	if err != nil {
		t.Fatal(err)
	}
	future.Schema = 2
	unknownType := future
	unknownType.ID, unknownType.Schema, unknownType.Type = uuid.Must(uuid.NewV7()), 1, "complaint.sla_paused"
	unknownType.Payload = json.RawMessage(`{"until":"2026-04-01"}`)
	wrongEntity := future
	wrongEntity.ID, wrongEntity.Schema, wrongEntity.EntityType = uuid.Must(uuid.NewV7()), 1, domain.EntityAction
	newEntity := unknownType
	newEntity.ID, newEntity.EntityType, newEntity.EntityID, newEntity.Type = uuid.Must(uuid.NewV7()), "audit", "au1", "audit.opened"

	for _, e := range []domain.Event{future, unknownType, wrongEntity, newEntity} {
		got, err := domain.DecodeEvent(domain.EncodeEvent(&e))
		if err != nil {
			t.Fatalf("%s schema %d: %v", e.Type, e.Schema, err)
		}
		if !reflect.DeepEqual(got, e) || got.Known() {
			t.Fatalf("%s schema %d: known=%v", e.Type, e.Schema, got.Known())
		}
	}
	if !known[0].Known() {
		t.Fatal("a current event is not known")
	}

	all := append(union(r), future, unknownType, wrongEntity, newEntity)
	states, unknown := domain.Fold(all)
	if len(unknown) != 4 {
		t.Fatalf("%d unknown events returned, want 4", len(unknown))
	}
	for _, u := range unknown {
		if u.ID != future.ID && u.ID != unknownType.ID && u.ID != wrongEntity.ID && u.ID != newEntity.ID {
			t.Fatalf("%s returned as unknown", u.Type)
		}
	}
	if len(states) != 1 {
		t.Fatalf("%d states, want the complaint only", len(states))
	}
	want, _ := domain.Fold(known)
	key := domain.EntityKey{Type: domain.EntityComplaint, ID: cid}
	if a, b := mustMarshal(t, states[key]), mustMarshal(t, want[key]); a != b {
		t.Fatalf("unknown events changed the fold:\n%s\n%s", a, b)
	}
	if s := domain.FoldEntity(key, all); mustMarshal(t, s) != mustMarshal(t, want[key]) {
		t.Fatal("FoldEntity folded unknown events")
	}
}

func mustMarshal(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// EncodedTypeIs agrees with DecodeEvent on every event, and says no to
// truncated bytes.
func TestEncodedTypeIs(t *testing.T) {
	for _, e := range codecEvents(t) {
		unsigned := e
		unsigned.Sig = domain.Signature{}
		v1 := append([]byte{1}, domain.EncodeEvent(&unsigned)[2:]...) // version 1: no signature at all
		for _, raw := range [][]byte{domain.EncodeEvent(&e), domain.EncodeEvent(&unsigned), v1} {
			for _, typ := range []domain.EventType{e.Type, domain.ComplaintMessagePosted, domain.ComplaintFiled} {
				if got := domain.EncodedTypeIs(raw, typ); got != (typ == e.Type) {
					t.Fatalf("%s (version %d): EncodedTypeIs(%s) = %v", e.Type, raw[0], typ, got)
				}
			}
			for n := range 40 {
				if domain.EncodedTypeIs(raw[:n], e.Type) {
					t.Fatalf("%s: %d bytes say yes", e.Type, n)
				}
			}
		}
	}
}
