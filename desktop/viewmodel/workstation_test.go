package viewmodel_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"boucle/desktop/i18n"
	"boucle/desktop/syncclient"
	"boucle/desktop/ui/model"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// cheap makes the offline verifier fast in tests.
var cheap = syncclient.Config{Verifier: syncclient.VerifierParams{Time: 1, MemoryKiB: 64, Threads: 1}}

func openWS(t *testing.T, dir string) *viewmodel.Workstation {
	t.Helper()
	w, err := viewmodel.OpenWorkstation(dir, "", cheap)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func TestStandalone(t *testing.T) {
	dir := t.TempDir()
	// Given a new workstation
	w := openWS(t, dir)
	if !w.FirstRun() {
		t.Fatal("a new data folder is not a first run")
	}
	// When it starts standalone with a short password
	if err := w.StartStandalone("press2", "Press 2", "chef", "Chef d'atelier", "short"); fieldOf(err) != "password" {
		t.Fatalf("err = %v, want a password error", err)
	}
	// Then nothing is set up; with a good one it is
	if err := w.StartStandalone("press2", "Press 2", "chef", "Chef d'atelier", "long enough"); err != nil {
		t.Fatal(err)
	}
	if w.FirstRun() || w.Settings().Station != "PRESS2" || !w.Settings().Standalone {
		t.Fatalf("settings = %+v", w.Settings())
	}
	// And the admin signs in offline, adds a station and an operator
	sess, err := w.SignIn("chef", "long enough")
	if err != nil {
		t.Fatal(err)
	}
	if sess.Role != domain.RoleAdmin || sess.Offline || sess.Station != "PRESS2" {
		t.Fatalf("session = %+v", sess)
	}
	if err := w.AddStation("cut1", "Cutting 1"); err != nil {
		t.Fatal(err)
	}
	if err := w.AddLocalUser(domain.User{Login: "marie", DisplayName: "Marie", Role: domain.RoleOperator, Station: "PRESS2"}, "marie-pass"); err != nil {
		t.Fatal(err)
	}
	w.SignOut()
	if _, err := w.SignIn("marie", "wrong-pass"); domain.ErrorCode(err) != domain.EUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	// When the operator signs in and files a complaint
	if _, err := w.SignIn("Marie", "marie-pass"); err != nil {
		t.Fatal(err)
	}
	filed, err := w.Model().FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X1", Quantity: 1,
		Category: "surface", Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "scratch"})
	if err != nil {
		t.Fatal(err)
	}
	// Then it is numbered from PRESS2, and the quick switch knows both users
	if filed.Number[:7] != "PRESS2-" {
		t.Errorf("number = %s", filed.Number)
	}
	users, _ := w.KnownUsers()
	if len(users) != 2 {
		t.Errorf("known users = %+v", users)
	}
	// And the status bar says standalone, with the local events pending
	st := w.Status()
	if st.Enrolled || st.Pending == 0 {
		t.Errorf("status = %+v", st)
	}
	// When the workstation restarts, the set-up is kept
	w.Close()
	w2 := openWS(t, dir)
	if w2.FirstRun() || w2.Settings().Station != "PRESS2" {
		t.Fatalf("after restart: %+v", w2.Settings())
	}
	var n int
	_ = w2.Store().View(func(tx *boltstore.Tx) error {
		p, err := tx.ListComplaints(boltstore.ComplaintFilter{})
		n = len(p.Rows)
		return err
	})
	if n != 1 {
		t.Errorf("complaints after restart = %d", n)
	}
}

func TestEnrolErrorsNameTheField(t *testing.T) {
	w := openWS(t, t.TempDir())
	if err := w.Enrol("", "code", "PRESS2", ""); fieldOf(err) != "server" {
		t.Errorf("no server: %v", err)
	}
	if err := w.Enrol("http://127.0.0.1:1", "", "PRESS2", ""); fieldOf(err) != "enrolment_code" {
		t.Errorf("no code: %v", err)
	}
	if err := w.Enrol("http://127.0.0.1:1", "ABC", "PRESS2", ""); fieldOf(err) != "server" {
		t.Errorf("unreachable server: %v", err)
	}
	if !w.FirstRun() {
		t.Error("a failed enrolment ended the first run")
	}
}

// A server refusing a plain code because this workstation's data is
// enrolled already: the error concerns the code and tells the user to
// ask the administrator.
func TestEnrolRefusedForAnEnrolledReplicaSaysAskTheAdministrator(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`{"code":"conflict","field":"replica","message":"this workstation's data is already enrolled as device D1 (desk); only the administrator can move it to a new enrolment: ask for a code made with ` + "`boucle-server device enrol --replace D1`" + `"}`))
	}))
	defer srv.Close()
	w := openWS(t, t.TempDir())
	err := w.Enrol(srv.URL, "ABCD-EFGH-JKMN", "PRESS2", "")
	if fieldOf(err) != "enrolment_code" {
		t.Fatalf("error %v names field %q", err, fieldOf(err))
	}
	if msg := i18n.Error(err); !strings.Contains(msg, "administrator") || !strings.Contains(msg, "--replace D1") {
		t.Fatalf("shown: %s", msg)
	}
}
