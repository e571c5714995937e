package analytics

// Cheap look-ups for lists: a screen that shows hundreds of complaints'
// problems or recurrences needs the link, not the proposal's reasons
// (ProblemOf) nor the prevention that came before (Lookup), which walk
// the whole problem each time.

// Of returns the problem of a complaint, "" for a non-countable or
// unknown one.
func (ps *Problems) Of(complaintID string) ProblemID {
	p, ok := ps.ds.pos[complaintID]
	if !ok {
		return ""
	}
	return ps.problemAt(p)
}

// Link is a recurrence without its prevention details.
type Link struct {
	ComplaintID, Of string
	Problem         ProblemID
	AfterPrevention bool
}

// LinkOf returns the recurrence link of a complaint, if it is a
// recurrence: what Lookup returns, without the preventive actions and
// plans listed.
func (r *Recurrences) LinkOf(complaintID string) (Link, bool) {
	p, ok := r.ds.pos[complaintID]
	if !ok || r.of[p] < 0 {
		return Link{}, false
	}
	return Link{ComplaintID: complaintID, Of: r.ds.complaints[r.of[p]].ID, Problem: r.ds.Problems().problemAt(p), AfterPrevention: r.after[p]}, true
}
