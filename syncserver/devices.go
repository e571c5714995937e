package syncserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// Device is an enrolled workstation, in boltstore.BucketDevices. It owns
// one replica: the server accepts that replica's events from it alone.
type Device struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Station   string    `json:"station,omitempty"`
	Replica   string    `json:"replica"`
	KeyHash   string    `json:"key_hash"` // SHA-256 of the device key, hex
	Enrolled  time.Time `json:"enrolled"`
	Series    string    `json:"series,omitempty"` // its complaint number series (see series.go)
	Revoked   bool      `json:"revoked,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Why       string    `json:"why,omitempty"`
	RevokedBy string    `json:"revoked_by,omitempty"` // the administrator who revoked it, "" from the command line
	Note      string    `json:"note,omitempty"`       // the note of the code it enrolled with
	IssuedBy  string    `json:"issued_by,omitempty"`  // the administrator who issued that code, "" from the command line
	// LastSeen is when its credential last passed, to within
	// lastSeenEvery (lastseen.go).
	LastSeen time.Time `json:"last_seen,omitzero"`
}

// enrolment is a one-time code waiting to be used, in
// boltstore.BucketEnrolments under the SHA-256 of the code.
type enrolment struct {
	Note    string    `json:"note,omitempty"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	Replace string    `json:"replace,omitempty"` // the device whose replica this code may take over (device enrol --replace)
	By      string    `json:"by,omitempty"`      // the administrator who issued it over the admin API
}

// codeAlphabet is passwordAlphabet in capitals: 32 symbols, none read
// alike, typed on a workstation by whoever installs it.
var codeAlphabet = strings.ToUpper(passwordAlphabet)

// DefaultEnrolmentTTL is how long an enrolment code stays valid.
const DefaultEnrolmentTTL = 24 * time.Hour

// newEnrolmentCode returns a code of 12 symbols (60 bits) in three groups.
// Codes are short-lived and guessing is rate-limited, so SHA-256 is enough
// to keep them from being read back from the store.
func newEnrolmentCode() string { return randomCode(codeAlphabet, 12, 4) }

// normalizeCode forgives case, spaces and dashes in a typed code.
func normalizeCode(code string) string {
	code = strings.ToUpper(code)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, code)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func enrolmentKey(code string) []byte { return []byte(sha256Hex(normalizeCode(code))) }

// enrol spends an enrolment code and creates the device, bound to the
// workstation's replica. A replica enrolled before (the same workstation
// set up again) moves to the new device only with a code the administrator
// made to replace its device (checkTakeOver); the old device is then
// revoked, so that two devices never push the same replica's sequence.
func (s *Server) enrol(tx *bolt.Tx, req *syncproto.EnrolRequest) (*Device, string, error) {
	b := tx.Bucket(boltstore.BucketEnrolments)
	key := enrolmentKey(req.Code)
	var en enrolment
	if ok, err := getJSON(b, key, &en); err != nil || !ok || !s.now().Before(en.Expires) {
		return nil, "", orUnauthorized(err, "unknown or expired enrolment code")
	}
	if err := b.Delete(key); err != nil {
		return nil, "", err
	}
	previous := replicaDevice(tx, req.Replica)
	if err := checkTakeOver(en, previous); err != nil {
		return nil, "", err // the transaction rolls back: the code is not spent
	}
	series, err := seriesFor(tx, previous)
	if err != nil {
		return nil, "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	d := &Device{ID: uuid.Must(uuid.NewV7()).String(), Name: req.Name, Station: req.Station, Replica: req.Replica,
		KeyHash: sha256Hex(secret), Enrolled: s.now(), Series: series, Note: en.Note, IssuedBy: en.By}
	if previous != nil && !previous.Revoked {
		previous.Revoked, previous.RevokedAt, previous.Why = true, s.now(), "replaced by device "+d.ID
		if err := putJSON(tx.Bucket(boltstore.BucketDevices), []byte(previous.ID), previous); err != nil {
			return nil, "", err
		}
	}
	return d, secret, putJSON(tx.Bucket(boltstore.BucketDevices), []byte(d.ID), d)
}

// validateEnrolRequest checks the request before any code is spent.
func validateEnrolRequest(t *boltstore.Tx, req *syncproto.EnrolRequest, serverReplica string) error {
	switch {
	case req.Code == "":
		return domain.FieldError("code", "is required")
	case req.Replica == "" || len(req.Replica) > 128 || !utf8.ValidString(req.Replica) || strings.ContainsRune(req.Replica, 0):
		return domain.FieldError("replica", "must be the workstation store's replica id")
	case req.Replica == serverReplica:
		return domain.FieldError("replica", "is the server's own replica")
	case utf8.RuneCountInString(req.Name) > 120:
		return domain.FieldError("name", "must be at most 120 characters")
	}
	if req.Station == "" {
		return nil
	}
	st, err := t.State(domain.EntityKey{Type: domain.EntityStation, ID: req.Station})
	if err != nil || st.Station == nil || st.Station.Retired {
		return domain.FieldError("station", "no active station %q", req.Station)
	}
	return nil
}

func listDevices(tx *bolt.Tx) []Device {
	var out []Device
	_ = tx.Bucket(boltstore.BucketDevices).ForEach(func(_, v []byte) error {
		var d Device
		if json.Unmarshal(v, &d) == nil {
			out = append(out, d)
		}
		return nil
	})
	return out
}

// checkDevice verifies a device credential. Every failure is the same
// 403 naming the device field: the user's token may be fine, so a client
// must not answer it by refreshing the token.
func checkDevice(tx *bolt.Tx, id, key string) (*Device, error) {
	refused := &domain.Error{Code: domain.EForbidden, Field: "device",
		Message: "this workstation is not enrolled, or its enrolment was revoked: enrol it again"}
	if id == "" || key == "" {
		return nil, refused
	}
	var d Device
	if ok, err := getJSON(tx.Bucket(boltstore.BucketDevices), []byte(id), &d); err != nil || !ok {
		return nil, orErr(err, refused)
	}
	if subtle.ConstantTimeCompare([]byte(sha256Hex(key)), []byte(d.KeyHash)) != 1 || d.Revoked {
		return nil, refused
	}
	return &d, nil
}

// deviceExists reports whether a device was ever enrolled under id.
func deviceExists(tx *bolt.Tx, id string) bool {
	return tx.Bucket(boltstore.BucketDevices).Get([]byte(id)) != nil
}

// deviceActive reports whether a device is enrolled and not revoked.
func deviceActive(tx *bolt.Tx, id string) bool {
	var d Device
	ok, err := getJSON(tx.Bucket(boltstore.BucketDevices), []byte(id), &d)
	return ok && err == nil && !d.Revoked
}

func orErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
