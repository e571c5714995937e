// Package credential holds the server's own records of who may sign in
// and from where: accounts (password hashes), enrolled devices, one-time
// enrolment codes, refresh tokens and their families; on a database
// holding several plants, the group's accounts and the list of the plants. They never leave the
// server and are not events: the directory itself (names, roles) is folded
// from the log.
//
// The package is plain Go so that syncserver, which declares the storage
// port (syncserver/store.go), and every adapter of that port (bbolt,
// PostgreSQL) share the records without importing one another. The JSON
// tags are the bytes the bbolt adapter stores: changing one changes the
// stored format.
package credential

import "time"

// Account is a user's server-side secret. The user itself (name, role,
// station, disabled) is reference data folded from the event log, so that
// every workstation knows the directory; the password hash never leaves
// the server.
type Account struct {
	Login   string    `json:"login"`
	Hash    string    `json:"hash"` // PHC string, see syncserver/password.go
	Changed time.Time `json:"changed"`
	// KeyGen is the generation of the user's author keys, moved by every
	// password reset: the keys a workstation got before no longer verify
	// (see authorship.Derive).
	KeyGen uint64 `json:"key_gen,omitempty"`
}

// Device is an enrolled workstation. It owns one replica: the server
// accepts that replica's events from it alone.
type Device struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Station   string    `json:"station,omitempty"`
	Replica   string    `json:"replica"`
	KeyHash   string    `json:"key_hash"` // SHA-256 of the device key, hex
	Enrolled  time.Time `json:"enrolled"`
	Series    string    `json:"series,omitempty"` // its complaint number series (see syncserver/series.go)
	Revoked   bool      `json:"revoked,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Why       string    `json:"why,omitempty"`
	RevokedBy string    `json:"revoked_by,omitempty"` // the administrator who revoked it, "" from the command line
	Note      string    `json:"note,omitempty"`       // the note of the code it enrolled with
	IssuedBy  string    `json:"issued_by,omitempty"`  // the administrator who issued that code, "" from the command line
	// LastSeen is when its credential last passed, to within a few
	// minutes (syncserver/lastseen.go).
	LastSeen time.Time `json:"last_seen,omitzero"`
}

// Enrolment is a one-time code waiting to be used, stored under the
// SHA-256 of the code (hex): the code itself is shown once.
type Enrolment struct {
	Note    string    `json:"note,omitempty"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	Replace string    `json:"replace,omitempty"` // the device whose replica this code may take over (device enrol --replace)
	By      string    `json:"by,omitempty"`      // the administrator who issued it over the admin API
}

// RefreshToken is one token of a refresh family, stored under the SHA-256
// of the token (hex): the tokens are 256-bit random, so a slow hash would
// add nothing.
type RefreshToken struct {
	Family  string    `json:"family"`
	Issued  time.Time `json:"issued"`
	Expires time.Time `json:"expires"`
	Used    bool      `json:"used,omitempty"`
	UsedAt  time.Time `json:"used_at,omitzero"`
	// Next is the hash of the successor issued when it was used; Retried,
	// that it was presented again within the grace period and honoured;
	// Superseded, that a retry replaced it before it was ever used
	// (syncserver/sessions.go).
	Next       string `json:"next,omitempty"`
	Retried    bool   `json:"retried,omitempty"`
	Superseded bool   `json:"superseded,omitempty"`
}

// RefreshFamily is one sign-in: the chain of refresh tokens issued from
// it, revoked together.
type RefreshFamily struct {
	ID        string    `json:"id"`
	Login     string    `json:"login"`
	Device    string    `json:"device,omitempty"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"` // of its newest token: the family can be swept after
	Revoked   bool      `json:"revoked,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Why       string    `json:"why,omitempty"`
}

// GroupAccount is an account of the group's quality staff, on a database
// holding several plants (PostgreSQL): it reads every plant's reports side
// by side and writes nothing. It belongs to no plant's directory, and no
// plant's session reads it.
type GroupAccount struct {
	Login       string    `json:"login"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"` // GroupQuality, the one group role so far
	Hash        string    `json:"hash"` // PHC string, see syncserver/password.go
	Created     time.Time `json:"created"`
	Changed     time.Time `json:"changed"` // the password's
	Disabled    bool      `json:"disabled,omitempty"`
}

// GroupQuality is the role of the group's quality staff: read-only, across
// plants.
const GroupQuality = "group_quality"

// Plant is one plant of a database holding several: its id, when it was
// created and how many events its log holds.
type Plant struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	Events  uint64    `json:"events"`
}
