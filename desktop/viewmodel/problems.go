package viewmodel

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// The problems (failure modes) of the plant, for the complaint's problem
// panel, the problem page and the dashboard's recurrences: read from the
// dataset analytics computes (analytics.Problems), written as the
// engineers' decision events.

// problems returns the current dataset, built again when the log grew
// (a decision just recorded is on the next page shown).
func (m *Model) problems() (*snapshot, *analytics.Problems, error) {
	s := m.badgeSnapshot()
	if s == nil {
		var err error
		if s, err = m.snapshot(); err != nil {
			return nil, nil, err
		}
	}
	return s, s.ds.Problems(), nil
}

// titleWords is how much of the first complaint's description names a
// problem: enough to recognise it in a list, short enough for one line.
const titleRunes = 48

// problemRef names a problem after its first complaint.
func (s *snapshot) problemRef(ps *analytics.Problems, id analytics.ProblemID) model.ProblemRef {
	r := model.ProblemRef{ID: id}
	pr, ok := ps.Problem(id)
	if !ok {
		return r
	}
	r.ID, r.SupplierStation, r.Complaints = pr.ID, pr.SupplierStation, len(pr.Complaints)
	if len(pr.Complaints) == 0 {
		return r
	}
	c, ok := s.ds.Complaint(pr.Complaints[0])
	if !ok {
		return r
	}
	r.Number, r.Title = c.Number, problemTitle(c)
	return r
}

// problemTitle is the part as written (when it names one) and the start
// of the description: "BRK-2041: burrs on the edge of the…".
func problemTitle(c *domain.Complaint) string {
	text := strings.Join(strings.Fields(c.Description), " ")
	if utf8.RuneCountInString(text) > titleRunes {
		cut := []rune(text)[:titleRunes]
		if i := strings.LastIndexByte(string(cut), ' '); i > titleRunes/2 {
			text = string(cut)[:i] + "…"
		} else {
			text = string(cut) + "…"
		}
	}
	if part := strings.TrimSpace(c.PartRef); analytics.PartKey(part) != "" {
		return part + ": " + text
	}
	return text
}

// ComplaintProblem returns what the complaint's problem panel shows: the
// problem, how it was reached (score and reasons, or who decided), the
// problems an engineer said it is not, and concurrent decisions.
func (m *Model) ComplaintProblem(id string) (model.ComplaintProblem, error) {
	s, ps, err := m.problems()
	if err != nil {
		return model.ComplaintProblem{}, err
	}
	var out model.ComplaintProblem
	c, ok := s.ds.Complaint(id)
	if !ok {
		return out, &domain.Error{Code: domain.ENotFound, Message: "no complaint " + id}
	}
	pid, prop := ps.ProblemOf(id)
	out.Countable, out.Proposal = countable(c), prop
	if pid == "" {
		pid = prop.Problem
	}
	if pid != "" {
		out.Problem = s.problemRef(ps, pid)
	}
	if prop.Best != "" {
		b := s.problemRef(ps, prop.Best)
		out.Best = &b
	}
	decisions, conflict, err := m.problemDecisions(id)
	if err != nil {
		return out, err
	}
	for _, d := range decisions {
		d.Problem = s.problemRef(ps, d.Problem.ID)
		switch {
		case d.Type == domain.ComplaintProblemDenied && slices.Contains(c.NotProblems, string(d.Problem.ID)):
			out.Denied = append(out.Denied, d)
		case d.Type != domain.ComplaintProblemDenied && c.Problem != "" && ps.Resolve(analytics.ProblemID(c.Problem)) == d.Problem.ID:
			dd := d
			out.Decided = &dd
		}
	}
	for _, v := range conflict {
		v.Problem = s.problemRef(ps, v.Problem.ID)
		out.Conflict = append(out.Conflict, v)
	}
	return out, nil
}

// countable is analytics' rule: rejected, duplicate and withdrawn
// complaints are no occurrence of a problem.
func countable(c *domain.Complaint) bool {
	switch c.Status {
	case domain.StatusRejected, domain.StatusDuplicate, domain.StatusWithdrawn:
		return false
	}
	return true
}

