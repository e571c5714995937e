package syncserver_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
)

// adminSession is a user signed in (without a device) who calls the admin
// API with their access token.
type adminSession struct {
	h     *harness
	login string
	token string
}

// addAdmin registers another administrator, boss, so that events by the
// signed-in administrator are told apart from the server's own account.
func (h *harness) addAdmin(login string) {
	h.t.Helper()
	if _, err := h.admin.AddUser(context.Background(), syncserver.NewUser{Login: login, DisplayName: "Big " + login, Role: domain.RoleAdmin, Password: pw}); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) session(login string) *adminSession {
	h.t.Helper()
	return &adminSession{h: h, login: login, token: h.login(login, nil).AccessToken}
}

func (a *adminSession) call(method, route string, body any) *http.Response {
	a.h.t.Helper()
	return a.h.do(method, route, body, bearer(a.token))
}

// ok calls a route and decodes its 200 answer into v, zeroed first: the
// answers omit false flags.
func (a *adminSession) ok(method, route string, body, v any) {
	a.h.t.Helper()
	if v != nil {
		reflect.ValueOf(v).Elem().SetZero()
	}
	a.h.mustJSON(a.call(method, route, body), http.StatusOK, v)
}

// refused calls a route, checks the error's status, code and field (or
// rule), and that nothing was recorded.
func (a *adminSession) refused(method, route string, body any, status int, code domain.Code, fieldOrRule string) syncproto.ErrorBody {
	a.h.t.Helper()
	before := a.h.logLen()
	eb := a.h.mustError(a.call(method, route, body), status, code)
	if eb.Field != fieldOrRule && eb.Rule != fieldOrRule {
		a.h.t.Fatalf("%s %s: error %+v, want field or rule %q", method, route, eb, fieldOrRule)
	}
	if n := a.h.logLen(); n != before {
		a.h.t.Fatalf("%s %s: refused, yet %d events were recorded", method, route, n-before)
	}
	return eb
}

