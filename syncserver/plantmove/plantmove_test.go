package plantmove_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/internal/storefault"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/boltserver"
	"boucle/syncserver/credential"
	"boucle/syncserver/demo"
	"boucle/syncserver/pgstore"
	"boucle/syncserver/plantmove"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var demoEnd = time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)

// demoPlant seeds the demo plant in a new data directory, with what the
// demo lacks of a served plant: a refused event (then dismissed), a
// sign-in's refresh family and token, an evidence upload no complaint
// references yet. The store is closed: the server is stopped.
func demoPlant(t *testing.T, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	clock := demo.NewClock(demoEnd)
	store, err := syncserver.OpenStore(dir, boltstore.Options{Now: clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := demo.Seed(store, clock, demo.Options{End: demoEnd, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	err = boltserver.New(store).Update(context.Background(), func(tx *boltserver.Tx) error {
		logged, _, err := tx.LogAfter(0, 1)
		if err != nil {
			return err
		}
		refused := logged[0].Event
		refused.ID, refused.Replica, refused.Seq = uuid.Must(uuid.NewV7()), "ws-refused", 1
		if err := tx.StoreRejection(&refused, domain.EForbidden, "test: not the author's station"); err != nil {
			return err
		}
		if err := tx.DismissRejection(refused.ID); err != nil {
			return err
		}
		exp := demoEnd.Add(24 * time.Hour)
		if err := tx.PutRefreshFamily(&credential.RefreshFamily{ID: "fam-1", Login: "admin", Expires: exp}); err != nil {
			return err
		}
		if err := tx.PutRefreshToken(strings.Repeat("ab", 32), &credential.RefreshToken{Family: "fam-1", Expires: exp}); err != nil {
			return err
		}
		return tx.PutUpload("admin", strings.Repeat("cd", 32), 42, demoEnd)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// source reads what the checks compare, the store closed again after.
type sourceView struct {
	logLen   uint64
	hash     [32]byte
	epoch    string
	marks    map[string]uint64
	open     []string // ids of the complaints under investigation or in action at the filing station of the first complaint
	station  string
	evidence string // a complaint's attachment
	blob     []byte
}

func readSource(t *testing.T, dir string) sourceView {
	t.Helper()
	store, err := syncserver.OpenStore(dir, boltstore.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var v sourceView
	err = boltserver.New(store).View(context.Background(), func(tx *boltserver.Tx) error {
		v.logLen, v.hash, v.marks = tx.LogLen(), tx.StatesHash(), tx.ReplicaSeqs()
		raw, err := tx.Setting("epoch")
		v.epoch = string(raw)
		if err != nil {
			return err
		}
		all, err := tx.QueryComplaints(boltstore.ComplaintQuery{ComplaintFilter: boltstore.ComplaintFilter{Limit: boltstore.MaxPageSize}})
		if err != nil {
			return err
		}
		v.station = all.Rows[0].FilingStation
		q := boltstore.ComplaintQuery{ComplaintFilter: boltstore.ComplaintFilter{Limit: boltstore.MaxPageSize, Statuses: []domain.ComplaintStatus{domain.StatusInvestigating, domain.StatusActionsInProgress}}, Station: v.station}
		page, err := tx.QueryComplaints(q)
		for _, r := range page.Rows {
			v.open = append(v.open, r.ID)
		}
		for _, r := range all.Rows {
			st, err := tx.Complaint(r.ID)
			if err != nil {
				return err
			}
			if a := st.Complaint.Attachments; len(a) > 0 && v.evidence == "" {
				v.evidence = a[0].SHA256
				v.blob, err = tx.Blob(v.evidence)
				if err != nil {
					return err
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.open) == 0 || v.evidence == "" {
		t.Fatalf("the demo plant has no open complaint at %s or no evidence: %+v", v.station, v)
	}
	return v
}

func openTarget(t *testing.T, url string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// The demo plant copied to PostgreSQL: the same log (length, epoch,
// replica marks), the same folded states (hash), the same answer to a
// complaint query, the same evidence file; copied again, it is found
// there and only checked. Before, there was no way to move a plant.
func TestMigrateTheDemoPlant(t *testing.T) {
	ctx := context.Background()
	dir, url := demoPlant(t, 7), pgtest.DB(t)
	want := readSource(t, dir)

	r, err := plantmove.Migrate(ctx, dir, url, "lyon", plantmove.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.AlreadyThere || r.Counts["events"] != int64(want.logLen) || r.Counts["accounts"] != 14 || r.Counts["rejections"] != 1 ||
		r.Counts["refresh_tokens"] != 1 || r.Counts["evidence_uploads"] != 1 || r.Counts["evidence"] == 0 {
		t.Fatalf("report %+v; the source logs %d events", r, want.logLen)
	}
	plant := openTarget(t, url).Plant("lyon")
	err = plant.View(ctx, func(tx *pgstore.Tx) error {
		counts, err := tx.Counts()
		if err != nil {
			return err
		}
		for table, n := range r.Counts {
			if counts[table] != n {
				t.Errorf("%s: %d rows, the source %d", table, counts[table], n)
			}
		}
		if hash, err := tx.StatesHash(); err != nil || hash != want.hash {
			t.Errorf("states hash %x (%v), the source's %x", hash[:8], err, want.hash[:8])
		}
		if epoch, _ := tx.Setting("epoch"); string(epoch) != want.epoch || tx.LogLen() != want.logLen {
			t.Errorf("epoch %s, %d events; the source's %s, %d", epoch, tx.LogLen(), want.epoch, want.logLen)
		}
		if marks := tx.ReplicaSeqs(); !equalMarks(marks, want.marks) {
			t.Errorf("replica marks %v, the source's %v", marks, want.marks)
		}
		q := boltstore.ComplaintQuery{ComplaintFilter: boltstore.ComplaintFilter{Limit: boltstore.MaxPageSize, Statuses: []domain.ComplaintStatus{domain.StatusInvestigating, domain.StatusActionsInProgress}}, Station: want.station}
		page, err := tx.QueryComplaints(q)
		if err != nil {
			return err
		}
		var ids []string
		for _, row := range page.Rows {
			ids = append(ids, row.ID)
		}
		if !slices.Equal(ids, want.open) {
			t.Errorf("open complaints of %s: %v, the source's %v", want.station, ids, want.open)
		}
		blob, err := tx.Blob(want.evidence)
		if err != nil || string(blob) != string(want.blob) {
			t.Errorf("evidence %s: %d bytes (%v), the source's %d", want.evidence, len(blob), err, len(want.blob))
		}
		if rej, ok := tx.Rejection(firstRejection(t, dir)); !ok || rej.Dismissed.IsZero() || rej.Code != domain.EForbidden {
			t.Errorf("the refusal copied: %+v, %v", rej, ok)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	again, err := plantmove.Migrate(ctx, dir, url, "lyon", plantmove.Options{})
	if err != nil || !again.AlreadyThere {
		t.Fatalf("second migrate: %+v, %v; want the plant found there and checked", again, err)
	}
	if n, _ := plant.LogLen(ctx); n != want.logLen {
		t.Fatalf("after the second migrate: %d events, want %d", n, want.logLen)
	}
}

func firstRejection(t *testing.T, dir string) uuid.UUID {
	t.Helper()
	store, err := syncserver.OpenStore(dir, boltstore.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var id uuid.UUID
	_ = store.View(func(tx *boltstore.Tx) error { id = tx.Rejections()[0].Event; return nil })
	return id
}

func equalMarks(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A copy interrupted half-way leaves nothing in the database (the plant
// does not exist); run again, it copies the whole plant.
func TestInterruptedMigrateIsRunAgain(t *testing.T) {
	ctx := context.Background()
	dir, url := demoPlant(t, 7), pgtest.DB(t)
	cut := errors.New("the connection was cut")
	_, err := plantmove.Migrate(ctx, dir, url, "lyon", plantmove.Options{AfterEvent: func(n int) error {
		if n == 600 {
			return cut
		}
		return nil
	}})
	if !errors.Is(err, cut) {
		t.Fatalf("interrupted migrate: %v, want the cut", err)
	}
	target := openTarget(t, url)
	if _, err := target.Plant("lyon").Epoch(ctx); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("after the interruption the plant is there (%v): want nothing", err)
	}
	if n := rowsOf(t, target.Pool(), "events") + rowsOf(t, target.Pool(), "accounts") + rowsOf(t, target.Pool(), "evidence"); n != 0 {
		t.Fatalf("after the interruption: %d rows of events, accounts and evidence; want 0", n)
	}
	r, err := plantmove.Migrate(ctx, dir, url, "lyon", plantmove.Options{})
	if err != nil || r.AlreadyThere {
		t.Fatalf("migrate again: %+v, %v", r, err)
	}
	if n, _ := target.Plant("lyon").LogLen(ctx); int64(n) != r.Counts["events"] {
		t.Fatalf("after the retry: %d events, want %d", n, r.Counts["events"])
	}
}

func rowsOf(t *testing.T, pool *pgxpool.Pool, table string) int {
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Each refusal names its cause and leaves the database as it was: a
// plant holding another log, a source failing its integrity check, a
// database newer than the binary.
func TestMigrateRefuses(t *testing.T) {
	ctx := context.Background()
	t.Run("another log in the plant", func(t *testing.T) {
		url := pgtest.DB(t)
		if _, err := plantmove.Migrate(ctx, demoPlant(t, 7), url, "lyon", plantmove.Options{}); err != nil {
			t.Fatal(err)
		}
		before := rowsOf(t, openTarget(t, url).Pool(), "events")
		_, err := plantmove.Migrate(ctx, demoPlant(t, 8), url, "lyon", plantmove.Options{})
		if err == nil || !strings.Contains(err.Error(), `plant "lyon" of the database already holds`) {
			t.Fatalf("migrate over another plant's log: %v", err)
		}
		if after := rowsOf(t, openTarget(t, url).Pool(), "events"); after != before {
			t.Fatalf("events %d after the refusal, %d before", after, before)
		}
	})
	t.Run("a plant a server started on", func(t *testing.T) {
		url := pgtest.DB(t)
		target := openTarget(t, url)
		if _, err := target.CreatePlant(ctx, "lyon"); err != nil {
			t.Fatal(err)
		}
		err := target.Plant("lyon").Update(ctx, func(tx *pgstore.Tx) error {
			return tx.PutAccount(&credential.Account{Login: "admin"})
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = plantmove.Migrate(ctx, demoPlant(t, 7), url, "lyon", plantmove.Options{})
		var notEmpty *pgstore.PlantNotEmptyError
		if !errors.As(err, &notEmpty) || notEmpty.Records != 1 || !strings.Contains(err.Error(), "holds 0 events and 1 records") {
			t.Fatalf("migrate into a plant holding an administrator: %v", err)
		}
		if n := rowsOf(t, target.Pool(), "accounts"); n != 1 {
			t.Fatalf("%d accounts after the refusal, want the 1 there before", n)
		}
	})
	t.Run("a damaged source", func(t *testing.T) {
		dir, url := demoPlant(t, 7), pgtest.DB(t)
		path := filepath.Join(dir, syncserver.StoreFile)
		last := lastEvent(t, dir)
		enc := domain.EncodeEvent(&last)
		storefault.FlipStoredByte(t, path, enc, len(enc)-3)
		_, err := plantmove.Migrate(ctx, dir, url, "lyon", plantmove.Options{})
		if err == nil || !strings.Contains(err.Error(), "fails its integrity check") {
			t.Fatalf("migrate of a damaged store: %v", err)
		}
		if _, err := openTarget(t, url).Plant("lyon").Epoch(ctx); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("after the refusal the plant is there (%v)", err)
		}
	})
	t.Run("a newer database", func(t *testing.T) {
		url := pgtest.DB(t)
		pool := openTarget(t, url).Pool()
		if _, err := pool.Exec(ctx, "INSERT INTO schema_migrations (version, file) VALUES ($1, 'from_the_future.sql')", pgstore.SchemaVersion+1); err != nil {
			t.Fatal(err)
		}
		_, err := plantmove.Migrate(ctx, demoPlant(t, 7), url, "lyon", plantmove.Options{})
		var tooNew *pgstore.SchemaTooNewError
		if !errors.As(err, &tooNew) || !strings.Contains(err.Error(), "Nothing was copied") {
			t.Fatalf("migrate to a newer database: %v", err)
		}
		if n := rowsOf(t, pool, "plants"); n != 0 {
			t.Fatalf("%d plants after the refusal", n)
		}
	})
}

func lastEvent(t *testing.T, dir string) domain.Event {
	t.Helper()
	store, err := syncserver.OpenStore(dir, boltstore.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var e domain.Event
	err = store.View(func(tx *boltstore.Tx) error {
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
