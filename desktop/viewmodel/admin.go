package viewmodel

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"time"

	"boucle/desktop/syncclient"
	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// The administration screen's view model (desktop/ui/admin.Model). On an
// enrolled workstation every change goes to the plant server's admin API
// in the administrator's online session, and the lists are read back from
// it; the workstation's own directory catches up by the next pull, which
// each change asks for at once. Without the server nothing changes: the
// screen shows the last directory this workstation synced. A standalone
// workstation has no server: its directory is its own store's, changed by
// recording the directory's events as its administrator.

// adminTimeout bounds one admin call: the screen waits for it.
const adminTimeout = 20 * time.Second

// RuleAdminNeedsServer names the refusal of a change made while the plant
// server cannot be used.
const RuleAdminNeedsServer = "admin.needs_server"

var errAdminNeedsServer = &domain.Error{Code: domain.EUnavailable, Rule: RuleAdminNeedsServer,
	Message: "administration needs the plant server"}

// adminAccess says where changes go now, before asking the server.
func (w *Workstation) adminAccess() model.AdminAccess {
	switch {
	case !w.enrolled() && w.Settings().Standalone:
		return model.AdminStandalone
	case !w.enrolled():
		return model.AdminNotEnrolled
	case w.model.Session().Offline:
		return model.AdminSignedInOffline
	}
	return model.AdminOnline
}

// AdminDirectory reads the directory from the server when the workstation
// can reach it in an online session, and otherwise the one in its store.
func (w *Workstation) AdminDirectory() (model.AdminDirectory, error) {
	access := w.adminAccess()
	if access == model.AdminOnline {
		dir, err := w.serverDirectory()
		if err == nil {
			dir.Me, dir.ThisDevice = w.model.Session().Login, w.deviceID()
			return dir, nil
		}
		if access = adminAccessAfter(err); access == model.AdminOnline {
			return model.AdminDirectory{}, err
		}
	}
	dir, err := w.localDirectory()
	dir.Access, dir.Me = access, w.model.Session().Login
	return dir, err
}

func (w *Workstation) deviceID() string {
	var d boltstore.Device
	_ = w.store.View(func(t *boltstore.Tx) error { d = t.Device(); return nil })
	return d.ID
}

// adminAccessAfter tells why a call to the server failed: out of reach,
// or a session that is not online any more; AdminOnline for a refusal.
func adminAccessAfter(err error) model.AdminAccess {
	switch {
	case syncclient.IsOffline(err):
		return model.AdminUnreachable
	case errors.Is(err, syncclient.ErrSignInNeeded):
		return model.AdminSignedInOffline
	case errors.Is(err, syncclient.ErrNotEnrolled):
		return model.AdminNotEnrolled
	}
	return model.AdminOnline
}

func (w *Workstation) serverDirectory() (model.AdminDirectory, error) {
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	a := w.sync.Admin()
	dir := model.AdminDirectory{Access: model.AdminOnline}
	var err error
	if dir.Stations, err = a.Stations(ctx); err != nil {
		return dir, err
	}
	users, err := a.Users(ctx)
	if err != nil {
		return dir, err
	}
	for _, u := range users {
		dir.Users = append(dir.Users, model.AdminUser{User: u.User, HasPassword: u.HasPassword})
	}
	if dir.Categories, err = a.Categories(ctx); err != nil {
		return dir, err
	}
	if dir.Severities, err = a.Severities(ctx); err != nil {
		return dir, err
	}
	devices, err := a.Devices(ctx)
	if err != nil {
		return dir, err
	}
	for _, d := range devices {
		dir.Devices = append(dir.Devices, model.Device{ID: d.ID, Name: d.Name, Note: d.Note, Station: d.Station, Series: d.Series,
			Enrolled: d.Enrolled, LastSeen: d.LastSeen, Revoked: d.Revoked, Why: d.Why})
	}
	return dir, nil
}

