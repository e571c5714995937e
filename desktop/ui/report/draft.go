package report

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// Drafts. What the user types is written to the store as they type
// (through the writes queue: off the UI goroutine, the latest value wins),
// so that it survives leaving the form, a crash and a restart; coming back
// restores it with a line saying so, and a button to discard it. Leaving
// the form with a draft asks: keep it, discard it, or stay. Filing deletes
// the draft in the filing's own transaction (viewmodel.recordFiling).
//
// The supplier station alone is not a draft: the form keeps it after a
// filing for the next defect of the series.

// KeepDrafts makes the form keep the signed-in user's draft. A form
// filled with a refused filing does not: that one lives in its refusal.
// Call it before Load.
func (f *Form) KeepDrafts() { f.drafts = true }

func (f *Form) buildDraftLine() {
	f.draftText = widget.NewLabel("")
	f.draftText.Importance = widget.WarningImportance
	discard := widget.NewButtonWithIcon(lang.X("report.draft_discard", "Discard the draft"), theme.DeleteIcon(), f.discard)
	f.draftLine = container.NewBorder(nil, nil, nil, discard, f.draftText)
	f.draftLine.Hide()
	f.draftError = ui.ErrorLabel()
	f.draftLine = container.NewVBox(f.draftLine, f.draftError)
}

// keepDraft queues the write of the form as typed.
func (f *Form) keepDraft() {
	if !f.drafts {
		return
	}
	d := f.draft()
	f.writes.latest(func() error {
		_, err := f.m.SaveReportDraft(d)
		return err
	}, f.draftWritten)
}

func (f *Form) draftWritten(err error) {
	if err != nil {
		f.draftError.SetText(lang.X("report.draft_not_kept", "The draft could not be kept on this workstation: {{.Error}}", map[string]any{"Error": i18n.Error(err)}))
		f.draftError.Show()
		return
	}
	f.draftError.Hide()
}

// restore fills the form with a draft read from the store and says so.
func (f *Form) restore(d model.ReportDraft) {
	f.fill(d)
	f.severityPrompt.Hidden = f.severity.Selected() != ""
	f.draftText.SetText(lang.X("report.draft_restored", "Draft restored, from {{.Time}}.", map[string]any{"Time": i18n.DateTime(d.Saved)}))
	f.draftLine.Objects[0].Show()
}

func (f *Form) hideDraftLine() { f.draftLine.Objects[0].Hide() }

// DraftText is the "draft restored" line, "" when not shown (tests).
func (f *Form) DraftText() string {
	if f.draftLine.Objects[0].Visible() {
		return f.draftText.Text
	}
	return ""
}

// discard empties the form and deletes the draft.
func (f *Form) discard() {
	f.env.Nav.Touch()
	f.form.Clear()
	f.reset(true)
	f.hideDraftLine()
	f.saved.Hide()
	if f.drafts {
		f.writes.after(f.m.DiscardReportDraft, f.draftWritten)
	}
	f.focusFirstEmpty()
}

// Leave lets the shell close the form: at once when there is nothing to
// keep, else once the user chose to keep the draft or discard it (and it
// is written or deleted); staying does not call proceed.
func (f *Form) Leave(proceed func()) {
	if !f.drafts || f.draft().Empty() {
		proceed()
		return
	}
	if f.leaving != nil {
		return // asked already (Ctrl+2 pressed twice): one question
	}
	keep := widget.NewButtonWithIcon(lang.X("report.leave_keep", "Keep the draft"), theme.DocumentSaveIcon(), func() {
		f.closeLeaving()
		f.keepDraft()
		f.writes.whenIdle(proceed)
	})
	keep.Importance = widget.HighImportance
	discard := widget.NewButtonWithIcon(lang.X("report.leave_discard", "Discard it"), theme.DeleteIcon(), func() {
		f.closeLeaving()
		f.discard()
		f.writes.whenIdle(proceed)
	})
	discard.Importance = widget.DangerImportance
	stay := widget.NewButton(lang.X("report.leave_stay", "Stay on the form"), func() { f.closeLeaving() })
	text := ui.Wrapped(lang.X("report.leave_text", "This complaint is not saved yet. Keep it as a draft on this workstation to finish it later (it comes back when you open the form), discard it, or stay on the form."))
	d := dialog.NewCustomWithoutButtons(lang.X("report.leave_title", "Keep this complaint as a draft?"), ui.MinSize(text, 440, 0), f.env.Win)
	d.SetButtons([]fyne.CanvasObject{stay, discard, keep})
	f.leaving = d
	d.Show()
	if f.env.Win != nil {
		f.env.Win.Canvas().Focus(keep)
	}
}

func (f *Form) closeLeaving() {
	if f.leaving != nil {
		f.leaving.Hide()
		f.leaving = nil
	}
}
