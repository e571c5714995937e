package shell

import (
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"boucle/desktop/ui"
	"boucle/desktop/ui/actions"
	administration "boucle/desktop/ui/admin"
	"boucle/desktop/ui/complaints"
	"boucle/desktop/ui/dashboard"
	"boucle/desktop/ui/plans"
	"boucle/desktop/ui/report"
	"boucle/desktop/ui/settings"
	"boucle/shared/domain"
)

var (
	operator = domain.RoleOperator
	engineer = domain.RoleEngineer
	manager  = domain.RoleManager
	admin    = domain.RoleAdmin
)

// index is the navigation: every screen once, in menu order; the menu
// shows those meant for the signed-in role, and the first is home.
func (s *Shell) index() []ui.Screen {
	return []ui.Screen{
		{ID: "report", Title: lang.X("nav.report", "Report a defect"), Icon: theme.ContentAddIcon(), Roles: []domain.Role{operator},
			View: func(env ui.Env) ui.Content { return report.Screen(env, s.m, s.OpenComplaint, s.OpenProblem) }},
		{ID: "mine", Title: lang.X("nav.mine", "My complaints"), Icon: theme.ListIcon(), Roles: []domain.Role{operator},
			View: func(env ui.Env) ui.Content {
				mi := complaints.NewMine(env, s.m, s.OpenComplaint)
				mi.Load()
				return mi.Content()
			}},
		{ID: "inbox", Title: lang.X("nav.inbox", "Triage inbox"), Icon: theme.MailComposeIcon(), Roles: []domain.Role{engineer, manager, admin},
			View: func(env ui.Env) ui.Content {
				in := complaints.NewInbox(env, s.m, s.OpenComplaint)
				in.Load()
				return in.Content()
			}},
		{ID: "dashboard", Title: lang.X("nav.dashboard", "Dashboard"), Icon: theme.InfoIcon(), Roles: []domain.Role{engineer, manager, admin},
			View: func(env ui.Env) ui.Content {
				d := dashboard.New(env, s.m)
				d.OpenComplaint = s.OpenComplaint
				d.OpenProblem, d.OpenRecurrences = s.OpenProblem, s.OpenRecurrences
				d.Load()
				return d.Content()
			}},
		{ID: "actions", Title: lang.X("nav.my_actions", "My actions"), Icon: theme.ConfirmIcon(), Roles: []domain.Role{engineer, manager},
			View: func(env ui.Env) ui.Content {
				b := actions.NewBoard(env, s.m, s.OpenComplaint)
				b.Load()
				return b.Content()
			}},
		{ID: "plant", Title: lang.X("nav.plant_actions", "Plant actions"), Icon: theme.GridIcon(), Roles: []domain.Role{manager, engineer},
			View: func(env ui.Env) ui.Content {
				p := actions.NewPlant(env, s.m, s.OpenComplaint)
				p.Load()
				return p.Content()
			}},
		{ID: "plans", Title: lang.X("nav.plans", "Preventive plans"), Icon: theme.DocumentIcon(), Roles: []domain.Role{manager, engineer},
			View: func(env ui.Env) ui.Content {
				l := plans.NewList(env, s.m, s.OpenComplaint)
				l.Load()
				return l.Content()
			}},
		{ID: "file", Title: lang.X("nav.file", "File a complaint"), Icon: theme.ContentAddIcon(), Roles: []domain.Role{engineer},
			View: func(env ui.Env) ui.Content { return report.Screen(env, s.m, s.OpenComplaint, s.OpenProblem) }},
		{ID: "admin", Title: lang.X("nav.admin", "Administration"), Icon: theme.AccountIcon(), Roles: []domain.Role{admin},
			View: func(env ui.Env) ui.Content {
				a := administration.New(env, s.ws)
				a.Load()
				return a.Content()
			}},
		{ID: "settings", Title: lang.X("nav.settings", "Settings"), Icon: theme.SettingsIcon(), Roles: []domain.Role{operator, engineer, manager, admin},
			View: func(env ui.Env) ui.Content {
				sc := settings.New(env, s.ws)
				sc.Load()
				return sc.Content()
			}},
	}
}
