package syncserver_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"

	"github.com/gin-gonic/gin"
)

func TestBlobs(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		data := []byte("JPEG bytes of a scratched bracket")
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		auth := ws.headers(true)
		t.Run("OK", func(t *testing.T) {
			for range 2 { // storing the same bytes again is harmless
				res := h.do(http.MethodPut, "/blobs/"+sha, data, auth)
				res.Body.Close()
				if res.StatusCode != http.StatusNoContent {
					t.Fatalf("put: %d", res.StatusCode)
				}
			}
			res := h.do(http.MethodGet, "/blobs/"+sha, nil, bearer(h.login("mgr", nil).AccessToken))
			defer res.Body.Close()
			got, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK || !bytes.Equal(got, data) || res.Header.Get("ETag") != `"`+sha+`"` {
				t.Fatalf("get: %d %q", res.StatusCode, got)
			}
			head := h.do(http.MethodHead, "/blobs/"+sha, nil, auth)
			head.Body.Close()
			if head.StatusCode != http.StatusOK {
				t.Fatalf("head: %d", head.StatusCode)
			}
		})
		missing := strings.Repeat("ab", 32)
		t.Run("ErrNotFound", func(t *testing.T) {
			h.mustError(h.do(http.MethodGet, "/blobs/"+missing, nil, auth), http.StatusNotFound, domain.ENotFound)
			head := h.do(http.MethodHead, "/blobs/"+missing, nil, auth)
			head.Body.Close()
			if head.StatusCode != http.StatusNotFound {
				t.Fatalf("head: %d", head.StatusCode)
			}
		})
		t.Run("ErrHashMismatch", func(t *testing.T) {
			h.mustError(h.do(http.MethodPut, "/blobs/"+missing, data, auth), http.StatusBadRequest, domain.EInvalid)
		})
		t.Run("ErrBadName", func(t *testing.T) {
			h.mustError(h.do(http.MethodPut, "/blobs/"+strings.ToUpper(sha), data, auth), http.StatusBadRequest, domain.EInvalid)
			h.mustError(h.do(http.MethodGet, "/blobs/nope", nil, auth), http.StatusBadRequest, domain.EInvalid)
		})
		t.Run("ErrTooLarge", func(t *testing.T) {
			big := make([]byte, domain.MaxAttachmentBytes+1)
			sum := sha256.Sum256(big)
			h.mustError(h.do(http.MethodPut, "/blobs/"+hex.EncodeToString(sum[:]), big, auth), http.StatusRequestEntityTooLarge, domain.ETooLarge)
		})
		t.Run("ErrUnauthorized", func(t *testing.T) {
			h.mustError(h.do(http.MethodPut, "/blobs/"+sha, data, nil), http.StatusUnauthorized, domain.EUnauthorized)
			h.mustError(h.do(http.MethodGet, "/blobs/"+sha, nil, nil), http.StatusUnauthorized, domain.EUnauthorized)
		})
	})
}

