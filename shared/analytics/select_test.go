package analytics_test

import (
	"slices"
	"testing"

	"boucle/shared/analytics"
	"boucle/shared/domain"
)

func TestSelection(t *testing.T) {
	ds := fixture()
	ids := func(cs []*domain.Complaint) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	actionIDs := func(as []*domain.Action) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name       string
		f          analytics.Filter
		complaints []string
		actions    []string
	}{
		// Every complaint in filing order; every action by id.
		{"All", analytics.Filter{},
			[]string{"C00", "C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10", "C11", "C12", "C13", "C14"},
			[]string{"A0", "A1", "A12", "A13", "A2", "A2b", "A4", "A5", "A7", "A8", "APL2"}},
		// The period selects complaints by filing and actions by their
		// complaint's filing; APL2 (plan PL2 only) by its assignment, 2025-12-01.
		{"Period", analytics.Filter{From: fixFrom, To: fixTo},
			[]string{"C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10", "C11", "C12", "C13"},
			[]string{"A1", "A12", "A13", "A2", "A2b", "A4", "A5", "A7", "A8"}},
		// PRESSE as supplier: C00 C02 C03 C06 C10 C12 C14; APL2 through plan PL2 (PRESSE).
		{"Supplier", analytics.Filter{SupplierStation: "PRESSE"},
			[]string{"C00", "C02", "C03", "C06", "C10", "C12", "C14"},
			[]string{"A0", "A12", "A2", "A2b", "APL2"}},
		// A severity leaves plans' actions out: a plan has no severity.
		{"Severity", analytics.Filter{Severity: domain.SeverityCritical}, []string{"C05"}, []string{"A5"}},
		{"Unknown station", analytics.Filter{Station: "NOPE"}, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(ds.Complaints(tt.f)); !slices.Equal(got, tt.complaints) {
				t.Errorf("complaints %v, want %v", got, tt.complaints)
			}
			if got := actionIDs(ds.Actions(tt.f)); !slices.Equal(got, tt.actions) {
				t.Errorf("actions %v, want %v", got, tt.actions)
			}
		})
	}
}
