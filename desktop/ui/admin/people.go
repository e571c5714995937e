package admin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// roles are the roles a person may hold, in the order offered.
var roles = []domain.Role{domain.RoleOperator, domain.RoleEngineer, domain.RoleManager, domain.RoleAdmin}

func (s *Screen) peopleHead() fyne.CanvasObject {
	add := s.addButton(lang.X("admin.person.add", "Add a person"), s.addPerson)
	return container.NewHBox(add)
}

func (s *Screen) personRows() []entryRow {
	var rows []entryRow
	for _, u := range s.dir.Users {
		rows = append(rows, s.personRow(u))
	}
	return rows
}

func (s *Screen) personRow(u model.AdminUser) entryRow {
	parts := []string{u.DisplayName + " (" + u.Login + ")", i18n.Role(u.Role)}
	if u.Station != "" {
		parts = append(parts, u.Station)
	}
	state := lang.X("admin.person.enabled", "enabled")
	if u.Disabled {
		state = lang.X("admin.person.disabled", "disabled")
	}
	parts = append(parts, state)
	if s.dir.Access == model.AdminOnline && !u.HasPassword {
		// Registered by an event alone (a standalone workstation enrolled
		// since): they cannot sign in until they are given a password.
		parts = append(parts, lang.X("admin.person.no_password", "no password yet: reset it to let them sign in"))
	}
	edit := s.rowButton(lang.X("admin.person.edit", "Edit"), func() { s.editPerson(u) })
	reset := s.rowButton(lang.X("admin.person.reset", "Reset password"), func() { s.resetPassword(u) })
	var toggle *widget.Button
	if u.Disabled {
		toggle = s.rowButton(lang.X("admin.person.enable", "Enable"), func() { s.enablePerson(u) })
		reset.Disable() // a disabled person cannot sign in: enable first
	} else {
		toggle = s.rowButton(lang.X("admin.person.disable", "Disable"), func() { s.disablePerson(u) })
	}
	if u.Login == s.dir.Me {
		// Your own password is changed at sign-in, not reset here (a reset
		// would end this session), and disabling yourself locks you out.
		parts = append(parts, lang.X("admin.person.you", "you"))
		reset.Disable()
		toggle.Disable()
	}
	return row(strings.Join(parts, " · "), edit, reset, toggle)
}

// roleSelect offers the roles, with the current one selected.
func roleSelect(current domain.Role) *widget.Select {
	var labels []string
	for _, r := range roles {
		labels = append(labels, i18n.Role(r))
	}
	sel := ui.NewSelect(labels, nil)
	for i, r := range roles {
		if r == current {
			sel.SetSelectedIndex(i)
		}
	}
	return sel
}

func selectedRole(sel *widget.Select) domain.Role {
	if i := sel.SelectedIndex(); i >= 0 {
		return roles[i]
	}
	return ""
}

// stationSelect offers "none" and the active stations (and current, if
// it was retired since), with current selected; codes maps the choice.
func (s *Screen) stationSelect(current string) (*widget.Select, func() string) {
	codes := []string{""}
	labels := []string{lang.X("admin.person.no_station", "— (none: engineers, managers)")}
	for _, st := range s.dir.Stations {
		if !st.Retired || st.Code == current {
			codes = append(codes, st.Code)
			labels = append(labels, model.Station{Code: st.Code, Name: st.Name}.Label())
		}
	}
	sel := ui.NewSelect(labels, nil)
	sel.SetSelectedIndex(0)
	for i, c := range codes {
		if c == current {
			sel.SetSelectedIndex(i)
		}
	}
	return sel, func() string { return codes[max(0, sel.SelectedIndex())] }
}

