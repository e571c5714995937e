package labelled_test

import (
	"slices"
	"strings"
	"testing"

	"boucle/shared/analytics/labelled"
	"boucle/shared/domain"
)

// The plant folds without a refused event, and the same seed gives the
// same plant.
func TestGenerateFoldsCleanlyAndIsDeterministic(t *testing.T) {
	p := labelled.Generate(1)
	states, unknown := domain.Fold(p.Events)
	if len(unknown) > 0 {
		t.Fatalf("%d unknown events", len(unknown))
	}
	var complaints int
	for _, s := range states {
		if len(s.Meta.Flags) > 0 {
			t.Errorf("%s: flags %+v", s.Meta.Key, s.Meta.Flags)
		}
		if s.Complaint != nil {
			complaints++
		}
	}
	for i := range p.Events {
		if err := domain.Validate(&p.Events[i]); err != nil {
			t.Fatalf("event %d (%s): %v", i, p.Events[i].Type, err)
		}
	}
	q := labelled.Generate(1)
	if len(q.Events) != len(p.Events) || !slices.EqualFunc(p.Events, q.Events, func(a, b domain.Event) bool { return a.ID == b.ID && string(a.Payload) == string(b.Payload) }) {
		t.Fatal("the same seed gave two plants")
	}
	real := 0
	for _, pr := range p.Truth.Problems {
		if !pr.Noise {
			real++
		}
	}
	if real < 95 {
		t.Errorf("%d real problems, want about a hundred", real)
	}
	t.Logf("%d events, %d complaints, %d problems (%d real), %d recurrences, %d after prevention, %d action verdicts, %d plan verdicts, late %s %s→%s",
		len(p.Events), complaints, len(p.Truth.Problems), real, len(p.Truth.Recurrences), len(p.Truth.AfterPrevention),
		len(p.Truth.ActionVerdicts), len(p.Truth.PlanVerdicts), p.Late.Station, p.Late.From.Format("01-02"), p.Late.To.Format("01-02"))
}

// The catalogue the demo draws from is well-formed: every defect files.
func TestDefectsFile(t *testing.T) {
	ds := labelled.Defects()
	if len(ds) < 90 {
		t.Fatalf("%d defects", len(ds))
	}
	for _, d := range ds {
		p := domain.ComplaintFiledPayload{Number: "X-2026-0001", FilingStation: "X", SupplierStation: d.Supplier, PartRef: d.Part,
			Quantity: 1, Category: d.Category, Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: d.Description[0]}
		if err := p.Validate(); err != nil || strings.Contains(d.Description[0]+d.Description[1], "%!") || d.Cause[0] == "" {
			t.Errorf("%+v: %v", d, err)
		}
	}
}
