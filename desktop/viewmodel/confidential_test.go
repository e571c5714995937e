package viewmodel_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"boucle/desktop/internal/fixture"
	"boucle/shared/boltstore"
	"boucle/shared/confidential"
	"boucle/shared/domain"
)

const secretNote = "Supplier CUT1 suspected of hiding its scrap rate"

// fileHolds reports whether the store's file holds b anywhere, free pages
// included: what someone copying the file would read.
func fileHolds(t *testing.T, s *boltstore.Store, b string) bool {
	t.Helper()
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(raw, []byte(b))
}

// An engineer's internal note is never written in plain text to the
// workstation's file, and an operator signed in after him cannot read it.
func TestInternalNoteIsNotReadableOnASharedWorkstation(t *testing.T) {
	// Given an engineer who posts an internal note on a shared workstation
	m, s := newModel(t, fixture.Engineer)
	m.SetKeys(plantKeys)
	id := fixture.Acknowledged(t, s, "Burr")
	must(t, m.PostMessage(id, secretNote, true))
	// Then the workstation's file does not hold its text
	if fileHolds(t, s, secretNote) {
		t.Error("the store's file holds the internal note in plain text")
	}
	// And when an operator signs in on the same workstation, no view
	// model answer holds it
	signIn(m, fixture.Operator)
	d, err := m.Complaint(id)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(mustJSON(t, d), []byte("scrap")) {
		t.Error("the operator's complaint view holds the internal note")
	}
	if len(d.Complaint.Messages) != 0 {
		t.Errorf("the operator sees %+v", d.Complaint.Messages)
	}
	// Even if keys were left in the model, an operator's session does
	// not open notes
	m.SetKeys(plantKeys)
	if d, _ := m.Complaint(id); bytes.Contains(mustJSON(t, d), []byte("scrap")) || len(d.Complaint.Messages) != 0 {
		t.Error("an operator's session with keys opens the note")
	}
	// And the engineer signed in again reads it
	signIn(m, fixture.Engineer)
	m.SetKeys(plantKeys)
	if d, _ := m.Complaint(id); len(d.Complaint.Messages) != 1 || d.Complaint.Messages[0].Text != secretNote {
		t.Errorf("the engineer reads %+v", d.Complaint.Messages)
	}
}

// A session change drops the keys: the next person, whatever the role,
// starts without them.
func TestSignOutDropsKeys(t *testing.T) {
	m, s := newModel(t, fixture.Engineer)
	m.SetKeys(plantKeys)
	id := fixture.Acknowledged(t, s, "Burr")
	must(t, m.PostMessage(id, secretNote, true))
	signIn(m, fixture.Engineer2) // a quick switch
	if err := m.PostMessage(id, "another note", true); ruleOf(err) != "complaint.internal_note_locked" {
		t.Fatalf("post without keys: %v", err)
	}
	d, err := m.Complaint(id)
	if err != nil {
		t.Fatal(err)
	}
	if msgs := d.Complaint.Messages; len(msgs) != 1 || msgs[0].Text != "" || msgs[0].Sealed == "" {
		t.Fatalf("without keys the engineer gets %+v, want the note locked", msgs)
	}
	for _, it := range d.Timeline {
		if p, ok := it.Payload.(*domain.MessagePayload); ok && (p.Text != "" || p.Sealed == "") {
			t.Fatalf("timeline note %+v, want it locked", p)
		}
	}
}

// An operator cannot post an internal note, keys or not.
func TestOperatorPostsNoInternalNote(t *testing.T) {
	m, s := newModel(t, fixture.Operator)
	m.SetKeys(plantKeys)
	id := fixture.Acknowledged(t, s, "Burr")
	if err := m.PostMessage(id, "psst", true); ruleOf(err) != "complaint.internal_note" {
		t.Fatalf("operator's note: %v", err)
	}
}

var plantKeys = func() *confidential.Keyring {
	k, err := confidential.NewKeyring(confidential.Key{ID: "p1", Secret: bytes.Repeat([]byte{3}, confidential.KeyLen)})
	if err != nil {
		panic(err)
	}
	return k
}()

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ruleOf(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Rule
	}
	return ""
}