func (s *Screen) addPerson() {
	login, name := widget.NewEntry(), widget.NewEntry()
	login.SetPlaceHolder("marie.dupont")
	role := roleSelect(domain.RoleOperator)
	station, code := s.stationSelect("")
	f := ui.NewForm()
	f.Add("entity_id", lang.X("admin.field.login", "User id"), login)
	f.Alias("login", "entity_id")
	f.Add("display_name", lang.X("field.name", "Name"), name)
	f.Add("role", lang.X("field.role", "Role"), role)
	f.Add("station", lang.X("admin.field.home_station", "Home station"), station)
	intro := ui.Wrapped(lang.X("admin.person.add_intro", "The user id is what they type to sign in (lower-case letters, digits, '.', '_' or '-'). A password is generated and shown once."))
	var creds model.Credentials
	s.showForm(lang.X("admin.person.add_title", "Add a person"), lang.X("admin.person.add_confirm", "Add the person"), intro, f,
		func() (err error) {
			u := model.NewUser{Login: strings.ToLower(strings.TrimSpace(login.Text)), DisplayName: strings.TrimSpace(name.Text),
				Role: selectedRole(role), Station: code()}
			creds, err = s.m.AddUser(u)
			return err
		},
		func() {
			s.changed()
			s.showPassword(lang.X("admin.person.added_title", "Person added"), creds,
				lang.X("admin.person.added_lead", "{{.Login}} can now sign in with this password:", map[string]any{"Login": creds.Login}))
		})
}

func (s *Screen) editPerson(u model.AdminUser) {
	name := widget.NewEntry()
	name.SetText(u.DisplayName)
	role := roleSelect(u.Role)
	station, code := s.stationSelect(u.Station)
	f := ui.NewForm()
	f.Add("display_name", lang.X("field.name", "Name"), name)
	f.Add("role", lang.X("field.role", "Role"), role)
	f.Add("station", lang.X("admin.field.home_station", "Home station"), station)
	intro := ui.Wrapped(lang.X("admin.person.edit_intro", "A new role applies from their next sign-in; what they recorded before keeps the role they had."))
	title := lang.X("admin.person.edit_title", "Edit {{.Name}} ({{.Login}})", map[string]any{"Name": u.DisplayName, "Login": u.Login})
	s.showForm(title, lang.X("admin.save", "Save"), intro, f,
		func() error { return s.m.UpdateUser(u.Login, strings.TrimSpace(name.Text), selectedRole(role), code()) }, s.changed)
}

func (s *Screen) disablePerson(u model.AdminUser) {
	q := lang.X("admin.person.disable_question",
		"Disable {{.Name}} ({{.Login}})? They can no longer sign in, their sessions end on every workstation, and what they recorded offline and not yet sent is refused. Their history stays.",
		map[string]any{"Name": u.DisplayName, "Login": u.Login})
	s.showConfirm(lang.X("admin.person.disable_title", "Disable a person"), q, lang.X("admin.person.disable_confirm", "Disable"), lang.X("field.reason", "Reason"),
		func(reason string) error { return s.m.DisableUser(u.Login, strings.TrimSpace(reason)) })
}

func (s *Screen) enablePerson(u model.AdminUser) {
	q := ui.Wrapped(lang.X("admin.person.enable_question", "Enable {{.Name}} ({{.Login}}) again? They sign in with their password; reset it if they lost it.",
		map[string]any{"Name": u.DisplayName, "Login": u.Login}))
	s.showForm(lang.X("admin.person.enable_title", "Enable a person"), lang.X("admin.person.enable", "Enable"), q, ui.NewForm(),
		func() error { return s.m.EnableUser(u.Login) }, s.changed)
}

func (s *Screen) resetPassword(u model.AdminUser) {
	q := ui.Wrapped(lang.X("admin.person.reset_question",
		"Give {{.Name}} ({{.Login}}) a new password? The old one stops working, their sessions end on every workstation, and what they recorded offline and not yet sent is refused.",
		map[string]any{"Name": u.DisplayName, "Login": u.Login}))
	var creds model.Credentials
	fd := s.showForm(lang.X("admin.person.reset_title", "Reset a password"), lang.X("admin.person.reset_confirm", "Reset the password"), q, ui.NewForm(),
		func() (err error) { creds, err = s.m.ResetPassword(u.Login); return err },
		func() {
			s.changed()
			s.showPassword(lang.X("admin.person.reset_done_title", "New password"), creds,
				lang.X("admin.person.reset_done_lead", "{{.Login}}'s new password:", map[string]any{"Login": creds.Login}))
		})
	fd.confirm.Importance = widget.DangerImportance
	fd.confirm.Refresh()
}

func (s *Screen) showPassword(title string, creds model.Credentials, lead string) {
	s.showSecret(title, lead, lang.X("field.password", "Password"), creds.Password, "")
}
