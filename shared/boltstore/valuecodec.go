package boltstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"boucle/shared/domain"

	"github.com/google/uuid"
)

// A compact binary encoding of Go values, for the folded states and the
// complaint rows the store writes (statecodec.go): JSON cost a third of a
// fold, and made a complaint's state 2 kB. The encoding is positional:
// each exported field of a struct in declaration order (json:"-" fields
// left out, as JSON did), without names, so that reading it back is a walk
// of the bytes. A value's layout is fingerprinted (layoutOf): a reader
// refuses bytes written under another layout, and a store whose layout
// changed refolds its states at open (migrateStateLayout).
//
// Encodings, by kind:
//   - bool: one byte; signed integers: zig-zag varint; unsigned: varint;
//     floats: 8 bytes, little-endian;
//   - string, []byte: varint length, bytes;
//   - time.Time: varint length, then time.Time's own binary form (instant
//     and zone offset, as its JSON kept); the zero time has length 0;
//   - byte arrays (uuid.UUID): their bytes; other arrays: each element;
//   - slices and maps: varint of length+1, 0 for nil (JSON kept the
//     difference between null and []); maps sorted by encoded key, so
//     that equal values have equal bytes (StatesHash relies on it);
//   - pointers: 0 for nil, 1 then the value;
//   - structs: their fields.

// valueCodec encodes and decodes the values of one Go type.
type valueCodec struct {
	enc func(b []byte, v reflect.Value) []byte
	dec func(d *valueDecoder, v reflect.Value)
}

// valueDecoder reads an encoding; the first error stops it and sticks.
type valueDecoder struct {
	b   []byte
	err error
}

var errShortValue = errors.New("value truncated")

func (d *valueDecoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *valueDecoder) byte() byte {
	if len(d.b) == 0 {
		d.fail(errShortValue)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *valueDecoder) uvarint() uint64 {
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errShortValue)
		return 0
	}
	d.b = d.b[n:]
	return x
}

func (d *valueDecoder) varint() int64 {
	x, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(errShortValue)
		return 0
	}
	d.b = d.b[n:]
	return x
}

