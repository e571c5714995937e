package labelled

import (
	"encoding/binary"
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// writer collects what people do and turns it into events.
type writer struct {
	g          *gen
	drafts     []draft
	preventive []*preventiveAction
}

// draft is one event before its clock, sequence and parents are known.
type draft struct {
	at, received time.Time
	n            int // creation order, for ties
	replica      string
	author       string
	role         domain.Role
	typ          domain.EventType
	entity       string
	payload      domain.Payload
}

func (w *writer) add(at, received time.Time, replica, author string, role domain.Role, typ domain.EventType, entity string, p domain.Payload) {
	w.drafts = append(w.drafts, draft{at: at, received: received, n: len(w.drafts), replica: replica, author: author,
		role: role, typ: typ, entity: entity, payload: p})
}

// uuid returns a UUIDv7 for moment t whose random bits come from the
// seed, so that the same seed gives the same ids.
func (w *writer) uuid(t time.Time) uuid.UUID {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	binary.BigEndian.PutUint64(u[0:8], ms<<16)
	binary.BigEndian.PutUint64(u[8:16], w.g.r.Uint64())
	u[6] = 0x70 | (u[7] & 0x0f)
	u[7] = byte(w.g.r.Uint32())
	u[8] = 0x80 | (u[8] & 0x3f)
	return u
}

// events stamps the drafts as their replicas would — clock, sequence,
// parents (the entity's previous event) — and returns them in the order
// the server received them.
func (w *writer) events() ([]domain.Event, []time.Time) {
	ds := w.drafts
	slices.SortFunc(ds, func(a, b draft) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.n - b.n
	})
	type replicaState struct {
		seq  uint64
		last hlc.Timestamp
	}
	replicas := map[string]*replicaState{}
	heads := map[domain.EntityKey]uuid.UUID{}
	events := make([]domain.Event, 0, len(ds))
	order := make([]int, 0, len(ds))
	for i, d := range ds {
		e, err := domain.NewEvent(d.typ, d.entity, d.payload)
		if err != nil {
			panic(err) // the generator writes only registered types
		}
		rs := replicas[d.replica]
		if rs == nil {
			rs = &replicaState{}
			replicas[d.replica] = rs
		}
		rs.seq++
		ts := hlc.FromTime(d.at)
		if ts <= rs.last {
			ts = rs.last + 1
		}
		rs.last = ts
		e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = w.uuid(d.at), ts, d.replica, rs.seq, d.author, d.role
		if h, ok := heads[e.Key()]; ok {
			e.Parents = []uuid.UUID{h}
		}
		heads[e.Key()] = e.ID
		events = append(events, e)
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int { return ds[a].received.Compare(ds[b].received) })
	out := make([]domain.Event, len(order))
	received := make([]time.Time, len(order))
	for j, i := range order {
		out[j], received[j] = events[i], ds[i].received
	}
	return out, received
}

// writePreventive writes the preventive actions on the complaints they
// were decided on, once the complaint's corrective action is linked.
func (w *writer) writePreventive() {
	g := w.g
	for _, a := range w.preventive {
		c := a.complaint()
		if c == nil || c.linkedAt.IsZero() {
			continue
		}
		eng := engineerOf[a.p.station]
		at := c.linkedAt.Add(g.between(time.Hour, 3*time.Hour))
		done := c.filed.Add(6*day + a.done)
		if min3 := at.Add(3 * day); done.Before(min3) {
			done = min3
		}
		if !done.Before(g.end) {
			continue
		}
		a.id = w.uuid(at).String()
		title := w.bi(c, "Prévenir : ", "Prevent: ") + a.p.whyText(2)
		w.engineerAt(at, eng, domain.ActionAssigned, a.id, &domain.ActionAssignedPayload{Kind: domain.ActionPreventive, Title: title,
			Owner: eng, Due: done.Add(5 * day).Truncate(time.Hour), ComplaintID: c.id})
		w.engineerAt(at, eng, domain.ComplaintActionLinked, c.id, &domain.LinkActionPayload{ActionID: a.id, Kind: domain.ActionPreventive, Title: title})
		w.engineerAt(at.Add(g.between(2*time.Hour, 2*day)), eng, domain.ActionStarted, a.id, &domain.NotePayload{})
		w.engineerAt(done, eng, domain.ActionCompleted, a.id, &domain.NotePayload{Note: "En place."})
		g.truth.MeantEffective[a.id] = a.effective
	}
}