// plant records a few complaints at the server, through the store, as
// workstations would have pushed them, and returns their ids in filing
// order.
func plant(t *testing.T, h *harness) []string {
	t.Helper()
	op := boltstore.Actor{Login: "op1", Role: domain.RoleOperator}
	eng := boltstore.Actor{Login: "eng1", Role: domain.RoleEngineer}
	var ids []string
	file := func(filingSt, supplier, desc string) string {
		p := &domain.ComplaintFiledPayload{FilingStation: filingSt, SupplierStation: supplier, PartRef: "BRK-1", Quantity: 3,
			Category: "surface", Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: desc}
		id := h.record(op, boltstore.Command{Type: domain.ComplaintFiled, Payload: p})[0]
		h.clock.Advance(24 * time.Hour)
		return id
	}
	rec := func(a boltstore.Actor, typ domain.EventType, id string, p domain.Payload) {
		h.record(a, boltstore.Command{Type: typ, EntityID: id, Payload: p})
	}
	ids = append(ids, file("PRESS2", "CUT1", "Rayure profonde sur la face A"))
	ids = append(ids, file("PAINT4", "PRESS2", "Paint drips on the flange"))
	ids = append(ids, file("PRESS2", "CUT1", "Burrs on the inner edge"))
	rec(eng, domain.ComplaintAcknowledged, ids[0], &domain.AcknowledgePayload{Deadline: h.clock.Now().Add(-time.Hour), Assignee: "eng1"})
	rec(eng, domain.ComplaintMessagePosted, ids[0], h.sealed(ids[0], "supplier is sloppy again"))
	rec(eng, domain.ComplaintMessagePosted, ids[0], &domain.MessagePayload{Text: "we are sorting the lot"})
	rec(eng, domain.ActionAssigned, "act-1", &domain.ActionAssignedPayload{Kind: domain.ActionContainment, Title: "Sort the lot", Owner: "eng2", Due: h.clock.Now().Add(-time.Hour), ComplaintID: ids[0]})
	rec(eng, domain.ComplaintActionLinked, ids[0], &domain.LinkActionPayload{ActionID: "act-1", Kind: domain.ActionContainment, Title: "Sort the lot"})
	rec(eng, domain.ActionAssigned, "act-2", &domain.ActionAssignedPayload{Kind: domain.ActionCorrective, Title: "Fix the mask", Owner: "eng1", Due: h.clock.Now().Add(72 * time.Hour), ComplaintID: ids[1]})
	rec(eng, domain.ActionCompleted, "act-2", &domain.NotePayload{Note: "done"})
	rec(eng, domain.PlanDrafted, "plan-1", &domain.PlanContentPayload{Title: "Edge quality at CUT1", SupplierStation: "CUT1", Categories: []string{"surface"}})
	return ids
}

func TestComplaintViews(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ids := plant(t, h)
		mgr := bearer(h.login("mgr", nil).AccessToken)
		list := func(q string) []string {
			t.Helper()
			var page boltstore.ComplaintPage
			h.mustJSON(h.do(http.MethodGet, "/complaints"+q, nil, mgr), http.StatusOK, &page)
			var out []string
			for _, r := range page.Rows {
				out = append(out, r.ID)
			}
			return out
		}
		cases := map[string][]string{
			"":                                {ids[2], ids[1], ids[0]},
			"?station=PRESS2":                 {ids[2], ids[1], ids[0]},
			"?station=CUT1":                   {ids[2], ids[0]},
			"?supplier_station=PRESS2":        {ids[1]},
			"?filing_station=PRESS2":          {ids[2], ids[0]},
			"?status=acknowledged&status=new": {ids[2], ids[1], ids[0]},
			"?status=acknowledged":            {ids[0]},
			"?status=new&status=new":          {ids[2], ids[1]}, // once each, on both stores
			"?assignee=eng1":                  {ids[0]},
			"?overdue=true":                   {ids[0]},
			"?q=rayure":                       {ids[0]},
			"?q=paint+drips&station=PAINT4":   {ids[1]},
			"?from=" + day(h, -2) + "&to=" + day(h, -2): {ids[1]},
			"?from=" + day(h, -2):                       {ids[2], ids[1]},
			"?to=" + day(h, -3):                         {ids[0]},
		}
		for q, want := range cases {
			t.Run(q, func(t *testing.T) {
				if got := list(q); !slices.Equal(got, want) {
					t.Fatalf("got %v, want %v", got, want)
				}
			})
		}
		t.Run("Pages", func(t *testing.T) {
			var page boltstore.ComplaintPage
			h.mustJSON(h.do(http.MethodGet, "/complaints?limit=2&station=PRESS2", nil, mgr), http.StatusOK, &page)
			if len(page.Rows) != 2 || page.Next == "" {
				t.Fatalf("first page: %d rows, next %q", len(page.Rows), page.Next)
			}
			if got := list("?limit=2&station=PRESS2&cursor=" + page.Next); !slices.Equal(got, []string{ids[0]}) {
				t.Fatalf("second page = %v", got)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, q := range []string{"?status=lost", "?overdue=maybe", "?from=yesterday", "?limit=501", "?cursor=zz", "?severity=huge"} {
				h.mustError(h.do(http.MethodGet, "/complaints"+q, nil, mgr), http.StatusBadRequest, domain.EInvalid)
			}
		})
		t.Run("ErrUnauthorized", func(t *testing.T) {
			h.mustError(h.do(http.MethodGet, "/complaints", nil, nil), http.StatusUnauthorized, domain.EUnauthorized)
		})
	})
}

