package domain_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"boucle/shared/domain"
)

// The users of the test workstation.
const (
	olga = "olga" // operator at PRESS2: files the complaints
	otto = "otto" // another operator
	eric = "eric" // quality engineer
	mona = "mona" // plant manager
	adam = "adam" // administrator
)

const cid = "c1" // the complaint under test

func newDesk() *replica { return newWorld().replica("ws-press2", olga, domain.RoleOperator, 0) }

// complaintPath lists the steps that bring a complaint to each status.
var complaintPath = map[domain.ComplaintStatus][]step{
	domain.StatusNew:               {fileStep},
	domain.StatusAcknowledged:      {fileStep, ackStep},
	domain.StatusInvestigating:     {fileStep, ackStep, analyseStep},
	domain.StatusSolutionProposed:  {fileStep, ackStep, analyseStep, proposeStep},
	domain.StatusSolutionChosen:    {fileStep, ackStep, analyseStep, proposeStep, chooseStep},
	domain.StatusActionsInProgress: {fileStep, ackStep, analyseStep, proposeStep, chooseStep, linkStep},
	domain.StatusResolved:          {fileStep, ackStep, analyseStep, proposeStep, chooseStep, linkStep, resolveStep},
	domain.StatusClosed:            {fileStep, ackStep, analyseStep, proposeStep, chooseStep, linkStep, resolveStep, verifyStep},
	domain.StatusRejected:          {fileStep, ackStep, {eric, domain.RoleEngineer, domain.ComplaintRejected, func() domain.Payload { return reason("not ours") }}},
	domain.StatusDuplicate:         {fileStep, {eric, domain.RoleEngineer, domain.ComplaintMarkedDuplicate, func() domain.Payload { return &domain.DuplicatePayload{Of: "c0", Number: "PRESS2-2026-0001"} }}},
	domain.StatusWithdrawn:         {fileStep, {olga, domain.RoleOperator, domain.ComplaintWithdrawn, func() domain.Payload { return reason("sorted it ourselves") }}},
}

// step is one event by one user.
type step struct {
	author  string
	role    domain.Role
	typ     domain.EventType
	payload func() domain.Payload
}

var (
	fileStep    = step{olga, domain.RoleOperator, domain.ComplaintFiled, func() domain.Payload { return filedPayload("PRESS2-2026-0042") }}
	ackStep     = step{eric, domain.RoleEngineer, domain.ComplaintAcknowledged, func() domain.Payload { return ackPayload() }}
	analyseStep = step{eric, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, func() domain.Payload { return analysisPayload("worn punch") }}
	proposeStep = step{eric, domain.RoleEngineer, domain.ComplaintSolutionProposed, func() domain.Payload { return proposePayload("s1", "s2") }}
	chooseStep  = step{olga, domain.RoleOperator, domain.ComplaintSolutionChosen, func() domain.Payload { return &domain.ChooseSolutionPayload{SolutionID: "s1"} }}
	linkStep    = step{eric, domain.RoleEngineer, domain.ComplaintActionLinked, func() domain.Payload { return linkPayload("a1", domain.ActionCorrective) }}
	resolveStep = step{eric, domain.RoleEngineer, domain.ComplaintResolved, func() domain.Payload { return &domain.ResolvePayload{Summary: "punch re-centred"} }}
	verifyStep  = step{olga, domain.RoleOperator, domain.ComplaintVerified, func() domain.Payload { return &domain.VerifyPayload{Rating: 4, Comment: "fine"} }}
)

// complaintIn returns a desk where complaint c1 is in the status.
func complaintIn(t *testing.T, status domain.ComplaintStatus) *replica {
	t.Helper()
	r := newDesk()
	for _, s := range complaintPath[status] {
		r.mustEmitAs(t, s.author, s.role, s.typ, cid, s.payload())
	}
	if got := r.complaint(cid).Status; got != status {
		t.Fatalf("path to %s ends in %s", status, got)
	}
	return r
}

// refusal is how a transition is refused: a rule, or a field when the
// payload does not fit the state.
type refusal struct {
	code  domain.Code
	rule  string
	field string
}

