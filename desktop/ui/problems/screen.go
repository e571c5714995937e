// Package problems holds the problem page (issue 11): one problem
// (failure mode) with its complaints over time, the actions and plans
// that address it, the measured verdict of its prevention, and the
// engineers' merge and split; and what the complaint's problem panel
// shares with it (the picker, the reasons and refusals in words).
package problems

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/shared/analytics"
	"boucle/shared/domain"
)

// Model is what the problem page needs.
type Model interface {
	Session() model.Session
	Problem(id analytics.ProblemID) (model.ProblemDetail, error)
	MergeProblem(from, into analytics.ProblemID, otherSupplier bool) error
	SplitProblem(from analytics.ProblemID, complaints []string) (analytics.ProblemID, error)
	ResolveProblemConflict(problem analytics.ProblemID, field string, value []byte) error
}

// Opener opens what the page links to (the shell's navigation).
type Opener struct {
	Complaint func(id string)
	Plan      func(id string)
	Problem   func(id analytics.ProblemID)
}

// Screen is one problem's page.
type Screen struct {
	env  ui.Env
	m    Model
	id   analytics.ProblemID
	open Opener
	d    model.ProblemDetail

	body   *fyne.Container
	notice *fyne.Container
	errL   *widget.Label
	obj    fyne.CanvasObject
	then   []func()
	// dialog is the last dialog opened (tests tap its buttons).
	dialog dialog.Dialog
	picker *Picker
	split  map[string]bool // the complaints ticked in the split dialog
}

// New builds the page of problem id; Load fills it.
func New(env ui.Env, m Model, id analytics.ProblemID, open Opener) *Screen {
	s := &Screen{env: env, m: m, id: id, open: open}
	s.body = container.NewVBox()
	s.notice = container.NewVBox()
	s.errL = ui.ErrorLabel()
	s.obj = container.NewVScroll(container.NewPadded(container.NewVBox(s.errL, s.notice, s.body)))
	return s
}

// Object is the page's widget tree.
func (s *Screen) Object() fyne.CanvasObject { return s.obj }

// Content wraps the page.
func (s *Screen) Content() ui.Content { return ui.Content{Object: s.obj, Refresh: s.Load} }

// Detail is what the page shows (tests).
func (s *Screen) Detail() model.ProblemDetail { return s.d }

// Then runs fn once the page is loaded and shown.
func (s *Screen) Then(fn func()) { s.then = append(s.then, fn) }

// Load reads the problem off the UI goroutine. A problem merged meanwhile
// shows the problem it was merged into.
func (s *Screen) Load() {
	id := s.id
	ui.Load(s.env, func() (model.ProblemDetail, error) { return s.m.Problem(id) }, func(d model.ProblemDetail, err error) {
		ui.SetError(s.errL, err)
		if err != nil {
			return
		}
		s.d, s.id = d, d.Ref.ID
		s.render()
		then := s.then
		s.then = nil
		for _, fn := range then {
			fn()
		}
	})
}

// Show opens a dialog by name ("merge", "split"); false for another name
// or a role that may not.
func (s *Screen) Show(name string) bool {
	if !s.decides() {
		return false
	}
	switch name {
	case "merge":
		s.openMerge()
	case "split":
		s.openSplit()
	default:
		return false
	}
	return true
}

func (s *Screen) decides() bool {
	r := s.m.Session().Role
	return r == domain.RoleEngineer || r == domain.RoleManager
}

