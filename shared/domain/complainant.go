package domain

// complainantActs are what a complaint's complainant does: choose among
// the proposed solutions, verify and rate the resolution, reopen, ask for
// a re-examination.
var complainantActs = map[EventType]bool{
	ComplaintSolutionChosen: true, ComplaintVerified: true, ComplaintReopened: true,
	ComplaintReexaminationRequested: true,
}

// ComplainantAct reports whether events of type t are the complainant's.
func ComplainantAct(t EventType) bool { return complainantActs[t] }

// CheckComplainant is the complainant rule, the same on a workstation and
// at the server: the operators of the station that filed a complaint,
// and they alone, act as its complainant. An operator without a home
// station (a shared account) is not restricted. author and station are
// the event's author and their home station; filing and number are the
// complaint's filing station and number.
func CheckComplainant(t EventType, role Role, author, station, filing, number string) error {
	if role != RoleOperator || !complainantActs[t] || station == "" || station == filing {
		return nil
	}
	return RuleError(EForbidden, "complaint.complainant",
		"only the operators of %s, which filed %s, act as its complainant; %s is an operator of %s", filing, number, author, station)
}
