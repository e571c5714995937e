package syncserver

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
)

// Admin carries out the administrator's commands on a server's store. The
// boucle-server command calls it in-process when no server runs, or
// through the running server's admin socket (AdminClient) when one does:
// bbolt lets one process open the file.
type Admin struct {
	access    AccessStore
	integrity Integrity
	log       LogStore
	backups   Backups
	now       func() time.Time
	// actor authors the directory events: the server's administrator
	// account for the command line, the signed-in administrator over the
	// admin API (As), so that the audit trail says who.
	actor boltstore.Actor
	// signedIn: the actor is a signed-in user, whose standing as an
	// enabled administrator each write checks again in its transaction.
	signedIn bool
	by       string // who issued a code or revoked a device, for the device records
}

// NewAdmin returns the commands on a store opened with OpenStore.
func NewAdmin(store *boltstore.Store, now func() time.Time) *Admin {
	return NewAdminOn(boltPorts(store), now)
}

// NewAdminOn returns the commands on a store's ports.
func NewAdminOn(ports Store, now func() time.Time) *Admin {
	if now == nil {
		now = time.Now
	}
	return &Admin{access: ports, integrity: ports, log: ports, backups: ports, now: now, actor: serverActor}
}

// As returns the commands carried out in the name of a signed-in
// administrator: their events are authored by login, and each write is
// refused (auth.forbidden) unless login is an enabled administrator in
// the directory when it commits.
func (a *Admin) As(login string) *Admin {
	c := *a
	c.actor = boltstore.Actor{Login: login, Role: domain.RoleAdmin}
	c.signedIn, c.by = true, login
	return &c
}

// AdminAPI is what the command line asks of a plant, whether in-process
// (Admin) or through a running server's socket (AdminClient).
type AdminAPI interface {
	AddUser(ctx context.Context, u NewUser) (Credentials, error)
	DisableUser(ctx context.Context, login, reason string) error
	ResetPassword(ctx context.Context, login, password string) (Credentials, error)
	Users(ctx context.Context) ([]UserInfo, error)
	AddStation(ctx context.Context, code, name string) error
	Stations(ctx context.Context) ([]domain.Station, error)
	EnrolDevice(ctx context.Context, note string, ttl time.Duration) (Enrolment, error)
	EnrolReplacement(ctx context.Context, deviceID, note string, ttl time.Duration) (Enrolment, error)
	Devices(ctx context.Context) ([]Device, error)
	RevokeDevice(ctx context.Context, id, reason string) error
	Backup(ctx context.Context, dest string) (BackupInfo, error)
	Quarantined(ctx context.Context) ([]boltstore.Quarantined, error)
	ReferenceAPI
}

// ReferenceAPI is the rest of the directory and the reference data (see
// adminreference.go).
type ReferenceAPI interface {
	UpdateUser(ctx context.Context, login string, u UserUpdate) (UserInfo, error)
	EnableUser(ctx context.Context, login, note string) (UserInfo, error)
	RenameStation(ctx context.Context, code, name string) (domain.Station, error)
	RetireStation(ctx context.Context, code, reason string) (domain.Station, error)
	Categories(ctx context.Context) ([]domain.Category, error)
	AddCategory(ctx context.Context, c NewCategory) (domain.Category, error)
	RelabelCategory(ctx context.Context, code string, l CategoryLabels) (domain.Category, error)
	RetireCategory(ctx context.Context, code, reason string) (domain.Category, error)
	Severities(ctx context.Context) ([]domain.SeverityConfig, error)
	ConfigureSeverity(ctx context.Context, s domain.Severity, d SeverityDeadlines) (domain.SeverityConfig, error)
}

// The requests and answers are the admin API's (shared/syncproto), so
// the command line, the admin socket and the HTTP routes share them.
type (
	NewUser           = syncproto.NewUser           // an empty password gets a random one
	Credentials       = syncproto.Credentials       // the password only when the server chose it: shown once
	UserInfo          = syncproto.AdminUser         // a user of the directory and whether they can sign in
	UserUpdate        = syncproto.UserUpdate        // display name, role and home station, all three
	Enrolment         = syncproto.EnrolmentCode     // a one-time device enrolment code, shown once
	NewCategory       = syncproto.NewCategory       // code and labels
	CategoryLabels    = syncproto.CategoryLabels    // both labels
	SeverityDeadlines = syncproto.SeverityDeadlines // default handling times
)

// BackupInfo describes a backup written.
type BackupInfo struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	Epoch string `json:"epoch"` // the epoch the copy was taken in; a server started from it begins a new one
}

var _ AdminAPI = (*Admin)(nil)