// complaint is the complaint the action was decided on: the one filed at
// its occurrence, unless it was not a loop (withdrawn, rejected): then the
// next one of the problem that is.
func (a *preventiveAction) complaint() *complaint {
	at := a.at
	for _, c := range a.p.complaints {
		if !c.filed.Before(at) && c.fate == "loop" && c.dupOf == nil {
			return c
		}
	}
	return nil
}

func (w *writer) engineerAt(at time.Time, login string, typ domain.EventType, id string, p domain.Payload) {
	w.add(at, at, "eng-"+login, login, domain.RoleEngineer, typ, id, p)
}

// writePlan writes a plan's life: drafted naming the complaints of its
// problems the server knows of, its actions assigned, submitted, then
// approved and started, approved only, waiting, or rejected.
func (w *writer) writePlan(pl *plan) {
	g := w.g
	eng := engineerOf[pl.station]
	pl.id = w.uuid(pl.drafted).String()
	content := &domain.PlanContentPayload{Title: "Plan préventif " + pl.station, SupplierStation: pl.station}
	var titles []string
	for _, p := range pl.problems {
		if !slices.Contains(content.Categories, p.category) {
			content.Categories = append(content.Categories, p.category)
		}
		titles = append(titles, p.cause.whys[len(p.cause.whys)-1])
		for _, c := range p.complaints {
			if c.arrived.Before(pl.drafted) && c.fate == "loop" && len(content.Complaints) < 8 {
				content.Complaints = append(content.Complaints, c.id)
			}
		}
	}
	content.Title += " : " + strings.Join(titles, ", ")
	if len(content.Title) > 120 {
		content.Title = content.Title[:strings.LastIndex(content.Title[:117], " ")] + "..."
	}
	t := pl.drafted
	w.engineerAt(t, eng, domain.PlanDrafted, pl.id, content)
	var actions []string
	for i := range 1 + g.r.IntN(2) {
		id := w.uuid(t).String()
		actions = append(actions, id)
		w.engineerAt(t.Add(time.Duration(i+1)*time.Hour), eng, domain.ActionAssigned, id, &domain.ActionAssignedPayload{Kind: domain.ActionPreventive,
			Title: "Plan : " + titles[min(i, len(titles)-1)], Owner: eng, Due: t.Add(40 * day).Truncate(time.Hour), PlanID: pl.id})
	}
	revised := *content
	revised.Actions = actions
	t = t.Add(4 * time.Hour)
	w.engineerAt(t, eng, domain.PlanRevised, pl.id, &revised)
	t = t.Add(g.between(2*time.Hour, day))
	w.engineerAt(t, eng, domain.PlanSubmitted, pl.id, &domain.NotePayload{Note: "Prêt pour validation."})
	if pl.fate == "submitted" {
		return
	}
	t = t.Add(g.between(day, 3*day))
	sign := &domain.SignOffPayload{Meaning: "J'approuve ce plan préventif et ses moyens.", Comment: "Point d'avancement mensuel."}
	decision := domain.PlanApproved
	if pl.fate == "rejected" {
		sign, decision = &domain.SignOffPayload{Meaning: "Je refuse ce plan en l'état.", Comment: "Périmètre trop large."}, domain.PlanRejected
	}
	w.add(t, t, "mgr-"+plantManager, plantManager, domain.RoleManager, decision, pl.id, sign)
	if pl.fate != "started" {
		return
	}
	started := pl.drafted.Add(8 * day)
	if !started.After(t) {
		started = t.Add(time.Hour)
	}
	w.engineerAt(started, eng, domain.PlanStarted, pl.id, &domain.NotePayload{Note: "Lancement."})
	g.truth.MeantEffective[pl.id] = pl.effective
	for _, id := range actions {
		at := started.Add(g.between(day, 3*day))
		w.engineerAt(at, eng, domain.ActionStarted, id, &domain.NotePayload{})
		if done := at.Add(g.between(7*day, 25*day)); done.Before(g.end) {
			w.engineerAt(done, eng, domain.ActionCompleted, id, &domain.NotePayload{Note: "En place."})
			g.truth.MeantEffective[id] = pl.effective
		}
	}
}
