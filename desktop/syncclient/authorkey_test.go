package syncclient_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// An online sign-in brings the user's author key for this workstation;
// the store keeps it wrapped under the password only; an offline sign-in
// unwraps it, and the events it records are signed with it. A user who
// never signed in online here has no key and cannot record.
func TestAuthorKeyAtSignIn(t *testing.T) {
	f := newFakeServer(t)
	w := enrolled(t, "ws1", f.URL(), enrolmentCode, testConfig())
	secret := authorship.Derive(fakeAuthorMaster, "op1", w.store.Replica(), 0)
	online := w.login(t, "op1", "op1-secret")
	if !online.CanSign() {
		t.Fatal("an online sign-in brought no author key")
	}
	w.syncOnce(t) // the plant's stations and categories
	lastSigned := func(t *testing.T) {
		t.Helper()
		var e domain.Event
		var err error
		_ = w.store.View(func(tx *boltstore.Tx) error { e, err = tx.EventAt(tx.LogLen()); return nil })
		var v authorship.Verifier
		if err != nil || e.Author != "op1" || !v.Verify(secret, &e) {
			t.Fatalf("last event by %s, signature %+v does not verify: %v", e.Author, e.Sig, err)
		}
	}
	w.fileComplaint(t, online, "Bavures")
	lastSigned(t)

	if err := w.sync.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.store.Close()
	raw, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, secret[:]) {
		t.Fatal("the author key lies unwrapped in the store file")
	}
	w.open(t, testConfig())

	offline, err := w.sync.LoginOffline("op1", "op1-secret")
	if err != nil || !offline.CanSign() {
		t.Fatalf("offline sign-in: key %v, %v", offline.CanSign(), err)
	}
	w.fileComplaint(t, offline, "Rayures")
	lastSigned(t)

	// eng1 never signed in online here: he has no key, and an enrolled
	// workstation refuses to record for him.
	if err := w.sync.SetLocalPassword(domain.User{Login: "eng1", Role: domain.RoleEngineer}, "eng1-local"); err != nil {
		t.Fatal(err)
	}
	eng, err := w.sync.LoginOffline("eng1", "eng1-local")
	if err != nil || eng.CanSign() {
		t.Fatalf("eng1 offline: key %v, %v", eng.CanSign(), err)
	}
	_, err = w.store.Record(eng.Actor(), boltstore.Command{Type: domain.ComplaintFiled, Payload: &domain.ComplaintFiledPayload{
		FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: "P", Lot: "L", Quantity: 1, Category: "dimensional",
		Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "x"}})
	if de := domain.AsError(err); de == nil || de.Rule != "sync.author_key" {
		t.Fatalf("recording without a key: %v", err)
	}
}
