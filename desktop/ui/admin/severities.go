package admin

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/shared/domain"
)

// ruleWholeHours is the rule of a deadline that is not a whole number of
// hours (the domain keeps deadlines in hours).
const ruleWholeHours = "admin.whole_hours"

func (s *Screen) severitiesHead() fyne.CanvasObject {
	return ui.Wrapped(lang.X("admin.severity.intro",
		"Each severity sets the default deadlines of a new complaint: to acknowledge it, and to resolve it from its filing. The engineer may set another deadline when acknowledging."))
}

func (s *Screen) severityRows() []entryRow {
	var rows []entryRow
	for _, sc := range s.dir.Severities {
		text := lang.X("admin.severity.row", "{{.Severity}} · acknowledge within {{.Ack}} · resolve within {{.Resolve}}",
			map[string]any{"Severity": i18n.Severity(sc.Severity), "Ack": hours(sc.AckHours), "Resolve": hours(sc.ResolveHours)})
		rows = append(rows, row(text, s.rowButton(lang.X("admin.severity.edit", "Change the deadlines"), func() { s.editSeverity(sc) })))
	}
	return rows
}

// hours writes a number of hours as the domain holds it, with days when
// there are some: "120 h (5 d 0 h)".
func hours(h int) string {
	text := lang.X("admin.hours", "{{.H}} h", map[string]any{"H": h})
	if h >= 24 {
		text += " (" + i18n.Duration(time.Duration(h)*time.Hour) + ")"
	}
	return text
}

// hoursEntry is an entry of a whole number of hours that shows the
// equivalent in days as it is typed.
func hoursEntry(value int) (*widget.Entry, fyne.CanvasObject) {
	e := widget.NewEntry()
	hint := widget.NewLabel("")
	e.OnChanged = func(text string) {
		if h, err := strconv.Atoi(strings.TrimSpace(text)); err == nil && h > 0 {
			hint.SetText(hours(h))
		} else {
			hint.SetText("")
		}
	}
	e.SetText(strconv.Itoa(value))
	return e, container.NewBorder(nil, nil, nil, ui.MinSize(hint, 140, 0), e)
}

// parseHours reads a number of hours typed in field.
func parseHours(field, text string) (int, error) {
	h, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		return 0, &domain.Error{Code: domain.EInvalid, Field: field, Rule: ruleWholeHours, Message: "must be a whole number of hours"}
	}
	return h, nil
}

func (s *Screen) editSeverity(sc domain.SeverityConfig) {
	ack, ackRow := hoursEntry(sc.AckHours)
	resolve, resolveRow := hoursEntry(sc.ResolveHours)
	f := ui.NewForm()
	f.Add("ack_hours", lang.X("admin.field.ack_hours", "Acknowledge within (hours)"), ackRow)
	f.Add("resolve_hours", lang.X("admin.field.resolve_hours", "Resolve within (hours)"), resolveRow)
	intro := ui.Wrapped(lang.X("admin.severity.edit_intro", "New complaints get these deadlines; the deadlines already set on complaints do not change."))
	title := lang.X("admin.severity.edit_title", "Deadlines of severity {{.Severity}}", map[string]any{"Severity": i18n.Severity(sc.Severity)})
	s.showForm(title, lang.X("admin.save", "Save"), intro, f, func() error {
		a, err := parseHours("ack_hours", ack.Text)
		if err != nil {
			return err
		}
		r, err := parseHours("resolve_hours", resolve.Text)
		if err != nil {
			return err
		}
		return s.m.ConfigureSeverity(domain.SeverityConfig{Severity: sc.Severity, AckHours: a, ResolveHours: r})
	}, s.changed)
}
