package shell

import (
	"testing"
	"time"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/plans"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

// as records with m as another user, then gives the session back.
func as(t *testing.T, s *Shell, login string, role domain.Role, station string, do func()) {
	t.Helper()
	m := s.m.(interface {
		Session() model.Session
		SetSession(model.Session)
	})
	back := m.Session()
	m.SetSession(model.Session{Login: login, Role: role, Station: station})
	do()
	m.SetSession(back)
}

// badge is the count drawn beside a menu entry, "" when none is.
func badge(s *Shell, id string) string {
	for i, sc := range s.screens {
		if sc.ID != id {
			continue
		}
		b := s.badges[i]
		if b == nil || !b.Visible() {
			return ""
		}
		if texts := uitest.Drawn(b, ""); len(texts) == 1 {
			return texts[0]
		}
	}
	return ""
}

func TestMenuBadgesSayWhatWaitsForTheRole(t *testing.T) {
	w := plant(t)
	s := newShell(t, w)
	m := w.Model()
	// Given a complaint filed at PRESS2 and a plan Paul submitted
	var filed model.Filed
	var plan string
	as(t, s, "marie", domain.RoleOperator, "PRESS2", func() {
		var err error
		if filed, err = m.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X", Quantity: 1, Category: "surface",
			Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "scratch"}); err != nil {
			t.Fatal(err)
		}
	})
	as(t, s, "paul", domain.RoleEngineer, "", func() {
		var err error
		if plan, err = m.DraftPlan(model.NewPlan{Title: "Die checks", SupplierStation: "CUT1", Complaints: []string{filed.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := m.SubmitPlan(plan, ""); err != nil {
			t.Fatal(err)
		}
	})
	// When the plant manager signs in
	signIn(t, s, "sophie")
	// Then she lands on the inbox, and the plans entry says one waits for her
	if got := badge(s, "plans"); got != "1" {
		t.Fatalf("manager's plans badge = %q", got)
	}
	if got := badge(s, "inbox"); got != "" {
		t.Errorf("manager's inbox badge = %q", got)
	}
	// When she approves it (the plan's screen open), the badge goes at once
	s.OpenPlan(plan)
	if err := m.SignPlan(plan, true, "Go", plans.Meaning(true), "password1"); err != nil {
		t.Fatal(err)
	}
	if got := badge(s, "plans"); got != "" {
		t.Errorf("after approval, plans badge = %q", got)
	}
	// When Paul signs in, the new complaint waits for his acknowledgement
	signIn(t, s, "paul")
	if got := badge(s, "inbox"); got != "1" {
		t.Errorf("engineer's inbox badge = %q", got)
	}
	// When he proposes solutions, the complaint waits for PRESS2's operator
	if err := m.Acknowledge(filed.ID, time.Now().Add(48*time.Hour), "paul", ""); err != nil {
		t.Fatal(err)
	}
	if got := badge(s, "inbox"); got != "" {
		t.Errorf("after acknowledging, inbox badge = %q", got)
	}
	root := "Worn die"
	if err := m.RecordAnalysis(filed.ID, domain.AnalysisPayload{RootCause: &root}); err != nil {
		t.Fatal(err)
	}
	if err := m.ProposeSolutions(filed.ID, []string{"Sort the lot", "Rework"}); err != nil {
		t.Fatal(err)
	}
	signIn(t, s, "marie")
	if got := badge(s, "mine"); got != "1" {
		t.Errorf("operator's badge = %q", got)
	}
}
