package domain

import (
	"encoding/json"

	fastjson "github.com/goccy/go-json"
)

// Payloads are decoded on every push (the server's checks) and every fold
// (each workstation, each rebuild), and encoding/json was most of the
// push's checks: it scans a payload once to validate it, then again to
// decode it, by reflection. goccy/go-json decodes the same structs three
// to four times faster, calling the same UnmarshalJSON methods (time.Time).
//
// It only ever says yes: when it accepts a payload, encoding/json accepts
// it too, with the same value (FuzzPayloadJSON holds them to it, over every
// payload type, the seed corpus running with every go test); when it
// refuses, encoding/json decides and words the refusal, so every error a
// person reads is the one it always was. Unknown fields, duplicate keys,
// invalid UTF-8 and numbers out of range are therefore treated exactly as
// before.

// decodePayloadJSON decodes raw into a new P, as json.Unmarshal would.
func decodePayloadJSON[P any, PP interface {
	*P
	Payload
}](raw []byte) (Payload, error) {
	if p, ok := decodePayloadFast[P, PP](raw); ok {
		return p, nil
	}
	return decodePayloadStd[P, PP](raw)
}

// decodePayloadFast is goccy/go-json's answer, and whether it accepted raw.
func decodePayloadFast[P any, PP interface {
	*P
	Payload
}](raw []byte) (Payload, bool) {
	var p P
	if fastjson.Unmarshal(raw, &p) != nil {
		return nil, false
	}
	return PP(&p), true
}

// decodePayloadStd is encoding/json's answer, its error in words.
func decodePayloadStd[P any, PP interface {
	*P
	Payload
}](raw []byte) (Payload, error) {
	var p P
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, JSONError(EMalformed, "payload", err)
	}
	return PP(&p), nil
}

// validJSON is json.Valid(b), asked of goccy/go-json first: the
// envelope's check of every decoded event's payload (ValidateEnvelope).
func validJSON(b []byte) bool { return fastjson.Valid(b) || json.Valid(b) }
