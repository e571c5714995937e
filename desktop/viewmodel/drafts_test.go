package viewmodel_test

import (
	"testing"
	"time"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

func typedDraft() model.ReportDraft {
	return model.ReportDraft{SupplierStation: "CUT1", PartRef: "BR-2040", Quantity: "12", Category: "surface",
		Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "Burr on the edge",
		Files: []model.File{{Name: "burr.jpg", Data: []byte("\xff\xd8\xff photo")}}}
}

func TestReportDraft_PerUserStampedAndDiscarded(t *testing.T) {
	// Given the operator's draft saved at 10:42
	m, _ := newModel(t, fixture.Operator)
	at := time.Date(2026, 12, 7, 10, 42, 0, 0, time.UTC)
	m.SetClock(func() time.Time { return at })
	saved, err := m.SaveReportDraft(typedDraft())
	if err != nil || !saved.Saved.Equal(at) {
		t.Fatalf("saved %v, %v", saved.Saved, err)
	}
	// Then it reads back whole
	got, ok, err := m.ReportDraft()
	if err != nil || !ok || got.PartRef != "BR-2040" || got.Quantity != "12" || len(got.Files) != 1 || !got.Saved.Equal(at) {
		t.Fatalf("draft %+v %v %v", got, ok, err)
	}
	// And the engineer signed in on the same workstation does not see it
	signIn(m, fixture.Engineer)
	if _, ok, _ := m.ReportDraft(); ok {
		t.Fatal("the engineer sees the operator's draft")
	}
	// And emptying the form, or discarding, deletes it
	signIn(m, fixture.Operator)
	if _, err := m.SaveReportDraft(model.ReportDraft{Kind: domain.KindComplaint}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := m.ReportDraft(); ok {
		t.Fatal("an empty form left a draft")
	}
}

func TestFilingFromTheDraftDeletesIt(t *testing.T) {
	m, _ := newModel(t, fixture.Operator)
	if _, err := m.SaveReportDraft(typedDraft()); err != nil {
		t.Fatal(err)
	}
	nc := model.NewComplaint{SupplierStation: "CUT1", PartRef: "BR-2040", Quantity: 12, Category: "surface",
		Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "Burr on the edge", FromDraft: true}
	// A filing refused by the domain keeps the draft
	bad := nc
	bad.Description = ""
	if _, err := m.FileComplaint(bad); err == nil {
		t.Fatal("filed without a description")
	}
	if _, ok, _ := m.ReportDraft(); !ok {
		t.Fatal("a refused filing deleted the draft")
	}
	// A filing recorded deletes it
	if _, err := m.FileComplaint(nc); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := m.ReportDraft(); ok {
		t.Fatal("the draft outlived its complaint")
	}
	// A filing not from the draft (a refusal recorded again) leaves it alone
	if _, err := m.SaveReportDraft(typedDraft()); err != nil {
		t.Fatal(err)
	}
	nc.FromDraft = false
	if _, err := m.FileComplaint(nc); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := m.ReportDraft(); !ok {
		t.Fatal("filing another complaint deleted the draft")
	}
}