// bytes returns the next n bytes (the decoder's memory, not a copy).
func (d *valueDecoder) bytes(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail(errShortValue)
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

// count reads the length+1 of a slice or map: -1 for nil. A count larger
// than the bytes left is corrupt (every element takes a byte at least).
func (d *valueDecoder) count() int {
	n := d.uvarint()
	if n == 0 {
		return -1
	}
	if n-1 > uint64(len(d.b)) {
		d.fail(errShortValue)
		return -1
	}
	return int(n - 1)
}

var (
	codecs      sync.Map // reflect.Type → *valueCodec
	timeType    = reflect.TypeFor[time.Time]()
	clocksType  = reflect.TypeFor[map[uuid.UUID]domain.VV]()
	codecsBuild sync.Mutex
)

// codecFor returns the codec of a type, built once.
func codecFor(t reflect.Type) *valueCodec {
	if c, ok := codecs.Load(t); ok {
		return c.(*valueCodec)
	}
	codecsBuild.Lock()
	defer codecsBuild.Unlock()
	return buildCodec(t, map[reflect.Type]*valueCodec{})
}

// buildCodec builds the codec of t; building keeps the codecs under
// construction so that a recursive type refers to itself.
func buildCodec(t reflect.Type, building map[reflect.Type]*valueCodec) *valueCodec {
	if c, ok := codecs.Load(t); ok {
		return c.(*valueCodec)
	}
	if c, ok := building[t]; ok {
		return c
	}
	if t == clocksType {
		return clocksCodec
	}
	c := &valueCodec{}
	building[t] = c
	switch {
	case t == timeType:
		c.enc, c.dec = encodeTime, decodeTime
	case t.Kind() == reflect.Struct:
		structCodec(c, t, building)
	case t.Kind() == reflect.Pointer:
		pointerCodec(c, t, buildCodec(t.Elem(), building))
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		c.enc, c.dec = encodeByteSlice, decodeByteSlice
	case t.Kind() == reflect.Slice:
		sliceCodec(c, t, buildCodec(t.Elem(), building))
	case t.Kind() == reflect.Array:
		arrayCodec(c, t, buildCodec(t.Elem(), building))
	case t.Kind() == reflect.Map:
		mapCodec(c, t, buildCodec(t.Key(), building), buildCodec(t.Elem(), building))
	default:
		scalarCodec(c, t)
	}
	codecs.Store(t, c)
	return c
}

func scalarCodec(c *valueCodec, t reflect.Type) {
	switch t.Kind() {
	case reflect.Bool:
		c.enc = func(b []byte, v reflect.Value) []byte {
			if v.Bool() {
				return append(b, 1)
			}
			return append(b, 0)
		}
		c.dec = func(d *valueDecoder, v reflect.Value) { v.SetBool(d.byte() != 0) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.enc = func(b []byte, v reflect.Value) []byte { return binary.AppendVarint(b, v.Int()) }
		c.dec = func(d *valueDecoder, v reflect.Value) { v.SetInt(d.varint()) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.enc = func(b []byte, v reflect.Value) []byte { return binary.AppendUvarint(b, v.Uint()) }
		c.dec = func(d *valueDecoder, v reflect.Value) { v.SetUint(d.uvarint()) }
	case reflect.Float32, reflect.Float64:
		c.enc = func(b []byte, v reflect.Value) []byte {
			return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float()))
		}
		c.dec = func(d *valueDecoder, v reflect.Value) {
			if raw := d.bytes(8); raw != nil {
				v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(raw)))
			}
		}
	case reflect.String:
		c.enc = func(b []byte, v reflect.Value) []byte {
			s := v.String()
			return append(binary.AppendUvarint(b, uint64(len(s))), s...)
		}
		c.dec = func(d *valueDecoder, v reflect.Value) {
			if n := d.uvarint(); n > 0 {
				v.SetString(string(d.bytes(n)))
			}
		}
	default:
		panic(fmt.Sprintf("boltstore: no binary encoding for %s (kind %s)", t, t.Kind()))
	}
}

// storedFields are the indexes of the fields a struct's encoding holds.
func storedFields(t reflect.Type) []int {
	var out []int
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && f.Tag.Get("json") != "-" {
			out = append(out, i)
		}
	}
	return out
}

func structCodec(c *valueCodec, t reflect.Type, building map[reflect.Type]*valueCodec) {
	fields := storedFields(t)
	fc := make([]*valueCodec, len(fields))
	for j, i := range fields {
		fc[j] = buildCodec(t.Field(i).Type, building)
	}
	c.enc = func(b []byte, v reflect.Value) []byte {
		for j, i := range fields {
			b = fc[j].enc(b, v.Field(i))
		}
		return b
	}
	c.dec = func(d *valueDecoder, v reflect.Value) {
		for j, i := range fields {
			fc[j].dec(d, v.Field(i))
		}
	}
}

func pointerCodec(c *valueCodec, t reflect.Type, elem *valueCodec) {
	c.enc = func(b []byte, v reflect.Value) []byte {
		if v.IsNil() {
			return append(b, 0)
		}
		return elem.enc(append(b, 1), v.Elem())
	}
	c.dec = func(d *valueDecoder, v reflect.Value) {
		if d.byte() == 0 {
			return
		}
		p := reflect.New(t.Elem())
		elem.dec(d, p.Elem())
		v.Set(p)
	}
}

func encodeByteSlice(b []byte, v reflect.Value) []byte {
	if v.IsNil() {
		return append(b, 0)
	}
	raw := v.Bytes()
	return append(binary.AppendUvarint(b, uint64(len(raw))+1), raw...)
}

