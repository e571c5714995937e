package viewmodel_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// passwords accepts one password per login (the sign-off check).
type passwords map[string]string

func (p passwords) CheckPassword(login, pw string) error {
	if p[login] != "" && p[login] == pw {
		return nil
	}
	return errors.New("wrong password")
}

// newModel opens a seeded store and signs a user in.
func newModel(t *testing.T, as boltstore.Actor) (*viewmodel.Model, *boltstore.Store) {
	t.Helper()
	s := fixture.Open(t)
	fixture.Seed(t, s)
	m := viewmodel.New(s, "PRESS2", passwords{fixture.Manager.Login: "s3cret"})
	signIn(m, as)
	return m, s
}

func signIn(m *viewmodel.Model, a boltstore.Actor) {
	m.SetSession(model.Session{Login: a.Login, DisplayName: a.Login, Role: a.Role})
}

func fieldOf(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Field
	}
	return ""
}

func TestReference(t *testing.T) {
	// Given a seeded plant
	m, _ := newModel(t, fixture.Operator)
	// When the form asks for the reference data
	ref, err := m.Reference()
	if err != nil {
		t.Fatal(err)
	}
	// Then stations are sorted by code, "other" is the last category,
	// the three severities and every user are there
	if len(ref.Stations) != 4 || ref.Stations[0].Code != "ASSY" {
		t.Errorf("stations = %v", ref.Stations)
	}
	if last := ref.Categories[len(ref.Categories)-1]; last.Code != "other" {
		t.Errorf("last category = %s, want other", last.Code)
	}
	if len(ref.Severities) != 3 || len(ref.Users) != 5 {
		t.Errorf("severities %d, users %d", len(ref.Severities), len(ref.Users))
	}
	if got := ref.UserName(fixture.Engineer.Login); got != "Paul Martin" {
		t.Errorf("UserName = %q", got)
	}
}

func TestFileComplaint(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// Given the operator of PRESS2 signed in
		m, _ := newModel(t, fixture.Operator)
		// When they file a claim with a photo
		filed, err := m.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: " BR-2040 ", Lot: "L-1", Quantity: 3,
			Category: "surface", Severity: domain.SeverityMinor, Kind: domain.KindClaim, Remedy: domain.RemedyRework,
			Description: "Scratches on the face", Files: []model.File{{Name: "photo.png", Data: []byte("\x89PNG\r\n\x1a\n....")}}})
		if err != nil {
			t.Fatal(err)
		}
		// Then it gets the station's first number and keeps the photo by hash
		year := time.Now().Year()
		if want := "PRESS2-" + itoa(year) + "-0001"; filed.Number != want {
			t.Errorf("number = %s, want %s", filed.Number, want)
		}
		d, err := m.Complaint(filed.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := d.Complaint
		if c.PartRef != "BR-2040" || c.Remedy != domain.RemedyRework || c.FilingStation != "PRESS2" || c.FiledBy != fixture.Operator.Login {
			t.Errorf("complaint = %+v", c)
		}
		if len(d.Files) != 1 || !d.Files[0].Here || d.Files[0].MediaType != "image/png" {
			t.Errorf("files = %+v", d.Files)
		}
	})
	t.Run("ErrQuantity", func(t *testing.T) {
		// Given the operator signed in
		m, s := newModel(t, fixture.Operator)
		var before int
		_ = s.View(func(tx *boltstore.Tx) error { before = tx.OutboxLen(); return nil })
		// When they leave the quantity at 0
		_, err := m.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X", Category: "surface",
			Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "d",
			Files: []model.File{{Name: "a.txt", Data: []byte("evidence")}}})
		// Then the error names the quantity, and nothing was stored, not even the file
		if fieldOf(err) != "quantity" {
			t.Fatalf("err = %v, want a quantity error", err)
		}
		_ = s.View(func(tx *boltstore.Tx) error {
			sum := sha256.Sum256([]byte("evidence"))
			if tx.HasBlob(hex.EncodeToString(sum[:])) || tx.OutboxLen() != before {
				t.Error("something was stored")
			}
			return nil
		})
	})
	t.Run("ErrSameStation", func(t *testing.T) {
		m, _ := newModel(t, fixture.Operator)
		_, err := m.FileComplaint(model.NewComplaint{SupplierStation: "PRESS2", PartRef: "X", Quantity: 1, Category: "surface",
			Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "d"})
		if fieldOf(err) != "supplier_station" {
			t.Fatalf("err = %v, want a supplier_station error", err)
		}
	})
	t.Run("ErrSignedOut", func(t *testing.T) {
		m, _ := newModel(t, fixture.Operator)
		m.SetSession(model.Session{})
		m.SetStation("PRESS2")
		_, err := m.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "X", Quantity: 1, Category: "surface",
			Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "d"})
		if domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("err = %v, want unauthorized", err)
		}
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestSimilarOpen(t *testing.T) {
	// Given open complaints against CUT1 and one against PAINT
	m, s := newModel(t, fixture.Operator)
	burr := fixture.File(t, s, fixture.Filing("Burr on the edge of the bracket"))
	fixture.File(t, s, fixture.Filing("Wrong hole diameter"))
	other := fixture.Filing("Burr on the edge")
	other.SupplierStation = "PAINT"
	fixture.File(t, s, other)
	// When the operator types a description close to the first one
	rows, err := m.SimilarOpen("CUT1", "", "big burrs on the bracket edge", 5)
	if err != nil {
		t.Fatal(err)
	}
	// Then it comes first, and the PAINT one is not offered
	if len(rows) == 0 || rows[0].ID != burr {
		t.Fatalf("rows = %+v, want %s first", rows, burr)
	}
	for _, r := range rows {
		if r.SupplierStation != "CUT1" {
			t.Errorf("row of supplier %s offered", r.SupplierStation)
		}
	}
	// And with nothing typed there is nothing to compare
	if rows, _ := m.SimilarOpen("CUT1", "", "", 5); len(rows) != 0 {
		t.Errorf("rows for an empty text: %v", rows)
	}
}

