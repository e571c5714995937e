package syncserver

import (
	"context"
	"slices"
	"strings"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// The directory and reference data beyond what admin.go covers: user
// updates, stations' names and retirement, categories and severities.
// Each command is one transaction: its event is recorded, or nothing is.

var _ ReferenceAPI = (*Admin)(nil)

// errNotAdmin refuses a command of a signed-in user who is not, or no
// longer, an enabled administrator.
var errNotAdmin = domain.RuleError(domain.EForbidden, "auth.forbidden",
	"administration needs an enabled administrator's session")

// record records directory events in the actor's name, after checking
// that the actor may still administer, and acknowledges them at once: the
// server pushes its own events nowhere.
func (a *Admin) record(t AccessTx, cmds ...boltstore.Command) error {
	if err := a.checkActor(t); err != nil {
		return err
	}
	for _, cmd := range cmds {
		if err := t.RecordServerEvent(a.actor, cmd); err != nil {
			return err
		}
	}
	return nil
}

// checkActor refuses a write of a signed-in administrator disabled or
// demoted since their request was let in: the directory as it stands in
// this very transaction decides.
func (a *Admin) checkActor(t AccessTx) error {
	if !a.signedIn {
		return nil
	}
	u, err := directoryUser(t, a.actor.Login)
	if err != nil {
		return err
	}
	if u == nil || u.Disabled || u.Role != domain.RoleAdmin {
		return errNotAdmin
	}
	return nil
}

// existingUser returns a user of the directory, or ENotFound (user.exists).
func existingUser(t AccessTx, login string) (*domain.User, error) {
	u, err := directoryUser(t, login)
	if err == nil && u == nil {
		err = domain.RuleError(domain.ENotFound, "user.exists", "no user %s", login)
	}
	return u, err
}

// requireActiveStation checks a user's home station: none, or an active
// station.
func requireActiveStation(t AccessTx, code string) error {
	if code == "" {
		return nil
	}
	st, err := t.State(domain.EntityKey{Type: domain.EntityStation, ID: code})
	if err != nil || st.Station == nil || st.Station.Retired {
		return domain.FieldError("station", "no active station %q", code)
	}
	return nil
}

// adminDirectory is what rule user.last_admin reads: the directory and
// the accounts.
type adminDirectory interface {
	Users() ([]domain.User, error)
	Account(login string) (*account, error)
}

// keepAnAdministrator refuses to disable or demote login when they are
// the plant's last active administrator (enabled, with a password to sign
// in with): nobody could administer the plant over the network afterwards.
// leaving tells whether the change takes login out of the administrators.
func keepAnAdministrator(t adminDirectory, login string, role domain.Role, leaving bool) error {
	if !leaving || role != domain.RoleAdmin {
		return nil
	}
	users, err := t.Users()
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Login == login || u.Disabled || u.Role != domain.RoleAdmin {
			continue
		}
		if acc, err := t.Account(u.Login); err != nil || acc != nil {
			return err // another active administrator remains
		}
	}
	return domain.RuleError(domain.EConflict, "user.last_admin",
		"%s is the plant's last active administrator: make another user administrator first", login)
}

// checkEnrolment checks an enrolment code's note and validity.
func checkEnrolment(note string, ttl time.Duration) error {
	if err := (&domain.NotePayload{Note: note}).Validate(); err != nil {
		return err
	}
	if ttl > syncproto.MaxEnrolmentHours*time.Hour {
		return domain.FieldError("valid_hours", "a code is valid at most %d days", syncproto.MaxEnrolmentHours/24)
	}
	return nil
}

