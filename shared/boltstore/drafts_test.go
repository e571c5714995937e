package boltstore_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

var opDraft = boltstore.DraftKey{Login: "op1", Form: "report"}

func TestDraft_SurvivesARestartWithItsFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "boucle.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Given a draft with a photo, written
	saved := time.UnixMilli(1_765_000_000_000)
	photo := []byte("\xff\xd8\xff burr")
	d := boltstore.Draft{Saved: saved, Value: json.RawMessage(`{"part":"BR-2040"}`), Files: []boltstore.DraftFile{{Name: "burr.jpg", Data: photo}}}
	if err := s.PutDraft(opDraft, d); err != nil {
		t.Fatal(err)
	}
	// When the store is closed and opened again (the app restarts)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Then the draft is there, time, fields and file
	got, ok, err := s.Draft(opDraft)
	if err != nil || !ok {
		t.Fatalf("draft after reopening: %v %v", ok, err)
	}
	if !got.Saved.Equal(saved) || string(got.Value) != `{"part":"BR-2040"}` || len(got.Files) != 1 ||
		got.Files[0].Name != "burr.jpg" || string(got.Files[0].Data) != string(photo) {
		t.Fatalf("draft = %+v", got)
	}
	// And another user's draft is apart
	if _, ok, _ := s.Draft(boltstore.DraftKey{Login: "op2", Form: "report"}); ok {
		t.Fatal("op2 sees op1's draft")
	}
}

func TestDraft_ReplacingDropsTheFilesRemoved(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	a, b := boltstore.DraftFile{Name: "a.jpg", Data: []byte("aaa")}, boltstore.DraftFile{Name: "b.jpg", Data: []byte("bbb")}
	if err := s.PutDraft(opDraft, boltstore.Draft{Value: json.RawMessage(`{}`), Files: []boltstore.DraftFile{a, b}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutDraft(opDraft, boltstore.Draft{Value: json.RawMessage(`{}`), Files: []boltstore.DraftFile{b}}); err != nil {
		t.Fatal(err)
	}
	got, _, _ := s.Draft(opDraft)
	if len(got.Files) != 1 || got.Files[0].Name != "b.jpg" {
		t.Fatalf("files = %+v", got.Files)
	}
	if n := draftFileCount(t, s); n != 1 {
		t.Fatalf("%d file bytes kept, want 1 (a.jpg's dropped)", n)
	}
}

// Filing and deleting the draft commit together: a failed filing keeps
// the draft, a successful one leaves none.
func TestDraft_DeletedInTheFilingsTransaction(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	seedPlant(t, s)
	put := func() {
		if err := s.PutDraft(opDraft, boltstore.Draft{Value: json.RawMessage(`{}`), Files: []boltstore.DraftFile{{Name: "a.jpg", Data: []byte("aaa")}}}); err != nil {
			t.Fatal(err)
		}
	}
	put()
	fileWithDraft := func(p *domain.ComplaintFiledPayload) error {
		return s.Update(func(tx *boltstore.Tx) error {
			if _, err := tx.Record(operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: p}); err != nil {
				return err
			}
			return tx.DeleteDraft(opDraft)
		})
	}
	bad := filing("CUT1", "", "no part")
	if err := fileWithDraft(bad); err == nil {
		t.Fatal("filed without a part reference")
	}
	if _, ok, _ := s.Draft(opDraft); !ok {
		t.Fatal("the refused filing deleted the draft")
	}
	if err := fileWithDraft(filing("CUT1", "BR-2040", "burr")); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Draft(opDraft); ok || draftFileCount(t, s) != 0 {
		t.Fatal("the draft survived its filing")
	}
}

func TestDraft_BadKey(t *testing.T) {
	s := mustOpen(t, boltstore.Options{})
	for _, k := range []boltstore.DraftKey{{Form: "report"}, {Login: "op1"}, {Login: "op\x001", Form: "report"}} {
		if err := s.PutDraft(k, boltstore.Draft{}); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("PutDraft(%q) = %v, want invalid", k, err)
		}
	}
}

func draftFileCount(t *testing.T, s *boltstore.Store) int {
	t.Helper()
	n, err := s.DraftFileCount(opDraft)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
