package main

import (
	"log/slog"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/shell"
	"boucle/desktop/viewmodel"
	"boucle/shared/domain"
)

// The filing form's screenshot target (BOUCLE_TEST_SCREEN):
//
//	report-draft  the report form with a draft restored: a complaint half
//	    typed by the signed-in user (a photo chosen, no description yet),
//	    kept from an earlier visit. With BOUCLE_TEST_PRESS=menu:mine the
//	    form is left, and asks whether to keep the draft.
func openReportTestScreen(sh *shell.Shell, ws *viewmodel.Workstation, log *slog.Logger) {
	draft := model.ReportDraft{SupplierStation: "CUT1", PartRef: "BRK-2231", Lot: "L0815", Quantity: "12",
		Category: "surface", Severity: domain.SeverityMajor, Kind: domain.KindComplaint,
		Files: []model.File{{Name: "bavure-BRK-2231.jpg", Data: screenshotPhoto}}}
	if _, err := ws.Model().SaveReportDraft(draft); err != nil {
		log.Error("screenshot mode: no draft to restore", "error", i18n.Error(err))
	}
	if !sh.OpenReportForm() {
		log.Error("screenshot mode: no report form for this role")
	}
}

// screenshotPhoto stands for a photo chosen in the draft: its size shows.
var screenshotPhoto = make([]byte, 182*1024)