// problemDecisions reads the complaint's decision events (the state keeps
// the problem, not who chose it) in fold order, the last per problem and
// kind kept, and the values of a conflict on its problem.
func (m *Model) problemDecisions(id string) ([]model.Decision, []model.ProblemConflictValue, error) {
	var out []model.Decision
	var conflict []model.ProblemConflictValue
	err := m.store.View(func(t *boltstore.Tx) error {
		st, err := t.Complaint(id)
		if err != nil {
			return err
		}
		entries, err := t.Timeline(id)
		if err != nil {
			return err
		}
		name, err := userNames(t)
		if err != nil {
			return err
		}
		for _, e := range entries {
			ev := e.Event
			if e.Rejected || e.Unfolded || ev.EntityID != id || !isProblemDecision(ev.Type) {
				continue
			}
			p, err := domain.DecodePayload(&ev)
			dp, ok := p.(*domain.ProblemDecisionPayload)
			if err != nil || !ok {
				continue
			}
			d := model.Decision{Type: ev.Type, Problem: model.ProblemRef{ID: analytics.ProblemID(dp.Problem)}, By: name(ev.Author), At: ev.HLC.Time()}
			out = slices.DeleteFunc(out, func(x model.Decision) bool {
				return x.Problem.ID == d.Problem.ID && (x.Type == domain.ComplaintProblemDenied) == (d.Type == domain.ComplaintProblemDenied)
			})
			out = append(out, d)
		}
		for _, cf := range st.Meta.Conflicts {
			if cf.Field != "problem" {
				continue
			}
			for _, v := range cf.Values {
				var pid string
				_ = json.Unmarshal(v.Value, &pid)
				conflict = append(conflict, model.ProblemConflictValue{Problem: model.ProblemRef{ID: analytics.ProblemID(pid)},
					Value: slices.Clone(v.Value), By: name(v.Writer.Author), At: v.At})
			}
		}
		return nil
	})
	return out, conflict, err
}

func isProblemDecision(t domain.EventType) bool {
	return t == domain.ComplaintProblemConfirmed || t == domain.ComplaintProblemMoved || t == domain.ComplaintProblemDenied
}

// ConfirmProblem records that the complaint is the problem proposed.
func (m *Model) ConfirmProblem(complaintID string, problem analytics.ProblemID) error {
	return m.one(domain.ComplaintProblemConfirmed, complaintID, &domain.ProblemDecisionPayload{Problem: string(problem)})
}

// DenyProblem records that the complaint is not that problem: the
// proposal never puts it back there.
func (m *Model) DenyProblem(complaintID string, problem analytics.ProblemID) error {
	return m.one(domain.ComplaintProblemDenied, complaintID, &domain.ProblemDecisionPayload{Problem: string(problem)})
}

// MoveToProblem places the complaint in another problem. A problem of
// another supplier station is refused (rule problem.other_supplier) unless
// otherSupplier says the engineer confirmed it.
func (m *Model) MoveToProblem(complaintID string, to analytics.ProblemID, otherSupplier bool) error {
	_, ps, err := m.problems()
	if err != nil {
		return err
	}
	to = ps.Resolve(to)
	if err := ps.CheckMove(complaintID, to, otherSupplier); err != nil {
		return err
	}
	return m.one(domain.ComplaintProblemMoved, complaintID, &domain.ProblemDecisionPayload{Problem: string(to), OtherSupplier: otherSupplier})
}

// StartNewProblem moves the complaint to a problem of its own, with a
// fresh id, and returns that id.
func (m *Model) StartNewProblem(complaintID string) (analytics.ProblemID, error) {
	id := analytics.ProblemID(newProblemID())
	return id, m.one(domain.ComplaintProblemMoved, complaintID, &domain.ProblemDecisionPayload{Problem: string(id)})
}

// ProblemChoices lists the problems a complaint may be moved to: those of
// its supplier station first, then the others, most recent first in each;
// its own problem left out.
func (m *Model) ProblemChoices(complaintID string) ([]model.ProblemRef, error) {
	s, ps, err := m.problems()
	if err != nil {
		return nil, err
	}
	c, ok := s.ds.Complaint(complaintID)
	if !ok {
		return nil, &domain.Error{Code: domain.ENotFound, Message: "no complaint " + complaintID}
	}
	own, _ := ps.ProblemOf(complaintID)
	return s.problemList(ps, c.SupplierStation, own), nil
}

// problemList lists every problem but skip, those of station first, then
// by their latest complaint, newest first.
func (s *snapshot) problemList(ps *analytics.Problems, station string, skip analytics.ProblemID) []model.ProblemRef {
	all := ps.All()
	slices.SortStableFunc(all, func(a, b analytics.Problem) int {
		if (a.SupplierStation == station) != (b.SupplierStation == station) {
			if a.SupplierStation == station {
				return -1
			}
			return 1
		}
		return b.Last.Compare(a.Last)
	})
	out := make([]model.ProblemRef, 0, len(all))
	for _, p := range all {
		if p.ID != skip {
			out = append(out, s.problemRef(ps, p.ID))
		}
	}
	return out
}

// newProblemID is the id of a problem an engineer creates.
func newProblemID() string { return uuid.Must(uuid.NewV7()).String() }

// monthsBetween lists the months from first to last, "2006-01".
func monthsBetween(first, last time.Time) []string {
	var out []string
	m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC)
	for !m.After(end) && len(out) < 240 {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
	}
	return out
}

// userNames returns a function giving a login's display name (the login
// when the directory does not know it).
func userNames(t *boltstore.Tx) (func(string) string, error) {
	users, err := t.Users()
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.Login] = u.DisplayName
	}
	return func(login string) string {
		if n := names[login]; n != "" {
			return n
		}
		return login
	}, nil
}
