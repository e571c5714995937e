package complaints

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// tightVBox stacks objects with no padding: list rows stay compact while
// keeping the labels' own insets.
type tightVBox struct{}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	gap := -theme.Padding() * 2
	for i, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
		if i < len(objs)-1 {
			y += gap
		}
	}
}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	gap := -theme.Padding() * 2
	for i, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
		if i < len(objs)-1 {
			h += gap
		}
	}
	return fyne.NewSize(w, h)
}
