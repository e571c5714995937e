package model

import (
	"time"

	"boucle/shared/domain"
)

// ReportDraft is the report form as the user left it, not filed yet: kept
// on the workstation for that user across navigation, a crash and a
// restart. The quantity is kept as typed, a word included.
type ReportDraft struct {
	Saved           time.Time // when it was last written (set by the store's writer)
	SupplierStation string
	PartRef         string
	Lot             string
	Quantity        string
	Category        string
	Severity        domain.Severity
	Kind            domain.Kind
	Remedy          domain.Remedy
	Description     string
	Files           []File
}

// Empty reports whether nothing was typed or chosen: no draft to keep.
// A complaint (not a claim) is the form's default kind, not a choice, and
// the supplier station alone is no work to keep (the form keeps it after
// a filing, for the next defect of the series).
func (d ReportDraft) Empty() bool {
	return d.PartRef == "" && d.Lot == "" && d.Quantity == "" && d.Category == "" &&
		d.Severity == "" && (d.Kind == "" || d.Kind == domain.KindComplaint) && d.Remedy == "" && d.Description == "" &&
		len(d.Files) == 0
}
