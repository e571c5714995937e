package syncserver_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"

	"github.com/xuri/excelize/v2"
)

// reportPlant is a small plant whose events reach the server both ways: a
// workstation pushes some (through the push route, logged and projected
// later), the server's store records the others. Starting at t0, the
// harness's clock:
//
//	t0       C1 pushed: PRESS2 → CUT1, dimensional, BRK-100 ("Burrs on the inner edge…")
//	         C1 acknowledged (pushed); preventive action prev-1 on C1, done at once
//	t0+1d    plan-1 (CUT1, surface) drafted, submitted, approved, started
//	t0+3d    C2 recorded: PRESS2 → CUT1, dimensional, BRK-100: recurs C1 after
//	         prevention, and proves prev-1 ineffective; C3: PAINT4 → PRESS2, surface
//	t0+8d    C4 pushed: PRESS2 → CUT1, dimensional, another burr; now
type reportPlant struct {
	t0     time.Time
	ws     *device
	c      [5]string // complaint ids, c[1]..c[4]
	number [5]string
}

func newReportPlant(t testing.TB, h *harness) *reportPlant {
	t.Helper()
	p := &reportPlant{t0: h.clock.Now(), ws: h.workstation("op1")}
	pushFiled := func(i int, desc string) {
		id := fmt.Sprintf("cmp-%d", i)
		f := filing(i, desc)
		e := h.event(p.ws, "op1", domain.RoleOperator, domain.ComplaintFiled, id, f)
		if r := h.push(p.ws, e).Results[0]; r.Result != "accepted" {
			t.Fatalf("push %s: %+v", id, r)
		}
		p.c[i], p.number[i] = id, f.Number
	}
	rec := func(login string, role domain.Role, typ domain.EventType, id string, pl domain.Payload) string {
		t.Helper()
		return h.record(boltstore.Actor{Login: login, Role: role}, boltstore.Command{Type: typ, EntityID: id, Payload: pl})[0]
	}
	eng := func(typ domain.EventType, id string, pl domain.Payload) string {
		return rec("eng1", domain.RoleEngineer, typ, id, pl)
	}

	pushFiled(1, "Burrs on the inner edge of the bracket")
	ack := h.event(p.ws, "eng1", domain.RoleEngineer, domain.ComplaintAcknowledged, p.c[1], &domain.AcknowledgePayload{Deadline: p.t0.Add(5 * 24 * time.Hour), Assignee: "eng1"})
	h.push(p.ws, ack)
	eng(domain.ActionAssigned, "prev-1", &domain.ActionAssignedPayload{Kind: domain.ActionPreventive, Title: "Deburr after cutting", Owner: "eng2", Due: p.t0.Add(72 * time.Hour), ComplaintID: p.c[1]})
	eng(domain.ActionCompleted, "prev-1", &domain.NotePayload{Note: "deburring station installed"})

	h.clock.Advance(24 * time.Hour)
	eng(domain.PlanDrafted, "plan-1", &domain.PlanContentPayload{Title: "Surface care at CUT1", SupplierStation: "CUT1", Categories: []string{"surface"}})
	eng(domain.PlanSubmitted, "plan-1", &domain.NotePayload{})
	rec("mgr", domain.RoleManager, domain.PlanApproved, "plan-1", &domain.SignOffPayload{Meaning: "approve", Comment: "go"})
	eng(domain.PlanStarted, "plan-1", &domain.NotePayload{})

	h.clock.Advance(48 * time.Hour)
	file := func(i int, filingSt, supplier, cat, desc string) {
		pl := &domain.ComplaintFiledPayload{FilingStation: filingSt, SupplierStation: supplier, PartRef: "BRK-100", Quantity: 3,
			Category: cat, Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: desc}
		p.c[i] = rec("op1", domain.RoleOperator, domain.ComplaintFiled, "", pl)
		p.number[i] = pl.Number
	}
	file(2, "PRESS2", "CUT1", "dimensional", "Burrs on the inner edge again, bracket rejected")
	file(3, "PAINT4", "PRESS2", "surface", "Paint drips on the flange")

	h.clock.Advance(5 * 24 * time.Hour)
	p.ws.tokens = h.login("op1", p.ws) // the first token expired days ago
	pushFiled(4, "Sharp burrs on the inner edge, operator cut")
	return p
}

func (p *reportPlant) day(n int) string { return p.t0.AddDate(0, 0, n).Format(time.DateOnly) }

