package analytics

import "boucle/shared/domain"

// Complaints returns the complaints passing the filter, in (FiledAt, ID)
// order: the rows of an export with the filter of a report. The pointers
// are into the Input; the caller must not modify them.
func (ds *Dataset) Complaints(f Filter) []*domain.Complaint {
	sel := ds.selected(f)
	out := make([]*domain.Complaint, len(sel))
	for i, p := range sel {
		out[i] = ds.complaints[p]
	}
	return out
}

// Actions returns the actions passing the filter, by id, through what
// each answers for (docs/kpis.md, "Filters"): the stations, category and
// severity of its complaint (or of its plan, for an action of a plan that
// names no complaint). The period applies to the filing of its complaint,
// the cohort its figures belong to; for an action of a plan that names no
// complaint, to its assignment. An action whose complaint and plan are
// unknown passes only a filter without fields. The pointers are into the
// Input; the caller must not modify them.
func (ds *Dataset) Actions(f Filter) []*domain.Action {
	c := ds.compile(f)
	noFields := f.withoutPeriod() == Filter{}
	var out []*domain.Action
	for i, a := range ds.actions {
		sc := &ds.actScope[i]
		at := unixNano(a.AssignedAt)
		if sc.complaint >= 0 {
			at = ds.facts[sc.complaint].filed
		}
		if (sc.valid && c.matchScope(ds, sc) || !sc.valid && noFields) && c.inPeriod(at) {
			out = append(out, a)
		}
	}
	return out
}