// day returns the date n days from the harness's now.
func day(h *harness, n int) string { return h.clock.Now().AddDate(0, 0, n).Format(time.DateOnly) }

func TestComplaintDetail(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ids := plant(t, h)
		var d syncserver.ComplaintDetail
		h.mustJSON(h.do(http.MethodGet, "/complaints/"+ids[0], nil, bearer(h.login("eng2", nil).AccessToken)), http.StatusOK, &d)
		if d.Complaint.ID != ids[0] || len(d.Actions) != 1 || d.Actions[0].ID != "act-1" || len(d.Timeline) != 6 || len(d.Complaint.Messages) != 2 {
			t.Fatalf("detail: complaint %s, %d actions, %d timeline entries, %d messages", d.Complaint.ID, len(d.Actions), len(d.Timeline), len(d.Complaint.Messages))
		}
		t.Run("ByNumber", func(t *testing.T) {
			var byNumber syncserver.ComplaintDetail
			h.mustJSON(h.do(http.MethodGet, "/complaints/"+d.Complaint.Number, nil, bearer(h.login("eng2", nil).AccessToken)), http.StatusOK, &byNumber)
			if byNumber.Complaint.ID != ids[0] {
				t.Fatalf("by number: %s", byNumber.Complaint.ID)
			}
		})
		t.Run("OperatorsDoNotSeeInternalNotes", func(t *testing.T) {
			var od syncserver.ComplaintDetail
			h.mustJSON(h.do(http.MethodGet, "/complaints/"+ids[0], nil, bearer(h.login("op1", nil).AccessToken)), http.StatusOK, &od)
			if len(od.Complaint.Messages) != 1 || od.Complaint.Messages[0].Internal || len(od.Timeline) != 5 {
				t.Fatalf("operator sees %d messages, %d timeline entries", len(od.Complaint.Messages), len(od.Timeline))
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			h.mustError(h.do(http.MethodGet, "/complaints/nope", nil, bearer(h.login("mgr", nil).AccessToken)), http.StatusNotFound, domain.ENotFound)
			h.mustError(h.do(http.MethodGet, "/complaints/CUT1-2026-9999", nil, bearer(h.login("mgr", nil).AccessToken)), http.StatusNotFound, domain.ENotFound)
		})
	})
}

func TestActionAndPlanViews(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		plant(t, h)
		mgr := bearer(h.login("mgr", nil).AccessToken)
		actions := func(q string) []string {
			t.Helper()
			var page boltstore.ActionPage
			h.mustJSON(h.do(http.MethodGet, "/actions"+q, nil, mgr), http.StatusOK, &page)
			var out []string
			for _, a := range page.Actions {
				out = append(out, a.ID)
			}
			return out
		}
		for q, want := range map[string][]string{
			"":                          {"act-1", "act-2"},
			"?status=done":              {"act-2"},
			"?status=open,in_progress":  {"act-1"},
			"?overdue=1":                {"act-1"},
			"?owner=eng1":               {"act-2"},
			"?kind=containment":         {"act-1"},
			"?station=CUT1":             {"act-1"},
			"?station=PRESS2":           {"act-2"},
			"?due_from=" + day(h, 1):    {"act-2"},
			"?due_to=" + day(h, 0):      {"act-1"},
			"?complaint=nope":           nil,
			"?limit=1&status=open,done": {"act-1"},
		} {
			t.Run(q, func(t *testing.T) {
				if got := actions(q); !slices.Equal(got, want) {
					t.Fatalf("got %v, want %v", got, want)
				}
			})
		}
		h.mustError(h.do(http.MethodGet, "/actions?kind=magic", nil, mgr), http.StatusBadRequest, domain.EInvalid)

		var plans struct{ Plans []domain.Plan }
		h.mustJSON(h.do(http.MethodGet, "/plans?status=draft&station=CUT1", nil, mgr), http.StatusOK, &plans)
		if len(plans.Plans) != 1 || plans.Plans[0].ID != "plan-1" {
			t.Fatalf("plans = %+v", plans)
		}
		h.mustJSON(h.do(http.MethodGet, "/plans?station=PAINT4", nil, mgr), http.StatusOK, &plans)
		if len(plans.Plans) != 0 {
			t.Fatalf("plans at PAINT4 = %+v", plans)
		}
		h.mustError(h.do(http.MethodGet, "/plans?status=someday", nil, mgr), http.StatusBadRequest, domain.EInvalid)
	})
}

