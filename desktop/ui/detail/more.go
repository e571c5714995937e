package detail

import (
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/domain"
)

// The tasks added after filing: files for the complaint, and cancelling
// or rescheduling one of its actions.

// buildAttach lets the user pick files (the filing form's picker: Fyne's
// open dialog, the same 10 MB limit) and adds them all at once.
func (s *Screen) buildAttach(p *panel) {
	id := s.id
	p.list = container.NewVBox()
	pick := widget.NewButtonWithIcon(lang.X("panel.choose_file", "Choose a photo or file…"), theme.FolderOpenIcon(), func() { s.pickFile(p) })
	p.form.Add("attachment", lang.X("panel.files", "Files"), container.NewVBox(pick, p.list))
	p.inputs["attachment"] = pick
	p.ok = lang.X("panel.files_added", "Files added: they reach the server with the next sync.")
	p.run = func() error { return s.m.AddFiles(id, p.files) }
}

func (s *Screen) pickFile(p *panel) {
	s.env.Nav.Touch()
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			if err != nil {
				ui.ShowError(s.env, err)
			}
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, domain.MaxAttachmentBytes+1))
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		if len(data) > domain.MaxAttachmentBytes {
			p.form.Show(explain(&domain.Error{Code: domain.ETooLarge, Field: "attachment", Message: "evidence files are limited to 10 MB"}))
			return
		}
		s.addFile(p, model.File{Name: r.URI().Name(), Data: data})
	}, s.env.Win)
	ui.ShowFileDialog(d)
}

// AddFile adds a file to the open "Add a photo or file" task, as picking
// it in the dialog does (tests; the dialog cannot be driven).
func (s *Screen) AddFile(file model.File) {
	if s.panel != nil && s.panel.task == taskAttach {
		s.addFile(s.panel, file)
	}
}

func (s *Screen) addFile(p *panel, file model.File) {
	p.form.Clear()
	for _, f := range p.files {
		if f.Name == file.Name && len(f.Data) == len(file.Data) {
			return // picked twice
		}
	}
	p.files = append(p.files, file)
	var row *fyne.Container
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		for i := range p.files {
			if p.files[i].Name == file.Name {
				p.files = append(p.files[:i], p.files[i+1:]...)
				break
			}
		}
		p.list.Remove(row)
	})
	size := lang.X("report.file_size", "{{.KB}} KB", map[string]any{"KB": (len(file.Data) + 1023) / 1024})
	name := widget.NewLabel(file.Name + " (" + size + ")")
	name.Truncation = fyne.TextTruncateEllipsis
	row = container.NewBorder(nil, nil, nil, remove, name)
	p.list.Add(row)
}

// actionLine names the action a task is about: kind, title, owner, due.
func (s *Screen) actionLine(a *domain.Action) *widget.Label {
	return ui.Wrapped(i18n.ActionKind(a.Kind) + " · " + a.Title + " — " + lang.X("detail.action_line", "{{.Owner}} · due {{.Due}} · {{.Status}}", map[string]any{
		"Owner": s.ref.UserName(a.Owner), "Due": i18n.Date(a.Due), "Status": i18n.ActionStatus(a.Status)}))
}

func (s *Screen) buildCancelAction(p *panel) {
	a := p.action
	p.hint = s.actionLine(a)
	reason := p.entry("reason", lang.X("field.reason", "Reason"), true)
	p.ok = lang.X("panel.action_cancelled", "Action cancelled.")
	p.run = func() error { return s.m.CancelAction(a.ID, reason.Text) }
}

// buildRescheduleAction offers the action's owner and due date, filled
// with the current ones; only what changed is sent, with the reason.
func (s *Screen) buildRescheduleAction(p *panel) {
	a := p.action
	p.hint = s.actionLine(a)
	users := s.ref.UsersWithRole(domain.RoleEngineer, domain.RoleManager)
	_, owner := p.users("owner", lang.X("field.owner", "Owner"), users, a.Owner)
	due := p.entry("due", lang.X("field.due", "Due date"), false)
	due.SetPlaceHolder(i18n.DateLayout())
	due.SetText(i18n.Date(a.Due))
	reason := p.entry("reason", lang.X("field.reason", "Reason"), true)
	p.ok = lang.X("panel.action_rescheduled", "Action rescheduled.")
	p.run = func() error {
		newOwner, newDue := owner(), time.Time{}
		d, err := i18n.ParseDate(strings.TrimSpace(due.Text))
		if err != nil {
			return domain.FieldError("due", "%s", err.Error())
		}
		if i18n.Date(d) != i18n.Date(a.Due) { // the same day, however typed, is no change
			newDue = d
		}
		if newOwner == a.Owner {
			newOwner = ""
		}
		return s.m.RescheduleAction(a.ID, newOwner, newDue, reason.Text)
	}
}
