package viewmodel

import (
	"cmp"
	"encoding/json"
	"slices"

	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// Problem returns a problem's page: its complaints over time, the actions
// and plans addressing it, the measured verdict of its prevention. A
// problem merged into another answers with the other.
func (m *Model) Problem(id analytics.ProblemID) (model.ProblemDetail, error) {
	s, ps, err := m.problems()
	if err != nil {
		return model.ProblemDetail{}, err
	}
	pr, ok := ps.Problem(id)
	if !ok {
		return model.ProblemDetail{}, &domain.Error{Code: domain.ENotFound, Rule: "problem.exists", Message: "no problem " + string(id)}
	}
	d := model.ProblemDetail{Ref: s.problemRef(ps, pr.ID), Parts: pr.Parts}
	rec := s.ds.Recurrences(analytics.Settings{})
	months := map[string]int{}
	for _, cid := range pr.Complaints {
		c, ok := s.ds.Complaint(cid)
		if !ok {
			continue
		}
		row := model.ProblemComplaint{ID: c.ID, Number: c.Number, FiledAt: c.FiledAt, Status: c.Status, PartRef: c.PartRef,
			Description: c.Description, Decided: c.Problem != ""}
		if r, ok := rec.LinkOf(cid); ok {
			row.RecurrenceOf, row.AfterPrevention = s.numbers[r.Of], r.AfterPrevention
			if r.AfterPrevention {
				d.Verdict.AfterPrevention++
			}
		}
		d.Complaints = append(d.Complaints, row)
		months[c.FiledAt.UTC().Format("2006-01")]++
	}
	for _, mo := range monthsBetween(pr.First.UTC(), pr.Last.UTC()) {
		d.ByMonth = append(d.ByMonth, model.MonthCount{Month: mo, Count: months[mo]})
	}
	for _, from := range pr.MergedFrom {
		// A merged problem holds no complaint any more: it is named after
		// the complaint it was named after, when the software named it.
		d.MergedFrom = append(d.MergedFrom, model.ProblemRef{ID: from, Number: s.numbers[string(from)], SupplierStation: pr.SupplierStation})
	}
	m.problemPrevention(s, ps, pr.ID, &d)
	if d.Conflicts, err = m.mergeConflicts(s, ps, d.MergedFrom); err != nil {
		return d, err
	}
	// The problems merged into this one are offered too: choosing one is
	// refused by its rule (a loop), which says why better than its absence.
	d.MergeTargets = append(s.problemList(ps, pr.SupplierStation, pr.ID), d.MergedFrom...)
	return d, nil
}

// problemPrevention fills the actions and plans of the problem with their
// measured verdicts, and the problem's verdict: that of the latest
// preventive action done or plan started.
func (m *Model) problemPrevention(s *snapshot, ps *analytics.Problems, id analytics.ProblemID, d *model.ProblemDetail) {
	now := m.now()
	measured := func(kind analytics.SubjectKind, sid string) (*model.Effectiveness, analytics.Effectiveness) {
		e, ok := s.ds.EffectivenessOf(kind, sid, analytics.Settings{}, now)
		if !ok {
			return nil, e
		}
		out := &model.Effectiveness{Verdict: e.Verdict, DaysLeft: e.DaysLeft}
		for _, c := range e.Evidence {
			out.Evidence = append(out.Evidence, s.numbers[c])
		}
		return out, e
	}
	var latest *analytics.Effectiveness
	consider := func(e analytics.Effectiveness, title string) {
		if latest == nil || e.DoneAt.After(latest.DoneAt) {
			e.Title = title
			latest = &e
		}
	}
	actions := map[string]*domain.Action{}
	for i := range s.actions {
		actions[s.actions[i].ID] = &s.actions[i]
	}
	for _, aid := range ps.Actions(id) {
		a, ok := actions[aid]
		if !ok {
			continue
		}
		row := model.ProblemAction{Action: *a, ComplaintNumber: s.numbers[a.ComplaintID]}
		var e analytics.Effectiveness
		if row.Measured, e = measured(analytics.SubjectAction, aid); row.Measured != nil {
			consider(e, a.Title)
		}
		d.Actions = append(d.Actions, row)
	}
	slices.SortStableFunc(d.Actions, func(a, b model.ProblemAction) int { return a.AssignedAt.Compare(b.AssignedAt) })
	plans := map[string]*domain.Plan{}
	for i := range s.plans {
		plans[s.plans[i].ID] = &s.plans[i]
	}
	for _, pid := range ps.Plans(id) {
		p, ok := plans[pid]
		if !ok {
			continue
		}
		row := model.ProblemPlan{ID: p.ID, Title: p.Title, Status: p.Status}
		var e analytics.Effectiveness
		if row.Measured, e = measured(analytics.SubjectPlan, pid); row.Measured != nil {
			consider(e, p.Title)
		}
		d.Plans = append(d.Plans, row)
	}
	if latest != nil {
		d.Verdict.Verdict, d.Verdict.Subject, d.Verdict.DaysLeft = latest.Verdict, latest.Title, latest.DaysLeft
	}
}

// MergeProblem merges problem from into problem into: every complaint of
// from, past and future, belongs to into; the plans naming complaints of
// either stay linked. Refused by rule: into itself (problem.merge_self),
// into a problem merged into it (problem.merge_cycle), across supplier
// stations without otherSupplier (problem.other_supplier).
func (m *Model) MergeProblem(from, into analytics.ProblemID, otherSupplier bool) error {
	_, ps, err := m.problems()
	if err != nil {
		return err
	}
	if err := ps.CheckMerge(from, into, otherSupplier); err != nil {
		return err
	}
	return m.one(domain.ProblemMerged, string(ps.Resolve(from)), &domain.ProblemMergedPayload{Into: string(into), OtherSupplier: otherSupplier})
}

// SplitProblem takes the chosen complaints out of a problem into a new
// one, and returns the new problem's id. At least one complaint must stay
// and one must go (rule problem.split_all, field complaints).
func (m *Model) SplitProblem(from analytics.ProblemID, complaints []string) (analytics.ProblemID, error) {
	_, ps, err := m.problems()
	if err != nil {
		return "", err
	}
	members := ps.Complaints(from)
	if len(members) == 0 {
		return "", &domain.Error{Code: domain.ENotFound, Rule: "problem.exists", Message: "no problem " + string(from)}
	}
	if len(complaints) == 0 {
		return "", domain.FieldError("complaints", "choose the complaints to take out")
	}
	for _, c := range complaints {
		if !slices.Contains(members, c) {
			return "", domain.RuleError(domain.EInvalid, "problem.split_member", "complaint %s is not in problem %s", c, from)
		}
	}
	if len(complaints) == len(members) {
		return "", domain.RuleError(domain.EInvalid, "problem.split_all", "a split leaves at least one complaint in the problem")
	}
	id := analytics.ProblemID(newProblemID())
	cmds := []boltstore.Command{{Type: domain.ProblemSplit, EntityID: string(id),
		Payload: &domain.ProblemSplitPayload{From: string(ps.Resolve(from)), Complaints: slices.Clone(complaints)}}}
	for _, c := range complaints {
		cmds = append(cmds, boltstore.Command{Type: domain.ComplaintProblemMoved, EntityID: c,
			Payload: &domain.ProblemDecisionPayload{Problem: string(id)}})
	}
	_, err = m.record(cmds...)
	return id, err
}

// Recurrences lists the recurrences among the complaints the dashboard's
// query selects, newest first: each with its problem and the previous
// complaint of that problem.
func (m *Model) Recurrences(q model.DashboardQuery) ([]model.RecurrenceRow, error) {
	s, ps, err := m.problems()
	if err != nil {
		return nil, err
	}
	rec := s.ds.Recurrences(analytics.Settings{})
	refs := map[analytics.ProblemID]model.ProblemRef{}
	var out []model.RecurrenceRow
	for _, c := range s.ds.Complaints(m.dashboardFilter(q)) {
		r, ok := rec.LinkOf(c.ID)
		if !ok {
			continue
		}
		ref, ok := refs[r.Problem]
		if !ok {
			ref = s.problemRef(ps, r.Problem)
			refs[r.Problem] = ref
		}
		out = append(out, model.RecurrenceRow{ComplaintID: c.ID, Number: c.Number, FiledAt: c.FiledAt, Problem: ref,
			PreviousID: r.Of, PreviousNumber: s.numbers[r.Of], AfterPrevention: r.AfterPrevention})
	}
	return latestFirst(out), nil
}

// latestFirst orders the rows by filing, latest first, then by number,
// rows alike keeping their order. It sorts their indices, the order as a
// last key: moving the rows themselves made the sort most of the list's
// cost over 100k complaints.
func latestFirst(rows []model.RecurrenceRow) []model.RecurrenceRow {
	order := make([]int32, len(rows))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &rows[i], &rows[j]
		return cmp.Or(b.FiledAt.Compare(a.FiledAt), cmp.Compare(a.Number, b.Number), cmp.Compare(i, j))
	})
	out := make([]model.RecurrenceRow, len(rows))
	for k, i := range order {
		out[k] = rows[i]
	}
	return out
}

