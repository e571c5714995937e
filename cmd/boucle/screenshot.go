package main

import (
	"log/slog"
	"os"
	"strings"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/shell"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Screenshot mode, for scripts/screenshots.sh only. Two environment
// variables, both unset in normal use (then this file does nothing):
//
//	BOUCLE_TEST_LOGIN=login:password   sign this user in at start
//	BOUCLE_TEST_SCREEN=<what>          then open a screen:
//	    a menu screen id (report, mine, inbox, actions, plant, plans, settings),
//	    report-form (the report form itself),
//	    complaint:<status>[:<tab or task>] (the newest complaint in that
//	    status, showing a tab such as timeline or a task such as acknowledge),
//	    plan:<status> (the newest preventive plan in that status)
//
// They reach every screen deterministically without driving the mouse.
const (
	envTestLogin  = "BOUCLE_TEST_LOGIN"
	envTestScreen = "BOUCLE_TEST_SCREEN"
)

func startScreenshotMode(sh *shell.Shell, ws *viewmodel.Workstation, log *slog.Logger) {
	login, password, ok := strings.Cut(os.Getenv(envTestLogin), ":")
	if !ok {
		return
	}
	log.Warn("screenshot mode: signing in from " + envTestLogin)
	sess, err := ws.SignIn(login, password)
	if err != nil {
		log.Error("screenshot mode: sign-in failed", "error", i18n.Error(err))
		return
	}
	sh.SignedIn(sess)
	openTestScreen(sh, ws, os.Getenv(envTestScreen), log)
}

func openTestScreen(sh *shell.Shell, ws *viewmodel.Workstation, what string, log *slog.Logger) {
	kind, arg, _ := strings.Cut(what, ":")
	switch kind {
	case "":
	case "report-form":
		sh.OpenReportForm()
	case "complaint":
		status, show, _ := strings.Cut(arg, ":")
		if id := newestComplaint(ws, domain.ComplaintStatus(status)); id != "" {
			sh.OpenComplaintAt(id, show)
		} else {
			log.Error("screenshot mode: no complaint in status " + status)
		}
	case "plan":
		if sh.ShowID("plans") {
			if id := newestPlan(ws, domain.PlanStatus(arg)); id != "" {
				sh.OpenPlan(id)
			}
		}
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
