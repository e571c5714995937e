package viewmodel

import (
	"encoding/json"

	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// reportForm names the report form's drafts in the store.
const reportForm = "report"

// reportDraftFields is the JSON of a report draft's fields (its files are
// stored apart, see boltstore.Draft).
type reportDraftFields struct {
	SupplierStation string          `json:"supplier_station,omitempty"`
	PartRef         string          `json:"part_ref,omitempty"`
	Lot             string          `json:"lot,omitempty"`
	Quantity        string          `json:"quantity,omitempty"`
	Category        string          `json:"category,omitempty"`
	Severity        domain.Severity `json:"severity,omitempty"`
	Kind            domain.Kind     `json:"kind,omitempty"`
	Remedy          domain.Remedy   `json:"remedy,omitempty"`
	Description     string          `json:"description,omitempty"`
}

func (m *Model) reportDraftKey() (boltstore.DraftKey, error) {
	a, err := m.actor()
	if err != nil {
		return boltstore.DraftKey{}, err
	}
	return boltstore.DraftKey{Login: a.Login, Form: reportForm}, nil
}

// ReportDraft returns the signed-in user's report draft on this
// workstation; false when there is none.
func (m *Model) ReportDraft() (model.ReportDraft, bool, error) {
	key, err := m.reportDraftKey()
	if err != nil {
		return model.ReportDraft{}, false, err
	}
	d, ok, err := m.store.Draft(key)
	if err != nil || !ok {
		return model.ReportDraft{}, false, err
	}
	var f reportDraftFields
	if err := json.Unmarshal(d.Value, &f); err != nil {
		return model.ReportDraft{}, false, domain.Errorf(domain.EInternal, "report draft: %v", err)
	}
	rd := model.ReportDraft{Saved: d.Saved, SupplierStation: f.SupplierStation, PartRef: f.PartRef, Lot: f.Lot,
		Quantity: f.Quantity, Category: f.Category, Severity: f.Severity, Kind: f.Kind, Remedy: f.Remedy, Description: f.Description}
	for _, file := range d.Files {
		rd.Files = append(rd.Files, model.File{Name: file.Name, Data: file.Data})
	}
	return rd, true, nil
}

// SaveReportDraft writes the signed-in user's report draft, stamped with
// the model's clock; an empty one deletes it. It returns the time stamped.
func (m *Model) SaveReportDraft(d model.ReportDraft) (model.ReportDraft, error) {
	if d.Empty() {
		return d, m.DiscardReportDraft()
	}
	key, err := m.reportDraftKey()
	if err != nil {
		return d, err
	}
	value, err := json.Marshal(reportDraftFields{SupplierStation: d.SupplierStation, PartRef: d.PartRef, Lot: d.Lot,
		Quantity: d.Quantity, Category: d.Category, Severity: d.Severity, Kind: d.Kind, Remedy: d.Remedy, Description: d.Description})
	if err != nil {
		return d, err
	}
	d.Saved = m.now()
	sd := boltstore.Draft{Saved: d.Saved, Value: value}
	for _, f := range d.Files {
		sd.Files = append(sd.Files, boltstore.DraftFile{Name: f.Name, Data: f.Data})
	}
	return d, m.store.PutDraft(key, sd)
}

// DiscardReportDraft deletes the signed-in user's report draft.
func (m *Model) DiscardReportDraft() error {
	key, err := m.reportDraftKey()
	if err != nil {
		return err
	}
	return m.store.DeleteDraft(key)
}

// recordFiling records a complaint's filing as the signed-in user and,
// when it was filed from their draft, deletes the draft in the same
// transaction: a crash after the filing cannot bring the draft back, and
// a refused filing keeps it.
func (m *Model) recordFiling(p *domain.ComplaintFiledPayload, fromDraft bool) ([]domain.Event, error) {
	if !fromDraft {
		return m.record(boltstore.Command{Type: domain.ComplaintFiled, Payload: p})
	}
	a, err := m.actor()
	if err != nil {
		return nil, err
	}
	var evs []domain.Event
	err = m.store.Update(func(t *boltstore.Tx) error {
		e, err := t.Record(a, boltstore.Command{Type: domain.ComplaintFiled, Payload: p})
		if err != nil {
			return err
		}
		evs = []domain.Event{e}
		return t.DeleteDraft(boltstore.DraftKey{Login: a.Login, Form: reportForm})
	})
	if err == nil && m.OnRecord != nil {
		m.OnRecord()
	}
	return evs, err
}