func (s *Screen) render() {
	b, d := s.body, &s.d
	b.RemoveAll()
	title := ui.Heading(lang.X("problem.page.title", "Problem {{.Name}}", map[string]any{"Name": d.Ref.Name()}))
	title.Wrapping = fyne.TextWrapWord
	title.SizeName = theme.SizeNameSubHeadingText
	b.Add(title)
	var first, last string
	if n := len(d.Complaints); n > 0 {
		first, last = i18n.Date(d.Complaints[0].FiledAt), i18n.Date(d.Complaints[n-1].FiledAt)
	}
	b.Add(ui.Wrapped(lang.X("problem.page.summary", "Supplier station {{.Station}} · {{.Complaints}}, from {{.First}} to {{.Last}} · parts {{.Parts}}",
		map[string]any{"Station": d.Ref.SupplierStation, "Complaints": Complaints(len(d.Complaints)), "First": first, "Last": last, "Parts": orDash(strings.Join(d.Parts, ", "))})))
	b.Add(s.verdictLine())
	s.renderConflicts(b)
	if s.decides() {
		b.Add(container.NewHBox(
			widget.NewButtonWithIcon(lang.X("problem.merge", "Merge into another problem…"), theme.MoveUpIcon(), s.openMerge),
			widget.NewButtonWithIcon(lang.X("problem.split", "Split…"), theme.ContentCutIcon(), s.openSplit)))
	}
	b.Add(widget.NewSeparator())
	b.Add(ui.Heading(lang.X("problem.page.per_month", "Complaints per month")))
	b.Add(monthBars(d.ByMonth))
	b.Add(ui.Heading(lang.X("problem.page.complaints", "Complaints")))
	for _, c := range d.Complaints {
		b.Add(s.complaintRow(c))
	}
	b.Add(ui.Heading(lang.X("problem.page.actions", "Actions")))
	if len(d.Actions) == 0 {
		b.Add(lowLabel(lang.X("problem.page.no_actions", "No action on its complaints yet.")))
	}
	for _, a := range d.Actions {
		b.Add(s.actionRow(a))
	}
	b.Add(ui.Heading(lang.X("problem.page.plans", "Preventive plans")))
	if len(d.Plans) == 0 {
		b.Add(lowLabel(lang.X("problem.page.no_plans", "No plan names its complaints.")))
	}
	for _, p := range d.Plans {
		b.Add(s.planRow(p))
	}
	if len(d.MergedFrom) > 0 {
		var names []string
		for _, r := range d.MergedFrom {
			names = append(names, mergedName(r))
		}
		b.Add(lowLabel(lang.X("problem.page.merged_from", "Merged into it: {{.Names}}", map[string]any{"Names": strings.Join(names, ", ")})))
	}
	b.Refresh()
}

// verdictLine is the measured verdict of the problem's prevention, and
// the recurrences after prevention, flagged.
func (s *Screen) verdictLine() fyne.CanvasObject {
	v := s.d.Verdict
	var l *widget.Label
	args := map[string]any{"Subject": v.Subject, "Days": v.DaysLeft}
	switch v.Verdict {
	case analytics.Effective:
		l = ui.Wrapped(lang.X("problem.verdict.effective", "Prevention effective: no complaint within 90 days of “{{.Subject}}”.", args))
		l.Importance = widget.SuccessImportance
	case analytics.Ineffective:
		l = ui.Wrapped(lang.X("problem.verdict.ineffective", "Prevention ineffective: the problem came back after “{{.Subject}}”.", args))
		l.Importance = widget.DangerImportance
	case analytics.Pending:
		l = ui.Wrapped(lang.X("problem.verdict.too_early", "Too early to tell: “{{.Subject}}” has {{.Days}} days left without a complaint to be effective.", args))
		l.Importance = widget.WarningImportance
	default:
		l = ui.Wrapped(lang.X("problem.verdict.none", "No prevention yet: no preventive action done, no plan started on this problem."))
	}
	if v.AfterPrevention == 0 {
		return l
	}
	after := ui.Wrapped(lang.X("problem.after_prevention", "Complaints that came back after prevention: {{.Count}}.", map[string]any{"Count": v.AfterPrevention}))
	after.Importance = widget.DangerImportance
	return container.NewVBox(l, after)
}

