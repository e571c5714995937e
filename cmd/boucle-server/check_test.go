package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"boucle/internal/storefault"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"

	bolt "go.etcd.io/bbolt"
)

// check verifies a store offline: a healthy demo plant passes; one flipped
// byte of an event's text is found (and quarantined by the next start);
// one flipped byte of a folded state is found as a state that differs
// from its refold. Before, there was no check command.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, nil, "demo", "--data", dir)
	out := mustRun(t, nil, "check", "--data", dir)
	if !strings.HasSuffix(out, "ok\n") || !regexp.MustCompile(`states: +[1-9]\d* compared with their refold, 0 differ`).MatchString(out) {
		t.Fatalf("check of a healthy plant:\n%s", out)
	}

	path := filepath.Join(dir, syncserver.StoreFile)
	last := lastEvent(t, path)
	enc := domain.EncodeEvent(&last)
	storefault.FlipStoredByte(t, path, enc, len(enc)-3) // inside the payload's JSON
	_, out, err := run(t, nil, "", "check", "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "backup") || !strings.Contains(out, "checksum mismatch") || !strings.Contains(out, "1 damaged") {
		t.Fatalf("check of a damaged event: %v\n%s", err, out)
	}
	out = mustRun(t, nil, "quarantine", "list", "--data", dir)
	if !strings.Contains(out, last.ID.String()) {
		t.Fatalf("quarantine list after a start:\n%s", out)
	}

	dir2 := t.TempDir()
	mustRun(t, nil, "demo", "--data", dir2)
	path2 := filepath.Join(dir2, syncserver.StoreFile)
	state := aState(t, path2)
	storefault.FlipStoredByte(t, path2, state, bytes.Index(state, []byte(`"type"`))+2)
	_, out, err = run(t, nil, "", "check", "--data", dir2)
	if err == nil || !strings.Contains(out, "differs from the refold") {
		t.Fatalf("check of a damaged state: %v\n%s", err, out)
	}
}

// lastEvent reads the log's last event.
func lastEvent(t *testing.T, path string) domain.Event {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var e domain.Event
	err = s.View(func(tx *boltstore.Tx) error {
		logged, _, err := tx.LogAfter(tx.LogLen()-1, 1)
		if err == nil {
			e = logged[0].Event
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// aState returns the stored bytes of a complaint's state.
func aState(t *testing.T, path string) []byte {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var state []byte
	_ = db.View(func(tx *bolt.Tx) error {
		k, v := tx.Bucket([]byte("states")).Cursor().Seek([]byte("complaint\x00"))
		if k != nil {
			state = bytes.Clone(v)
		}
		return nil
	})
	if state == nil {
		t.Fatal("no complaint state")
	}
	return state
}
