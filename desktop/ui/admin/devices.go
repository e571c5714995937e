package admin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

func (s *Screen) devicesHead() fyne.CanvasObject {
	s.enrol = widget.NewButton(lang.X("admin.device.enrol", "New enrolment code"), s.newEnrolment)
	s.enrol.Importance = widget.HighImportance
	add := s.enrol
	return container.NewVBox(container.NewHBox(add),
		ui.Wrapped(lang.X("admin.device.intro", "A workstation joins the plant with a one-time enrolment code typed in its Settings. A lost or reinstalled workstation gets a replacement code, which moves its identity to the new one and revokes the old.")))
}

func (s *Screen) deviceRows() []entryRow {
	if s.dir.Access != model.AdminOnline {
		return []entryRow{row(lang.X("admin.device.online_only", "The plant server lists its workstations: this list needs it."))}
	}
	var rows []entryRow
	for _, d := range s.dir.Devices {
		rows = append(rows, s.deviceRow(d))
	}
	return rows
}

func (s *Screen) deviceRow(d model.Device) entryRow {
	parts := []string{d.Name}
	if d.Note != "" && d.Note != d.Name {
		parts = append(parts, "“"+d.Note+"”")
	}
	if d.Station != "" {
		parts = append(parts, d.Station)
	}
	if d.Series != "" {
		parts = append(parts, lang.X("admin.device.series", "series {{.S}}", map[string]any{"S": d.Series}))
	}
	parts = append(parts, lang.X("admin.device.enrolled", "enrolled {{.At}}", map[string]any{"At": i18n.Date(d.Enrolled)}))
	parts = append(parts, lang.X("admin.device.last_seen", "last seen {{.Ago}}", map[string]any{"Ago": i18n.Ago(d.LastSeen, s.env.Now())}))
	text := strings.Join(parts, " · ")
	if d.Revoked {
		revoked := lang.X("admin.device.revoked", "revoked")
		if d.Why != "" {
			revoked += " (" + d.Why + ")"
		}
		return row(text + " · " + revoked)
	}
	revoke := s.rowButton(lang.X("admin.device.revoke", "Revoke"), func() { s.revokeDevice(d) })
	if d.ID == s.dir.ThisDevice {
		// Revoking the workstation in use would lock it out of the plant,
		// this very session included: do it from another one.
		text += " · " + lang.X("admin.device.this", "this workstation")
		revoke.Disable()
	}
	return row(text,
		s.rowButton(lang.X("admin.device.replace", "Replacement code"), func() { s.replacementEnrolment(d) }),
		revoke)
}

// noteField is the optional note kept with an enrolment code.
func noteField(f *ui.Form) *widget.Entry {
	note := widget.NewEntry()
	note.SetPlaceHolder(lang.X("admin.device.note_placeholder", "e.g. PRESS2, second PC by the door"))
	f.Add("note", lang.X("admin.field.note", "Note (where it goes)"), note)
	return note
}

func (s *Screen) newEnrolment() {
	f := ui.NewForm()
	note := noteField(f)
	var en model.Enrolment
	s.showForm(lang.X("admin.device.enrol_title", "New enrolment code"), lang.X("admin.device.enrol_confirm", "Make the code"), nil, f,
		func() (err error) { en, err = s.m.NewEnrolment(strings.TrimSpace(note.Text)); return err },
		func() {
			s.changed()
			s.showCode(lang.X("admin.device.code_title", "Enrolment code"), en,
				lang.X("admin.device.code_lead", "Type this code in the new workstation's Settings, under Connect to a server:"))
		})
}

func (s *Screen) replacementEnrolment(d model.Device) {
	f := ui.NewForm()
	note := noteField(f)
	note.SetText(d.Name)
	q := ui.Wrapped(lang.X("admin.device.replace_question",
		"Make a replacement code for {{.Name}}? The workstation enrolled with it takes over {{.Name}}'s identity and number series, and {{.Name}} is revoked when the code is used.",
		map[string]any{"Name": d.Name}))
	var en model.Enrolment
	s.showForm(lang.X("admin.device.replace_title", "Replacement code"), lang.X("admin.device.enrol_confirm", "Make the code"), q, f,
		func() (err error) { en, err = s.m.ReplacementEnrolment(d.ID, strings.TrimSpace(note.Text)); return err },
		func() {
			s.changed()
			s.showCode(lang.X("admin.device.replace_code_title", "Replacement code"), en,
				lang.X("admin.device.replace_code_lead", "Type this code in the replacing workstation's Settings, under Connect to a server:"))
		})
}

func (s *Screen) revokeDevice(d model.Device) {
	q := lang.X("admin.device.revoke_question",
		"Revoke {{.Name}}? The server refuses everything it sends from now on, and what it recorded and has not sent yet stays on it. This cannot be undone: enrol it again with a new code.",
		map[string]any{"Name": d.Name})
	s.showConfirm(lang.X("admin.device.revoke_title", "Revoke a workstation"), q, lang.X("admin.device.revoke_confirm", "Revoke"), lang.X("admin.field.reason_optional", "Reason (optional)"),
		func(reason string) error { return s.m.RevokeDevice(d.ID, strings.TrimSpace(reason)) })
}

func (s *Screen) showCode(title string, en model.Enrolment, lead string) {
	expires := lang.X("admin.device.expires", "Valid once, until {{.At}}.", map[string]any{"At": i18n.DateTime(en.Expires)})
	s.showSecret(title, lead, lang.X("field.enrolment_code", "Enrolment code"), en.Code, expires)
}
