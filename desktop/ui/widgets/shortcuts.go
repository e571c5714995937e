package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// SubmitShortcuts are the keys that submit a form from any of its fields:
// Ctrl+Enter (either Enter key) and Ctrl+S; Cmd on macOS.
func SubmitShortcuts() []fyne.Shortcut {
	mod := fyne.KeyModifierShortcutDefault
	return []fyne.Shortcut{
		&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: mod},
		&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: mod},
		&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: mod},
	}
}

// IsSubmitShortcut reports whether s is one of SubmitShortcuts.
func IsSubmitShortcut(s fyne.Shortcut) bool {
	for _, sub := range SubmitShortcuts() {
		if sub.ShortcutName() == s.ShortcutName() {
			return true
		}
	}
	return false
}
