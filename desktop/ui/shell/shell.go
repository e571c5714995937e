// Package shell is the main window: first run or sign-in, then a header
// with the signed-in person (quick switch, sign out), the menu of the
// screens meant for their role (from one index), the screen with its
// navigation stack, and the sync status bar, always visible. It also
// signs out after inactivity and sends desktop notifications.
package shell

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/actions"
	administration "boucle/desktop/ui/admin"
	"boucle/desktop/ui/complaints"
	"boucle/desktop/ui/dashboard"
	"boucle/desktop/ui/detail"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/plans"
	"boucle/desktop/ui/problems"
	"boucle/desktop/ui/refused"
	"boucle/desktop/ui/report"
	"boucle/desktop/ui/settings"
	"boucle/desktop/ui/signin"
	"boucle/desktop/ui/syncbar"
	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// Workstation is what the shell needs from the machine.
type Workstation interface {
	signin.Auth
	syncbar.Source
	settings.Model
	administration.Model
	SignOut()
}

// Model is the view model all the screens share.
type Model interface {
	report.Model
	complaints.Model
	detail.Model
	actions.BoardModel
	actions.PlantModel
	plans.Model
	dashboard.Model
	refused.Model
	problems.Model
	problems.RecurrencesModel
	Watch() (model.Watch, error)
	Waiting() (model.Waiting, error)
}

// Shell is the main window's state.
type Shell struct {
	app fyne.App
	win fyne.Window
	ws  Workstation
	m   Model
	env ui.Env

	session model.Session
	screens []ui.Screen
	current int
	root    ui.Content
	stack   []pushed

	menu *fyne.Container
	// menuButtons[i] opens screens[i]; badges[i] counts what waits there.
	menuButtons []*widget.Button
	badges      []*fyne.Container
	badgeTexts  []*canvas.Text
	title       *widget.Label
	back        *widget.Button
	content     *fyne.Container
	bar         *syncbar.Bar
	shown       fyne.CanvasObject // the view on screen (see guard.go)

	activity *activity
	notifier *notifier
	stop     chan struct{} // ends the session's tickers
	// signedIn, when set, is called once a session starts (screenshots).
	signedIn func()
	// lastSignIn is the sign-in screen shown last (tests).
	lastSignIn *signin.SignIn
	// lastRefill is the report form last filled with a refused filing (tests).
	lastRefill *report.Form
}

type pushed struct {
	title string
	view  fyne.CanvasObject
}

// New builds the shell in win. async runs background work (ui.Background
// in the app, ui.Inline in tests).
func New(app fyne.App, win fyne.Window, ws Workstation, m Model, async ui.Async) *Shell {
	s := &Shell{app: app, win: win, ws: ws, m: m}
	s.env = ui.Env{Win: win, Async: async, Now: time.Now, Nav: s, Later: ui.AfterDelay}
	s.activity = newActivity(s)
	s.notifier = newNotifier(s)
	return s
}

// Env is the shell's environment (tests).
func (s *Shell) Env() ui.Env { return s.env }

// Start shows the first run, or the sign-in.
func (s *Shell) Start() {
	if fr, ok := s.ws.(interface{ FirstRun() bool }); ok && fr.FirstRun() {
		s.showFirstRun()
		return
	}
	s.ShowSignIn("")
}

func (s *Shell) showFirstRun() {
	// No status bar yet: there is nothing to sync before the choice.
	f := signin.NewFirstRun(s.env, s.ws, func() { s.ShowSignIn("") })
	s.win.SetContent(f.Object())
}

// withBar adds the sync status bar under a view; a standalone
// workstation's bar offers to connect to a server.
func (s *Shell) withBar(o fyne.CanvasObject) fyne.CanvasObject {
	if s.bar != nil {
		s.bar.Stop()
	}
	s.bar = syncbar.New(s.env, s.ws, func() { settings.ShowEnrol(s.env, s.ws, nil) })
	s.bar.OnRefused(s.openRefusedFromBar)
	return container.NewBorder(nil, s.bar.Object(), nil, nil, o)
}