// lastEvent is the newest event of the server's log.
func (h *harness) lastEvent() domain.Event {
	h.t.Helper()
	var e domain.Event
	err := h.ports.ViewProjections(context.Background(), func(t syncserver.ProjectionTx) error {
		logged, _, err := t.LogAfter(t.LogLen()-1, 1)
		if err == nil && len(logged) == 1 {
			e = logged[0].Event
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return e
}

// recordedBy checks the newest event: its type, entity and author.
func (a *adminSession) recordedBy(typ domain.EventType, entity string) {
	a.h.t.Helper()
	e := a.h.lastEvent()
	if e.Type != typ || e.EntityID != entity || e.Author != a.login || e.Role != domain.RoleAdmin {
		a.h.t.Fatalf("last event %s %s by %s (%s), want %s %s by %s", e.Type, e.EntityID, e.Author, e.Role, typ, entity, a.login)
	}
}

func stationPath(code, action string) string {
	return syncproto.AdminPath(syncproto.RouteAdminStations, code, action)
}

func userPath(login, action string) string {
	return syncproto.AdminPath(syncproto.RouteAdminUsers, login, action)
}

func categoryPath(code, action string) string {
	return syncproto.AdminPath(syncproto.RouteAdminCategories, code, action)
}

func devicePath(id, action string) string {
	return syncproto.AdminPath(syncproto.RouteAdminDevices, id, action)
}

func TestAdminAPIStations(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.addAdmin("boss")
		a := h.session("boss")

		var list []domain.Station
		a.ok(http.MethodGet, syncproto.RouteAdminStations, nil, &list)
		if len(list) != 3 || list[0].Code != "CUT1" {
			t.Fatalf("stations = %+v", list)
		}

		var st domain.Station
		a.ok(http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: "WELD5", Name: "Welding 5"}, &st)
		if st != (domain.Station{Code: "WELD5", Name: "Welding 5"}) {
			t.Fatalf("added %+v", st)
		}
		a.recordedBy(domain.StationDefined, "WELD5")
		a.refused(http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: "WELD5", Name: "Again"}, http.StatusConflict, domain.EConflict, "station.unique")
		a.refused(http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: "weld 6", Name: "Welding 6"}, http.StatusBadRequest, domain.EInvalid, "code")
		a.refused(http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: "WELD6"}, http.StatusBadRequest, domain.EInvalid, "name")
		a.refused(http.MethodPost, syncproto.RouteAdminStations, "not an object", http.StatusBadRequest, domain.EMalformed, "")

		a.ok(http.MethodPut, stationPath("WELD5", ""), syncproto.StationName{Name: "Welding five"}, &st)
		if st.Name != "Welding five" {
			t.Fatalf("renamed %+v", st)
		}
		a.recordedBy(domain.StationUpdated, "WELD5")
		a.refused(http.MethodPut, stationPath("WELD5", ""), syncproto.StationName{Name: strings.Repeat("x", 500)}, http.StatusBadRequest, domain.EInvalid, "name")
		a.refused(http.MethodPut, stationPath("NOPE", ""), syncproto.StationName{Name: "x"}, http.StatusNotFound, domain.ENotFound, "station.exists")

		a.refused(http.MethodPost, stationPath("WELD5", syncproto.AdminRetire), syncproto.Reason{}, http.StatusBadRequest, domain.EInvalid, "reason")
		a.ok(http.MethodPost, stationPath("WELD5", syncproto.AdminRetire), syncproto.Reason{Reason: "line closed"}, &st)
		if !st.Retired {
			t.Fatalf("retired %+v", st)
		}
		a.recordedBy(domain.StationRetired, "WELD5")
		n := h.logLen()
		a.ok(http.MethodPost, stationPath("WELD5", syncproto.AdminRetire), syncproto.Reason{Reason: "again"}, &st)
		if h.logLen() != n || !st.Retired {
			t.Fatalf("retiring a retired station recorded %d events", h.logLen()-n)
		}
		a.ok(http.MethodGet, syncproto.RouteAdminStations, nil, &list)
		if len(list) != 4 || list[3].Code != "WELD5" || !list[3].Retired {
			t.Fatalf("stations = %+v", list)
		}
		a.ok(http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: "WELD5", Name: "Welding 5, reopened"}, &st)
		if st.Retired {
			t.Fatalf("defined again: %+v", st)
		}
	})
}

