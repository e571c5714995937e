package main

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/shell"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The complaint page's screenshot targets (BOUCLE_TEST_SCREEN):
//
//	complaint-mine:<status>[:<tab or task>]  the newest complaint in that
//	    status filed by the signed-in user (withdraw is theirs only)
//	complaint-photo[:<tab>]  the newest complaint holding a photo
//	complaint-action:<task>  the complaint of the newest pending action,
//	    showing a task on it (reschedule-action, cancel-action)
func openDetailTestScreen(sh *shell.Shell, ws *viewmodel.Workstation, kind, arg string, log *slog.Logger) {
	switch kind {
	case "complaint-action":
		if id := afterFirstPull(ws, func() string { return newestWithPendingAction(ws) }); id != "" {
			sh.OpenComplaintAt(id, arg)
		} else {
			log.Error("screenshot mode: no complaint with a pending action")
		}
	case "complaint-mine":
		status, show, _ := strings.Cut(arg, ":")
		login := ws.Model().Session().Login
		if id := afterFirstPull(ws, func() string { return newestFiledBy(ws, login, domain.ComplaintStatus(status)) }); id != "" {
			sh.OpenComplaintAt(id, show)
		} else {
			log.Error("screenshot mode: no complaint of " + login + " in status " + status)
		}
	case "complaint-photo":
		if id := afterFirstPull(ws, func() string { return newestWithPhoto(ws) }); id != "" {
			sh.OpenComplaintAt(id, arg)
		} else {
			log.Error("screenshot mode: no complaint with a photo")
		}
	}
}

// afterFirstPull runs find, and once more after a sync when it finds
// nothing: on a first run the plant's complaints are not pulled yet.
func afterFirstPull(ws *viewmodel.Workstation, find func() string) string {
	if id := find(); id != "" {
		return id
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_ = ws.Syncer().SyncOnce(ctx)
	return find()
}

func newestFiledBy(ws *viewmodel.Workstation, login string, status domain.ComplaintStatus) string {
	page, err := ws.Model().ListComplaints(model.ComplaintQuery{Statuses: []domain.ComplaintStatus{status}, FiledBy: login, PageSize: 1}, "")
	if err != nil || len(page.Rows) == 0 {
		return ""
	}
	return page.Rows[0].ID
}

// newestWithPhoto finds the complaint filed last with a picture attached.
func newestWithPhoto(ws *viewmodel.Workstation) string {
	var id string
	var filed time.Time
	_ = ws.Store().View(func(t *boltstore.Tx) error {
		return t.ForEachState(domain.EntityComplaint, func(st *domain.State) {
			c := st.Complaint
			if c.FiledAt.After(filed) && slices.ContainsFunc(c.Attachments, func(a domain.Attachment) bool { return strings.HasPrefix(a.MediaType, "image/") }) {
				id, filed = c.ID, c.FiledAt
			}
		})
	})
	return id
}

// newestWithPendingAction finds the complaint of the action assigned last
// that someone still has to carry out.
func newestWithPendingAction(ws *viewmodel.Workstation) string {
	var id string
	var assigned time.Time
	_ = ws.Store().View(func(t *boltstore.Tx) error {
		return t.ForEachState(domain.EntityAction, func(st *domain.State) {
			a := st.Action
			if a != nil && a.ComplaintID != "" && a.Status.Pending() && a.AssignedAt.After(assigned) {
				id, assigned = a.ComplaintID, a.AssignedAt
			}
		})
	})
	return id
}
