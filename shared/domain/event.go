package domain

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// EntityType names a kind of entity whose state is folded from events.
type EntityType string

const (
	EntityComplaint EntityType = "complaint"
	EntityAction    EntityType = "action"
	EntityPlan      EntityType = "plan"
	EntityStation   EntityType = "station"
	EntityUser      EntityType = "user"
	EntityCategory  EntityType = "category"
	EntitySeverity  EntityType = "severity"
	EntityProblem   EntityType = "problem"
)

// EntityTypes lists every entity type, reference data first.
var EntityTypes = []EntityType{EntityStation, EntityUser, EntityCategory, EntitySeverity, EntityComplaint, EntityAction, EntityPlan, EntityProblem}

// EntityKey identifies one entity.
type EntityKey struct {
	Type EntityType `json:"type"`
	ID   string     `json:"id"`
}

func (k EntityKey) String() string { return string(k.Type) + "/" + k.ID }

// EventType names what happened, as "<entity>.<past participle>".
type EventType string

// Event is an immutable fact. Nothing is ever deleted: a withdrawal is an
// event too.
type Event struct {
	ID         uuid.UUID       `json:"id"`           // UUIDv7
	HLC        hlc.Timestamp   `json:"hlc"`          // hybrid logical clock of the author's replica
	Replica    string          `json:"replica"`      // workstation (or server) that recorded it
	Seq        uint64          `json:"seq"`          // that replica's own counter, from 1, without gaps
	Author     string          `json:"author"`       // user id (login)
	Role       Role            `json:"role"`         // the author's role when writing
	EntityType EntityType      `json:"entity_type"`  //
	EntityID   string          `json:"entity_id"`    //
	Type       EventType       `json:"type"`         //
	Schema     uint16          `json:"schema"`       // version of the payload's schema for Type
	Parents    []uuid.UUID     `json:"parents"`      // the entity's latest events the author had seen
	Payload    json.RawMessage `json:"payload"`      // JSON object, see payloads.go
	Sig        Signature       `json:"sig,omitzero"` // the author's MAC; zero when unsigned
}

// MACSize is the length of an author's MAC (HMAC-SHA256).
const MACSize = 32

// Signature is the author's MAC over the event's signed bytes
// (AppendSignedBytes: the encoding without the signature), under the key
// the server issued to that author for the event's replica. Kid names the
// server key it was derived from. The domain only carries it: computing
// and checking it is shared/authorship's.
type Signature struct {
	Kid string        `json:"kid"`
	MAC [MACSize]byte `json:"mac"`
}

// Signed reports whether the event carries a signature.
func (e *Event) Signed() bool { return e.Sig.Kid != "" }

// Key returns the entity the event belongs to.
func (e *Event) Key() EntityKey { return EntityKey{e.EntityType, e.EntityID} }

// OrderKey is the position of an event in the fold: (HLC, replica, id).
// HLC alone is not unique across replicas; the replica and the id break ties
// the same way everywhere.
type OrderKey struct {
	HLC     hlc.Timestamp `json:"hlc"`
	Replica string        `json:"replica"`
	ID      uuid.UUID     `json:"id"`
}

// Order returns the event's position in the fold.
func (e *Event) Order() OrderKey { return OrderKey{e.HLC, e.Replica, e.ID} }

// Compare orders keys: negative when k sorts before o.
func (k OrderKey) Compare(o OrderKey) int {
	switch {
	case k.HLC < o.HLC:
		return -1
	case k.HLC > o.HLC:
		return 1
	}
	if c := strings.Compare(k.Replica, o.Replica); c != 0 {
		return c
	}
	return bytes.Compare(k.ID[:], o.ID[:])
}

// SortEvents sorts events in fold order.
func SortEvents(events []Event) {
	slices.SortFunc(events, func(a, b Event) int { return a.Order().Compare(b.Order()) })
}

// Known reports whether this software can fold the event: its type is
// registered and its schema version is not newer than the one understood.
// Unknown events are stored but left unfolded until an upgrade knows them.
func (e *Event) Known() bool {
	s, ok := registry[e.Type]
	return ok && s.entity == e.EntityType && e.Schema >= 1 && e.Schema <= s.schema
}
