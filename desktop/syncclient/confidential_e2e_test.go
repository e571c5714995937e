package syncclient_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The demo's internal notes (syncserver/demo/texts.go), in both languages.
var demoNotes = []string{
	"Relancé le chef d'équipe du poste fournisseur.", "Chased the supplier station's team leader.",
	"Même cause que le mois dernier : à suivre en plan préventif.", "Same cause as last month: to follow up in a preventive plan.",
	"Coût de non-qualité estimé à 1 200 €.", "Cost of poor quality estimated at €1,200.",
}

// On a demo plant, an operator's workstation pulls the whole log and its
// file holds no internal note's text; an engineer signing in online on
// the same workstation receives the keys and opens every note.
// bbolt only: the demo plant is seeded into a bbolt store (demo is
// refused on PostgreSQL).
func TestE2EOperatorWorkstationHoldsNoInternalNote(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	if out, err := exec.Command(serverBin, "demo", "--data", dir).CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	srv := startServer(t, dir)
	srv.addUser("op9", "operator", "PRESS2", password("op9"))
	srv.addUser("eng9", "engineer", "", password("eng9"))
	w := enrolled(t, "shared-desk", srv.URL(), srv.enrolmentCode(), testConfig())

	// Given the operator signed in, the workstation pulls everything
	if s := w.login(t, "op9", password("op9")); s.Keys != nil {
		t.Fatal("an operator's session holds the confidential keys")
	}
	w.syncOnce(t)
	raw, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, note := range demoNotes {
		if bytes.Contains(raw, []byte(note)) {
			t.Errorf("the workstation's file holds the internal note %q", note)
		}
	}

	// And every note is there, sealed, and opens for an engineer
	eng := w.login(t, "eng9", password("eng9"))
	var notes, opened int
	var oneID, oneSealed string
	err = w.store.View(func(tx *boltstore.Tx) error {
		return tx.ForEachState(domain.EntityComplaint, func(st *domain.State) {
			for _, m := range st.Complaint.Messages {
				if !m.Internal {
					continue
				}
				notes++
				oneID, oneSealed = st.Complaint.ID, m.Sealed
				if text, err := eng.Keys.Open(st.Complaint.ID, m.Sealed); err == nil && m.Text == "" && text != "" {
					opened++
				}
			}
		})
	})
	if err != nil || notes == 0 || opened != notes {
		t.Fatalf("%d internal notes pulled, %d open for the engineer (%v)", notes, opened, err)
	}
	t.Logf("%d internal notes, all sealed, all opened by the engineer", notes)

	// The keys rest in the file only sealed under the engineer's password
	raw, err = os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range eng.Keys.Keys() {
		if bytes.Contains(raw, k.Secret) {
			t.Fatal("the workstation's file holds a confidential key in the clear")
		}
	}
	// And with the server gone, the engineer's offline sign-in opens the
	// notes again, the operator's does not get the keys
	if err := w.sync.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.stop()
	if s := w.login(t, "op9", password("op9")); s.Online || s.Keys != nil {
		t.Fatalf("operator offline: online %v, keys %v", s.Online, s.Keys != nil)
	}
	off := w.login(t, "eng9", password("eng9"))
	if off.Online || off.Keys == nil {
		t.Fatalf("engineer offline: online %v, keys %v", off.Online, off.Keys != nil)
	}
	if text, err := off.Keys.Open(oneID, oneSealed); err != nil || text == "" {
		t.Fatalf("offline keys open %q, %v", text, err)
	}
	if _, err := w.sync.Login(context.Background(), "eng9", "wrong-password"); err == nil {
		t.Fatal("a wrong password signs in offline")
	}
}