// get sends an authenticated GET and returns the status, headers and body.
func (h *harness) get(route string, hd http.Header) (*http.Response, []byte) {
	h.t.Helper()
	res := h.do(http.MethodGet, route, nil, hd)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return res, body
}

func (h *harness) getOK(route string, hd http.Header) (*http.Response, []byte) {
	h.t.Helper()
	res, body := h.get(route, hd)
	if res.StatusCode != http.StatusOK {
		h.t.Fatalf("GET %s: %d %s", route, res.StatusCode, body)
	}
	return res, body
}

func TestReports(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		p := newReportPlant(t, h)
		mgr := bearer(h.login("mgr", nil).AccessToken)
		decode := func(t *testing.T, route string, v any) {
			t.Helper()
			_, body := h.getOK(route, mgr)
			if err := json.Unmarshal(body, v); err != nil {
				t.Fatalf("%s: %v: %s", route, err, body)
			}
		}

		t.Run("Indicators", func(t *testing.T) {
			var r struct {
				Filed, Countable int
				Recurrence       struct{ Num, Den int }
				Prevention       struct {
					Actions struct{ Ineffective int }
					Plans   struct{ Pending int }
				}
			}
			decode(t, "/reports/indicators", &r)
			if r.Filed != 4 || r.Countable != 4 || r.Recurrence.Num != 2 || r.Prevention.Actions.Ineffective != 1 || r.Prevention.Plans.Pending != 1 {
				t.Fatalf("indicators = %+v", r)
			}
			decode(t, "/reports/indicators?supplier_station=CUT1&from="+p.day(3), &r)
			if r.Filed != 2 {
				t.Fatalf("CUT1 from day 3: filed %d, want C2 and C4", r.Filed)
			}
		})
		t.Run("Scorecards", func(t *testing.T) {
			var r syncserver.ScorecardsReport
			decode(t, "/reports/scorecards", &r)
			var codes []string
			for _, c := range r.Scorecards {
				codes = append(codes, c.Station)
			}
			if !slices.Equal(codes, []string{"CUT1", "PAINT4", "PRESS2"}) || r.Scorecards[0].AsSupplier.Received != 3 || r.Scorecards[2].AsClient.Filed != 3 {
				t.Fatalf("scorecards = %+v", r.Scorecards)
			}
		})
		t.Run("Effectiveness", func(t *testing.T) {
			var r syncserver.EffectivenessReport
			decode(t, "/reports/effectiveness", &r)
			if len(r.Effectiveness) != 2 {
				t.Fatalf("effectiveness = %+v", r.Effectiveness)
			}
			a, pl := r.Effectiveness[0], r.Effectiveness[1]
			if a.ID != "prev-1" || a.Verdict != analytics.Ineffective || !slices.Equal(a.Evidence, []string{p.c[2], p.c[4]}) ||
				pl.ID != "plan-1" || pl.Verdict != analytics.Pending || pl.DaysLeft != 83 {
				t.Fatalf("effectiveness = %+v", r.Effectiveness)
			}
			decode(t, "/reports/effectiveness?evidence=1", &r)
			if a := r.Effectiveness[0]; !slices.Equal(a.Evidence, []string{p.c[2]}) || a.EvidenceCount != 2 {
				t.Fatalf("one piece of evidence: %+v", a)
			}
		})
		t.Run("Recurrences", func(t *testing.T) {
			var r struct {
				Total       int
				Recurrences []struct {
					ComplaintID     string `json:"complaint_id"`
					Of              string
					Gap             int64 `json:"gap_seconds"`
					AfterPrevention bool  `json:"after_prevention"`
				}
			}
			decode(t, "/reports/recurrences", &r)
			if r.Total != 2 || r.Recurrences[0].ComplaintID != p.c[2] || r.Recurrences[0].Of != p.c[1] || !r.Recurrences[0].AfterPrevention ||
				r.Recurrences[0].Gap < 3*24*3600 || r.Recurrences[0].Gap > 3*24*3600+60 {
				t.Fatalf("recurrences = %+v", r)
			}
			decode(t, "/reports/recurrences?limit=1&recurrence_days=4", &r)
			if r.Total != 1 || len(r.Recurrences) != 1 {
				t.Fatalf("with a 4-day window: %+v", r)
			}
		})
		t.Run("Themes", func(t *testing.T) {
			var r syncserver.ThemesReport
			decode(t, "/reports/themes?period=week&supplier_station=CUT1", &r)
			found := false
			for _, per := range r.Themes {
				for _, th := range per.Terms {
					found = found || th.Label == "Burrs" || th.Label == "burrs"
				}
			}
			if r.Period != analytics.Week || !found {
				t.Fatalf("themes = %+v", r)
			}
		})
		t.Run("Clusters", func(t *testing.T) {
			var r syncserver.ClustersReport
			decode(t, "/reports/clusters?threshold=0.3", &r)
			if len(r.Clusters) != 1 || !slices.Equal(r.Clusters[0].Complaints, []string{p.c[1], p.c[2], p.c[4]}) {
				t.Fatalf("clusters = %+v", r.Clusters)
			}
			decode(t, "/reports/clusters?threshold=0.3&supplier_station=PRESS2", &r)
			if len(r.Clusters) != 0 {
				t.Fatalf("clusters at PRESS2 = %+v", r.Clusters)
			}
		})
		t.Run("Similar", func(t *testing.T) {
			var r syncserver.SimilarReport
			decode(t, "/reports/similar?q="+url.QueryEscape("burrs on the inner edge")+"&supplier_station=CUT1&k=2", &r)
			if len(r.Matches) != 2 || r.Matches[0].ID != p.c[1] {
				t.Fatalf("similar = %+v", r.Matches)
			}
			decode(t, "/reports/similar?q=burrs&filing_station=PAINT4", &r)
			if len(r.Matches) != 0 {
				t.Fatalf("similar filed by PAINT4 = %+v", r.Matches)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for route, field := range map[string]string{
				"/reports/indicators?from=yesterday":                                  "from",
				"/reports/indicators?to=" + p.day(1) + "&from=" + p.day(2):            "to",
				"/reports/scorecards?severity=huge":                                   "severity",
				"/reports/scorecards?station=" + url.QueryEscape("no!"):               "station",
				"/reports/effectiveness?effectiveness_days=0":                         "effectiveness_days",
				"/reports/effectiveness?recurrence_days=x":                            "recurrence_days",
				"/reports/effectiveness?evidence=201":                                 "evidence",
				"/reports/recurrences?limit=0":                                        "limit",
				"/reports/recurrences?category=" + url.QueryEscape("A B"):             "category",
				"/reports/themes?period=year":                                         "period",
				"/reports/clusters?threshold=2":                                       "threshold",
				"/reports/clusters?same_supplier=maybe":                               "same_supplier",
				"/reports/similar?k=5":                                                "q",
				"/reports/similar?q=x&k=1000":                                         "k",
				"/reports/similar?q=x&filing_station=" + url.QueryEscape("é"):         "filing_station",
				"/reports/complaints.csv?lang=de":                                     "lang",
				"/reports/complaints.xlsx?supplier_station=" + url.QueryEscape("a b"): "supplier_station",
				"/reports/actions.csv?to=soon":                                        "to",
				"/reports/actions.xlsx?severity=low":                                  "severity",
				"/reports/monthly.pdf?month=2026-13":                                  "month",
				"/complaints/" + p.c[1] + "/8d.pdf?lang=xx":                           "lang",
			} {
				if eb := h.mustError(h.do(http.MethodGet, route, nil, mgr), http.StatusBadRequest, domain.EInvalid); eb.Field != field {
					t.Errorf("%s: field %q, want %q (%s)", route, eb.Field, field, eb.Message)
				}
			}
		})
		t.Run("ErrUnauthorized", func(t *testing.T) {
			for _, route := range []string{"/reports/indicators", "/reports/scorecards", "/reports/effectiveness", "/reports/recurrences",
				"/reports/themes", "/reports/clusters", "/reports/similar?q=x", "/reports/complaints.csv", "/reports/complaints.xlsx",
				"/reports/actions.csv", "/reports/actions.xlsx", "/reports/monthly.pdf", "/complaints/" + p.c[1] + "/8d.pdf"} {
				h.mustError(h.do(http.MethodGet, route, nil, nil), http.StatusUnauthorized, domain.EUnauthorized)
			}
		})
	})
}