func TestAdminAPIUsers(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.addAdmin("boss")
		a := h.session("boss")

		var users []syncproto.AdminUser
		a.ok(http.MethodGet, syncproto.RouteAdminUsers, nil, &users)
		if len(users) != 6 || users[0].Login != "admin" || !users[0].HasPassword || users[0].PasswordChanged.IsZero() {
			t.Fatalf("users = %+v", users)
		}

		// Added without a password: the server chooses one, answered once,
		// logged never.
		var creds syncproto.Credentials
		a.ok(http.MethodPost, syncproto.RouteAdminUsers, syncproto.NewUser{Login: "op2", DisplayName: "Paul Operator", Role: domain.RoleOperator, Station: "CUT1"}, &creds)
		if creds.Login != "op2" || len(creds.Password) < 12 {
			t.Fatalf("credentials %+v", creds)
		}
		a.recordedBy(domain.UserRegistered, "op2")
		h.mustJSON(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "op2", Password: creds.Password}), http.StatusOK, nil)
		if strings.Contains(h.logBuf.String(), creds.Password) {
			t.Fatal("the generated password is in the server's log")
		}
		if !strings.Contains(h.logBuf.String(), "by=boss") {
			t.Fatalf("the log does not say who ran the command:\n%s", h.logBuf)
		}

		for _, bad := range []struct {
			u     syncproto.NewUser
			field string
		}{
			{syncproto.NewUser{Login: "Op 3", DisplayName: "x", Role: domain.RoleOperator}, "login"},
			{syncproto.NewUser{Login: "op3", Role: domain.RoleOperator}, "display_name"},
			{syncproto.NewUser{Login: "op3", DisplayName: "x", Role: "king"}, "role"},
			{syncproto.NewUser{Login: "op3", DisplayName: "x", Role: domain.RoleOperator, Station: "NOPE"}, "station"},
			{syncproto.NewUser{Login: "op3", DisplayName: "x", Role: domain.RoleOperator, Password: "short"}, "password"},
		} {
			a.refused(http.MethodPost, syncproto.RouteAdminUsers, bad.u, http.StatusBadRequest, domain.EInvalid, bad.field)
		}
		a.refused(http.MethodPost, syncproto.RouteAdminUsers, syncproto.NewUser{Login: "op2", DisplayName: "x", Role: domain.RoleOperator}, http.StatusConflict, domain.EConflict, "user.unique")

		// Update: name, role and home station at once.
		var u syncproto.AdminUser
		a.ok(http.MethodPut, userPath("op2", ""), syncproto.UserUpdate{DisplayName: "Paul Engineer", Role: domain.RoleEngineer, Station: "PAINT4"}, &u)
		if u.DisplayName != "Paul Engineer" || u.Role != domain.RoleEngineer || u.Station != "PAINT4" || !u.HasPassword {
			t.Fatalf("updated %+v", u)
		}
		a.recordedBy(domain.UserUpdated, "op2")
		a.refused(http.MethodPut, userPath("op2", ""), syncproto.UserUpdate{Role: domain.RoleEngineer}, http.StatusBadRequest, domain.EInvalid, "display_name")
		a.refused(http.MethodPut, userPath("op2", ""), syncproto.UserUpdate{DisplayName: "P", Role: domain.RoleSystem}, http.StatusBadRequest, domain.EInvalid, "role")
		a.refused(http.MethodPut, userPath("op2", ""), syncproto.UserUpdate{DisplayName: "P", Role: domain.RoleEngineer, Station: "NOPE"}, http.StatusBadRequest, domain.EInvalid, "station")
		a.refused(http.MethodPut, userPath("nobody", ""), syncproto.UserUpdate{DisplayName: "P", Role: domain.RoleEngineer}, http.StatusNotFound, domain.ENotFound, "user.exists")

		// Disable (with a reason), then enable.
		a.refused(http.MethodPost, userPath("op2", syncproto.AdminDisable), syncproto.Reason{}, http.StatusBadRequest, domain.EInvalid, "reason")
		a.ok(http.MethodPost, userPath("op2", syncproto.AdminDisable), syncproto.Reason{Reason: "left the plant"}, &u)
		if !u.Disabled {
			t.Fatalf("disabled %+v", u)
		}
		a.recordedBy(domain.UserDisabled, "op2")
		h.mustError(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "op2", Password: creds.Password}), http.StatusUnauthorized, domain.EUnauthorized)
		a.ok(http.MethodPost, userPath("op2", syncproto.AdminEnable), syncproto.Note{Note: "back"}, &u)
		if u.Disabled {
			t.Fatalf("enabled %+v", u)
		}
		a.recordedBy(domain.UserEnabled, "op2")
		h.mustJSON(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "op2", Password: creds.Password}), http.StatusOK, nil)
		a.refused(http.MethodPost, userPath("nobody", syncproto.AdminEnable), syncproto.Note{}, http.StatusNotFound, domain.ENotFound, "user.exists")

		// Reset the password: the server's choice, answered once; the old
		// one stops working.
		var reset syncproto.Credentials
		a.ok(http.MethodPost, userPath("op2", syncproto.AdminPassword), syncproto.PasswordReset{}, &reset)
		if reset.Password == "" || reset.Password == creds.Password {
			t.Fatalf("reset %+v", reset)
		}
		h.mustError(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "op2", Password: creds.Password}), http.StatusUnauthorized, domain.EUnauthorized)
		h.mustJSON(h.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "op2", Password: reset.Password}), http.StatusOK, nil)
		a.ok(http.MethodPost, userPath("op2", syncproto.AdminPassword), syncproto.PasswordReset{Password: "a chosen long password"}, &reset)
		if reset.Password != "" {
			t.Fatalf("a chosen password is answered back: %+v", reset)
		}
		a.refused(http.MethodPost, userPath("op2", syncproto.AdminPassword), syncproto.PasswordReset{Password: "short"}, http.StatusBadRequest, domain.EInvalid, "password")
		a.refused(http.MethodPost, userPath("nobody", syncproto.AdminPassword), syncproto.PasswordReset{}, http.StatusNotFound, domain.ENotFound, "user.exists")
		if log := h.logBuf.String(); strings.Contains(log, reset.Password) && reset.Password != "" || strings.Contains(log, "a chosen long password") {
			t.Fatal("a password is in the server's log")
		}
	})
}

