package i18n

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"boucle/shared/domain"
)

// adminField names the fields of the administration screen's forms.
func adminField(name string) (string, bool) {
	switch name {
	case "label_en":
		return lang.X("admin.field.label_en", "Label in English"), true
	case "label_fr":
		return lang.X("admin.field.label_fr", "Label in French"), true
	case "ack_hours":
		return lang.X("admin.field.ack_hours", "Acknowledge within (hours)"), true
	case "resolve_hours":
		return lang.X("admin.field.resolve_hours", "Resolve within (hours)"), true
	case "note":
		return lang.X("admin.field.note", "Note (where it goes)"), true
	}
	return "", false
}

// adminMessage translates what the directory's rules and the plant
// server's admin API say when they refuse, by rule or by the validation
// message of the field (the domain's messages are English).
func adminMessage(de *domain.Error) (string, bool) {
	switch de.Rule {
	case "admin.needs_server": // viewmodel.RuleAdminNeedsServer
		return lang.X("error.admin.needs_server", "Administration needs the plant server, which cannot be reached or no longer accepts this session: nothing was changed. Try again once it answers (sign in online if asked)."), true
	case "admin.whole_hours":
		return lang.X("error.admin.whole_hours", "write a whole number of hours"), true
	case "user.last_admin":
		return lang.X("error.admin.last_admin", "The plant would be left without an enabled administrator: give someone else the administrator role first."), true
	case "station.unique":
		return lang.X("error.admin.station_exists", "A station with this code already exists."), true
	case "user.unique":
		return lang.X("error.admin.user_exists", "Someone already has this user id."), true
	case "category.unique":
		return lang.X("error.admin.category_exists", "A category with this code already exists."), true
	}
	msg := de.Message
	switch {
	case strings.HasPrefix(msg, "a station code is"):
		return lang.X("error.admin.station_code", "a station code is capital letters, digits, '-' or '_' (at most 16)"), true
	case strings.HasPrefix(msg, "a login is"), strings.HasPrefix(msg, "a user id is"):
		return lang.X("error.admin.login", "a user id is lower-case letters, digits, '.', '_' or '-' (at most 32)"), true
	case strings.HasPrefix(msg, "a category code is"):
		return lang.X("error.admin.category_code", "a category code is lower-case letters, digits or '_'"), true
	case msg == "must be between 1 and 2160 hours":
		return lang.X("error.admin.ack_hours", "between 1 and 2160 hours (90 days)"), true
	case msg == "must be at least ack_hours and at most a year":
		return lang.X("error.admin.resolve_hours", "at least the time to acknowledge, and at most a year (8760 hours)"), true
	case strings.HasPrefix(msg, "no active station"):
		return lang.X("error.admin.no_station", "choose an active station"), true
	}
	return "", false
}