// AddUser registers a user in the directory (a user.registered event, so
// every workstation learns of them) with an account, in one transaction.
func (a *Admin) AddUser(ctx context.Context, u NewUser) (Credentials, error) {
	creds, hash, err := prepareSecret(u.Login, u.Password)
	if err != nil {
		return Credentials{}, err
	}
	if u.Login == SystemLogin {
		return Credentials{}, domain.FieldError("login", "%q is reserved for events the software records", SystemLogin)
	}
	p := &domain.UserPayload{DisplayName: u.DisplayName, Role: u.Role, Station: u.Station}
	if err := p.Validate(); err != nil {
		return Credentials{}, err
	}
	err = a.access.UpdateAccess(ctx, func(t AccessTx) error {
		if err := requireActiveStation(t, u.Station); err != nil {
			return err
		}
		if err := a.record(t, boltstore.Command{Type: domain.UserRegistered, EntityID: u.Login, Payload: p}); err != nil {
			return err
		}
		return t.PutAccount(&account{Login: u.Login, Hash: hash, Changed: a.now().UTC()})
	})
	return creds, err
}

// prepareSecret checks the login and the password (a random one when
// empty) and hashes it, outside any transaction: hashing is slow on
// purpose and must not hold the store's write lock.
func prepareSecret(login, password string) (Credentials, string, error) {
	if !domain.ValidLogin(login) {
		return Credentials{}, "", domain.FieldError("login", "a login is lower-case letters, digits, '.', '_' or '-' (at most 32)")
	}
	creds := Credentials{Login: login}
	if password == "" {
		password = NewPassword()
		creds.Password = password
	} else if err := validatePassword(password); err != nil {
		return Credentials{}, "", err
	}
	return creds, hashPassword(password), nil
}

// DisableUser disables a user (user.disabled: workstations stop offering
// them) and revokes their refresh tokens; their offline events pushed
// later are refused. The plant's last active administrator cannot be
// disabled (user.last_admin).
func (a *Admin) DisableUser(ctx context.Context, login, reason string) error {
	if reason == "" {
		reason = "disabled by an administrator"
	}
	return a.access.UpdateAccess(ctx, func(t AccessTx) error {
		u, err := existingUser(t, login)
		if err != nil {
			return err
		}
		if u.Disabled {
			return nil
		}
		if err := keepAnAdministrator(t, login, u.Role, true); err != nil {
			return err
		}
		if err := a.record(t, boltstore.Command{Type: domain.UserDisabled, EntityID: login, Payload: &domain.ReasonPayload{Reason: reason}}); err != nil {
			return err
		}
		return revokeUserTokens(t, login, a.now(), "user disabled")
	})
}

// ResetPassword sets a user's password (a random one when empty) and
// revokes their refresh tokens, so every session signs in again.
func (a *Admin) ResetPassword(ctx context.Context, login, password string) (Credentials, error) {
	creds, hash, err := prepareSecret(login, password)
	if err != nil {
		return Credentials{}, err
	}
	err = a.access.UpdateAccess(ctx, func(t AccessTx) error {
		if err := a.checkActor(t); err != nil {
			return err
		}
		if _, err := existingUser(t, login); err != nil {
			return err
		}
		old, err := t.Account(login)
		if err != nil {
			return err
		}
		next := &account{Login: login, Hash: hash, Changed: a.now().UTC(), KeyGen: 1}
		if old != nil {
			next.KeyGen = old.KeyGen + 1 // the old password's author keys stop verifying
		}
		if err := t.PutAccount(next); err != nil {
			return err
		}
		return revokeUserTokens(t, login, a.now(), "password reset")
	})
	return creds, err
}

// Users lists the directory, by login.
func (a *Admin) Users(ctx context.Context) ([]UserInfo, error) {
	var out []UserInfo
	err := a.access.ViewAccess(ctx, func(t AccessTx) error {
		users, err := t.Users()
		if err != nil {
			return err
		}
		for _, u := range users {
			info := UserInfo{User: u}
			acc, err := t.Account(u.Login)
			if err != nil {
				return err
			}
			if acc != nil {
				info.HasPassword, info.PasswordChanged = true, acc.Changed
			}
			out = append(out, info)
		}
		return nil
	})
	slices.SortFunc(out, func(x, y UserInfo) int { return strings.Compare(x.Login, y.Login) })
	return out, err
}

// AddStation defines a station (station.defined), or the code of a
// retired one again.
func (a *Admin) AddStation(ctx context.Context, code, name string) error {
	if !domain.ValidStationCode(code) {
		return domain.FieldError("code", "a station code is upper-case letters, digits, '-' or '_' (at most 16)")
	}
	return a.access.UpdateAccess(ctx, func(t AccessTx) error {
		return a.record(t, boltstore.Command{Type: domain.StationDefined, EntityID: code, Payload: &domain.StationPayload{Name: name}})
	})
}

// Stations lists the stations, by code.
func (a *Admin) Stations(ctx context.Context) ([]domain.Station, error) {
	var out []domain.Station
	err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) { out, err = t.Stations(); return err })
	slices.SortFunc(out, func(x, y domain.Station) int { return strings.Compare(x.Code, y.Code) })
	return out, err
}

// EnrolDevice creates a one-time enrolment code (DefaultEnrolmentTTL when
// ttl is zero). Only its hash is stored: it is shown once.
func (a *Admin) EnrolDevice(ctx context.Context, note string, ttl time.Duration) (Enrolment, error) {
	return a.issueEnrolment(ctx, note, ttl, "")
}

