package syncclient

import (
	"context"
	"net/http"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// Admin administers the plant through the server's admin API, in the
// signed-in administrator's session (docs/admin-api.md). It works online
// only: with no server it answers ErrNotEnrolled, with the server out of
// reach an *OfflineError (IsOffline), without an online sign-in
// ErrSignInNeeded. A refusal is an *APIError carrying the domain code and
// the field or rule at fault (domain.AsError reads it): a user who is not
// an enabled administrator gets 403 auth.forbidden.
//
// Changes reach this workstation's own store by the next pull: each
// successful change asks the sync loop for one at once.
type Admin struct{ s *Syncer }

// Admin returns the administration client of the Syncer's session.
func (s *Syncer) Admin() *Admin { return &Admin{s: s} }

// Stations lists the stations by code, retired ones included.
func (a *Admin) Stations(ctx context.Context) ([]domain.Station, error) {
	var out []domain.Station
	return out, a.read(ctx, syncproto.RouteAdminStations, &out)
}

// AddStation defines a station (or defines a retired one's code again).
func (a *Admin) AddStation(ctx context.Context, code, name string) (domain.Station, error) {
	var out domain.Station
	return out, a.write(ctx, http.MethodPost, syncproto.RouteAdminStations, syncproto.NewStation{Code: code, Name: name}, &out)
}

// RenameStation changes a station's name.
func (a *Admin) RenameStation(ctx context.Context, code, name string) (domain.Station, error) {
	var out domain.Station
	return out, a.write(ctx, http.MethodPut, syncproto.AdminPath(syncproto.RouteAdminStations, code, ""), syncproto.StationName{Name: name}, &out)
}

// RetireStation retires a station: no new complaint names it.
func (a *Admin) RetireStation(ctx context.Context, code, reason string) (domain.Station, error) {
	var out domain.Station
	return out, a.write(ctx, http.MethodPost, syncproto.AdminPath(syncproto.RouteAdminStations, code, syncproto.AdminRetire), syncproto.Reason{Reason: reason}, &out)
}

// Users lists the directory by login, disabled users included.
func (a *Admin) Users(ctx context.Context) ([]syncproto.AdminUser, error) {
	var out []syncproto.AdminUser
	return out, a.read(ctx, syncproto.RouteAdminUsers, &out)
}

// AddUser registers a user. When u.Password is empty the server chooses
// one and returns it in Credentials.Password: show it once.
func (a *Admin) AddUser(ctx context.Context, u syncproto.NewUser) (syncproto.Credentials, error) {
	var out syncproto.Credentials
	return out, a.write(ctx, http.MethodPost, syncproto.RouteAdminUsers, u, &out)
}

// UpdateUser replaces a user's display name, role and home station.
func (a *Admin) UpdateUser(ctx context.Context, login string, u syncproto.UserUpdate) (syncproto.AdminUser, error) {
	var out syncproto.AdminUser
	return out, a.write(ctx, http.MethodPut, syncproto.AdminPath(syncproto.RouteAdminUsers, login, ""), u, &out)
}

// DisableUser disables a user and signs out every session of theirs.
func (a *Admin) DisableUser(ctx context.Context, login, reason string) (syncproto.AdminUser, error) {
	var out syncproto.AdminUser
	return out, a.write(ctx, http.MethodPost, syncproto.AdminPath(syncproto.RouteAdminUsers, login, syncproto.AdminDisable), syncproto.Reason{Reason: reason}, &out)
}

// EnableUser enables a disabled user again.
func (a *Admin) EnableUser(ctx context.Context, login, note string) (syncproto.AdminUser, error) {
	var out syncproto.AdminUser
	return out, a.write(ctx, http.MethodPost, syncproto.AdminPath(syncproto.RouteAdminUsers, login, syncproto.AdminEnable), syncproto.Note{Note: note}, &out)
}

// ResetPassword sets a user's password (the server chooses one, returned
// once, when password is empty) and signs out every session of theirs.
func (a *Admin) ResetPassword(ctx context.Context, login, password string) (syncproto.Credentials, error) {
	var out syncproto.Credentials
	return out, a.write(ctx, http.MethodPost, syncproto.AdminPath(syncproto.RouteAdminUsers, login, syncproto.AdminPassword), syncproto.PasswordReset{Password: password}, &out)
}

// Categories lists the defect categories by code, retired ones included.
func (a *Admin) Categories(ctx context.Context) ([]domain.Category, error) {
	var out []domain.Category
	return out, a.read(ctx, syncproto.RouteAdminCategories, &out)
}

// AddCategory defines a category (or defines a retired one's code again).
func (a *Admin) AddCategory(ctx context.Context, c syncproto.NewCategory) (domain.Category, error) {
	var out domain.Category
	return out, a.write(ctx, http.MethodPost, syncproto.RouteAdminCategories, c, &out)
}

// RelabelCategory changes a category's labels.
func (a *Admin) RelabelCategory(ctx context.Context, code string, l syncproto.CategoryLabels) (domain.Category, error) {
	var out domain.Category
	return out, a.write(ctx, http.MethodPut, syncproto.AdminPath(syncproto.RouteAdminCategories, code, ""), l, &out)
}

// RetireCategory retires a category: no new complaint uses it.
func (a *Admin) RetireCategory(ctx context.Context, code, reason string) (domain.Category, error) {
	var out domain.Category
	return out, a.write(ctx, http.MethodPost, syncproto.AdminPath(syncproto.RouteAdminCategories, code, syncproto.AdminRetire), syncproto.Reason{Reason: reason}, &out)
}

// Severities lists the severities' default deadlines, least severe first.
func (a *Admin) Severities(ctx context.Context) ([]domain.SeverityConfig, error) {
	var out []domain.SeverityConfig
	return out, a.read(ctx, syncproto.RouteAdminSeverities, &out)
}

// ConfigureSeverity sets a severity's default deadlines.
func (a *Admin) ConfigureSeverity(ctx context.Context, s domain.Severity, d syncproto.SeverityDeadlines) (domain.SeverityConfig, error) {
	var out domain.SeverityConfig
	return out, a.write(ctx, http.MethodPut, syncproto.AdminPath(syncproto.RouteAdminSeverities, string(s), ""), d, &out)
}

// Devices lists the enrolled workstations, revoked ones included.
func (a *Admin) Devices(ctx context.Context) ([]syncproto.AdminDevice, error) {
	var out []syncproto.AdminDevice
	return out, a.read(ctx, syncproto.RouteAdminDevices, &out)
}

// IssueEnrolment issues a one-time code that enrols a new workstation.
// Show it once: the server keeps only its hash.
func (a *Admin) IssueEnrolment(ctx context.Context, r syncproto.EnrolmentRequest) (syncproto.EnrolmentCode, error) {
	var out syncproto.EnrolmentCode
	return out, a.write(ctx, http.MethodPost, syncproto.RouteAdminEnrolments, r, &out)
}

// IssueReplacement issues a one-time code that may also take over the
// replica of device deviceID (the workstation set up again, or its store
// moved to a new machine); that device is revoked when the code is used.
func (a *Admin) IssueReplacement(ctx context.Context, deviceID string, r syncproto.EnrolmentRequest) (syncproto.EnrolmentCode, error) {
	var out syncproto.EnrolmentCode
	return out, a.write(ctx, http.MethodPost, syncproto.AdminPath(syncproto.RouteAdminDevices, deviceID, syncproto.AdminReplacement), r, &out)
}

// RevokeDevice revokes a workstation: its pushes and pulls are refused.
// The reason is optional.
func (a *Admin) RevokeDevice(ctx context.Context, id, reason string) (syncproto.AdminDevice, error) {
	var out syncproto.AdminDevice
	return out, a.write(ctx, http.MethodPost, syncproto.AdminPath(syncproto.RouteAdminDevices, id, syncproto.AdminRevoke), syncproto.Reason{Reason: reason}, &out)
}

func (a *Admin) read(ctx context.Context, route string, out any) error {
	return a.call(ctx, http.MethodGet, route, nil, out)
}

// write sends a change, then asks the sync loop to pull it into this
// workstation's store.
func (a *Admin) write(ctx context.Context, method, route string, in, out any) error {
	if err := a.call(ctx, method, route, in, out); err != nil {
		return err
	}
	a.s.SyncNow()
	return nil
}

// call sends one request in the session, renewing the access token once
// when the server answers 401.
func (a *Admin) call(ctx context.Context, method, route string, in, out any) error {
	c := a.s.currentClient()
	if c == nil {
		return ErrNotEnrolled
	}
	if err := a.s.ensureAccess(ctx, c); err != nil {
		return err
	}
	return a.s.authed(ctx, c, func() error { return c.doJSON(ctx, method, route, in, out) })
}