// localDirectory is the directory in this workstation's store, retired
// and disabled entries included, sorted as the server sorts them.
func (w *Workstation) localDirectory() (model.AdminDirectory, error) {
	dir := model.AdminDirectory{Local: true}
	err := w.store.View(func(t *boltstore.Tx) error {
		var err error
		if dir.Stations, err = t.Stations(); err != nil {
			return err
		}
		users, err := t.Users()
		if err != nil {
			return err
		}
		for _, u := range users {
			dir.Users = append(dir.Users, model.AdminUser{User: u})
		}
		if dir.Categories, err = t.Categories(); err != nil {
			return err
		}
		dir.Severities, err = t.Severities()
		return err
	})
	slices.SortFunc(dir.Stations, func(a, b domain.Station) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(dir.Users, func(a, b model.AdminUser) int { return strings.Compare(a.Login, b.Login) })
	slices.SortFunc(dir.Categories, func(a, b domain.Category) int { return strings.Compare(a.Code, b.Code) })
	return dir, err
}

// adminChange runs a change on the server (online) or in the store
// (standalone), and refuses it otherwise.
func (w *Workstation) adminChange(online func(ctx context.Context, a *syncclient.Admin) error, local func() error) error {
	switch w.adminAccess() {
	case model.AdminOnline:
		ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
		defer cancel()
		err := online(ctx, w.sync.Admin())
		if adminAccessAfter(err) != model.AdminOnline {
			return errAdminNeedsServer
		}
		return err
	case model.AdminStandalone:
		if local == nil {
			return errAdminNeedsServer
		}
		return local()
	}
	return errAdminNeedsServer
}

// recordLocal records one directory event as the signed-in administrator.
func (w *Workstation) recordLocal(t domain.EventType, id string, p domain.Payload) error {
	_, err := w.model.record(boltstore.Command{Type: t, EntityID: id, Payload: p})
	return err
}

// AddStation defines a station. An empty code is said to be required
// here: the code rule the server would quote says more than needed.
func (w *Workstation) AddStation(code, name string) error {
	code, name = strings.ToUpper(strings.TrimSpace(code)), strings.TrimSpace(name)
	if code == "" {
		return domain.FieldError("code", "is required")
	}
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.AddStation(ctx, code, name)
			return err
		},
		func() error { return w.recordLocal(domain.StationDefined, code, &domain.StationPayload{Name: name}) })
}

// RenameStation changes a station's name.
func (w *Workstation) RenameStation(code, name string) error {
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.RenameStation(ctx, code, name)
			return err
		},
		func() error { return w.recordLocal(domain.StationUpdated, code, &domain.StationPayload{Name: name}) })
}

// RetireStation retires a station.
func (w *Workstation) RetireStation(code, reason string) error {
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.RetireStation(ctx, code, reason)
			return err
		},
		func() error { return w.recordLocal(domain.StationRetired, code, &domain.ReasonPayload{Reason: reason}) })
}

// AddUser registers a person with a generated password, returned once:
// by the server online, by this workstation standalone (its offline
// verifier is then the only copy, as a hash).
func (w *Workstation) AddUser(u model.NewUser) (model.Credentials, error) {
	var creds model.Credentials
	if u.Login == "" { // the server's rule for logins would say more than needed
		return creds, domain.FieldError("login", "is required")
	}
	err := w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			c, err := a.AddUser(ctx, syncproto.NewUser{Login: u.Login, DisplayName: u.DisplayName, Role: u.Role, Station: u.Station})
			creds = model.Credentials{Login: c.Login, Password: c.Password}
			return err
		},
		func() error {
			creds = model.Credentials{Login: u.Login, Password: newLocalPassword()}
			return w.AddLocalUser(domain.User{Login: u.Login, DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}, creds.Password)
		})
	return creds, err
}

// UpdateUser changes a person's name, role and home station.
func (w *Workstation) UpdateUser(login, displayName string, role domain.Role, station string) error {
	p := &domain.UserPayload{DisplayName: displayName, Role: role, Station: station}
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.UpdateUser(ctx, login, syncproto.UserUpdate{DisplayName: displayName, Role: role, Station: station})
			return err
		},
		func() error { return w.recordLocal(domain.UserUpdated, login, p) })
}

// DisableUser disables a person.
func (w *Workstation) DisableUser(login, reason string) error {
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.DisableUser(ctx, login, reason)
			return err
		},
		func() error { return w.recordLocal(domain.UserDisabled, login, &domain.ReasonPayload{Reason: reason}) })
}

// EnableUser enables a disabled person again.
func (w *Workstation) EnableUser(login string) error {
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.EnableUser(ctx, login, "")
			return err
		},
		func() error { return w.recordLocal(domain.UserEnabled, login, &domain.NotePayload{}) })
}

// ResetPassword gives a person a generated password, returned once.
func (w *Workstation) ResetPassword(login string) (model.Credentials, error) {
	var creds model.Credentials
	err := w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			c, err := a.ResetPassword(ctx, login, "")
			creds = model.Credentials{Login: c.Login, Password: c.Password}
			return err
		},
		func() error {
			u, err := w.directoryUser(login)
			if err != nil {
				return err
			}
			creds = model.Credentials{Login: login, Password: newLocalPassword()}
			return w.sync.SetLocalPassword(u, creds.Password)
		})
	return creds, err
}

