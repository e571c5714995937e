package widgets_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/uitest"
	"boucle/desktop/ui/widgets"
)

func TestRadio_ArrowKeysMoveTheChoice(t *testing.T) {
	env, _ := uitest.New(t)
	var changes []string
	r := widgets.NewRadio([]string{"Minor", "Major", "Critical"}, func(s string) { changes = append(changes, s) })
	after := widget.NewButton("Next", func() {})
	uitest.Show(env, container.NewVBox(r, after))
	c := env.Win.Canvas()
	// Given the group focused with nothing chosen
	c.Focus(r)
	// When Right is pressed, the first option is chosen; Right again, the second
	uitest.PressKey(c, fyne.KeyRight)
	uitest.PressKey(c, fyne.KeyRight)
	if r.Selected() != "Major" {
		t.Fatalf("after Right Right: %q, want Major", r.Selected())
	}
	// And Down, then Left, and Up wrapping round to the last
	uitest.PressKey(c, fyne.KeyDown)
	uitest.PressKey(c, fyne.KeyLeft)
	uitest.PressKey(c, fyne.KeyUp)
	uitest.PressKey(c, fyne.KeyUp)
	if r.Selected() != "Critical" {
		t.Fatalf("after Down Left Up Up: %q, want Critical (wrapped)", r.Selected())
	}
	want := []string{"Minor", "Major", "Critical", "Major", "Minor", "Critical"}
	if len(changes) != len(want) {
		t.Fatalf("changes = %v, want %v", changes, want)
	}
	// And the group is one Tab stop: Tab leaves it for the button
	uitest.PressTab(c, false)
	if c.Focused() != after {
		t.Fatalf("Tab from the group focused %T, want the next button", c.Focused())
	}
}

func TestRadio_SpaceChoosesTheFirstAndTapChooses(t *testing.T) {
	env, _ := uitest.New(t)
	r := widgets.NewRadio([]string{"Minor", "Major"}, nil)
	uitest.Show(env, r)
	env.Win.Canvas().Focus(r)
	test.Type(r, " ")
	if r.Selected() != "Minor" {
		t.Fatalf("Space: %q, want Minor", r.Selected())
	}
	if !uitest.TapText(r, "Major") || r.Selected() != "Major" {
		t.Fatalf("tap on Major: %q", r.Selected())
	}
	r.SetSelected("")
	if r.Selected() != "" {
		t.Fatalf("cleared: %q", r.Selected())
	}
}
