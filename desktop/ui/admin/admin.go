// Package admin is the administrator's screen: the plant's stations,
// people, defect categories, severities and enrolled workstations. Online
// every change goes to the plant server's admin API and the lists are read
// back from it; without the server the screen says so, shows the last
// directory this workstation synced and disables the changes. A standalone
// workstation (no server at all) keeps its directory in its own store and
// is administered here too.
package admin

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// Model is what the screen needs: the directory, and one method per
// change. Online each goes to the plant server; standalone to this
// workstation's store.
type Model interface {
	// AdminDirectory reads the directory from the server when it can, and
	// otherwise returns the last one this workstation knows, with Access
	// saying why changes are off.
	AdminDirectory() (model.AdminDirectory, error)

	AddStation(code, name string) error
	RenameStation(code, name string) error
	RetireStation(code, reason string) error

	AddUser(u model.NewUser) (model.Credentials, error)
	UpdateUser(login, displayName string, role domain.Role, station string) error
	DisableUser(login, reason string) error
	EnableUser(login string) error
	ResetPassword(login string) (model.Credentials, error)

	DefineCategory(c domain.Category) error
	UpdateCategory(c domain.Category) error
	RetireCategory(code, reason string) error

	ConfigureSeverity(s domain.SeverityConfig) error

	NewEnrolment(note string) (model.Enrolment, error)
	ReplacementEnrolment(deviceID, note string) (model.Enrolment, error)
	RevokeDevice(id, reason string) error
}

// Tab titles, in order.
func tabTitles() []string {
	return []string{
		lang.X("admin.tab.stations", "Stations"),
		lang.X("admin.tab.people", "People"),
		lang.X("admin.tab.categories", "Categories"),
		lang.X("admin.tab.severities", "Severities and deadlines"),
		lang.X("admin.tab.workstations", "Workstations"),
	}
}

// Screen is the administration screen.
type Screen struct {
	env ui.Env
	m   Model
	dir model.AdminDirectory

	banner *widget.Label  // why changes are off, or where they go
	retry  *widget.Button // asks the server again, when it did not answer
	notice *widget.Label  // what the last change did
	tabs   *container.AppTabs
	lists  [5]*fyne.Container // one per tab, rebuilt on each load
	adds   []*widget.Button   // the "add" buttons, enabled when writable
	enrol  *widget.Button     // enabled online only: a standalone workstation has no server to enrol with
	obj    fyne.CanvasObject

	// dialog is the dialog shown last (tests).
	dialog *formDialog
}

// New builds the screen; Load fills it.
func New(env ui.Env, m Model) *Screen {
	s := &Screen{env: env, m: m}
	s.banner = ui.Wrapped("")
	s.banner.Hide()
	s.retry = widget.NewButton(lang.X("admin.retry", "Try again"), func() { s.Load() })
	s.retry.Hide()
	s.notice = ui.Wrapped("")
	s.notice.Importance = widget.SuccessImportance
	s.notice.Hide()
	titles := tabTitles()
	heads := []fyne.CanvasObject{s.stationsHead(), s.peopleHead(), s.categoriesHead(), s.severitiesHead(), s.devicesHead()}
	s.tabs = container.NewAppTabs()
	for i := range s.lists {
		s.lists[i] = container.NewVBox()
		page := container.NewBorder(heads[i], nil, nil, nil, container.NewVScroll(container.NewPadded(s.lists[i])))
		s.tabs.Append(container.NewTabItem(titles[i], page))
	}
	for _, b := range append(s.adds, s.enrol) {
		b.Disable() // until Load knows whether the server answers
	}
	top := container.NewVBox(container.NewBorder(nil, nil, nil, s.retry, s.banner), s.notice)
	s.obj = container.NewBorder(top, nil, nil, nil, s.tabs)
	return s
}

// Object is the screen's widget tree.
func (s *Screen) Object() fyne.CanvasObject { return s.obj }

// Content wraps the screen.
func (s *Screen) Content() ui.Content { return ui.Content{Object: s.obj, Refresh: s.Load} }

// Show selects a section by its index in tab order.
func (s *Screen) Show(section int) { s.tabs.SelectIndex(section) }

// Load reads the directory (from the server when it answers) and lists it.
func (s *Screen) Load() {
	ui.Load(s.env, s.m.AdminDirectory, func(dir model.AdminDirectory, err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		s.dir = dir
		s.render()
	})
}

