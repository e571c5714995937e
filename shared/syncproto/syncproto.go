// Package syncproto is the contract between a workstation and the sync
// server: routes, headers, the binary event batch and the JSON bodies.
// Both sides import it, so the protocol is written down once; the prose
// version is docs/sync-protocol.md.
package syncproto

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// Routes, under the API prefix.
const (
	Prefix       = "/api/v1"
	RouteLogin   = "/auth/login"    // POST LoginRequest → Tokens
	RouteRefresh = "/auth/refresh"  // POST RefreshRequest → Tokens
	RouteLogout  = "/auth/logout"   // POST RefreshRequest → 204
	RouteEnrol   = "/devices/enrol" // POST EnrolRequest → EnrolResponse
	RoutePush    = "/sync/push"     // POST batch → PushResponse
	RoutePull    = "/sync/pull"     // GET ?cursor=&limit= → batch, with the headers below
	RouteState   = "/sync/state"    // GET → ServerState
	RouteBlob    = "/blobs/"        // PUT/GET /blobs/{sha256}
)

// Headers.
const (
	HeaderDevice     = "X-Boucle-Device"      // device id, with HeaderDeviceKey on sync routes
	HeaderDeviceKey  = "X-Boucle-Device-Key"  // the device credential from enrolment
	HeaderCursor     = "X-Boucle-Cursor"      // next cursor after a pulled page
	HeaderMore       = "X-Boucle-More"        // "true" when more pages follow
	HeaderEpoch      = "X-Boucle-Epoch"       // the server store's epoch
	HeaderServerTime = "X-Boucle-Server-Time" // server HLC, clients observe it
	HeaderSeries     = "X-Boucle-Series"      // pull answer: the device's complaint number series
	ContentTypeBatch = "application/vnd.boucle.events"
)

// Limits.
const (
	MaxBatchEvents = 5000     // events in one push or pull page
	MaxBatchBytes  = 64 << 20 // bytes of one batch body
	DefaultPull    = 5000
)

// batchMagic starts every batch, so a wrong body fails fast.
var batchMagic = []byte("BCLB1")

// AppendBatch encodes events as a batch: magic, then each event's
// domain encoding prefixed by its length. Binary because JSON decoding
// would cap sync at a fraction of the throughput the plant needs.
func AppendBatch(dst []byte, events []domain.Event) []byte {
	dst = append(dst, batchMagic...)
	for i := range events {
		enc := domain.EncodeEvent(&events[i])
		dst = binary.AppendUvarint(dst, uint64(len(enc)))
		dst = append(dst, enc...)
	}
	return dst
}

// AppendRaw appends one already encoded event to a batch started with
// StartBatch (the server streams stored bytes without re-encoding them).
func AppendRaw(dst, encoded []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(encoded)))
	return append(dst, encoded...)
}

// StartBatch returns the header of an empty batch.
func StartBatch(dst []byte) []byte { return append(dst, batchMagic...) }

// DecodeBatch decodes a batch; any malformed event fails the whole batch
// with the index of the event in the error.
func DecodeBatch(b []byte) ([]domain.Event, error) {
	if len(b) > MaxBatchBytes {
		return nil, &domain.Error{Code: domain.ETooLarge, Message: "batch larger than 64 MiB"}
	}
	if len(b) < len(batchMagic) || string(b[:len(batchMagic)]) != string(batchMagic) {
		return nil, &domain.Error{Code: domain.EMalformed, Field: "batch", Message: "not an event batch"}
	}
	b = b[len(batchMagic):]
	var out []domain.Event
	for len(b) > 0 {
		if len(out) == MaxBatchEvents {
			return nil, &domain.Error{Code: domain.ETooLarge, Field: "batch", Message: fmt.Sprintf("more than %d events", MaxBatchEvents)}
		}
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, &domain.Error{Code: domain.EMalformed, Field: fmt.Sprintf("events[%d]", len(out)), Message: "truncated"}
		}
		e, err := domain.DecodeEvent(b[k : k+int(n)])
		if err != nil {
			de := domain.AsError(err)
			return nil, &domain.Error{Code: de.Code, Field: fmt.Sprintf("events[%d].%s", len(out), de.Field), Message: de.Message}
		}
		out = append(out, e)
		b = b[k+int(n):]
	}
	return out, nil
}

