package analytics

import (
	"slices"
	"sync"
	"time"

	"boucle/shared/domain"
)

// Recurrence links a complaint to the previous complaint of the same
// problem (see Problems). The rule (docs/kpis.md, "Recurrence"):
//
//   - both complaints are countable and belong to the same problem;
//   - the earlier one is the problem's previous complaint in (FiledAt, ID)
//     order, filed at most Window before: FiledAt(new) − FiledAt(earlier)
//     ≤ Window.
//
// It recurred after prevention when, before the new complaint was filed,
// the problem had a preventive action done (status done, effective or
// ineffective, DoneAt before) on any of its complaints, or one of its
// complaints was named by a plan approved before.
type Recurrence struct {
	ComplaintID     string        `json:"complaint_id"`
	Of              string        `json:"of"`
	Problem         ProblemID     `json:"problem"`
	Gap             time.Duration `json:"gap"` // FiledAt(new) − FiledAt(of)
	AfterPrevention bool          `json:"after_prevention"`
	// The preventive actions (done) and plans (approved) of the problem
	// that came before the new complaint, by id.
	PreventiveActions []string `json:"preventive_actions,omitempty"`
	Plans             []string `json:"plans,omitempty"`
}

// Recurrences holds the recurrences of a dataset.
type Recurrences struct {
	ds    *Dataset
	of    []int32 // by position: the position linked to, -1 when not a recurrence
	after []bool  // by position: recurred after prevention
	n     int

	once sync.Once
	list []Recurrence
}

// Len returns the number of recurrences.
func (r *Recurrences) Len() int { return r.n }

// All returns every recurrence in the (FiledAt, ID) order of the recurring
// complaints. The slice must not be modified.
func (r *Recurrences) All() []Recurrence {
	r.once.Do(func() {
		r.list = make([]Recurrence, 0, r.n)
		for p, of := range r.of {
			if of >= 0 {
				r.list = append(r.list, r.at(int32(p)))
			}
		}
	})
	return r.list
}

// Lookup returns the recurrence of a complaint, if it is one (for the
// badge on a complaint).
func (r *Recurrences) Lookup(complaintID string) (Recurrence, bool) {
	p, ok := r.ds.pos[complaintID]
	if !ok || r.of[p] < 0 {
		return Recurrence{}, false
	}
	return r.at(p), true
}

// at details the recurrence of the complaint at position p.
func (r *Recurrences) at(p int32) Recurrence {
	ds, ps := r.ds, r.ds.Problems()
	c, of := ds.complaints[p], ds.complaints[r.of[p]]
	x := Recurrence{ComplaintID: c.ID, Of: of.ID, Problem: ps.problemAt(p), Gap: c.FiledAt.Sub(of.FiledAt), AfterPrevention: r.after[p]}
	for _, m := range ps.list[ps.problem[p]].members {
		for _, ai := range ds.actionsOf.at(int(m)) {
			if a := ds.actions[ai]; isDonePreventive(a) && a.DoneAt.Before(c.FiledAt) && !slices.Contains(x.PreventiveActions, a.ID) {
				x.PreventiveActions = append(x.PreventiveActions, a.ID)
			}
		}
		for _, pi := range ds.plansOf.at(int(m)) {
			if at := approvedAt(ds.plans[pi]); !at.IsZero() && at.Before(c.FiledAt) && !slices.Contains(x.Plans, ds.plans[pi].ID) {
				x.Plans = append(x.Plans, ds.plans[pi].ID)
			}
		}
	}
	slices.Sort(x.PreventiveActions)
	slices.Sort(x.Plans)
	return x
}

// Recurrences finds every recurrence in the whole dataset: a complaint's
// recurrence does not depend on the filter of a report (an earlier
// complaint from before the period still counts). The result is cached per
// window.
func (ds *Dataset) Recurrences(s Settings) *Recurrences {
	s = s.withDefaults()
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if r, ok := ds.recurrences[s.RecurrenceWindow]; ok {
		return r
	}
	r := ds.findRecurrences(s.RecurrenceWindow)
	ds.recurrences[s.RecurrenceWindow] = r
	return r
}

func (ds *Dataset) findRecurrences(window time.Duration) *Recurrences {
	ps := ds.Problems()
	r := &Recurrences{ds: ds, of: make([]int32, len(ds.facts)), after: make([]bool, len(ds.facts))}
	for p := range r.of {
		r.of[p] = -1
		prev := ps.prev[p]
		if prev < 0 || ds.facts[p].filed-ds.facts[prev].filed > int64(window) {
			continue
		}
		r.of[p] = prev
		r.n++
		r.after[p] = ps.firstPrevention[ps.problem[p]] < ds.facts[p].filed
	}
	return r
}

func isDonePreventive(a *domain.Action) bool {
	switch a.Status {
	case domain.ActionStatusDone, domain.ActionStatusEffective, domain.ActionStatusIneffective:
		return a.Kind == domain.ActionPreventive && !a.DoneAt.IsZero()
	}
	return false
}

// approvedAt returns when a manager approved the plan, or zero. A plan is
// approved at most once: approval is only possible from "submitted".
func approvedAt(p *domain.Plan) time.Time {
	for _, s := range p.SignOffs {
		if s.Decision == domain.PlanStatusApproved {
			return s.At
		}
	}
	return time.Time{}
}
