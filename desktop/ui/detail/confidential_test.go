package detail

import (
	"bytes"
	"testing"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/uitest"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
)

const note = "Supplier suspected of hiding its scrap rate"

func keys(t *testing.T) *confidential.Keyring {
	t.Helper()
	k, err := confidential.NewKeyring(confidential.Key{ID: "p1", Secret: bytes.Repeat([]byte{5}, confidential.KeyLen)})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// withNote returns a complaint holding an engineer's internal note,
// sealed with keys.
func withNote(t *testing.T, k *confidential.Keyring) (*boltstore.Store, string) {
	t.Helper()
	s := seeded(t)
	id := fixture.Acknowledged(t, s, "Burr on the edge")
	r := open(t, s, fixture.Engineer, id)
	r.m.SetKeys(k)
	if err := r.m.PostMessage(id, note, true); err != nil {
		t.Fatal(err)
	}
	return s, id
}

// An engineer whose session holds the keys reads the note, in the
// messages and in the timeline.
func TestInternalNoteOpenedForEngineer(t *testing.T) {
	k := keys(t)
	s, id := withNote(t, k)
	r := open(t, s, fixture.Engineer2, id)
	r.m.SetKeys(k)
	r.sc.Load()
	if got := uitest.Texts(r.sc.Object(), note); len(got) < 2 {
		t.Fatalf("the note shows %d times: %v", len(got), got)
	}
}

// Without the keys (never signed in online since notes are sealed) the
// engineer sees that a note is there, locked, in words.
func TestInternalNoteLockedWithoutKeys(t *testing.T) {
	s, id := withNote(t, keys(t))
	r := open(t, s, fixture.Engineer2, id)
	if uitest.HasText(r.sc.Object(), note) {
		t.Fatal("the note shows without the keys")
	}
	if got := uitest.Texts(r.sc.Object(), "Internal note (locked: sign in online once)"); len(got) < 2 {
		t.Fatalf("locked note shown %d times: %v", len(got), got)
	}
}

// An operator sees neither the note nor that there is one.
func TestInternalNoteHiddenFromOperator(t *testing.T) {
	k := keys(t)
	s, id := withNote(t, k)
	r := open(t, s, fixture.Operator, id)
	r.m.SetKeys(k) // even with keys left behind
	r.sc.Load()
	if uitest.HasText(r.sc.Object(), note) || len(uitest.Texts(r.sc.Object(), "nternal note")) > 0 {
		t.Fatal("the operator sees the internal note")
	}
}