// Cursor is a pull position: the server's epoch and a log position.
type Cursor struct {
	Epoch string
	Seq   uint64
}

func (c Cursor) String() string { return c.Epoch + ":" + strconv.FormatUint(c.Seq, 10) }

// ParseCursor reads "epoch:seq"; the empty string is the start.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	epoch, seq, ok := strings.Cut(s, ":")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || err != nil || epoch == "" {
		return Cursor{}, domain.FieldError("cursor", "must read epoch:seq")
	}
	return Cursor{Epoch: epoch, Seq: n}, nil
}

// Result of one pushed event.
type Result string

const (
	Accepted  Result = "accepted"
	Duplicate Result = "duplicate" // already stored: a retry after a lost response
	Rejected  Result = "rejected"  // refused for good, with a reason: do not retry
)

// EventResult is the server's answer for one pushed event.
type EventResult struct {
	ID     uuid.UUID   `json:"id"`
	Result Result      `json:"result"`
	Code   domain.Code `json:"code,omitempty"`
	Reason string      `json:"reason,omitempty"`
}

// PushResponse answers a push: one result per event, in order.
type PushResponse struct {
	Results    []EventResult `json:"results"`
	ServerTime hlc.Timestamp `json:"server_time"`
	Epoch      string        `json:"epoch"`
}

// GapError is the body of a 409 for a push that skips sequence numbers.
type GapError struct {
	Code     domain.Code `json:"code"` // sequence_gap
	Message  string      `json:"message"`
	Replica  string      `json:"replica"`
	Expected uint64      `json:"expected"` // the next sequence number the server needs
}

// ServerState tells a workstation what the server holds, so that after a
// restore from backup (new epoch) it re-pushes what the server lacks.
type ServerState struct {
	Epoch      string            `json:"epoch"`
	LogLen     uint64            `json:"log_len"`
	Replicas   map[string]uint64 `json:"replicas"` // highest contiguous sequence per replica
	ServerTime hlc.Timestamp     `json:"server_time"`
}

// LoginRequest signs a user in from an enrolled device.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// Tokens are a short-lived access token and a rotating refresh token.
type Tokens struct {
	AccessToken  string      `json:"access_token"`
	RefreshToken string      `json:"refresh_token"`
	ExpiresIn    int         `json:"expires_in"` // seconds
	User         domain.User `json:"user"`
	// AuthorKey is issued at a sign-in sent with a device's credential:
	// the key this user signs events with on that device's replica
	// (shared/authorship). Keep it wrapped under the password.
	AuthorKey *AuthorKey `json:"author_key,omitempty"`
	// ConfidentialKeys are the plant's confidential keys (the newest
	// first), in the login answer of an engineer, manager or administrator
	// signing in on an enrolled workstation only: they open internal notes.
	ConfidentialKeys []confidential.Key `json:"confidential_keys,omitempty"`
}

// AuthorKey is an author key on the wire.
type AuthorKey struct {
	Kid string `json:"kid"`
	Key []byte `json:"key"` // 32 bytes, base64 in JSON
}

// RefreshRequest exchanges a refresh token for new tokens.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// EnrolRequest turns a one-time enrolment code into a device credential.
type EnrolRequest struct {
	Code    string `json:"code"`
	Name    string `json:"name"`    // the workstation's name
	Station string `json:"station"` // station it serves
	Replica string `json:"replica"` // the store's replica id
}

// EnrolResponse carries the device credential, shown once.
type EnrolResponse struct {
	DeviceID  string `json:"device_id"`
	DeviceKey string `json:"device_key"`
	Epoch     string `json:"epoch"`
	// Series is the device's complaint number series (PRESS2-2026-B0042
	// is number 42 of series B): unique to the device in the plant.
	Series string `json:"series,omitempty"`
}

// ErrorBody is every error response: a stable code and a message.
type ErrorBody struct {
	Code    domain.Code `json:"code"`
	Field   string      `json:"field,omitempty"`
	Rule    string      `json:"rule,omitempty"` // the business rule that refused, e.g. user.last_admin
	Message string      `json:"message"`
}