func (f refusal) flagRule() string {
	if f.rule != "" {
		return f.rule
	}
	return string(f.code) + "." + f.field
}

// transition is one row of a transition table: who emits what, from which
// statuses it is allowed and where it leads (absent: refused).
type transition struct {
	step
	variant string // tells apart rows of the same event type
	allowed map[domain.ComplaintStatus]domain.ComplaintStatus
	refused func(from domain.ComplaintStatus) refusal
}

func conflict(rule string) func(domain.ComplaintStatus) refusal {
	return func(domain.ComplaintStatus) refusal { return refusal{code: domain.EConflict, rule: rule} }
}

// same maps each status to itself: the event is allowed and moves nothing.
func same(statuses ...domain.ComplaintStatus) map[domain.ComplaintStatus]domain.ComplaintStatus {
	m := map[domain.ComplaintStatus]domain.ComplaintStatus{}
	for _, s := range statuses {
		m[s] = s
	}
	return m
}

func to(target domain.ComplaintStatus, from ...domain.ComplaintStatus) map[domain.ComplaintStatus]domain.ComplaintStatus {
	m := map[domain.ComplaintStatus]domain.ComplaintStatus{}
	for _, s := range from {
		m[s] = target
	}
	return m
}

func merge[K comparable, V any](ms ...map[K]V) map[K]V {
	out := map[K]V{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var (
	openStatuses = []domain.ComplaintStatus{domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating,
		domain.StatusSolutionProposed, domain.StatusSolutionChosen, domain.StatusActionsInProgress, domain.StatusResolved}
	analysable = []domain.ComplaintStatus{domain.StatusAcknowledged, domain.StatusInvestigating,
		domain.StatusSolutionProposed, domain.StatusSolutionChosen, domain.StatusActionsInProgress}
	withSolutions = []domain.ComplaintStatus{domain.StatusSolutionProposed, domain.StatusSolutionChosen,
		domain.StatusActionsInProgress, domain.StatusResolved, domain.StatusClosed}
)

// complaintTransitions is the complaint's transition table, written from
// the issue: for every event type, the statuses that allow it.
var complaintTransitions = []transition{
	{step: step{olga, domain.RoleOperator, domain.ComplaintFiled, func() domain.Payload { return filedPayload("PRESS2-2026-0043") }},
		allowed: nil, refused: conflict("complaint.unique")},
	{step: ackStep, allowed: to(domain.StatusAcknowledged, domain.StatusNew), refused: conflict("complaint.acknowledge")},
	{step: step{mona, domain.RoleManager, domain.ComplaintAssigned, func() domain.Payload { return &domain.AssignPayload{Assignee: "erin"} }},
		allowed: same(openStatuses...), refused: conflict("complaint.assign")},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintDeadlineRescheduled, func() domain.Payload {
		return &domain.ReschedulePayload{Deadline: epoch.Add(9 * 24 * time.Hour), Reason: "supplier on holiday"}
	}}, allowed: same(analysable...), refused: conflict("complaint.reschedule")},
	{step: analyseStep, allowed: merge(same(analysable...), to(domain.StatusInvestigating, domain.StatusAcknowledged)),
		refused: conflict("complaint.analyse")},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintSolutionProposed, func() domain.Payload { return proposePayload("s9") }},
		allowed: to(domain.StatusSolutionProposed, domain.StatusInvestigating, domain.StatusSolutionProposed), refused: conflict("complaint.propose")},
	{step: chooseStep, allowed: to(domain.StatusSolutionChosen, domain.StatusSolutionProposed),
		refused: func(from domain.ComplaintStatus) refusal {
			if slices.Contains(withSolutions, from) {
				return refusal{code: domain.EConflict, rule: "complaint.choose"}
			}
			return refusal{code: domain.EInvalid, field: "solution_id"} // nothing proposed yet
		}},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintActionLinked, func() domain.Payload { return linkPayload("a9", domain.ActionCorrective) }},
		variant: "corrective", allowed: to(domain.StatusActionsInProgress, domain.StatusSolutionChosen, domain.StatusActionsInProgress),
		refused: conflict("complaint.link_action")},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintActionLinked, func() domain.Payload { return linkPayload("a8", domain.ActionContainment) }},
		variant: "containment", allowed: same(domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating, domain.StatusSolutionProposed,
			domain.StatusSolutionChosen, domain.StatusActionsInProgress),
		refused: conflict("complaint.link_action")},
	{step: resolveStep, allowed: to(domain.StatusResolved, domain.StatusSolutionChosen, domain.StatusActionsInProgress),
		refused: conflict("complaint.resolve")},
	{step: verifyStep, allowed: to(domain.StatusClosed, domain.StatusResolved), refused: conflict("complaint.verify")},
	{step: step{olga, domain.RoleOperator, domain.ComplaintReopened, func() domain.Payload { return reason("burrs again") }},
		allowed: to(domain.StatusInvestigating, domain.StatusResolved, domain.StatusClosed), refused: conflict("complaint.reopen")},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintRejected, func() domain.Payload { return reason("not a defect") }},
		allowed: to(domain.StatusRejected, domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating),
		refused: conflict("complaint.reject")},
	{step: step{olga, domain.RoleOperator, domain.ComplaintReexaminationRequested, func() domain.Payload { return reason("see the photos") }},
		allowed: to(domain.StatusNew, domain.StatusRejected), refused: conflict("complaint.reexamine")},
	{step: step{otto, domain.RoleOperator, domain.ComplaintEscalated, func() domain.Payload {
		return &domain.EscalatePayload{Supervisor: "sam", Reason: "line stopped"}
	}}, allowed: same(openStatuses...), refused: conflict("complaint.escalate")},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintMarkedDuplicate, func() domain.Payload { return &domain.DuplicatePayload{Of: "c0"} }},
		allowed: to(domain.StatusDuplicate, domain.StatusNew, domain.StatusAcknowledged, domain.StatusInvestigating),
		refused: conflict("complaint.duplicate")},
	{step: step{olga, domain.RoleOperator, domain.ComplaintWithdrawn, func() domain.Payload { return reason("our mistake") }},
		allowed: to(domain.StatusWithdrawn, domain.StatusNew, domain.StatusAcknowledged), refused: conflict("complaint.withdraw")},
	{step: step{otto, domain.RoleOperator, domain.ComplaintMessagePosted, func() domain.Payload { return &domain.MessagePayload{Text: "any news?"} }},
		allowed: same(domain.ComplaintStatuses...)},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintMessagePosted, func() domain.Payload {
		return &domain.MessagePayload{Internal: true, Sealed: "k1:c3VwcGxpZXIgc2xvdw"}
	}}, variant: "internal", allowed: same(domain.ComplaintStatuses...)},
	{step: step{otto, domain.RoleOperator, domain.ComplaintAttachmentAdded, func() domain.Payload {
		return &domain.AttachmentPayload{Attachment: domain.Attachment{SHA256: sha('b'), Name: "gauge.pdf", Size: 3000}}
	}}, allowed: same(openStatuses...), refused: conflict("complaint.attach")},
	{step: step{mona, domain.RoleManager, domain.ComplaintConflictResolved, func() domain.Payload {
		return &domain.ResolveConflictPayload{Field: "root_cause", Value: json.RawMessage(`"worn punch and no gauge"`)}
	}}, allowed: same(domain.ComplaintStatuses...)},
	// deciding the problem is analysis, in every status, closed included
	{step: step{eric, domain.RoleEngineer, domain.ComplaintProblemConfirmed, func() domain.Payload { return &domain.ProblemDecisionPayload{Problem: "c0"} }},
		allowed: same(domain.ComplaintStatuses...)},
	{step: step{mona, domain.RoleManager, domain.ComplaintProblemMoved, func() domain.Payload { return &domain.ProblemDecisionPayload{Problem: "p-new"} }},
		allowed: same(domain.ComplaintStatuses...)},
	{step: step{eric, domain.RoleEngineer, domain.ComplaintProblemDenied, func() domain.Payload { return &domain.ProblemDecisionPayload{Problem: "c0"} }},
		allowed: same(domain.ComplaintStatuses...)},
}