// recurringProblems lists the problems with recurrences among the
// complaints the filter selects, most recurrences first (then most after
// prevention, then by number).
func recurringProblems(s *snapshot, f analytics.Filter) []model.RecurringProblem {
	ps, rec := s.ds.Problems(), s.ds.Recurrences(analytics.Settings{})
	byProblem := map[analytics.ProblemID]*model.RecurringProblem{}
	var out []*model.RecurringProblem
	for _, c := range s.ds.Complaints(f) {
		r, ok := rec.LinkOf(c.ID)
		if !ok {
			continue
		}
		row := byProblem[r.Problem]
		if row == nil {
			row = &model.RecurringProblem{Problem: s.problemRef(ps, r.Problem)}
			byProblem[r.Problem] = row
			out = append(out, row)
		}
		row.Recurrences++
		if r.AfterPrevention {
			row.AfterPrevention++
		}
	}
	slices.SortStableFunc(out, func(a, b *model.RecurringProblem) int {
		return cmp.Or(cmp.Compare(b.Recurrences, a.Recurrences), cmp.Compare(b.AfterPrevention, a.AfterPrevention),
			cmp.Compare(a.Problem.Number, b.Problem.Number))
	})
	list := make([]model.RecurringProblem, len(out))
	for i, r := range out {
		list[i] = *r
	}
	return list
}

