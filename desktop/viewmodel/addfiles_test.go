package viewmodel_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Files added after filing are stored with their events in one
// transaction: a refused event leaves no bytes behind.
func TestAddFilesAllOrNothing(t *testing.T) {
	m, s := newModel(t, fixture.Operator)
	id := fixture.Resolved(t, s, "Burr")
	fixture.Do(t, s, fixture.Operator, domain.ComplaintVerified, id, &domain.VerifyPayload{Rating: 5})
	photo := []byte("\x89PNG\r\n\x1a\n a photo")
	sum := sha256.Sum256(photo)
	sha := hex.EncodeToString(sum[:])
	// When a file is added to the closed complaint
	err := m.AddFiles(id, []model.File{{Name: "late.png", Data: photo}})
	// Then the domain refuses it, and neither the event nor the bytes are kept
	if domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("err = %v, want a conflict (closed)", err)
	}
	_ = s.View(func(tx *boltstore.Tx) error {
		if tx.HasBlob(sha) {
			t.Error("the bytes of a refused file are kept")
		}
		return nil
	})
	// When two files are added to an open complaint
	open := fixture.Acknowledged(t, s, "Dent")
	if err := m.AddFiles(open, []model.File{{Name: "a.png", Data: photo}, {Name: "b.txt", Data: []byte("notes")}}); err != nil {
		t.Fatal(err)
	}
	// Then both are attached with their media types, their bytes stored
	d, err := m.Complaint(open)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 2 || !d.Files[0].Here || d.Files[0].MediaType != "image/png" || d.Files[1].Name != "b.txt" {
		t.Fatalf("files = %+v", d.Files)
	}
	// And nothing, or an empty file, is refused naming the field
	for _, files := range [][]model.File{nil, {{Name: "empty.png"}}} {
		if err := m.AddFiles(open, files); fieldOf(err) != "attachment" {
			t.Errorf("%v: err = %v, want one about the attachment", files, err)
		}
	}
}