func TestComplaintTransitions(t *testing.T) {
	covered := map[domain.EventType]bool{}
	for _, tr := range complaintTransitions {
		covered[tr.typ] = true
		for _, from := range domain.ComplaintStatuses {
			name := fmt.Sprintf("%s/%s/from_%s", tr.typ, strings.TrimSuffix(string(tr.role)+"_"+tr.variant, "_"), from)
			want, ok := tr.allowed[from]
			t.Run(name, func(t *testing.T) {
				r := complaintIn(t, from)
				before := len(r.events)
				_, err := r.emitAs(tr.author, tr.role, tr.typ, cid, tr.payload())
				if ok {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if got := r.complaint(cid).Status; got != want {
						t.Fatalf("status %s, want %s", got, want)
					}
					return
				}
				// Refused by Decide: a typed error naming the rule, and nothing written.
				f := tr.refused(from)
				if f.rule != "" {
					wantRule(t, err, f.code, f.rule)
				} else {
					wantField(t, err, f.code, f.field)
				}
				if len(r.events) != before {
					t.Fatal("a refused event was recorded")
				}
				// Recorded anyway (a concurrent or buggy replica): the fold keeps
				// it as a flag naming the same rule and the status stays.
				e := r.force(t, tr.author, tr.role, tr.typ, cid, tr.payload())
				s := r.state(domain.EntityKey{Type: domain.EntityComplaint, ID: cid})
				if s.Complaint.Status != from {
					t.Fatalf("forced event moved the status to %s", s.Complaint.Status)
				}
				if n := len(s.Meta.Flags); n != 1 || s.Meta.Flags[0].Event != e.ID || s.Meta.Flags[0].Rule != f.flagRule() {
					t.Fatalf("flags %+v, want one for %s with rule %s", s.Meta.Flags, e.ID, f.flagRule())
				}
				if !s.Has(e.ID) {
					t.Fatal("the flagged event is not in the fold")
				}
			})
		}
	}
	for _, typ := range domain.EventTypes() {
		if et, _ := domain.EntityOf(typ); et == domain.EntityComplaint && !covered[typ] {
			t.Errorf("%s has no row in the transition table", typ)
		}
	}
}

