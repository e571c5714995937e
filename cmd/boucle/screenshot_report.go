package main

import (
	"log/slog"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/shell"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The filing form's screenshot target (BOUCLE_TEST_SCREEN):
//
//	report-draft  the report form with a draft restored: a complaint half
//	    typed by the signed-in user (a photo chosen, no description yet),
//	    kept from an earlier visit. With BOUCLE_TEST_PRESS=menu:mine the
//	    form is left, and asks whether to keep the draft.
//	report-draft:known  the same, the draft written like the complaint of
//	    the newest recurrence (newestRecurrence): the form proposes its
//	    problem ("Looks like a known problem").
func openReportTestScreen(sh *shell.Shell, ws *viewmodel.Workstation, arg string, log *slog.Logger) {
	draft := halfTyped
	if arg == "known" {
		draft = likeNewestRecurrence(ws, log)
	}
	if _, err := ws.Model().SaveReportDraft(draft); err != nil {
		log.Error("screenshot mode: no draft to restore", "error", i18n.Error(err))
	}
	if !sh.OpenReportForm() {
		log.Error("screenshot mode: no report form for this role")
	}
}

// halfTyped is a complaint half typed: a photo chosen, no description yet.
var halfTyped = model.ReportDraft{SupplierStation: "CUT1", PartRef: "BRK-2231", Lot: "L0815", Quantity: "12",
	Category: "surface", Severity: domain.SeverityMajor, Kind: domain.KindComplaint,
	Files: []model.File{{Name: "bavure-BRK-2231.jpg", Data: screenshotPhoto}}}

// likeNewestRecurrence is a draft with the station, part, category and
// description of the newest recurrence's complaint.
func likeNewestRecurrence(ws *viewmodel.Workstation, log *slog.Logger) model.ReportDraft {
	row, ok := newestRecurrence(ws)
	if d, found := draftLike(ws.Store(), row.ComplaintID); ok && found {
		return d
	}
	log.Error("screenshot mode: no recurrence to write like")
	return halfTyped
}

// draftLike is a draft written like the complaint id.
func draftLike(s *boltstore.Store, id string) (model.ReportDraft, bool) {
	var c *domain.Complaint
	_ = s.View(func(t *boltstore.Tx) error {
		if st, err := t.Complaint(id); err == nil {
			c = st.Complaint
		}
		return nil
	})
	if c == nil {
		return model.ReportDraft{}, false
	}
	return model.ReportDraft{SupplierStation: c.SupplierStation, PartRef: c.PartRef, Category: c.Category,
		Severity: c.Severity, Kind: domain.KindComplaint, Description: c.Description}, true
}

// screenshotPhoto stands for a photo chosen in the draft: its size shows.
var screenshotPhoto = make([]byte, 182*1024)