func TestAdminAPICategoriesAndSeverities(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.addAdmin("boss")
		a := h.session("boss")

		var cats []domain.Category
		a.ok(http.MethodGet, syncproto.RouteAdminCategories, nil, &cats)
		if len(cats) != len(domain.DefaultCategories) || cats[0].Code != "contamination" {
			t.Fatalf("categories = %+v", cats)
		}
		var c domain.Category
		a.ok(http.MethodPost, syncproto.RouteAdminCategories, syncproto.NewCategory{Code: "burr", LabelEN: "Burr", LabelFR: "Bavure"}, &c)
		if c != (domain.Category{Code: "burr", LabelEN: "Burr", LabelFR: "Bavure"}) {
			t.Fatalf("added %+v", c)
		}
		a.recordedBy(domain.CategoryDefined, "burr")
		a.refused(http.MethodPost, syncproto.RouteAdminCategories, syncproto.NewCategory{Code: "Burr!", LabelEN: "B", LabelFR: "B"}, http.StatusBadRequest, domain.EInvalid, "code")
		a.refused(http.MethodPost, syncproto.RouteAdminCategories, syncproto.NewCategory{Code: "rust", LabelEN: "Rust"}, http.StatusBadRequest, domain.EInvalid, "label_fr")
		a.refused(http.MethodPost, syncproto.RouteAdminCategories, syncproto.NewCategory{Code: "burr", LabelEN: "B", LabelFR: "B"}, http.StatusConflict, domain.EConflict, "category.unique")

		a.ok(http.MethodPut, categoryPath("burr", ""), syncproto.CategoryLabels{LabelEN: "Burrs", LabelFR: "Bavures"}, &c)
		if c.LabelEN != "Burrs" || c.LabelFR != "Bavures" {
			t.Fatalf("relabelled %+v", c)
		}
		a.recordedBy(domain.CategoryUpdated, "burr")
		a.refused(http.MethodPut, categoryPath("burr", ""), syncproto.CategoryLabels{LabelFR: "Bavures"}, http.StatusBadRequest, domain.EInvalid, "label_en")
		a.refused(http.MethodPut, categoryPath("nope", ""), syncproto.CategoryLabels{LabelEN: "x", LabelFR: "x"}, http.StatusNotFound, domain.ENotFound, "category.exists")
		a.refused(http.MethodPost, categoryPath("burr", syncproto.AdminRetire), syncproto.Reason{}, http.StatusBadRequest, domain.EInvalid, "reason")
		a.refused(http.MethodPost, categoryPath("nope", syncproto.AdminRetire), syncproto.Reason{Reason: "x"}, http.StatusNotFound, domain.ENotFound, "category.exists")
		a.ok(http.MethodPost, categoryPath("burr", syncproto.AdminRetire), syncproto.Reason{Reason: "merged into surface"}, &c)
		if !c.Retired {
			t.Fatalf("retired %+v", c)
		}
		a.recordedBy(domain.CategoryRetired, "burr")

		var sev []domain.SeverityConfig
		a.ok(http.MethodGet, syncproto.RouteAdminSeverities, nil, &sev)
		if len(sev) != 3 || sev[1] != domain.DefaultSeverity(domain.SeverityMajor) {
			t.Fatalf("severities = %+v", sev)
		}
		var s domain.SeverityConfig
		sevPath := syncproto.AdminPath(syncproto.RouteAdminSeverities, "major", "")
		a.ok(http.MethodPut, sevPath, syncproto.SeverityDeadlines{AckHours: 4, ResolveHours: 72}, &s)
		if s != (domain.SeverityConfig{Severity: domain.SeverityMajor, AckHours: 4, ResolveHours: 72}) {
			t.Fatalf("configured %+v", s)
		}
		a.recordedBy(domain.SeverityConfigured, "major")
		a.ok(http.MethodGet, syncproto.RouteAdminSeverities, nil, &sev)
		if sev[1] != s {
			t.Fatalf("severities = %+v", sev)
		}
		a.refused(http.MethodPut, sevPath, syncproto.SeverityDeadlines{AckHours: 0, ResolveHours: 72}, http.StatusBadRequest, domain.EInvalid, "ack_hours")
		a.refused(http.MethodPut, sevPath, syncproto.SeverityDeadlines{AckHours: 8, ResolveHours: 4}, http.StatusBadRequest, domain.EInvalid, "resolve_hours")
		a.refused(http.MethodPut, syncproto.AdminPath(syncproto.RouteAdminSeverities, "huge", ""), syncproto.SeverityDeadlines{AckHours: 1, ResolveHours: 2}, http.StatusBadRequest, domain.EInvalid, "severity")
	})
}

