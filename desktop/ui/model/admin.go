package model

import (
	"time"

	"boucle/shared/domain"
)

// AdminAccess says where the administration screen's changes go, and
// whether they can go anywhere.
type AdminAccess int

const (
	// AdminOnline: the plant server answered; every change goes to it.
	AdminOnline AdminAccess = iota
	// AdminStandalone: no plant server; the directory lives in this
	// workstation's store and is changed there (stations, people,
	// categories, severities; no workstations to enrol).
	AdminStandalone
	// AdminSignedInOffline: the administrator signed in with this
	// workstation's verifier; the server's admin API needs an online
	// session.
	AdminSignedInOffline
	// AdminUnreachable: the workstation is enrolled but the plant server
	// does not answer.
	AdminUnreachable
	// AdminNotEnrolled: neither enrolled nor set up standalone.
	AdminNotEnrolled
)

// Writable reports whether changes can be made.
func (a AdminAccess) Writable() bool { return a == AdminOnline || a == AdminStandalone }

// AdminUser is a person of the directory as the administrator sees them.
type AdminUser struct {
	domain.User
	HasPassword bool // the server holds a password for them (online only)
}

// Device is an enrolled workstation, as the plant server lists it.
type Device struct {
	ID       string
	Name     string // the name it enrolled with (or the code's note)
	Note     string // the enrolment code's note, when the server kept it
	Station  string
	Series   string // its complaint number series
	Enrolled time.Time
	LastSeen time.Time // zero: never seen since the server started keeping it
	Revoked  bool
	Why      string // why it was revoked
}

// AdminDirectory is what the administration screen lists. Online it is
// the server's; otherwise the last directory this workstation synced
// (Local), which may lag behind.
type AdminDirectory struct {
	Access     AdminAccess
	Local      bool   // read from this workstation's store, not the server
	Me         string // the signed-in administrator's login
	ThisDevice string // this workstation's device id ("" when not enrolled)
	Stations   []domain.Station
	Users      []AdminUser
	Categories []domain.Category // retired ones included
	Severities []domain.SeverityConfig
	Devices    []Device // online only
}

// NewUser is a person the administrator adds; the password is generated
// and shown once.
type NewUser struct {
	Login       string
	DisplayName string
	Role        domain.Role
	Station     string
}

// Credentials are a login and the password generated for it, shown once.
type Credentials struct {
	Login    string
	Password string
}

// Enrolment is a one-time code that enrols a workstation, shown once.
type Enrolment struct {
	Code    string
	Expires time.Time
}
