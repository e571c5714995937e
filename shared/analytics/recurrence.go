package analytics

import (
	"slices"
	"strings"
	"sync"
	"time"

	"boucle/shared/domain"
)

// Recurrence links a complaint to the earlier complaint whose problem came
// back. The rule (docs/kpis.md, "Recurrence"):
//
//   - both complaints are countable (not rejected, duplicate or withdrawn);
//   - same supplier station and same category;
//   - same part reference (trimmed, case-insensitive) when both have one;
//   - the earlier one comes first in (FiledAt, ID) order and was filed at
//     most Window before: FiledAt(new) − FiledAt(earlier) ≤ Window;
//   - among those, the link goes to the earliest.
//
// It recurred after prevention when, before the new complaint was filed,
// that earlier complaint had a preventive action done (status done,
// effective or ineffective, DoneAt before) or was named by a plan approved
// before.
type Recurrence struct {
	ComplaintID     string        `json:"complaint_id"`
	Of              string        `json:"of"`
	Gap             time.Duration `json:"gap"` // FiledAt(new) − FiledAt(of)
	AfterPrevention bool          `json:"after_prevention"`
	// The preventive actions (done) and plans (approved) of Of that came
	// before the new complaint, by id.
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
	ds := r.ds
	c, of := ds.complaints[p], ds.complaints[r.of[p]]
	x := Recurrence{ComplaintID: c.ID, Of: of.ID, Gap: c.FiledAt.Sub(of.FiledAt), AfterPrevention: r.after[p]}
	for _, ai := range ds.actionsOf.at(int(r.of[p])) {
		if a := ds.actions[ai]; isDonePreventive(a) && a.DoneAt.Before(c.FiledAt) {
			x.PreventiveActions = append(x.PreventiveActions, a.ID)
		}
	}
	for _, pi := range ds.plansOf.at(int(r.of[p])) {
		if at := approvedAt(ds.plans[pi]); !at.IsZero() && at.Before(c.FiledAt) {
			x.Plans = append(x.Plans, ds.plans[pi].ID)
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
	r := &Recurrences{ds: ds, of: make([]int32, len(ds.facts)), after: make([]bool, len(ds.facts))}
	for i := range r.of {
		r.of[i] = -1
	}
	for _, group := range ds.groups {
		ds.groupRecurrences(group, int64(window), r) // groups are disjoint: order does not matter
	}
	for p, of := range r.of {
		if of >= 0 {
			r.n++
			r.after[p] = ds.firstPrevention[of] < ds.facts[p].filed
		}
	}
	return r
}

// groupRecurrences handles one (supplier, category) group, in position
// order. Complaints of one part are searched apart, together with the
// complaints that have no part, so that each look-up is a binary search.
func (ds *Dataset) groupRecurrences(group []int32, window int64, r *Recurrences) {
	byPart := map[int32][]int32{}
	var noPart []int32
	for _, p := range group {
		if part := ds.facts[p].part; part >= 0 {
			byPart[part] = append(byPart[part], p)
		} else {
			noPart = append(noPart, p)
		}
	}
	for _, p := range group {
		of := int32(-1)
		if part := ds.facts[p].part; part < 0 {
			of = ds.earliestWithin(group, p, window)
		} else {
			of = earlier(ds.earliestWithin(byPart[part], p, window), ds.earliestWithin(noPart, p, window))
		}
		r.of[p] = of
	}
}

// earliestWithin returns the first position of sorted whose complaint was
// filed at most window before the one at p and sorts before it, or -1.
func (ds *Dataset) earliestWithin(sorted []int32, p int32, window int64) int32 {
	from := ds.facts[p].filed - window
	j, _ := slices.BinarySearchFunc(sorted, from, func(q int32, t int64) int { return cmpInt(ds.facts[q].filed, t) })
	if j < len(sorted) && sorted[j] < p {
		return sorted[j]
	}
	return -1
}

// earlier returns the smaller position that is set: positions order
// complaints by (FiledAt, ID).
func earlier(a, b int32) int32 {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
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

// normPart makes part references comparable: "p-100 " and "P-100" are the
// same part.
func normPart(p string) string { return strings.ToUpper(strings.TrimSpace(p)) }
