package main

import (
	"log/slog"
	"time"

	"boucle/desktop/ui/dashboard"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/shell"
	"boucle/desktop/viewmodel"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The problems' screenshot targets (BOUCLE_TEST_SCREEN, issue 11):
//
//	problem-complaint[:<tab or task>]  the newest complaint that came back
//	    after prevention (else the newest recurrence), its problem panel in
//	    the overview
//	problem[:merge|split]  that complaint's problem page, with a dialog
//	recurrences  the list of the last 90 days' recurrences
//	problem-decided  the newest complaint an engineer placed in a problem
func openProblemTestScreen(sh *shell.Shell, ws *viewmodel.Workstation, kind, arg string, log *slog.Logger) {
	if kind == "problem-decided" {
		if id := afterFirstPull(ws, func() string { return newestDecided(ws) }); id != "" {
			sh.OpenComplaintAt(id, arg)
		} else {
			log.Error("screenshot mode: no complaint placed in a problem by an engineer")
		}
		return
	}
	row, ok := newestRecurrence(ws)
	switch {
	case kind == "recurrences":
		if sh.ShowID("dashboard") {
			q := model.DashboardQuery{Period: model.Last90Days}
			sh.OpenRecurrences(q, dashboard.PeriodPhrase(q))
		}
	case !ok:
		log.Error("screenshot mode: no recurrence to show")
	case kind == "problem-complaint":
		sh.OpenComplaintAt(row.ComplaintID, arg)
	case kind == "problem":
		sh.OpenProblemAt(row.Problem.ID, arg)
	}
}

// newestRecurrence is the newest recurrence after prevention of the last
// 90 days, else the newest recurrence (after the first pull, on a first
// run).
func newestRecurrence(ws *viewmodel.Workstation) (model.RecurrenceRow, bool) {
	var found model.RecurrenceRow
	id := afterFirstPull(ws, func() string {
		rows, err := ws.Model().Recurrences(model.DashboardQuery{Period: model.Last90Days})
		if err != nil || len(rows) == 0 {
			return ""
		}
		found = rows[0]
		for _, r := range rows {
			if r.AfterPrevention {
				found = r
				break
			}
		}
		return found.ComplaintID
	})
	return found, id != "" && found.Problem.ID != analytics.ProblemID("")
}

// newestDecided is the complaint filed last among those an engineer
// placed in a problem (the demo's corrected link).
func newestDecided(ws *viewmodel.Workstation) string {
	var id string
	var at time.Time
	_ = ws.Store().View(func(t *boltstore.Tx) error {
		return t.ForEachState(domain.EntityComplaint, func(s *domain.State) {
			if c := s.Complaint; c.Problem != "" && c.FiledAt.After(at) {
				id, at = c.ID, c.FiledAt
			}
		})
	})
	return id
}
