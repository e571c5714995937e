package widgets_test

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/widgets"
)

// background is the colour a button's renderer paints behind its text.
func background(t *testing.T, b *widget.Button) color.Color {
	t.Helper()
	for _, o := range test.WidgetRenderer(b).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok {
			return r.FillColor
		}
	}
	t.Fatal("no background rectangle in the button")
	return nil
}

func distance(a, b color.Color) float64 {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) float64 { return (float64(x) - float64(y)) / 257 }
	return math.Sqrt(d(ar, br)*d(ar, br) + d(ag, bg)*d(ag, bg) + d(ab, bb)*d(ab, bb))
}

// The focus shows on every kind of button, the blue ones included, in
// the light and the dark variants: the focused button's colour is far
// from the unfocused one's (100 of the 441 between black and white), and
// its text stays readable (contrast 3:1).
func TestFocusShowsOnEveryButton(t *testing.T) {
	for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, imp := range []widget.Importance{widget.MediumImportance, widget.HighImportance, widget.DangerImportance, widget.SuccessImportance} {
			t.Run(fmt.Sprintf("%s/%s", map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[variant], importanceName[imp]), func(t *testing.T) {
				a := test.NewApp()
				defer a.Quit()
				a.Settings().SetTheme(variantTheme{widgets.Theme(), variant})
				b := widget.NewButton("Save the complaint", func() {})
				b.Importance = imp
				w := test.NewWindow(b)
				defer w.Close()
				before := background(t, b)
				w.Canvas().Focus(b)
				after := background(t, b)
				if d := distance(before, after); d < 100 {
					t.Fatalf("focused %v, unfocused %v: distance %.0f, want ≥ 100", after, before, d)
				}
				if c := contrast(after, textColour(imp, variant)); c < 3 {
					t.Fatalf("text on the focused button: contrast %.1f, want ≥ 3", c)
				}
			})
		}
	}
}

var importanceName = map[widget.Importance]string{widget.MediumImportance: "medium", widget.HighImportance: "high",
	widget.DangerImportance: "danger", widget.SuccessImportance: "success"}

func textColour(imp widget.Importance, v fyne.ThemeVariant) color.Color {
	name := map[widget.Importance]fyne.ThemeColorName{widget.HighImportance: theme.ColorNameForegroundOnPrimary,
		widget.DangerImportance: theme.ColorNameForegroundOnError, widget.SuccessImportance: theme.ColorNameForegroundOnSuccess}[imp]
	if name == "" {
		name = theme.ColorNameForeground
	}
	return widgets.Theme().Color(name, v)
}

// contrast is WCAG's contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(x uint32) float64 {
		v := float64(x) / 0xFFFF
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// variantTheme forces a variant, as the system setting would.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}
