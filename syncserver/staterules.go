package syncserver

import (
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// This file holds the rules a pushed event must keep that depend on what
// the plant already holds, checked in the push's transaction: complaint
// numbers are unique, a complaint is filed once, only the operators of
// the filing station act as its complainant, and the plant keeps an
// active administrator. The push only logs complaint
// events (the projector folds them later), so the rules read the filing
// indexes the log itself keeps (boltstore's numbers.go), which include the
// filings logged earlier in the same push.

// checkStateRules returns why an event breaks a rule of the plant's
// state, or nil.
// fc is the event's filing, read by prevalidate, when it files a
// complaint.
func (p *pushTx) checkStateRules(e *domain.Event, fc filingCheck) error {
	switch {
	case e.Type == domain.ComplaintFiled:
		return p.checkFiling(e, fc)
	case domain.ComplainantAct(e.Type):
		return p.checkComplainant(e)
	case e.Type == domain.UserDisabled || e.Type == domain.UserUpdated:
		return p.checkKeepsAnAdministrator(e)
	}
	return nil
}

// filingKeys are the complaints and numbers the state rules of a push of
// events will look up (checkFiling, checkComplainant).
func filingKeys(events []domain.Event) (complaints, numbers []string) {
	for i := range events {
		e := &events[i]
		if e.Type != domain.ComplaintFiled && !domain.ComplainantAct(e.Type) {
			continue
		}
		complaints = append(complaints, e.EntityID)
		if f := boltstore.FilingOf(e); f != nil {
			numbers = append(numbers, f.Number)
		}
	}
	return complaints, numbers
}

// checkKeepsAnAdministrator applies rule user.last_admin to a pushed
// directory event, as the admin API and the command line do: nobody
// disables or demotes the plant's last active administrator, not even
// from their own workstation.
func (p *pushTx) checkKeepsAnAdministrator(e *domain.Event) error {
	cur, err := directoryUser(p.t, e.EntityID)
	if err != nil || cur == nil || cur.Disabled {
		return err
	}
	leaving := e.Type == domain.UserDisabled
	if e.Type == domain.UserUpdated {
		pl, err := domain.DecodePayload(e)
		if err != nil {
			return err
		}
		u, ok := pl.(*domain.UserPayload)
		leaving = ok && u.Role != domain.RoleAdmin
	}
	return keepAnAdministrator(p.t, e.EntityID, cur.Role, leaving)
}

// checkFiling refuses a second filing of a complaint, and a number that
// another complaint holds.
func (p *pushTx) checkFiling(e *domain.Event, fc filingCheck) error {
	if fc.newFiling != nil { // a part of spaces only: domain's CheckNewFiling
		return fc.newFiling
	}
	if f, ok := p.t.ComplaintFiling(e.EntityID); ok {
		return domain.RuleError(domain.EConflict, "complaint.already_filed",
			"complaint %s was already filed, as %s by %s", e.EntityID, f.Number, f.Station)
	}
	number := fc.filing.Number // valid: prevalidate read the payload
	if holder, ok := p.t.ComplaintWithNumber(number); ok && holder != e.EntityID {
		return domain.RuleError(domain.EConflict, "complaint.number_taken",
			"number %s already belongs to another complaint: file it again on this workstation to get a number of its own", number)
	}
	return nil
}

// checkComplainant applies domain.CheckComplainant with the filing station
// the log holds and the author's station in the server's directory. A
// complaint the server does not hold cannot be checked: refused.
func (p *pushTx) checkComplainant(e *domain.Event) error {
	station, err := p.authorStation(e)
	if err != nil || station == "" || e.Role != domain.RoleOperator {
		return err
	}
	f, ok := p.t.ComplaintFiling(e.EntityID)
	if !ok {
		return domain.RuleError(domain.EForbidden, "complaint.complainant",
			"complaint %s is unknown to the server, so who may act as its complainant cannot be checked", e.EntityID)
	}
	return domain.CheckComplainant(e.Type, e.Role, e.Author, station, f.Station, f.Number)
}

// authorStation is the home station of the event's author in the server's
// directory as it stood when the event was recorded (checkAuthorship has
// already refused unknown and disabled authors).
func (p *pushTx) authorStation(e *domain.Event) (string, error) {
	a, err := p.author(e.Author)
	if err != nil {
		return "", err
	}
	then, _ := a.asOf(e)
	return then.Station, nil
}