func TestComplaintMissing(t *testing.T) {
	r := newDesk()
	for _, tr := range complaintTransitions[1:] {
		_, err := r.emitAs(tr.author, tr.role, tr.typ, "nope", tr.payload())
		wantRule(t, err, domain.ENotFound, "complaint.exists")
	}
}

func TestComplaintFiled(t *testing.T) {
	r := complaintIn(t, domain.StatusNew)
	c := r.complaint(cid)
	p := filedPayload("PRESS2-2026-0042")
	if c.ID != cid || c.Number != p.Number || c.FilingStation != "PRESS2" || c.SupplierStation != "CUT1" ||
		c.PartRef != p.PartRef || c.Lot != p.Lot || c.Quantity != 40 || c.Category != "dimensional" ||
		c.Severity != domain.SeverityMajor || c.Kind != domain.KindClaim || c.Remedy != domain.RemedySorting ||
		c.Description != p.Description || !slices.Equal(c.Attachments, p.Attachments) {
		t.Fatalf("filed complaint %+v", c)
	}
	if c.FiledBy != olga || c.FiledAt.IsZero() || !c.StatusChangedAt.Equal(c.FiledAt) {
		t.Fatalf("filed by %q at %v (status changed %v)", c.FiledBy, c.FiledAt, c.StatusChangedAt)
	}
}

func TestAcknowledgeRecordsDeadlineAndAssignee(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	c := r.complaint(cid)
	if c.AcknowledgedBy != eric || c.AcknowledgedAt.IsZero() || c.Assignee != "eric" || !c.Deadline.Equal(ackPayload().Deadline) {
		t.Fatalf("%+v", c)
	}
	if !c.Overdue(c.Deadline.Add(time.Minute)) || c.Overdue(c.Deadline.Add(-time.Minute)) {
		t.Fatal("Overdue does not follow the deadline")
	}

	// The announced deadline must come after the filing.
	r = complaintIn(t, domain.StatusNew)
	_, err := r.emitAs(eric, domain.RoleEngineer, domain.ComplaintAcknowledged, cid,
		&domain.AcknowledgePayload{Deadline: epoch.Add(-time.Hour), Assignee: "eric"})
	wantField(t, err, domain.EInvalid, "deadline")
}

