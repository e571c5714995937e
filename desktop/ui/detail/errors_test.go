package detail

import (
	"errors"
	"strings"
	"testing"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

// Every domain error the page's commands return is worded for people,
// under the same field; what explain does not know passes unchanged.
func TestExplainWordsTheDomainErrors(t *testing.T) {
	uitest.New(t) // the language
	tests := []struct {
		err   error
		field string
		want  string
	}{
		{domain.FieldError("owner", "no active user %q", ""), "owner", "Choose the owner"},
		{domain.FieldError("assignee", "no active user %q", "gone"), "assignee", "Choose the engineer who handles it"},
		{domain.FieldError("supervisor", "must be a user id (lower-case letters, digits, '.', '_' or '-')"), "supervisor", "Choose the supervisor"},
		{domain.FieldError("reason", "is required"), "reason", "Say why"},
		{domain.FieldError("text", "is required"), "text", "Write the message"},
		{domain.FieldError("summary", "is required"), "summary", "Say what was done"},
		{domain.FieldError("title", "is required"), "title", "Give the action a title"},
		{domain.FieldError("solution_id", "is required"), "solution_id", "Choose a solution"},
		{domain.FieldError("solution_id", "is not one of the proposed solutions"), "solution_id", "Choose one of the proposed solutions"},
		{domain.FieldError("of", "is required"), "of", "Give the number of the complaint it repeats"},
		{domain.FieldError("of", "no complaint numbered %s", "CUT1-2026-0007"), "of", "No complaint has the number CUT1-2026-0007"},
		{domain.FieldError("of", "a complaint cannot duplicate itself"), "of", "Give the number of another complaint: this one cannot repeat itself"},
		{domain.FieldError("note", "must be at most %d characters (got %d)", 4000, 4100), "note", "is too long: 4100 characters, 4000 at most"},
		{domain.FieldError("deadline", "must be after the filing time"), "deadline", "must come after the complaint was filed"},
		{domain.FieldError("due", "is out of range"), "due", "is not a realistic date"},
		{domain.FieldError("options", "propose between 1 and 10 solutions"), "options", "Write at least one solution"},
		{domain.FieldError("analysis", "record at least one of containment, whys, ishikawa, root_cause"), "analysis", "Nothing to save: change at least one field of the analysis."},
		{domain.FieldError("owner", "give a new owner or a new due date"), "owner", "Choose another owner or another due date"},
		{domain.FieldError("attachment", "is required"), "attachment", "Choose a file"},
		{domain.FieldError("attachment", "is empty"), "attachment", "is empty: choose another file"},
		{&domain.Error{Code: domain.ETooLarge, Field: "attachment", Message: "evidence files are limited to 10 MB"}, "attachment", "is too large: files are limited to 10 MB"},
		{domain.FieldError("attachment.size", "must be between 1 byte and 10 MB"), "attachment.size", "is too large: files are limited to 10 MB"},
		{domain.RuleError(domain.EForbidden, "complaint.withdraw", "only op.marie, who filed it, may withdraw it"), "", "Only the person who filed the complaint may withdraw it."},
		{domain.RuleError(domain.EForbidden, "complaint.complainant", "only the operators of PRESS2..."), "", "Only the operators of the station that filed the complaint act as its complainant."},
		{domain.RuleError(domain.EForbidden, "sync.author_key", "you have no author key..."), "", "You have no author key on this workstation yet"},
		{domain.RuleError(domain.EConflict, "complaint.resolve", "not allowed while %s", domain.StatusClosed), "", "Not possible any more: the complaint is now Closed."},
		{domain.RuleError(domain.EConflict, "action.cancel", "not allowed while %s", domain.ActionStatusDone), "", "Not possible any more: the action is now Done, to verify."},
		{&domain.Error{Code: domain.EUnauthorized, Message: "nobody is signed in"}, "", "You were signed out meanwhile"},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			got := explain(tt.err)
			var de *domain.Error
			if !errors.As(got, &de) || de.Field != tt.field {
				t.Fatalf("explain = %#v, want field %q", got, tt.field)
			}
			if msg := i18n.Message(got); !strings.Contains(msg, tt.want) {
				t.Errorf("shown %q, want %q", msg, tt.want)
			}
		})
	}
	// Unknown errors pass unchanged.
	other := domain.FieldError("part_ref", "is required")
	if explain(other) != error(other) {
		t.Error("an error of another field was changed")
	}
}
