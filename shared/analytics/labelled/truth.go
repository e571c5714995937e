package labelled

import (
	"slices"
	"strings"
	"time"

	"boucle/shared/domain"
)

// judge folds the plant's events and applies the rules of docs/kpis.md to
// the true problems: what a perfect tracker would show.
func (g *gen) judge(events []domain.Event) Truth {
	t := g.truth
	t.ProblemOf, t.Countable, t.FiledAt = map[string]string{}, map[string]bool{}, map[string]time.Time{}
	t.Addresses = map[string][]string{}
	for _, p := range g.problems {
		tp := Problem{ID: p.id, Supplier: p.station, Category: p.category, Noise: p.noise > 0}
		for _, pt := range p.parts {
			tp.Parts = append(tp.Parts, pt.ref)
		}
		if p.noise == 0 {
			tp.Mode, tp.Cause = p.mode.code, p.cause.en
		}
		for _, c := range p.complaints {
			if c.filed.Before(g.end) {
				tp.Complaints = append(tp.Complaints, c.id)
				t.ProblemOf[c.id] = p.id
			}
		}
		t.Problems = append(t.Problems, tp)
	}
	states, _ := domain.Fold(events)
	var complaints []*domain.Complaint
	var actions []*domain.Action
	var plans []*domain.Plan
	for _, s := range states {
		switch {
		case s.Complaint != nil:
			complaints = append(complaints, s.Complaint)
		case s.Action != nil:
			actions = append(actions, s.Action)
		case s.Plan != nil:
			plans = append(plans, s.Plan)
		}
	}
	slices.SortFunc(complaints, func(a, b *domain.Complaint) int {
		if c := a.FiledAt.Compare(b.FiledAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, c := range complaints {
		t.FiledAt[c.ID] = c.FiledAt
		t.Countable[c.ID] = Countable(c.Status)
	}
	for _, pl := range plans {
		for _, id := range pl.Complaints {
			if p := t.ProblemOf[id]; !slices.Contains(t.Addresses[pl.ID], p) {
				t.Addresses[pl.ID] = append(t.Addresses[pl.ID], p)
			}
		}
		slices.Sort(t.Addresses[pl.ID])
	}
	for _, a := range actions {
		if a.Kind != domain.ActionPreventive {
			continue
		}
		if a.ComplaintID != "" {
			t.Addresses[a.ID] = []string{t.ProblemOf[a.ComplaintID]}
		} else {
			t.Addresses[a.ID] = t.Addresses[a.PlanID]
		}
	}
	t.recurrences(complaints)
	t.afterPrevention(complaints, actions, plans)
	t.verdicts(complaints, actions, plans, g.end)
	return t
}

// VerdictsOn measures, on the true problems, the verdicts of the
// preventive actions and plans in states as they stand at now: what a
// perfect recorder would see knowing only those states (Replay's).
func (t *Truth) VerdictsOn(states []*domain.State, now time.Time) (actions, plans map[string]string) {
	var cs []*domain.Complaint
	var as []*domain.Action
	var ps []*domain.Plan
	for _, s := range states {
		switch {
		case s.Complaint != nil:
			cs = append(cs, s.Complaint)
		case s.Action != nil:
			as = append(as, s.Action)
		case s.Plan != nil:
			ps = append(ps, s.Plan)
		}
	}
	known := Truth{ProblemOf: t.ProblemOf, Addresses: t.Addresses, Countable: map[string]bool{}}
	for _, c := range cs {
		known.Countable[c.ID] = Countable(c.Status)
	}
	known.verdicts(cs, as, ps, now)
	return known.ActionVerdicts, known.PlanVerdicts
}

// Countable says whether a complaint of that status is a real occurrence
// of its problem.
func Countable(s domain.ComplaintStatus) bool {
	return s != domain.StatusRejected && s != domain.StatusDuplicate && s != domain.StatusWithdrawn
}

// recurrences: a countable complaint is a recurrence when a countable
// complaint of the same problem came before it, at most the window
// earlier.
func (t *Truth) recurrences(sorted []*domain.Complaint) {
	t.Recurrences = map[string][]string{}
	seen := map[string][]*domain.Complaint{} // problem → its countable complaints so far
	for _, c := range sorted {
		if !t.Countable[c.ID] {
			continue
		}
		p := t.ProblemOf[c.ID]
		for _, e := range seen[p] {
			if c.FiledAt.Sub(e.FiledAt) <= RecurrenceWindow {
				t.Recurrences[c.ID] = append(t.Recurrences[c.ID], e.ID)
			}
		}
		seen[p] = append(seen[p], c)
	}
}

// afterPrevention: a recurrence came after prevention when, before it was
// filed, a preventive action addressing its problem was done or a plan
// addressing it was approved.
func (t *Truth) afterPrevention(sorted []*domain.Complaint, actions []*domain.Action, plans []*domain.Plan) {
	first := map[string]time.Time{} // problem → first prevention
	mark := func(at time.Time, problems []string) {
		for _, p := range problems {
			if f, ok := first[p]; !ok || at.Before(f) {
				first[p] = at
			}
		}
	}
	for _, a := range actions {
		if donePreventive(a) {
			mark(a.DoneAt, t.Addresses[a.ID])
		}
	}
	for _, pl := range plans {
		for _, s := range pl.SignOffs {
			if s.Decision == domain.PlanStatusApproved {
				mark(s.At, t.Addresses[pl.ID])
			}
		}
	}
	t.AfterPrevention = map[string]bool{}
	for _, c := range sorted {
		if _, ok := t.Recurrences[c.ID]; !ok {
			continue
		}
		if f, ok := first[t.ProblemOf[c.ID]]; ok && f.Before(c.FiledAt) {
			t.AfterPrevention[c.ID] = true
		}
	}
}

func donePreventive(a *domain.Action) bool {
	switch a.Status {
	case domain.ActionStatusDone, domain.ActionStatusEffective, domain.ActionStatusIneffective:
		return a.Kind == domain.ActionPreventive && !a.DoneAt.IsZero()
	}
	return false
}

// verdicts: a preventive action done (a plan started) at T is ineffective
// when a countable complaint of a problem it addresses was filed in
// (T, T+window] and not after now; effective when none was and the window
// has ended; pending otherwise.
func (t *Truth) verdicts(sorted []*domain.Complaint, actions []*domain.Action, plans []*domain.Plan, now time.Time) {
	measure := func(done time.Time, problems []string) string {
		end := done.Add(EffectivenessWindow)
		for _, c := range sorted {
			if t.Countable[c.ID] && c.FiledAt.After(done) && !c.FiledAt.After(end) && !c.FiledAt.After(now) &&
				slices.Contains(problems, t.ProblemOf[c.ID]) {
				return "ineffective"
			}
		}
		if !now.Before(end) {
			return "effective"
		}
		return "pending"
	}
	t.ActionVerdicts, t.PlanVerdicts = map[string]string{}, map[string]string{}
	for _, a := range actions {
		if donePreventive(a) {
			t.ActionVerdicts[a.ID] = measure(a.DoneAt, t.Addresses[a.ID])
		}
	}
	for _, pl := range plans {
		if !pl.StartedAt.IsZero() {
			t.PlanVerdicts[pl.ID] = measure(pl.StartedAt, t.Addresses[pl.ID])
		}
	}
}