func TestAnalysisFieldsAreIndependent(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, cid,
		&domain.AnalysisPayload{Containment: ptr("100% sorting"), Whys: &[]string{"burrs", "worn punch"}})
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, cid,
		&domain.AnalysisPayload{Ishikawa: ptr(domain.IshikawaMachine), RootCause: ptr("punch changed too late")})
	c := r.complaint(cid)
	if c.Status != domain.StatusInvestigating || c.Containment != "100% sorting" || !slices.Equal(c.Whys, []string{"burrs", "worn punch"}) ||
		c.Ishikawa != domain.IshikawaMachine || c.RootCause != "punch changed too late" {
		t.Fatalf("%+v", c)
	}
}

func TestProposeTwiceKeepsEveryOption(t *testing.T) {
	r := complaintIn(t, domain.StatusSolutionProposed)
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintSolutionProposed, cid, proposePayload("s3"))
	c := r.complaint(cid)
	var ids []string
	for _, s := range c.Solutions {
		ids = append(ids, s.ID)
		if s.ProposedBy != eric || s.At.IsZero() || s.Text == "" {
			t.Fatalf("solution %+v", s)
		}
	}
	if !slices.Equal(ids, []string{"s1", "s2", "s3"}) {
		t.Fatalf("solutions %v", ids)
	}
	// An option id already proposed is refused, naming the option.
	_, err := r.emitAs(eric, domain.RoleEngineer, domain.ComplaintSolutionProposed, cid, proposePayload("s4", "s2"))
	wantField(t, err, domain.EInvalid, "options[1].id")
}

func TestChooseNonProposedSolution(t *testing.T) {
	r := complaintIn(t, domain.StatusSolutionProposed)
	_, err := r.emitAs(olga, domain.RoleOperator, domain.ComplaintSolutionChosen, cid, &domain.ChooseSolutionPayload{SolutionID: "s7"})
	wantField(t, err, domain.EInvalid, "solution_id")
	r.mustEmitAs(t, olga, domain.RoleOperator, domain.ComplaintSolutionChosen, cid, &domain.ChooseSolutionPayload{SolutionID: "s2"})
	if c := r.complaint(cid); c.ChosenSolution != "s2" {
		t.Fatalf("chosen %q", c.ChosenSolution)
	}
}

func TestLinkActionTwiceRefused(t *testing.T) {
	r := complaintIn(t, domain.StatusActionsInProgress)
	_, err := r.emitAs(eric, domain.RoleEngineer, domain.ComplaintActionLinked, cid, linkPayload("a1", domain.ActionPreventive))
	wantField(t, err, domain.EInvalid, "action_id")
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintActionLinked, cid, linkPayload("a2", domain.ActionPreventive))
	want := []domain.ActionLink{{ID: "a1", Kind: domain.ActionCorrective, Title: "Re-centre the punch a1"},
		{ID: "a2", Kind: domain.ActionPreventive, Title: "Re-centre the punch a2"}}
	if got := r.complaint(cid).Actions; !slices.Equal(got, want) {
		t.Fatalf("actions %+v", got)
	}
}

func TestResolveAndVerify(t *testing.T) {
	r := complaintIn(t, domain.StatusClosed)
	c := r.complaint(cid)
	if c.Resolution != "punch re-centred" || c.ResolvedAt.IsZero() || c.Rating != 4 || c.RatingComment != "fine" ||
		c.ClosedAt.IsZero() || c.ClosedAt.Before(c.ResolvedAt) || c.Status.Open() {
		t.Fatalf("%+v", c)
	}
	if c.Overdue(c.Deadline.Add(time.Hour)) {
		t.Fatal("a closed complaint is never overdue")
	}
}

