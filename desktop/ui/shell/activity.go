package shell

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/widgets"
)

// activity signs a shared workstation out after a while without use.
// Fyne offers no global input hook, so activity is what the app sees: the
// screens' taps and commands (Navigator.Touch), the pointer moving over
// the window, keys typed outside a field, and the text of the focused
// field changing between two looks.
type activity struct {
	s        *Shell
	last     time.Time
	focused  fyne.Focusable
	text     string
	interval time.Duration
}

func newActivity(s *Shell) *activity { return &activity{s: s, interval: 10 * time.Second} }

func (a *activity) touch() { a.last = a.s.env.Now() }

// start checks every interval until stop closes.
func (a *activity) start(stop chan struct{}) {
	a.touch()
	go func() {
		t := time.NewTicker(a.interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(func() {
					select {
					case <-stop:
					default:
						a.check()
					}
				})
			}
		}
	}()
}

// check runs on the UI goroutine.
func (a *activity) check() {
	if e := widgets.EntryOf(a.s.win.Canvas().Focused()); e != nil {
		if e != a.focused || e.Text != a.text {
			a.touch()
		}
		a.focused, a.text = e, e.Text
	}
	if a.s.bar != nil {
		a.s.bar.Tick()
	}
	idle := time.Duration(a.s.ws.Settings().IdleMinutes) * time.Minute
	if idle > 0 && a.s.env.Now().Sub(a.last) >= idle {
		a.s.signOut(lang.X("shell.idle_signed_out", "Signed out after {{.N}} min without activity.", map[string]any{"N": int(idle.Minutes())}))
	}
}

// hoverRoot is a transparent wrapper that counts pointer moves over the
// parts of the window that are not themselves hoverable (labels, gaps).
type hoverRoot struct {
	widget.BaseWidget
	child fyne.CanvasObject
	moved func()
}

func newHoverRoot(child fyne.CanvasObject, moved func()) *hoverRoot {
	h := &hoverRoot{child: child, moved: moved}
	h.ExtendBaseWidget(h)
	return h
}

func (h *hoverRoot) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.child) }
func (h *hoverRoot) MouseIn(*desktop.MouseEvent)         { h.moved() }
func (h *hoverRoot) MouseMoved(*desktop.MouseEvent)      { h.moved() }
func (h *hoverRoot) MouseOut()                           {}
