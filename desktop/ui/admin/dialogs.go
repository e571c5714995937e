package admin

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui"
	"boucle/desktop/ui/widgets"
	"boucle/shared/domain"
)

// formDialog is a dialog holding a form: its confirm button runs the
// change off the UI goroutine; a refusal is shown under the field it
// names (or under the form) and the dialog stays open, so nothing is
// half-done and nothing typed is lost. On success it closes and the
// screen reloads.
type formDialog struct {
	title   string
	form    *ui.Form
	confirm *widget.Button
	d       *dialog.CustomDialog
}

// showForm opens a dialog with intro (may be nil) above the form. run
// makes the change; after is called with the dialog closed, on success.
func (s *Screen) showForm(title, confirmLabel string, intro fyne.CanvasObject, form *ui.Form, run func() error, after func()) *formDialog {
	fd := &formDialog{title: title, form: form}
	body := container.NewVBox()
	if intro != nil {
		body.Add(intro)
	}
	body.Add(form.Object())
	fd.confirm = widget.NewButton(confirmLabel, func() {
		ui.Do(s.env, run, func(err error) {
			if err != nil {
				ui.FocusField(s.env.Win, form.Show(err))
				if domain.ErrorCode(err) == domain.EUnavailable {
					s.Load() // the server went away: the banner says so, the forms go off
				}
				return
			}
			fd.d.Hide()
			if after != nil {
				after()
			}
		})
	})
	fd.confirm.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), func() { fd.d.Hide() })
	fd.d = dialog.NewCustomWithoutButtons(title, body, s.env.Win)
	fd.d.SetButtons([]fyne.CanvasObject{cancel, fd.confirm})
	submitOnEnter(form, fd.confirm.OnTapped)
	fd.d.Show()
	fitHeight(fd.d, 600)
	if fields := form.Fields(); len(fields) > 0 {
		ui.FocusField(s.env.Win, fields[0])
	}
	s.dialog = fd
	return fd
}

// submitOnEnter makes Enter in a one-line field of the form confirm it,
// so a keyboard user never needs the mouse.
func submitOnEnter(form *ui.Form, confirm func()) {
	for _, fld := range form.Fields() {
		if e, ok := fld.Input.(*widget.Entry); ok {
			e.OnSubmitted = func(string) { confirm() }
		}
	}
}

// fitHeight gives a shown dialog its width, then the height its content
// needs at that width: wrapped text reports its height for the width it
// was laid out at, so the second resize drops the blank space the first
// layout (at a narrower width) asked for.
func fitHeight(d *dialog.CustomDialog, width float32) {
	d.Resize(fyne.NewSize(width, 0))
	d.Resize(fyne.NewSize(width, 0))
}

// showConfirm asks to confirm a change that takes a reason (disable,
// retire, revoke), kept in the directory's history.
func (s *Screen) showConfirm(title, question, confirmLabel, reasonLabel string, run func(reason string) error) {
	form := ui.NewForm()
	reason := widgets.NewMultiLineEntry()
	reason.SetMinRowsVisible(2)
	form.Add("reason", reasonLabel, reason)
	fd := s.showForm(title, confirmLabel, ui.Wrapped(question), form, func() error { return run(reason.Text) }, s.changed)
	fd.confirm.Importance = widget.DangerImportance
	fd.confirm.Refresh()
	reason.OnSubmitForm = fd.confirm.OnTapped
}

// showSecret shows a password or a code once: selectable, with a copy
// button and the warning that it will not be shown again.
func (s *Screen) showSecret(title, lead, label, secret, extra string) {
	value := widget.NewEntry()
	value.SetText(secret)
	value.TextStyle = fyne.TextStyle{Monospace: true}
	value.OnChanged = func(string) { value.SetText(secret) } // selectable, not editable
	copied := widget.NewLabel("")
	copied.Hide()
	cp := widget.NewButton(lang.X("admin.copy", "Copy"), func() {
		fyne.CurrentApp().Clipboard().SetContent(secret)
		copied.SetText(lang.X("admin.copied", "Copied."))
		copied.Show()
	})
	warn := ui.Wrapped(lang.X("admin.shown_once", "It will not be shown again: note it or copy it now, then hand it over in person."))
	warn.Importance = widget.WarningImportance
	body := container.NewVBox(ui.Wrapped(lead),
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), container.NewHBox(cp, copied), value))
	if extra != "" {
		body.Add(ui.Wrapped(extra))
	}
	body.Add(warn)
	var d *dialog.CustomDialog
	done := widget.NewButton(lang.X("admin.done", "Done"), func() { d.Hide() })
	done.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, body, s.env.Win)
	d.SetButtons([]fyne.CanvasObject{done})
	d.Show()
	fitHeight(d, 560)
	s.dialog = &formDialog{title: title, d: d}
}
