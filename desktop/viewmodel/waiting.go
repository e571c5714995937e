package viewmodel

import (
	"boucle/desktop/ui/model"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// WaitingCap is where the menu's counts stop counting ("99+"): the badge
// says that work waits, the screen says how much.
const WaitingCap = 100

// Waiting counts what waits for the signed-in person's role: plans to
// sign for a manager, new complaints to acknowledge for an engineer, and
// for an operator their station's complaints waiting for the complainant
// (a solution to choose, a resolution to verify).
func (m *Model) Waiting() (model.Waiting, error) {
	s := m.Session()
	var w model.Waiting
	err := m.store.View(func(t *boltstore.Tx) error {
		switch s.Role {
		case domain.RoleManager:
			ps, err := t.Plans(domain.PlanStatusSubmitted)
			w.PlansToApprove = min(len(ps), WaitingCap)
			return err
		case domain.RoleEngineer:
			n, err := countComplaints(t, boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusNew}})
			w.ToAcknowledge = n
			return err
		case domain.RoleOperator:
			f := boltstore.ComplaintFilter{FilingStation: s.Station,
				Statuses: []domain.ComplaintStatus{domain.StatusSolutionProposed, domain.StatusResolved}}
			if s.Station == "" {
				f.FiledBy = s.Login
			}
			n, err := countComplaints(t, f)
			w.ForComplainant = n
			return err
		}
		return nil
	})
	return w, err
}

// countComplaints counts the complaints of a filter, up to WaitingCap.
func countComplaints(t *boltstore.Tx, f boltstore.ComplaintFilter) (int, error) {
	f.Limit = WaitingCap
	page, err := t.ListComplaints(f)
	return len(page.Rows), err
}
