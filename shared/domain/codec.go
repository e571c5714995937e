package domain

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// Size limits. Events travel over shop-floor networks and are replayed on
// every start; anything bigger than these is a bug or an attack. Attachment
// bytes never travel inside events: events reference them by SHA-256.
const (
	MaxEventBytes   = 64 << 10 // one encoded event
	MaxPayloadBytes = 48 << 10 // its JSON payload
	MaxParents      = 64
	maxTextField    = 128 // replica, author, role, entity type and id, type
)

// codecVersion is the first byte of every encoded event, so that the
// storage and wire format can evolve without guessing. Version 1 had no
// signature; version 2 puts the author's signature right after the
// version byte: the kid (a length-prefixed string, empty when unsigned),
// then, when signed, the 32-byte MAC. Both are decoded; events are
// encoded as version 2.
const (
	codecVersion   = 2
	codecUnsigned1 = 1
)

// AppendEvent appends the binary form of e to dst. The binary form is what
// the store keeps and what sync sends: decoding it is several times cheaper
// than JSON, which matters when a workstation replays a million events.
func AppendEvent(dst []byte, e *Event) []byte {
	dst = append(dst, codecVersion)
	dst = binary.AppendUvarint(dst, uint64(len(e.Sig.Kid)))
	dst = append(dst, e.Sig.Kid...)
	if e.Sig.Kid != "" {
		dst = append(dst, e.Sig.MAC[:]...)
	}
	return appendBody(dst, e)
}

// AppendSignedBytes appends the bytes an author's MAC covers: the version
// byte and every field of the encoding, without the signature.
func AppendSignedBytes(dst []byte, e *Event) []byte {
	return appendBody(append(dst, codecVersion), e)
}

// appendBody appends every field after the version byte and signature.
func appendBody(dst []byte, e *Event) []byte {
	dst = append(dst, e.ID[:]...)
	dst = binary.BigEndian.AppendUint64(dst, uint64(e.HLC))
	dst = binary.AppendUvarint(dst, e.Seq)
	for _, s := range []string{e.Replica, e.Author, string(e.Role), string(e.EntityType), e.EntityID, string(e.Type)} {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	dst = binary.AppendUvarint(dst, uint64(e.Schema))
	dst = binary.AppendUvarint(dst, uint64(len(e.Parents)))
	for _, p := range e.Parents {
		dst = append(dst, p[:]...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(e.Payload)))
	return append(dst, e.Payload...)
}

// EncodeEvent returns the binary form of e.
func EncodeEvent(e *Event) []byte {
	return AppendEvent(make([]byte, 0, 136+len(e.Payload)+16*len(e.Parents)), e)
}

// DecodeEvent decodes and checks one event. It refuses oversized input with
// ETooLarge and anything malformed with EMalformed naming the field; it does
// not refuse unknown event types or newer schemas (see Event.Known). The
// result shares no memory with b, so b may be a bbolt page.
func DecodeEvent(b []byte) (Event, error) {
	if len(b) > MaxEventBytes {
		return Event{}, &Error{Code: ETooLarge, Message: "event larger than 64 KiB"}
	}
	d := decoder{b: b}
	var e Event
	switch v := d.byte("version"); {
	case d.err != nil || v == codecUnsigned1:
	case v == codecVersion:
		d.signature(&e.Sig)
	default:
		return Event{}, &Error{Code: EMalformed, Field: "version", Message: "unknown event encoding version"}
	}
	copy(e.ID[:], d.bytes(16, "id"))
	e.HLC = hlc.Timestamp(binary.BigEndian.Uint64(pad8(d.bytes(8, "hlc"))))
	e.Seq = d.uvarint("seq")
	e.Replica = d.str("replica")
	e.Author = d.str("author")
	e.Role = Role(d.str("role"))
	e.EntityType = EntityType(d.str("entity_type"))
	e.EntityID = d.str("entity_id")
	e.Type = EventType(d.str("type"))
	if s := d.uvarint("schema"); s > 0xffff {
		d.fail("schema", "schema version out of range")
	} else {
		e.Schema = uint16(s)
	}
	n := d.uvarint("parents")
	if n > MaxParents {
		d.fail("parents", "too many parents")
	}
	if d.err == nil && n > 0 {
		e.Parents = make([]uuid.UUID, n)
		for i := range e.Parents {
			copy(e.Parents[i][:], d.bytes(16, "parents"))
		}
	}
	plen := d.uvarint("payload")
	if plen > MaxPayloadBytes {
		return Event{}, &Error{Code: ETooLarge, Field: "payload", Message: "payload larger than 48 KiB"}
	}
	if p := d.bytes(int(plen), "payload"); d.err == nil {
		e.Payload = append(json.RawMessage(nil), p...)
	}
	if d.err == nil && d.off != len(b) {
		d.fail("payload", "trailing bytes after the event")
	}
	if d.err != nil {
		return Event{}, d.err
	}
	if err := e.ValidateEnvelope(); err != nil {
		return Event{}, err
	}
	return e, nil
}

// signature reads a version 2 signature: the kid, then the MAC if signed.
func (d *decoder) signature(sig *Signature) {
	n := d.uvarint("sig")
	if n > maxTextField {
		d.fail("sig", "kid longer than 128 bytes")
		return
	}
	if n == 0 {
		return
	}
	sig.Kid = string(d.bytes(int(n), "sig"))
	copy(sig.MAC[:], d.bytes(MACSize, "sig"))
}

// ValidateEnvelope checks the fields every event must carry, whatever its
// type. The payload must be a JSON object; its content is checked by the
// payload's own Validate once the type is known.
func (e *Event) ValidateEnvelope() error {
	malformed := func(field, msg string) error { return &Error{Code: EMalformed, Field: field, Message: msg} }
	switch {
	case e.ID.Version() != 7 || e.ID.Variant() != uuid.RFC4122:
		return malformed("id", "must be a UUIDv7")
	case e.HLC == 0:
		return malformed("hlc", "is required")
	case e.HLC > hlc.Limit:
		return malformed("hlc", "is after "+hlc.Limit.Time().Format("2006-01-02")+": the clock that stamped it is broken")
	case e.Seq == 0:
		return malformed("seq", "must start at 1")
	case e.Schema == 0:
		return malformed("schema", "must start at 1")
	case len(e.Parents) > MaxParents:
		return malformed("parents", "too many parents")
	case len(e.Payload) > MaxPayloadBytes:
		return &Error{Code: ETooLarge, Field: "payload", Message: "payload larger than 48 KiB"}
	}
	for _, f := range []struct{ name, value string }{
		{"replica", e.Replica}, {"author", e.Author}, {"role", string(e.Role)},
		{"entity_type", string(e.EntityType)}, {"entity_id", e.EntityID}, {"type", string(e.Type)},
	} {
		if f.value == "" {
			return malformed(f.name, "is required")
		}
		if len(f.value) > maxTextField || !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0) {
			// NUL is refused because the store uses it as a key separator.
			return malformed(f.name, "must be valid UTF-8 of at most 128 bytes, without NUL")
		}
	}
	if k := e.Sig.Kid; k != "" && (!utf8.ValidString(k) || strings.ContainsRune(k, 0) || len(k) > maxTextField) {
		return malformed("sig", "kid must be valid UTF-8 of at most 128 bytes, without NUL")
	}
	if len(e.Payload) == 0 || e.Payload[0] != '{' || !validJSON(e.Payload) {
		return malformed("payload", "must be a JSON object")
	}
	return nil
}

