// Package detail is the complaint screen everyone shares: a header
// (number, status, severity, deadline countdown), tabs for the overview,
// the timeline of every event, the actions, the files and the conflicts,
// and on the right what the signed-in user can do now.
package detail

import (
	"encoding/json"
	"fmt"
	"image"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// Model is what the complaint screen needs.
type Model interface {
	Session() model.Session
	Reference() (model.Reference, error)
	Complaint(id string) (model.ComplaintDetail, error)
	Blob(sha string) ([]byte, error)
	DefaultDeadline(c domain.Complaint) (time.Time, error)
	Acknowledge(id string, deadline time.Time, assignee, note string) error
	RecordAnalysis(id string, a domain.AnalysisPayload) error
	ProposeSolutions(id string, texts []string) error
	ChooseSolution(id, solutionID, comment string) error
	AssignAction(complaintID string, na model.NewAction) error
	Reassign(id, assignee string) error
	PostMessage(id, text string, internal bool) error
	Escalate(id, supervisor, reason string) error
	Reject(id, reason string) error
	MarkDuplicate(id, number string) error
	Resolve(id, summary string) error
	Verify(id string, rating int, comment string) error
	Reopen(id, reason string) error
	RequestReexamination(id, reason string) error
	Withdraw(id, reason string) error
	CancelAction(actionID, reason string) error
	RescheduleAction(actionID, owner string, due time.Time, reason string) error
	AddFiles(id string, files []model.File) error
	ResolveConflict(id, field string, value json.RawMessage) error
	EightD(id, lang string, w io.Writer) error
	ProblemModel // problem.go
}

// Screen is one complaint's screen.
type Screen struct {
	env ui.Env
	m   Model
	id  string
	d   model.ComplaintDetail
	ref model.Reference

	header   *fyne.Container
	tabs     *container.AppTabs
	overview *fyne.Container
	timeline *fyne.Container
	actions  *fyne.Container
	files    *fyne.Container
	issues   *fyne.Container
	issueTab *container.TabItem
	side     *fyne.Container
	notice   *widget.Label

	panel   *panel                 // the task being filled in, nil when the buttons show
	thumbs  map[string]image.Image // thumbnails of the photos, by SHA-256, once loaded
	loading map[string][]*photo    // thumbnails waiting for their photo's bytes
	obj     fyne.CanvasObject
	problem problemPanel // problem.go
	// OpenProblem, when set, opens a problem's page (the shell's).
	OpenProblem func(id analytics.ProblemID)
	// then runs once after the next load is shown (screenshot mode).
	then []func()
}

// New builds the screen of complaint id; Load fills it.
func New(env ui.Env, m Model, id string) *Screen {
	s := &Screen{env: env, m: m, id: id}
	s.header = container.NewVBox()
	s.overview = container.NewVBox()
	s.timeline = container.NewVBox()
	s.actions = container.NewVBox()
	s.files = container.NewVBox()
	s.issues = container.NewVBox()
	s.issueTab = container.NewTabItem(lang.X("detail.tab.conflicts", "Conflicts"), container.NewVScroll(container.NewPadded(s.issues)))
	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.X("detail.tab.overview", "Overview"), container.NewVScroll(container.NewPadded(s.overview))),
		container.NewTabItem(lang.X("detail.tab.timeline", "Timeline"), container.NewVScroll(container.NewPadded(s.timeline))),
		container.NewTabItem(lang.X("detail.tab.actions", "Actions"), container.NewVScroll(container.NewPadded(s.actions))),
		container.NewTabItem(lang.X("detail.tab.files", "Files"), container.NewVScroll(container.NewPadded(s.files))),
	)
	s.side = container.NewVBox()
	s.notice = widget.NewLabel("")
	s.notice.Importance = widget.SuccessImportance
	s.notice.Wrapping = fyne.TextWrapWord
	s.notice.Hide()
	right := container.NewVScroll(container.NewPadded(container.NewVBox(s.notice, s.side)))
	split := container.NewHSplit(s.tabs, right)
	// The side panel holds the task forms (the 5 whys, titles, reasons):
	// 44 % of a 1280-pixel window leaves it about 560 pixels, enough for
	// a label column and wrapped inputs.
	split.Offset = 0.56
	s.obj = container.NewBorder(container.NewVBox(s.header, widget.NewSeparator()), nil, nil, nil, split)
	return s
}

