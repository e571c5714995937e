// Package signin holds the screens before the work: the first run (connect
// to the plant server with an enrolment code, or work standalone) and the
// sign-in, with a quick switch between the people of a shared workstation.
package signin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// Auth is what the screens need from the workstation.
type Auth interface {
	DefaultServer() string
	Settings() model.Settings
	Enrol(server, code, station, name string) error
	StartStandalone(station, stationName, login, displayName, password string) error
	KnownUsers() ([]domain.User, error)
	SignIn(login, password string) (model.Session, error)
}

// FirstRun asks how this workstation works: with the plant server, or
// standalone.
type FirstRun struct {
	env  ui.Env
	a    Auth
	done func()

	Server, Code, Station, Name             *widget.Entry
	LocalStation, LocalName, Login, Display *widget.Entry
	Password, Confirm                       *widget.Entry
	connect, standalone                     *widget.Button
	serverForm, localForm                   *ui.Form
	obj                                     fyne.CanvasObject
}

// NewFirstRun builds the screen; done runs once the workstation is set up.
func NewFirstRun(env ui.Env, a Auth, done func()) *FirstRun {
	f := &FirstRun{env: env, a: a, done: done}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		return e
	}
	f.Server = entry("http://server:8477")
	f.Server.SetText(a.DefaultServer())
	f.Code = entry("XXXX-XXXX")
	f.Station = entry(lang.X("firstrun.station_placeholder", "e.g. PRESS2 (empty for an office PC)"))
	f.Name = entry(lang.X("firstrun.name_placeholder", "e.g. Press 2, line side"))
	f.serverForm = ui.NewForm()
	f.serverForm.Add("server", lang.X("field.server", "Server address"), f.Server)
	f.serverForm.Add("enrolment_code", lang.X("field.enrolment_code", "Enrolment code"), f.Code)
	f.serverForm.Add("station", lang.X("field.station", "Station"), f.Station)
	f.serverForm.Add("name", lang.X("firstrun.workstation_name", "Workstation name"), f.Name)
	f.connect = widget.NewButtonWithIcon(lang.X("firstrun.connect", "Connect"), theme.LoginIcon(), f.doConnect)
	f.connect.Importance = widget.HighImportance

	f.LocalStation = entry("PRESS2")
	f.LocalName = entry(lang.X("firstrun.station_name_placeholder", "e.g. Press 2"))
	f.Login = entry("admin")
	f.Display = entry(lang.X("firstrun.display_placeholder", "Your name"))
	f.Password = widget.NewPasswordEntry()
	f.Confirm = widget.NewPasswordEntry()
	f.localForm = ui.NewForm()
	f.localForm.Add("station", lang.X("field.station", "Station"), f.LocalStation)
	f.localForm.Add("name", lang.X("firstrun.station_name", "Station name"), f.LocalName)
	f.localForm.Add("login", lang.X("firstrun.admin_login", "Administrator's user id"), f.Login)
	f.localForm.Add("display_name", lang.X("field.name", "Name"), f.Display)
	f.localForm.Add("password", lang.X("field.password", "Password"), f.Password)
	f.localForm.Add("confirm", lang.X("firstrun.confirm", "Password again"), f.Confirm)
	f.standalone = widget.NewButtonWithIcon(lang.X("firstrun.start_standalone", "Start standalone"), theme.ComputerIcon(), f.doStandalone)

	// The explanations wrap inside the cards (a card's subtitle does not,
	// and a long French one would push the window wider than the screen).
	server := widget.NewCard(lang.X("firstrun.server_title", "Connect to the plant server"), "",
		container.NewVBox(ui.Wrapped(lang.X("firstrun.server_sub", "Ask the administrator for a one-time enrolment code.")),
			f.serverForm.Object(), f.connect))
	local := widget.NewCard(lang.X("firstrun.local_title", "Work standalone"), "",
		container.NewVBox(ui.Wrapped(lang.X("firstrun.local_sub", "Everything stays on this computer; you can connect to a server later without losing anything.")),
			f.localForm.Object(), f.standalone))
	title := widget.NewLabelWithStyle(lang.X("firstrun.welcome", "Welcome to Boucle: set up this workstation"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	f.obj = container.NewVScroll(container.NewPadded(container.NewVBox(title, container.NewGridWithColumns(2, server, local))))
	return f
}

// Object is the screen's widget tree.
func (f *FirstRun) Object() fyne.CanvasObject { return f.obj }

func (f *FirstRun) doConnect() {
	server, code, station, name := f.Server.Text, f.Code.Text, f.Station.Text, f.Name.Text
	f.connect.Disable()
	ui.Do(f.env, func() error { return f.a.Enrol(server, code, station, name) }, func(err error) {
		f.connect.Enable()
		if err != nil {
			ui.FocusField(f.env.Win, f.serverForm.Show(err))
			return
		}
		f.done()
	})
}

func (f *FirstRun) doStandalone() {
	if f.Password.Text != f.Confirm.Text {
		f.localForm.Show(domain.FieldError("confirm", "%s", lang.X("firstrun.mismatch", "the two passwords differ")))
		return
	}
	st, name, login, display, pw := f.LocalStation.Text, f.LocalName.Text, f.Login.Text, f.Display.Text, f.Password.Text
	f.standalone.Disable()
	ui.Do(f.env, func() error { return f.a.StartStandalone(st, name, login, display, pw) }, func(err error) {
		f.standalone.Enable()
		if err != nil {
			ui.FocusField(f.env.Win, f.localForm.Show(err))
			return
		}
		f.done()
	})
}

// ServerError and LocalError return the error shown under a field (tests).
func (f *FirstRun) ServerError(field string) string { return f.serverForm.ErrorText(field) }
func (f *FirstRun) LocalError(field string) string  { return f.localForm.ErrorText(field) }

// SignIn is the sign-in screen: the people who work here as big buttons
// (a tap fills the user), then the password.
type SignIn struct {
	env    ui.Env
	a      Auth
	done   func(model.Session)
	Login  *widget.Entry
	Pass   *widget.Entry
	submit *widget.Button
	people *fyne.Container
	// peopleHead asks "Who are you?" above the people, when there are some.
	peopleHead *widget.Label
	form       *ui.Form
	status     *widget.Label
	obj        fyne.CanvasObject
	// stopped is set once the screen is replaced: a late load must not
	// focus a field that is gone.
	stopped bool
}

// Stop marks the screen as replaced.
func (s *SignIn) Stop() { s.stopped = true }

// NewSignIn builds the screen; done runs with the session once signed in.
// reason, when set, says why the previous session ended.
func NewSignIn(env ui.Env, a Auth, reason string, done func(model.Session)) *SignIn {
	s := &SignIn{env: env, a: a, done: done}
	s.Login = widget.NewEntry()
	s.Login.SetPlaceHolder(lang.X("signin.login_placeholder", "user id"))
	s.Pass = widget.NewPasswordEntry()
	s.Login.OnSubmitted = func(string) { env.Win.Canvas().Focus(s.Pass) }
	s.Pass.OnSubmitted = func(string) { s.doSignIn() }
	s.submit = widget.NewButtonWithIcon(lang.X("signin.submit", "Sign in"), theme.LoginIcon(), s.doSignIn)
	s.submit.Importance = widget.HighImportance
	s.form = ui.NewForm()
	s.form.Add("login", lang.X("field.login", "User"), ui.MinSize(s.Login, 280, 44))
	s.form.Add("password", lang.X("field.password", "Password"), ui.MinSize(s.Pass, 280, 44))
	s.people = container.NewGridWrap(fyne.NewSize(personMinWidth, ui.TouchHeight))
	s.status = widget.NewLabel(reason)
	s.status.Importance = widget.WarningImportance
	s.status.Alignment = fyne.TextAlignCenter
	s.status.Hidden = reason == ""
	title := widget.NewLabelWithStyle("Boucle", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	where := a.Settings().Station
	sub := widget.NewLabel(lang.X("signin.where", "Workstation {{.Station}}", map[string]any{"Station": orDash(where)}))
	sub.Alignment = fyne.TextAlignCenter
	s.peopleHead = widget.NewLabelWithStyle(lang.X("signin.who", "Who are you?"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.peopleHead.Hide()
	box := container.NewVBox(title, sub, s.status, s.peopleHead, container.NewCenter(s.people),
		container.NewCenter(container.NewVBox(s.form.Object(), ui.Touch(s.submit))))
	s.obj = container.NewVScroll(container.NewCenter(container.NewPadded(box)))
	return s
}

// The people's buttons are as wide as the longest "name · role", between
// these bounds: three fit side by side on a 1280-pixel screen.
const (
	personMinWidth = 200
	personMaxWidth = 400
)

// personLabel is a person's button text: "Julien Moreau · Quality
// engineer", the name cut with "…" in the rare case it would not fit the
// widest button (the role stays whole: it tells two namesakes apart).
func personLabel(u domain.User) string {
	role := " · " + i18n.Role(u.Role)
	name := []rune(u.DisplayName)
	fits := func(s string) bool {
		return widget.NewButton(s, nil).MinSize().Width <= personMaxWidth
	}
	if fits(string(name) + role) {
		return string(name) + role
	}
	for len(name) > 1 && !fits(string(name)+"…"+role) {
		name = name[:len(name)-1]
	}
	return strings.TrimSpace(string(name)) + "…" + role
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Object is the screen's widget tree.
func (s *SignIn) Object() fyne.CanvasObject { return s.obj }

// Load lists the people who signed in here before.
func (s *SignIn) Load() {
	ui.Load(s.env, s.a.KnownUsers, func(users []domain.User, err error) {
		s.people.RemoveAll()
		if err != nil {
			return
		}
		width := float32(personMinWidth)
		for _, u := range users {
			login := u.Login
			b := widget.NewButton(personLabel(u), func() {
				s.Login.SetText(login)
				s.env.Win.Canvas().Focus(s.Pass)
			})
			width = max(width, b.MinSize().Width)
			s.people.Add(b)
		}
		// One width for every button (a grid keeps the faces aligned), the
		// widest label's, so that no name spills out of its button.
		s.people.Layout = layout.NewGridWrapLayout(fyne.NewSize(min(width, personMaxWidth), ui.TouchHeight))
		s.people.Refresh()
		s.peopleHead.Hidden = len(users) == 0
		s.peopleHead.Refresh()
		if !s.stopped {
			s.env.Win.Canvas().Focus(s.Login)
		}
	})
}

// People lists the quick-switch buttons' labels (tests).
func (s *SignIn) People() []string {
	var out []string
	for _, o := range s.people.Objects {
		out = append(out, o.(*widget.Button).Text)
	}
	return out
}

func (s *SignIn) doSignIn() {
	login, pw := strings.TrimSpace(s.Login.Text), s.Pass.Text
	s.submit.Disable()
	ui.Load(s.env, func() (model.Session, error) { return s.a.SignIn(login, pw) }, func(sess model.Session, err error) {
		s.submit.Enable()
		if err != nil {
			s.Pass.SetText("")
			fld := s.form.Show(err)
			if fld == nil {
				fld = s.form.Fields()[1]
			}
			ui.FocusField(s.env.Win, fld)
			return
		}
		s.done(sess)
	})
}

// Error returns the sign-in error shown, "" if none.
func (s *SignIn) Error() string {
	for _, f := range []string{"login", "password"} {
		if e := s.form.ErrorText(f); e != "" {
			return e
		}
	}
	return s.form.FormError()
}
