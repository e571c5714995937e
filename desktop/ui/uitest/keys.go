package uitest

import (
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/widgets"
	"fyne.io/fyne/v2/driver/desktop"
)

// PressTab presses Tab (Shift+Tab when back) on the canvas as Fyne's
// desktop driver does (internal/driver/glfw/window.go, capturesTab): a
// focused widget that accepts Tab gets the key, otherwise the focus moves.
// Fyne's test driver has no such routing, hence this copy.
func PressTab(c fyne.Canvas, back bool) {
	if t, ok := c.Focused().(fyne.Tabbable); ok && t.AcceptsTab() {
		if k, ok := c.Focused().(desktop.Keyable); ok && back {
			k.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
			defer k.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		}
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
		return
	}
	if back {
		c.FocusPrevious()
	} else {
		c.FocusNext()
	}
}

// PressKey types a key (Enter, an arrow) into the focused widget.
func PressKey(c fyne.Canvas, key fyne.KeyName) {
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: key})
	}
}

// PressShortcut types a shortcut as the desktop driver routes it
// (triggersShortcut): to the focused widget when it takes shortcuts (an
// entry), to the window's registered shortcuts otherwise.
func PressShortcut(c fyne.Canvas, s fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	if sc := windowShortcuts(c); sc != nil {
		sc.TypedShortcut(s)
	}
}

// windowShortcuts is the handler of the shortcuts added to the canvas.
// The test canvas wraps a software canvas that keeps them but does not
// export TypedShortcut, so the wrapped canvas is reached by reflection
// (test code only; the desktop driver's canvas has the method).
func windowShortcuts(c fyne.Canvas) fyne.Shortcutable {
	if sc, ok := c.(fyne.Shortcutable); ok {
		return sc
	}
	v := reflect.ValueOf(c)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	inner := v.Elem().FieldByName("WindowlessCanvas")
	if !inner.IsValid() || !inner.CanInterface() {
		return nil
	}
	sc, _ := inner.Interface().(fyne.Shortcutable)
	return sc
}

// CtrlEnter and CtrlS are the shortcuts the driver reports for those keys.
var (
	CtrlEnter = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	CtrlS     = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
)

// Entry returns the text entry an input is: a widget.Entry, or the one a
// widgets.MultiLineEntry wraps; nil for anything else.
func Entry(o any) *widget.Entry { return widgets.EntryOf(o) }
