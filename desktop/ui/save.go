package ui

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// SaveAs asks where to save a file proposed as name, then writes it with
// write and closes it off the UI goroutine, showing any error. The file is
// closed only once written: closing it when the dialog returns would cut
// off a write still running in the background.
func SaveAs(env Env, name string, write func(io.Writer) error) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				ShowError(env, err)
			}
			return
		}
		Do(env, func() error {
			err := write(w)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return err
		}, func(err error) {
			if err != nil {
				ShowError(env, err)
			}
		})
	}, env.Win)
	d.SetFileName(name)
	ShowFileDialog(d)
}

// ShowFileDialog shows a file dialog at a size where names are readable.
// Fyne builds a file dialog's window only when it is shown: Resize before
// Show reads the size of a window that does not exist yet, a nil-pointer
// panic that killed the app at every export and attachment.
func ShowFileDialog(d *dialog.FileDialog) {
	d.Show()
	d.Resize(fyne.NewSize(800, 560))
}