// Object is the screen's widget tree.
func (s *Screen) Object() fyne.CanvasObject { return s.obj }

// Content wraps the screen.
func (s *Screen) Content() ui.Content { return ui.Content{Object: s.obj, Refresh: s.Load} }

// Load reads the complaint and the reference data, off the UI goroutine.
func (s *Screen) Load() {
	type loaded struct {
		d   model.ComplaintDetail
		ref model.Reference
	}
	ui.Load(s.env, func() (loaded, error) {
		var l loaded
		var err error
		if l.ref, err = s.m.Reference(); err != nil {
			return l, err
		}
		l.d, err = s.m.Complaint(s.id)
		return l, err
	}, func(l loaded, err error) {
		if err != nil {
			ui.ShowError(s.env, err)
			return
		}
		s.d, s.ref = l.d, l.ref
		s.render()
		then := s.then
		s.then = nil
		for _, fn := range then {
			fn()
		}
	})
}

// Then runs fn once the complaint is loaded and shown.
func (s *Screen) Then(fn func()) { s.then = append(s.then, fn) }

// Show selects a tab ("overview", "timeline", "actions", "files",
// "conflicts") or opens a task ("acknowledge", "assign", ...) by name; it
// reports whether the name was one of them.
func (s *Screen) Show(name string) bool {
	tabs := []string{"overview", "timeline", "actions", "files", "conflicts"}
	for i, t := range tabs {
		if t == name && i < len(s.tabs.Items) {
			s.tabs.SelectIndex(i)
			return true
		}
	}
	for _, t := range s.tasks() {
		if string(t) == name {
			s.open(t)
			return true
		}
	}
	if t := taskID(name); t == taskCancelAction || t == taskRescheduleAction {
		for _, a := range s.d.Actions { // the first action that may change
			if mayChangeActions(s.m.Session().Role) && a.Status.Pending() {
				s.tabs.SelectIndex(2)
				s.openOn(t, &a)
				return true
			}
		}
	}
	return false
}

// Detail is what the screen shows (tests read it).
func (s *Screen) Detail() model.ComplaintDetail { return s.d }

func (s *Screen) render() {
	s.renderHeader()
	s.renderOverview()
	s.renderTimeline()
	s.renderActions()
	s.renderFiles()
	s.renderIssues()
	if s.panel == nil {
		s.showTasks()
	}
}

func (s *Screen) renderHeader() {
	c := &s.d.Complaint
	now := s.env.Now()
	title := widget.NewLabelWithStyle(c.Number, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	status := widget.NewLabel(i18n.Status(c.Status))
	status.Importance = widget.HighImportance
	sev := widget.NewLabel(i18n.Severity(c.Severity))
	if c.Severity == domain.SeverityCritical {
		sev.Importance = widget.DangerImportance
	} else if c.Severity == domain.SeverityMajor {
		sev.Importance = widget.WarningImportance
	}
	due := widget.NewLabel(i18n.Countdown(c.Deadline, now))
	if c.Overdue(now) {
		due.Importance = widget.DangerImportance
		due.SetText("⚠ " + due.Text)
	}
	if !c.Deadline.IsZero() && c.Status.Open() && c.Status != domain.StatusResolved {
		due.SetText(due.Text + " (" + i18n.DateTime(c.Deadline) + ")")
	} else if !c.Status.Open() || c.Status == domain.StatusResolved {
		due.SetText("")
	}
	kind := i18n.Kind(c.Kind)
	if c.Kind == domain.KindClaim {
		kind += ": " + i18n.Remedy(c.Remedy)
	}
	line := fmt.Sprintf("%s › %s · %s · %s · %s", s.ref.StationName(c.SupplierStation), s.ref.StationName(c.FilingStation),
		i18n.Category(s.ref.Category(c.Category)), kind,
		lang.X("detail.filed_by", "filed by {{.Name}} on {{.Date}}", map[string]any{"Name": s.ref.UserName(c.FiledBy), "Date": i18n.DateTime(c.FiledAt)}))
	// Three rows, none wider than the page beside the menu: the number and
	// state; where it comes from, with the 8D report; whether it recurs.
	// One row held them all and, with an overdue deadline and a recurrence
	// in French, pushed the page past the window's edge.
	top := container.NewHBox(title, status, sev, due)
	lineLabel := widget.NewLabel(line)
	lineLabel.Truncation = fyne.TextTruncateEllipsis
	var second fyne.CanvasObject = lineLabel
	if s.m.Session().Role != domain.RoleOperator {
		second = container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon(lang.X("detail.eightd", "8D report (PDF)"), theme.DocumentSaveIcon(), s.saveEightD), lineLabel)
	}
	s.header.Objects = []fyne.CanvasObject{top, second}
	if s.d.RecurrenceOf != "" {
		rec := widget.NewLabel(lang.X("detail.recurrence_of", "Recurrence of {{.Number}}", map[string]any{"Number": s.d.RecurrenceOf}))
		rec.Importance = widget.WarningImportance
		badges := container.NewHBox(rec)
		if s.d.AfterPrevention {
			after := widget.NewLabel(lang.X("detail.recurred_after_prevention", "Recurred after prevention"))
			after.Importance = widget.DangerImportance
			badges.Add(after)
		}
		s.header.Add(badges)
	}
	if len(s.d.Conflicts) > 0 || len(s.d.Flags) > 0 {
		warn := ui.Wrapped(lang.X("detail.has_issues", "Concurrent changes need attention: see the Conflicts tab."))
		warn.Importance = widget.WarningImportance
		s.header.Add(warn)
	}
	s.header.Refresh()
}

