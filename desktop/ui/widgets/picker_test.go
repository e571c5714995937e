package widgets_test

import (
	"testing"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/ui/widgets"
)

// Once a station is picked its suggestions go, and leave no gap: the
// picker is as tall as its field.
func TestStationPicker_NoGapOncePicked(t *testing.T) {
	env, _ := uitest.New(t)
	p := widgets.NewStationPicker()
	uitest.Show(env, p.Object())
	p.SetStations([]model.Station{{Code: "CUT1", Name: "Cutting 1"}, {Code: "PAINT", Name: "Paint"}}, "")
	if len(p.Matches()) != 2 {
		t.Fatalf("matches %v", p.Matches())
	}
	p.Pick("CUT1")
	if got, want := p.Object().MinSize().Height, p.Entry.MinSize().Height; got > want {
		t.Fatalf("picker height %v once picked, field %v: a gap", got, want)
	}
}
