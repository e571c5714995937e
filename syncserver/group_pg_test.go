package syncserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"
	"boucle/syncserver/pgstore"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// groupOfPlants starts one server per plant on one fresh database, each
// serving its plant and the group's routes, all under the same keys (the
// worst case: only the claims tell a plant's token from another's and
// from the group's). Each plant is seeded like the harness's, plus a user
// of its own (nina in north, sam in south); the group has one account,
// dir, with the password pw.
func groupOfPlants(t *testing.T, plants ...string) (map[string]*harness, syncserver.GroupStore) {
	t.Helper()
	ctx := context.Background()
	st, err := pgstore.Open(ctx, pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	g, err := st.Group(ctx)
	if err != nil {
		t.Fatal(err)
	}
	group := syncserver.GroupOn(g, func(ctx context.Context, plant string) (syncserver.ViewStore, error) {
		srv, err := st.Server(ctx, plant)
		return syncserver.StoreOn(srv), err
	})
	clock := newClock()
	keys, err := syncserver.NewKeyring(syncserver.ServerKey{Kid: "k1", Secret: []byte("a secret of thirty-two bytes, ok"), Created: clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*harness{}
	for _, plant := range plants {
		if _, err := st.CreatePlant(ctx, plant); err != nil {
			t.Fatal(err)
		}
		srv, err := st.Server(ctx, plant)
		if err != nil {
			t.Fatal(err)
		}
		h := &harness{t: t, clock: clock, logBuf: &syncBuffer{}}
		// The limits of failed attempts wired as serve wires them: the
		// plant's in its rows, the group's in the database's one scope.
		plantLimits := func(burst int, per time.Duration) syncserver.AttemptLimit {
			return st.AttemptLimit(plant, clock.Now, burst, per)
		}
		groupLimits := func(burst int, per time.Duration) syncserver.AttemptLimit {
			return st.GroupAttemptLimit(clock.Now, burst, per)
		}
		h.srv, err = syncserver.NewOn(syncserver.StoreOn(srv), syncserver.Config{Plant: plant, Now: clock.Now, Keys: keys,
			Logger: slog.New(slog.NewTextHandler(h.logBuf, nil)), Group: group,
			AttemptLimits: plantLimits, GroupAttemptLimits: groupLimits})
		if err != nil {
			t.Fatal(err)
		}
		h.admin = h.srv.Admin()
		h.http = httptest.NewServer(h.srv.Handler())
		t.Cleanup(h.http.Close)
		h.seed()
		out[plant] = h
	}
	for plant, login := range map[string]string{"north": "nina", "south": "sam"} {
		if h := out[plant]; h != nil {
			if _, err := h.admin.AddUser(ctx, syncserver.NewUser{Login: login, DisplayName: login, Role: domain.RoleEngineer, Password: pw}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := syncserver.NewGroupAdmin(group, clock.Now).AddUser(ctx, syncserver.NewGroupUser{Login: "dir", DisplayName: "Diane Director", Password: pw}); err != nil {
		t.Fatal(err)
	}
	return out, group
}

// fileComplaints pushes n complaints of op1 at PRESS2 against supplier.
func (h *harness) fileComplaints(n int, supplier string) {
	h.t.Helper()
	d := h.workstation("op1")
	var batch []domain.Event
	for i := range n {
		p := filing(i+1, fmt.Sprintf("burrs on the bracket, %d", i))
		p.SupplierStation = supplier
		batch = append(batch, h.event(d, "op1", domain.RoleOperator, domain.ComplaintFiled, uuid.NewString(), p))
	}
	for _, r := range h.push(d, batch...).Results {
		if r.Result != syncproto.Accepted {
			h.t.Fatalf("complaint %s: %s (%s)", r.ID, r.Result, r.Reason)
		}
	}
}

func (h *harness) groupLogin(login, password string) *http.Response {
	return h.post("/group"+syncproto.RouteLogin, syncproto.LoginRequest{Login: login, Password: password})
}

// body reads a 200 answer's JSON, compacted.
func (h *harness) body(res *http.Response) []byte {
	h.t.Helper()
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		h.t.Fatalf("%s: %d %s", res.Request.URL, res.StatusCode, raw)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, raw); err != nil {
		h.t.Fatal(err)
	}
	return out.Bytes()
}

// The group's director sees each plant's indicators and scorecards side
// by side, each equal to what the plant's own report answers, the two
// plants' figures their own.
func TestGroupReportsEachPlantSideBySide(t *testing.T) {
	hs, _ := groupOfPlants(t, "north", "south")
	north, south := hs["north"], hs["south"]
	north.fileComplaints(3, "CUT1")
	south.fileComplaints(1, "PAINT4")

	var tokens syncserver.GroupTokens
	north.mustJSON(north.groupLogin("dir", pw), http.StatusOK, &tokens)
	if tokens.Account.Role != "group_quality" || tokens.Account.DisplayName != "Diane Director" {
		t.Fatalf("group sign-in: account %+v", tokens.Account)
	}
	asDir := bearer(tokens.AccessToken)
	var plants struct {
		Plants []struct {
			ID     string `json:"id"`
			Events uint64 `json:"events"`
		} `json:"plants"`
	}
	north.mustJSON(north.do(http.MethodGet, "/group/plants", nil, asDir), http.StatusOK, &plants)
	if len(plants.Plants) != 2 || plants.Plants[0].ID != "north" || plants.Plants[1].ID != "south" || plants.Plants[0].Events <= plants.Plants[1].Events {
		t.Fatalf("group plants: %+v", plants.Plants)
	}

	own := map[*harness]http.Header{north: bearer(north.login("eng1", nil).AccessToken), south: bearer(south.login("eng1", nil).AccessToken)}
	day := north.clock.Now().Format(time.DateOnly)
	params := "?from=" + day + "&to=" + day
	for _, report := range []string{"indicators", "scorecards"} {
		var side struct {
			Plants []map[string]json.RawMessage `json:"plants"`
		}
		if err := json.Unmarshal(north.body(north.do(http.MethodGet, "/group/reports/"+report+params, nil, asDir)), &side); err != nil {
			t.Fatal(err)
		}
		if len(side.Plants) != 2 {
			t.Fatalf("group %s: %d plants", report, len(side.Plants))
		}
		for i, h := range []*harness{north, south} {
			want := h.body(h.do(http.MethodGet, "/reports/"+report+params, nil, own[h]))
			if report == "scorecards" {
				var cards struct {
					Scorecards json.RawMessage `json:"scorecards"`
				}
				_ = json.Unmarshal(want, &cards)
				want = cards.Scorecards
			}
			got := side.Plants[i][report]
			if plant := string(side.Plants[i]["plant"]); plant != []string{`"north"`, `"south"`}[i] {
				t.Fatalf("group %s: row %d is plant %s", report, i, plant)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("group %s of plant %d:\n%s\nthe plant's own:\n%s", report, i, got, want)
			}
		}
	}
	var ind syncserver.GroupReport[syncserver.PlantIndicators]
	if err := json.Unmarshal(north.body(north.do(http.MethodGet, "/group/reports/indicators"+params, nil, asDir)), &ind); err != nil {
		t.Fatal(err)
	}
	if ind.Plants[0].Indicators.Filed != 3 || ind.Plants[1].Indicators.Filed != 1 {
		t.Fatalf("complaints filed: north %d, south %d; want 3 and 1", ind.Plants[0].Indicators.Filed, ind.Plants[1].Indicators.Filed)
	}
	// One plant asked for, from the other plant's server: the group's
	// session is the database's (under the same keys, as here).
	var one syncserver.GroupReport[syncserver.PlantIndicators]
	south.mustJSON(south.do(http.MethodGet, "/group/reports/indicators"+params+"&plant=south", nil, asDir), http.StatusOK, &one)
	if len(one.Plants) != 1 || one.Plants[0].Plant != "south" || one.Plants[0].Indicators.Filed != 1 {
		t.Fatalf("plant=south: %+v", one.Plants)
	}
}

// routesOf lists the server's routes that need a session, their path
// parameters filled, under the API prefix: the plant's, then the group's.
func routesOf(h *harness) (plant, group [][2]string) {
	public := map[string]bool{"/healthz": true, "/metrics": true, "/api/v1/openapi.json": true, "/api/v1/auth/login": true,
		"/api/v1/auth/refresh": true, "/api/v1/auth/logout": true, "/api/v1/devices/enrol": true,
		"/api/v1/group/auth/login": true, "/api/v1/group/auth/refresh": true, "/api/v1/group/auth/logout": true}
	for _, r := range h.srv.Handler().(*gin.Engine).Routes() {
		if public[r.Path] {
			continue
		}
		path := strings.Replace(strings.Replace(r.Path, ":sha256", strings.Repeat("0", 64), 1), ":id", "x", 1)
		path = strings.Replace(path, ":login", "op1", 1)
		route := [2]string{r.Method, strings.TrimPrefix(path, syncproto.Prefix)}
		if strings.HasPrefix(r.Path, "/api/v1/group/") {
			group = append(group, route)
		} else {
			plant = append(plant, route)
		}
	}
	return plant, group
}

// A plant's users, devices and data are never visible to another plant's
// sessions, nor a plant's to the group's but through the group's reports:
// on every route, a group session is refused by the plants' routes (403,
// writes and sync push included), a plant's session by the group's (403
// on its own server, 401 on another plant's), and a plant's session by
// every route of another plant (401), under the same keys.
func TestGroupAndPlantSessionsStayInTheirRoutes(t *testing.T) {
	hs, _ := groupOfPlants(t, "north", "south")
	north, south := hs["north"], hs["south"]
	north.fileComplaints(2, "CUT1")
	nina := north.workstation("nina")
	var dir syncserver.GroupTokens
	north.mustJSON(north.groupLogin("dir", pw), http.StatusOK, &dir)

	plantRoutes, groupRoutes := routesOf(north)
	if len(plantRoutes) < 30 || len(groupRoutes) != 3 {
		t.Fatalf("%d plant routes and %d group routes", len(plantRoutes), len(groupRoutes))
	}
	expect := func(h *harness, route [2]string, hd http.Header, status int, rule string) {
		t.Helper()
		res := h.do(route[0], route[1], nil, hd)
		if route[0] == http.MethodHead {
			res.Body.Close()
			if res.StatusCode != status {
				t.Errorf("%s %s: %d, want %d", route[0], route[1], res.StatusCode, status)
			}
			return
		}
		var eb syncproto.ErrorBody
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != status || json.Unmarshal(raw, &eb) != nil || eb.Rule != rule {
			t.Errorf("%s %s: %d %s, want %d rule %q", route[0], route[1], res.StatusCode, raw, status, rule)
		}
	}
	asDir := bearer(dir.AccessToken)
	asDir.Set(syncproto.HeaderDevice, nina.id) // with a device's credential too: the push's route
	asDir.Set(syncproto.HeaderDeviceKey, nina.key)
	for _, h := range []*harness{north, south} {
		for _, r := range plantRoutes {
			expect(h, r, asDir, http.StatusForbidden, "group.read_only")
		}
	}
	asNina := nina.headers(true)
	for _, r := range groupRoutes {
		expect(north, r, asNina, http.StatusForbidden, "group.plant_session")
		expect(south, r, asNina, http.StatusUnauthorized, "")
	}
	for _, r := range plantRoutes {
		expect(south, r, asNina, http.StatusUnauthorized, "")
	}

	// Nothing the group pushed: the log is as it was.
	logLen := func() uint64 {
		var st syncproto.ServerState
		north.mustJSON(north.do(http.MethodGet, syncproto.RouteState, nil, nina.headers(true)), http.StatusOK, &st)
		return st.LogLen
	}
	before := logLen()
	res := north.pushRaw(&device{id: nina.id, key: nina.key, tokens: syncproto.Tokens{AccessToken: dir.AccessToken}},
		syncproto.AppendBatch(nil, []domain.Event{north.event(nina, "nina", domain.RoleEngineer, domain.ComplaintFiled, uuid.NewString(), filing(9, "spatter"))}))
	north.mustError(res, http.StatusForbidden, domain.EForbidden)
	if after := logLen(); after != before {
		t.Fatalf("a group session's push: the log went from %d to %d", before, after)
	}

	// Each plant's directory and complaints are its own.
	for _, c := range []struct {
		h          *harness
		has, lacks string
		complaints int
	}{{north, "nina", "sam", 2}, {south, "sam", "nina", 0}} {
		own := bearer(c.h.login("eng1", nil).AccessToken)
		var users struct{ Users []domain.User }
		c.h.mustJSON(c.h.do(http.MethodGet, "/users", nil, own), http.StatusOK, &users)
		logins := fmt.Sprint(users.Users)
		if !strings.Contains(logins, c.has) || strings.Contains(logins, c.lacks) {
			t.Errorf("users %s: want %s, not %s", logins, c.has, c.lacks)
		}
		var page struct{ Rows []json.RawMessage }
		c.h.mustJSON(c.h.do(http.MethodGet, "/complaints", nil, own), http.StatusOK, &page)
		if len(page.Rows) != c.complaints {
			t.Errorf("complaints: %d, want %d", len(page.Rows), c.complaints)
		}
	}

	// The accounts are apart: a plant's at the group's sign-in, the
	// group's at a plant's, both refused.
	north.mustError(north.groupLogin("nina", pw), http.StatusUnauthorized, domain.EUnauthorized)
	north.mustError(north.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "dir", Password: pw}), http.StatusUnauthorized, domain.EUnauthorized)
}

// The group's sign-ins: refreshed, a reused refresh token revokes the
// sign-in, logout and a disabled account end the access token at once;
// bad parameters are refused naming them.
func TestGroupSessionsAndBadParameters(t *testing.T) {
	hs, group := groupOfPlants(t, "north")
	h := hs["north"]
	var first, second syncserver.GroupTokens
	h.mustJSON(h.groupLogin("dir", pw), http.StatusOK, &first)
	h.mustError(h.groupLogin("dir", "wrong password!"), http.StatusUnauthorized, domain.EUnauthorized)

	for param, field := range map[string]string{
		"from=yesterday":         "from",
		"to=2026-13-01":          "to",
		"plant=nowhere":          "plant",
		"recurrence_days=0":      "recurrence_days",
		"severity=awful":         "severity",
		"station=not%20a%20code": "station",
	} {
		for _, report := range []string{"indicators", "scorecards"} {
			eb := h.mustError(h.do(http.MethodGet, "/group/reports/"+report+"?"+param, nil, bearer(first.AccessToken)), http.StatusBadRequest, domain.EInvalid)
			if eb.Field != field {
				t.Errorf("%s ?%s: field %q (%s), want %q", report, param, eb.Field, eb.Message, field)
			}
		}
	}

	h.clock.Advance(time.Second)
	h.mustJSON(h.post("/group"+syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: first.RefreshToken}), http.StatusOK, &second)
	h.mustJSON(h.do(http.MethodGet, "/group/plants", nil, bearer(second.AccessToken)), http.StatusOK, nil)
	h.clock.Advance(time.Minute) // past the grace of a lost answer: a reuse
	h.mustError(h.post("/group"+syncproto.RouteRefresh, syncproto.RefreshRequest{RefreshToken: first.RefreshToken}), http.StatusUnauthorized, domain.EUnauthorized)
	h.mustError(h.do(http.MethodGet, "/group/plants", nil, bearer(second.AccessToken)), http.StatusUnauthorized, domain.EUnauthorized)

	var third syncserver.GroupTokens
	h.mustJSON(h.groupLogin("dir", pw), http.StatusOK, &third)
	h.mustJSON(h.post("/group"+syncproto.RouteLogout, syncproto.RefreshRequest{RefreshToken: third.RefreshToken}), http.StatusNoContent, nil)
	h.mustError(h.do(http.MethodGet, "/group/plants", nil, bearer(third.AccessToken)), http.StatusUnauthorized, domain.EUnauthorized)

	var fourth syncserver.GroupTokens
	h.mustJSON(h.groupLogin("dir", pw), http.StatusOK, &fourth)
	admin := syncserver.NewGroupAdmin(group, h.clock.Now)
	if err := admin.DisableUser(context.Background(), "dir"); err != nil {
		t.Fatal(err)
	}
	h.mustError(h.do(http.MethodGet, "/group/plants", nil, bearer(fourth.AccessToken)), http.StatusUnauthorized, domain.EUnauthorized)
	h.mustError(h.groupLogin("dir", pw), http.StatusUnauthorized, domain.EUnauthorized)
	if _, err := admin.AddUser(context.Background(), syncserver.NewGroupUser{Login: "dir", DisplayName: "again", Password: pw}); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("a second dir: %v, want conflict", err)
	}
	if err := admin.EnableUser(context.Background(), "nobody"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("enable nobody: %v, want not found", err)
	}

	// The hourly sweep forgets the group's sign-ins a day after they expire.
	families := func() int {
		var n int
		if err := group.ViewGroup(context.Background(), func(t syncserver.GroupTx) error {
			fams, err := t.RefreshFamiliesOf("dir")
			n = len(fams)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := families(); n != 3 {
		t.Fatalf("%d group sign-ins before the sweep, want 3", n)
	}
	h.clock.Advance(syncserver.DefaultRefreshTTL + 25*time.Hour)
	if _, err := h.srv.Sweep(); err != nil {
		t.Fatal(err)
	}
	if n := families(); n != 0 {
		t.Fatalf("%d group sign-ins after the sweep, want 0", n)
	}
}

// A group account's failed sign-ins are counted once for the group,
// wherever they are made: five wrong passwords spread over the north and
// south servers exhaust its limit at both (before, each plant's server
// allowed five of its own), and the right password is then refused too
// until the window passes. A plant user's sign-ins keep their own limit.
func TestGroupSignInsShareOneLimitAcrossPlants(t *testing.T) {
	hs, _ := groupOfPlants(t, "north", "south")
	north, south := hs["north"], hs["south"]
	for i := range 5 {
		h := north
		if i%2 == 1 {
			h = south
		}
		h.mustError(h.groupLogin("dir", "wrong password!"), http.StatusUnauthorized, domain.EUnauthorized)
	}
	for _, h := range []*harness{north, south} {
		res := h.groupLogin("dir", pw)
		if res.Header.Get("Retry-After") == "" {
			t.Errorf("a rate-limited group sign-in without Retry-After")
		}
		h.mustError(res, http.StatusTooManyRequests, domain.ERateLimited)
	}
	north.mustJSON(north.post(syncproto.RouteLogin, syncproto.LoginRequest{Login: "nina", Password: pw}), http.StatusOK, nil)

	north.clock.Advance(time.Minute)
	south.mustJSON(south.groupLogin("dir", pw), http.StatusOK, nil)
}
