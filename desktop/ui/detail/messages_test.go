package detail

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

// The note typed for the complainant while acknowledging used to be shown
// nowhere: the fold keeps it in the event only, and the timeline's
// sentence left it out.
func TestAcknowledgeNoteUnderMessagesAndTimeline(t *testing.T) {
	// Given a new complaint, acknowledged by the engineer with a note
	s := seeded(t)
	id := fixture.File(t, s, fixture.Filing("Burr on the edge"))
	r := open(t, s, fixture.Engineer, id)
	r.tap("Acknowledge")
	note := "We sort the lot at CUT1 tomorrow morning"
	test.Type(r.entry("note"), note)
	test.Tap(r.sc.Submit())
	if c := r.complaint(); c.Status != domain.StatusAcknowledged {
		t.Fatalf("status %s", c.Status)
	}
	// When the operator who filed it opens the complaint
	op := open(t, s, fixture.Operator, id)
	// Then the note is under Messages, with its author and time
	msgs := op.complaint().Messages
	if len(msgs) != 1 || msgs[0].Text != note || msgs[0].Author != fixture.Engineer.Login {
		t.Fatalf("messages = %+v", msgs)
	}
	if !uitest.HasText(op.sc.Object(), note) {
		t.Error("the note is not shown under Messages")
	}
	if who := "Paul Martin · " + shownTime(msgs[0].At); !uitest.HasText(op.sc.Object(), who) {
		t.Errorf("no author and time %q above the note: %v", who, uitest.Texts(op.sc.Object(), "Paul Martin"))
	}
	if uitest.HasText(op.sc.Object(), "No message yet.") {
		t.Error("Messages says there is none")
	}
	// And the timeline tells it, in words
	op.sc.Show("timeline")
	if !uitest.HasText(op.sc.Object(), "Note to the complainant: "+note) {
		t.Errorf("timeline lacks the note: %v", uitest.Texts(op.sc.Object(), "Acknowledged"))
	}
}

// shownTime is how the screen writes an instant.
func shownTime(at time.Time) string { return at.Local().Format("2006-01-02 15:04") }

// Every event's free text reaches the timeline's sentence: the reasons,
// notes, comments and descriptions people typed.
func TestEveryFreeTextReachesTheTimeline(t *testing.T) {
	uitest.New(t) // the language
	due := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	whys := []string{"die worn", "no wear check"}
	root, contain := "worn die", "lot quarantined"
	tests := []struct {
		name    string
		typ     domain.EventType
		payload domain.Payload
		want    []string
	}{
		{"filing description", domain.ComplaintFiled, fixture.Filing("burr on every edge"), []string{"burr on every edge"}},
		{"acknowledge note", domain.ComplaintAcknowledged, &domain.AcknowledgePayload{Deadline: due, Assignee: "eng.paul", Note: "sorting tomorrow"}, []string{"sorting tomorrow"}},
		{"deadline moved", domain.ComplaintDeadlineRescheduled, &domain.ReschedulePayload{Deadline: due, Reason: "supplier closed"}, []string{"supplier closed"}},
		{"analysis", domain.ComplaintAnalysisRecorded, &domain.AnalysisPayload{Whys: &whys, RootCause: &root, Containment: &contain}, []string{"die worn", "no wear check", root, contain}},
		{"solutions", domain.ComplaintSolutionProposed, &domain.ProposeSolutionPayload{Options: []domain.SolutionOption{{ID: "S1", Text: "replace the die"}}}, []string{"replace the die"}},
		{"choice comment", domain.ComplaintSolutionChosen, &domain.ChooseSolutionPayload{SolutionID: "S1", Comment: "fine by us"}, []string{"fine by us"}},
		{"resolution", domain.ComplaintResolved, &domain.ResolvePayload{Summary: "die replaced"}, []string{"die replaced"}},
		{"rating comment", domain.ComplaintVerified, &domain.VerifyPayload{Rating: 4, Comment: "fast"}, []string{"fast"}},
		{"reopen reason", domain.ComplaintReopened, &domain.ReasonPayload{Reason: "burrs again"}, []string{"Reopened", "burrs again"}},
		{"rejection reason", domain.ComplaintRejected, &domain.ReasonPayload{Reason: "parts within tolerance"}, []string{"Rejected", "parts within tolerance"}},
		{"re-examination reason", domain.ComplaintReexaminationRequested, &domain.ReasonPayload{Reason: "measured twice"}, []string{"measured twice"}},
		{"withdrawal reason", domain.ComplaintWithdrawn, &domain.ReasonPayload{Reason: "our own handling"}, []string{"Withdrawn", "our own handling"}},
		{"escalation reason", domain.ComplaintEscalated, &domain.EscalatePayload{Supervisor: "mgr.sophie", Reason: "line stopped"}, []string{"line stopped"}},
		{"message", domain.ComplaintMessagePosted, &domain.MessagePayload{Text: "line waiting"}, []string{"line waiting"}},
		{"file", domain.ComplaintAttachmentAdded, &domain.AttachmentPayload{Attachment: domain.Attachment{Name: "edge.jpg"}}, []string{"edge.jpg"}},
		{"action description", domain.ActionAssigned, &domain.ActionAssignedPayload{Kind: domain.ActionCorrective, Title: "New die", Description: "order from the toolmaker", Owner: "eng.lea", Due: due}, []string{"New die", "order from the toolmaker"}},
		{"action start note", domain.ActionStarted, &domain.NotePayload{Note: "die ordered"}, []string{"Die check", "die ordered"}},
		{"action done note", domain.ActionCompleted, &domain.NotePayload{Note: "die fitted"}, []string{"Die check", "die fitted"}},
		{"action verdict", domain.ActionVerified, &domain.VerdictPayload{Effective: true, Note: "no burr since"}, []string{"Die check", "no burr since"}},
		{"action cancel reason", domain.ActionCancelled, &domain.ReasonPayload{Reason: "lot used up"}, []string{"Die check", "lot used up"}},
		{"action reschedule reason", domain.ActionRescheduled, &domain.ActionRescheduledPayload{Due: due, Reason: "toolmaker late"}, []string{"Die check", "toolmaker late"}},
	}
	ref := &model.Reference{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := &model.TimelineItem{Type: tt.typ, Payload: tt.payload, Action: "Die check"}
			got := describe(it, ref)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
		})
	}
}
