package boltstore

import (
	"path/filepath"
	"testing"

	"boucle/shared/domain"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// A store of schema 2 (events without a checksum) is sealed at open, in
// resumable batches; an event already damaged then is quarantined, not
// vouched for.
func TestSchema1StoreGetsChecksumsAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	admin := Actor{Login: "admin", Role: domain.RoleAdmin}
	for _, code := range []string{"ST1", "ST2", "ST3", "ST4", "ST5"} {
		if _, err := s.Record(admin, Command{Type: domain.StationDefined, EntityID: code, Payload: &domain.StationPayload{Name: "Station " + code}}); err != nil {
			t.Fatal(err)
		}
	}
	const damaged = 3
	downgradeToSchema2(t, s, damaged)
	s.Close()

	defer func(n int) { checksumBatch = n }(checksumBatch)
	checksumBatch = 2
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_ = s.View(func(tx *Tx) error {
		if v := readU64(tx.tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != SchemaVersion || tx.tx.Bucket(bucketMeta).Get(keyChecksummed) != nil {
			t.Fatalf("schema %d after the migration", v)
		}
		logged, _, err := tx.LogAfter(0, 100)
		if err != nil || len(logged) != 4 {
			t.Fatalf("log after the migration: %d events, %v", len(logged), err)
		}
		return nil
	})
	var q []Quarantined
	_ = s.View(func(tx *Tx) error { q = tx.Quarantined(); return nil })
	if len(q) != 1 || q[0].Pos != damaged || s.QuarantinedCount() != 1 {
		t.Fatalf("quarantine = %+v", q)
	}
}

// downgradeToSchema2 strips every event's checksum, as schema 2 stored
// them, and flips the version byte of the event at position damaged.
func downgradeToSchema2(t *testing.T, s *Store, damaged uint64) {
	t.Helper()
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents)
		for pos := uint64(1); pos <= b.Sequence(); pos++ {
			v := append([]byte(nil), b.Get(u64(pos))...)
			v = v[:len(v)-checksumLen]
			if pos == damaged {
				v[0] ^= 0x40
			}
			if err := b.Put(u64(pos), v); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every single-bit flip of a sealed value fails its check, and so does the
// value read under another position (a damaged branch page).
func TestSealCatchesFlipsAndMisplacedValues(t *testing.T) {
	enc := []byte(`an encoded event, whatever its bytes: {"text":"3 pièces NOK"}`)
	v := sealEvent(42, enc)
	if got, err := unsealEvent(42, v); err != nil || string(got) != string(enc) {
		t.Fatalf("unseal = %q, %v", got, err)
	}
	for i := range v {
		for bit := range 8 {
			bad := append([]byte(nil), v...)
			bad[i] ^= 1 << bit
			if _, err := unsealEvent(42, bad); domain.ErrorCode(err) != ECorrupt {
				t.Fatalf("flip of bit %d of byte %d passed", bit, i)
			}
		}
	}
	for _, pos := range []uint64{41, 43, 1 << 40, 42 + 1<<32 + 1} {
		if _, err := unsealEvent(pos, v); domain.ErrorCode(err) != ECorrupt {
			t.Fatalf("the value of position 42 passed at %d", pos)
		}
	}
}

// An event sealed as it is encoded is the value of its encoding sealed
// after, signed or not, with parents or not.
func TestSealedEventIsItsEncodingSealed(t *testing.T) {
	e, err := domain.NewEvent(domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "3 pièces NOK"})
	if err != nil {
		t.Fatal(err)
	}
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), 1<<40, "ws-1", 7, "op1", domain.RoleOperator
	signed := e
	signed.Sig.Kid, signed.Sig.MAC[0] = "k1", 9
	signed.Parents = []uuid.UUID{uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())}
	for _, ev := range []domain.Event{e, signed} {
		if got, want := sealedEvent(42, &ev), sealEvent(42, domain.EncodeEvent(&ev)); string(got) != string(want) {
			t.Fatalf("sealed in place %x, sealed after %x", got, want)
		}
	}
}