func (s *Screen) renderOverview() {
	c := &s.d.Complaint
	o := s.overview
	o.RemoveAll()
	field := func(label, value string) {
		if value == "" {
			return
		}
		o.Add(ui.Heading(label))
		o.Add(ui.Wrapped(value))
	}
	field(lang.X("detail.part", "Part"), fmt.Sprintf("%s · %s %s · %s %d",
		c.PartRef, lang.X("field.lot", "Lot"), orDash(c.Lot), lang.X("detail.quantity", "quantity"), c.Quantity))
	field(lang.X("field.description", "Description"), c.Description)
	s.addProblemPanel(o)
	s.renderPhotos(o)
	if c.Assignee != "" {
		field(lang.X("field.assignee", "Assigned engineer"), s.ref.UserName(c.Assignee))
	}
	field(lang.X("field.containment", "Containment"), c.Containment)
	if len(c.Whys) > 0 {
		var whys []string
		for i, w := range c.Whys {
			whys = append(whys, fmt.Sprintf("%d. %s", i+1, w))
		}
		field(lang.X("field.whys", "5 whys"), strings.Join(whys, "\n"))
	}
	if c.Ishikawa != "" {
		field(lang.X("field.ishikawa", "Cause family (6M)"), i18n.Ishikawa(c.Ishikawa))
	}
	field(lang.X("field.root_cause", "Root cause"), c.RootCause)
	if len(c.Solutions) > 0 {
		var sols []string
		for _, sol := range c.Solutions {
			mark := "○"
			if sol.ID == c.ChosenSolution {
				mark = "●"
			}
			sols = append(sols, fmt.Sprintf("%s %s: %s", mark, sol.ID, sol.Text))
		}
		field(lang.X("field.options", "Solutions"), strings.Join(sols, "\n"))
	}
	field(lang.X("detail.resolution", "Resolution"), c.Resolution)
	if c.Rating > 0 {
		field(lang.X("field.rating", "Satisfaction"), strings.Repeat("★", c.Rating)+strings.Repeat("☆", 5-c.Rating)+withText(c.RatingComment))
	}
	field(lang.X("detail.rejection", "Rejection reason"), c.RejectionReason)
	field(lang.X("detail.withdrawal", "Withdrawal reason"), c.WithdrawnReason)
	if s.d.Duplicate != "" {
		field(lang.X("field.duplicate_of", "Duplicate of"), s.d.Duplicate)
	}
	for _, e := range c.Escalations {
		field(lang.X("detail.escalation", "Escalation"), lang.X("timeline.escalated", "Escalated to {{.Name}}: {{.Reason}}",
			map[string]any{"Name": s.ref.UserName(e.Supervisor), "Reason": e.Reason})+" ("+i18n.DateTime(e.At)+")")
	}
	o.Add(widget.NewSeparator())
	o.Add(ui.Heading(lang.X("detail.messages", "Messages")))
	if len(c.Messages) == 0 {
		o.Add(widget.NewLabel(lang.X("detail.no_messages", "No message yet.")))
	}
	for _, msg := range c.Messages {
		who := s.ref.UserName(msg.Author) + " · " + i18n.DateTime(msg.At)
		if msg.Internal {
			who += " · " + lang.X("detail.internal", "internal note")
		}
		l := widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		o.Add(l)
		if msg.Internal && msg.Sealed != "" { // not opened: this session lacks the key
			o.Add(ui.Wrapped(lockedNote()))
			continue
		}
		o.Add(ui.Wrapped(msg.Text))
	}
	o.Refresh()
}