func TestSimilarOpenTiesNewestFirst(t *testing.T) {
	// Given six complaints alike, filed within one millisecond (a frozen
	// clock), and no similarity index yet (the store's text search ranks)
	frozen := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "boucle.db"), boltstore.Options{Now: func() time.Time { return frozen }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fixture.Seed(t, s)
	m := viewmodel.New(s, "PRESS2", nil)
	signIn(m, fixture.Operator)
	var want []string
	for range 6 {
		want = append([]string{fixture.File(t, s, fixture.Filing("Burr on the edge of the bracket"))}, want...)
	}
	// When the operator types the same words
	rows, err := m.SimilarOpen("CUT1", "", "burr bracket", 10)
	if err != nil {
		t.Fatal(err)
	}
	// Then equal matches come newest first, as filed
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		if r.ID != want[i] {
			t.Fatalf("row %d is %s, want %s", i, r.ID, want[i])
		}
	}
}

func TestSimilarOpenByIndex(t *testing.T) {
	// Given open complaints against CUT1 (one closed) and the TF-IDF index built
	m, s := newModel(t, fixture.Operator)
	burr := fixture.File(t, s, fixture.Filing("Bavures importantes sur le bord du support"))
	fixture.File(t, s, fixture.Filing("Wrong hole diameter"))
	closed := fixture.Resolved(t, s, "Bavures sur le bord")
	signIn(m, fixture.Operator)
	must(t, m.Verify(closed, 5, ""))
	<-m.WarmSimilar()
	if !m.SimilarReady() {
		t.Fatal("index not built")
	}
	// When the operator describes burrs in other words
	rows, err := m.SimilarOpen("CUT1", "", "bavure au bord", 5)
	if err != nil {
		t.Fatal(err)
	}
	// Then the open one comes first and the closed one is left out
	if len(rows) == 0 || rows[0].ID != burr {
		t.Fatalf("rows = %+v, want %s first", rows, burr)
	}
	for _, r := range rows {
		if r.ID == closed {
			t.Error("closed complaint offered")
		}
	}
	// And a complaint filed here is found at once
	filed, err := m.FileComplaint(model.NewComplaint{SupplierStation: "CUT1", PartRef: "ZX-9", Quantity: 1, Category: "surface",
		Severity: domain.SeverityMinor, Kind: domain.KindComplaint, Description: "Oxydation blanche"})
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := m.SimilarOpen("CUT1", "", "oxydation", 5); len(rows) != 1 || rows[0].ID != filed.ID {
		t.Errorf("new complaint not found: %+v", rows)
	}
}

