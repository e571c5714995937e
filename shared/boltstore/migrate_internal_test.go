package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// A store of schema 3 keyed its complaint lists by the filing millisecond
// and kept no filing order in the states. Opening it rekeys the lists by
// filing order and leaves none of the old keys behind.
func TestMigrationToSchema4RekeysComplaintLists(t *testing.T) {
	// Given a plant whose 12 complaints were filed in one millisecond
	path := filepath.Join(t.TempDir(), "b.db")
	frozen := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s, err := Open(path, Options{Now: func() time.Time { return frozen }})
	if err != nil {
		t.Fatal(err)
	}
	ids := fileInOneMillisecond(t, s, 12)
	// ...written as schema 3 wrote it
	if err := s.db.Update(func(tx *bolt.Tx) error { return downgradeToSchema3(tx) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// When it is opened again (rekeyed five complaints per transaction)
	defer func(n int) { rekeyBatch = n }(rekeyBatch)
	rekeyBatch = 5
	s, err = Open(path, Options{Now: func() time.Time { return frozen }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Then it is schema 4, lists newest first in filing order, and each
	// list holds one key per complaint
	want := slices.Clone(ids)
	slices.Reverse(want)
	_ = s.View(func(tx *Tx) error {
		if v := readU64(tx.tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != SchemaVersion {
			t.Errorf("schema %d after open, want %d", v, SchemaVersion)
		}
		if m := tx.tx.Bucket(bucketMeta).Get(keyFilingRekeyed); m != nil {
			t.Errorf("the rekeying marker is left at %q", m)
		}
		for _, f := range []ComplaintFilter{{}, {Text: "burr"}, {FilingStation: "PRESS2"}, {SupplierStation: "CUT1"},
			{Statuses: []domain.ComplaintStatus{domain.StatusNew}}} {
			f.Limit = 5
			var got []string
			for {
				page, err := tx.ListComplaints(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range page.Rows {
					got = append(got, r.ID)
				}
				if f.Cursor = page.Next; f.Cursor == "" {
					break
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%+v: got %v, want %v", f, got, want)
			}
		}
		for _, name := range filingOrderBuckets {
			if string(name) == string(idxComplaintAssignee) {
				continue // none is assigned
			}
			if n := tx.tx.Bucket(name).Stats().KeyN; n != len(ids) {
				t.Errorf("bucket %s holds %d keys for %d complaints", name, n, len(ids))
			}
		}
		return nil
	})
}

func fileInOneMillisecond(t *testing.T, s *Store, n int) []string {
	t.Helper()
	admin := Actor{Login: "admin", Role: domain.RoleAdmin}
	if _, err := s.Record(admin,
		Command{Type: domain.StationDefined, EntityID: "PRESS2", Payload: &domain.StationPayload{Name: "Press 2"}},
		Command{Type: domain.StationDefined, EntityID: "CUT1", Payload: &domain.StationPayload{Name: "Cutting 1"}},
		Command{Type: domain.UserRegistered, EntityID: "op1", Payload: &domain.UserPayload{DisplayName: "op1", Role: domain.RoleOperator}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedReference(admin); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		evs, err := s.Record(Actor{Login: "op1", Role: domain.RoleOperator}, Command{Type: domain.ComplaintFiled,
			Payload: &domain.ComplaintFiledPayload{FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: fmt.Sprintf("P-%d", i),
				Quantity: 1, Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "burr"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, evs[0].EntityID)
	}
	return ids
}

// downgradeToSchema3 rewrites what schema 4 changed as schema 3 had it:
// states without the filing order, lists keyed by inverted filing
// millisecond and id, schema version 3.
func downgradeToSchema3(tx *bolt.Tx) error {
	for _, name := range filingOrderBuckets {
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	states := tx.Bucket(bucketStates)
	var complaints []domain.State
	err := states.ForEach(func(k, v []byte) error {
		var st domain.State
		if err := decodeStateValue(v, &st); err != nil || st.Complaint == nil {
			return err
		}
		st.Complaint.FiledOrder = domain.OrderKey{}
		complaints = append(complaints, st)
		return nil
	})
	if err != nil {
		return err
	}
	for _, st := range complaints {
		c := st.Complaint
		raw, _ := json.Marshal(&st)
		if err := states.Put(stateKey(st.Meta.Key), raw); err != nil {
			return err
		}
		filed := string(binary.BigEndian.AppendUint64(nil, ^uint64(c.FiledAt.UnixMilli()))) + c.ID
		for _, e := range []struct {
			bucket     []byte
			key, value string
		}{
			{bucketComplaintText, filed, FoldText(c.Number + " " + c.PartRef + " " + c.Lot + " " + c.Description)},
			{idxComplaintFiled, filed, ""},
			{idxComplaintStatus, string(c.Status) + "\x00" + filed, ""},
			{idxComplaintSupplier, c.SupplierStation + "\x00" + filed, ""},
			{idxComplaintFiling, c.FilingStation + "\x00" + filed, ""},
		} {
			if err := tx.Bucket(e.bucket).Put([]byte(e.key), []byte(e.value)); err != nil {
				return err
			}
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(3))
}
