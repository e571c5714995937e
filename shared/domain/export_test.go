package domain

import fastjson "github.com/goccy/go-json"

// The two halves of a payload's decoding (payloadjson.go), for
// FuzzPayloadJSON to hold one to the other.

func DecodePayloadFast(t EventType, raw []byte) (Payload, bool) { return registry[t].decodeFast(raw) }

func DecodePayloadStd(t EventType, raw []byte) (Payload, error) { return registry[t].decodeStd(raw) }

func ValidJSONFast(b []byte) bool { return fastjson.Valid(b) }