func TestListComplaintsUnacknowledgedFirst(t *testing.T) {
	// Given two acknowledged complaints filed before three new ones... and
	// one more acknowledged after them
	m, s := newModel(t, fixture.Engineer)
	old1 := fixture.Acknowledged(t, s, "old one")
	old2 := fixture.Acknowledged(t, s, "old two")
	var news []string
	for i := 0; i < 3; i++ {
		news = append(news, fixture.File(t, s, fixture.Filing("new")))
	}
	late := fixture.Acknowledged(t, s, "late")
	// When the inbox pages through them two at a time
	q := model.ComplaintQuery{Statuses: viewmodel.OpenStatuses(), UnacknowledgedFirst: true, PageSize: 2}
	var got []string
	cursor, pages := "", 0
	for {
		page, err := m.ListComplaints(q, cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page.Rows {
			got = append(got, r.ID)
		}
		if page.Next == "" || pages > 10 {
			break
		}
		cursor = page.Next
	}
	// Then the new ones come first, newest first, then the others
	want := []string{news[2], news[1], news[0], late, old2, old1}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %s, want %s", i, got[i], want[i])
		}
	}
}

func TestEngineerLoop(t *testing.T) {
	// Given a new complaint and the engineer signed in
	m, s := newModel(t, fixture.Engineer)
	id := fixture.File(t, s, fixture.Filing("Burr"))
	d, _ := m.Complaint(id)
	// When they acknowledge it with the default deadline (major: 5 days)
	deadline, err := m.DefaultDeadline(d.Complaint)
	if err != nil {
		t.Fatal(err)
	}
	if got := deadline.Sub(d.Complaint.FiledAt); got != 5*24*time.Hour {
		t.Errorf("default deadline = filed + %v, want 5 days", got)
	}
	must(t, m.Acknowledge(id, deadline, fixture.Engineer.Login, ""))
	// And record the analysis, propose two solutions
	why, root, fam := []string{"die worn", "no wear check"}, "No die wear check", domain.IshikawaMachine
	must(t, m.RecordAnalysis(id, domain.AnalysisPayload{Whys: &why, RootCause: &root, Ishikawa: &fam}))
	must(t, m.ProposeSolutions(id, []string{"Sort the lot", " ", "Replace the die"}))
	// Then the complaint shows them with ids S1 and S2
	d, _ = m.Complaint(id)
	if d.Complaint.Status != domain.StatusSolutionProposed || len(d.Complaint.Solutions) != 2 || d.Complaint.Solutions[1].ID != "S2" {
		t.Fatalf("complaint = %+v", d.Complaint)
	}
	// When the operator chooses S2 and the engineer assigns a corrective action
	signIn(m, fixture.Operator)
	must(t, m.ChooseSolution(id, "S2", ""))
	signIn(m, fixture.Engineer)
	var before uint64
	_ = s.View(func(tx *boltstore.Tx) error { before = tx.LogLen(); return nil })
	must(t, m.AssignAction(id, model.NewAction{Kind: domain.ActionCorrective, Title: "Replace die", Owner: fixture.Engineer2.Login, Due: time.Now().Add(48 * time.Hour)}))
	// Then both events were recorded together and the action is linked
	var after uint64
	_ = s.View(func(tx *boltstore.Tx) error { after = tx.LogLen(); return nil })
	if after-before != 2 {
		t.Errorf("assigning wrote %d events, want 2", after-before)
	}
	d, _ = m.Complaint(id)
	if d.Complaint.Status != domain.StatusActionsInProgress || len(d.Actions) != 1 || d.Actions[0].Owner != fixture.Engineer2.Login {
		t.Fatalf("after assigning: status %s, actions %+v", d.Complaint.Status, d.Actions)
	}
	// And the timeline names the authors and the action
	var sawAction bool
	for _, it := range d.Timeline {
		if it.Type == domain.ActionAssigned && it.Action == "Replace die" && it.Author == "Paul Martin" && it.Station == "PRESS2" {
			sawAction = true
		}
	}
	if !sawAction {
		t.Errorf("timeline lacks the action: %+v", d.Timeline)
	}
	// When the owner completes it and the engineer verifies it and resolves
	signIn(m, fixture.Engineer2)
	board, err := m.MyActions()
	if err != nil || len(board) != 1 || board[0].ComplaintNumber != d.Complaint.Number {
		t.Fatalf("board = %+v, %v", board, err)
	}
	must(t, m.StartAction(board[0].ID))
	must(t, m.CompleteAction(board[0].ID, "done"))
	signIn(m, fixture.Engineer)
	board, _ = m.MyActions()
	if len(board) != 1 || board[0].Status != domain.ActionStatusDone {
		t.Fatalf("engineer's board = %+v, want the done action to verify", board)
	}
	must(t, m.VerifyAction(board[0].ID, true, "no burr since"))
	must(t, m.Resolve(id, "Die replaced"))
	// Then the operator rates it and it is closed
	signIn(m, fixture.Operator)
	must(t, m.Verify(id, 4, "ok"))
	d, _ = m.Complaint(id)
	if d.Complaint.Status != domain.StatusClosed || d.Complaint.Rating != 4 {
		t.Errorf("status %s rating %d", d.Complaint.Status, d.Complaint.Rating)
	}
}