// UpdateUser replaces a user's display name, role and home station. A
// home station is checked only when it changes (a retired one may stay).
func (a *Admin) UpdateUser(ctx context.Context, login string, u UserUpdate) (UserInfo, error) {
	p := &domain.UserPayload{DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}
	if err := p.Validate(); err != nil {
		return UserInfo{}, err
	}
	var out UserInfo
	err := a.access.UpdateAccess(ctx, func(t AccessTx) error {
		cur, err := existingUser(t, login)
		if err != nil {
			return err
		}
		if u.Station != cur.Station {
			if err := requireActiveStation(t, u.Station); err != nil {
				return err
			}
		}
		if err := keepAnAdministrator(t, login, cur.Role, !cur.Disabled && u.Role != domain.RoleAdmin); err != nil {
			return err
		}
		if err := a.record(t, boltstore.Command{Type: domain.UserUpdated, EntityID: login, Payload: p}); err != nil {
			return err
		}
		out, err = userInfo(t, login)
		return err
	})
	return out, err
}

// EnableUser enables a disabled user (user.enabled); they sign in with
// their password, or one an administrator resets. Enabling an enabled
// user changes nothing.
func (a *Admin) EnableUser(ctx context.Context, login, note string) (UserInfo, error) {
	p := &domain.NotePayload{Note: note}
	if err := p.Validate(); err != nil {
		return UserInfo{}, err
	}
	var out UserInfo
	err := a.access.UpdateAccess(ctx, func(t AccessTx) error {
		cur, err := existingUser(t, login)
		if err != nil {
			return err
		}
		if cur.Disabled {
			if err := a.record(t, boltstore.Command{Type: domain.UserEnabled, EntityID: login, Payload: p}); err != nil {
				return err
			}
		}
		out, err = userInfo(t, login)
		return err
	})
	return out, err
}

// User returns one user of the directory.
func (a *Admin) User(ctx context.Context, login string) (UserInfo, error) {
	var out UserInfo
	err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) { out, err = userInfo(t, login); return err })
	return out, err
}

func userInfo(t AccessTx, login string) (UserInfo, error) {
	u, err := existingUser(t, login)
	if err != nil {
		return UserInfo{}, err
	}
	info := UserInfo{User: *u}
	acc, err := t.Account(login)
	if acc != nil {
		info.HasPassword, info.PasswordChanged = true, acc.Changed
	}
	return info, err
}

// RenameStation changes a station's name (station.updated).
func (a *Admin) RenameStation(ctx context.Context, code, name string) (domain.Station, error) {
	return a.changeStation(ctx, code, boltstore.Command{Type: domain.StationUpdated, EntityID: code, Payload: &domain.StationPayload{Name: name}})
}

// RetireStation retires a station (station.retired): no new complaint
// names it; its complaints keep it. Retiring a retired station changes
// nothing.
func (a *Admin) RetireStation(ctx context.Context, code, reason string) (domain.Station, error) {
	return a.changeStation(ctx, code, boltstore.Command{Type: domain.StationRetired, EntityID: code, Payload: &domain.ReasonPayload{Reason: reason}})
}

func (a *Admin) changeStation(ctx context.Context, code string, cmd boltstore.Command) (domain.Station, error) {
	if err := cmd.Payload.Validate(); err != nil {
		return domain.Station{}, err
	}
	var out domain.Station
	err := a.access.UpdateAccess(ctx, func(t AccessTx) error {
		cur, err := station(t, code)
		if err != nil {
			return err
		}
		if !(cmd.Type == domain.StationRetired && cur.Retired) {
			if err := a.record(t, cmd); err != nil {
				return err
			}
		}
		out, err = station(t, code)
		return err
	})
	return out, err
}

// stationNow reads one station.
func (a *Admin) stationNow(ctx context.Context, code string) (domain.Station, error) {
	var out domain.Station
	err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) { out, err = station(t, code); return err })
	return out, err
}

// station returns one station, or ENotFound (station.exists).
func station(t AccessTx, code string) (domain.Station, error) {
	st, err := t.State(domain.EntityKey{Type: domain.EntityStation, ID: code})
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && st.Station == nil) {
		return domain.Station{}, domain.RuleError(domain.ENotFound, "station.exists", "no station %s", code)
	}
	if err != nil {
		return domain.Station{}, err
	}
	return *st.Station, nil
}