func TestReferenceViews(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		auth := bearer(h.login("op1", nil).AccessToken)
		get := func(route string) map[string][]map[string]any {
			var v map[string][]map[string]any
			h.mustJSON(h.do(http.MethodGet, route, nil, auth), http.StatusOK, &v)
			return v
		}
		if s := get("/stations")["stations"]; len(s) != 3 || s[0]["code"] != "CUT1" {
			t.Fatalf("stations = %v", s)
		}
		users := get("/users")["users"]
		if len(users) != 5 {
			t.Fatalf("users = %v", users)
		}
		raw, _ := json.Marshal(users)
		if strings.Contains(string(raw), "argon2") || strings.Contains(string(raw), "hash") {
			t.Fatal("the directory shows secrets")
		}
		if c := get("/categories")["categories"]; len(c) != len(domain.DefaultCategories) {
			t.Fatalf("categories = %v", c)
		}
		if s := get("/severities")["severities"]; len(s) != 3 {
			t.Fatalf("severities = %v", s)
		}
	})
}

func TestOpsRoutes(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		h.mustJSON(h.do(http.MethodGet, "/healthz", nil, nil), http.StatusOK, nil)
		if m := metrics(t, h); !strings.Contains(m, "boucle_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\"") ||
			!strings.Contains(m, "boucle_sync_pulled_events_total") {
			t.Fatalf("metrics lack the request histogram:\n%s", m)
		}
		h.mustError(h.do(http.MethodGet, "/no/such/route", nil, nil), http.StatusNotFound, domain.ENotFound)
		var doc map[string]any
		h.mustJSON(h.do(http.MethodGet, "/openapi.json", nil, nil), http.StatusOK, &doc)
		if doc["openapi"] != "3.0.3" {
			t.Fatalf("openapi = %v", doc["openapi"])
		}
	})
}

// Every route of the router is in the OpenAPI document, and every
// operation of the document is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err := json.Unmarshal(syncserver.OpenAPI(), &doc); err != nil {
			t.Fatal(err)
		}
		documented := map[string]bool{}
		for path, ops := range doc.Paths {
			for method := range ops {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
		routed := map[string]bool{}
		for _, r := range h.srv.Handler().(*gin.Engine).Routes() {
			path := r.Path
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, ":") {
					path = strings.Replace(path, seg, "{"+seg[1:]+"}", 1)
				}
			}
			routed[r.Method+" "+path] = true
			if !documented[r.Method+" "+path] {
				t.Errorf("route %s %s is not in the OpenAPI document", r.Method, path)
			}
		}
		for op := range documented {
			if !routed[op] {
				t.Errorf("the OpenAPI document has %s, which is no route", op)
			}
		}
		if len(routed) < 20 {
			t.Fatalf("only %d routes", len(routed))
		}
	})
}