func TestAssignActionIsAtomic(t *testing.T) {
	// Given a complaint that is not yet acknowledged...
	m, s := newModel(t, fixture.Engineer)
	id := fixture.File(t, s, fixture.Filing("Burr"))
	var before uint64
	_ = s.View(func(tx *boltstore.Tx) error { before = tx.LogLen(); return nil })
	// When an action with no owner is assigned
	err := m.AssignAction(id, model.NewAction{Kind: domain.ActionCorrective, Title: "x", Due: time.Now().Add(time.Hour)})
	// Then the error names the owner and neither event was written
	if fieldOf(err) != "owner" {
		t.Fatalf("err = %v, want an owner error", err)
	}
	var after uint64
	_ = s.View(func(tx *boltstore.Tx) error { after = tx.LogLen(); return nil })
	if after != before {
		t.Errorf("%d events written", after-before)
	}
}

func TestOperatorDoesNotSeeInternalNotes(t *testing.T) {
	// Given a complaint with a message and an internal note
	m, s := newModel(t, fixture.Engineer)
	m.SetKeys(plantKeys)
	id := fixture.Acknowledged(t, s, "Burr")
	must(t, m.PostMessage(id, "We are on it", false))
	must(t, m.PostMessage(id, "Supplier is careless", true))
	// When the operator opens it
	signIn(m, fixture.Operator)
	d, _ := m.Complaint(id)
	// Then only the message shows, in the messages and in the timeline
	if len(d.Complaint.Messages) != 1 || d.Complaint.Messages[0].Text != "We are on it" {
		t.Errorf("messages = %+v", d.Complaint.Messages)
	}
	for _, it := range d.Timeline {
		if p, ok := it.Payload.(*domain.MessagePayload); ok && p.Internal {
			t.Error("internal note in the operator's timeline")
		}
	}
	// While the engineer sees both
	signIn(m, fixture.Engineer)
	m.SetKeys(plantKeys)
	if d, _ := m.Complaint(id); len(d.Complaint.Messages) != 2 {
		t.Errorf("engineer sees %d messages", len(d.Complaint.Messages))
	}
}

func TestRejectReexamineDuplicate(t *testing.T) {
	m, s := newModel(t, fixture.Engineer)
	first := fixture.File(t, s, fixture.Filing("Burr"))
	second := fixture.File(t, s, fixture.Filing("Burr again"))
	// When the engineer rejects the first without a reason
	if err := m.Reject(first, " "); fieldOf(err) != "reason" {
		t.Fatalf("err = %v, want a reason error", err)
	}
	must(t, m.Reject(first, "Not a defect: within tolerance"))
	// Then the operator may ask for a re-examination
	signIn(m, fixture.Operator)
	must(t, m.RequestReexamination(first, "Out of tolerance by 0.3 mm"))
	d, _ := m.Complaint(first)
	if d.Complaint.Status != domain.StatusNew || d.Complaint.Reexaminations != 1 {
		t.Errorf("status %s", d.Complaint.Status)
	}
	// And the engineer marks the second as a duplicate of the first by number
	signIn(m, fixture.Engineer)
	if err := m.MarkDuplicate(second, "NOPE-2026-0001"); fieldOf(err) != "of" {
		t.Fatalf("err = %v, want an 'of' error", err)
	}
	must(t, m.MarkDuplicate(second, d.Complaint.Number))
	d2, _ := m.Complaint(second)
	if d2.Complaint.Status != domain.StatusDuplicate || d2.Duplicate != d.Complaint.Number {
		t.Errorf("duplicate: status %s of %q", d2.Complaint.Status, d2.Duplicate)
	}
}