func TestAdminAPIDevices(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.addAdmin("boss")
		a := h.session("boss")

		var code syncproto.EnrolmentCode
		a.ok(http.MethodPost, syncproto.RouteAdminEnrolments, syncproto.EnrolmentRequest{Note: "press 2, left bench", ValidHours: 48}, &code)
		if len(code.Code) != 14 || !code.Expires.Equal(h.clock.Now().Add(48*time.Hour)) {
			t.Fatalf("code %+v (now %s)", code, h.clock.Now())
		}
		a.refused(http.MethodPost, syncproto.RouteAdminEnrolments, syncproto.EnrolmentRequest{ValidHours: syncproto.MaxEnrolmentHours + 1}, http.StatusBadRequest, domain.EInvalid, "valid_hours")
		a.refused(http.MethodPost, syncproto.RouteAdminEnrolments, syncproto.EnrolmentRequest{ValidHours: -1}, http.StatusBadRequest, domain.EInvalid, "valid_hours")
		a.refused(http.MethodPost, syncproto.RouteAdminEnrolments, syncproto.EnrolmentRequest{Note: strings.Repeat("n", 5000)}, http.StatusBadRequest, domain.EInvalid, "note")
		if strings.Contains(h.logBuf.String(), code.Code) {
			t.Fatal("the enrolment code is in the server's log")
		}

		var resp syncproto.EnrolResponse
		h.mustJSON(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: code.Code, Name: "ws-left", Station: "PRESS2", Replica: "ws-left-1"}), http.StatusOK, &resp)
		ws := &device{id: resp.DeviceID, key: resp.DeviceKey, replica: "ws-left-1"}
		ws.tokens = h.login("op1", ws)

		var list []syncproto.AdminDevice
		a.ok(http.MethodGet, syncproto.RouteAdminDevices, nil, &list)
		if len(list) != 1 {
			t.Fatalf("devices = %+v", list)
		}
		d := list[0]
		if d.ID != ws.id || d.Name != "ws-left" || d.Note != "press 2, left bench" || d.IssuedBy != "boss" || d.Station != "PRESS2" ||
			d.Enrolled.IsZero() || !d.LastSeen.IsZero() || d.Revoked {
			t.Fatalf("device %+v", d)
		}

		// Last seen: when its credential last passed, to within 5 minutes.
		seen := h.clock.Now()
		h.mustJSON(h.do(http.MethodGet, syncproto.RouteState, nil, ws.headers(true)), http.StatusOK, nil)
		h.clock.Advance(time.Minute)
		h.mustJSON(h.do(http.MethodGet, syncproto.RouteState, nil, ws.headers(true)), http.StatusOK, nil)
		a.ok(http.MethodGet, syncproto.RouteAdminDevices, nil, &list)
		if !list[0].LastSeen.Equal(seen) {
			t.Fatalf("last seen %s, want %s", list[0].LastSeen, seen)
		}
		h.clock.Advance(5 * time.Minute)
		h.mustJSON(h.do(http.MethodGet, syncproto.RouteState, nil, ws.headers(true)), http.StatusOK, nil)
		a.ok(http.MethodGet, syncproto.RouteAdminDevices, nil, &list)
		if !list[0].LastSeen.Equal(h.clock.Now()) {
			t.Fatalf("last seen %s, want %s", list[0].LastSeen, h.clock.Now())
		}

		// A replacement code for the device; none for a device never enrolled.
		a.ok(http.MethodPost, devicePath(ws.id, syncproto.AdminReplacement), syncproto.EnrolmentRequest{Note: "new PC"}, &code)
		if len(code.Code) != 14 || !code.Expires.Equal(h.clock.Now().Add(syncserver.DefaultEnrolmentTTL)) {
			t.Fatalf("replacement code %+v", code)
		}
		a.refused(http.MethodPost, devicePath("nope", syncproto.AdminReplacement), syncproto.EnrolmentRequest{}, http.StatusNotFound, domain.ENotFound, "")

		// Revoked: its sync requests are refused at once.
		var rd syncproto.AdminDevice
		a.ok(http.MethodPost, devicePath(ws.id, syncproto.AdminRevoke), syncproto.Reason{Reason: "stolen"}, &rd)
		if !rd.Revoked || rd.Why != "stolen" || rd.RevokedBy != "boss" || !rd.RevokedAt.Equal(h.clock.Now()) {
			t.Fatalf("revoked %+v", rd)
		}
		eb := h.mustError(h.do(http.MethodGet, syncproto.RouteState, nil, ws.headers(true)), http.StatusForbidden, domain.EForbidden)
		if eb.Field != "device" {
			t.Fatalf("revoked device's request: %+v", eb)
		}
		a.refused(http.MethodPost, devicePath("nope", syncproto.AdminRevoke), syncproto.Reason{}, http.StatusNotFound, domain.ENotFound, "device.exists")
	})
}