// decoder reads the binary form, remembering the first error.
type decoder struct {
	b   []byte
	off int
	err *Error
}

func (d *decoder) fail(field, msg string) {
	if d.err == nil {
		d.err = &Error{Code: EMalformed, Field: field, Message: msg}
	}
}

func (d *decoder) bytes(n int, field string) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || len(d.b)-d.off < n {
		d.fail(field, "truncated")
		return nil
	}
	out := d.b[d.off : d.off+n]
	d.off += n
	return out
}

func (d *decoder) byte(field string) byte {
	b := d.bytes(1, field)
	if b == nil {
		return 0
	}
	return b[0]
}

func (d *decoder) uvarint(field string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail(field, "bad varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) str(field string) string {
	n := d.uvarint(field)
	if n > maxTextField {
		d.fail(field, "longer than 128 bytes")
		return ""
	}
	b := d.bytes(int(n), field)
	if s, ok := interned[string(b)]; ok { // no allocation for the usual roles and types
		return s
	}
	return string(b)
}

func pad8(b []byte) []byte {
	if len(b) == 8 {
		return b
	}
	return make([]byte, 8)
}

// interned holds the strings that repeat in every event (roles, entity and
// event types), so decoding a million events does not allocate them a
// million times.
var interned = func() map[string]string {
	m := map[string]string{}
	for t, s := range registry {
		m[string(t)] = string(t)
		m[string(s.entity)] = string(s.entity)
	}
	for _, r := range Roles {
		m[string(r)] = string(r)
	}
	return m
}()

// EncodedTypeIs reports whether the encoded event b is of type t, reading
// only its header (no allocation): the server's pull looks at every
// stored event this way and decodes the few it must.
func EncodedTypeIs(b []byte, t EventType) bool {
	d := decoder{b: b}
	typ := d.header()
	return d.err == nil && string(typ) == string(t)
}

// CheckFrame reports whether the encoded event b holds together as a
// frame, without copying it (no allocation): a known version, every
// length within the bytes and none left over, a payload that opens a
// JSON object. It does not check the fields' content (DecodeEvent does):
// the server's pull runs it on every stored event it serves, for the
// price of the header walk it already paid, so that no workstation is
// handed bytes whose framing its decoder refuses. The error is
// EMalformed naming the field, as DecodeEvent's.
func CheckFrame(b []byte) error {
	d := decoder{b: b}
	d.header()
	d.uvarint("schema")
	n := d.uvarint("parents")
	if n > MaxParents {
		d.fail("parents", "too many parents")
	}
	d.bytes(16*int(n), "parents")
	if plen := d.uvarint("payload"); plen > MaxPayloadBytes {
		d.fail("payload", "payload larger than 48 KiB")
	} else if p := d.bytes(int(plen), "payload"); d.err == nil && (len(p) == 0 || p[0] != '{') {
		d.fail("payload", "must be a JSON object")
	}
	if d.err == nil && d.off != len(b) {
		d.fail("payload", "trailing bytes after the event")
	}
	if d.err != nil {
		return d.err
	}
	return nil
}

// header walks the version, the signature and the fixed fields, and
// returns the type's bytes (the last of the header's strings).
func (d *decoder) header() (typ []byte) {
	switch v := d.byte("version"); {
	case d.err != nil:
		return nil
	case v == codecVersion:
		if n := d.uvarint("sig"); n > 0 { // skip the signature: kid, MAC
			d.bytes(int(min(n, uint64(len(d.b))))+MACSize, "sig")
		}
	case v != codecUnsigned1:
		d.fail("version", "unknown event encoding version")
		return nil
	}
	d.bytes(16+8, "id")
	d.uvarint("seq")
	for range 6 { // replica, author, role, entity type, entity id, type
		typ = d.bytes(int(min(d.uvarint("string"), uint64(len(d.b)))), "string")
	}
	return typ
}