// dashboardThemes is how many themes the dashboard lists.
const dashboardThemes = 8

// periodThemes lists the themes of the filter's period, the months it
// spans added up (a theme counts once per complaint, and a complaint is
// filed in one month), most complaints first, each with its problems.
func periodThemes(s *snapshot, f analytics.Filter) []model.ThemeRow {
	ps := s.ds.Problems()
	type acc struct {
		row  model.ThemeRow
		seen map[analytics.ProblemID]bool
	}
	byTerm := map[string]*acc{}
	var order []*acc
	for _, period := range s.ds.Themes(f, analytics.Settings{}, analytics.ThemeOptions{Period: analytics.Month, Top: 2 * dashboardThemes}) {
		for _, t := range period.Terms {
			a := byTerm[t.Term]
			if a == nil {
				a = &acc{row: model.ThemeRow{Label: t.Label}, seen: map[analytics.ProblemID]bool{}}
				byTerm[t.Term] = a
				order = append(order, a)
			}
			a.row.Count += t.Count
			for _, p := range t.Problems {
				if p = ps.Resolve(p); !a.seen[p] {
					a.seen[p] = true
					a.row.Problems = append(a.row.Problems, s.problemRef(ps, p))
				}
			}
		}
	}
	slices.SortStableFunc(order, func(a, b *acc) int { return cmp.Compare(b.row.Count, a.row.Count) })
	var out []model.ThemeRow
	for _, a := range order[:min(len(order), dashboardThemes)] {
		out = append(out, a.row)
	}
	return out
}

// mergeConflicts reads the concurrent merges of the problems merged into
// a problem (the fold's conflicts on their merged_into).
func (m *Model) mergeConflicts(s *snapshot, ps *analytics.Problems, from []model.ProblemRef) ([]model.MergeConflict, error) {
	var out []model.MergeConflict
	err := m.store.View(func(t *boltstore.Tx) error {
		names, err := userNames(t)
		if err != nil {
			return err
		}
		for _, f := range from {
			st, err := t.State(domain.EntityKey{Type: domain.EntityProblem, ID: string(f.ID)})
			if err != nil {
				continue // merged by the software's naming only: no state
			}
			for _, cf := range st.Meta.Conflicts {
				if cf.Field != "merged_into" {
					continue
				}
				mc := model.MergeConflict{From: f}
				for _, v := range cf.Values {
					var into string
					_ = json.Unmarshal(v.Value, &into)
					mc.Values = append(mc.Values, model.ProblemConflictValue{Problem: s.problemRef(ps, analytics.ProblemID(into)),
						Value: slices.Clone(v.Value), By: names(v.Writer.Author), At: v.At})
				}
				out = append(out, mc)
			}
		}
		return nil
	})
	return out, err
}

// ResolveProblemConflict settles a conflict on a problem's field (two
// merges at once) with the value kept.
func (m *Model) ResolveProblemConflict(problem analytics.ProblemID, field string, value []byte) error {
	return m.one(domain.ProblemConflictResolved, string(problem), &domain.ResolveConflictPayload{Field: field, Value: value})
}
