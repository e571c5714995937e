package syncserver_test

import (
	"encoding/json"
	"testing"
	"time"

	"boucle/shared/domain"
)

// The server's own evaluation (at start, then hourly) reads the plant's
// states to measure effectiveness; it keeps no dataset for the reports
// unless reports are in use, or a large plant's dataset would sit in the
// heap above the server's soft memory limit while it serves pulls. Reports
// asked right after start, and after pushes, are still right.
func TestEvaluationKeepsNoDatasetUntilReportsAreAsked(t *testing.T) {
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
		evaluate := func() {
			t.Helper()
			if _, err := h.srv.EvaluateEffectiveness(h.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}

		evaluate() // what Run does at start
		if h.srv.ReportsCached() {
			t.Fatal("the evaluation at start kept the reports' dataset, and no report was asked for")
		}
		if got := filed(); got != 4 {
			t.Fatalf("first report after start: %d filed, want 4", got)
		}
		if !h.srv.ReportsCached() {
			t.Fatal("a report's dataset was not kept")
		}
		builds := h.srv.ReportBuilds()
		evaluate()
		if n := h.srv.ReportBuilds() - builds; n != 0 {
			t.Fatalf("with reports in use, the evaluation built %d datasets instead of using the cached one", n)
		}
		h.push(p.ws, h.event(p.ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "cmp-5", filing(5, "Burrs again")))
		evaluate() // patches the cached dataset, kept for the next report
		if !h.srv.ReportsCached() {
			t.Fatal("the evaluation dropped the reports' dataset in use")
		}
		if got := filed(); got != 5 {
			t.Fatalf("after a push: %d filed, want 5", got)
		}
		if n := h.srv.ReportBuilds() - builds; n != 1 {
			t.Fatalf("%d builds for one new state of the log, want 1", n)
		}
	})
}

// A dataset that no report has read for reportIdle (15 minutes, by Run's
// clock) is dropped: the next report reads the states again, and is right.
func TestIdleReportDatasetIsDropped(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		newReportPlant(t, h)
		mgr := bearer(h.login("mgr", nil).AccessToken)
		tick := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) // Run's clock: only the gaps matter
		warm := func(after time.Duration, wantCached bool) {
			t.Helper()
			tick = tick.Add(after)
			if err := h.srv.WarmReports(tick); err != nil {
				t.Fatal(err)
			}
			if got := h.srv.ReportsCached(); got != wantCached {
				t.Fatalf("at %s: dataset cached %v, want %v", tick.Format(time.TimeOnly), got, wantCached)
			}
		}
		h.getOK("/reports/indicators", mgr)
		warm(10*time.Second, true) // asked since the last tick
		warm(14*time.Minute, true)
		h.getOK("/reports/scorecards", mgr) // read again: the idle time starts over
		warm(10*time.Second, true)
		warm(14*time.Minute, true)
		warm(time.Minute, false) // 15 minutes unread
		var r struct{ Filed int }
		_, body := h.getOK("/reports/indicators", mgr)
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		if r.Filed != 4 || !h.srv.ReportsCached() {
			t.Fatalf("after the drop: %d filed, cached %v; want 4, true", r.Filed, h.srv.ReportsCached())
		}
	})
}