func decodeByteSlice(d *valueDecoder, v reflect.Value) {
	if n := d.count(); n >= 0 {
		v.SetBytes(bytes.Clone(d.bytes(uint64(n))))
	}
}

func sliceCodec(c *valueCodec, t reflect.Type, elem *valueCodec) {
	c.enc = func(b []byte, v reflect.Value) []byte {
		if v.IsNil() {
			return append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(v.Len())+1)
		for i := range v.Len() {
			b = elem.enc(b, v.Index(i))
		}
		return b
	}
	c.dec = func(d *valueDecoder, v reflect.Value) {
		n := d.count()
		if n < 0 {
			return
		}
		s := reflect.MakeSlice(t, n, n)
		for i := range n {
			elem.dec(d, s.Index(i))
		}
		v.Set(s)
	}
}

func arrayCodec(c *valueCodec, t reflect.Type, elem *valueCodec) {
	if t.Elem().Kind() == reflect.Uint8 { // uuid.UUID and the like: raw bytes
		n := t.Len()
		c.enc = func(b []byte, v reflect.Value) []byte {
			start := len(b)
			b = slices.Grow(b, n)[:start+n]
			reflect.Copy(reflect.ValueOf(b[start:]), v)
			return b
		}
		c.dec = func(d *valueDecoder, v reflect.Value) {
			if raw := d.bytes(uint64(n)); raw != nil {
				reflect.Copy(v, reflect.ValueOf(raw))
			}
		}
		return
	}
	c.enc = func(b []byte, v reflect.Value) []byte {
		for i := range v.Len() {
			b = elem.enc(b, v.Index(i))
		}
		return b
	}
	c.dec = func(d *valueDecoder, v reflect.Value) {
		for i := range v.Len() {
			elem.dec(d, v.Index(i))
		}
	}
}

