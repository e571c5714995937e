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
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}
