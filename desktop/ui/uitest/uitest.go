// Package uitest sets up screen tests: a Fyne test app in English, a test
// window, an environment whose background work runs inline, and a
// navigator that records what was pushed.
package uitest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
)

var langOnce sync.Once

// Nav records navigation.
type Nav struct {
	Titles  []string
	Views   []fyne.CanvasObject
	Backs   int
	Touches int
	win     fyne.Window
}

func (n *Nav) Push(title string, view fyne.CanvasObject) {
	n.Titles = append(n.Titles, title)
	n.Views = append(n.Views, view)
	if n.win != nil {
		n.win.SetContent(view)
	}
}

func (n *Nav) Back()  { n.Backs++ }
func (n *Nav) Touch() { n.Touches++ }

// Top returns the last view pushed.
func (n *Nav) Top() fyne.CanvasObject {
	if len(n.Views) == 0 {
		return nil
	}
	return n.Views[len(n.Views)-1]
}

// New starts a test app in English and returns an environment with a
// 1280×800 window, inline background work and a fixed clock.
func New(t testing.TB) (ui.Env, *Nav) {
	t.Helper()
	langOnce.Do(func() {
		if err := i18n.Init("en"); err != nil {
			t.Fatal(err)
		}
	})
	a := test.NewApp()
	t.Cleanup(a.Quit)
	w := test.NewWindow(widget.NewLabel(""))
	w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(w.Close)
	nav := &Nav{win: w}
	return ui.Env{Win: w, Async: ui.Inline, Now: time.Now, Nav: nav}, nav
}

// Show puts a view in the env's window.
func Show(env ui.Env, o fyne.CanvasObject) { env.Win.SetContent(o) }

// FindButton returns the first button with the text in the tree, or nil.
func FindButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	Walk(o, func(c fyne.CanvasObject) bool {
		if b, ok := c.(*widget.Button); ok && b.Text == text && b.Visible() {
			found = b
			return true
		}
		return false
	})
	return found
}

// HasText reports whether a visible label, button or rich text in the tree
// shows the text (a substring).
func HasText(o fyne.CanvasObject, text string) bool {
	return len(Texts(o, text)) > 0
}

// Texts lists the visible texts that contain sub.
func Texts(o fyne.CanvasObject, sub string) []string {
	var out []string
	Walk(o, func(c fyne.CanvasObject) bool {
		var s string
		switch w := c.(type) {
		case *widget.Label:
			s = w.Text
		case *widget.Button:
			s = w.Text
		case *widget.Hyperlink:
			s = w.Text
		case *widget.Check:
			s = w.Text
		case *widget.RichText:
			s = w.String()
		case *canvas.Text:
			s = w.Text
		}
		if s != "" && contains(s, sub) {
			out = append(out, s)
		}
		return false
	})
	return out
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// Walk visits the visible objects of a tree, widgets' rendered children
// included, until fn returns true.
func Walk(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return false
	}
	if fn(o) {
		return true
	}
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			if Walk(child, fn) {
				return true
			}
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			if Walk(child, fn) {
				return true
			}
		}
	}
	return false
}

// TapText taps the innermost tappable object of the tree whose visible
// text is exactly text: a menu item, a tab, a button. It reports whether
// there was one.
func TapText(o fyne.CanvasObject, text string) bool {
	var target fyne.Tappable
	Walk(o, func(c fyne.CanvasObject) bool {
		if t, ok := c.(fyne.Tappable); ok && showsExactly(c, text) {
			target = t // visited outside in: the last one is the innermost
		}
		return false
	})
	if target == nil {
		return false
	}
	test.Tap(target)
	return true
}

// showsExactly reports whether a visible text of the tree is text.
func showsExactly(o fyne.CanvasObject, text string) bool {
	for _, s := range Texts(o, text) {
		if s == text {
			return true
		}
	}
	return false
}

// TopOverlay is what is shown over the window's content (a dialog, a pop-up
// menu), nil when nothing is.
func TopOverlay(w fyne.Window) fyne.CanvasObject { return w.Canvas().Overlays().Top() }

// FileDialog returns the file dialog shown over the window, nil when none
// is: an overlay with the dialog's confirm button (Open or Save) and Cancel.
func FileDialog(w fyne.Window, confirm string) fyne.CanvasObject {
	top := TopOverlay(w)
	if top == nil || FindButton(top, confirm) == nil || FindButton(top, "Cancel") == nil {
		return nil
	}
	return top
}

// CancelFileDialog closes the file dialog shown over the window with its
// Cancel button, and fails when there is none.
func CancelFileDialog(t testing.TB, w fyne.Window, confirm string) {
	t.Helper()
	d := FileDialog(w, confirm)
	if d == nil {
		t.Fatalf("no file dialog with %q and Cancel over the window", confirm)
	}
	test.Tap(FindButton(d, "Cancel"))
	if FileDialog(w, confirm) != nil {
		t.Fatal("the file dialog is still shown after Cancel")
	}
}

// Drawn lists the texts actually drawn in the tree that contain sub: the
// canvas texts the renderers hold, not the widgets' Text fields, so a
// widget whose field changed without a refresh does not count.
func Drawn(o fyne.CanvasObject, sub string) []string {
	var out []string
	Walk(o, func(c fyne.CanvasObject) bool {
		if t, ok := c.(*canvas.Text); ok && t.Text != "" && contains(t.Text, sub) {
			out = append(out, t.Text)
		}
		return false
	})
	return out
}

// Timers is a ui.Later that fires only when the test says so.
type Timers struct {
	pending []*timer
}

type timer struct {
	d         time.Duration
	f         func()
	cancelled bool
}

// Later records f; the returned function cancels it.
func (ts *Timers) Later(d time.Duration, f func()) func() {
	t := &timer{d: d, f: f}
	ts.pending = append(ts.pending, t)
	return func() { t.cancelled = true }
}

// Pending counts the calls waiting, cancelled ones excluded.
func (ts *Timers) Pending() int {
	n := 0
	for _, t := range ts.pending {
		if !t.cancelled {
			n++
		}
	}
	return n
}

// Fire runs the calls waiting, as if their delays had passed.
func (ts *Timers) Fire() {
	due := ts.pending
	ts.pending = nil
	for _, t := range due {
		if !t.cancelled {
			t.f()
		}
	}
}