// monthBars draws the complaints per month as horizontal bars.
func monthBars(months []model.MonthCount) fyne.CanvasObject {
	most := 1
	for _, m := range months {
		most = max(most, m.Count)
	}
	rows := container.New(layoutRows{})
	for _, m := range months {
		bar := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		bar.SetMinSize(fyne.NewSize(float32(m.Count)*360/float32(most), 14))
		count := widget.NewLabel(fmt.Sprint(m.Count))
		rows.Add(container.NewHBox(ui.MinSize(widget.NewLabel(m.Month), 90, 0), container.NewCenter(bar), count))
	}
	return rows
}

// layoutRows stacks rows without padding, so a long problem stays short.
type layoutRows struct{}

func (layoutRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height - theme.Padding()
		o.Resize(fyne.NewSize(size.Width, o.MinSize().Height))
		o.Move(fyne.NewPos(0, y))
		y += h
	}
}

func (layoutRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - theme.Padding()
	}
	return s.AddWidthHeight(0, theme.Padding())
}

func (s *Screen) complaintRow(c model.ProblemComplaint) fyne.CanvasObject {
	id := c.ID
	num := widget.NewButton(c.Number, func() { s.openComplaint(id) })
	num.Importance = widget.LowImportance
	text := i18n.Date(c.FiledAt) + " · " + i18n.Status(c.Status) + " · " + c.PartRef + " · " + c.Description
	line := widget.NewLabel(text)
	line.Truncation = fyne.TextTruncateEllipsis
	var flags []fyne.CanvasObject
	if c.RecurrenceOf != "" {
		rec := widget.NewLabel(lang.X("problem.page.recurrence_of", "recurrence of {{.Number}}", map[string]any{"Number": c.RecurrenceOf}))
		rec.Importance = widget.WarningImportance
		flags = append(flags, rec)
	}
	if c.AfterPrevention {
		after := widget.NewLabel(lang.X("problem.page.after_prevention", "after prevention"))
		after.Importance = widget.DangerImportance
		flags = append(flags, after)
	}
	if c.Decided {
		flags = append(flags, lowLabel(lang.X("problem.page.decided", "placed by an engineer")))
	}
	return container.NewBorder(nil, nil, ui.MinSize(num, 200, 0), container.NewHBox(flags...), line)
}

func (s *Screen) actionRow(a model.ProblemAction) fyne.CanvasObject {
	text := i18n.ActionKind(a.Kind) + " · " + a.Title + " · " + i18n.ActionStatus(a.Status)
	if a.Measured != nil {
		text += " · " + measuredText(a.Measured)
	}
	line := widget.NewLabel(text)
	line.Truncation = fyne.TextTruncateEllipsis
	id := a.ComplaintID
	num := widget.NewButton(a.ComplaintNumber, func() { s.openComplaint(id) })
	num.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, ui.MinSize(num, 200, 0), nil, line)
}

func (s *Screen) planRow(p model.ProblemPlan) fyne.CanvasObject {
	id := p.ID
	open := widget.NewButton(p.Title, func() {
		if s.open.Plan != nil {
			s.open.Plan(id)
		}
	})
	open.Importance = widget.LowImportance
	text := i18n.PlanStatus(p.Status)
	if p.Measured != nil {
		text += " · " + measuredText(p.Measured)
	}
	return container.NewHBox(open, widget.NewLabel(text))
}

// measuredText is a measured verdict in a few words.
func measuredText(e *model.Effectiveness) string {
	switch e.Verdict {
	case analytics.Effective:
		return lang.X("problem.measured.effective", "measured effective")
	case analytics.Ineffective:
		return lang.X("problem.measured.ineffective", "measured ineffective ({{.Numbers}})", map[string]any{"Numbers": strings.Join(e.Evidence, ", ")})
	}
	return lang.X("problem.measured.too_early", "too early to tell ({{.Days}} days left)", map[string]any{"Days": e.DaysLeft})
}

