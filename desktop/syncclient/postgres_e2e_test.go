package syncclient_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"boucle/desktop/syncclient"
	"boucle/internal/pgtest"
	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/jackc/pgx/v5"
)

// A plant on PostgreSQL, end to end: the real boucle-server serves
// --store postgres://… (BOUCLE_STORE) on 127.0.0.1, the administration
// commands (station add, user add, device enrol) work on the same
// database beside it, two workstations enrol, one files a complaint and
// pushes it, the other pulls it and answers, and the first sees the
// answer. After a restart the server still holds every event: the plant
// lives in the database, not in the data directory (which keeps only
// the key file: no boucle.db is created there).
func TestE2EPlantOnPostgreSQL(t *testing.T) {
	needServer(t)
	dir := t.TempDir()
	url := pgtest.DB(t)
	env := []string{"BOUCLE_STORE=" + url, "BOUCLE_PLANT=works-1"}
	p := plantOn(t, startServerEnv(t, dir, env))

	w1, s1 := p.signedIn(t, "w1", "op1", nil)
	w2, s2 := p.signedIn(t, "w2", "eng1", nil)
	id := w1.fileComplaint(t, s1, "burr on the bracket's edge")
	w1.syncOnce(t)
	if w1.pending() != 0 {
		t.Fatalf("w1 has %d events unpushed after a sync", w1.pending())
	}
	w2.syncOnce(t)
	var seen *domain.State
	_ = w2.store.View(func(tx *boltstore.Tx) (err error) { seen, err = tx.Complaint(id); return err })
	if seen == nil || seen.Complaint == nil || seen.Complaint.Description != "burr on the bracket's edge" {
		t.Fatalf("w2 after its pull: complaint %s = %+v; want w1's complaint", id, seen)
	}
	if _, err := w2.store.Record(s2.Actor(), boltstore.Command{Type: domain.ComplaintAcknowledged, EntityID: id,
		Payload: &domain.AcknowledgePayload{
			Deadline: time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second), Assignee: "eng1"}}); err != nil {
		t.Fatal(err)
	}
	w2.syncOnce(t)
	w1.syncOnce(t)
	if got := complaintStatus(t, w1, id); got != domain.StatusAcknowledged {
		t.Errorf("w1 sees the complaint %s; want it acknowledged by w2", got)
	}

	before := serverState(t, w1, p.srv.URL())
	p.srv.stop()
	p.srv.restart()
	after := serverState(t, w1, p.srv.URL())
	if after.LogLen != before.LogLen || after.Epoch != before.Epoch || before.LogLen == 0 {
		t.Errorf("across a restart: log %d then %d, epoch %s then %s; want the plant kept in the database", before.LogLen, after.LogLen, before.Epoch, after.Epoch)
	}
	if _, err := os.Stat(p.srv.storePath()); !os.IsNotExist(err) {
		t.Errorf("a bbolt store in the data directory (%v): the plant must be in PostgreSQL only", err)
	}
	failedSignInCounted(t, w1, p.srv.URL(), url)
	if out := p.srv.mustAdmin("", "user", "list"); !strings.Contains(out, "op1") || !strings.Contains(out, "eng1") {
		t.Errorf("user list on the database:\n%s", out)
	}
}

func complaintStatus(t *testing.T, w *workstation, id string) domain.ComplaintStatus {
	t.Helper()
	var st *domain.State
	if err := w.store.View(func(tx *boltstore.Tx) (err error) { st, err = tx.Complaint(id); return err }); err != nil {
		t.Fatal(err)
	}
	return st.Complaint.Status
}

// failedSignInCounted signs in with a wrong password from w and checks
// that the failure is counted in the database, where every instance of
// the plant reads it (not in the serving process's memory).
func failedSignInCounted(t *testing.T, w *workstation, serverURL, dbURL string) {
	t.Helper()
	c, err := syncclient.NewClient(serverURL, syncclient.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var dev boltstore.Device
	_ = w.store.View(func(tx *boltstore.Tx) error { dev = tx.Device(); return nil })
	c.SetDevice(dev.ID, dev.Key)
	if _, err := c.Login(context.Background(), "eng1", "not-the-password"); err == nil {
		t.Fatal("a wrong password signed in")
	}
	db, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	var n int
	if err := db.QueryRow(context.Background(), "SELECT count(*) FROM sign_in_attempts WHERE plant = 'works-1'").Scan(&n); err != nil || n == 0 {
		t.Errorf("failed sign-ins counted in the database: %d (%v); want the failure counted there", n, err)
	}
}
