package boltstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"boucle/shared/domain"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// fillEveryField sets every stored field of v, all the way down, to a
// value that is not its zero: pointers set, slices and maps of two
// elements, times in a zone of their own. A field the binary encoding
// forgot would come back zero.
func fillEveryField(v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == timeType:
		zone := time.FixedZone("", (*n%24-12)*3600)
		v.Set(reflect.ValueOf(time.Date(2026, 1, 1+*n%28, 8, *n%60, 3, *n*1000, zone)))
	case v.Kind() == reflect.Struct:
		for _, i := range storedFields(v.Type()) {
			fillEveryField(v.Field(i), n)
		}
	case v.Kind() == reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillEveryField(v.Elem(), n)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		v.SetBytes([]byte(fmt.Sprintf(`{"v":%d}`, *n))) // json.RawMessage must stay JSON for the comparison
	case v.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillEveryField(v.Index(i), n)
		}
	case v.Kind() == reflect.Array:
		for i := range v.Len() {
			fillEveryField(v.Index(i), n)
		}
	case v.Kind() == reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fillEveryField(k, n)
			fillEveryField(e, n)
			v.SetMapIndex(k, e)
		}
	case v.Kind() == reflect.Bool:
		v.SetBool(true)
	case v.CanInt():
		v.SetInt(int64(*n) * -1000)
	case v.CanUint():
		v.SetUint(uint64(*n) * 1000003 % (1 << (v.Type().Bits() - 1)))
	case v.Kind() == reflect.String:
		v.SetString(fmt.Sprintf("s%d-é\x00\"{", *n))
	default:
		panic("fillEveryField: " + v.Type().String())
	}
}

// Every field of a state, of every entity type, comes back from the
// binary encoding as it went in, times with their zone offset.
func TestStateBinaryEncodingKeepsEveryField(t *testing.T) {
	var st domain.State
	n := 0
	fillEveryField(reflect.ValueOf(&st).Elem(), &n)
	raw := encodeStateValue(&st)
	var back domain.State
	if err := decodeStateValue(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(jsonOf(t, &st), jsonOf(t, &back)) {
		t.Fatalf("round trip changed the state:\n%s\n%s", jsonOf(t, &st), jsonOf(t, &back))
	}
	if !storedStateHasConflicts(raw) {
		t.Error("a state with conflicts is not flagged")
	}
	if again := encodeStateValue(&back); !bytes.Equal(raw, again) {
		t.Error("encoding the decoded state gave other bytes: maps not in a fixed order?")
	}
	if js, _ := json.Marshal(&st); len(raw) >= len(js) {
		t.Errorf("binary %d bytes, JSON %d", len(raw), len(js))
	}

	var row ComplaintRow
	fillEveryField(reflect.ValueOf(&row).Elem(), &n)
	var rowBack ComplaintRow
	if err := decodeComplaintRow(encodeComplaintRow(&row), &rowBack); err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, &row) != jsonOf(t, &rowBack) {
		t.Fatalf("round trip changed the row:\n%s\n%s", jsonOf(t, &row), jsonOf(t, &rowBack))
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// nil and empty slices and maps stay apart, as JSON kept null apart from
// [] and {}; a state without conflicts is not flagged.
func TestStateBinaryEncodingKeepsNilApartFromEmpty(t *testing.T) {
	st := domain.NewState(domain.EntityKey{Type: domain.EntityComplaint, ID: "c1"})
	st.Meta.Heads = []uuid.UUID{}
	raw := encodeStateValue(st)
	var back domain.State
	if err := decodeStateValue(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.Meta.Heads == nil || len(back.Meta.Heads) != 0 || back.Meta.Clocks == nil || back.Meta.Writers != nil {
		t.Fatalf("heads %#v, clocks %#v, writers %#v", back.Meta.Heads, back.Meta.Clocks, back.Meta.Writers)
	}
	if storedStateHasConflicts(raw) {
		t.Error("a state without conflicts is flagged")
	}
}

// Damaged bytes are an error, never a panic: every truncation, every
// flipped byte, and a value of another layout.
func TestDamagedBinaryStateIsAnError(t *testing.T) {
	var st domain.State
	n := 0
	fillEveryField(reflect.ValueOf(&st).Elem(), &n)
	raw := encodeStateValue(&st)
	for i := range len(raw) {
		var back domain.State
		if err := decodeStateValue(raw[:i], &back); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", i, len(raw))
		}
		flipped := slices.Clone(raw)
		flipped[i] ^= 0xff
		_ = decodeStateValue(flipped, &domain.State{}) // may decode to other content; must not panic
	}
	other := slices.Clone(raw)
	binary.BigEndian.PutUint32(other[1:], storedLayout+1)
	if err := decodeStateValue(other, &domain.State{}); err != errOtherLayout {
		t.Fatalf("another layout: %v", err)
	}
}

// The fingerprint tells layouts apart: a field added, renamed or retyped.
func TestLayoutFingerprintFollowsTheFields(t *testing.T) {
	type v1 struct {
		A string
		B []int
	}
	type added struct {
		A string
		B []int
		C bool
	}
	type renamed struct {
		A string
		D []int
	}
	type retyped struct {
		A string
		B []uint
	}
	base := layoutFingerprint(reflect.TypeFor[v1]())
	for _, typ := range []reflect.Type{reflect.TypeFor[added](), reflect.TypeFor[renamed](), reflect.TypeFor[retyped]()} {
		if layoutFingerprint(typ) == base {
			t.Errorf("%s has the fingerprint of v1", typ)
		}
	}
}

// A store written by a version that kept its states and rows in JSON is
// read as it is: lists, states and the check of states against their
// refold; a complaint that changes is written again in binary.
func TestStatesOfAnOlderVersionInJSONAreRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ids := fileInOneMillisecond(t, s, 5)
	before := listedIDs(t, s)
	// As an older version wrote it: JSON values, no layout recorded.
	if err := s.db.Update(rewriteInJSON); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := listedIDs(t, s); !slices.Equal(got, before) {
		t.Fatalf("listed %v after the upgrade, %v before", got, before)
	}
	if _, err := s.Record(Actor{Login: "op1", Role: domain.RoleOperator}, Command{Type: domain.ComplaintMessagePosted,
		EntityID: ids[0], Payload: &domain.MessagePayload{Text: "any news?"}}); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		for i, id := range ids {
			raw := tx.tx.Bucket(bucketStates).Get(stateKey(domain.EntityKey{Type: domain.EntityComplaint, ID: id}))
			if binaryNow := raw[0] == binaryValueMark; binaryNow != (i == 0) {
				t.Errorf("complaint %d: binary %v", i, binaryNow)
			}
		}
		if st, err := tx.state(domain.EntityKey{Type: domain.EntityComplaint, ID: ids[0]}); err != nil || len(st.Complaint.Messages) != 1 {
			t.Fatalf("state after the message: %+v, %v", st, err)
		}
		return nil
	})
	s.Close()
	report, err := Check(path)
	if err != nil || len(report.Problems) > 0 || report.States == 0 {
		t.Fatalf("check: %+v, %v", report, err)
	}
}