// attachment checks the media type and that the file is sent as an
// attachment named with the given suffix.
func attachment(t *testing.T, res *http.Response, mediaType, suffix string) {
	t.Helper()
	if mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type")); err != nil || mt != mediaType {
		t.Errorf("Content-Type %q, want %s", res.Header.Get("Content-Type"), mediaType)
	}
	disp, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || !strings.HasSuffix(params["filename"], suffix) {
		t.Errorf("Content-Disposition %q, want an attachment named …%s", res.Header.Get("Content-Disposition"), suffix)
	}
}

func TestExports(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		p := newReportPlant(t, h)
		eng := bearer(h.login("eng1", nil).AccessToken)

		t.Run("ComplaintsCSV", func(t *testing.T) {
			res, body := h.getOK("/reports/complaints.csv?supplier_station=CUT1", eng)
			attachment(t, res, "text/csv", ".csv")
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 4 || rows[0][0] != "Number" || rows[0][1] != "Status" || rows[1][0] != p.number[1] || rows[3][0] != p.number[4] {
				t.Fatalf("rows = %q", rows)
			}
		})
		t.Run("ComplaintsCSVInFrench", func(t *testing.T) {
			hd := bearer(h.login("eng1", nil).AccessToken)
			hd.Set("Accept-Language", "de-DE,fr;q=0.8,en;q=0.5")
			_, body := h.getOK("/reports/complaints.csv", hd)
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
			r.Comma = ';'
			header, err := r.Read()
			if err != nil || header[0] != "Numéro" {
				t.Fatalf("header = %q, %v", header, err)
			}
		})
		t.Run("ActionsCSV", func(t *testing.T) {
			res, body := h.getOK("/reports/actions.csv?lang=en", eng)
			attachment(t, res, "text/csv", ".csv")
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0][0] != "Complaint" || rows[1][0] != p.number[1] {
				t.Fatalf("rows = %q", rows)
			}
		})
		xlsxRows := func(t *testing.T, route string) [][]string {
			t.Helper()
			res, body := h.getOK(route, eng)
			attachment(t, res, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(f.GetSheetName(0))
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		t.Run("ComplaintsXLSX", func(t *testing.T) {
			if rows := xlsxRows(t, "/reports/complaints.xlsx?lang=fr&station=PAINT4"); len(rows) != 2 || rows[0][0] != "Numéro" || rows[1][0] != p.number[3] {
				t.Fatalf("rows = %q", rows)
			}
		})
		t.Run("ActionsXLSX", func(t *testing.T) {
			if rows := xlsxRows(t, "/reports/actions.xlsx"); len(rows) != 2 || rows[1][0] != p.number[1] {
				t.Fatalf("rows = %q", rows)
			}
		})
		pdf := func(t *testing.T, route, suffix string, hd http.Header) []byte {
			t.Helper()
			res, body := h.getOK(route, hd)
			attachment(t, res, "application/pdf", suffix)
			if !bytes.HasPrefix(body, []byte("%PDF")) {
				t.Fatalf("%s does not start with %%PDF: %q", route, body[:min(len(body), 16)])
			}
			return body
		}
		t.Run("EightD", func(t *testing.T) {
			pdf(t, "/complaints/"+p.c[1]+"/8d.pdf", "8D-"+p.number[1]+".pdf", eng)
			pdf(t, "/complaints/"+p.number[2]+"/8d.pdf?lang=fr", "8D-"+p.number[2]+".pdf", bearer(h.login("op1", nil).AccessToken))
			h.mustError(h.do(http.MethodGet, "/complaints/nope/8d.pdf", nil, eng), http.StatusNotFound, domain.ENotFound)
		})
		t.Run("Monthly", func(t *testing.T) {
			month := p.t0.Format("2006-01")
			pdf(t, "/reports/monthly.pdf?month="+month+"&lang=fr", "monthly-"+month+".pdf", eng)
			pdf(t, "/reports/monthly.pdf?station=CUT1", ".pdf", eng)
		})
	})
}

