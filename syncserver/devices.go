package syncserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver/credential"

	"github.com/google/uuid"
)

// Device is an enrolled workstation (credential.Device). It owns one
// replica: the server accepts that replica's events from it alone.
type Device = credential.Device

// enrolment is a one-time code waiting to be used, stored under the
// SHA-256 of the code (enrolmentHash).
type enrolment = credential.Enrolment

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

func enrolmentHash(code string) string { return sha256Hex(normalizeCode(code)) }

// enrol spends an enrolment code and creates the device, bound to the
// workstation's replica. A replica enrolled before (the same workstation
// set up again) moves to the new device only with a code the administrator
// made to replace its device (checkTakeOver); the old device is then
// revoked, so that two devices never push the same replica's sequence.
func (s *Server) enrol(tx AccessTx, req *syncproto.EnrolRequest) (*Device, string, error) {
	hash := enrolmentHash(req.Code)
	en, err := tx.Enrolment(hash)
	if err != nil || en == nil || !s.now().Before(en.Expires) {
		return nil, "", orUnauthorized(err, "unknown or expired enrolment code")
	}
	if err := tx.DeleteEnrolment(hash); err != nil {
		return nil, "", err
	}
	previous, err := replicaDevice(tx, req.Replica)
	if err != nil {
		return nil, "", err
	}
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
		if err := tx.PutDevice(previous); err != nil {
			return nil, "", err
		}
	}
	return d, secret, tx.PutDevice(d)
}

// validateEnrolRequest checks the request before any code is spent.
func validateEnrolRequest(t stateReader, req *syncproto.EnrolRequest, serverReplica string) error {
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

// checkDevice verifies a device credential. Every failure is the same
// 403 naming the device field: the user's token may be fine, so a client
// must not answer it by refreshing the token.
func checkDevice(tx DeviceRecords, id, key string) (*Device, error) {
	refused := &domain.Error{Code: domain.EForbidden, Field: "device",
		Message: "this workstation is not enrolled, or its enrolment was revoked: enrol it again"}
	if id == "" || key == "" {
		return nil, refused
	}
	d, err := tx.Device(id)
	if err != nil || d == nil {
		return nil, orErr(err, refused)
	}
	if subtle.ConstantTimeCompare([]byte(sha256Hex(key)), []byte(d.KeyHash)) != 1 || d.Revoked {
		return nil, refused
	}
	return d, nil
}

// deviceActive reports whether a device is enrolled and not revoked (a
// record that does not read is not).
func deviceActive(tx DeviceRecords, id string) bool {
	d, err := tx.Device(id)
	return err == nil && d != nil && !d.Revoked
}

func orErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
