package syncclient_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"boucle/desktop/syncclient"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// refusedWith checks that err is the server's refusal with this status,
// naming the field or the rule.
func refusedWith(t *testing.T, what string, err error, status int, fieldOrRule string) {
	t.Helper()
	var api *syncclient.APIError
	if !errors.As(err, &api) || api.Status != status || (api.Field != fieldOrRule && api.Rule != fieldOrRule) {
		t.Fatalf("%s: %v, want %d naming %q", what, err, status, fieldOrRule)
	}
	if de := domain.AsError(err); de.Field != api.Field || de.Rule != api.Rule || de.Code != api.Code {
		t.Fatalf("%s: the domain error %+v does not carry the answer's %+v", what, de, api)
	}
}

// The administration client against the real server: every operation,
// the errors naming their field or rule, and what it says offline.
func TestE2EAdminClient(t *testing.T) {
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		p.srv.addUser("boss", "admin", "", password("boss"))
		w, _ := p.signedIn(t, "admin-desk", "boss", nil)
		adm := w.sync.Admin()
		ctx := context.Background()

		// Stations.
		stations, err := adm.Stations(ctx)
		if err != nil || len(stations) != 3 {
			t.Fatalf("stations = %+v, %v", stations, err)
		}
		if st, err := adm.AddStation(ctx, "WELD5", "Welding 5"); err != nil || st.Name != "Welding 5" {
			t.Fatalf("add station = %+v, %v", st, err)
		}
		_, err = adm.AddStation(ctx, "weld 6", "x")
		refusedWith(t, "bad station code", err, http.StatusBadRequest, "code")
		if st, err := adm.RenameStation(ctx, "WELD5", "Welding five"); err != nil || st.Name != "Welding five" {
			t.Fatalf("rename = %+v, %v", st, err)
		}
		_, err = adm.RetireStation(ctx, "WELD5", "")
		refusedWith(t, "retire without a reason", err, http.StatusBadRequest, "reason")
		if st, err := adm.RetireStation(ctx, "WELD5", "line closed"); err != nil || !st.Retired {
			t.Fatalf("retire = %+v, %v", st, err)
		}

		// Users.
		creds, err := adm.AddUser(ctx, syncproto.NewUser{Login: "op9", DisplayName: "Nina Operator", Role: domain.RoleOperator, Station: "CUT1"})
		if err != nil || creds.Password == "" {
			t.Fatalf("add user = %+v, %v", creds, err)
		}
		_, err = adm.AddUser(ctx, syncproto.NewUser{Login: "op10", DisplayName: "x", Role: "king"})
		refusedWith(t, "bad role", err, http.StatusBadRequest, "role")
		if u, err := adm.UpdateUser(ctx, "op9", syncproto.UserUpdate{DisplayName: "Nina Engineer", Role: domain.RoleEngineer}); err != nil || u.Role != domain.RoleEngineer || u.Station != "" {
			t.Fatalf("update = %+v, %v", u, err)
		}
		if u, err := adm.DisableUser(ctx, "op9", "left"); err != nil || !u.Disabled {
			t.Fatalf("disable = %+v, %v", u, err)
		}
		if u, err := adm.EnableUser(ctx, "op9", ""); err != nil || u.Disabled {
			t.Fatalf("enable = %+v, %v", u, err)
		}
		if reset, err := adm.ResetPassword(ctx, "op9", ""); err != nil || reset.Password == "" || reset.Password == creds.Password {
			t.Fatalf("reset = %+v, %v", reset, err)
		}
		_, err = adm.ResetPassword(ctx, "nobody", "")
		refusedWith(t, "reset an unknown user", err, http.StatusNotFound, "user.exists")
		users, err := adm.Users(ctx)
		if err != nil || !slices.ContainsFunc(users, func(u syncproto.AdminUser) bool { return u.Login == "op9" && u.HasPassword }) {
			t.Fatalf("users = %+v, %v", users, err)
		}

		// Categories and severities.
		if c, err := adm.AddCategory(ctx, syncproto.NewCategory{Code: "burr", LabelEN: "Burr", LabelFR: "Bavure"}); err != nil || c.LabelFR != "Bavure" {
			t.Fatalf("add category = %+v, %v", c, err)
		}
		_, err = adm.AddCategory(ctx, syncproto.NewCategory{Code: "rust", LabelEN: "Rust"})
		refusedWith(t, "no French label", err, http.StatusBadRequest, "label_fr")
		if c, err := adm.RelabelCategory(ctx, "burr", syncproto.CategoryLabels{LabelEN: "Burrs", LabelFR: "Bavures"}); err != nil || c.LabelEN != "Burrs" {
			t.Fatalf("relabel = %+v, %v", c, err)
		}
		if c, err := adm.RetireCategory(ctx, "burr", "merged"); err != nil || !c.Retired {
			t.Fatalf("retire category = %+v, %v", c, err)
		}
		if cats, err := adm.Categories(ctx); err != nil || len(cats) != len(domain.DefaultCategories)+1 {
			t.Fatalf("categories = %+v, %v", cats, err)
		}
		if s, err := adm.ConfigureSeverity(ctx, domain.SeverityMajor, syncproto.SeverityDeadlines{AckHours: 4, ResolveHours: 72}); err != nil || s.AckHours != 4 {
			t.Fatalf("configure = %+v, %v", s, err)
		}
		_, err = adm.ConfigureSeverity(ctx, domain.SeverityMajor, syncproto.SeverityDeadlines{AckHours: 8, ResolveHours: 4})
		refusedWith(t, "resolve before acknowledge", err, http.StatusBadRequest, "resolve_hours")
		if sev, err := adm.Severities(ctx); err != nil || len(sev) != 3 || sev[1].ResolveHours != 72 {
			t.Fatalf("severities = %+v, %v", sev, err)
		}

		// The changes reach this workstation's store by its next pull.
		w.syncOnce(t)
		_ = w.store.View(func(tx *boltstore.Tx) error {
			sev, err := tx.Severity(domain.SeverityMajor)
			if err != nil || sev.AckHours != 4 {
				t.Errorf("local severity = %+v, %v", sev, err)
			}
			return nil
		})

		// Devices: this desk was seen; a code for a new one, a replacement
		// code for another, and its revocation.
		other := p.workstation(t, "spare-desk", nil, testConfig())
		devices, err := adm.Devices(ctx)
		if err != nil || len(devices) != 2 {
			t.Fatalf("devices = %+v, %v", devices, err)
		}
		var mine, spare syncproto.AdminDevice
		for _, d := range devices {
			switch d.Name {
			case "admin-desk":
				mine = d
			case "spare-desk":
				spare = d
			}
		}
		if mine.LastSeen.IsZero() || mine.Station != "PRESS2" || spare.ID == "" {
			t.Fatalf("devices = %+v", devices)
		}
		if code, err := adm.IssueEnrolment(ctx, syncproto.EnrolmentRequest{Note: "paint desk", ValidHours: 2}); err != nil || len(code.Code) != 14 {
			t.Fatalf("enrolment = %+v, %v", code, err)
		}
		_, err = adm.IssueEnrolment(ctx, syncproto.EnrolmentRequest{ValidHours: 10000})
		refusedWith(t, "validity too long", err, http.StatusBadRequest, "valid_hours")
		if code, err := adm.IssueReplacement(ctx, spare.ID, syncproto.EnrolmentRequest{}); err != nil || code.Code == "" {
			t.Fatalf("replacement = %+v, %v", code, err)
		}
		if d, err := adm.RevokeDevice(ctx, spare.ID, "stolen"); err != nil || !d.Revoked || d.RevokedBy != "boss" {
			t.Fatalf("revoke = %+v, %v", d, err)
		}
		if err := other.sync.SyncOnce(ctx); err == nil {
			t.Fatal("the revoked desk still syncs")
		}

		// The last administrator stays one.
		if _, err := adm.DisableUser(ctx, "admin", "shared account"); err != nil {
			t.Fatal(err)
		}
		_, err = adm.DisableUser(ctx, "boss", "holiday")
		refusedWith(t, "disable the last administrator", err, http.StatusConflict, "user.last_admin")

		// Not an administrator: 403 auth.forbidden.
		engDesk, _ := p.signedIn(t, "eng-desk", "eng1", nil)
		_, err = engDesk.sync.Admin().Users(ctx)
		refusedWith(t, "an engineer", err, http.StatusForbidden, "auth.forbidden")

		// Offline: said so.
		p.srv.stop()
		if _, err := adm.Stations(ctx); !syncclient.IsOffline(err) {
			t.Fatalf("offline: %v", err)
		}
	})
}

// A workstation that is not enrolled has no server to administer.
func TestAdminClientNeedsAServer(t *testing.T) {
	w := newWorkstation(t, "alone", testConfig())
	if _, err := w.sync.Admin().Users(context.Background()); !errors.Is(err, syncclient.ErrNotEnrolled) {
		t.Fatalf("standalone: %v", err)
	}
}
