package detail

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"

	"boucle/desktop/i18n"
	"boucle/shared/domain"
)

// explain turns the domain's errors that the page's commands return into
// words for the person filling the task, under the field they concern:
// "no active user """ (nobody chosen in a list) becomes "Choose the
// owner". The field stays the domain's, so ui.Form puts the words under
// the right input; errors it does not know are returned as they are
// (i18n.Message words the common ones).
func explain(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	if de.Field != "" {
		if words := fieldWords(i18n.BaseField(de.Field), de.Message); words != "" {
			return &domain.Error{Code: domain.EInvalid, Field: de.Field, Message: words}
		}
		return err
	}
	if de.Code == domain.EUnauthorized && de.Message == "nobody is signed in" { // viewmodel.ErrSignedOut
		return &domain.Error{Code: domain.EInvalid, Message: lang.X("detail.error.signed_out", "You were signed out meanwhile: sign in again, then record it again.")}
	}
	if words := ruleWords(de); words != "" {
		return &domain.Error{Code: domain.EInvalid, Rule: de.Rule, Message: words}
	}
	return err
}

// fieldWords words a field's error, "" when the common words do.
func fieldWords(field, msg string) string {
	switch {
	case strings.HasPrefix(msg, "no active user") || strings.HasPrefix(msg, "must be a user id"):
		return chooseWho(field)
	case strings.HasPrefix(msg, "must be at most ") && strings.Contains(msg, "characters"):
		var max, got int
		if n, _ := fmt.Sscanf(msg, "must be at most %d characters (got %d)", &max, &got); n == 2 {
			return lang.X("detail.error.too_long", "is too long: {{.Got}} characters, {{.Max}} at most", map[string]any{"Got": got, "Max": max})
		}
	case msg == "is required":
		return required(field)
	}
	switch field + ": " + msg {
	case "deadline: must be after the filing time":
		return lang.X("detail.error.deadline_before_filing", "must come after the complaint was filed")
	case "deadline: is out of range", "due: is out of range":
		return lang.X("detail.error.date_range", "is not a realistic date")
	case "options: propose between 1 and 10 solutions":
		return lang.X("detail.error.options", "Write at least one solution")
	case "analysis: record at least one of containment, whys, ishikawa, root_cause":
		return lang.X("detail.error.analysis_unchanged", "Nothing to save: change at least one field of the analysis.")
	case "solution_id: is not one of the proposed solutions":
		return lang.X("detail.error.solution", "Choose one of the proposed solutions")
	case "of: a complaint cannot duplicate itself":
		return lang.X("detail.error.duplicate_itself", "Give the number of another complaint: this one cannot repeat itself")
	case "owner: give a new owner or a new due date":
		return lang.X("detail.error.reschedule_nothing", "Choose another owner or another due date")
	case "attachment: must be between 1 byte and 10 MB", "attachment: evidence files are limited to 10 MB", "file: evidence files are limited to 10 MB":
		return lang.X("detail.error.file_too_big", "is too large: files are limited to 10 MB")
	case "attachment: is empty", "file: is empty":
		return lang.X("detail.error.file_empty", "is empty: choose another file")
	}
	if field == "of" && strings.HasPrefix(msg, "no complaint numbered ") {
		return lang.X("detail.error.no_number", "No complaint has the number {{.Number}}", map[string]any{"Number": strings.TrimPrefix(msg, "no complaint numbered ")})
	}
	return ""
}

// chooseWho words a missing or unknown person in a list.
func chooseWho(field string) string {
	switch field {
	case "owner":
		return lang.X("detail.error.choose_owner", "Choose the owner")
	case "assignee":
		return lang.X("detail.error.choose_assignee", "Choose the engineer who handles it")
	case "supervisor":
		return lang.X("detail.error.choose_supervisor", "Choose the supervisor")
	}
	return lang.X("detail.error.choose_person", "Choose someone from the list")
}

// required words an empty field by what it asks for.
func required(field string) string {
	switch field {
	case "reason":
		return lang.X("detail.error.say_why", "Say why")
	case "text":
		return lang.X("detail.error.write_message", "Write the message")
	case "summary":
		return lang.X("detail.error.say_what_done", "Say what was done")
	case "title":
		return lang.X("detail.error.title", "Give the action a title")
	case "solution_id":
		return lang.X("detail.error.choose_solution", "Choose a solution")
	case "of":
		return lang.X("detail.error.duplicate_of", "Give the number of the complaint it repeats")
	case "deadline", "due":
		return lang.X("detail.error.date_required", "Give a date")
	case "attachment", "attachments", "file":
		return lang.X("detail.error.choose_file", "Choose a file")
	}
	return ""
}

// ruleWords words the refusals of the complaint's and the actions' rules.
func ruleWords(de *domain.Error) string {
	switch de.Rule {
	case "complaint.withdraw":
		if de.Code == domain.EForbidden {
			return lang.X("detail.error.withdraw_filer", "Only the person who filed the complaint may withdraw it.")
		}
	case "complaint.complainant":
		return lang.X("detail.error.complainant", "Only the operators of the station that filed the complaint act as its complainant.")
	case "sync.author_key": // boltstore.ErrNoAuthorKey
		return lang.X("detail.error.author_key", "You have no author key on this workstation yet: sign in once while the server is reachable, then record again.")
	}
	if de.Code != domain.EConflict || !strings.HasPrefix(de.Message, "not allowed while ") {
		return ""
	}
	// A status rule: someone changed the complaint (or the action) since
	// this page was loaded.
	status := strings.TrimPrefix(de.Message, "not allowed while ")
	if strings.HasPrefix(de.Rule, "action.") {
		return lang.X("detail.error.action_moved", "Not possible any more: the action is now {{.Status}}. Cancel, then look again.",
			map[string]any{"Status": i18n.ActionStatus(domain.ActionStatus(status))})
	}
	return lang.X("detail.error.complaint_moved", "Not possible any more: the complaint is now {{.Status}}. Cancel, then look again.",
		map[string]any{"Status": i18n.Status(domain.ComplaintStatus(status))})
}
