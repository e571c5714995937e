package main

import (
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Pressing, with screenshot mode (see screenshot.go), for
// scripts/smoke.sh and scripts/screenshots.sh only:
//
//	BOUCLE_TEST_PRESS=step>step>...   once the test screen is open, press
//	    each step in turn: the button whose text it is, the tab of that
//	    title, or the item of the pop-up menu shown; "Escape" closes what
//	    is shown over the window (a dialog, a menu). A step may be the
//	    translation key of the text (report.add_file), so that one list of
//	    steps works in every language. A step ending in "?" waits for its
//	    button without pressing it (report.draft_discard?: the draft is
//	    restored); "menu:<screen id>" opens a menu screen as its menu
//	    button does, asking the screen left first (menu:mine).
//
// The buttons' own callbacks run, on the UI goroutine, as a tap would run
// them: a dialog that crashes the app crashes it here too. When every step
// is pressed the app logs "test mode: pressed" with what is shown over the
// window, which the scripts wait for.
const envTestPress = "BOUCLE_TEST_PRESS"

// stepWait bounds the wait for a step's target to appear (a screen loads
// its data in the background).
const stepWait = 30 * time.Second

// pressSteps presses the steps on the view shown (view returns it: the
// shell's, below its header and menu) or over the window; menu opens a
// menu screen by id.
func pressSteps(w fyne.Window, view func() fyne.CanvasObject, menu func(id string) bool, steps string, log *slog.Logger) {
	for _, step := range strings.Split(steps, ">") {
		if id, ok := strings.CutPrefix(step, "menu:"); ok {
			var opened bool
			fyne.DoAndWait(func() { opened = menu(id) })
			if !opened {
				log.Error("test mode: no menu screen " + id)
				return
			}
			continue
		}
		if !pressWhenShown(w, view, step) {
			log.Error("test mode: nothing to press", "step", step, "waited", stepWait, "overlay", overlay(w))
			return
		}
	}
	log.Warn("test mode: pressed", "steps", steps, "overlay", overlay(w))
}

// overlay names what is shown over the window ("" when nothing is): the
// type of the overlay and of what it holds.
func overlay(w fyne.Window) string {
	var name string
	fyne.DoAndWait(func() {
		if o := w.Canvas().Overlays().Top(); o != nil {
			name = fmt.Sprintf("%T/%T", o, unwrap(o))
		}
	})
	return name
}

// pressWhenShown presses a step's target once it is shown, polling the
// window within stepWait.
func pressWhenShown(w fyne.Window, view func() fyne.CanvasObject, step string) bool {
	deadline := time.Now().Add(stepWait)
	step, waitOnly := strings.CutSuffix(step, "?")
	for {
		var action func()
		fyne.DoAndWait(func() { action = target(w.Canvas(), view(), translateStep(step, step)) })
		if action != nil {
			if !waitOnly {
				fyne.DoAndWait(action)
			}
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// target returns what pressing step does, nil when nothing shown answers
// to it. What is shown over the window comes first, then the view.
func target(c fyne.Canvas, view fyne.CanvasObject, step string) func() {
	top := c.Overlays().Top()
	if step == "Escape" {
		if top == nil {
			return nil
		}
		return func() { c.Overlays().Remove(top) }
	}
	if top != nil {
		if m, ok := unwrap(top).(*widget.PopUpMenu); ok {
			return menuItem(m, step)
		}
		return find(top, step)
	}
	return find(view, step)
}

// menuItem taps the item of a pop-up menu labelled step. Fyne's item
// widget is unexported; its exported field Item holds the fyne.MenuItem.
func menuItem(m *widget.PopUpMenu, step string) func() {
	for _, o := range m.Items {
		tap, ok := o.(fyne.Tappable)
		v := reflect.ValueOf(o)
		if !ok || v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			continue
		}
		f := v.Elem().FieldByName("Item")
		if !f.IsValid() || !f.CanInterface() {
			continue
		}
		if item, _ := f.Interface().(*fyne.MenuItem); item != nil && item.Label == step {
			return func() { tap.Tapped(&fyne.PointEvent{}) }
		}
	}
	return nil
}

// find looks for a button or a tab named step in the visible tree,
// through the containers whose children Fyne exposes.
func find(o fyne.CanvasObject, step string) func() {
	if o == nil || !o.Visible() {
		return nil
	}
	switch x := o.(type) {
	case *widget.Button:
		// On a canvas: drawn at least once. A button not drawn yet may not
		// work (the Export menu needs the button's canvas to show on).
		if x.Text == step && !x.Disabled() && x.OnTapped != nil && fyne.CurrentApp().Driver().CanvasForObject(x) != nil {
			return x.OnTapped
		}
	case *container.AppTabs:
		for _, it := range x.Items {
			if it.Text == step {
				return func() { x.Select(it) }
			}
		}
		if sel := x.Selected(); sel != nil {
			return find(sel.Content, step)
		}
	case *container.Scroll:
		return find(x.Content, step)
	case *container.Split:
		if f := find(x.Leading, step); f != nil {
			return f
		}
		return find(x.Trailing, step)
	case *widget.PopUp:
		return find(x.Content, step)
	case *widget.Card:
		return find(x.Content, step)
	case *fyne.Container:
		for _, child := range x.Objects {
			if f := find(child, step); f != nil {
				return f
			}
		}
	default:
		if in := unwrap(o); in != o {
			return find(in, step)
		}
	}
	return nil
}

// unwrap returns what a wrapper shows through its exported Content field
// (Fyne's overlay container holds a pop-up menu or a dialog so), or o.
func unwrap(o fyne.CanvasObject) fyne.CanvasObject {
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return o
	}
	f := v.Elem().FieldByName("Content")
	if !f.IsValid() || !f.CanInterface() {
		return o
	}
	if in, ok := f.Interface().(fyne.CanvasObject); ok && in != nil {
		return in
	}
	return o
}

// translateStep turns a step named by a translation key into the text
// shown. The key comes from BOUCLE_TEST_PRESS at run time, not from code,
// so it goes through a variable: desktop/i18n's key test checks every
// literal key passed to lang in code, and this one has none to check (a
// key unknown to the translations is pressed as the literal text).
var translateStep = lang.X
