package main

import (
	"testing"
	"time"

	"boucle/desktop/ui/model"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/syncserver"
	"boucle/syncserver/demo"
)

// The screenshot operator-form-known-problem (report-draft:known) shows
// the form written like the demo plant's newest recurrence: that draft
// proposes the recurrence's problem first.
func TestKnownProblemShotProposesTheRecurrence(t *testing.T) {
	end := time.Now()
	clock := demo.NewClock(end)
	s, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{Now: clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := demo.Seed(s, clock, demo.Options{End: end}); err != nil {
		t.Fatal(err)
	}
	m := viewmodel.New(s, "PRESS2", nil)
	rows, err := m.Recurrences(model.DashboardQuery{Period: model.Last90Days})
	if err != nil || len(rows) == 0 {
		t.Fatalf("no recurrence in the demo plant: %v", err)
	}
	row := rows[0]
	for _, r := range rows {
		if r.AfterPrevention {
			row = r
			break
		}
	}
	d, ok := draftLike(s, row.ComplaintID)
	if !ok || d.SupplierStation == "PRESS2" {
		t.Fatalf("draft %+v: none, or against the operator's own station", d)
	}
	got, err := m.ProposeProblems(model.ProblemQuery{SupplierStation: d.SupplierStation, PartRef: d.PartRef,
		Category: d.Category, Description: d.Description}, 3)
	if err != nil || len(got) == 0 || got[0].Problem.ID != row.Problem.ID {
		t.Fatalf("proposals %+v (%v), want %s first", got, err, row.Problem.Name())
	}
}
