package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Radio is a choice of one option among a few, shown side by side, that
// behaves as radio buttons do on every desktop: one Tab stop for the
// group, the arrow keys move the choice, Space picks the first option when
// none is chosen. Fyne 2.8.1's RadioGroup makes every option its own Tab
// stop and ignores the arrow keys, so a keyboard user tabs through three
// options and cannot change the choice without Space on each.
type Radio struct {
	widget.BaseWidget

	// OnChanged is called with the option chosen ("" when cleared).
	OnChanged func(string)
	// Vertical stacks the options, for long ones such as the solutions a
	// complainant chooses from; the arrow keys work the same way.
	Vertical bool

	options  []string
	selected int // index in options, -1 for none
	focused  bool
	items    []*radioOption
}

// NewRadio builds a radio group of options, none chosen.
func NewRadio(options []string, changed func(string)) *Radio {
	r := &Radio{OnChanged: changed, options: options, selected: -1}
	for i, o := range options {
		r.items = append(r.items, newRadioOption(o, func() { r.tapped(i) }))
	}
	r.ExtendBaseWidget(r)
	return r
}

// Options lists the options, in order.
func (r *Radio) Options() []string { return r.options }

// Selected is the option chosen, "" when none is.
func (r *Radio) Selected() string {
	if r.selected < 0 {
		return ""
	}
	return r.options[r.selected]
}

// SetSelected chooses an option by its text; "" or an unknown text clears
// the choice. OnChanged is called when the choice changes.
func (r *Radio) SetSelected(option string) {
	i := -1
	for j, o := range r.options {
		if o == option {
			i = j
		}
	}
	r.choose(i)
}

func (r *Radio) choose(i int) {
	if i == r.selected {
		return
	}
	r.selected = i
	r.Refresh()
	if r.OnChanged != nil {
		r.OnChanged(r.Selected())
	}
}

func (r *Radio) tapped(i int) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil {
		c.Focus(r)
	}
	r.choose(i)
}

// FocusGained shows the focus on the chosen option (or the first).
func (r *Radio) FocusGained() { r.focused = true; r.Refresh() }

// FocusLost hides it.
func (r *Radio) FocusLost() { r.focused = false; r.Refresh() }

// TypedRune picks the first option on Space when none is chosen.
func (r *Radio) TypedRune(c rune) {
	if c == ' ' && r.selected < 0 && len(r.options) > 0 {
		r.choose(0)
	}
}

// TypedKey moves the choice with the arrow keys, wrapping around.
func (r *Radio) TypedKey(k *fyne.KeyEvent) {
	n := len(r.options)
	if n == 0 {
		return
	}
	switch k.Name {
	case fyne.KeyRight, fyne.KeyDown:
		r.choose((r.selected + 1) % n)
	case fyne.KeyLeft, fyne.KeyUp:
		if r.selected < 0 {
			r.choose(n - 1)
			return
		}
		r.choose((r.selected - 1 + n) % n)
	}
}

// CreateRenderer lays the options out in a row, or a column when Vertical.
func (r *Radio) CreateRenderer() fyne.WidgetRenderer {
	row := container.NewHBox()
	if r.Vertical {
		row = container.NewVBox()
	}
	for _, it := range r.items {
		row.Add(it)
	}
	rr := &radioRenderer{WidgetRenderer: widget.NewSimpleRenderer(row), r: r}
	rr.Refresh()
	return rr
}

type radioRenderer struct {
	fyne.WidgetRenderer
	r *Radio
}

func (rr *radioRenderer) Refresh() {
	r := rr.r
	ring := r.selected
	if ring < 0 {
		ring = 0
	}
	for i, it := range r.items {
		it.set(i == r.selected, r.focused && i == ring)
	}
	rr.WidgetRenderer.Refresh()
}

// radioOption is one option: its radio icon and text. It is tappable
// but not focusable: the group is the one Tab stop.
type radioOption struct {
	widget.BaseWidget
	icon  *widget.Icon
	label *widget.Label
	focus *canvas.Rectangle
	tap   func()
}

func newRadioOption(text string, tap func()) *radioOption {
	o := &radioOption{icon: widget.NewIcon(theme.RadioButtonIcon()), label: widget.NewLabel(text), tap: tap,
		focus: canvas.NewRectangle(color.Transparent)}
	o.ExtendBaseWidget(o)
	return o
}

func (o *radioOption) Tapped(*fyne.PointEvent) { o.tap() }

func (o *radioOption) set(chosen, focused bool) {
	o.icon.SetResource(theme.RadioButtonIcon())
	if chosen {
		o.icon.SetResource(theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon()))
	}
	o.focus.FillColor = color.Transparent
	if focused {
		o.focus.FillColor = theme.Color(theme.ColorNameFocus)
	}
	o.focus.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	o.focus.Refresh()
}

func (o *radioOption) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(o.focus, container.NewHBox(o.icon, o.label)))
}
