package shell

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

// The three days of issue 10, played through the screens as people do,
// in English and in French: the operator at PRESS2 files with the
// keyboard only, the quality engineer takes a complaint through the loop,
// the plant manager approves a plan and exports. Every step goes through
// a button, a menu entry, a row or a key of the screens; the clock is
// injected and moves through the day.
func TestThreeDays(t *testing.T) {
	for _, language := range i18n.Languages {
		t.Run(language, func(t *testing.T) { playThreeDays(t, language) })
	}
}

// day is one run of the three days: the workstation, its shell, and
// the clock everyone reads.
type day struct {
	t   *testing.T
	s   *Shell
	now time.Time
	// english holds the English texts that must not be shown in the
	// language of the run (nil in English).
	english map[string]bool
}

func playThreeDays(t *testing.T, language string) {
	d := &day{t: t, now: time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC)}
	cfg := cheap
	cfg.Now = func() time.Time { return d.now }
	w := plantWith(t, cfg)
	d.s = newShell(t, w)
	d.s.env.Now = cfg.Now
	timers := &uitest.Timers{} // nothing outlives the test: delays fire when told
	d.s.env.Later = timers.Later
	if err := i18n.Init(language); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = i18n.Init("en") })
	if got := i18n.Lang(); got != language {
		t.Fatalf("language %q, want %q", got, language)
	}
	if language != "en" {
		d.english = untranslatable(t, language)
	}

	first := d.operatorFiles()
	d.engineerTakesItUp(first)
	d.operatorChooses(first)
	d.engineerCarriesItOut(first)
	d.operatorVerifies(first)
	d.managerApprovesAndExports(first)
}

// switchTo hands the workstation over with "Switch user": a form with
// a draft asks first, and the draft is kept.
func (d *day) switchTo(login string) {
	d.t.Helper()
	d.tap(d.tr("shell.switch"))
	if top := uitest.TopOverlay(d.s.win); top != nil {
		if !uitest.HasText(top, d.tr("report.leave_title")) {
			d.t.Fatalf("switching user shows %v", uitest.Texts(top, ""))
		}
		test.Tap(uitest.FindButton(top, d.tr("report.leave_keep")))
	}
	if d.s.Session().Login != "" || uitest.TopOverlay(d.s.win) != nil {
		d.t.Fatalf("still signed in as %q", d.s.Session().Login)
	}
	d.allTranslated() // the people of the workstation
	signIn(d.t, d.s, login)
}

// tr is the text of a translation key in the language of the run; a key
// missing from it fails the test (the text would be the fallback).
func (d *day) tr(key string, data ...any) string {
	d.t.Helper()
	const missing = "\x00missing"
	var got string
	if len(data) > 0 {
		got = lang.X(key, missing, data[0])
	} else {
		got = lang.X(key, missing)
	}
	if got == missing {
		d.t.Fatalf("no translation for %s", key)
	}
	return got
}

func (d *day) later(h time.Duration) { d.now = d.now.Add(h) }

func (d *day) canvas() fyne.Canvas { return d.s.win.Canvas() }

// tap taps the visible button with the label, failing when there is none.
func (d *day) tap(label string) {
	d.t.Helper()
	b := uitest.FindButton(d.s.win.Content(), label)
	if b == nil {
		d.t.Fatalf("no button %q on %q", label, d.s.title.Text)
	}
	d.allTranslated() // what the person sees before tapping
	test.Tap(b)
}

// menu opens a screen from the menu, by its title.
func (d *day) menu(title string) {
	d.t.Helper()
	d.tap(title)
	if d.s.title.Text != title {
		d.t.Fatalf("menu %q shows %q", title, d.s.title.Text)
	}
}

// tapRow taps the row of a list that shows text (a complaint number, a
// plan title), as a mouse or a finger does.
func (d *day) tapRow(text string) {
	d.t.Helper()
	var row fyne.Tappable
	uitest.Walk(d.s.Top(), func(o fyne.CanvasObject) bool {
		if tp, ok := o.(fyne.Tappable); ok && len(uitest.Texts(o, text)) > 0 {
			row = tp // visited outside in: the last one is the innermost
		}
		return false
	})
	if row == nil {
		d.t.Fatalf("no row showing %q on %q", text, d.s.title.Text)
	}
	test.Tap(row)
}

