package syncproto

import (
	"net/url"
	"time"

	"boucle/shared/domain"
)

// The admin API administers the plant over the network: stations, users,
// categories, severities and devices. Every route needs the access token
// of a user who is an enabled administrator in the directory at the time
// of the request. Each route answers the changed item (or the list), and
// an ErrorBody naming the field or rule when it refuses. Directory
// changes are events authored by the signed-in administrator.
//
// The routes, under Prefix; {code}, {login} and {id} are path-escaped
// (see AdminPath):
//
//	GET  /admin/stations                      → []domain.Station (retired ones included)
//	POST /admin/stations                      NewStation → domain.Station
//	PUT  /admin/stations/{code}               StationName → domain.Station
//	POST /admin/stations/{code}/retire        Reason → domain.Station
//	GET  /admin/users                         → []AdminUser
//	POST /admin/users                         NewUser → Credentials (the password when the server chose it)
//	PUT  /admin/users/{login}                 UserUpdate → AdminUser
//	POST /admin/users/{login}/disable         Reason → AdminUser
//	POST /admin/users/{login}/enable          Note → AdminUser
//	POST /admin/users/{login}/password        PasswordReset → Credentials (the password when the server chose it)
//	GET  /admin/categories                    → []domain.Category (retired ones included)
//	POST /admin/categories                    NewCategory → domain.Category
//	PUT  /admin/categories/{code}             CategoryLabels → domain.Category
//	POST /admin/categories/{code}/retire      Reason → domain.Category
//	GET  /admin/severities                    → []domain.SeverityConfig (minor, major, critical)
//	PUT  /admin/severities/{severity}         SeverityDeadlines → domain.SeverityConfig
//	GET  /admin/devices                       → []AdminDevice (revoked ones included)
//	POST /admin/devices/enrolments            EnrolmentRequest → EnrolmentCode (shown once)
//	POST /admin/devices/{id}/replacement      EnrolmentRequest → EnrolmentCode (shown once)
//	POST /admin/devices/{id}/revoke           Reason → AdminDevice
const (
	RouteAdminStations   = "/admin/stations"
	RouteAdminUsers      = "/admin/users"
	RouteAdminCategories = "/admin/categories"
	RouteAdminSeverities = "/admin/severities"
	RouteAdminDevices    = "/admin/devices"
	// RouteAdminEnrolments issues a new device's enrolment code.
	RouteAdminEnrolments = RouteAdminDevices + "/enrolments"

	// Actions on one item, after its path: /admin/users/{login}/disable.
	AdminRetire      = "retire"
	AdminDisable     = "disable"
	AdminEnable      = "enable"
	AdminPassword    = "password"
	AdminReplacement = "replacement"
	AdminRevoke      = "revoke"
)

// AdminPath is the route of one item of a collection (RouteAdminUsers,
// ...), then of an action on it when action is not empty.
func AdminPath(collection, id, action string) string {
	p := collection + "/" + url.PathEscape(id)
	if action != "" {
		p += "/" + action
	}
	return p
}

// NewStation defines a station. A retired station's code may be defined
// again.
type NewStation struct {
	Code string `json:"code"` // upper-case letters, digits, '-' or '_' (at most 16)
	Name string `json:"name"`
}

// StationName renames a station.
type StationName struct {
	Name string `json:"name"`
}

// Reason says why an item is retired, a user disabled or a device
// revoked. Required to disable a user or retire a station or category;
// optional to revoke a device.
type Reason struct {
	Reason string `json:"reason"`
}

// Note is an optional note (enabling a user).
type Note struct {
	Note string `json:"note,omitempty"`
}

// NewUser registers a user with an account. An empty password makes the
// server choose one, returned once in Credentials.
type NewUser struct {
	Login       string      `json:"login"`
	DisplayName string      `json:"display_name"`
	Role        domain.Role `json:"role"`
	Station     string      `json:"station,omitempty"` // home station, an active one
	Password    string      `json:"password,omitempty"`
}

// UserUpdate replaces a user's display name, role and home station (all
// three: send the current values of what does not change). Refused with
// rule user.last_admin when it would leave the plant without an enabled
// administrator.
type UserUpdate struct {
	DisplayName string      `json:"display_name"`
	Role        domain.Role `json:"role"`
	Station     string      `json:"station,omitempty"`
}

// PasswordReset sets a user's password; empty makes the server choose
// one, returned once. Every session of the user is signed out.
type PasswordReset struct {
	Password string `json:"password,omitempty"`
}

// Credentials are a login and, when the server chose it, the password to
// hand over: shown once, stored nowhere in clear.
type Credentials struct {
	Login    string `json:"login"`
	Password string `json:"password,omitempty"`
}

// AdminUser is a user of the directory as the administrator sees it.
type AdminUser struct {
	domain.User
	HasPassword     bool      `json:"has_password"`
	PasswordChanged time.Time `json:"password_changed,omitzero"`
}

// NewCategory defines a defect category. A retired category's code may
// be defined again.
type NewCategory struct {
	Code    string `json:"code"` // lower-case letters, digits or '_'
	LabelEN string `json:"label_en"`
	LabelFR string `json:"label_fr"`
}

// CategoryLabels relabels a category.
type CategoryLabels struct {
	LabelEN string `json:"label_en"`
	LabelFR string `json:"label_fr"`
}

// SeverityDeadlines are a severity's default handling times, in hours
// from filing: to acknowledge (1 to 2160) and to resolve (at least
// ack_hours, at most a year). A severity has no label of its own: its
// words are the app's translations.
type SeverityDeadlines struct {
	AckHours     int `json:"ack_hours"`
	ResolveHours int `json:"resolve_hours"`
}

// EnrolmentRequest asks for a one-time enrolment code.
type EnrolmentRequest struct {
	Note string `json:"note,omitempty"` // who or what the code is for, kept with the device
	// ValidHours is how long the code stays valid: 0 for the default
	// (24 h), at most MaxEnrolmentHours.
	ValidHours int `json:"valid_hours,omitempty"`
}

// MaxEnrolmentHours bounds an enrolment code's validity (30 days).
const MaxEnrolmentHours = 30 * 24

// EnrolmentCode is a one-time device enrolment code, shown once: the
// server keeps only its hash.
type EnrolmentCode struct {
	Code    string    `json:"code"`
	Expires time.Time `json:"expires"`
}

// AdminDevice is an enrolled workstation as the administrator sees it.
type AdminDevice struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`                // the workstation's name, given at enrolment
	Note     string    `json:"note,omitempty"`      // the note of the code it enrolled with
	IssuedBy string    `json:"issued_by,omitempty"` // the administrator who issued that code ("" from the server's command line)
	Station  string    `json:"station,omitempty"`   // the station it serves, when known
	Series   string    `json:"series,omitempty"`    // its complaint number series
	Enrolled time.Time `json:"enrolled"`
	// LastSeen is when it last synced, to within a few minutes; zero if
	// never since the server recorded it.
	LastSeen  time.Time `json:"last_seen,omitzero"`
	Revoked   bool      `json:"revoked,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Why       string    `json:"why,omitempty"`        // why it was revoked
	RevokedBy string    `json:"revoked_by,omitempty"` // the administrator who revoked it ("" from the command line or by a replacement)
}
