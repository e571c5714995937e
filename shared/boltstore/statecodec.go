package boltstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"

	"boucle/shared/domain"
)

// The folded states (bucketStates) and the complaint rows
// (bucketComplaintRows) are stored in the binary encoding of
// valuecodec.go, behind a six-byte header:
//
//	0x01, the layout's fingerprint (4 bytes, big-endian), flags (1 byte)
//
// Stores written before it hold JSON, whose first byte is '{': those
// values are still read, and written again in binary when their entity
// changes. A value of another layout (a domain struct changed since it was
// written) cannot be read: the store refolds every state at open when its
// layout changed (migrateStateLayout), so no reader meets one.

const (
	binaryValueMark = 0x01
	binaryHeaderLen = 6
	// stateHasConflicts flags a state whose Meta.Conflicts is not empty,
	// so that counting the conflicted entities reads one byte of each.
	stateHasConflicts = 1 << 0
)

var (
	stateType  = reflect.TypeFor[domain.State]()
	rowType    = reflect.TypeFor[ComplaintRow]()
	stateCodec = codecFor(stateType)
	rowCodec   = codecFor(rowType)
	// storedLayout fingerprints the layouts of both, as this version
	// writes them.
	storedLayout = layoutFingerprint(stateType, rowType)
)

// errOtherLayout is the error of a value written under another layout.
var errOtherLayout = fmt.Errorf("written under another layout of the domain's types")

// appendBinaryValue appends v's header and encoding to b.
func appendBinaryValue(b []byte, c *valueCodec, v reflect.Value, flags byte) []byte {
	b = append(b, binaryValueMark)
	b = binary.BigEndian.AppendUint32(b, storedLayout)
	b = append(b, flags)
	return c.enc(b, v)
}

// decodeBinaryValue reads a value into v (which it fills), JSON or binary.
func decodeBinaryValue(raw []byte, c *valueCodec, v any) error {
	if len(raw) > 0 && raw[0] == '{' { // written by an older version
		return json.Unmarshal(raw, v)
	}
	if len(raw) < binaryHeaderLen || raw[0] != binaryValueMark {
		return fmt.Errorf("neither JSON nor a binary value")
	}
	if binary.BigEndian.Uint32(raw[1:]) != storedLayout {
		return errOtherLayout
	}
	d := valueDecoder{b: raw[binaryHeaderLen:]}
	c.dec(&d, reflect.ValueOf(v).Elem())
	switch {
	case d.err != nil:
		return d.err
	case len(d.b) > 0:
		return fmt.Errorf("%d bytes left after the value", len(d.b))
	}
	return nil
}

// encodeStateValue is the stored form of a state.
func encodeStateValue(st *domain.State) []byte {
	var flags byte
	if len(st.Meta.Conflicts) > 0 {
		flags |= stateHasConflicts
	}
	return appendBinaryValue(make([]byte, 0, 2048), stateCodec, reflect.ValueOf(st).Elem(), flags)
}

// decodeStateValue reads a stored state into st, which must be zero.
func decodeStateValue(raw []byte, st *domain.State) error {
	return decodeBinaryValue(raw, stateCodec, st)
}

// storedStateHasConflicts tells whether a stored state has conflicts
// without decoding it.
func storedStateHasConflicts(raw []byte) bool {
	if len(raw) >= binaryHeaderLen && raw[0] == binaryValueMark {
		return raw[5]&stateHasConflicts != 0
	}
	return bytes.Contains(raw, conflictsKey)
}

// encodeComplaintRow is the stored form of a complaint's row.
func encodeComplaintRow(r *ComplaintRow) []byte {
	return appendBinaryValue(make([]byte, 0, 256), rowCodec, reflect.ValueOf(r).Elem(), 0)
}

// decodeComplaintRow reads a stored row into r, which must be zero.
func decodeComplaintRow(raw []byte, r *ComplaintRow) error {
	return decodeBinaryValue(raw, rowCodec, r)
}
