package viewmodel_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// A workstation whose store has a flipped page header: before, the app
// panicked at start. Now it refuses the store, saying what to do.
func TestDamagedWorkstationStoreIsRefusedWithWhatToDo(t *testing.T) {
	dir := t.TempDir()
	w, err := viewmodel.OpenWorkstation(dir, "", cheap)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	path := filepath.Join(dir, viewmodel.StoreFile)
	flipBucketListHeader(t, path)

	func() {
		defer func() {
			if v := recover(); v != nil {
				t.Fatalf("OpenWorkstation panicked: %v", v)
			}
		}()
		w, err = viewmodel.OpenWorkstation(dir, "", cheap)
	}()
	if err == nil {
		w.Close()
		t.Fatal("a damaged store opened")
	}
	if domain.ErrorCode(err) != boltstore.ECorrupt || !strings.Contains(err.Error(), "Move "+path+" aside") {
		t.Fatalf("refusal: %v", err)
	}
}

// flipBucketListHeader turns the type flags of the page listing the
// store's buckets into nonsense.
func flipBucketListHeader(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var page int64
	_ = db.View(func(tx *bolt.Tx) error { page = int64(tx.Cursor().Bucket().Root()); return nil })
	off := page*int64(db.Info().PageSize) + 8 // after the page id: the flags
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := []byte{0}
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0x23
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}