// Every admin route refuses a user who is not an administrator, with 403
// auth.forbidden, and writes nothing.
func TestAdminAPIRefusesNonAdministrators(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) { c.LoginFailures = 1000 })
		eng := h.session("eng1")
		routes := []struct{ method, route string }{
			{http.MethodGet, syncproto.RouteAdminStations},
			{http.MethodPost, syncproto.RouteAdminStations},
			{http.MethodPut, stationPath("CUT1", "")},
			{http.MethodPost, stationPath("CUT1", syncproto.AdminRetire)},
			{http.MethodGet, syncproto.RouteAdminUsers},
			{http.MethodPost, syncproto.RouteAdminUsers},
			{http.MethodPut, userPath("eng1", "")},
			{http.MethodPost, userPath("op1", syncproto.AdminDisable)},
			{http.MethodPost, userPath("op1", syncproto.AdminEnable)},
			{http.MethodPost, userPath("op1", syncproto.AdminPassword)},
			{http.MethodGet, syncproto.RouteAdminCategories},
			{http.MethodPost, syncproto.RouteAdminCategories},
			{http.MethodPut, categoryPath("other", "")},
			{http.MethodPost, categoryPath("other", syncproto.AdminRetire)},
			{http.MethodGet, syncproto.RouteAdminSeverities},
			{http.MethodPut, syncproto.AdminPath(syncproto.RouteAdminSeverities, "major", "")},
			{http.MethodGet, syncproto.RouteAdminDevices},
			{http.MethodPost, syncproto.RouteAdminEnrolments},
			{http.MethodPost, devicePath("x", syncproto.AdminReplacement)},
			{http.MethodPost, devicePath("x", syncproto.AdminRevoke)},
		}
		body := map[string]any{"code": "X1", "name": "x", "reason": "x", "login": "x2", "display_name": "x", "role": "admin", "ack_hours": 1, "resolve_hours": 2}
		for _, r := range routes {
			eng.refused(r.method, r.route, body, http.StatusForbidden, domain.EForbidden, "auth.forbidden")
			h.mustError(h.do(r.method, r.route, body, nil), http.StatusUnauthorized, domain.EUnauthorized)
		}
	})
}

