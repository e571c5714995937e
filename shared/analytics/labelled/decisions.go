package labelled

import (
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// Decision is an engineer's decision on the problem of a complaint:
// complaint.problem_confirmed, problem_moved or problem_denied.
type Decision struct {
	Type      domain.EventType
	Complaint string
	Problem   string
	At        time.Time
}

// Decided returns a copy of the plant in which the engineers of the
// complaints' supplier stations recorded the decisions, each at its
// moment, from a workstation of their own, on the complaint's latest
// event. The truth is the plant's: decisions do not change what the
// problems are.
func (p *Plant) Decided(decisions []Decision) *Plant {
	out := *p
	supplier := map[string]string{}
	latest := map[string][]domain.Event{} // complaint → its events, in fold order
	for _, e := range p.Events {
		if e.EntityType != domain.EntityComplaint {
			continue
		}
		latest[e.EntityID] = append(latest[e.EntityID], e)
		if e.Type == domain.ComplaintFiled {
			if f, err := domain.DecodePayload(&e); err == nil {
				supplier[e.EntityID] = f.(*domain.ComplaintFiledPayload).SupplierStation
			}
		}
	}
	for _, evs := range latest {
		domain.SortEvents(evs)
	}
	ds := slices.Clone(decisions)
	slices.SortStableFunc(ds, func(a, b Decision) int { return a.At.Compare(b.At) })
	seq := map[string]uint64{}
	events, received := slices.Clone(p.Events), slices.Clone(p.Received)
	for i, d := range ds {
		login := engineerOf[supplier[d.Complaint]]
		e, err := domain.NewEvent(d.Type, d.Complaint, &domain.ProblemDecisionPayload{Problem: d.Problem})
		if err != nil {
			panic(err)
		}
		replica := "eng-" + login + "-problems"
		seq[replica]++
		ts := hlc.FromTime(d.At)
		e.ID = uuid.NewSHA1(uuid.NameSpaceOID, []byte(d.Complaint+string(d.Type)+d.Problem+d.At.String()))
		e.ID[6], e.ID[8] = 0x70|(e.ID[6]&0x0f), 0x80|(e.ID[8]&0x3f)
		e.HLC, e.Replica, e.Seq, e.Author, e.Role = ts+hlc.Timestamp(i%8), replica, seq[replica], login, domain.RoleEngineer
		for _, prev := range latest[d.Complaint] {
			if prev.HLC < e.HLC {
				e.Parents = []uuid.UUID{prev.ID}
			}
		}
		events, received = append(events, e), append(received, d.At)
	}
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return received[a].Compare(received[b]) })
	out.Events, out.Received = make([]domain.Event, len(order)), make([]time.Time, len(order))
	for j, i := range order {
		out.Events[j], out.Received[j] = events[i], received[i]
	}
	return &out
}

// LateReplica returns the replica of the workstation that pushed late.
func (p *Plant) LateReplica() string { return "ws-" + strings.ToLower(p.Late.Station) }
