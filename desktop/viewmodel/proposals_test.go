package viewmodel_test

import (
	"testing"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
)

func TestProposeProblemsWhileFiling(t *testing.T) {
	// Given two complaints about burrs on one bracket and a wrong drilling on another
	m, s := newModel(t, fixture.Operator)
	first, _, other := burrs(t, s)
	// When an operator describes burrs again, without the part yet
	got, err := m.ProposeProblems(model.ProblemQuery{SupplierStation: "CUT1", Category: "dimensional",
		Description: "burrs on the bracket edge, they cut the fingers"}, 3)
	must(t, err)
	// Then the burrs problem is proposed first, named after its first
	// complaint, with its two complaints, when last seen and why
	if len(got) == 0 || got[0].Problem.ID != analytics.ProblemID(first) {
		t.Fatalf("proposals = %+v, want the burrs problem %s first", got, first)
	}
	p := got[0]
	if p.Problem.Number == "" || p.Problem.Title == "" || p.Problem.Complaints != 2 || p.Last.IsZero() ||
		p.Likelihood <= 0 || p.Likelihood > 1 || len(p.Reasons) == 0 {
		t.Errorf("proposal = %+v", p)
	}
	// When they describe the drilling on its part
	got, err = m.ProposeProblems(model.ProblemQuery{SupplierStation: "CUT1", PartRef: "br 3000", Category: "dimensional",
		Description: "the hole is drilled off position"}, 3)
	must(t, err)
	if len(got) == 0 || got[0].Problem.ID != analytics.ProblemID(other) {
		t.Fatalf("proposals = %+v, want the drilling problem %s first", got, other)
	}
	// And nothing is proposed for another supplier station, nor before one is picked
	for _, q := range []model.ProblemQuery{
		{SupplierStation: "PAINT", Category: "dimensional", Description: "burrs on the bracket edge"},
		{Description: "burrs on the bracket edge"},
	} {
		if got, _ := m.ProposeProblems(q, 3); len(got) != 0 {
			t.Errorf("%+v: proposals %+v, want none", q, got)
		}
	}
}

func TestProposeProblemsNothingLikely(t *testing.T) {
	// Given the burrs and the drilling on CUT1
	m, s := newModel(t, fixture.Operator)
	burrs(t, s)
	// When the description shares nothing with them, on an unknown part
	got, err := m.ProposeProblems(model.ProblemQuery{SupplierStation: "CUT1", PartRef: "ZZ-9",
		Description: "label printed upside down"}, 3)
	must(t, err)
	// Then nothing is proposed
	if len(got) != 0 {
		t.Fatalf("proposals = %+v, want none", got)
	}
}