func (s *Screen) openComplaint(id string) {
	if s.open.Complaint != nil {
		s.open.Complaint(id)
	}
}

// mergedName names a problem merged into this one: after the complaint it
// was named after, or as one an engineer created.
func mergedName(r model.ProblemRef) string {
	if r.Number != "" {
		return r.Number
	}
	return lang.X("problem.created_by_engineer", "a problem an engineer created")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// openMerge asks which problem to merge this one into.
func (s *Screen) openMerge() {
	s.env.Nav.Touch()
	var choices []model.ProblemRef
	for _, r := range s.d.MergeTargets {
		if r.Complaints == 0 { // merged into this one: named, and refused by rule if chosen
			r.Title = lang.X("problem.merged_here", "merged into this one")
			if r.Number == "" {
				r.Number = mergedName(r)
			}
		}
		choices = append(choices, r)
	}
	s.picker = NewPicker(choices)
	intro := ui.Wrapped(lang.X("problem.merge.intro", "Its complaints, past and future, join the problem chosen; the plans naming complaints of either stay linked."))
	body := container.NewBorder(intro, nil, nil, nil, s.picker.Object())
	s.dialog = dialog.NewCustomConfirm(lang.X("problem.merge.title", "Merge {{.Name}} into…", map[string]any{"Name": s.d.Ref.Number}),
		lang.X("problem.merge.do", "Merge"), lang.X("action.cancel", "Cancel"), body, func(ok bool) {
			if into, chosen := s.picker.Chosen(); ok && chosen {
				s.merge(into, false)
			}
		}, s.env.Win)
	s.dialog.Resize(fyne.NewSize(760, 540))
	s.dialog.Show()
}

// merge records the merge; a problem of another supplier station asks
// first, and every refusal is named by its rule.
func (s *Screen) merge(into model.ProblemRef, otherSupplier bool) {
	from := s.d.Ref
	ui.Do(s.env, func() error { return s.m.MergeProblem(from.ID, into.ID, otherSupplier) }, func(err error) {
		var de *domain.Error
		if errors.As(err, &de) && de.Rule == "problem.other_supplier" && !otherSupplier {
			s.dialog = Confirm(s.env.Win, lang.X("problem.other_supplier.title", "Another supplier station"),
				lang.X("problem.merge.other_supplier", "Problem {{.Into}} is about supplier station {{.Theirs}}, this one about {{.Mine}}. A problem normally stays within one supplier station; merge anyway if the same failure truly crosses stations.",
					map[string]any{"Into": into.Name(), "Theirs": into.SupplierStation, "Mine": from.SupplierStation}),
				lang.X("problem.merge.anyway", "Merge anyway"), func(ok bool) {
					if ok {
						s.merge(into, true)
					}
				})
			return
		}
		if err != nil {
			s.refused(err)
			return
		}
		s.id = into.ID // this problem is the other one now
		s.say(lang.X("problem.merged", "Merged into problem {{.Name}}.", map[string]any{"Name": into.Name()}), "")
		s.Load()
	})
}

// refused shows a refusal in words, named by its rule.
func (s *Screen) refused(err error) {
	var de *domain.Error
	if errors.As(err, &de) {
		if words := RuleWords(de.Rule); words != "" {
			err = &domain.Error{Code: de.Code, Rule: de.Rule, Message: words}
		}
	}
	ui.ShowError(s.env, err)
}

// openSplit asks which complaints to take out into a new problem.
func (s *Screen) openSplit() {
	s.env.Nav.Touch()
	s.split = map[string]bool{}
	list := container.NewVBox()
	for _, c := range s.d.Complaints {
		id := c.ID
		text := c.Number + " · " + i18n.Date(c.FiledAt) + " · " + c.PartRef + " · " + c.Description
		if r := []rune(text); len(r) > 90 {
			text = string(r[:90]) + "…"
		}
		list.Add(widget.NewCheck(text, func(on bool) { s.split[id] = on }))
	}
	intro := ui.Wrapped(lang.X("problem.split.intro", "Tick the complaints that are another problem: they form a new problem; the others stay."))
	body := container.NewBorder(intro, nil, nil, nil, container.NewVScroll(list))
	s.dialog = dialog.NewCustomConfirm(lang.X("problem.split.title", "Split {{.Name}}", map[string]any{"Name": s.d.Ref.Number}),
		lang.X("problem.split.do", "Split"), lang.X("action.cancel", "Cancel"), body, func(ok bool) {
			if ok {
				s.doSplit()
			}
		}, s.env.Win)
	s.dialog.Resize(fyne.NewSize(760, 540))
	s.dialog.Show()
}

func (s *Screen) doSplit() {
	var chosen []string
	for _, c := range s.d.Complaints { // in the page's order
		if s.split[c.ID] {
			chosen = append(chosen, c.ID)
		}
	}
	var made analytics.ProblemID
	from := s.d.Ref.ID
	ui.Do(s.env, func() (err error) { made, err = s.m.SplitProblem(from, chosen); return err }, func(err error) {
		if err != nil {
			s.refused(err)
			return
		}
		done := lang.X("problem.split.done", "{{.Count}} complaints form a new problem.", map[string]any{"Count": len(chosen)})
		if len(chosen) == 1 {
			done = lang.X("problem.split.done_one", "1 complaint forms a new problem.")
		}
		s.say(done, made)
		s.Load()
	})
}

// say shows what was done above the page, with a button to open the new
// problem of a split.
func (s *Screen) say(text string, made analytics.ProblemID) {
	l := ui.Wrapped(text)
	l.Importance = widget.SuccessImportance
	s.notice.Objects = []fyne.CanvasObject{l}
	if made != "" && s.open.Problem != nil {
		s.notice.Add(widget.NewButton(lang.X("problem.split.open", "Open the new problem"), func() { s.open.Problem(made) }))
	}
	s.notice.Refresh()
}

// Notice is the confirmation shown, "" if none (tests).
func (s *Screen) Notice() string {
	for _, o := range s.notice.Objects {
		if l, ok := o.(*widget.Label); ok {
			return l.Text
		}
	}
	return ""
}

// Dialog is the last dialog opened (tests).
func (s *Screen) Dialog() dialog.Dialog { return s.dialog }

// Picker is the merge dialog's picker (tests).
func (s *Screen) Picker() *Picker { return s.picker }

// renderConflicts shows concurrent merges like the complaint page shows
// its conflicts: each target with who chose it, and a button to keep it.
func (s *Screen) renderConflicts(b *fyne.Container) {
	for _, cf := range s.d.Conflicts {
		warn := ui.Wrapped(lang.X("problem.merge_conflict", "Two people merged {{.From}} into different problems at the same time:",
			map[string]any{"From": mergedName(cf.From)}))
		warn.Importance = widget.WarningImportance
		b.Add(warn)
		for _, v := range cf.Values {
			from, value := cf.From.ID, v.Value
			text := v.Problem.Name() + " — " + v.By + " · " + i18n.DateTime(v.At)
			var keep fyne.CanvasObject = widget.NewLabel("")
			if s.decides() {
				keep = widget.NewButton(lang.X("detail.keep", "Keep this one"), func() { s.keepMerge(from, value) })
			}
			b.Add(container.NewBorder(nil, nil, nil, keep, ui.Wrapped(text)))
		}
	}
}

// keepMerge settles a concurrent merge with the target kept.
func (s *Screen) keepMerge(from analytics.ProblemID, value []byte) {
	s.env.Nav.Touch()
	ui.Do(s.env, func() error { return s.m.ResolveProblemConflict(from, "merged_into", value) }, func(err error) {
		if err != nil {
			s.refused(err)
			return
		}
		s.say(lang.X("problem.merge_conflict.settled", "Conflict settled."), "")
		s.Load()
	})
}
