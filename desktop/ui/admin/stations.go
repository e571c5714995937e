package admin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

func (s *Screen) stationsHead() fyne.CanvasObject {
	add := s.addButton(lang.X("admin.station.add", "Add a station"), s.addStation)
	return container.NewHBox(add)
}

func (s *Screen) stationRows() []entryRow {
	var rows []entryRow
	for _, st := range s.dir.Stations {
		text := model.Station{Code: st.Code, Name: st.Name}.Label()
		if st.Retired {
			rows = append(rows, row(text+" · "+lang.X("admin.retired", "retired")))
			continue
		}
		rows = append(rows, row(text,
			s.rowButton(lang.X("admin.station.rename", "Rename"), func() { s.renameStation(st) }),
			s.rowButton(lang.X("admin.station.retire", "Retire"), func() { s.retireStation(st) })))
	}
	return rows
}

func (s *Screen) addStation() {
	code, name := widget.NewEntry(), widget.NewEntry()
	code.SetPlaceHolder("CUT1")
	name.SetPlaceHolder(lang.X("firstrun.station_name_placeholder", "e.g. Press 2"))
	f := ui.NewForm()
	f.Add("entity_id", lang.X("field.code", "Code"), code)
	f.Alias("code", "entity_id")
	f.Add("name", lang.X("field.name", "Name"), name)
	intro := ui.Wrapped(lang.X("admin.station.add_intro", "The code is what workstations and complaint numbers show (capitals, digits, '-' or '_'); it cannot change afterwards."))
	s.showForm(lang.X("admin.station.add_title", "Add a station"), lang.X("admin.station.add_confirm", "Add the station"), intro, f,
		func() error {
			return s.m.AddStation(strings.ToUpper(strings.TrimSpace(code.Text)), strings.TrimSpace(name.Text))
		}, s.changed)
}

func (s *Screen) renameStation(st domain.Station) {
	name := widget.NewEntry()
	name.SetText(st.Name)
	f := ui.NewForm()
	f.Add("name", lang.X("field.name", "Name"), name)
	title := lang.X("admin.station.rename_title", "Rename station {{.Code}}", map[string]any{"Code": st.Code})
	s.showForm(title, lang.X("admin.save", "Save"), nil, f,
		func() error { return s.m.RenameStation(st.Code, strings.TrimSpace(name.Text)) }, s.changed)
}

func (s *Screen) retireStation(st domain.Station) {
	q := lang.X("admin.station.retire_question",
		"Retire station {{.Station}}? It is no longer offered for new complaints; its complaints, people and history stay.",
		map[string]any{"Station": model.Station{Code: st.Code, Name: st.Name}.Label()})
	s.showConfirm(lang.X("admin.station.retire_title", "Retire a station"), q, lang.X("admin.station.retire_confirm", "Retire the station"), lang.X("field.reason", "Reason"),
		func(reason string) error { return s.m.RetireStation(st.Code, strings.TrimSpace(reason)) })
}