// ShowSignIn shows the sign-in; reason says why the last session ended.
func (s *Shell) ShowSignIn(reason string) {
	s.endSession()
	si := signin.NewSignIn(s.env, s.ws, reason, s.SignedIn)
	s.lastSignIn = si
	s.win.SetContent(s.withBar(si.Object()))
	si.Load()
}

// SignedIn starts the main view for a session.
func (s *Shell) SignedIn(sess model.Session) {
	if s.lastSignIn != nil {
		s.lastSignIn.Stop()
	}
	s.session = sess
	s.screens = nil
	for _, sc := range s.index() {
		if sc.For(sess.Role) {
			s.screens = append(s.screens, sc)
		}
	}
	s.buildMain()
	s.Show(0)
	s.stop = make(chan struct{})
	s.activity.start(s.stop)
	s.notifier.start(s.stop)
	s.listenForRecords(s.stop)
	s.updateBadges()
	if s.signedIn != nil {
		s.signedIn()
	}
}

func (s *Shell) endSession() {
	s.showing(nil)
	s.root = ui.Content{}
	if s.stop != nil {
		close(s.stop)
		s.stop = nil
	}
	s.stack, s.session = nil, model.Session{}
}

// SwitchUser ends the session and shows the people of the workstation:
// shared stations change hands at every shift. A form with a draft asks
// first.
func (s *Shell) SwitchUser() {
	s.ask(s.stackViews(), func() { s.signOut("") })
}

func (s *Shell) signOut(reason string) {
	ws := s.ws
	ui.Do(s.env, func() error { ws.SignOut(); return nil }, func(error) { s.ShowSignIn(reason) })
}

func (s *Shell) buildMain() {
	s.title = ui.Heading("")
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.back = widget.NewButtonWithIcon(lang.X("nav.back", "Back"), theme.NavigateBackIcon(), s.Back)
	s.back.Hide()
	who := s.session.DisplayName + " · " + i18n.Role(s.session.Role)
	if s.session.Offline {
		who += " · " + lang.X("shell.offline_session", "signed in offline")
	}
	user := widget.NewLabelWithStyle(who, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	switchUser := widget.NewButtonWithIcon(lang.X("shell.switch", "Switch user"), theme.AccountIcon(), s.SwitchUser)
	signOut := widget.NewButtonWithIcon(lang.X("shell.sign_out", "Sign out"), theme.LogoutIcon(), func() {
		s.ask(s.stackViews(), func() { s.signOut("") })
	})
	place := widget.NewLabel("Boucle · " + s.session.Station)
	header := container.NewBorder(nil, nil, container.NewHBox(place, s.back, s.title), container.NewHBox(user, switchUser, signOut))
	s.menu = container.NewVBox()
	s.menuButtons, s.badges, s.badgeTexts = nil, nil, nil
	for i, sc := range s.screens {
		i, sc := i, sc
		b := widget.NewButtonWithIcon(sc.Title, sc.Icon, func() { s.Navigate(i) })
		b.Alignment = widget.ButtonAlignLeading
		var o fyne.CanvasObject = b
		if s.session.Role == domain.RoleOperator {
			o = ui.Touch(b)
		}
		pill, txt := newBadge()
		s.menuButtons = append(s.menuButtons, b)
		s.badges, s.badgeTexts = append(s.badges, pill), append(s.badgeTexts, txt)
		s.menu.Add(container.NewBorder(nil, nil, nil, container.NewCenter(pill), o))
	}
	s.content = container.NewStack()
	main := container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil,
		container.NewHBox(container.NewPadded(s.menu), widget.NewSeparator()), nil, s.content)
	s.win.SetContent(s.withBar(newHoverRoot(main, s.Touch)))
	s.shortcuts()
}

