package detail

import (
	"bytes"
	"image"
	_ "image/gif" // decoders of the photos shown
	_ "image/jpeg"
	_ "image/png"
	"path"
	"strings"

	"golang.org/x/image/draw"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// Photos: image attachments show as thumbnails; a click (or the Open
// button, for the keyboard) shows one at the size of the window. Other
// files are offered to save ("Save a copy"), not opened with the
// system's viewer: evidence comes from other stations, and handing an
// unknown file to whatever program the workstation associates with it
// (a macro-laden spreadsheet, a script) is a risk a save dialog does not
// take; the person chooses where it goes and what opens it.

// thumbSize bounds a thumbnail, in pixels.
const thumbW, thumbH = 160, 120

// isPhoto reports whether the app shows the attachment as a picture: the
// media types its decoders read (sniffed at filing), or their file names
// for attachments recorded without one.
func isPhoto(a model.Attachment) bool {
	switch a.MediaType {
	case "image/png", "image/jpeg", "image/gif":
		return true
	case "":
		switch strings.ToLower(path.Ext(a.Name)) {
		case ".png", ".jpg", ".jpeg", ".gif":
			return true
		}
	}
	return false
}

// photo is the thumbnail of an image attachment with what it is doing:
// loading, downloading, or why it is not shown.
type photo struct {
	widget.BaseWidget
	file   model.Attachment
	img    *canvas.Image
	status *widget.Label
	retry  *widget.Button
	open   func()
	loaded bool
}

func newPhoto(file model.Attachment, open func()) *photo {
	p := &photo{file: file, open: open, img: canvas.NewImageFromImage(nil), status: ui.Wrapped("")}
	p.img.FillMode = canvas.ImageFillContain
	p.img.ScaleMode = canvas.ImageScaleSmooth
	p.img.SetMinSize(fyne.NewSize(thumbW, thumbH))
	p.status.Alignment = fyne.TextAlignCenter
	p.status.Importance = widget.LowImportance
	p.retry = widget.NewButtonWithIcon(lang.X("detail.photo_download", "Download now"), theme.DownloadIcon(), nil)
	p.retry.Hide()
	p.ExtendBaseWidget(p)
	return p
}

func (p *photo) CreateRenderer() fyne.WidgetRenderer {
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	return widget.NewSimpleRenderer(container.NewStack(frame, p.img, container.NewVBox(p.status, container.NewCenter(p.retry))))
}

// Tapped opens the photo full size once it is shown.
func (p *photo) Tapped(*fyne.PointEvent) {
	if p.loaded {
		p.open()
	}
}

// Cursor shows that the thumbnail opens.
func (p *photo) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (p *photo) show(img image.Image) {
	p.img.Image, p.loaded = img, true
	p.status.Hide()
	p.retry.Hide()
	p.img.Refresh()
	p.Refresh()
}

func (p *photo) say(text string, retry func()) {
	p.status.SetText(text)
	p.status.Show()
	p.retry.OnTapped = retry
	if retry != nil {
		p.retry.Show()
	} else {
		p.retry.Hide()
	}
	p.Refresh()
}

// thumbnail returns the thumbnail of an image attachment and starts
// loading it off the UI goroutine: from the store, or, when this
// workstation does not hold the bytes yet, from the server through the
// sync client (model.Blob fetches and keeps them, checked against their
// SHA-256). Offline, it says so, and tries again each time the page is
// shown (after every sync that brings news) or on "Download now".
func (s *Screen) thumbnail(file model.Attachment) *photo {
	p := newPhoto(file, func() { s.openPhoto(file) })
	s.fillThumbnail(p)
	return p
}

func (s *Screen) fillThumbnail(p *photo) {
	sha, here := p.file.SHA256, p.file.Here
	if img, ok := s.thumbs[sha]; ok {
		p.show(img)
		return
	}
	if here {
		p.say(lang.X("detail.photo_loading", "Loading…"), nil)
	} else {
		p.say(lang.X("detail.photo_downloading", "Not on this workstation yet: downloading it from the server…"), nil)
	}
	if s.loading == nil {
		s.loading = map[string][]*photo{}
	}
	if waiting, ok := s.loading[sha]; ok { // the overview's and the Files tab's: one read
		s.loading[sha] = append(waiting, p)
		return
	}
	s.loading[sha] = []*photo{p}
	ui.Load(s.env, func() (image.Image, error) {
		data, err := s.m.Blob(sha)
		if err != nil {
			return nil, err
		}
		return thumbOf(data)
	}, func(img image.Image, err error) {
		waiting := s.loading[sha]
		delete(s.loading, sha)
		if err == nil {
			if s.thumbs == nil {
				s.thumbs = map[string]image.Image{}
			}
			s.thumbs[sha] = img
		}
		for _, w := range waiting {
			w.loadedWith(s, img, err)
		}
	})
}

// loadedWith shows the thumbnail, or why there is none.
func (p *photo) loadedWith(s *Screen, img image.Image, err error) {
	switch {
	case err == nil:
		p.show(img)
	case errIsUndecodable(err):
		p.say(lang.X("detail.photo_unreadable", "This picture cannot be shown: save a copy to open it."), nil)
	default:
		p.say(lang.X("detail.photo_offline", "Not on this workstation yet: it is downloaded when the server is reachable."), func() { s.fillThumbnail(p) })
	}
}

// undecodable marks bytes that are not a picture the app can read.
type undecodable struct{ error }

func errIsUndecodable(err error) bool { _, ok := err.(undecodable); return ok }

// thumbOf decodes a picture and scales it down to the thumbnail's size,
// so that a 10 MB photo is held in memory once, small.
func thumbOf(data []byte) (image.Image, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, undecodable{err}
	}
	b := src.Bounds()
	scale := min(float64(thumbW)/float64(b.Dx()), float64(thumbH)/float64(b.Dy()), 1)
	w, h := max(1, int(float64(b.Dx())*scale)), max(1, int(float64(b.Dy())*scale))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst, nil
}

// openPhoto shows a photo at the size of the window, scaled to fit. The
// dialog opens at once and says it is loading: reading (or fetching) and
// decoding a 10 MB photo happens off the UI goroutine.
func (s *Screen) openPhoto(file model.Attachment) {
	s.env.Nav.Touch()
	sha := file.SHA256
	status := ui.Wrapped(lang.X("detail.photo_loading", "Loading…"))
	status.Alignment = fyne.TextAlignCenter
	content := container.NewStack(container.NewCenter(status))
	d := dialog.NewCustom(file.Name, lang.X("action.close", "Close"), content, s.env.Win)
	d.Show()
	win := s.env.Win.Canvas().Size()
	d.Resize(fyne.NewSize(win.Width*0.92, win.Height*0.92))
	ui.Load(s.env, func() (image.Image, error) {
		data, err := s.m.Blob(sha)
		if err != nil {
			return nil, err
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, undecodable{err}
		}
		return img, nil
	}, func(img image.Image, err error) {
		switch {
		case errIsUndecodable(err):
			status.SetText(lang.X("detail.photo_unreadable", "This picture cannot be shown: save a copy to open it."))
		case err != nil:
			status.SetText(lang.X("detail.photo_offline", "Not on this workstation yet: it is downloaded when the server is reachable."))
		default:
			full := canvas.NewImageFromImage(img)
			full.FillMode = canvas.ImageFillContain
			full.ScaleMode = canvas.ImageScaleSmooth
			content.Objects = []fyne.CanvasObject{full}
			content.Refresh()
		}
	})
}