// choose picks an option of a select by tapping it, then the option in
// the menu it opens.
func (d *day) choose(sel fyne.CanvasObject, option string) {
	d.t.Helper()
	test.Tap(sel.(fyne.Tappable))
	menu := uitest.TopOverlay(d.s.win)
	if menu == nil || !uitest.TapText(menu, option) {
		d.t.Fatalf("no option %q", option)
	}
}

// typeHere types into the focused field; tab moves the focus on.
func (d *day) typeHere(text string) { d.t.Helper(); typeHere(d.t, d.canvas(), text) }
func (d *day) tab()                 { uitest.PressTab(d.canvas(), false) }
func (d *day) ctrlEnter()           { uitest.PressShortcut(d.canvas(), uitest.CtrlEnter) }

// sees fails unless the view shown holds the text, and when any text
// shown is still in English in another language.
func (d *day) sees(text string) {
	d.t.Helper()
	if !uitest.HasText(d.s.win.Content(), text) {
		d.t.Fatalf("%q not shown on %q", text, d.s.title.Text)
	}
	d.allTranslated()
}

// allTranslated fails when the window shows a text of the English
// translations whose own language says otherwise (a string that skipped
// the translation), or a raw error (a Go quoting or formatting artefact).
func (d *day) allTranslated() {
	d.t.Helper()
	shown := uitest.Texts(d.s.win.Content(), "")
	for _, o := range d.s.win.Canvas().Overlays().List() {
		shown = append(shown, uitest.Texts(o, "")...)
	}
	for _, s := range shown {
		if d.english[s] {
			d.t.Errorf("untranslated on %q: %q", d.s.title.Text, s)
		}
		if strings.Contains(s, `""`) || strings.Contains(s, "%!") || strings.Contains(s, "<nil>") {
			d.t.Errorf("raw error on %q: %q", d.s.title.Text, s)
		}
	}
}

// untranslatable lists the English texts that differ in lang: shown in
// lang, they are a translation missed.
func untranslatable(t *testing.T, lang string) map[string]bool {
	t.Helper()
	files, err := i18n.Files()
	if err != nil {
		t.Fatal(err)
	}
	var en, other map[string]string
	if err := json.Unmarshal(files["en"], &en); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(files[lang], &other); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for k, v := range en {
		if other[k] != v && !strings.Contains(v, "{{") {
			out[v] = true
		}
	}
	return out
}

// badge is the count shown beside a menu entry, "" when hidden.
func (d *day) badge(id string) string {
	for i, sc := range d.s.screens {
		if sc.ID == id && d.s.badges[i].Visible() {
			return d.s.badgeTexts[i].Text
		}
	}
	return ""
}

// focusedSelect is the select the focus is on, failing otherwise.
func (d *day) focusedSelect() *widget.Select {
	d.t.Helper()
	sel, ok := d.canvas().Focused().(*widget.Select)
	if !ok {
		d.t.Fatalf("focus on %T, want a select", d.canvas().Focused())
	}
	return sel
}

// task opens a task of the complaint page by its button.
func (d *day) task(key string) { d.t.Helper(); d.tap(d.tr(key)) }