// bbolt only: the admin socket is in the data directory of a bbolt
// server; commands open a PostgreSQL plant's database themselves.
func TestAdminSocket(t *testing.T) {
	h := newHarness(t)
	if _, err := syncserver.ServeAdmin(t.Context(), h.dir, h.admin, nil); err != nil {
		t.Fatal(err)
	}
	c, err := syncserver.DialAdmin(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := c.AddUser(t.Context(), syncserver.NewUser{Login: "op2", DisplayName: "Paul", Role: domain.RoleOperator, Station: "CUT1"})
	if err != nil || len(creds.Password) != 19 {
		t.Fatalf("add user = %+v, %v", creds, err)
	}
	h.mustJSON(h.post("/auth/login", map[string]string{"login": "op2", "password": creds.Password}), http.StatusOK, nil)
	if _, err := c.AddUser(t.Context(), syncserver.NewUser{Login: "op2", DisplayName: "Paul", Role: domain.RoleOperator}); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("second add: %v", err)
	}
	if _, err := c.AddUser(t.Context(), syncserver.NewUser{Login: "op3", DisplayName: "P", Role: domain.RoleOperator, Password: "short"}); domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("short password: %v", err)
	}
	if _, err := c.AddUser(t.Context(), syncserver.NewUser{Login: "system", DisplayName: "S", Role: domain.RoleAdmin}); domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("reserved login: %v", err)
	}
	users, err := c.Users(t.Context())
	if err != nil || len(users) != 6 || !users[0].HasPassword {
		t.Fatalf("users = %+v, %v", users, err)
	}
	if err := c.AddStation(t.Context(), "WELD3", "Welding 3"); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.Stations(t.Context()); len(st) != 4 {
		t.Fatalf("stations = %+v", st)
	}
	if en, err := c.EnrolDevice(t.Context(), "", time.Hour); err != nil || len(en.Code) != 14 {
		t.Fatalf("enrolment = %+v, %v", en, err)
	}
	if err := c.DisableUser(t.Context(), "nobody", ""); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("disable nobody: %v", err)
	}
	if _, err := c.Backup(t.Context(), t.TempDir()+"/b.db"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ResetPassword(t.Context(), "op2", ""); err != nil {
		t.Fatal(err)
	}
	h.mustError(h.post("/auth/login", map[string]string{"login": "op2", "password": creds.Password}), http.StatusUnauthorized, domain.EUnauthorized)
}

// Every route but the public ones needs an access token. The group's
// routes, on a bbolt store (one plant, no group), answer not_found with
// their rule, whatever the token (group_pg_test.go tries them on a group).
func TestEveryPrivateRouteNeedsAToken(t *testing.T) {
	h := newHarness(t)
	public := map[string]bool{"/healthz": true, "/metrics": true, "/api/v1/openapi.json": true, "/api/v1/auth/login": true,
		"/api/v1/auth/refresh": true, "/api/v1/auth/logout": true, "/api/v1/devices/enrol": true}
	groups := 0
	for _, r := range h.srv.Handler().(*gin.Engine).Routes() {
		if public[r.Path] {
			continue
		}
		path := strings.Replace(strings.Replace(r.Path, ":sha256", strings.Repeat("0", 64), 1), ":id", "x", 1)
		res := h.do(r.Method, strings.TrimPrefix(path, syncproto.Prefix), nil, bearer("nope"))
		if strings.HasPrefix(r.Path, "/api/v1/group/") {
			groups++
			if eb := h.mustError(res, http.StatusNotFound, domain.ENotFound); eb.Rule != "group.single_plant" {
				t.Errorf("%s %s on bbolt: rule %q, want group.single_plant", r.Method, r.Path, eb.Rule)
			}
			continue
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without a valid token: %d", r.Method, r.Path, res.StatusCode)
		}
	}
	if groups != 6 {
		t.Errorf("%d group routes tried, want 6", groups)
	}
}

// An internal error answers a generic message; the details go to the log.
// bbolt only: a PostgreSQL store that fails answers 503 unavailable
// (unavailable_test.go).
func TestInternalErrorsAreLoggedNotShown(t *testing.T) {
	h := newHarness(t)
	h.store.Close() // the store fails every transaction from now on
	eb := h.mustError(h.do(http.MethodGet, "/healthz", nil, nil), http.StatusInternalServerError, domain.EInternal)
	if eb.Message != "internal error" {
		t.Fatalf("message = %q", eb.Message)
	}
	if log := h.logBuf.String(); !strings.Contains(log, "request failed") || !strings.Contains(log, "database not open") {
		t.Fatalf("log = %s", log)
	}
}
