package analytics_test

import (
	"testing"

	"boucle/shared/analytics"
)

// The cheap look-ups answer what the full ones do.
func TestLinksAgreeWithTheFullLookups(t *testing.T) {
	ds := fixture()
	ps, rec := ds.Problems(), ds.Recurrences(analytics.Settings{})
	n := 0
	for _, c := range fixtureComplaints() {
		if p, _ := ps.ProblemOf(c.ID); ps.Of(c.ID) != p {
			t.Errorf("%s: Of %q, ProblemOf %q", c.ID, ps.Of(c.ID), p)
		}
		full, ok := rec.Lookup(c.ID)
		link, lok := rec.LinkOf(c.ID)
		if ok != lok || full.Of != link.Of || full.Problem != link.Problem || full.AfterPrevention != link.AfterPrevention {
			t.Errorf("%s: Lookup %+v %v, LinkOf %+v %v", c.ID, full, ok, link, lok)
		}
		if ok {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no recurrence in the fixture: the test proves nothing")
	}
}