// rewriteInJSON writes every state and complaint row as JSON and forgets
// the layout, as a store of an older version holds them.
func rewriteInJSON(tx *bolt.Tx) error {
	if err := tx.Bucket(bucketMeta).Delete(keyStateLayout); err != nil {
		return err
	}
	rewrite := func(bucket []byte, decode func([]byte) (any, error)) error {
		b := tx.Bucket(bucket)
		var keys, values [][]byte
		err := b.ForEach(func(k, v []byte) error {
			decoded, err := decode(v)
			if err != nil {
				return err
			}
			js, err := json.Marshal(decoded)
			keys, values = append(keys, slices.Clone(k)), append(values, js)
			return err
		})
		for i := range keys {
			if err == nil {
				err = b.Put(keys[i], values[i])
			}
		}
		return err
	}
	err := rewrite(bucketStates, func(v []byte) (any, error) {
		var st domain.State
		return &st, decodeStateValue(v, &st)
	})
	if err != nil {
		return err
	}
	return rewrite(bucketComplaintRows, func(v []byte) (any, error) {
		var r ComplaintRow
		return &r, decodeComplaintRow(v, &r)
	})
}

func listedIDs(t *testing.T, s *Store) []string {
	t.Helper()
	var ids []string
	err := s.View(func(tx *Tx) error {
		page, err := tx.ListComplaints(ComplaintFilter{Limit: 100})
		for _, r := range page.Rows {
			ids = append(ids, r.ID+"/"+r.Number+"/"+string(r.Status))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// A store whose binary states were written under another layout (a
// domain struct changed since) refolds them at open, and checks out.
func TestStatesOfAnotherLayoutAreRefoldedAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fileInOneMillisecond(t, s, 5)
	before := listedIDs(t, s)
	var hash [32]byte
	_ = s.View(func(tx *Tx) error { hash = tx.StatesHash(); return nil })
	// As a version with another layout wrote them.
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keyStateLayout, binary.BigEndian.AppendUint32(nil, storedLayout+1)); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketStates, bucketComplaintRows} {
			b := tx.Bucket(name)
			var keys, values [][]byte
			_ = b.ForEach(func(k, v []byte) error {
				v = slices.Clone(v)
				binary.BigEndian.PutUint32(v[1:], storedLayout+1)
				keys, values = append(keys, slices.Clone(k)), append(values, v)
				return nil
			})
			for i := range keys {
				if err := b.Put(keys[i], values[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := listedIDs(t, s); !slices.Equal(got, before) {
		t.Fatalf("listed %v after the refold, %v before", got, before)
	}
	_ = s.View(func(tx *Tx) error {
		if tx.StatesHash() != hash {
			t.Error("the refolded states differ from the states before")
		}
		if raw := tx.tx.Bucket(bucketMeta).Get(keyStateLayout); binary.BigEndian.Uint32(raw) != storedLayout {
			t.Error("the layout is not recorded after the refold")
		}
		return nil
	})
	s.Close()
	if report, err := Check(path); err != nil || len(report.Problems) > 0 || report.States == 0 {
		t.Fatalf("check: %+v, %v", report, err)
	}
}

// The codec of the clocks without reflection writes the bytes of the
// generic one.
func TestClocksCodecIsTheGenericOne(t *testing.T) {
	var m map[uuid.UUID]domain.VV
	n := 0
	fillEveryField(reflect.ValueOf(&m).Elem(), &n)
	m[uuid.New()] = nil
	m[uuid.New()] = domain.VV{}
	generic := &valueCodec{}
	mapCodec(generic, clocksType, buildCodec(reflect.TypeFor[uuid.UUID](), map[reflect.Type]*valueCodec{}),
		buildCodec(reflect.TypeFor[domain.VV](), map[reflect.Type]*valueCodec{}))
	v := reflect.ValueOf(m)
	want, got := generic.enc(nil, v), clocksCodec.enc(nil, v)
	if !bytes.Equal(want, got) {
		t.Fatalf("clocks codec:\n%x\ngeneric:\n%x", got, want)
	}
	var back map[uuid.UUID]domain.VV
	d := valueDecoder{b: got}
	clocksCodec.dec(&d, reflect.ValueOf(&back).Elem())
	if d.err != nil || len(d.b) != 0 || !reflect.DeepEqual(back, m) {
		t.Fatalf("decoded %v (%v), want %v", back, d.err, m)
	}
}