// Refused admin requests count against the client's address: past the
// limit (LoginFailures a minute), 429 with Retry-After.
func TestAdminAPIThrottlesRefusals(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t, func(c *syncserver.Config) { c.LoginFailures = 3 })
		eng := h.session("eng1")
		for range 3 {
			eng.refused(http.MethodGet, syncproto.RouteAdminUsers, nil, http.StatusForbidden, domain.EForbidden, "auth.forbidden")
		}
		res := eng.call(http.MethodGet, syncproto.RouteAdminUsers, nil)
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		h.mustError(res, http.StatusTooManyRequests, domain.ERateLimited)
		// An administrator is not refused, so not counted.
		h.addAdmin("boss")
		h.session("boss").ok(http.MethodGet, syncproto.RouteAdminUsers, nil, nil)
	})
}

// The role is the directory's at the time of the request: an
// administrator disabled or demoted meanwhile is refused at once, with
// the access token signed while they were one.
func TestAdminAPIChecksTheDirectoryAtRequestTime(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.addAdmin("boss")
		h.addAdmin("chief")
		boss, chief := h.session("boss"), h.session("chief")
		boss.ok(http.MethodGet, syncproto.RouteAdminUsers, nil, nil)
		chief.ok(http.MethodGet, syncproto.RouteAdminUsers, nil, nil)

		if err := h.admin.DisableUser(t.Context(), "boss", "test"); err != nil {
			t.Fatal(err)
		}
		h.mustError(boss.call(http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: "X1", Name: "x"}), http.StatusUnauthorized, domain.EUnauthorized)

		if _, err := h.admin.UpdateUser(t.Context(), "chief", syncserver.UserUpdate{DisplayName: "Chief", Role: domain.RoleEngineer}); err != nil {
			t.Fatal(err)
		}
		chief.refused(http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: "X1", Name: "x"}, http.StatusForbidden, domain.EForbidden, "auth.forbidden")
	})
}

// The commands in an administrator's name check the directory again in
// their own transaction: a demotion that commits between the route's
// check and the command's write still refuses it.
func TestAdminAsChecksTheActorInItsTransaction(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		as := h.admin.As("eng1") // let in as an administrator, demoted since
		n := h.logLen()
		checks := map[string]error{
			"add station": as.AddStation(t.Context(), "X1", "x"),
			"disable":     as.DisableUser(t.Context(), "op1", "x"),
			"revoke":      as.RevokeDevice(t.Context(), h.enrol().id, ""),
		}
		_, checks["add user"] = as.AddUser(t.Context(), syncserver.NewUser{Login: "x2", DisplayName: "x", Role: domain.RoleAdmin})
		_, checks["reset"] = as.ResetPassword(t.Context(), "admin", "")
		_, checks["severity"] = as.ConfigureSeverity(t.Context(), domain.SeverityMajor, syncserver.SeverityDeadlines{AckHours: 1, ResolveHours: 2})
		_, checks["enrol"] = as.EnrolDevice(t.Context(), "", 0)
		for name, err := range checks {
			if de := domain.AsError(err); de == nil || de.Rule != "auth.forbidden" {
				t.Errorf("%s: %v, want auth.forbidden", name, err)
			}
		}
		if h.logLen() != n {
			t.Fatalf("%d events recorded", h.logLen()-n)
		}
	})
}