func TestReopenCountsAndReturnsToInvestigating(t *testing.T) {
	r := complaintIn(t, domain.StatusClosed)
	r.mustEmitAs(t, olga, domain.RoleOperator, domain.ComplaintReopened, cid, reason("burrs again"))
	c := r.complaint(cid)
	if c.Status != domain.StatusInvestigating || c.Reopens != 1 || c.Rating != 0 || c.RatingComment != "" ||
		!c.ClosedAt.IsZero() || !c.ResolvedAt.IsZero() {
		t.Fatalf("after reopen: %+v", c)
	}
	if m := c.Messages[len(c.Messages)-1]; m.Author != olga || m.Text != "burrs again" || m.Internal {
		t.Fatalf("the reason is not shown as a message: %+v", m)
	}
	// Second loop: propose, choose, resolve, then reopen from resolved.
	for _, s := range []step{
		{eric, domain.RoleEngineer, domain.ComplaintSolutionProposed, func() domain.Payload { return proposePayload("s3") }},
		{olga, domain.RoleOperator, domain.ComplaintSolutionChosen, func() domain.Payload { return &domain.ChooseSolutionPayload{SolutionID: "s3"} }},
		resolveStep,
		{olga, domain.RoleOperator, domain.ComplaintReopened, func() domain.Payload { return reason("still there") }},
	} {
		r.mustEmitAs(t, s.author, s.role, s.typ, cid, s.payload())
	}
	if c := r.complaint(cid); c.Status != domain.StatusInvestigating || c.Reopens != 2 {
		t.Fatalf("after second reopen: %s, %d reopens", c.Status, c.Reopens)
	}
}

func TestReexaminationAfterRejection(t *testing.T) {
	r := complaintIn(t, domain.StatusRejected)
	if c := r.complaint(cid); c.RejectionReason != "not ours" {
		t.Fatalf("rejection reason %q", c.RejectionReason)
	}
	r.mustEmitAs(t, olga, domain.RoleOperator, domain.ComplaintReexaminationRequested, cid, reason("see the photos"))
	c := r.complaint(cid)
	if c.Status != domain.StatusNew || c.Reexaminations != 1 {
		t.Fatalf("%s, %d re-examinations", c.Status, c.Reexaminations)
	}
	// The engineer takes it again from the start.
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintAcknowledged, cid, ackPayload())
	if c := r.complaint(cid); c.Status != domain.StatusAcknowledged {
		t.Fatalf("status %s", c.Status)
	}
}

func TestWithdrawalOnlyByTheFiler(t *testing.T) {
	for _, from := range []domain.ComplaintStatus{domain.StatusNew, domain.StatusAcknowledged} {
		r := complaintIn(t, from)
		_, err := r.emitAs(otto, domain.RoleOperator, domain.ComplaintWithdrawn, cid, reason("not mine"))
		wantRule(t, err, domain.EForbidden, "complaint.withdraw")
		r.mustEmitAs(t, olga, domain.RoleOperator, domain.ComplaintWithdrawn, cid, reason("mine"))
		if c := r.complaint(cid); c.Status != domain.StatusWithdrawn || c.WithdrawnReason != "mine" {
			t.Fatalf("%s %q", c.Status, c.WithdrawnReason)
		}
	}
}

func TestDuplicateOfItselfRefused(t *testing.T) {
	r := complaintIn(t, domain.StatusNew)
	_, err := r.emitAs(eric, domain.RoleEngineer, domain.ComplaintMarkedDuplicate, cid, &domain.DuplicatePayload{Of: cid})
	wantField(t, err, domain.EInvalid, "of")
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintMarkedDuplicate, cid, &domain.DuplicatePayload{Of: "c0"})
	if c := r.complaint(cid); c.DuplicateOf != "c0" || c.Status != domain.StatusDuplicate {
		t.Fatalf("%+v", c)
	}
}