// mapCodec writes the entries sorted by their encoded keys, so that the
// bytes do not depend on Go's map order.
func mapCodec(c *valueCodec, t reflect.Type, key, elem *valueCodec) {
	c.enc = func(b []byte, v reflect.Value) []byte {
		if v.IsNil() {
			return append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(v.Len())+1)
		// The entries are slices of scratch; when it grows, those of
		// its old array stay valid (nothing writes them again).
		type entry struct{ k, v []byte }
		entries := make([]entry, 0, v.Len())
		scratch := make([]byte, 0, 64*v.Len())
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem() // copied into, not allocated for each entry
		it := v.MapRange()
		for it.Next() {
			k.SetIterKey(it)
			e.SetIterValue(it)
			start := len(scratch)
			scratch = key.enc(scratch, k)
			mid := len(scratch)
			scratch = elem.enc(scratch, e)
			entries = append(entries, entry{scratch[start:mid:mid], scratch[mid:len(scratch):len(scratch)]})
		}
		slices.SortFunc(entries, func(x, y entry) int { return bytes.Compare(x.k, y.k) })
		for _, e := range entries {
			b = append(append(b, e.k...), e.v...)
		}
		return b
	}
	c.dec = func(d *valueDecoder, v reflect.Value) {
		n := d.count()
		if n < 0 {
			return
		}
		m := reflect.MakeMapWithSize(t, n)
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		for range n {
			k.SetZero()
			e.SetZero()
			key.dec(d, k)
			elem.dec(d, e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	}
}

func encodeTime(b []byte, v reflect.Value) []byte {
	var t time.Time
	if v.CanAddr() { // a struct's field: read in place, not boxed
		t = *(*time.Time)(v.Addr().UnsafePointer())
	} else {
		t = v.Interface().(time.Time)
	}
	if t == (time.Time{}) {
		return append(b, 0)
	}
	at := len(b)
	b = append(b, 0) // the length, below 128
	b, err := t.AppendBinary(b)
	if err != nil { // a zone offset that is not a whole minute: keep the instant, in UTC
		b, _ = t.UTC().AppendBinary(b[:at+1])
	}
	b[at] = byte(len(b) - at - 1)
	return b
}

func decodeTime(d *valueDecoder, v reflect.Value) {
	n := d.uvarint()
	if n == 0 {
		return
	}
	var t time.Time
	if err := t.UnmarshalBinary(d.bytes(n)); err != nil {
		d.fail(err)
		return
	}
	if v.CanAddr() {
		*(*time.Time)(v.Addr().UnsafePointer()) = t
		return
	}
	v.Set(reflect.ValueOf(t))
}

// layoutOf describes the encoding of t: its fields' names and types, all
// the way down. Two types with the same description read each other's
// bytes; layoutFingerprint hashes it.
func layoutOf(t reflect.Type) string {
	var sb strings.Builder
	describe(&sb, t, map[reflect.Type]bool{})
	return sb.String()
}

func describe(sb *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	switch {
	case t == timeType:
		sb.WriteString("time")
	case t.Kind() == reflect.Struct:
		if seen[t] {
			sb.WriteString(t.String())
			return
		}
		seen[t] = true
		sb.WriteString(t.String() + "{")
		for _, i := range storedFields(t) {
			f := t.Field(i)
			sb.WriteString(f.Name + ":")
			describe(sb, f.Type, seen)
			sb.WriteString(";")
		}
		sb.WriteString("}")
	case t.Kind() == reflect.Pointer:
		sb.WriteString("*")
		describe(sb, t.Elem(), seen)
	case t.Kind() == reflect.Slice:
		sb.WriteString("[]")
		describe(sb, t.Elem(), seen)
	case t.Kind() == reflect.Array:
		fmt.Fprintf(sb, "[%d]", t.Len())
		describe(sb, t.Elem(), seen)
	case t.Kind() == reflect.Map:
		sb.WriteString("map[")
		describe(sb, t.Key(), seen)
		sb.WriteString("]")
		describe(sb, t.Elem(), seen)
	default:
		sb.WriteString(t.Kind().String())
	}
}

// layoutFingerprint is a 32-bit hash of the layouts of types.
func layoutFingerprint(types ...reflect.Type) uint32 {
	h := fnv.New32a()
	for _, t := range types {
		h.Write([]byte(layoutOf(t)))
		h.Write([]byte{0})
	}
	return h.Sum32()
}

// clocksCodec encodes domain.Meta.Clocks, a version vector for each event
// folded (the bulk of a state), without reflection: the same bytes as the
// generic map and slice codecs, a third of their time.
var clocksCodec = &valueCodec{
	enc: func(b []byte, v reflect.Value) []byte {
		m := v.Interface().(map[uuid.UUID]domain.VV)
		if m == nil {
			return append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(m))+1)
		ids := make([]uuid.UUID, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
		for _, id := range ids {
			b = appendVV(append(b, id[:]...), m[id])
		}
		return b
	},
	dec: func(d *valueDecoder, v reflect.Value) {
		n := d.count()
		if n < 0 {
			return
		}
		m := make(map[uuid.UUID]domain.VV, n)
		for range n {
			var id uuid.UUID
			copy(id[:], d.bytes(uint64(len(id))))
			m[id] = readVV(d)
		}
		v.Set(reflect.ValueOf(m))
	},
}

func appendVV(b []byte, vv domain.VV) []byte {
	if vv == nil {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(vv))+1)
	for _, rs := range vv {
		b = append(binary.AppendUvarint(b, uint64(len(rs.Replica))), rs.Replica...)
		b = binary.AppendUvarint(b, rs.Seq)
	}
	return b
}

func readVV(d *valueDecoder) domain.VV {
	n := d.count()
	if n < 0 {
		return nil
	}
	vv := make(domain.VV, n)
	for i := range vv {
		vv[i].Replica = string(d.bytes(d.uvarint()))
		vv[i].Seq = d.uvarint()
	}
	return vv
}