// EnrolReplacement creates a one-time code that may also take over the
// replica of device deviceID (a workstation set up again from its store,
// or that store moved to a new machine): the device is revoked when the
// code is used. ENotFound when there is no such device.
func (a *Admin) EnrolReplacement(ctx context.Context, deviceID, note string, ttl time.Duration) (Enrolment, error) {
	return a.issueEnrolment(ctx, note, ttl, deviceID)
}

func (a *Admin) issueEnrolment(ctx context.Context, note string, ttl time.Duration, replace string) (Enrolment, error) {
	if ttl <= 0 {
		ttl = DefaultEnrolmentTTL
	}
	if err := checkEnrolment(note, ttl); err != nil {
		return Enrolment{}, err
	}
	code := newEnrolmentCode()
	en := enrolment{Note: note, Created: a.now().UTC(), Expires: a.now().Add(ttl).UTC(), Replace: replace, By: a.by}
	err := a.access.UpdateAccess(ctx, func(t AccessTx) error {
		if err := a.checkActor(t); err != nil {
			return err
		}
		if replace != "" {
			if d, err := t.Device(replace); err != nil || d == nil {
				return orErr(err, domain.Errorf(domain.ENotFound, "no device %s (see device list)", replace))
			}
		}
		return t.PutEnrolment(enrolmentHash(code), &en)
	})
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Code: code, Expires: en.Expires}, nil
}

// Devices lists the enrolled devices, revoked ones included.
func (a *Admin) Devices(ctx context.Context) ([]Device, error) {
	var out []Device
	err := a.access.ViewAccess(ctx, func(t AccessTx) (err error) { out, err = t.Devices(); return err })
	for i := range out {
		out[i].KeyHash = "" // not a secret, but of no use to anyone reading a listing
	}
	return out, err
}

// RevokeDevice revokes a device: its pushes and pulls are refused. A
// device already revoked keeps its first revocation.
func (a *Admin) RevokeDevice(ctx context.Context, id, reason string) error {
	if reason == "" {
		reason = "revoked by an administrator"
	}
	if err := (&domain.ReasonPayload{Reason: reason}).Validate(); err != nil {
		return err
	}
	return a.access.UpdateAccess(ctx, func(t AccessTx) error {
		if err := a.checkActor(t); err != nil {
			return err
		}
		d, err := t.Device(id)
		if err != nil || d == nil {
			return orErr(err, domain.RuleError(domain.ENotFound, "device.exists", "no device %s", id))
		}
		if d.Revoked {
			return nil
		}
		d.Revoked, d.RevokedAt, d.Why, d.RevokedBy = true, a.now().UTC(), reason, a.by
		return t.PutDevice(d)
	})
}

// Backup writes a consistent copy of the live store to dest, which must
// not exist, and marks the copy: a server started from it begins a new
// epoch, so that workstations reset their cursors and re-push what it
// lacks.
func (a *Admin) Backup(ctx context.Context, dest string) (BackupInfo, error) {
	if _, err := os.Stat(dest); err == nil {
		return BackupInfo{}, domain.FieldError("dest", "%s already exists: choose a new file", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return BackupInfo{}, err
	}
	var ep Epoch
	_ = a.access.ViewAccess(ctx, func(t AccessTx) (err error) { ep, err = epochIn(t); return err })
	markRestorePending := func(t Settings) error { return t.PutSetting(settingRestorePending, []byte("1")) }
	if err := a.backups.Backup(ctx, dest, markRestorePending); err != nil {
		return BackupInfo{}, err
	}
	fi, err := os.Stat(dest)
	if err != nil {
		return BackupInfo{}, err
	}
	return BackupInfo{Path: dest, Bytes: fi.Size(), Epoch: ep.ID}, nil
}

// PlantStatus tells what a store holds.
type PlantStatus struct {
	Accounts   bool      // some account exists: the plant is set up
	DemoSeeded time.Time // when the demo seed ran; zero if it never did
}

// Status reads the store's PlantStatus.
func (a *Admin) Status() (PlantStatus, error) {
	ctx := context.Background() // the command line's, at start
	var st PlantStatus
	err := a.access.ViewAccess(ctx, func(t AccessTx) error {
		var err error
		if st.Accounts, err = t.HasAccounts(); err != nil {
			return err
		}
		raw, err := t.Setting(settingDemo)
		if err != nil || raw == nil {
			return err
		}
		return st.DemoSeeded.UnmarshalText(raw)
	})
	return st, err
}

// MarkDemo records that the demo seed ran, so that it does not run twice.
func (a *Admin) MarkDemo(at time.Time) error {
	ctx := context.Background() // the demo seed's
	raw, err := at.UTC().MarshalText()
	if err != nil {
		return err
	}
	return a.access.UpdateAccess(ctx, func(t AccessTx) error {
		return t.PutSetting(settingDemo, raw)
	})
}

// DrainOutbox acknowledges the events recorded on the server's store: the
// server pushes them nowhere (see recordAsServer).
func (a *Admin) DrainOutbox() error { return a.log.AcknowledgeOutbox(context.Background()) }
