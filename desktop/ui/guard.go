package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Guard is how a view holding unsaved work (the report form) hears from
// the shell: when it comes on screen and when it leaves it (its window
// shortcuts must live only while it is shown), and before it is closed.
type Guard interface {
	// OnScreen is called each time the view comes on screen, back from a
	// view pushed over it included.
	OnScreen()
	// OffScreen is called when another view covers or replaces it, or the
	// session ends.
	OffScreen()
	// Leave is called before the view is closed for good (another menu
	// screen, Back, sign out): the view calls proceed to let it close,
	// at once or after asking, or does not call it, to stay.
	Leave(proceed func())
}

// Guarded is a view's object with its guard, as the shell finds it on
// its navigation stack.
type Guarded struct {
	widget.BaseWidget
	Content fyne.CanvasObject
	Guard
}

var _ Guard = (*Guarded)(nil)

// NewGuarded wraps a view's object with its guard.
func NewGuarded(content fyne.CanvasObject, g Guard) *Guarded {
	v := &Guarded{Content: content, Guard: g}
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the content.
func (v *Guarded) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.Content) }
