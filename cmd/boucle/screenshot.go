package main

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/shell"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Screenshot mode, for scripts/screenshots.sh only. Three environment
// variables, all unset in normal use (then this file does nothing):
//
//	BOUCLE_TEST_CLOCK_AHEAD=<duration> run with the physical clock that far
//	    ahead (48h), to show the warning of a clock ahead of the server's
//	BOUCLE_TEST_LOGIN=login:password   sign this user in at start
//	BOUCLE_TEST_SCREEN=<what>          then open a screen:
//	    a menu screen id (report, mine, inbox, actions, plant, plans, admin, settings),
//	    report-form (the report form itself),
//	    complaint:<status>[:<tab or task>] (the newest complaint in that
//	    status, showing a tab such as timeline or a task such as acknowledge),
//	    complaint-note (the timeline of the newest complaint holding an
//	    internal note), complaint-mine, complaint-photo and
//	    complaint-action (see screenshot_detail.go), problem-complaint,
//	    problem, recurrences and problem-decided (see
//	    screenshot_problems.go),
//	    plan:<status> (the newest preventive plan in that status),
//	    plan-draft:<station> (a new plan's form, that supplier station picked),
//	    refused (files a complaint under the number of the station's newest
//	    one, syncs so that the server refuses it, and opens the refusals)
//
// They reach every screen deterministically without driving the mouse.
const (
	envTestClockAhead = "BOUCLE_TEST_CLOCK_AHEAD"
	envTestLogin      = "BOUCLE_TEST_LOGIN"
	envTestScreen     = "BOUCLE_TEST_SCREEN"
)

// testClock is the physical clock of screenshot mode: nil (time.Now) unless
// BOUCLE_TEST_CLOCK_AHEAD sets it ahead.
func testClock(log *slog.Logger) func() time.Time {
	v := os.Getenv(envTestClockAhead)
	if v == "" {
		return nil
	}
	ahead, err := time.ParseDuration(v)
	if err != nil {
		log.Error("screenshot mode: "+envTestClockAhead+" is not a duration", "value", v)
		return nil
	}
	log.Warn("screenshot mode: the clock runs ahead", "by", ahead)
	return func() time.Time { return time.Now().Add(ahead) }
}

// startScreenshotMode signs the test user in and opens the test screen.
// With buttons to press (press.go) it returns what to run, off the UI
// goroutine, once the app has started; nil otherwise.
func startScreenshotMode(sh *shell.Shell, w fyne.Window, ws *viewmodel.Workstation, log *slog.Logger) func() {
	login, password, ok := strings.Cut(os.Getenv(envTestLogin), ":")
	if !ok {
		return nil
	}
	log.Warn("screenshot mode: signing in from " + envTestLogin)
	sess, err := ws.SignIn(login, password)
	if err != nil {
		log.Error("screenshot mode: sign-in failed", "error", i18n.Error(err))
		return nil
	}
	sh.SignedIn(sess)
	steps := os.Getenv(envTestPress)
	if steps == "" {
		openTestScreen(sh, ws, os.Getenv(envTestScreen), log)
		return nil
	}
	// Pressing: open the screen once the first sync has brought the plant's
	// data (the screen's complaint must exist), then press.
	return func() {
		waitFirstSync(ws, log)
		fyne.DoAndWait(func() { openTestScreen(sh, ws, os.Getenv(envTestScreen), log) })
		pressSteps(w, sh.Top, sh.NavigateID, steps, log)
	}
}

// waitFirstSync waits for this run's first complete sync cycle, when the
// workstation is enrolled; an unreachable server is logged and not waited
// for longer than firstSyncWait.
func waitFirstSync(ws *viewmodel.Workstation, log *slog.Logger) {
	if !ws.Status().Enrolled {
		return
	}
	synced := make(chan struct{})
	var once sync.Once
	cancel := ws.Subscribe(func(s model.SyncStatus) {
		if !s.LastSuccess.IsZero() && !s.Syncing {
			once.Do(func() { close(synced) })
		}
	})
	defer cancel()
	if s := ws.Status(); !s.LastSuccess.IsZero() && !s.Syncing {
		return
	}
	deadline := time.After(firstSyncWait)
	select {
	case <-synced:
	case <-deadline:
		log.Error("test mode: no complete sync", "waited", firstSyncWait)
		return
	}
	waitFolded(ws, deadline, log)
}

// waitFolded waits until every logged event is folded. A first pull logs
// its pages and folds them at its end; an app stopped in between (each
// smoke step is a new run on the same data) leaves a backlog its next
// sync cycle folds, while the last success recorded makes the sync look
// complete: the screen's complaint would not be listed yet.
func waitFolded(ws *viewmodel.Workstation, deadline <-chan time.Time, log *slog.Logger) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		var backlog uint64
		_ = ws.Store().View(func(t *boltstore.Tx) error { backlog = t.Backlog(); return nil })
		if backlog == 0 {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			log.Error("test mode: events still to fold", "backlog", backlog)
			return
		}
	}
}

