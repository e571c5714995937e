package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is the app's theme: Fyne's default with a focus colour that shows
// on every button. Fyne blends its focus colour, a translucent shade of
// the primary blue, over the button: on a blue (high-importance) button
// the focused and unfocused colours are the same, and a keyboard user
// cannot see where the focus is. A translucent magenta, a hue no button
// has, shows on grey, blue, red and green buttons, light or dark.
func Theme() fyne.Theme { return focusTheme{theme.DefaultTheme()} }

type focusTheme struct{ fyne.Theme }

// focusMagenta is blended over the widget's own colour. It was searched
// for (every colour by steps of 16, alpha from 50 %) to keep, over every
// button colour of both variants, the focused colour at least 100 from
// the unfocused one (of 441, black to white) and the text's contrast at
// least 3:1 (WCAG's for a focus indicator): the worst case is 106 and 3.2.
var focusMagenta = color.NRGBA{R: 0xE0, G: 0x30, B: 0xF0, A: 0x90}

func (t focusTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameFocus {
		return focusMagenta
	}
	return t.Theme.Color(n, v)
}
