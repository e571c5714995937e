package pgstore

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

// RecordServerEvent records cmd in actor's name, checked as the bbolt
// store's Record checks it (permission, references, payload, state:
// boltstore.PrepareCommand, domain.State.Decide), stamped by the process's
// clock and numbered in the plant's server replica under the plant's lock
// (the transaction is an Update), folded at once, and logged. The server
// pushes its own events nowhere: there is no outbox to acknowledge.
func (t *Tx) RecordServerEvent(actor boltstore.Actor, cmd boltstore.Command) error {
	if err := t.writable("recording an event"); err != nil {
		return err
	}
	if cmd.Payload == nil {
		return domain.FieldError("payload", "is required")
	}
	if err := domain.CheckPermission(actor.Role, cmd.Type); err != nil {
		return err
	}
	if cmd.EntityID == "" {
		cmd.EntityID = uuid.Must(uuid.NewV7()).String()
	}
	if err := boltstore.PrepareCommand(t.state, actor, &cmd, t.nextNumber); err != nil {
		return err
	}
	e, err := domain.NewEvent(cmd.Type, cmd.EntityID, cmd.Payload)
	if err != nil {
		return err
	}
	replica, err := t.serverReplica()
	if err != nil {
		return err
	}
	f, err := t.current(e.Key())
	if err != nil {
		return err
	}
	// The entity's last change may come from a push another instance
	// logged, whose clock this process never observed: observe it, so that
	// the new event sorts after it (as bbolt's one clock observes every
	// push) rather than being refused as recorded before it.
	if f.state.Meta.Events > 0 {
		t.plant.store.clock.Observe(f.state.Meta.Last.HLC)
	}
	e.ID, e.HLC = uuid.Must(uuid.NewV7()), t.plant.store.clock.Now()
	e.Replica, e.Seq = replica, t.ReplicaSeq(replica)+1
	e.Author, e.Role = actor.Login, actor.Role
	e.Parents = slices.Clone(f.state.Meta.Heads)
	if err := boltstore.CheckEntityClock(f.state, &e); err != nil {
		return err
	}
	if err := f.state.Decide(&e); err != nil {
		delete(t.folds, e.Key()) // partly changed: read it again if asked
		return err
	}
	f.dirty = true
	if err := t.AppendNew(&e, boltstore.FilingOf(&e)); err != nil {
		return err
	}
	if t.projected+1 == t.logLen { // nothing awaits before it
		t.projected, t.projectedMoved = t.logLen, true
	}
	return t.err
}

// current returns the entity's state with every logged event folded, even
// those awaiting projection: a new event names the entity's heads as
// parents. It takes the projection's lock, as every fold does.
func (t *Tx) current(k domain.EntityKey) (*folded, error) {
	if err := t.lockProjection(); err != nil {
		return nil, err
	}
	if err := t.loadStates([]domain.EntityKey{k}); err != nil {
		return nil, t.fail(err)
	}
	f := t.folds[k]
	if t.projected < t.logLen {
		st, err := t.refold(k)
		if err != nil {
			return nil, t.fail(err)
		}
		f.state, f.dirty = st, true
	}
	return f, nil
}

// serverReplica is the plant's server replica id (Store.Server gives it).
func (t *Tx) serverReplica() (string, error) {
	var replica *string
	if err := t.tx.QueryRow(t.ctx, "SELECT replica FROM plants WHERE id = $1", t.plant.id).Scan(&replica); err != nil {
		return "", t.fail(err)
	}
	if replica == nil {
		return "", domain.Errorf(domain.EInternal, "plant %s has no server replica yet: open it with Store.Server", t.plant.id)
	}
	return *replica, nil
}

// nextNumber gives the next free complaint number of a filing station,
// as the bbolt store numbers them (STATION-YEAR-NNNN), from a counter kept
// in the plant's settings.
func (t *Tx) nextNumber(station string) (string, error) {
	year := t.plant.store.clock.Last().Time().Year()
	if y := t.plant.store.now().Year(); y > year {
		year = y
	}
	name := "complaint_counter/" + station + "/" + strconv.Itoa(year)
	raw, err := t.Setting(name)
	if err != nil {
		return "", err
	}
	var n uint64
	if len(raw) == 8 {
		n = binary.BigEndian.Uint64(raw)
	}
	var number string
	for {
		n++
		number = fmt.Sprintf("%s-%d-%04d", station, year, n)
		if _, taken := t.ComplaintWithNumber(number); !taken {
			break
		}
	}
	return number, t.PutSetting(name, binary.BigEndian.AppendUint64(nil, n))
}