// The operator signs in at PRESS2 and lands on the form: two complaints
// filed with the keyboard only, a third half-typed kept as a draft.
func (d *day) operatorFiles() (number string) {
	t, c := d.t, d.canvas()
	signIn(t, d.s, "marie")
	if d.s.title.Text != d.tr("nav.report") {
		t.Fatalf("operator's home is %q", d.s.title.Text)
	}
	fileByKeyboard(t, c)
	d.ctrlEnter()
	saved := uitest.Texts(d.s.Top(), strings.Split(d.tr("report.saved", map[string]any{"Number": "|"}), "|")[0])
	if len(saved) == 0 {
		t.Fatalf("first filing not saved: %v", uitest.Texts(d.s.Top(), "PRESS2"))
	}
	rows, err := d.s.m.ListComplaints(model.ComplaintQuery{FiledBy: "marie"}, "")
	if err != nil || len(rows.Rows) != 1 {
		t.Fatalf("mine: %v %v", rows, err)
	}
	number = rows.Rows[0].Number
	if !strings.Contains(saved[0], number) {
		t.Fatalf("saved line %q lacks %s", saved[0], number)
	}

	// A second one, on this workstation without a server (it files locally)
	d.later(20 * time.Minute)
	if e := uitest.Entry(c.Focused()); e == nil || e.Text != "" {
		t.Fatalf("after filing, focus on %T, want the empty part (the station stays)", c.Focused())
	}
	fileFromThePart(t, c)
	d.ctrlEnter()
	second, _ := d.s.m.ListComplaints(model.ComplaintQuery{FiledBy: "marie"}, "")
	if len(second.Rows) != 2 || second.Rows[0].Number == second.Rows[1].Number {
		t.Fatalf("second filing: %+v", second.Rows)
	}

	// A third, half-typed when the line calls: leaving asks, the draft is kept
	d.later(20 * time.Minute)
	d.typeHere("BR-7")
	d.tap(d.tr("nav.mine"))
	if top := uitest.TopOverlay(d.s.win); top == nil || !uitest.HasText(top, d.tr("report.leave_title")) {
		t.Fatal("leaving a half-typed complaint asked nothing")
	}
	d.allTranslated()
	test.Tap(uitest.FindButton(uitest.TopOverlay(d.s.win), d.tr("report.leave_keep")))
	if d.s.title.Text != d.tr("nav.mine") {
		t.Fatalf("after keeping the draft: %q", d.s.title.Text)
	}
	d.sees(number)
	d.menu(d.tr("nav.report"))
	d.sees(strings.Split(d.tr("report.draft_restored", map[string]any{"Time": "|"}), "|")[0])
	if dr, ok, _ := d.s.m.ReportDraft(); !ok || dr.PartRef != "BR-7" {
		t.Fatalf("draft %+v %v", dr, ok)
	}
	return number
}

// openFromList opens a complaint from a list screen by its number.
func (d *day) openFromList(screen, number string) {
	d.t.Helper()
	d.menu(d.tr(screen))
	d.tapRow(number)
	if d.s.title.Text != d.tr("shell.complaint") || !uitest.HasText(d.s.Top(), number) {
		d.t.Fatalf("complaint %s not opened: %q", number, d.s.title.Text)
	}
}

// The engineer sees the new complaints waiting, acknowledges one with a
// deadline and a note, records the 5 whys, proposes solutions and
// contains the defect.
func (d *day) engineerTakesItUp(number string) {
	t := d.t
	d.later(time.Hour)
	d.switchTo("paul")
	if got := d.badge("inbox"); got != "2" {
		t.Fatalf("inbox badge %q, want 2 complaints to acknowledge", got)
	}
	d.openFromList("nav.inbox", number)

	// Acknowledge: the deadline is proposed, the assignee is himself
	d.task("task.acknowledge")
	if e := uitest.Entry(d.canvas().Focused()); e == nil || e.Text == "" {
		t.Fatalf("no deadline proposed: %T overlay %T %v", d.canvas().Focused(), uitest.TopOverlay(d.s.win), uitest.Texts(uitest.TopOverlay(d.s.win), ""))
	}
	d.tab() // to the assignee
	if sel := d.focusedSelect(); sel.Selected != "Paul" {
		t.Fatalf("assignee %q", sel.Selected)
	}
	d.tab() // to the note
	note := "Lot L-0917 sorted at CUT1 this morning"
	d.typeHere(note)
	d.ctrlEnter()
	d.sees(d.tr("panel.acknowledged"))
	d.sees(note) // under Messages, on the overview

	// The analysis: containment, then the 5 whys, then the root cause
	d.later(2 * time.Hour)
	d.task("task.analyse")
	d.typeHere("Lot quarantined")
	whys := []string{"Burr on the edge", "Die worn", "No die check", "Not in the plan", "Plan never reviewed"}
	for _, why := range whys {
		d.tab()
		d.typeHere(why)
	}
	d.tab() // the cause family
	family := d.focusedSelect()
	d.choose(family, i18n.Ishikawa(domain.IshikawaFamilies[0]))
	d.canvas().Focus(family) // the menu closed, the select keeps the focus
	d.tab()                  // the root cause
	d.typeHere("No die wear check in the maintenance plan")
	d.ctrlEnter()
	d.sees(d.tr("panel.analysed"))
	d.sees(whys[4])
	d.sees("No die wear check in the maintenance plan") // as typed, across the field's soft wraps

	// Two solutions proposed
	d.task("task.propose")
	d.typeHere("Replace the die")
	d.tab()
	d.typeHere("Rework the lot")
	d.ctrlEnter()
	d.sees(d.tr("panel.proposed"))

	// A containment action, the only kind offered before the choice
	d.task("task.assign")
	d.sees(d.tr("panel.kind_why.choose"))
	d.assignAction(i18n.ActionKind(domain.ActionContainment), "Sort the stock")
}