// Categories lists the defect categories by code, retired ones included.
func (a *Admin) Categories(ctx context.Context) ([]domain.Category, error) {
	var out []domain.Category
	err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) { out, err = t.Categories(); return err })
	slices.SortFunc(out, func(x, y domain.Category) int { return strings.Compare(x.Code, y.Code) })
	return out, err
}

// AddCategory defines a category (category.defined), or the code of a
// retired one again.
func (a *Admin) AddCategory(ctx context.Context, c NewCategory) (domain.Category, error) {
	if !domain.ValidCategoryCode(c.Code) {
		return domain.Category{}, domain.FieldError("code", "a category code is lower-case letters, digits or '_'")
	}
	return a.changeCategory(ctx, c.Code, false, boltstore.Command{Type: domain.CategoryDefined, EntityID: c.Code,
		Payload: &domain.CategoryPayload{LabelEN: c.LabelEN, LabelFR: c.LabelFR}})
}

// RelabelCategory changes a category's labels (category.updated).
func (a *Admin) RelabelCategory(ctx context.Context, code string, l CategoryLabels) (domain.Category, error) {
	return a.changeCategory(ctx, code, true, boltstore.Command{Type: domain.CategoryUpdated, EntityID: code,
		Payload: &domain.CategoryPayload{LabelEN: l.LabelEN, LabelFR: l.LabelFR}})
}

// RetireCategory retires a category (category.retired): no new complaint
// takes it. Retiring a retired category changes nothing.
func (a *Admin) RetireCategory(ctx context.Context, code, reason string) (domain.Category, error) {
	return a.changeCategory(ctx, code, true, boltstore.Command{Type: domain.CategoryRetired, EntityID: code,
		Payload: &domain.ReasonPayload{Reason: reason}})
}

// changeCategory records cmd on category code; existing says the category
// must exist already (ENotFound, category.exists, otherwise).
func (a *Admin) changeCategory(ctx context.Context, code string, existing bool, cmd boltstore.Command) (domain.Category, error) {
	if err := cmd.Payload.Validate(); err != nil {
		return domain.Category{}, err
	}
	var out domain.Category
	err := a.access.UpdateAccess(ctx, func(t AccessTx) error {
		cur, err := category(t, code)
		if existing && err != nil {
			return err
		}
		if !(cmd.Type == domain.CategoryRetired && cur.Retired) {
			if err := a.record(t, cmd); err != nil {
				return err
			}
		}
		out, err = category(t, code)
		return err
	})
	return out, err
}

func category(t AccessTx, code string) (domain.Category, error) {
	st, err := t.State(domain.EntityKey{Type: domain.EntityCategory, ID: code})
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && st.Category == nil) {
		return domain.Category{}, domain.RuleError(domain.ENotFound, "category.exists", "no category %s", code)
	}
	if err != nil {
		return domain.Category{}, err
	}
	return *st.Category, nil
}

// Severities lists the severities' default handling times, least severe
// first.
func (a *Admin) Severities(ctx context.Context) ([]domain.SeverityConfig, error) {
	var out []domain.SeverityConfig
	err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) { out, err = t.Severities(); return err })
	return out, err
}

// ConfigureSeverity sets a severity's default handling times
// (severity.configured); complaints filed afterwards take them.
func (a *Admin) ConfigureSeverity(ctx context.Context, s domain.Severity, d SeverityDeadlines) (domain.SeverityConfig, error) {
	if !slices.Contains(domain.Severities, s) {
		return domain.SeverityConfig{}, domain.FieldError("severity", "must be minor, major or critical")
	}
	p := &domain.SeverityPayload{AckHours: d.AckHours, ResolveHours: d.ResolveHours}
	if err := p.Validate(); err != nil {
		return domain.SeverityConfig{}, err
	}
	var out domain.SeverityConfig
	err := a.access.UpdateAccess(ctx, func(t AccessTx) error {
		if err := a.record(t, boltstore.Command{Type: domain.SeverityConfigured, EntityID: string(s), Payload: p}); err != nil {
			return err
		}
		var err error
		out, err = t.Severity(s)
		return err
	})
	return out, err
}
