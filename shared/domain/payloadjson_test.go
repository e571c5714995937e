package domain_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"testing"

	"boucle/shared/domain"
)

// FuzzPayloadJSON holds the fast payload decoder (goccy/go-json) to
// encoding/json, for every payload type: whatever it accepts, encoding/json
// accepts too, with the same value; whatever JSON it says is valid,
// json.Valid says so too. When it refuses, encoding/json decides, so these
// two are all that keeps the checks exactly as strict as they were. The
// seeds are the payloads of every kind of event the fold handles, and each
// of them made awkward: duplicate and unknown keys, keys in another case
// or folding to the field's name, invalid UTF-8, lone surrogates, numbers
// out of range or of the wrong kind, nulls, cut short.
func FuzzPayloadJSON(f *testing.F) {
	for _, raw := range seedPayloads(f) {
		f.Add(raw)
		for _, v := range awkward(raw) {
			f.Add(v)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if domain.ValidJSONFast(raw) && !json.Valid(raw) {
			t.Fatalf("goccy/go-json says %q is valid JSON, encoding/json says not", raw)
		}
		for _, typ := range domain.EventTypes() {
			fast, ok := domain.DecodePayloadFast(typ, raw)
			if !ok {
				continue
			}
			std, err := domain.DecodePayloadStd(typ, raw)
			if err != nil {
				t.Fatalf("%s: goccy/go-json accepts %q, encoding/json refuses it: %v", typ, raw, err)
			}
			if !reflect.DeepEqual(fast, std) {
				t.Fatalf("%s: %q decodes otherwise:\ngoccy/go-json %#v\nencoding/json %#v", typ, raw, fast, std)
			}
		}
	})
}

// seedPayloads are the payloads of the events FuzzDecodeEvent seeds with.
func seedPayloads(f *testing.F) [][]byte {
	events := codecEvents(f)
	r := newDesk()
	for _, s := range append(complaintPath[domain.StatusClosed], actionPath[domain.ActionStatusEffective]...) {
		r.mustEmitAs(f, s.author, s.role, s.typ, cid, s.payload())
	}
	for _, s := range planPath[domain.PlanStatusEffective] {
		r.mustEmitAs(f, s.author, s.role, s.typ, pid, s.payload())
	}
	r.mustEmitAs(f, mona, domain.RoleManager, domain.ComplaintConflictResolved, cid,
		&domain.ResolveConflictPayload{Field: "deadline", Value: []byte(`"2026-04-01T10:00:00+02:00"`)})
	r.mustEmitAs(f, adam, domain.RoleAdmin, domain.StationDefined, "PRESS2", &domain.StationPayload{Name: "Press 2"})
	var out [][]byte
	for _, e := range append(events, union(r)...) {
		out = append(out, e.Payload)
	}
	return append(out, []byte(`{}`), []byte(`null`), []byte(`[]`), []byte(` {"note":"x"} `))
}

var (
	numberValue = regexp.MustCompile(`:(-?[0-9][0-9.eE+-]*)`)
	stringValue = regexp.MustCompile(`:"([^"\\]*)"`)
	key         = regexp.MustCompile(`"([a-z_]+)":`)
)

// awkward returns variants of a JSON object that a decoder may read
// otherwise than encoding/json does.
func awkward(raw []byte) [][]byte {
	if len(raw) < 2 || raw[0] != '{' {
		return nil
	}
	body := raw[1 : len(raw)-1]
	var out [][]byte
	add := func(b []byte) { out = append(out, b) }
	if len(body) > 0 {
		add(bytes.Join([][]byte{[]byte("{"), body, []byte(","), body, []byte("}")}, nil)) // every key twice
		add(append([]byte(`{"unknown":[1,{"a":null},"x"],`), raw[1:]...))
	}
	add(key.ReplaceAllFunc(raw, bytes.ToUpper))
	add(key.ReplaceAll(raw, []byte(`"${1}":null,"${1}":`)))
	add(bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("s"), []byte("ſ")), []byte("k"), []byte("\u212a"))) // fold to s and k
	add(stringValue.ReplaceAll(raw, []byte(":\"${1}\xff\xfe\"")))
	add(stringValue.ReplaceAll(raw, []byte(`:"\ud800${1}\u00e9\u003c\/"`)))
	add(stringValue.ReplaceAll(raw, []byte(`:null`)))
	add(stringValue.ReplaceAll(raw, []byte(`:1`)))
	add(stringValue.ReplaceAll(raw, []byte(`:["${1}"]`)))
	for _, n := range []string{"1e400", "1.0", "1.5", "99999999999999999999", "-1", "-0", "0", "1e2", `"1"`, "true", "null", "4294967296", "-9223372036854775809"} {
		add(numberValue.ReplaceAll(raw, []byte(":"+n)))
	}
	add(raw[:len(raw)/2])
	add(append(raw[:len(raw):len(raw)], " x"...))
	add(append(raw[:len(raw)-1:len(raw)-1], ",}"...))
	return out
}

// A decoded payload owns its text: goccy/go-json decodes from a buffer it
// reuses for the next payload, and the fold keeps the strings in states.
func TestDecodedPayloadOwnsItsText(t *testing.T) {
	first, ok := domain.DecodePayloadFast(domain.ComplaintMessagePosted, []byte(`{"text":"Bavures sur le bord, tri \u00e0 100 %"}`))
	if !ok {
		t.Fatal("a plain message refused")
	}
	for range 100 {
		domain.DecodePayloadFast(domain.ComplaintMessagePosted, []byte(`{"text":"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"}`))
	}
	if got := first.(*domain.MessagePayload).Text; got != "Bavures sur le bord, tri à 100 %" {
		t.Fatalf("the first message now reads %q", got)
	}
}
