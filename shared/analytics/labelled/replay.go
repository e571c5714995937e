package labelled

import (
	"errors"
	"slices"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// Command is what the server decides to record at a tick of Replay.
type Command struct {
	Type     domain.EventType
	EntityID string
	Payload  domain.Payload
}

// SystemLogin is the author of what the server records.
const SystemLogin = "system"

// Replay plays the plant as the server lived it: events are folded in the
// order the server received them and, every `every` from Start to End,
// tick is called with the moment and the states the server knew then.
// The commands tick returns are recorded as the server records them
// (author system, replica "server") and folded before the next tick, so
// that a verdict recorded once is seen as recorded. It returns the
// events the server recorded.
func (p *Plant) Replay(every time.Duration, tick func(now time.Time, states []*domain.State) []Command) []domain.Event {
	r := replayer{states: map[domain.EntityKey]*domain.State{}, events: map[domain.EntityKey][]domain.Event{}}
	next := 0
	for now := p.Start.Add(every); !now.After(p.End); now = now.Add(every) {
		for ; next < len(p.Events) && !p.Received[next].After(now); next++ {
			r.apply(p.Events[next])
		}
		for _, cmd := range tick(now, r.list()) {
			r.record(now, cmd)
		}
	}
	return r.recorded
}

type replayer struct {
	states   map[domain.EntityKey]*domain.State
	events   map[domain.EntityKey][]domain.Event
	recorded []domain.Event
	seq      uint64
	clock    hlc.Timestamp
}

func (r *replayer) apply(e domain.Event) {
	k := e.Key()
	r.events[k] = append(r.events[k], e)
	s := r.states[k]
	if s == nil {
		s = domain.NewState(k)
		r.states[k] = s
	}
	if err := s.Apply(&e); errors.Is(err, domain.ErrOutOfOrder) {
		r.states[k] = domain.FoldEntity(k, slices.Clone(r.events[k]))
	}
}

// list returns the states in a stable order.
func (r *replayer) list() []*domain.State {
	out := make([]*domain.State, 0, len(r.states))
	for _, s := range r.states {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *domain.State) int {
		if a.Meta.Key.Type != b.Meta.Key.Type {
			return compare(string(a.Meta.Key.Type), string(b.Meta.Key.Type))
		}
		return compare(a.Meta.Key.ID, b.Meta.Key.ID)
	})
	return out
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// record writes a server event on the entity's heads and folds it.
func (r *replayer) record(now time.Time, cmd Command) {
	e, err := domain.NewEvent(cmd.Type, cmd.EntityID, cmd.Payload)
	if err != nil {
		panic(err)
	}
	r.seq++
	ts := hlc.FromTime(now)
	if ts <= r.clock {
		ts = r.clock + 1
	}
	r.clock = ts
	id := uuid.NewSHA1(uuid.NameSpaceOID, []byte(cmd.EntityID+string(cmd.Type)))
	id[6], id[8] = 0x70|(id[6]&0x0f), 0x80|(id[8]&0x3f)
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = id, ts, "server", r.seq, SystemLogin, domain.RoleSystem
	if s := r.states[e.Key()]; s != nil {
		e.Parents = slices.Clone(s.Meta.Heads)
	}
	r.apply(e)
	r.recorded = append(r.recorded, e)
}

// JudgeRecorded compares the verdicts the server recorded (plan.evaluated,
// action.effectiveness_measured by system) with the truth: right counts
// those that agree with the final verdict of the true problems.
func (t *Truth) JudgeRecorded(recorded []domain.Event) (right, total int) {
	for i := range recorded {
		e := &recorded[i]
		if e.Author != SystemLogin || (e.Type != domain.PlanEvaluated && e.Type != domain.ActionEffectivenessMeasured) {
			continue
		}
		p, err := domain.DecodePayload(e)
		if err != nil {
			continue
		}
		said := "ineffective"
		if p.(*domain.VerdictPayload).Effective {
			said = "effective"
		}
		truth := t.ActionVerdicts[e.EntityID]
		if e.Type == domain.PlanEvaluated {
			truth = t.PlanVerdicts[e.EntityID]
		}
		total++
		if said == truth {
			right++
		}
	}
	return right, total
}