func (w *Workstation) directoryUser(login string) (domain.User, error) {
	var u domain.User
	err := w.store.View(func(t *boltstore.Tx) error {
		st, err := t.State(domain.EntityKey{Type: domain.EntityUser, ID: login})
		if err != nil || st.User == nil {
			return domain.Errorf(domain.ENotFound, "no user %s", login)
		}
		u = *st.User
		return nil
	})
	return u, err
}

// DefineCategory defines a defect category.
func (w *Workstation) DefineCategory(c domain.Category) error {
	if c.Code == "" {
		return domain.FieldError("code", "is required")
	}
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.AddCategory(ctx, syncproto.NewCategory{Code: c.Code, LabelEN: c.LabelEN, LabelFR: c.LabelFR})
			return err
		},
		func() error {
			return w.recordLocal(domain.CategoryDefined, c.Code, &domain.CategoryPayload{LabelEN: c.LabelEN, LabelFR: c.LabelFR})
		})
}

// UpdateCategory changes a category's labels.
func (w *Workstation) UpdateCategory(c domain.Category) error {
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.RelabelCategory(ctx, c.Code, syncproto.CategoryLabels{LabelEN: c.LabelEN, LabelFR: c.LabelFR})
			return err
		},
		func() error {
			return w.recordLocal(domain.CategoryUpdated, c.Code, &domain.CategoryPayload{LabelEN: c.LabelEN, LabelFR: c.LabelFR})
		})
}

// RetireCategory retires a category.
func (w *Workstation) RetireCategory(code, reason string) error {
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.RetireCategory(ctx, code, reason)
			return err
		},
		func() error {
			return w.recordLocal(domain.CategoryRetired, code, &domain.ReasonPayload{Reason: reason})
		})
}

// ConfigureSeverity sets a severity's default deadlines.
func (w *Workstation) ConfigureSeverity(s domain.SeverityConfig) error {
	return w.adminChange(
		func(ctx context.Context, a *syncclient.Admin) error {
			_, err := a.ConfigureSeverity(ctx, s.Severity, syncproto.SeverityDeadlines{AckHours: s.AckHours, ResolveHours: s.ResolveHours})
			return err
		},
		func() error {
			return w.recordLocal(domain.SeverityConfigured, string(s.Severity), &domain.SeverityPayload{AckHours: s.AckHours, ResolveHours: s.ResolveHours})
		})
}

// NewEnrolment issues a one-time code for a new workstation (online only).
func (w *Workstation) NewEnrolment(note string) (model.Enrolment, error) {
	var en model.Enrolment
	err := w.adminChange(func(ctx context.Context, a *syncclient.Admin) error {
		c, err := a.IssueEnrolment(ctx, syncproto.EnrolmentRequest{Note: note})
		en = model.Enrolment{Code: c.Code, Expires: c.Expires}
		return err
	}, nil)
	return en, err
}

// ReplacementEnrolment issues a code that takes over a lost
// workstation's identity (online only).
func (w *Workstation) ReplacementEnrolment(deviceID, note string) (model.Enrolment, error) {
	var en model.Enrolment
	err := w.adminChange(func(ctx context.Context, a *syncclient.Admin) error {
		c, err := a.IssueReplacement(ctx, deviceID, syncproto.EnrolmentRequest{Note: note})
		en = model.Enrolment{Code: c.Code, Expires: c.Expires}
		return err
	}, nil)
	return en, err
}

// RevokeDevice revokes a workstation (online only).
func (w *Workstation) RevokeDevice(id, reason string) error {
	return w.adminChange(func(ctx context.Context, a *syncclient.Admin) error {
		_, err := a.RevokeDevice(ctx, id, reason)
		return err
	}, nil)
}

// localPasswordAlphabet leaves out the symbols read alike (0/o, 1/l/i).
const localPasswordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newLocalPassword is a standalone workstation's generated password:
// three groups of four symbols (about 59 bits), easy to type. Bytes past
// the last whole multiple of the alphabet are drawn again, so that every
// symbol is equally likely.
func newLocalPassword() string {
	const limit = 256 / len(localPasswordAlphabet) * len(localPasswordAlphabet)
	var b strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < 12; {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails
		if int(buf[0]) >= limit {
			continue
		}
		if n > 0 && n%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(localPasswordAlphabet[int(buf[0])%len(localPasswordAlphabet)])
		n++
	}
	return b.String()
}