// shortcuts binds the keyboard: Ctrl+1… opens the menu's screens, Alt+←
// goes back, Ctrl+R syncs now, F5 reloads.
func (s *Shell) shortcuts() {
	c := s.win.Canvas()
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
	for i := range s.screens {
		if i >= len(keys) {
			break
		}
		i := i
		c.AddShortcut(&desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierControl}, func(fyne.Shortcut) { s.Navigate(i) })
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) { s.Back() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierControl}, func(fyne.Shortcut) { s.ws.SyncNow() })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		s.Touch()
		switch e.Name {
		case fyne.KeyF5:
			s.refresh()
		case fyne.KeyEscape, fyne.KeyBackspace:
			s.Back()
		}
	})
}

// Show opens the i-th screen of the menu, as the root of the stack.
func (s *Shell) Show(i int) {
	if i < 0 || i >= len(s.screens) {
		return
	}
	s.Touch()
	s.current, s.stack = i, nil
	s.root = s.screens[i].View(s.env)
	s.showTop()
	s.updateBadges()
	for j, b := range s.menuButtons {
		b.Importance = widget.MediumImportance
		if j == i {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
}

// ShowID opens a screen by its index id, if the role has it.
func (s *Shell) ShowID(id string) bool {
	for i, sc := range s.screens {
		if sc.ID == id {
			s.Show(i)
			return true
		}
	}
	return false
}

// Screens lists the ids of the screens in the menu (tests).
func (s *Shell) Screens() []string {
	var out []string
	for _, sc := range s.screens {
		out = append(out, sc.ID)
	}
	return out
}

// Push shows a view over the current one.
func (s *Shell) Push(title string, view fyne.CanvasObject) {
	s.Touch()
	s.stack = append(s.stack, pushed{title, view})
	s.showTop()
}

// Back returns to the previous view once the view closed lets it (a
// form with a draft asks first); back at the root, it reloads it.
func (s *Shell) Back() {
	if len(s.stack) == 0 {
		return
	}
	s.ask([]fyne.CanvasObject{s.stack[len(s.stack)-1].view}, s.pop)
}

// pop returns to the previous view.
func (s *Shell) pop() {
	if len(s.stack) == 0 {
		return
	}
	s.Touch()
	s.stack = s.stack[:len(s.stack)-1]
	s.showTop()
	if len(s.stack) == 0 && s.root.Refresh != nil {
		s.root.Refresh()
	}
}

func (s *Shell) showTop() {
	var o fyne.CanvasObject
	if n := len(s.stack); n > 0 {
		o = s.stack[n-1].view
		s.title.SetText(s.stack[n-1].title)
		s.back.Show()
	} else {
		o = s.root.Object
		s.title.SetText(s.screens[s.current].Title)
		s.back.Hide()
	}
	s.content.Objects = []fyne.CanvasObject{o}
	s.content.Refresh()
	s.showing(o)
}

// Top is the view shown (tests).
func (s *Shell) Top() fyne.CanvasObject {
	if len(s.content.Objects) == 0 {
		return nil
	}
	return s.content.Objects[0]
}

// refresh reloads the root screen when it is the one shown: a pushed
// view may hold a half-filled form, which a reload would lose.
func (s *Shell) refresh() {
	if len(s.stack) == 0 && s.root.Refresh != nil {
		s.root.Refresh()
	}
}

// OpenComplaint pushes a complaint's screen.
func (s *Shell) OpenComplaint(id string) { s.OpenComplaintAt(id, "") }

// OpenComplaintAt pushes a complaint's screen showing a tab or a task by
// name (see detail.Screen.Show); "" shows the overview.
func (s *Shell) OpenComplaintAt(id, what string) {
	d := detail.New(s.env, s.m, id)
	d.OpenProblem = s.OpenProblem
	s.Push(lang.X("shell.complaint", "Complaint"), d.Object())
	if what != "" {
		d.Then(func() { d.Show(what) })
	}
	d.Load()
}

// Touch records activity (see activity.go).
func (s *Shell) Touch() { s.activity.touch() }

// Session is the signed-in user.
func (s *Shell) Session() model.Session { return s.session }

// OnSignedIn sets a function called when a session starts.
func (s *Shell) OnSignedIn(fn func()) { s.signedIn = fn }

// OpenProblem pushes a problem's page (problems.Screen).
func (s *Shell) OpenProblem(id analytics.ProblemID) { s.OpenProblemAt(id, "") }

// OpenProblemAt pushes a problem's page and opens a dialog by name
// ("merge", "split"; "" none).
func (s *Shell) OpenProblemAt(id analytics.ProblemID, what string) {
	p := problems.New(s.env, s.m, id, problems.Opener{Complaint: s.OpenComplaint, Plan: s.OpenPlan, Problem: s.OpenProblem})
	s.Push(lang.X("shell.problem", "Problem"), p.Object())
	if what != "" {
		p.Then(func() { p.Show(what) })
	}
	p.Load()
}

// OpenRecurrences pushes the list of the recurrences the dashboard's
// query selects; period names it in a sentence.
func (s *Shell) OpenRecurrences(q model.DashboardQuery, period string) {
	r := problems.NewRecurrences(s.env, s.m, q, period, problems.Opener{Complaint: s.OpenComplaint, Plan: s.OpenPlan, Problem: s.OpenProblem})
	s.Push(lang.X("recurrences.title", "Recurrences"), r.Object())
	r.Load()
}

// OpenPlan pushes a preventive plan's screen.
func (s *Shell) OpenPlan(id string) {
	p := plans.NewScreen(s.env, s.m, id, s.OpenComplaint)
	s.Push(lang.X("plans.plan", "Preventive plan"), p.Object())
	p.Load()
}

// OpenPlanDraft pushes the form of a new plan from complaints, against
// a supplier station picked in advance ("" picks none); the plan drafted
// opens in its place.
func (s *Shell) OpenPlanDraft(station string) {
	f := plans.NewDraft(s.env, s.m, func(id string) {
		s.Back()
		s.OpenPlan(id)
	})
	f.Preselect(station)
	s.Push(lang.X("plans.new", "New plan from complaints"), f.Object())
	f.Load()
}

// OpenReportForm opens the report form: the operator's home screen, the
// engineer's "File a complaint".
func (s *Shell) OpenReportForm() bool { return s.ShowID("report") || s.ShowID("file") }

// OpenReportFormWith pushes the report form filled with nc: a filing the
// server refused, recorded again; saved is called once it is filed.
func (s *Shell) OpenReportFormWith(nc model.NewComplaint, saved func()) *report.Form {
	f := report.NewForm(s.env, s.m, s.OpenComplaint)
	f.OpenProblem = s.OpenProblem
	f.Prefill(nc)
	f.OnSaved = func(model.Filed) {
		if saved != nil {
			saved()
			saved = nil // once: the form stays open for another defect
		}
	}
	s.lastRefill = f
	s.Push(lang.X("report.title", "Report a defect"), f.Object())
	f.Load()
	return f
}

// OpenRefused pushes the list of changes the server refused.
func (s *Shell) OpenRefused() *refused.Screen {
	r := refused.New(s.env, s.m, refused.Redo{
		File:          func(nc model.NewComplaint, saved func()) { s.OpenReportFormWith(nc, saved) },
		OpenComplaint: s.OpenComplaint,
		OpenPlan:      s.OpenPlan,
	})
	s.Push(lang.X("refused.title", "Refused by the server"), r.Object())
	r.Load()
	return r
}

// openRefusedFromBar opens the refusals from the status bar's button when
// someone is signed in (recording again needs a session); the bar shows
// its read-only list otherwise.
func (s *Shell) openRefusedFromBar() bool {
	if s.session.Login == "" || s.content == nil {
		return false
	}
	s.OpenRefused()
	return true
}

// Close ends the session's tickers and the status bar's subscription,
// before the window goes: nothing must reach widgets after that.
func (s *Shell) Close() {
	s.endSession()
	if s.bar != nil {
		s.bar.Stop()
	}
}