// assignAction fills "Assign an action" and confirms it.
func (d *day) assignAction(kind, title string) {
	d.t.Helper()
	sel := d.focusedSelect()
	d.choose(sel, kind)
	d.canvas().Focus(sel) // the menu closed, the select keeps the focus
	d.tab()               // the title
	d.typeHere(title)
	d.tab() // the description
	d.tab() // the owner
	d.choose(d.focusedSelect(), "Paul")
	d.tap(d.tr("task.assign"))
	d.sees(d.tr("panel.assigned"))
}

// The operator is told a choice waits, and chooses a solution.
func (d *day) operatorChooses(number string) {
	t := d.t
	d.later(time.Hour)
	d.switchTo("marie")
	if got := d.badge("mine"); got != "1" {
		t.Fatalf("my complaints badge %q, want 1 waiting for me", got)
	}
	// The draft is still there, and leaving it asks again
	d.sees(strings.Split(d.tr("report.draft_restored", map[string]any{"Time": "|"}), "|")[0])
	d.tap(d.tr("nav.mine"))
	test.Tap(uitest.FindButton(uitest.TopOverlay(d.s.win), d.tr("report.leave_keep")))
	d.tapRow(number)
	d.task("task.choose")
	if !uitest.TapText(d.s.Top(), "S1: Replace the die") {
		t.Fatal("no solution S1 to choose")
	}
	d.tap(d.tr("task.choose"))
	d.sees(d.tr("panel.chosen"))
}

// The engineer assigns the corrective and preventive actions, moves one,
// marks them done on "My actions", and marks the complaint resolved.
func (d *day) engineerCarriesItOut(number string) {
	t := d.t
	d.later(time.Hour)
	d.switchTo("paul")
	if got := d.badge("inbox"); got != "1" {
		t.Fatalf("inbox badge %q, want the second complaint still to acknowledge", got)
	}
	d.openFromList("nav.inbox", number)
	d.task("task.assign")
	d.assignAction(i18n.ActionKind(domain.ActionCorrective), "Replace the cutting die")
	d.task("task.assign")
	d.assignAction(i18n.ActionKind(domain.ActionPreventive), "Weekly die check")

	// The toolmaker is late: the corrective action moves a week, with the reason
	if !uitest.TapText(d.s.Top(), d.tr("detail.tab.actions")) {
		t.Fatal("no Actions tab")
	}
	d.tap(d.tr("task.reschedule_action"))
	d.tab() // from the owner to the due date
	due := uitest.Entry(d.canvas().Focused())
	if due == nil {
		t.Fatalf("focus on %T, want the due date", d.canvas().Focused())
	}
	due.TypedShortcut(&fyne.ShortcutSelectAll{})
	d.typeHere(i18n.Date(d.now.Add(14 * 24 * time.Hour)))
	d.tab()
	d.typeHere("Toolmaker late")
	d.ctrlEnter()
	d.sees(d.tr("panel.action_rescheduled"))
	if !uitest.TapText(d.s.Top(), d.tr("detail.tab.timeline")) {
		t.Fatal("no Timeline tab")
	}
	d.sees("Toolmaker late")

	// Done, one after the other, on "My actions"
	d.menu(d.tr("nav.my_actions"))
	for range 3 {
		d.tap(d.tr("board.mark_done"))
	}
	if uitest.FindButton(d.s.Top(), d.tr("board.mark_done")) != nil {
		t.Fatal("an action is still to be done")
	}
	// Back to the complaint from its action, and resolved
	d.tap(number)
	d.task("task.resolve")
	d.typeHere("Die replaced, weekly check planned")
	d.ctrlEnter()
	d.sees(d.tr("panel.resolved"))
	d.sees(i18n.Status(domain.StatusResolved))
}

