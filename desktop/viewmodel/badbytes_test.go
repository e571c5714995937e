package viewmodel_test

import (
	"path/filepath"
	"strings"
	"testing"

	"boucle/desktop/viewmodel"
	"boucle/internal/storefault"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
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
	storefault.FlipPageHeader(t, path, storefault.TopRoot)

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
