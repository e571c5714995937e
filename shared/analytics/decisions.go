package analytics

import (
	"slices"

	"boucle/shared/domain"
)

// The rules an engineer's decision must keep, checked by the workstation
// before it records the event (the problems are computed, not stored, so
// neither the fold nor the server can check them). Each refusal names
// its rule.

// CheckMove checks moving (or confirming) a complaint into a problem: the
// complaint must be known, and a problem of another supplier station
// needs otherSupplier, the engineer's explicit confirmation. A problem
// that does not exist yet is a new one, of the complaint's station.
func (ps *Problems) CheckMove(complaintID string, to ProblemID, otherSupplier bool) error {
	p, ok := ps.ds.pos[complaintID]
	if !ok {
		return domain.RuleError(domain.ENotFound, "problem.complaint", "no complaint %s", complaintID)
	}
	if to == "" {
		return domain.FieldError("problem", "is required")
	}
	i, exists := ps.index[ps.resolve(to)]
	if !exists {
		return nil
	}
	mine, theirs := ps.ds.facts[p].supplier, ps.list[i].supplier
	if mine != theirs && !otherSupplier {
		return domain.RuleError(domain.EConflict, "problem.other_supplier",
			"problem %s is about supplier station %s, complaint %s about %s: confirm that the same problem crosses stations",
			to, ps.ds.stations.names[theirs], ps.ds.complaints[p].Number, ps.ds.stations.names[mine])
	}
	return nil
}

// CheckMerge checks merging problem from into problem into: not into
// itself, not into a problem already merged into it (directly or down a
// chain: that would close a loop), both known, and across supplier
// stations only with otherSupplier.
func (ps *Problems) CheckMerge(from, into ProblemID, otherSupplier bool) error {
	switch {
	case from == into:
		return domain.RuleError(domain.EInvalid, "problem.merge_self", "a problem cannot be merged into itself")
	case reaches(ps.merge, into, from):
		return domain.RuleError(domain.EInvalid, "problem.merge_cycle",
			"problem %s was merged into %s: merging %s into it would close a loop", into, from, from)
	case ps.resolve(from) == ps.resolve(into):
		return domain.RuleError(domain.EInvalid, "problem.merge_self", "%s and %s are already one problem", from, into)
	}
	fi, okf := ps.index[ps.resolve(from)]
	ii, oki := ps.index[ps.resolve(into)]
	switch {
	case !okf:
		return domain.RuleError(domain.ENotFound, "problem.exists", "no problem %s", from)
	case !oki:
		return domain.RuleError(domain.ENotFound, "problem.exists", "no problem %s", into)
	case ps.list[fi].supplier != ps.list[ii].supplier && !otherSupplier:
		return domain.RuleError(domain.EConflict, "problem.other_supplier",
			"problem %s is about supplier station %s, %s about %s: confirm that the same problem crosses stations",
			from, ps.ds.stations.names[ps.list[fi].supplier], into, ps.ds.stations.names[ps.list[ii].supplier])
	}
	return nil
}

// Plans lists the plans naming a complaint of the problem, by id: after a
// merge, the plans of both problems.
func (ps *Problems) Plans(id ProblemID) []string {
	i, ok := ps.index[ps.resolve(id)]
	if !ok {
		return nil
	}
	var out []string
	for _, m := range ps.list[i].members {
		for _, pi := range ps.ds.plansOf.at(int(m)) {
			if pid := ps.ds.plans[pi].ID; !slices.Contains(out, pid) {
				out = append(out, pid)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Actions lists the actions answering a complaint of the problem, by id.
func (ps *Problems) Actions(id ProblemID) []string {
	i, ok := ps.index[ps.resolve(id)]
	if !ok {
		return nil
	}
	var out []string
	for _, m := range ps.list[i].members {
		for _, ai := range ps.ds.actionsOf.at(int(m)) {
			if aid := ps.ds.actions[ai].ID; !slices.Contains(out, aid) {
				out = append(out, aid)
			}
		}
	}
	slices.Sort(out)
	return out
}
