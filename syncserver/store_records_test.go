package syncserver_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"boucle/internal/pgtest"
	"boucle/internal/s3test"
	"boucle/syncserver"
	"boucle/syncserver/credential"
	"boucle/syncserver/pgstore"
)

// The PostgreSQL tests of this package start their own server (pgtest).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// recordTx is the part of an access transaction that holds records
// alone, without the directory folded from the log.
type recordTx interface {
	syncserver.Accounts
	syncserver.DeviceRecords
	syncserver.Enrolments
	syncserver.RefreshTokens
	syncserver.Settings
}

// recordStore is what recordContract asks of an adapter: its records'
// transactions and its evidence.
type recordStore interface {
	ViewRecords(ctx context.Context, fn func(recordTx) error) error
	UpdateRecords(ctx context.Context, fn func(recordTx) error) error
	syncserver.EvidenceStore
}

// recordAdapters opens a fresh, empty plant's records on each adapter:
// bbolt's through the whole port, PostgreSQL's on a plant's transactions
// (which join storeAdapters once the PostgreSQL adapter folds the log).
var recordAdapters = []struct {
	name string
	open func(t *testing.T) recordStore
}{
	{"bbolt", func(t *testing.T) recordStore { return portRecords{openBoltAccess(t)} }},
	{"postgres", func(t *testing.T) recordStore { return openPostgresRecords(t, 1)[0] }},
	// The evidence bytes in a bucket, the records in the store.
	{"bbolt+s3", func(t *testing.T) recordStore { return portRecords{overS3(t, s3test.Start(t), openBoltAccess(t))} }},
	{"postgres+s3", func(t *testing.T) recordStore { return portRecords{overS3(t, s3test.Start(t), openPostgres(t))} }},
}

func TestStoreRecordsContract(t *testing.T) {
	for _, a := range recordAdapters {
		t.Run(a.name, func(t *testing.T) {
			for _, c := range recordContract {
				t.Run(c.name, func(t *testing.T) { c.run(t, a.open(t)) })
			}
		})
	}
}

// portRecords are the records of a whole Store.
type portRecords struct{ syncserver.Store }

func (p portRecords) ViewRecords(ctx context.Context, fn func(recordTx) error) error {
	return p.ViewAccess(ctx, func(tx syncserver.AccessTx) error { return fn(tx) })
}

func (p portRecords) UpdateRecords(ctx context.Context, fn func(recordTx) error) error {
	return p.UpdateAccess(ctx, func(tx syncserver.AccessTx) error { return fn(tx) })
}

// pgRecords are the records of one plant of a PostgreSQL store.
type pgRecords struct{ plant *pgstore.Plant }

func (p pgRecords) ViewRecords(ctx context.Context, fn func(recordTx) error) error {
	return p.plant.View(ctx, func(tx *pgstore.Tx) error { return fn(tx) })
}

func (p pgRecords) UpdateRecords(ctx context.Context, fn func(recordTx) error) error {
	return p.plant.Update(ctx, func(tx *pgstore.Tx) error { return fn(tx) })
}

func (p pgRecords) ViewEvidence(ctx context.Context, fn func(syncserver.EvidenceTx) error) error {
	return p.plant.View(ctx, func(tx *pgstore.Tx) error { return fn(tx) })
}

func (p pgRecords) UpdateEvidence(ctx context.Context, fn func(syncserver.EvidenceTx) error) error {
	return p.plant.Update(ctx, func(tx *pgstore.Tx) error { return fn(tx) })
}

// openPostgresRecords opens n stores on one fresh database, as n server
// instances sharing it would, and returns the records of plant "p1" on
// each.
func openPostgresRecords(t *testing.T, n int) []pgRecords {
	t.Helper()
	url := pgtest.DB(t)
	out := make([]pgRecords, n)
	for i := range out {
		s, err := pgstore.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		if _, err := s.CreatePlant(ctx, "p1"); err != nil {
			t.Fatal(err)
		}
		out[i] = pgRecords{s.Plant("p1")}
	}
	return out
}

func updateRecords(t *testing.T, s recordStore, fn func(recordTx) error) {
	t.Helper()
	if err := s.UpdateRecords(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func viewRecords(t *testing.T, s recordStore, fn func(recordTx) error) {
	t.Helper()
	if err := s.ViewRecords(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// Whatever a failed update wrote is gone: the account, a device, a code,
// a refresh token and its family, a setting.
func contractRecordsRollback(t *testing.T, s recordStore) {
	boom := errors.New("boom")
	err := s.UpdateRecords(ctx, func(tx recordTx) error {
		for _, write := range []func() error{
			func() error { return tx.PutAccount(&credential.Account{Login: "ana", Hash: "h"}) },
			func() error { return tx.PutDevice(&credential.Device{ID: "d1", Replica: "r1"}) },
			func() error { return tx.PutEnrolment("c1", &credential.Enrolment{Expires: contractTime}) },
			func() error { return tx.PutRefreshFamily(&credential.RefreshFamily{ID: "f1", Login: "ana"}) },
			func() error { return tx.PutRefreshToken("h1", &credential.RefreshToken{Family: "f1"}) },
			func() error { return tx.PutSetting("demo", []byte("x")) },
		} {
			if err := write(); err != nil {
				return err
			}
		}
		return boom
	})
	if err != boom {
		t.Fatalf("UpdateRecords = %v; want the function's error", err)
	}
	viewRecords(t, s, func(tx recordTx) error {
		a, _ := tx.Account("ana")
		d, _ := tx.Device("d1")
		en, _ := tx.Enrolment("c1")
		f, _ := tx.RefreshFamily("f1")
		rt, _ := tx.RefreshToken("h1")
		v, _ := tx.Setting("demo")
		if a != nil || d != nil || en != nil || f != nil || rt != nil || v != nil {
			t.Errorf("after a failed update: account %v, device %v, code %v, family %v, token %v, setting %q; want nothing",
				a, d, en, f, rt, v)
		}
		return nil
	})
}
