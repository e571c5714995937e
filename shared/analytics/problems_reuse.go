package analytics

import (
	"slices"

	"boucle/shared/domain"
)

// AdoptProblems lets a new dataset take the problems an earlier dataset
// of the same store found, when nothing they are found from changed: the
// same complaints in the same order, each alike in everything but its
// handling (acknowledgement, assignment, deadline, actions linked,
// messages, resolution times, rating, escalations, reopenings; its status
// only as far as it stays countable or not), and the same merges. Most
// events are handling: the problems, a pass over every complaint (more
// than a second over 100k), are then not found again, and the answer is
// the one finding them would give, since it is a function of what was
// compared. Only what depends on actions and plans (when prevention first
// came to each problem) is measured again. The descriptions' tokens for
// the themes, if the earlier dataset had them, are taken too.
//
// It must be called before anything asks ds for its problems; it reports
// whether the problems were adopted (false: ds finds its own when asked).
// prev may be nil.
func (ds *Dataset) AdoptProblems(prev *Dataset) bool {
	if prev == nil || !prev.problemsFound.Load() || !ds.sameProblemInputs(prev) {
		return false
	}
	adopted := false
	ds.problemsOnce.Do(func() {
		ps := *prev.problems
		ps.ds = ds
		ps.measurePrevention()
		ds.problems, adopted = &ps, true
		ds.problemsFound.Store(true)
	})
	if adopted {
		ds.themes.adopt(&prev.themes) // the same descriptions, in the same order
	}
	return adopted
}

func (ds *Dataset) sameProblemInputs(prev *Dataset) bool {
	if len(ds.complaints) != len(prev.complaints) || !slices.EqualFunc(ds.in.Problems, prev.in.Problems, sameMerge) {
		return false
	}
	for p, c := range ds.complaints {
		if !sameForProblems(c, prev.complaints[p]) {
			return false
		}
	}
	return true
}

func sameMerge(a, b domain.Problem) bool {
	return a.ID == b.ID && a.MergedInto == b.MergedInto && a.MergedOrder == b.MergedOrder
}

// sameForProblems compares two states of a complaint on everything but
// its handling. TestEveryComplaintFieldIsComparedOrHandling fails when a
// field is added to complaints without being placed in one of the two.
func sameForProblems(a, b *domain.Complaint) bool {
	return a.ID == b.ID && a.Number == b.Number && a.FilingStation == b.FilingStation && a.SupplierStation == b.SupplierStation &&
		a.PartRef == b.PartRef && a.Lot == b.Lot && a.Quantity == b.Quantity && a.Category == b.Category &&
		a.Severity == b.Severity && a.Kind == b.Kind && a.Remedy == b.Remedy && a.Description == b.Description &&
		a.FiledBy == b.FiledBy && a.FiledAt.Equal(b.FiledAt) && a.FiledOrder == b.FiledOrder &&
		countable(a) == countable(b) && a.Containment == b.Containment && slices.Equal(a.Whys, b.Whys) &&
		a.Ishikawa == b.Ishikawa && a.RootCause == b.RootCause && slices.EqualFunc(a.Solutions, b.Solutions, sameSolution) &&
		a.ChosenSolution == b.ChosenSolution && a.Resolution == b.Resolution && a.RejectionReason == b.RejectionReason &&
		a.DuplicateOf == b.DuplicateOf && a.WithdrawnReason == b.WithdrawnReason &&
		a.Problem == b.Problem && slices.Equal(a.NotProblems, b.NotProblems)
}

func sameSolution(a, b domain.Solution) bool {
	return a.ID == b.ID && a.Text == b.Text && a.ProposedBy == b.ProposedBy && a.At.Equal(b.At)
}
