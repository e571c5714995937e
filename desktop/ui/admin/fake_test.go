package admin

import (
	"fmt"
	"slices"
	"time"

	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// fakeServer is the plant server as the screen sees it: a directory it
// changes with the domain's own validation, so that the screen meets the
// same field errors and refusals as against the real one.
type fakeServer struct {
	dir      model.AdminDirectory
	calls    []string // what was changed, in order
	refuse   error    // returned by the next change instead of doing it
	password int      // passwords handed out so far
	now      time.Time
}

func newFake() *fakeServer {
	f := &fakeServer{now: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
	f.dir = model.AdminDirectory{
		Access:     model.AdminOnline,
		Me:         "admin",
		ThisDevice: "dev-3",
		Stations: []domain.Station{
			{Code: "ASSY1", Name: "Assembly 1"},
			{Code: "OLD1", Name: "Old press", Retired: true},
			{Code: "PRESS2", Name: "Press 2"},
		},
		Users: []model.AdminUser{
			{User: domain.User{Login: "admin", DisplayName: "Plant Admin", Role: domain.RoleAdmin}, HasPassword: true},
			{User: domain.User{Login: "emma.roux", DisplayName: "Emma Roux", Role: domain.RoleOperator, Station: "PRESS2"}, HasPassword: true},
			{User: domain.User{Login: "paul.left", DisplayName: "Paul Left", Role: domain.RoleOperator, Station: "ASSY1", Disabled: true}, HasPassword: true},
			{User: domain.User{Login: "zoe.local", DisplayName: "Zoé Local", Role: domain.RoleOperator, Station: "PRESS2"}},
		},
		Categories: []domain.Category{
			{Code: "dimensional", LabelEN: "Dimensional", LabelFR: "Dimensionnel"},
			{Code: "rust", LabelEN: "Rust", LabelFR: "Rouille", Retired: true},
		},
		Severities: append([]domain.SeverityConfig(nil), domain.DefaultSeverities...),
		Devices: []model.Device{
			{ID: "dev-1", Name: "press2-pc", Note: "PRESS2 by the door", Station: "PRESS2", Series: "A", Enrolled: f.now.Add(-30 * 24 * time.Hour), LastSeen: f.now.Add(-2 * time.Hour)},
			{ID: "dev-3", Name: "admin-pc", Station: "", Series: "C", Enrolled: f.now.Add(-time.Hour), LastSeen: f.now},
			{ID: "dev-2", Name: "old-pc", Station: "ASSY1", Series: "B", Enrolled: f.now.Add(-90 * 24 * time.Hour), Revoked: true, Why: "stolen"},
		},
	}
	return f
}

// offline turns the fake into the last known directory of a workstation
// that cannot reach the server.
func (f *fakeServer) offline(access model.AdminAccess) {
	f.dir.Access, f.dir.Local, f.dir.Devices = access, true, nil
}

func (f *fakeServer) AdminDirectory() (model.AdminDirectory, error) { return f.dir, nil }

// change runs a change unless a refusal is pending or the fake is off.
func (f *fakeServer) change(call string, do func() error) error {
	if err := f.refuse; err != nil {
		f.refuse = nil
		return err
	}
	if !f.dir.Access.Writable() {
		return domain.Errorf(domain.EUnavailable, "the plant server does not answer")
	}
	if err := do(); err != nil {
		return err
	}
	f.calls = append(f.calls, call)
	return nil
}

func (f *fakeServer) station(code string) *domain.Station {
	for i := range f.dir.Stations {
		if f.dir.Stations[i].Code == code {
			return &f.dir.Stations[i]
		}
	}
	return nil
}

func (f *fakeServer) user(login string) *model.AdminUser {
	for i := range f.dir.Users {
		if f.dir.Users[i].Login == login {
			return &f.dir.Users[i]
		}
	}
	return nil
}

func (f *fakeServer) category(code string) *domain.Category {
	for i := range f.dir.Categories {
		if f.dir.Categories[i].Code == code {
			return &f.dir.Categories[i]
		}
	}
	return nil
}

func (f *fakeServer) AddStation(code, name string) error {
	return f.change("add station "+code, func() error {
		if !domain.ValidStationCode(code) {
			return domain.FieldError("entity_id", "a station code is upper-case letters, digits, '-' or '_' (at most 16)")
		}
		if err := (&domain.StationPayload{Name: name}).Validate(); err != nil {
			return err
		}
		if st := f.station(code); st != nil && !st.Retired {
			return domain.RuleError(domain.EConflict, "station.unique", "station %s already exists", code)
		}
		f.dir.Stations = append(f.dir.Stations, domain.Station{Code: code, Name: name})
		return nil
	})
}

func (f *fakeServer) RenameStation(code, name string) error {
	return f.change("rename station "+code+" "+name, func() error {
		if err := (&domain.StationPayload{Name: name}).Validate(); err != nil {
			return err
		}
		f.station(code).Name = name
		return nil
	})
}

func (f *fakeServer) RetireStation(code, reason string) error {
	return f.change("retire station "+code, func() error {
		if err := (&domain.ReasonPayload{Reason: reason}).Validate(); err != nil {
			return err
		}
		f.station(code).Retired = true
		return nil
	})
}

func (f *fakeServer) AddUser(u model.NewUser) (model.Credentials, error) {
	var creds model.Credentials
	err := f.change("add user "+u.Login, func() error {
		if !domain.ValidLogin(u.Login) {
			return domain.FieldError("login", "a login is lower-case letters, digits, '.', '_' or '-' (at most 32)")
		}
		if err := (&domain.UserPayload{DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}).Validate(); err != nil {
			return err
		}
		if f.user(u.Login) != nil {
			return domain.RuleError(domain.EConflict, "user.unique", "user %s already exists", u.Login)
		}
		f.password++
		creds = model.Credentials{Login: u.Login, Password: fmt.Sprintf("pw-%d-once", f.password)}
		f.dir.Users = append(f.dir.Users, model.AdminUser{User: domain.User{Login: u.Login, DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}, HasPassword: true})
		return nil
	})
	return creds, err
}

func (f *fakeServer) UpdateUser(login, name string, role domain.Role, station string) error {
	return f.change("update user "+login+" "+string(role)+" "+station, func() error {
		if err := (&domain.UserPayload{DisplayName: name, Role: role, Station: station}).Validate(); err != nil {
			return err
		}
		u := f.user(login)
		u.DisplayName, u.Role, u.Station = name, role, station
		return nil
	})
}

func (f *fakeServer) DisableUser(login, reason string) error {
	return f.change("disable user "+login, func() error {
		if err := (&domain.ReasonPayload{Reason: reason}).Validate(); err != nil {
			return err
		}
		f.user(login).Disabled = true
		return nil
	})
}

func (f *fakeServer) EnableUser(login string) error {
	return f.change("enable user "+login, func() error { f.user(login).Disabled = false; return nil })
}

func (f *fakeServer) ResetPassword(login string) (model.Credentials, error) {
	var creds model.Credentials
	err := f.change("reset password "+login, func() error {
		f.password++
		creds = model.Credentials{Login: login, Password: fmt.Sprintf("pw-%d-once", f.password)}
		return nil
	})
	return creds, err
}

func (f *fakeServer) DefineCategory(c domain.Category) error {
	return f.change("define category "+c.Code, func() error {
		if !domain.ValidCategoryCode(c.Code) {
			return domain.FieldError("entity_id", "a category code is lower-case letters, digits or '_'")
		}
		if err := (&domain.CategoryPayload{LabelEN: c.LabelEN, LabelFR: c.LabelFR}).Validate(); err != nil {
			return err
		}
		f.dir.Categories = append(f.dir.Categories, c)
		return nil
	})
}

func (f *fakeServer) UpdateCategory(c domain.Category) error {
	return f.change("update category "+c.Code+" "+c.LabelEN+" "+c.LabelFR, func() error {
		if err := (&domain.CategoryPayload{LabelEN: c.LabelEN, LabelFR: c.LabelFR}).Validate(); err != nil {
			return err
		}
		*f.category(c.Code) = c
		return nil
	})
}

func (f *fakeServer) RetireCategory(code, reason string) error {
	return f.change("retire category "+code, func() error {
		if err := (&domain.ReasonPayload{Reason: reason}).Validate(); err != nil {
			return err
		}
		f.category(code).Retired = true
		return nil
	})
}

func (f *fakeServer) ConfigureSeverity(s domain.SeverityConfig) error {
	return f.change(fmt.Sprintf("configure severity %s %d %d", s.Severity, s.AckHours, s.ResolveHours), func() error {
		if err := (&domain.SeverityPayload{AckHours: s.AckHours, ResolveHours: s.ResolveHours}).Validate(); err != nil {
			return err
		}
		i := slices.IndexFunc(f.dir.Severities, func(c domain.SeverityConfig) bool { return c.Severity == s.Severity })
		f.dir.Severities[i] = s
		return nil
	})
}

func (f *fakeServer) NewEnrolment(note string) (model.Enrolment, error) {
	var en model.Enrolment
	err := f.change("enrol "+note, func() error {
		en = model.Enrolment{Code: "ABCD-EFGH-JKLM", Expires: f.now.Add(24 * time.Hour)}
		return nil
	})
	return en, err
}

func (f *fakeServer) ReplacementEnrolment(id, note string) (model.Enrolment, error) {
	var en model.Enrolment
	err := f.change("replace "+id, func() error {
		en = model.Enrolment{Code: "WXYZ-EFGH-JKLM", Expires: f.now.Add(24 * time.Hour)}
		return nil
	})
	return en, err
}

func (f *fakeServer) RevokeDevice(id, reason string) error {
	return f.change("revoke "+id, func() error {
		if reason == "" {
			reason = "revoked by an administrator"
		}
		for i := range f.dir.Devices {
			if f.dir.Devices[i].ID == id {
				f.dir.Devices[i].Revoked, f.dir.Devices[i].Why = true, reason
			}
		}
		return nil
	})
}

var _ Model = (*fakeServer)(nil)
