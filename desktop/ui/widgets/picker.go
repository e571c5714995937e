// Package widgets holds the few custom widgets the screens share.
package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
)

// maxMatches is how many stations the picker suggests at once: enough
// for a plant's line, few enough to tap without scrolling.
const maxMatches = 6

// StationPicker is a searchable station field: typing filters the
// stations by code or name (accents and case ignored) and shows the
// matches as buttons under the field; tapping one, or Enter with one left,
// picks it. A barcode or keyboard user never leaves the field.
type StationPicker struct {
	Entry    *Entry
	matches  *fyne.Container
	stations []model.Station
	exclude  string
	selected string

	// OnPicked is called with the code of the station picked ("" when the
	// text no longer names one); OnSubmit after Enter picked one.
	OnPicked func(code string)
	OnSubmit func()

	obj fyne.CanvasObject
}

// NewStationPicker builds an empty picker.
func NewStationPicker() *StationPicker {
	p := &StationPicker{Entry: NewEntry(), matches: container.NewGridWrap(fyne.NewSize(180, 44))}
	p.Entry.SetPlaceHolder(lang.X("picker.placeholder", "Type a code or a name"))
	p.Entry.OnChanged = func(string) { p.filter() }
	p.Entry.OnSubmitted = func(string) { p.submit() }
	p.obj = container.NewVBox(p.Entry, p.matches)
	return p
}

// SetStations sets the stations offered, leaving out exclude (the
// operator's own station: one does not complain to oneself).
func (p *StationPicker) SetStations(stations []model.Station, exclude string) {
	p.stations, p.exclude = stations, exclude
	p.filter()
}

// Object is the picker's widget tree.
func (p *StationPicker) Object() fyne.CanvasObject { return p.obj }

// Selected returns the code of the station picked, "" if none.
func (p *StationPicker) Selected() string { return p.selected }

// Pick selects a station by code, as a tap on its button does.
func (p *StationPicker) Pick(code string) {
	for _, s := range p.stations {
		if s.Code == code {
			p.selected = code
			p.Entry.SetText(s.Label()) // filter() keeps the selection: the text is its label
			p.matches.RemoveAll()
			p.fitMatches()
			if p.OnPicked != nil {
				p.OnPicked(code)
			}
			return
		}
	}
}

// Clear empties the picker.
func (p *StationPicker) Clear() {
	p.selected = ""
	p.Entry.SetText("")
}

// Matches lists the codes currently suggested.
func (p *StationPicker) Matches() []string {
	var out []string
	for _, o := range p.matches.Objects {
		out = append(out, o.(*widget.Button).Text)
	}
	return out
}

func (p *StationPicker) candidates() []model.Station {
	q := boltstore.FoldText(strings.TrimSpace(p.Entry.Text))
	var out []model.Station
	for _, s := range p.stations {
		if s.Code == p.exclude {
			continue
		}
		if q == "" || strings.Contains(boltstore.FoldText(s.Code+" "+s.Name), q) {
			out = append(out, s)
		}
	}
	return out
}

func (p *StationPicker) filter() {
	if p.selected != "" {
		for _, s := range p.stations {
			if s.Code == p.selected && s.Label() == p.Entry.Text {
				return // the text is the picked station's label
			}
		}
		p.selected = ""
		if p.OnPicked != nil {
			p.OnPicked("")
		}
	}
	p.matches.RemoveAll()
	for i, s := range p.candidates() {
		if i == maxMatches {
			break
		}
		code := s.Code
		b := widget.NewButton(s.Label(), func() { p.Pick(code) })
		p.matches.Add(b)
	}
	p.fitMatches()
}

// fitMatches hides the matches when there are none: an empty grid keeps
// the height of its last rows, a gap under the field.
func (p *StationPicker) fitMatches() {
	if len(p.matches.Objects) == 0 {
		p.matches.Hide()
		return
	}
	p.matches.Show()
	p.matches.Refresh()
}

// submit picks the only match, or an exact code typed, and moves on.
func (p *StationPicker) submit() {
	if p.selected == "" {
		c := p.candidates()
		typed := strings.ToUpper(strings.TrimSpace(p.Entry.Text))
		for _, s := range c {
			if s.Code == typed {
				c = []model.Station{s}
				break
			}
		}
		if len(c) != 1 {
			return
		}
		p.Pick(c[0].Code)
	}
	if p.OnSubmit != nil {
		p.OnSubmit()
	}
}