// No change may leave the plant without an active administrator: the
// last one can neither disable nor demote themselves, over the network or
// at the command line.
func TestAdminAPIKeepsAnAdministrator(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.addAdmin("boss")
		boss := h.session("boss")

		var u syncproto.AdminUser
		boss.ok(http.MethodPost, userPath("admin", syncproto.AdminDisable), syncproto.Reason{Reason: "shared account retired"}, &u)
		boss.refused(http.MethodPost, userPath("boss", syncproto.AdminDisable), syncproto.Reason{Reason: "holiday"}, http.StatusConflict, domain.EConflict, "user.last_admin")
		boss.refused(http.MethodPut, userPath("boss", ""), syncproto.UserUpdate{DisplayName: "Boss", Role: domain.RoleManager}, http.StatusConflict, domain.EConflict, "user.last_admin")
		if err := h.admin.DisableUser(t.Context(), "boss", ""); domain.AsError(err).Rule != "user.last_admin" {
			t.Fatalf("command line disabling the last administrator: %v", err)
		}
		// Renaming oneself keeps the role: allowed.
		boss.ok(http.MethodPut, userPath("boss", ""), syncproto.UserUpdate{DisplayName: "The Boss", Role: domain.RoleAdmin}, &u)

		// An administrator without a password cannot sign in: not an active one.
		h.record(boltstore.Actor{Login: "boss", Role: domain.RoleAdmin}, boltstore.Command{Type: domain.UserRegistered, EntityID: "ghost",
			Payload: &domain.UserPayload{DisplayName: "Ghost", Role: domain.RoleAdmin}})
		boss.refused(http.MethodPost, userPath("boss", syncproto.AdminDisable), syncproto.Reason{Reason: "holiday"}, http.StatusConflict, domain.EConflict, "user.last_admin")

		// With another active administrator, boss may step down.
		boss.ok(http.MethodPut, userPath("eng1", ""), syncproto.UserUpdate{DisplayName: "Eric Engineer", Role: domain.RoleAdmin}, &u)
		boss.ok(http.MethodPut, userPath("boss", ""), syncproto.UserUpdate{DisplayName: "Boss", Role: domain.RoleManager}, &u)
		if u.Role != domain.RoleManager {
			t.Fatalf("stepped down: %+v", u)
		}
		boss.refused(http.MethodGet, syncproto.RouteAdminUsers, nil, http.StatusForbidden, domain.EForbidden, "auth.forbidden")
	})
}

// A pushed directory event keeps the rule too: the last active
// administrator's own workstation cannot disable or demote them.
func TestPushedDirectoryEventsKeepAnAdministrator(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("admin")
		for _, c := range []struct {
			typ domain.EventType
			p   domain.Payload
		}{
			{domain.UserDisabled, &domain.ReasonPayload{Reason: "leaving"}},
			{domain.UserUpdated, &domain.UserPayload{DisplayName: "Administrator", Role: domain.RoleManager}},
		} {
			e := h.event(ws, "admin", domain.RoleAdmin, c.typ, "admin", c.p)
			e.HLC = h.ports.Clock().Now() + 1 // after the account's events, as the workstation would have pulled them
			h.resign(ws, &e)
			r := h.push(ws, e).Results[0]
			if r.Result != syncproto.Rejected || !strings.HasPrefix(r.Reason, "user.last_admin:") {
				t.Fatalf("%s of the last administrator = %+v", c.typ, r)
			}
		}
		// With another administrator, the same change is accepted.
		h.addAdmin("boss")
		e := h.event(ws, "admin", domain.RoleAdmin, domain.UserUpdated, "admin", &domain.UserPayload{DisplayName: "Administrator", Role: domain.RoleManager})
		e.HLC = h.ports.Clock().Now() + 1
		h.resign(ws, &e)
		if r := h.push(ws, e).Results[0]; r.Result != syncproto.Accepted {
			t.Fatalf("stepping down with another administrator = %+v", r)
		}
	})
}