// TestReportsAgreeWithAWorkstation: a workstation that pulled every event
// of the server computes, with analytics over its own store's states, the
// same figures as the server's report routes, byte for byte.
func TestReportsAgreeWithAWorkstation(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		// given a plant whose events reached the server pushed and recorded,
		// and the verdicts the server recorded itself
		h := on.harness(t)
		p := newReportPlant(t, h)
		investigate(t, h, p.c[2]) // settled evidence against prev-1
		if n, err := h.srv.EvaluateEffectiveness(h.clock.Now()); err != nil || n != 1 {
			t.Fatalf("evaluate: %d, %v", n, err)
		}
		h.getOK("/reports/indicators", bearer(h.login("mgr", nil).AccessToken)) // the comparison must see a rebuilt cache
		h.clock.Advance(30 * 24 * time.Hour)
		mgr := bearer(h.login("mgr", nil).AccessToken)
		h.record(boltstore.Actor{Login: "op1", Role: domain.RoleOperator}, boltstore.Command{Type: domain.ComplaintFiled,
			Payload: &domain.ComplaintFiledPayload{FilingStation: "PAINT4", SupplierStation: "CUT1", PartRef: "BRK-9", Quantity: 1, Category: "surface",
				Severity: domain.SeverityCritical, Kind: domain.KindComplaint, Description: "Rust on the cut edge"}})

		// when a fresh workstation store ingests every event pulled
		p.ws.tokens = h.login("op1", p.ws)
		events, _ := h.pullAll(p.ws, "")
		ws, err := boltstore.Open(filepath.Join(t.TempDir(), "ws.db"), boltstore.Options{Now: h.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		if _, err := ws.Ingest(events); err != nil {
			t.Fatal(err)
		}
		var states []*domain.State
		err = ws.View(func(tx *boltstore.Tx) error {
			for _, typ := range []domain.EntityType{domain.EntityComplaint, domain.EntityAction, domain.EntityPlan, domain.EntityStation, domain.EntityCategory} {
				if err := tx.ForEachState(typ, func(s *domain.State) { states = append(states, s) }); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ds := analytics.NewDataset(analytics.FromStates(states))
		if n := len(analytics.FromStates(states).Complaints); n != 5 {
			t.Fatalf("the workstation has %d complaints", n)
		}

		// then every report agrees, for every filter and setting
		utc := func(day string) time.Time { d, _ := time.Parse(time.DateOnly, day); return d }
		now := h.clock.Now()
		for _, tt := range []struct {
			query string
			f     analytics.Filter
			s     analytics.Settings
		}{
			{"", analytics.Filter{}, analytics.Settings{}},
			{"from=" + p.day(0) + "&to=" + p.day(3), analytics.Filter{From: utc(p.day(0)), To: utc(p.day(4))}, analytics.Settings{}},
			{"from=" + url.QueryEscape(p.t0.Add(time.Hour).Format(time.RFC3339)), analytics.Filter{From: p.t0.Add(time.Hour).Truncate(time.Second)}, analytics.Settings{}},
			{"supplier_station=CUT1&recurrence_days=2", analytics.Filter{SupplierStation: "CUT1"}, analytics.Settings{RecurrenceWindow: 2 * analytics.Day}},
			{"station=PRESS2&effectiveness_days=1", analytics.Filter{Station: "PRESS2"}, analytics.Settings{EffectivenessWindow: analytics.Day}},
			{"category=dimensional&severity=major", analytics.Filter{Category: "dimensional", Severity: domain.SeverityMajor}, analytics.Settings{}},
			{"filing_station=PAINT4&effectiveness_days=20", analytics.Filter{FilingStation: "PAINT4"}, analytics.Settings{EffectivenessWindow: 20 * analytics.Day}},
			{"supplier_station=NOPE", analytics.Filter{SupplierStation: "NOPE"}, analytics.Settings{}},
		} {
			t.Run(tt.query, func(t *testing.T) {
				s := tt.s
				s.Location = time.UTC
				for route, want := range map[string]any{
					"/reports/indicators": ds.Indicators(tt.f, s, now),
					"/reports/scorecards": syncserver.ScorecardsReport{Filter: tt.f, Settings: s, Now: now, Scorecards: ds.Scorecards(tt.f, s, now)},
					"/reports/effectiveness": syncserver.EffectivenessReport{Filter: tt.f, Settings: s, Now: now,
						Effectiveness: syncserver.TrimEvidence(ds.Effectiveness(tt.f, s, now), syncserver.DefaultEvidence)},
				} {
					local, err := json.Marshal(want)
					if err != nil {
						t.Fatal(err)
					}
					_, served := h.getOK(route+"?"+tt.query, mgr)
					if !bytes.Equal(served, local) {
						t.Errorf("%s?%s differs:\nserver:      %s\nworkstation: %s", route, tt.query, served, local)
					}
				}
			})
		}
	})
}

// The reports' dataset is built once per change of the log, and a report
// always sees every event logged before it was asked for, even while
// workstations push.
func TestReportCache(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		p := newReportPlant(t, h)
		mgr := bearer(h.login("mgr", nil).AccessToken)
		filed := func() int {
			t.Helper()
			var r struct{ Filed int }
			_, body := h.getOK("/reports/indicators", mgr)
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			return r.Filed
		}
		push := func(i int) {
			t.Helper()
			h.push(p.ws, h.event(p.ws, "op1", domain.RoleOperator, domain.ComplaintFiled, fmt.Sprintf("cmp-%d", i), filing(i, "Burrs again")))
		}

		before := h.srv.ReportBuilds()
		if filed() != 4 || filed() != 4 {
			t.Fatal("wrong count")
		}
		h.getOK("/reports/scorecards", mgr)
		h.getOK("/reports/similar?q=burrs", mgr)
		if n := h.srv.ReportBuilds() - before; n != 1 {
			t.Fatalf("%d builds for one state of the log", n)
		}
		push(5)
		if got := filed(); got != 5 {
			t.Fatalf("after a push: %d filed", got)
		}
		if n := h.srv.ReportBuilds() - before; n != 2 {
			t.Fatalf("%d builds for two states of the log", n)
		}

		t.Run("WhilePushing", func(t *testing.T) {
			stop := make(chan struct{})
			errs := make(chan error, 4)
			for range 4 {
				go func() {
					for {
						select {
						case <-stop:
							errs <- nil
							return
						default:
						}
						res := h.do(http.MethodGet, "/reports/indicators", nil, mgr)
						res.Body.Close()
						if res.StatusCode != http.StatusOK {
							errs <- fmt.Errorf("status %d", res.StatusCode)
							return
						}
					}
				}()
			}
			for i := 6; i < 26; i++ {
				push(i)
			}
			close(stop)
			for range 4 {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			if got := filed(); got != 25 {
				t.Fatalf("after the pushes: %d filed, want 25", got)
			}
		})
		t.Run("PatchedIsRebuilt", func(t *testing.T) {
			// the snapshot now served was patched, push after push; a snapshot
			// read whole from the store gives the same reports
			routes := []string{"/reports/indicators", "/reports/scorecards", "/reports/effectiveness", "/reports/recurrences",
				"/reports/themes", "/reports/clusters?threshold=0.2", "/reports/similar?q=burrs+edge&k=50"}
			patched := map[string][]byte{}
			for _, r := range routes {
				_, patched[r] = h.getOK(r, mgr)
			}
			h.srv.DropReports()
			for _, r := range routes {
				if _, whole := h.getOK(r, mgr); !bytes.Equal(whole, patched[r]) {
					t.Errorf("%s differs:\npatched: %s\nwhole:   %s", r, patched[r], whole)
				}
			}
		})
	})
}

// Run rebuilds the dataset off the request path once the log is quiet, at
// most once a minute, and only when reports are being asked for.
func TestReportCacheWarmsInTheBackground(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		newReportPlant(t, h)
		mgr := bearer(h.login("mgr", nil).AccessToken)
		record := func() {
			t.Helper()
			h.record(boltstore.Actor{Login: "eng1", Role: domain.RoleEngineer}, boltstore.Command{Type: domain.ComplaintMessagePosted,
				EntityID: "cmp-1", Payload: &domain.MessagePayload{Text: "any news?"}})
		}
		tick := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) // Run's clock: only the gaps matter
		warm := func(after time.Duration, wantBuilds int64) {
			t.Helper()
			tick = tick.Add(after)
			if err := h.srv.WarmReports(tick); err != nil {
				t.Fatal(err)
			}
			if got := h.srv.ReportBuilds(); got != wantBuilds {
				t.Fatalf("at %s: %d builds, want %d", tick.Format(time.TimeOnly), got, wantBuilds)
			}
		}
		warm(0, 0) // nobody asked for a report: nothing to keep warm
		h.getOK("/reports/indicators", mgr)
		record()
		warm(10*time.Second, 1) // the log just changed: wait for it to be quiet
		warm(10*time.Second, 2) // quiet for a tick: rebuilt
		h.getOK("/reports/indicators", mgr)
		if got := h.srv.ReportBuilds(); got != 2 {
			t.Fatalf("the request rebuilt a warm dataset (%d builds)", got)
		}
		record()
		warm(10*time.Second, 2)
		warm(10*time.Second, 2) // quiet, but rebuilt less than a minute ago
		warm(time.Minute, 3)
		record()
		warm(time.Minute, 3)
		warm(time.Minute, 3) // quiet, but no report was asked for since the last build
	})
}
