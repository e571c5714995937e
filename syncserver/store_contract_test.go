package syncserver_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/boltserver"
	"boucle/syncserver/credential"
	"boucle/syncserver/pgstore"

	"github.com/google/uuid"
)

// The storage port's contract: tables of behaviours, run against every
// adapter. A full adapter joins by adding its constructor to
// storeAdapters, and its records' to recordAdapters
// (store_records_test.go); the tables are not touched.

// storeAdapters opens a fresh, empty plant store on each adapter.
var storeAdapters = []struct {
	name string
	open func(t *testing.T) syncserver.Store
}{
	{"bbolt", openBoltAccess},
	{"postgres", openPostgres},
}

// openPostgres opens a fresh plant on a database of its own, as the
// server would (pgstore.Store.Server).
func openPostgres(t *testing.T) syncserver.Store {
	t.Helper()
	s, err := pgstore.Open(ctx, pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if _, err := s.CreatePlant(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	srv, err := s.Server(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	return syncserver.StoreOn(srv)
}

func openBoltAccess(t *testing.T) syncserver.Store {
	t.Helper()
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return syncserver.StoreOn(boltserver.New(store))
}

var storeContract = []struct {
	name string
	run  func(t *testing.T, s syncserver.Store)
}{
	{"AccountAndItsDirectoryEventCommitTogether", contractAccountWithEvent},
	{"AnErrorWritesNothing", contractRollback},
	{"DirectoryRefusesABadEventAndKeepsNoAccount", contractRefusedEvent},
	{"ProjectionsShowWhatWasRecorded", contractProjections},
	{"ProjectionsOfAnEmptyPlant", contractEmptyProjections},
	{"HealthyAndNothingQuarantined", contractHealth},
	{"ProjectStepsThroughTheBacklog", contractProject},
	{"LogAppendThenPull", contractLogAppend},
	{"LogRefusalKeptAndSequenceAdvanced", contractLogRefusal},
	{"ServerReplicaAndClock", contractReplicaAndClock},
}

// recordContract is the part of the contract that holds records alone:
// accounts, devices, codes, tokens, settings, evidence. An adapter that
// does not fold the log yet (PostgreSQL's) runs it on its own through
// recordAdapters; a full one runs it through the port.
var recordContract = []struct {
	name string
	run  func(t *testing.T, s recordStore)
}{
	{"AccountAbsentIsNil", contractAccountAbsent},
	{"AccountRoundTrip", contractAccountRoundTrip},
	{"ViewDoesNotWrite", contractViewIsReadOnly},
	{"DevicesInIDOrderRevokedIncluded", contractDevices},
	{"ValuesOutliveTheTransaction", contractValuesOutlive},
	{"EnrolmentSpentOnce", contractEnrolmentSpent},
	{"EnrolmentsSweptWhenExpired", contractEnrolmentSweep},
	{"RefreshTokenAndFamily", contractRefreshTokens},
	{"RefreshFamiliesOfOneLogin", contractFamiliesOf},
	{"RefreshTokensSweptWhenExpired", contractRefreshSweep},
	{"Settings", contractSettings},
	{"EpochSetAtOpen", contractEpoch},
	{"EvidenceRoundTrip", contractEvidence},
	{"UploadsByUploader", contractUploads},
	{"EvidenceAndItsUploadCommitTogether", contractEvidenceRollback},
	{"RecordsOfAFailedUpdateAreGone", contractRecordsRollback},
}

func TestStoreContract(t *testing.T) {
	for _, a := range storeAdapters {
		t.Run(a.name, func(t *testing.T) {
			for _, c := range storeContract {
				t.Run(c.name, func(t *testing.T) { c.run(t, a.open(t)) })
			}
		})
	}
}

var contractTime = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// ctx is the context of every call of the contract: nothing cancels it.
var ctx = context.Background()

func update(t *testing.T, s syncserver.AccessStore, fn func(syncserver.AccessTx) error) {
	t.Helper()
	if err := s.UpdateAccess(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, s syncserver.AccessStore, fn func(syncserver.AccessTx) error) {
	t.Helper()
	if err := s.ViewAccess(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func contractAccountAbsent(t *testing.T, s recordStore) {
	viewRecords(t, s, func(tx recordTx) error {
		a, err := tx.Account("nobody")
		if err != nil || a != nil {
			t.Errorf("Account(nobody) = %v, %v; want nil, nil", a, err)
		}
		has, err := tx.HasAccounts()
		if err != nil || has {
			t.Errorf("HasAccounts on a new store = %v, %v; want false", has, err)
		}
		return nil
	})
}

func contractAccountRoundTrip(t *testing.T, s recordStore) {
	want := credential.Account{Login: "ana", Hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA", Changed: contractTime, KeyGen: 3}
	updateRecords(t, s, func(tx recordTx) error { return tx.PutAccount(&want) })
	viewRecords(t, s, func(tx recordTx) error {
		got, err := tx.Account("ana")
		if err != nil || got == nil || !got.Changed.Equal(want.Changed) || got.Hash != want.Hash || got.KeyGen != 3 {
			t.Errorf("Account(ana) = %+v, %v; want %+v", got, err, want)
		}
		if has, _ := tx.HasAccounts(); !has {
			t.Error("HasAccounts = false after an account was put")
		}
		return nil
	})
}

var registerAna = boltstore.Command{Type: domain.UserRegistered, EntityID: "ana",
	Payload: &domain.UserPayload{DisplayName: "Ana", Role: domain.RoleEngineer}}

var contractAdmin = boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}

// The account and the directory event that registers its user are one
// write: both are there after the commit.
func contractAccountWithEvent(t *testing.T, s syncserver.Store) {
	update(t, s, func(tx syncserver.AccessTx) error {
		if err := tx.RecordServerEvent(contractAdmin, registerAna); err != nil {
			return err
		}
		return tx.PutAccount(&credential.Account{Login: "ana", Hash: "h", Changed: contractTime})
	})
	view(t, s, func(tx syncserver.AccessTx) error {
		users, err := tx.Users()
		if err != nil || len(users) != 1 || users[0].Login != "ana" || users[0].Role != domain.RoleEngineer {
			t.Errorf("Users() = %+v, %v; want ana, engineer", users, err)
		}
		if a, _ := tx.Account("ana"); a == nil {
			t.Error("no account for ana")
		}
		return nil
	})
}

// Whatever the function wrote is gone when it returns an error: the
// directory event, the account, a device, a setting.
func contractRollback(t *testing.T, s syncserver.Store) {
	boom := errors.New("boom")
	err := s.UpdateAccess(ctx, func(tx syncserver.AccessTx) error {
		if err := tx.RecordServerEvent(contractAdmin, registerAna); err != nil {
			return err
		}
		if err := tx.PutAccount(&credential.Account{Login: "ana", Hash: "h"}); err != nil {
			return err
		}
		if err := tx.PutDevice(&credential.Device{ID: "d1", Replica: "r1"}); err != nil {
			return err
		}
		if err := tx.PutSetting("demo", []byte("x")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateAccess = %v; want the function's error", err)
	}
	view(t, s, func(tx syncserver.AccessTx) error {
		_, uerr := tx.State(domain.EntityKey{Type: domain.EntityUser, ID: "ana"})
		a, _ := tx.Account("ana")
		d, _ := tx.Device("d1")
		v, _ := tx.Setting("demo")
		if domain.ErrorCode(uerr) != domain.ENotFound || a != nil || d != nil || v != nil {
			t.Errorf("after a failed update: user err %v, account %v, device %v, setting %q; want nothing", uerr, a, d, v)
		}
		return nil
	})
}

func contractViewIsReadOnly(t *testing.T, s recordStore) {
	err := s.ViewRecords(ctx, func(tx recordTx) error {
		return tx.PutAccount(&credential.Account{Login: "ana", Hash: "h"})
	})
	if err == nil {
		t.Error("a write in a read-only transaction succeeded")
	}
	viewRecords(t, s, func(tx recordTx) error {
		if a, _ := tx.Account("ana"); a != nil {
			t.Error("a write in a read-only transaction was kept")
		}
		return nil
	})
}

// A directory event the rules refuse fails the transaction with its
// domain error, and what was written before it in the transaction goes.
func contractRefusedEvent(t *testing.T, s syncserver.Store) {
	bad := boltstore.Command{Type: domain.UserRegistered, EntityID: "bob", Payload: &domain.UserPayload{DisplayName: "Bob", Role: "wizard"}}
	err := s.UpdateAccess(ctx, func(tx syncserver.AccessTx) error {
		if err := tx.PutAccount(&credential.Account{Login: "bob", Hash: "h"}); err != nil {
			return err
		}
		return tx.RecordServerEvent(contractAdmin, bad)
	})
	if domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("recording a user of role wizard = %v; want %s", err, domain.EInvalid)
	}
	view(t, s, func(tx syncserver.AccessTx) error {
		if a, _ := tx.Account("bob"); a != nil {
			t.Error("the account written before the refused event was kept")
		}
		return nil
	})
}

func contractDevices(t *testing.T, s recordStore) {
	updateRecords(t, s, func(tx recordTx) error {
		for _, d := range []credential.Device{
			{ID: "c", Replica: "r3", Enrolled: contractTime},
			{ID: "a", Replica: "r1", Enrolled: contractTime, Series: "A"},
			{ID: "b", Replica: "r2", Enrolled: contractTime, Revoked: true, RevokedAt: contractTime, Why: "stolen"},
		} {
			if err := tx.PutDevice(&d); err != nil {
				return err
			}
		}
		return nil
	})
	viewRecords(t, s, func(tx recordTx) error {
		all, err := tx.Devices()
		ids := make([]string, len(all))
		for i, d := range all {
			ids[i] = d.ID
		}
		if err != nil || !slices.Equal(ids, []string{"a", "b", "c"}) {
			t.Errorf("Devices() ids = %v, %v; want [a b c]", ids, err)
		}
		b, err := tx.Device("b")
		if err != nil || b == nil || !b.Revoked || b.Why != "stolen" || !b.RevokedAt.Equal(contractTime) {
			t.Errorf("Device(b) = %+v, %v; want revoked, stolen", b, err)
		}
		if d, err := tx.Device("zz"); d != nil || err != nil {
			t.Errorf("Device(zz) = %v, %v; want nil, nil", d, err)
		}
		return nil
	})
}

// Values read in a transaction are the caller's: they stay intact after
// it ends and after later writes.
func contractValuesOutlive(t *testing.T, s recordStore) {
	updateRecords(t, s, func(tx recordTx) error {
		if err := tx.PutSetting("demo", []byte("first")); err != nil {
			return err
		}
		return tx.PutDevice(&credential.Device{ID: "d1", Name: "Press 2 desk"})
	})
	var v []byte
	var d *credential.Device
	viewRecords(t, s, func(tx recordTx) (err error) {
		if v, err = tx.Setting("demo"); err != nil {
			return err
		}
		d, err = tx.Device("d1")
		return err
	})
	updateRecords(t, s, func(tx recordTx) error {
		for i := range 200 { // enough writes for bbolt to reuse the pages read before
			if err := tx.PutSetting("demo", bytes.Repeat([]byte{byte(i)}, 64)); err != nil {
				return err
			}
		}
		return tx.PutDevice(&credential.Device{ID: "d1", Name: "renamed"})
	})
	if string(v) != "first" || d.Name != "Press 2 desk" {
		t.Errorf("values read before: setting %q, device name %q; want first, Press 2 desk", v, d.Name)
	}
}

func contractEnrolmentSpent(t *testing.T, s recordStore) {
	en := credential.Enrolment{Note: "desk 4", Created: contractTime, Expires: contractTime.Add(time.Hour), Replace: "d1", By: "boss"}
	updateRecords(t, s, func(tx recordTx) error { return tx.PutEnrolment("h1", &en) })
	updateRecords(t, s, func(tx recordTx) error {
		got, err := tx.Enrolment("h1")
		if err != nil || got == nil || got.Note != "desk 4" || got.Replace != "d1" || got.By != "boss" || !got.Expires.Equal(en.Expires) {
			t.Errorf("Enrolment(h1) = %+v, %v; want %+v", got, err, en)
		}
		return tx.DeleteEnrolment("h1")
	})
	viewRecords(t, s, func(tx recordTx) error {
		if got, err := tx.Enrolment("h1"); got != nil || err != nil {
			t.Errorf("Enrolment(h1) after it was spent = %v, %v; want nil", got, err)
		}
		return nil
	})
}

func contractEnrolmentSweep(t *testing.T, s recordStore) {
	updateRecords(t, s, func(tx recordTx) error {
		for hash, exp := range map[string]time.Time{"old": contractTime.Add(-time.Minute), "edge": contractTime, "live": contractTime.Add(time.Minute)} {
			if err := tx.PutEnrolment(hash, &credential.Enrolment{Expires: exp}); err != nil {
				return err
			}
		}
		return nil
	})
	var n int
	updateRecords(t, s, func(tx recordTx) (err error) { n, err = tx.SweepEnrolments(contractTime); return err })
	viewRecords(t, s, func(tx recordTx) error {
		old, _ := tx.Enrolment("old")
		edge, _ := tx.Enrolment("edge")
		live, _ := tx.Enrolment("live")
		if n != 1 || old != nil || edge == nil || live == nil {
			t.Errorf("swept %d; old %v, edge %v, live %v; want 1 swept, only old gone", n, old != nil, edge != nil, live != nil)
		}
		return nil
	})
}

func contractRefreshTokens(t *testing.T, s recordStore) {
	fam := credential.RefreshFamily{ID: "f1", Login: "ana", Device: "d1", Created: contractTime, Expires: contractTime.Add(time.Hour)}
	rt := credential.RefreshToken{Family: "f1", Issued: contractTime, Expires: contractTime.Add(time.Hour), Used: true, UsedAt: contractTime, Next: "h2"}
	updateRecords(t, s, func(tx recordTx) error {
		if err := tx.PutRefreshFamily(&fam); err != nil {
			return err
		}
		return tx.PutRefreshToken("h1", &rt)
	})
	viewRecords(t, s, func(tx recordTx) error {
		got, err := tx.RefreshToken("h1")
		if err != nil || got == nil || got.Family != "f1" || !got.Used || got.Next != "h2" || !got.UsedAt.Equal(contractTime) {
			t.Errorf("RefreshToken(h1) = %+v, %v; want %+v", got, err, rt)
		}
		f, err := tx.RefreshFamily("f1")
		if err != nil || f == nil || f.Login != "ana" || f.Device != "d1" || f.Revoked {
			t.Errorf("RefreshFamily(f1) = %+v, %v; want %+v", f, err, fam)
		}
		if got, _ := tx.RefreshToken("f1"); got != nil {
			t.Error("a family id reads as a token hash")
		}
		if f, _ := tx.RefreshFamily("h1"); f != nil {
			t.Error("a token hash reads as a family id")
		}
		return nil
	})
}

func contractFamiliesOf(t *testing.T, s recordStore) {
	updateRecords(t, s, func(tx recordTx) error {
		for _, f := range []credential.RefreshFamily{{ID: "f1", Login: "ana"}, {ID: "f2", Login: "bob"}, {ID: "f3", Login: "ana", Revoked: true}} {
			if err := tx.PutRefreshFamily(&f); err != nil {
				return err
			}
		}
		return tx.PutRefreshToken("h1", &credential.RefreshToken{Family: "f1"})
	})
	viewRecords(t, s, func(tx recordTx) error {
		fams, err := tx.RefreshFamiliesOf("ana")
		ids := make([]string, len(fams))
		for i, f := range fams {
			ids[i] = f.ID
		}
		slices.Sort(ids)
		if err != nil || !slices.Equal(ids, []string{"f1", "f3"}) {
			t.Errorf("RefreshFamiliesOf(ana) = %v, %v; want [f1 f3]", ids, err)
		}
		return nil
	})
}

func contractRefreshSweep(t *testing.T, s recordStore) {
	before := contractTime.Add(-time.Second)
	updateRecords(t, s, func(tx recordTx) error {
		if err := tx.PutRefreshFamily(&credential.RefreshFamily{ID: "dead", Login: "ana", Expires: before}); err != nil {
			return err
		}
		if err := tx.PutRefreshFamily(&credential.RefreshFamily{ID: "live", Login: "ana", Expires: contractTime.Add(time.Hour)}); err != nil {
			return err
		}
		if err := tx.PutRefreshToken("dead", &credential.RefreshToken{Family: "dead", Expires: before}); err != nil {
			return err
		}
		return tx.PutRefreshToken("live", &credential.RefreshToken{Family: "live", Expires: contractTime})
	})
	var n int
	updateRecords(t, s, func(tx recordTx) (err error) { n, err = tx.SweepRefreshTokens(contractTime); return err })
	viewRecords(t, s, func(tx recordTx) error {
		deadTok, _ := tx.RefreshToken("dead")
		deadFam, _ := tx.RefreshFamily("dead")
		liveTok, _ := tx.RefreshToken("live")
		liveFam, _ := tx.RefreshFamily("live")
		if n != 2 || deadTok != nil || deadFam != nil || liveTok == nil || liveFam == nil {
			t.Errorf("swept %d; dead token %v family %v, live token %v family %v; want 2 swept, the dead ones gone",
				n, deadTok != nil, deadFam != nil, liveTok != nil, liveFam != nil)
		}
		return nil
	})
}

func contractSettings(t *testing.T, s recordStore) {
	updateRecords(t, s, func(tx recordTx) error {
		if v, err := tx.Setting("number_series_next"); v != nil || err != nil {
			t.Errorf("an unset setting = %q, %v; want nil", v, err)
		}
		if err := tx.PutSetting("number_series_next", []byte{0, 0, 0, 0, 0, 0, 0, 7}); err != nil {
			return err
		}
		return tx.PutSetting("demo", []byte("2026-03-02T08:00:00Z"))
	})
	updateRecords(t, s, func(tx recordTx) error {
		if v, _ := tx.Setting("number_series_next"); !bytes.Equal(v, []byte{0, 0, 0, 0, 0, 0, 0, 7}) {
			t.Errorf("number_series_next = %v; want 7, big-endian", v)
		}
		return tx.DeleteSetting("demo")
	})
	viewRecords(t, s, func(tx recordTx) error {
		if v, _ := tx.Setting("demo"); v != nil {
			t.Errorf("a deleted setting = %q; want nil", v)
		}
		return nil
	})
}

// Opening a plant's store gives it an epoch, which the pull cursors and
// enrolments carry.
func contractEpoch(t *testing.T, s recordStore) {
	viewRecords(t, s, func(tx recordTx) error {
		if v, err := tx.Setting("epoch"); len(v) == 0 || err != nil {
			t.Errorf("epoch = %q, %v; want one set at open", v, err)
		}
		return nil
	})
}

func updateEvidence(t *testing.T, s syncserver.EvidenceStore, fn func(syncserver.EvidenceTx) error) {
	t.Helper()
	if err := s.UpdateEvidence(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func viewEvidence(t *testing.T, s syncserver.EvidenceStore, fn func(syncserver.EvidenceTx) error) {
	t.Helper()
	if err := s.ViewEvidence(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// shaA is the SHA-256 of "photo", the bytes stored under it: an adapter
// may check them (the bucket's does, s3evidence).
const (
	shaA = "55c64d0fcd6f9d5f7c828093857e3fdfda68478bb4e9bd24d481ef391c7804e8"
	shaB = "bbbb000000000000000000000000000000000000000000000000000000000000"
	shaC = "cccc000000000000000000000000000000000000000000000000000000000000"
)

func contractEvidence(t *testing.T, s recordStore) {
	updateEvidence(t, s, func(tx syncserver.EvidenceTx) error {
		if err := tx.PutBlob(shaA, []byte("photo")); err != nil {
			return err
		}
		return tx.PutBlob(shaA, []byte("photo")) // again: nothing changes
	})
	viewEvidence(t, s, func(tx syncserver.EvidenceTx) error {
		got, err := tx.Blob(shaA)
		if err != nil || string(got) != "photo" || !tx.HasBlob(shaA) {
			t.Errorf("Blob(A) = %q, %v, has %v; want photo", got, err, tx.HasBlob(shaA))
		}
		if _, err := tx.Blob(shaB); domain.ErrorCode(err) != domain.ENotFound || tx.HasBlob(shaB) {
			t.Errorf("Blob(B) never stored: %v, has %v; want %s", err, tx.HasBlob(shaB), domain.ENotFound)
		}
		if tx.BlobReferenced(shaA) {
			t.Error("evidence no event names reads as referenced")
		}
		return nil
	})
	updateEvidence(t, s, func(tx syncserver.EvidenceTx) error { return tx.DeleteBlob(shaA) })
	viewEvidence(t, s, func(tx syncserver.EvidenceTx) error {
		if tx.HasBlob(shaA) {
			t.Error("deleted evidence is still there")
		}
		return nil
	})
}

type upload struct {
	uploader, sha string
	size          int64
	at            time.Time
}

func uploadsOf(t *testing.T, s syncserver.EvidenceStore, uploader string) []upload {
	t.Helper()
	var out []upload
	viewEvidence(t, s, func(tx syncserver.EvidenceTx) error {
		return tx.EachUpload(uploader, func(who, sha string, size int64, at time.Time) error {
			out = append(out, upload{who, sha, size, at})
			return nil
		})
	})
	slices.SortFunc(out, func(a, b upload) int {
		if a.uploader != b.uploader {
			return strings.Compare(a.uploader, b.uploader)
		}
		return strings.Compare(a.sha, b.sha)
	})
	return out
}

// An uploader's uploads are theirs alone, even when another's name
// begins with theirs.
func contractUploads(t *testing.T, s recordStore) {
	updateEvidence(t, s, func(tx syncserver.EvidenceTx) error {
		for _, u := range []upload{
			{"device:1", shaA, 10, contractTime},
			{"device:1", shaB, 20, contractTime.Add(time.Minute)},
			{"device:12", shaC, 30, contractTime},
			{"user:ana", shaA, 40, contractTime},
		} {
			if err := tx.PutUpload(u.uploader, u.sha, u.size, u.at); err != nil {
				return err
			}
		}
		return nil
	})
	got := uploadsOf(t, s, "device:1")
	want := []upload{{"device:1", shaA, 10, contractTime}, {"device:1", shaB, 20, contractTime.Add(time.Minute)}}
	if len(got) != 2 || got[0].sha != shaA || got[1].size != 20 || !got[1].at.Equal(want[1].at) || got[0].uploader != "device:1" {
		t.Errorf("EachUpload(device:1) = %+v; want %+v", got, want)
	}
	if all := uploadsOf(t, s, ""); len(all) != 4 {
		t.Errorf("EachUpload(\"\") = %d uploads; want 4", len(all))
	}
	updateEvidence(t, s, func(tx syncserver.EvidenceTx) error { return tx.DeleteUpload("device:1", shaA) })
	if got := uploadsOf(t, s, "device:1"); len(got) != 1 || got[0].sha != shaB {
		t.Errorf("after DeleteUpload(device:1, A): %+v; want B only", got)
	}
	if got := uploadsOf(t, s, "user:ana"); len(got) != 1 {
		t.Errorf("another uploader's upload of the same file went too: %+v", got)
	}
}

func contractEvidenceRollback(t *testing.T, s recordStore) {
	boom := errors.New("boom")
	err := s.UpdateEvidence(ctx, func(tx syncserver.EvidenceTx) error {
		if err := tx.PutUpload("device:1", shaA, 5, contractTime); err != nil {
			return err
		}
		if err := tx.PutBlob(shaA, []byte("photo")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateEvidence = %v; want the function's error", err)
	}
	viewEvidence(t, s, func(tx syncserver.EvidenceTx) error {
		if tx.HasBlob(shaA) {
			t.Error("the evidence of a failed update was kept")
		}
		return nil
	})
	if got := uploadsOf(t, s, ""); len(got) != 0 {
		t.Errorf("the upload of a failed update was kept: %+v", got)
	}
}

// A directory event recorded through the sign-in side is in the log and,
// once caught up, in the projections the views read.
func contractProjections(t *testing.T, s syncserver.Store) {
	var before uint64
	if err := s.ViewProjections(ctx, func(tx syncserver.ProjectionTx) error { before = tx.LogLen(); return nil }); err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx syncserver.AccessTx) error {
		return tx.RecordServerEvent(contractAdmin, boltstore.Command{Type: domain.StationDefined, EntityID: "WELD5",
			Payload: &domain.StationPayload{Name: "Welding 5"}})
	})
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	err := s.ViewProjections(ctx, func(tx syncserver.ProjectionTx) error {
		if tx.LogLen() != before+1 || tx.Backlog() != 0 {
			t.Errorf("log length %d (was %d), backlog %d; want one more, none", tx.LogLen(), before, tx.Backlog())
		}
		stations, err := tx.Stations()
		if err != nil || len(stations) != 1 || stations[0].Code != "WELD5" || stations[0].Name != "Welding 5" {
			t.Errorf("Stations() = %+v, %v; want WELD5", stations, err)
		}
		var states []string
		if err := tx.ForEachState(domain.EntityStation, func(st *domain.State) { states = append(states, st.Station.Code) }); err != nil || !slices.Equal(states, []string{"WELD5"}) {
			t.Errorf("ForEachState(station) = %v, %v; want [WELD5]", states, err)
		}
		logged, more, err := tx.LogAfter(before, 10)
		if err != nil || more || len(logged) != 1 || logged[0].Event.Type != domain.StationDefined || logged[0].Pos != before+1 {
			t.Errorf("LogAfter(%d) = %+v, more %v, %v; want the station.defined at %d", before, logged, more, err, before+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func contractEmptyProjections(t *testing.T, s syncserver.Store) {
	err := s.ViewProjections(ctx, func(tx syncserver.ProjectionTx) error {
		if _, err := tx.Complaint("0190a1b2-0000-7000-8000-000000000000"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("Complaint(unknown) = %v; want %s", err, domain.ENotFound)
		}
		if _, err := boltstore.FindComplaintByNumber(tx, "PRESS2-2026-0001"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("ComplaintByNumber(unknown) = %v; want %s", err, domain.ENotFound)
		}
		page, err := tx.QueryComplaints(boltstore.ComplaintQuery{})
		if err != nil || len(page.Rows) != 0 || page.Next != "" {
			t.Errorf("QueryComplaints on an empty plant = %+v, %v; want no row", page, err)
		}
		plans, err := tx.Plans()
		if err != nil || len(plans) != 0 {
			t.Errorf("Plans() = %v, %v; want none", plans, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func contractHealth(t *testing.T, s syncserver.Store) {
	if err := s.Health(ctx); err != nil {
		t.Errorf("Health() of a new store = %v", err)
	}
	q, err := s.Quarantined(ctx)
	if err != nil || len(q) != 0 || s.QuarantinedCount() != 0 {
		t.Errorf("quarantined on a new store: %v (count %d), %v; want none", q, s.QuarantinedCount(), err)
	}
	if s.IsClosed(errors.New("disk full")) {
		t.Error("IsClosed takes any error for a closed store")
	}
}

// Project folds the backlog in steps and says what remains.
func contractProject(t *testing.T, s syncserver.Store) {
	update(t, s, func(tx syncserver.AccessTx) error {
		for _, code := range []string{"S1", "S2", "S3"} {
			if err := tx.RecordServerEvent(contractAdmin, boltstore.Command{Type: domain.StationDefined, EntityID: code,
				Payload: &domain.StationPayload{Name: code}}); err != nil {
				return err
			}
		}
		return nil
	})
	remaining, err := s.Project(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var backlog uint64
	if err := s.ViewProjections(ctx, func(tx syncserver.ProjectionTx) error { backlog = tx.Backlog(); return nil }); err != nil {
		t.Fatal(err)
	}
	if remaining != backlog {
		t.Errorf("Project(1) says %d remain, the backlog is %d", remaining, backlog)
	}
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if remaining, err := s.Project(ctx, 10); err != nil || remaining != 0 {
		t.Errorf("Project after CatchUp = %d, %v; want nothing left", remaining, err)
	}
}

// pushedEvent is a station.defined event of workstation replica ws-1 with
// sequence seq, shaped like one a push brings: the server's own event
// recorded for the purpose, read back, with another id, replica and
// sequence.
func pushedEvent(t *testing.T, s syncserver.Store, code string, seq uint64) domain.Event {
	t.Helper()
	update(t, s, func(tx syncserver.AccessTx) error {
		return tx.RecordServerEvent(contractAdmin, boltstore.Command{Type: domain.StationDefined, EntityID: code,
			Payload: &domain.StationPayload{Name: code}})
	})
	var e domain.Event
	err := s.ViewProjections(ctx, func(tx syncserver.ProjectionTx) error {
		logged, _, err := tx.LogAfter(tx.LogLen()-1, 1)
		if err == nil && len(logged) == 1 {
			e = logged[0].Event
		}
		return err
	})
	if err != nil || e.EntityID != code {
		t.Fatalf("reading back %s: %+v, %v", code, e, err)
	}
	e.ID, e.Replica, e.Seq, e.EntityID = uuid.Must(uuid.NewV7()), "ws-1", seq, code+"-WS"
	return e
}

func contractLogAppend(t *testing.T, s syncserver.Store) {
	e := pushedEvent(t, s, "S1", 1)
	var before uint64
	err := s.UpdateLog(ctx, func(tx syncserver.LogTx) error {
		before = tx.LogLen()
		if found := tx.LookUpEvents([]uuid.UUID{e.ID}); len(found) != 1 || found[0].Logged || found[0].Refused {
			t.Errorf("LookUpEvents of a new event = %+v; want neither logged nor refused", found)
		}
		if tx.ReplicaSeq("ws-1") != 0 {
			t.Errorf("ReplicaSeq(ws-1) before its first event = %d", tx.ReplicaSeq("ws-1"))
		}
		_, err := tx.Ingest(&e)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.ViewLog(ctx, func(tx syncserver.LogTx) error {
		if !tx.HasEvent(e.ID) || tx.LogLen() != before+1 || tx.ReplicaSeq("ws-1") != 1 || tx.ReplicaSeqs()["ws-1"] != 1 {
			t.Errorf("after the append: has %v, log length %d (was %d), ws-1 at %d (%v); want it logged, one more, ws-1 at 1",
				tx.HasEvent(e.ID), tx.LogLen(), before, tx.ReplicaSeq("ws-1"), tx.ReplicaSeqs())
		}
		if found := tx.LookUpEvents([]uuid.UUID{e.ID}); !found[0].Logged {
			t.Error("LookUpEvents does not find the event logged")
		}
		var pulled []domain.Event
		last, more, err := tx.LogRaw(before, 10, func(_ uint64, raw []byte) error {
			d, err := domain.DecodeEvent(raw)
			pulled = append(pulled, d)
			return err
		})
		if err != nil || more || last != before+1 || len(pulled) != 1 || pulled[0].ID != e.ID {
			t.Errorf("LogRaw(%d) = last %d, more %v, %d events, %v; want the appended event alone", before, last, more, len(pulled), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A refused event is never in the log, and its refusal is kept (a retry
// gets the same answer); the replica's sequence moves past it.
func contractLogRefusal(t *testing.T, s syncserver.Store) {
	e := pushedEvent(t, s, "S1", 1)
	err := s.UpdateLog(ctx, func(tx syncserver.LogTx) error {
		return tx.StoreRejection(&e, domain.EForbidden, "operators may not define stations")
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.ViewLog(ctx, func(tx syncserver.LogTx) error {
		r, ok := tx.Rejection(e.ID)
		if !ok || r.Code != domain.EForbidden || r.Reason != "operators may not define stations" {
			t.Errorf("Rejection = %+v, %v; want the refusal", r, ok)
		}
		if found := tx.LookUpEvents([]uuid.UUID{e.ID}); !found[0].Refused || found[0].Logged || tx.HasEvent(e.ID) {
			t.Errorf("LookUpEvents = %+v, has %v; want refused, not logged", found, tx.HasEvent(e.ID))
		}
		if tx.ReplicaSeq("ws-1") != 1 {
			t.Errorf("ReplicaSeq(ws-1) after its refused first event = %d; want 1", tx.ReplicaSeq("ws-1"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The server has a replica of its own, and a clock that moves forward.
func contractReplicaAndClock(t *testing.T, s syncserver.Store) {
	if s.Replica() == "" {
		t.Error("the store has no replica id")
	}
	a := s.Clock().Now()
	if b := s.Clock().Now(); b <= a {
		t.Errorf("the clock gave %v then %v; want it to move forward", a, b)
	}
}