// The operator confirms the resolution and rates it.
func (d *day) operatorVerifies(number string) {
	t := d.t
	d.later(24 * time.Hour)
	d.switchTo("marie")
	d.tap(d.tr("nav.mine"))
	test.Tap(uitest.FindButton(uitest.TopOverlay(d.s.win), d.tr("report.leave_keep")))
	d.tapRow(number)
	d.task("task.verify")
	if !uitest.TapText(d.s.Top(), "5") {
		t.Fatal("no 5 stars to give")
	}
	d.tab()
	d.typeHere("Fast, thanks")
	d.ctrlEnter()
	d.sees(d.tr("panel.verified"))
	d.sees("★★★★★ — Fast, thanks")
}

// The plant manager sees a plan waiting for her, approves it with her
// password, opens the dashboard and its exports.
func (d *day) managerApprovesAndExports(number string) {
	t := d.t
	// Given a preventive plan drafted and submitted by the engineer
	d.switchTo("paul")
	m := d.s.m
	inbox, err := m.ListComplaints(model.ComplaintQuery{Text: number}, "")
	if err != nil || len(inbox.Rows) != 1 {
		t.Fatalf("complaint %s: %v %v", number, inbox.Rows, err)
	}
	id, category := inbox.Rows[0].ID, inbox.Rows[0].Category
	plan, err := m.DraftPlan(model.NewPlan{Title: "Die wear at CUT1", SupplierStation: "CUT1", Categories: []string{category}, Complaints: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddPlanAction(plan, model.NewAction{Kind: domain.ActionPreventive, Title: "Monthly die audit", Owner: "paul", Due: d.now.Add(30 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := m.SubmitPlan(plan, ""); err != nil {
		t.Fatal(err)
	}

	d.later(time.Hour)
	d.switchTo("sophie")
	if got := d.badge("plans"); got != "1" {
		t.Fatalf("plans badge %q, want 1 plan to approve", got)
	}
	d.menu(d.tr("nav.plans"))
	d.tapRow("Die wear at CUT1")
	d.tap(d.tr("plan.approve"))
	d.sees(d.tr("plan.meaning_approve"))
	var password *widget.Entry
	uitest.Walk(d.s.Top(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			password = e
			return true
		}
		return false
	})
	if password == nil {
		t.Fatal("no password to sign with")
	}
	d.canvas().Focus(password) // a click in the field
	d.typeHere("password1")
	uitest.PressTab(d.canvas(), true) // back to the comment
	d.typeHere("Go ahead, audit monthly")
	d.tap(d.tr("plan.approve"))
	if !uitest.HasText(d.s.Top(), d.tr("plan.approved")) {
		t.Fatalf("not approved: %q", uitest.Texts(d.s.Top(), ""))
	}
	d.sees(i18n.PlanStatus(domain.PlanStatusApproved))
	if got := d.badge("plans"); got != "" {
		t.Errorf("plans badge %q after the approval", got)
	}

	// The dashboard, and every export's save dialog, cancelled
	d.menu(d.tr("nav.dashboard"))
	d.sees(d.tr("dashboard.tile.plans_to_approve"))
	d.sees(d.tr("dashboard.plans_stages", map[string]any{"Approved": 1, "Running": 0})) // the approval counted
	for _, item := range []string{"dashboard.export.complaints_xlsx", "dashboard.export.complaints_csv",
		"dashboard.export.actions_xlsx", "dashboard.export.actions_csv", "dashboard.export.monthly"} {
		d.tap(d.tr("dashboard.export"))
		if menu := uitest.TopOverlay(d.s.win); menu == nil || !uitest.TapText(menu, d.tr(item)) {
			t.Fatalf("no export %q", item)
		}
		d.allTranslated()
		dlg := uitest.TopOverlay(d.s.win)
		save, cancel := lang.L("Save"), lang.L("Cancel")
		if dlg == nil || uitest.FindButton(dlg, save) == nil || uitest.FindButton(dlg, cancel) == nil {
			t.Fatalf("%s: no save dialog", item)
		}
		test.Tap(uitest.FindButton(dlg, cancel))
		if uitest.TopOverlay(d.s.win) != nil {
			t.Fatalf("%s: the dialog stays after %s", item, cancel)
		}
	}
}