const firstSyncWait = 60 * time.Second

func openTestScreen(sh *shell.Shell, ws *viewmodel.Workstation, what string, log *slog.Logger) {
	kind, arg, _ := strings.Cut(what, ":")
	switch kind {
	case "":
	case "report-form":
		sh.OpenReportForm()
	case "complaint":
		status, show, _ := strings.Cut(arg, ":")
		if id := afterFirstPull(ws, func() string { return newestComplaint(ws, domain.ComplaintStatus(status)) }); id != "" {
			sh.OpenComplaintAt(id, show)
		} else {
			log.Error("screenshot mode: no complaint in status " + status)
		}
	case "complaint-note": // the newest complaint holding an internal note
		id := newestWithNote(ws)
		if id == "" { // a first run: the plant's complaints are not pulled yet
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			_ = ws.Syncer().SyncOnce(ctx)
			cancel()
			id = newestWithNote(ws)
		}
		if id != "" {
			sh.OpenComplaintAt(id, "timeline") // newest first: the note near the top
		} else {
			log.Error("screenshot mode: no complaint with an internal note")
		}
	case "report-draft": // screenshot_report.go, arg "known" or none
		openReportTestScreen(sh, ws, arg, log)
	case "complaint-mine", "complaint-photo", "complaint-action": // screenshot_detail.go
		openDetailTestScreen(sh, ws, kind, arg, log)
	case "problem-complaint", "problem", "recurrences", "problem-decided": // screenshot_problems.go
		openProblemTestScreen(sh, ws, kind, arg, log)
	case "plan":
		if sh.ShowID("plans") {
			if id := newestPlan(ws, domain.PlanStatus(arg)); id != "" {
				sh.OpenPlan(id)
			}
		}
	case "plan-draft": // the new plan's form, arg the supplier station picked
		if sh.ShowID("plans") {
			sh.OpenPlanDraft(arg)
		}
	case "refused":
		// In the background: the sync client reports through fyne.Do,
		// which needs the app running.
		go func() {
			if err := provokeRefusal(ws); err != nil {
				log.Error("screenshot mode: no refusal to show", "error", i18n.Error(err))
			}
			fyne.Do(func() { sh.OpenRefused() })
		}()
	default:
		if !sh.ShowID(kind) {
			log.Error("screenshot mode: no screen " + kind + " for this role")
		}
	}
}

func newestComplaint(ws *viewmodel.Workstation, status domain.ComplaintStatus) string {
	page, err := ws.Model().ListComplaints(model.ComplaintQuery{Statuses: []domain.ComplaintStatus{status}, PageSize: 1}, "")
	if err != nil || len(page.Rows) == 0 {
		return ""
	}
	return page.Rows[0].ID
}

func newestPlan(ws *viewmodel.Workstation, status domain.PlanStatus) string {
	var id string
	_ = ws.Store().View(func(t *boltstore.Tx) error {
		plans, err := t.Plans(status)
		if err == nil && len(plans) > 0 {
			id = plans[0].ID
		}
		return err
	})
	return id
}

// provokeRefusal files, as the signed-in user, a complaint under the number
// of their station's newest complaint and syncs: the server refuses it
// (complaint.number_taken), and the refusal is there to show.
func provokeRefusal(ws *viewmodel.Workstation) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := ws.Syncer().SyncOnce(ctx); err != nil { // the plant's complaints, on a first run
		return err
	}
	m := ws.Model()
	sess := m.Session()
	page, err := m.ListComplaints(model.ComplaintQuery{FilingStation: sess.Station, PageSize: 1}, "")
	if err != nil || len(page.Rows) == 0 {
		return orNoComplaint(err)
	}
	taken := page.Rows[0]
	_, err = m.Record(boltstore.Command{Type: domain.ComplaintFiled, Payload: &domain.ComplaintFiledPayload{Number: taken.Number,
		FilingStation: sess.Station, SupplierStation: taken.SupplierStation, PartRef: "BRK-2231", Lot: "L0815", Quantity: 12,
		Category: taken.Category, Severity: domain.SeverityMajor, Kind: domain.KindComplaint,
		Description: "Burrs on the inner edge of every part of the lot."}})
	if err != nil {
		return err
	}
	return ws.Syncer().SyncOnce(ctx)
}

func orNoComplaint(err error) error {
	if err != nil {
		return err
	}
	return domain.Errorf(domain.ENotFound, "no complaint filed at this station")
}

// newestWithNote finds the complaint filed last that holds an internal
// note (sealed: the screen opens it with the session's keys).
func newestWithNote(ws *viewmodel.Workstation) string {
	var id string
	var filed time.Time
	_ = ws.Store().View(func(t *boltstore.Tx) error {
		return t.ForEachState(domain.EntityComplaint, func(st *domain.State) {
			c := st.Complaint
			if c.FiledAt.After(filed) && slices.ContainsFunc(c.Messages, func(m domain.Message) bool { return m.Internal }) {
				id, filed = c.ID, c.FiledAt
			}
		})
	})
	return id
}