func TestEscalateAndConflict(t *testing.T) {
	m, s := newModel(t, fixture.Operator)
	id := fixture.Acknowledged(t, s, "Burr")
	must(t, m.Escalate(id, fixture.Manager.Login, "Line stopped"))
	d, _ := m.Complaint(id)
	if len(d.Complaint.Escalations) != 1 {
		t.Fatalf("escalations = %+v", d.Complaint.Escalations)
	}
	// An operator may not settle conflicts; an engineer may
	if err := m.ResolveConflict(id, "assignee", json.RawMessage(`"eng.lea"`)); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("operator resolving: %v", err)
	}
	signIn(m, fixture.Engineer)
	must(t, m.ResolveConflict(id, "assignee", json.RawMessage(`"eng.lea"`)))
	if d, _ := m.Complaint(id); d.Complaint.Assignee != "eng.lea" {
		t.Errorf("assignee = %s", d.Complaint.Assignee)
	}
}

func TestPlans(t *testing.T) {
	// Given two complaints against CUT1
	m, s := newModel(t, fixture.Engineer)
	a := fixture.File(t, s, fixture.Filing("Burr"))
	b := fixture.File(t, s, fixture.Filing("Burr again"))
	cands, err := m.PlanCandidates("CUT1", "")
	if err != nil || len(cands) != 2 {
		t.Fatalf("candidates %v, %v", cands, err)
	}
	// When the engineer drafts a plan from them, adds an action and submits it
	id, err := m.DraftPlan(model.NewPlan{Title: "Die wear", SupplierStation: "CUT1", Complaints: []string{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	must(t, m.AddPlanAction(id, model.NewAction{Title: "Weekly die check", Owner: fixture.Engineer2.Login, Due: time.Now().Add(30 * 24 * time.Hour)}))
	must(t, m.SubmitPlan(id, ""))
	d, err := m.Plan(id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Plan.Status != domain.PlanStatusSubmitted || len(d.Complaints) != 2 || len(d.Actions) != 1 || d.Plan.Categories[0] != "dimensional" {
		t.Fatalf("plan = %+v", d)
	}
	// When the manager signs with a wrong password
	signIn(m, fixture.Manager)
	if err := m.SignPlan(id, true, "Go", "I approve", "wrong"); fieldOf(err) != "password" {
		t.Fatalf("err = %v, want a password error", err)
	}
	// Then nothing changed; with the right one the plan is approved, signed
	must(t, m.SignPlan(id, true, "Go", "I approve this plan", "s3cret"))
	d, _ = m.Plan(id)
	so := d.Plan.SignOffs
	if d.Plan.Status != domain.PlanStatusApproved || len(so) != 1 || so[0].By != fixture.Manager.Login || so[0].Meaning != "I approve this plan" {
		t.Fatalf("plan = %+v", d.Plan)
	}
	// And it can be started, then evaluated
	must(t, m.StartPlan(id))
	must(t, m.EvaluatePlan(id, true, "no recurrence in 3 months"))
	if d, _ = m.Plan(id); d.Plan.Status != domain.PlanStatusEffective {
		t.Errorf("status = %s", d.Plan.Status)
	}
}

func TestPlantActions(t *testing.T) {
	// Given actions on complaints against CUT1 and PAINT
	m, s := newModel(t, fixture.Engineer)
	for _, sup := range []string{"CUT1", "PAINT", "CUT1"} {
		p := fixture.Filing("x")
		p.SupplierStation = sup
		id := fixture.File(t, s, p)
		fixture.Do(t, s, fixture.Engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: time.Now().Add(time.Hour), Assignee: fixture.Engineer.Login})
		must(t, m.AssignAction(id, model.NewAction{Kind: domain.ActionContainment, Title: "Sort " + sup, Owner: fixture.Engineer.Login, Due: time.Now().Add(time.Hour)}))
	}
	// When the manager lists the plant's actions of CUT1, one per page
	signIn(m, fixture.Manager)
	page, err := m.PlantActions(model.ActionQuery{Station: "CUT1", PageSize: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Then pages skip PAINT's action
	if len(page.Rows) != 1 || page.Rows[0].Station != "CUT1" || page.Next == "" {
		t.Fatalf("page 1 = %+v", page)
	}
	page, _ = m.PlantActions(model.ActionQuery{Station: "CUT1", PageSize: 1}, page.Next)
	if len(page.Rows) != 1 || page.Rows[0].Station != "CUT1" {
		t.Fatalf("page 2 = %+v", page)
	}
	// And none is overdue yet
	if page, _ := m.PlantActions(model.ActionQuery{Overdue: true}, ""); len(page.Rows) != 0 {
		t.Errorf("overdue = %+v", page.Rows)
	}
	m.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	if page, _ := m.PlantActions(model.ActionQuery{Overdue: true}, ""); len(page.Rows) != 3 {
		t.Errorf("overdue two hours later: %d", len(page.Rows))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
