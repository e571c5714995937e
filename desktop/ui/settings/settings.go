// Package settings is the workstation's settings screen (station,
// sign-out after inactivity, language, connection to the server). The
// plant's directory, a standalone workstation's included, is administered
// on the Administration screen (desktop/ui/admin).
package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// Model is what the screen needs.
type Model interface {
	Session() model.Session
	Reference() (model.Reference, error)
	Settings() model.Settings
	SaveSettings(model.Settings) error
	Status() model.SyncStatus
	DefaultServer() string
	Enrol(server, code, station, name string) error
}

// idleChoices are the inactivity delays offered, in minutes (0: never).
var idleChoices = []int{0, 5, 10, 15, 30, 60}

// Screen is the settings screen.
type Screen struct {
	env ui.Env
	m   Model
	ref model.Reference

	station  *widget.Select
	idle     *widget.Select
	language *widget.Select
	notice   *widget.Label
	obj      fyne.CanvasObject
}

// New builds the screen; Load fills it.
func New(env ui.Env, m Model) *Screen {
	s := &Screen{env: env, m: m}
	s.station = ui.NewSelect(nil, nil)
	var idle []string
	for _, n := range idleChoices {
		idle = append(idle, idleLabel(n))
	}
	s.idle = ui.NewSelect(idle, nil)
	s.language = ui.NewSelect([]string{lang.X("settings.lang_system", "As the system"), "English", "Français"}, nil)
	s.notice = widget.NewLabel("")
	s.notice.Importance = widget.SuccessImportance
	s.notice.Hide()
	save := widget.NewButton(lang.X("settings.save", "Save the settings"), s.save)
	save.Importance = widget.HighImportance
	form := ui.NewForm()
	form.Add("station", lang.X("field.station", "Station"), s.station)
	form.Add("idle", lang.X("settings.idle", "Sign out after inactivity"), s.idle)
	form.Add("language", lang.X("settings.language", "Language (at the next start)"), s.language)
	conn := widget.NewLabel("")
	st := m.Status()
	if st.Enrolled {
		conn.SetText(lang.X("settings.connected", "Connected to {{.Server}}", map[string]any{"Server": st.Server}))
	} else {
		conn.SetText(lang.X("sync.standalone", "Standalone (this computer only)"))
	}
	connection := container.NewVBox(ui.Heading(lang.X("settings.connection", "Connection")), conn)
	if !st.Enrolled {
		connection.Add(container.NewHBox(widget.NewButton(lang.X("sync.connect", "Connect to a server"), func() { ShowEnrol(env, m, s.Load) })))
	}
	body := container.NewVBox(ui.Heading(lang.X("settings.workstation", "This workstation")), form.Object(),
		container.NewHBox(save), s.notice, widget.NewSeparator(), connection)
	s.obj = container.NewVScroll(container.NewPadded(body))
	return s
}

func idleLabel(n int) string {
	if n == 0 {
		return lang.X("settings.idle_never", "Never")
	}
	return lang.X("settings.idle_minutes", "After {{.N}} min", map[string]any{"N": n})
}

// Object is the screen's widget tree.
func (s *Screen) Object() fyne.CanvasObject { return s.obj }

// Content wraps the screen.
func (s *Screen) Content() ui.Content { return ui.Content{Object: s.obj, Refresh: s.Load} }

// Load fills the fields.
func (s *Screen) Load() {
	ui.Load(s.env, s.m.Reference, func(ref model.Reference, err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		s.ref = ref
		set := s.m.Settings()
		opts := []string{lang.X("settings.no_station", "None (office PC)")}
		selected := 0
		for i, st := range ref.Stations {
			opts = append(opts, st.Label())
			if st.Code == set.Station {
				selected = i + 1
			}
		}
		s.station.SetOptions(opts)
		s.station.SetSelectedIndex(selected)
		s.idle.SetSelected(idleLabel(set.IdleMinutes))
		switch set.Language {
		case "en":
			s.language.SetSelectedIndex(1)
		case "fr":
			s.language.SetSelectedIndex(2)
		default:
			s.language.SetSelectedIndex(0)
		}
	})
}

func (s *Screen) save() {
	set := s.m.Settings()
	set.Station = ""
	if i := s.station.SelectedIndex(); i > 0 {
		set.Station = s.ref.Stations[i-1].Code
	}
	if i := s.idle.SelectedIndex(); i >= 0 {
		set.IdleMinutes = idleChoices[i]
	}
	set.Language = []string{"", "en", "fr"}[max(0, s.language.SelectedIndex())]
	ui.Do(s.env, func() error { return s.m.SaveSettings(set) }, func(err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		s.notice.SetText(lang.X("settings.saved", "Saved."))
		s.notice.Show()
	})
}

// Enroller is what the enrolment dialog needs.
type Enroller interface {
	DefaultServer() string
	Settings() model.Settings
	Enrol(server, code, station, name string) error
}

// ShowEnrol asks for the server address and an enrolment code, and
// connects this workstation: nothing recorded locally is lost.
func ShowEnrol(env ui.Env, m Enroller, done func()) {
	server, code := widget.NewEntry(), widget.NewEntry()
	server.SetText(m.DefaultServer())
	server.SetPlaceHolder("http://server:8477")
	code.SetPlaceHolder("XXXX-XXXX")
	f := ui.NewForm()
	f.Add("server", lang.X("field.server", "Server address"), server)
	f.Add("enrolment_code", lang.X("field.enrolment_code", "Enrolment code"), code)
	content := container.NewVBox(ui.Wrapped(lang.X("enrol.keeps", "What was recorded on this workstation is kept and sent to the server.")), f.Object())
	var d *dialog.CustomDialog
	connect := widget.NewButton(lang.X("firstrun.connect", "Connect"), func() {
		set := m.Settings()
		sv, c := server.Text, code.Text
		ui.Do(env, func() error { return m.Enrol(sv, c, set.Station, set.Name) }, func(err error) {
			if err != nil {
				f.Show(err)
				return
			}
			d.Hide()
			if done != nil {
				done()
			}
		})
	})
	connect.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("action.cancel", "Cancel"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(lang.X("sync.connect", "Connect to a server"), content, env.Win)
	d.SetButtons([]fyne.CanvasObject{cancel, connect})
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
}
