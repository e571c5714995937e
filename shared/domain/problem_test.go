package domain_test

import (
	"testing"

	"boucle/shared/domain"
)

// A blank part (" ") passes Validate, which the fold applies to every
// event of the log, including filings accepted before issue 11; a new
// filing is refused by CheckNewFiling, and the fold keeps an old one
// trimmed, so that the analytics see an unknown part.
func TestBlankPartOfAFiling(t *testing.T) {
	p := filedPayload("PRESS2-2026-0001")
	p.PartRef = "  "
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	wantField(t, p.CheckNewFiling(), domain.EInvalid, "part_ref")
	w := newWorld()
	r := w.replica("ws", "op", domain.RoleOperator, 0)
	ev := r.force(t, "op", domain.RoleOperator, domain.ComplaintFiled, "c1", p)
	st := domain.FoldEntity(ev.Key(), []domain.Event{ev})
	if st.Complaint == nil || st.Complaint.PartRef != "" {
		t.Fatalf("folded complaint = %+v, want part_ref trimmed to empty", st.Complaint)
	}
	p.PartRef = " BRK-1 "
	if err := p.CheckNewFiling(); err != nil {
		t.Fatalf("CheckNewFiling(%q): %v", p.PartRef, err)
	}
}