func (s *Screen) render() {
	s.showBanner()
	on := s.dir.Access.Writable()
	for _, b := range s.adds {
		setEnabled(b, on)
	}
	setEnabled(s.enrol, s.dir.Access == model.AdminOnline)
	s.fill(0, s.stationRows())
	s.fill(1, s.personRows())
	s.fill(2, s.categoryRows())
	s.fill(3, s.severityRows())
	s.fill(4, s.deviceRows())
}

// fill lists a section's rows. The buttons of every row take the width
// of the widest row's, left-aligned, so that they line up in columns.
func (s *Screen) fill(tab int, rows []entryRow) {
	l := s.lists[tab]
	l.RemoveAll()
	if note := s.localNote(); note != nil {
		l.Add(note)
	}
	if len(rows) == 0 {
		l.Add(widget.NewLabel(lang.X("admin.empty", "Nothing here yet.")))
	}
	var width float32
	for _, r := range rows {
		width = max(width, container.NewHBox(r.buttons...).MinSize().Width)
	}
	for i, r := range rows {
		if i > 0 {
			l.Add(widget.NewSeparator())
		}
		buttons := ui.MinSize(container.NewHBox(r.buttons...), width, 0)
		l.Add(container.NewBorder(nil, nil, nil, buttons, ui.Wrapped(r.text)))
	}
}

// showBanner says where changes go, or why they cannot be made.
func (s *Screen) showBanner() {
	b := s.banner
	b.Importance = widget.WarningImportance
	if s.dir.Access == model.AdminUnreachable {
		s.retry.Show()
	} else {
		s.retry.Hide()
	}
	switch s.dir.Access {
	case model.AdminOnline:
		b.Hide()
		return
	case model.AdminStandalone:
		b.Importance = widget.MediumImportance
		b.SetText(lang.X("admin.banner.standalone",
			"This workstation has no plant server: the stations, people, categories and severities below are kept on this computer only. Workstations are enrolled on a plant server."))
	case model.AdminSignedInOffline:
		b.SetText(lang.X("admin.banner.offline_session",
			"Administration needs the plant server, and you signed in without it. Sign out and sign in again while the network is up. Below: the last directory this workstation synced, read only."))
	case model.AdminUnreachable:
		b.SetText(lang.X("admin.banner.unreachable",
			"Administration needs the plant server, which does not answer. Nothing can be changed until it does. Below: the last directory this workstation synced, read only."))
	case model.AdminNotEnrolled:
		b.SetText(lang.X("admin.banner.not_enrolled",
			"Administration needs the plant server, and this workstation is not connected to one (Settings, Connect to a server). Below: the directory this workstation knows, read only."))
	}
	b.Refresh()
	b.Show()
}

// changed reloads the lists after a change and says where it went.
func (s *Screen) changed() {
	if s.dir.Access == model.AdminStandalone {
		s.notice.SetText(lang.X("admin.saved_local", "Saved on this workstation."))
	} else {
		s.notice.SetText(lang.X("admin.saved_server",
			"Saved on the plant server. This workstation's own lists (sign-in, forms) catch up at its next sync, within a minute."))
	}
	s.notice.Show()
	s.Load()
}

// writable reports whether changes can be made now.
func (s *Screen) writable() bool { return s.dir.Access.Writable() }

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// rowButton is a button of a row, disabled when changes are off.
func (s *Screen) rowButton(label string, tapped func()) *widget.Button {
	b := widget.NewButton(label, tapped)
	setEnabled(b, s.writable())
	return b
}

// addButton is a section's "add" button, enabled with changes.
func (s *Screen) addButton(label string, tapped func()) *widget.Button {
	b := widget.NewButton(label, tapped)
	b.Importance = widget.HighImportance
	s.adds = append(s.adds, b)
	return b
}

// entryRow is one entry of a section: its text, and its buttons on the
// right.
type entryRow struct {
	text    string
	buttons []fyne.CanvasObject
}

func row(text string, buttons ...fyne.CanvasObject) entryRow {
	return entryRow{text: text, buttons: buttons}
}

// localNote labels a list read from this workstation rather than the
// server.
func (s *Screen) localNote() fyne.CanvasObject {
	if !s.dir.Local || s.dir.Access == model.AdminStandalone {
		return nil
	}
	l := widget.NewLabelWithStyle(lang.X("admin.last_known", "Last known on this workstation (not from the server)"),
		fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	return l
}