func (s *Screen) renderTimeline() {
	t := s.timeline
	t.RemoveAll()
	for i := len(s.d.Timeline) - 1; i >= 0; i-- { // newest first
		it := &s.d.Timeline[i]
		who := []string{i18n.DateTime(it.At), it.Author + " (" + i18n.Role(it.Role) + ")"}
		if it.Station != "" {
			who = append(who, lang.X("timeline.at_station", "at {{.Station}}", map[string]any{"Station": it.Station}))
		}
		head := widget.NewLabelWithStyle(strings.Join(who, " · "), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		what := ui.Wrapped(describe(it, &s.ref))
		if it.Rejected {
			what.Importance = widget.DangerImportance
		}
		t.Add(head)
		t.Add(what)
	}
	t.Refresh()
}

func (s *Screen) renderActions() {
	a := s.actions
	a.RemoveAll()
	if len(s.d.Actions) == 0 {
		a.Add(widget.NewLabel(lang.X("detail.no_actions", "No action yet.")))
	}
	now := s.env.Now()
	for _, act := range s.d.Actions {
		head := wrappedHeading(i18n.ActionKind(act.Kind) + " · " + act.Title)
		due := lang.X("detail.action_line", "{{.Owner}} · due {{.Due}} · {{.Status}}", map[string]any{
			"Owner": s.ref.UserName(act.Owner), "Due": i18n.Date(act.Due), "Status": i18n.ActionStatus(act.Status)})
		l := widget.NewLabel(due)
		if act.Overdue(now) {
			l.Importance = widget.DangerImportance
		}
		a.Add(head)
		a.Add(l)
		if act.Status == domain.ActionStatusCancelled && act.CancelReason != "" {
			a.Add(ui.Wrapped(lang.X("detail.action_cancelled", "Cancelled: {{.Reason}}", map[string]any{"Reason": act.CancelReason})))
		}
		if mayChangeActions(s.m.Session().Role) && act.Status.Pending() {
			act := act
			a.Add(container.NewHBox(
				widget.NewButtonWithIcon(s.label(taskRescheduleAction), theme.HistoryIcon(), func() { s.openOn(taskRescheduleAction, &act) }),
				widget.NewButtonWithIcon(s.label(taskCancelAction), theme.CancelIcon(), func() { s.openOn(taskCancelAction, &act) })))
		}
	}
	a.Refresh()
}

func (s *Screen) renderFiles() {
	f := s.files
	f.RemoveAll()
	if len(s.d.Files) == 0 {
		f.Add(widget.NewLabel(lang.X("detail.no_files", "No file.")))
	}
	for _, file := range s.d.Files {
		file := file
		size := lang.X("report.file_size", "{{.KB}} KB", map[string]any{"KB": (file.Size + 1023) / 1024})
		label := widget.NewLabel(file.Name + " (" + size + ")")
		label.Truncation = fyne.TextTruncateEllipsis // a 255-character name must not widen the page
		save := widget.NewButtonWithIcon(lang.X("detail.save_file", "Save a copy"), theme.DownloadIcon(), func() { s.saveFile(file) })
		if !isPhoto(file) {
			about := fyne.CanvasObject(label)
			if !file.Here {
				about = container.NewVBox(label, lowLabel(lang.X("detail.file_not_here", "Not on this workstation yet: saving a copy downloads it (the server must be reachable).")))
			}
			f.Add(container.NewBorder(nil, nil, nil, save, about))
			continue
		}
		open := widget.NewButtonWithIcon(lang.X("detail.open_photo", "Open full size"), theme.ZoomInIcon(), func() { s.openPhoto(file) })
		f.Add(container.NewBorder(nil, nil, s.thumbnail(file), container.NewVBox(open, save), label))
	}
	f.Refresh()
}

// renderPhotos shows the complaint's photos as thumbnails under its
// description, wrapped in rows.
func (s *Screen) renderPhotos(o *fyne.Container) {
	var thumbs []fyne.CanvasObject
	for _, file := range s.d.Files {
		if isPhoto(file) {
			thumbs = append(thumbs, s.thumbnail(file))
		}
	}
	if len(thumbs) == 0 {
		return
	}
	o.Add(ui.Heading(lang.X("detail.photos", "Photos")))
	o.Add(container.NewGridWrap(fyne.NewSize(thumbW, thumbH), thumbs...))
}

func lowLabel(text string) *widget.Label {
	l := ui.Wrapped(text)
	l.Importance = widget.LowImportance
	return l
}

func (s *Screen) saveFile(file model.Attachment) {
	sha := file.SHA256
	ui.SaveAs(s.env, file.Name, func(w io.Writer) error {
		data, err := s.m.Blob(sha)
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	})
}

// renderIssues shows concurrent writes with every value and who wrote it,
// with a button per value to keep it, and the events the state refused.
func (s *Screen) renderIssues() {
	is := s.issues
	is.RemoveAll()
	if len(s.d.Conflicts) == 0 && len(s.d.Flags) == 0 {
		s.removeIssueTab()
		return
	}
	fixer := canResolveConflicts(s.m.Session().Role)
	for _, cf := range s.d.Conflicts {
		cf := cf
		is.Add(ui.Heading(lang.X("detail.conflict_on", "{{.Field}}: two people changed it at the same time", map[string]any{"Field": i18n.Field(cf.Field)})))
		for _, v := range cf.Values {
			v := v
			text := s.showConflictValue(cf.Field, v.Value) + " — " + s.ref.UserName(v.Writer.Author)
			if !v.At.IsZero() {
				text += " · " + i18n.DateTime(v.At)
			}
			var keep fyne.CanvasObject = widget.NewLabel("")
			if fixer {
				keep = widget.NewButton(lang.X("detail.keep", "Keep this one"), func() { s.keep(cf.Field, v.Value) })
			}
			is.Add(container.NewBorder(nil, nil, nil, keep, ui.Wrapped(text)))
		}
		is.Add(widget.NewSeparator())
	}
	for _, fl := range s.d.Flags {
		note := lang.X("detail.flag", "{{.Who}} on {{.Date}}: {{.Type}} was not applied ({{.Msg}})", map[string]any{
			"Who": s.ref.UserName(fl.Author), "Date": i18n.DateTime(fl.At), "Type": string(fl.Type), "Msg": fl.Message})
		l := ui.Wrapped(note)
		l.Importance = widget.WarningImportance
		is.Add(l)
	}
	if len(s.tabs.Items) == 4 {
		s.tabs.Append(s.issueTab)
	}
	is.Refresh()
}

func (s *Screen) removeIssueTab() {
	if len(s.tabs.Items) == 5 {
		s.tabs.Remove(s.issueTab)
	}
}

func (s *Screen) keep(field string, value json.RawMessage) {
	s.env.Nav.Touch()
	ui.Do(s.env, func() error { return s.m.ResolveConflict(s.id, field, value) }, func(err error) {
		if err != nil {
			ui.ShowError(s.env, explain(err))
			return
		}
		s.done(lang.X("detail.conflict_settled", "Conflict settled."))
	})
}

// done reloads after a command and says it worked.
func (s *Screen) done(message string) {
	s.panel = nil
	s.notice.SetText(message)
	s.notice.Show()
	s.Load()
}

// Notice is the last confirmation shown, "" if none.
func (s *Screen) Notice() string {
	if s.notice.Visible() {
		return s.notice.Text
	}
	return ""
}

// saveEightD asks where to save the complaint's 8D report, then writes it
// off the UI goroutine.
func (s *Screen) saveEightD() {
	id, language := s.id, i18n.Lang()
	ui.SaveAs(s.env, "8D-"+s.d.Complaint.Number+".pdf", func(w io.Writer) error { return s.m.EightD(id, language, w) })
}

// wrappedHeading is a bold title that wraps: a long action title must not
// widen the page beyond the window.
func wrappedHeading(text string) *widget.Label {
	l := ui.Heading(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