func TestInternalNotes(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	_, err := r.emitAs(olga, domain.RoleOperator, domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Internal: true, Sealed: "k1:cHNzdA"})
	wantRule(t, err, domain.EForbidden, "complaint.internal_note")
	_, err = r.emitAs(eric, domain.RoleEngineer, domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Text: "supplier slow", Internal: true})
	wantRule(t, err, domain.EInvalid, "complaint.internal_note_sealed")
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Internal: true, Sealed: "k1:c3VwcGxpZXIgc2xvdw"})
	r.mustEmitAs(t, olga, domain.RoleOperator, domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Text: "any news?"})
	r.mustEmitAs(t, adam, domain.RoleAdmin, domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Text: "moved to line 2"})
	var got []domain.Message
	for _, m := range r.complaint(cid).Messages {
		m.At = time.Time{}
		got = append(got, m)
	}
	want := []domain.Message{
		{Author: eric, Role: domain.RoleEngineer, Internal: true, Sealed: "k1:c3VwcGxpZXIgc2xvdw"},
		{Author: olga, Role: domain.RoleOperator, Text: "any news?"},
		{Author: adam, Role: domain.RoleAdmin, Text: "moved to line 2"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("messages %+v", got)
	}
}

func TestEscalations(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	r.mustEmitAs(t, olga, domain.RoleOperator, domain.ComplaintEscalated, cid, &domain.EscalatePayload{Supervisor: "sam", Reason: "line stopped"})
	r.mustEmitAs(t, "system", domain.RoleSystem, domain.ComplaintEscalated, cid,
		&domain.EscalatePayload{Supervisor: "sam", Reason: "deadline passed", Automatic: true})
	es := r.complaint(cid).Escalations
	if len(es) != 2 || es[0].By != olga || es[0].Automatic || es[1].By != "system" || !es[1].Automatic || es[1].Supervisor != "sam" || es[1].At.IsZero() {
		t.Fatalf("escalations %+v", es)
	}
}

func TestEscalationByAPersonIsNeverAutomatic(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	_, err := r.emitAs(olga, domain.RoleOperator, domain.ComplaintEscalated, cid,
		&domain.EscalatePayload{Supervisor: "sam", Reason: "deadline passed", Automatic: true})
	if de := domain.AsError(err); de.Code != domain.EInvalid || de.Field != "automatic" {
		t.Fatalf("err = %v", err)
	}
}

func TestRescheduleBeforeFilingIsRefused(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	filed := r.complaint(cid).FiledAt
	_, err := r.emitAs(eric, domain.RoleEngineer, domain.ComplaintDeadlineRescheduled, cid,
		&domain.ReschedulePayload{Deadline: filed.Add(-time.Hour), Reason: "typo"})
	if de := domain.AsError(err); de.Code != domain.EInvalid || de.Field != "deadline" {
		t.Fatalf("err = %v", err)
	}
}

func TestAttachmentsAreDeduplicated(t *testing.T) {
	r := complaintIn(t, domain.StatusNew)
	a := domain.Attachment{SHA256: sha('a'), Name: "again.jpg", Size: 5} // same bytes as the filed photo
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintAttachmentAdded, cid, &domain.AttachmentPayload{Attachment: a})
	a.SHA256 = sha('c')
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintAttachmentAdded, cid, &domain.AttachmentPayload{Attachment: a})
	if got := r.complaint(cid).Attachments; len(got) != 2 || got[0].Name != "photo.jpg" || got[1].SHA256 != sha('c') {
		t.Fatalf("attachments %+v", got)
	}
}

func TestStatusChangedAt(t *testing.T) {
	r := complaintIn(t, domain.StatusAcknowledged)
	ack := r.complaint(cid).StatusChangedAt
	r.mustEmitAs(t, olga, domain.RoleOperator, domain.ComplaintMessagePosted, cid, &domain.MessagePayload{Text: "hi"})
	if got := r.complaint(cid).StatusChangedAt; !got.Equal(ack) {
		t.Fatal("a message changed StatusChangedAt")
	}
	e := r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintAnalysisRecorded, cid, analysisPayload("x"))
	if got := r.complaint(cid).StatusChangedAt; !got.Equal(e.HLC.Time()) {
		t.Fatalf("StatusChangedAt %v, want %v", got, e.HLC.Time())
	}
}
