package boltstore

import (
	"fmt"
	"slices"
	"strings"

	"boucle/shared/authorship"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

// Actor is the signed-in user a local event is recorded for. Key is the
// author key the server issued to that user for this workstation (held in
// memory by the session, never stored unwrapped): Record signs every event
// with it. On an enrolled workstation an actor without a key cannot
// record (the server would refuse the events); the server's own store and
// a standalone workstation record unsigned events.
type Actor struct {
	Login string
	Role  domain.Role
	Key   authorship.Key
}

// Command is one change a user asks for.
type Command struct {
	Type     domain.EventType
	EntityID string // empty for a new complaint, action or plan: a UUIDv7 is assigned
	Payload  domain.Payload
}

// Record turns commands into events and stores them in one transaction:
// all are recorded, durably, or none. A command refused by the permission
// table, by validation or by the entity's state returns the *domain.Error
// naming the field or rule, and nothing is written.
func (s *Store) Record(actor Actor, cmds ...Command) ([]domain.Event, error) {
	var out []domain.Event
	err := s.Update(func(t *Tx) error {
		out = out[:0]
		for _, cmd := range cmds {
			e, err := t.Record(actor, cmd)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Record records one local event in the transaction.
func (t *Tx) Record(actor Actor, cmd Command) (domain.Event, error) {
	if cmd.Payload == nil {
		return domain.Event{}, domain.FieldError("payload", "is required")
	}
	if !actor.Key.Valid() && t.Device().Enrolled() {
		return domain.Event{}, ErrNoAuthorKey
	}
	if err := domain.CheckPermission(actor.Role, cmd.Type); err != nil {
		return domain.Event{}, err
	}
	if err := t.checkClockAhead(); err != nil {
		return domain.Event{}, err
	}
	if cmd.EntityID == "" {
		cmd.EntityID = uuid.Must(uuid.NewV7()).String()
	}
	if err := t.prepare(actor, &cmd); err != nil {
		return domain.Event{}, err
	}
	e, err := domain.NewEvent(cmd.Type, cmd.EntityID, cmd.Payload)
	if err != nil {
		return domain.Event{}, err
	}
	cs, err := t.current(e.Key())
	if err != nil {
		return domain.Event{}, err
	}
	meta := t.tx.Bucket(bucketMeta)
	seq := readU64(meta.Get(keyLocalSeq)) + 1
	e.ID = uuid.Must(uuid.NewV7())
	e.HLC = t.store.clock.Now()
	e.Replica, e.Seq = t.store.replica, seq
	e.Author, e.Role = actor.Login, actor.Role
	e.Parents = slices.Clone(cs.state.Meta.Heads)
	if err := checkEntityClock(cs.state, &e); err != nil {
		return domain.Event{}, err
	}
	if err := cs.state.Decide(&e); err != nil {
		delete(t.states, e.Key()) // partly changed: the transaction is rolled back anyway
		return domain.Event{}, err
	}
	cs.dirty = true
	if actor.Key.Valid() {
		authorship.Sign(actor.Key, &e)
	}
	if err := t.appendEvent(&e, true); err != nil {
		return domain.Event{}, err
	}
	if err := meta.Put(keyLocalSeq, u64(seq)); err != nil {
		return domain.Event{}, err
	}
	return e, t.tx.Bucket(bucketOutbox).Put(u64(seq), e.ID[:])
}

// ErrNoAuthorKey refuses a record on an enrolled workstation by a user who
// holds no author key here: one who never signed in online on it.
var ErrNoAuthorKey = domain.RuleError(domain.EForbidden, "sync.author_key",
	"you have no author key on this workstation: sign in online on it once (the plant server issues the key), then record again")

// prepare fills what the store knows better than the caller (the complaint
// number) and checks references to other entities, naming the field.
func (t *Tx) prepare(actor Actor, cmd *Command) error {
	return PrepareCommand(t.state, actor, cmd, t.nextNumber)
}

// StateReader reads an entity's current state, nil when it has none.
type StateReader func(k domain.EntityKey) (*domain.State, error)

// PrepareCommand is what Record checks and fills of a command before it
// becomes an event, on any store that reads states (the server's
// PostgreSQL adapter records with it too): the complainant rule, the
// references to other entities (naming the field), and a new complaint's
// number, from nextNumber.
func PrepareCommand(read StateReader, actor Actor, cmd *Command, nextNumber func(station string) (string, error)) error {
	t := stateChecks(read)
	if err := t.checkComplainant(actor, cmd); err != nil {
		return err
	}
	switch p := cmd.Payload.(type) {
	case *domain.ComplaintFiledPayload:
		if err := p.CheckNewFiling(); err != nil {
			return err
		}
		p.PartRef = strings.TrimSpace(p.PartRef)
		if err := t.requireStation("filing_station", p.FilingStation); err != nil {
			return err
		}
		if err := t.requireStation("supplier_station", p.SupplierStation); err != nil {
			return err
		}
		if err := t.requireCategory("category", p.Category); err != nil {
			return err
		}
		if p.Number == "" {
			n, err := nextNumber(p.FilingStation)
			if err != nil {
				return err
			}
			p.Number = n
		}
	case *domain.AcknowledgePayload:
		return t.requireUser("assignee", p.Assignee)
	case *domain.AssignPayload:
		return t.requireUser("assignee", p.Assignee)
	case *domain.EscalatePayload:
		return t.requireUser("supervisor", p.Supervisor)
	case *domain.DuplicatePayload:
		return t.requireEntity("of", domain.EntityKey{Type: domain.EntityComplaint, ID: p.Of})
	case *domain.ActionAssignedPayload:
		if err := t.requireUser("owner", p.Owner); err != nil {
			return err
		}
		if p.ComplaintID != "" {
			if err := t.requireEntity("complaint_id", domain.EntityKey{Type: domain.EntityComplaint, ID: p.ComplaintID}); err != nil {
				return err
			}
		}
		if p.PlanID != "" {
			return t.requireEntity("plan_id", domain.EntityKey{Type: domain.EntityPlan, ID: p.PlanID})
		}
	case *domain.ActionRescheduledPayload:
		if p.Owner != "" {
			return t.requireUser("owner", p.Owner)
		}
	case *domain.PlanContentPayload:
		if err := t.requireStation("supplier_station", p.SupplierStation); err != nil {
			return err
		}
		for i, c := range p.Complaints {
			if err := t.requireEntity(fmt.Sprintf("complaints[%d]", i), domain.EntityKey{Type: domain.EntityComplaint, ID: c}); err != nil {
				return err
			}
		}
		for i, a := range p.Actions {
			if err := t.requireEntity(fmt.Sprintf("actions[%d]", i), domain.EntityKey{Type: domain.EntityAction, ID: a}); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkComplainant refuses an operator acting as the complainant of
// another station's complaint (domain.CheckComplainant).
// stateChecks are the checks of references, on a store's states.
type stateChecks StateReader

func (t stateChecks) checkComplainant(actor Actor, cmd *Command) error {
	if actor.Role != domain.RoleOperator || !domain.ComplainantAct(cmd.Type) {
		return nil
	}
	user, err := t(domain.EntityKey{Type: domain.EntityUser, ID: actor.Login})
	if err != nil || user == nil || user.User == nil || user.User.Station == "" {
		return err
	}
	c, err := t(domain.EntityKey{Type: domain.EntityComplaint, ID: cmd.EntityID})
	if err != nil || c == nil || c.Complaint == nil {
		return err // the fold names the missing complaint
	}
	return domain.CheckComplainant(cmd.Type, actor.Role, actor.Login, user.User.Station, c.Complaint.FilingStation, c.Complaint.Number)
}

func (t stateChecks) requireEntity(field string, k domain.EntityKey) error {
	st, err := t(k)
	if err != nil {
		return err
	}
	if st == nil || !st.Exists() {
		return domain.FieldError(field, "no %s %q", k.Type, k.ID)
	}
	return nil
}

func (t stateChecks) requireStation(field, code string) error {
	st, err := t(domain.EntityKey{Type: domain.EntityStation, ID: code})
	if err != nil {
		return err
	}
	if st == nil || st.Station == nil || st.Station.Retired {
		return domain.FieldError(field, "no active station %q", code)
	}
	return nil
}

func (t stateChecks) requireCategory(field, code string) error {
	st, err := t(domain.EntityKey{Type: domain.EntityCategory, ID: code})
	if err != nil {
		return err
	}
	if st == nil || st.Category == nil || st.Category.Retired {
		return domain.FieldError(field, "no active category %q", code)
	}
	return nil
}

func (t stateChecks) requireUser(field, login string) error {
	st, err := t(domain.EntityKey{Type: domain.EntityUser, ID: login})
	if err != nil {
		return err
	}
	if st == nil || st.User == nil || st.User.Disabled {
		return domain.FieldError(field, "no active user %q", login)
	}
	return nil
}

// state returns an entity's current state within the transaction (nil if
// it has none), seeing this transaction's own changes.
func (t *Tx) state(k domain.EntityKey) (*domain.State, error) {
	if cs, ok := t.states[k]; ok {
		return cs.state, nil
	}
	if t.Backlog() > 0 {
		cs, err := t.current(k)
		if err != nil || !cs.state.Exists() {
			return nil, err
		}
		return cs.state, nil
	}
	return t.loadState(k)
}

// current returns the entity's state including every logged event, even
// those awaiting projection (a long first sync): a local write names the
// entity's heads as parents and checks references, and must not look
// concurrent with what this workstation already holds. Refolding one
// entity costs its tens of events; the projector later finds them folded.
func (t *Tx) current(k domain.EntityKey) (*cachedState, error) {
	cs, err := t.cached(k)
	if err != nil || t.Backlog() == 0 || cs.refolded {
		return cs, err
	}
	if cs.state, err = t.refold(k); err != nil {
		return nil, err
	}
	cs.dirty, cs.refolded = true, true
	return cs, nil
}
