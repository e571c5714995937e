package admin

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/desktop/ui/widgets"
	"boucle/shared/domain"
)

// Sections in tab order.
const (
	tabStations = iota
	tabPeople
	tabCategories
	tabSeverities
	tabWorkstations
)

type harness struct {
	t   *testing.T
	env ui.Env
	s   *Screen
	f   *fakeServer
}

func open(t *testing.T, f *fakeServer) *harness {
	t.Helper()
	env, _ := uitest.New(t)
	env.Now = func() time.Time { return f.now }
	s := New(env, f)
	uitest.Show(env, s.Object())
	s.Load()
	return &harness{t: t, env: env, s: s, f: f}
}

// overlay is the dialog shown, failing when there is none.
func (h *harness) overlay() fyne.CanvasObject {
	h.t.Helper()
	top := uitest.TopOverlay(h.env.Win)
	if top == nil {
		h.t.Fatal("no dialog shown")
	}
	return top
}

func (h *harness) noDialog() {
	h.t.Helper()
	if top := uitest.TopOverlay(h.env.Win); top != nil {
		h.t.Fatalf("a dialog is still shown: %v", uitest.Texts(top, ""))
	}
}

// rowButton finds, in a section, the button of the row showing text.
func (h *harness) rowButton(tab int, text, button string) *widget.Button {
	h.t.Helper()
	h.s.Show(tab)
	for _, o := range h.s.lists[tab].Objects {
		if c, ok := o.(*fyne.Container); ok && uitest.HasText(c, text) {
			if b := uitest.FindButton(c, button); b != nil {
				return b
			}
		}
	}
	h.t.Fatalf("no %q button on the row %q", button, text)
	return nil
}

// openRow taps a row's button: a dialog must open.
func (h *harness) openRow(tab int, text, button string) fyne.CanvasObject {
	h.t.Helper()
	test.Tap(h.rowButton(tab, text, button))
	return h.overlay()
}

// openAdd taps a section's add button: a dialog must open.
func (h *harness) openAdd(tab int, button string) fyne.CanvasObject {
	h.t.Helper()
	h.s.Show(tab)
	b := uitest.FindButton(h.s.Object(), button)
	if b == nil {
		h.t.Fatalf("no %q button", button)
	}
	test.Tap(b)
	return h.overlay()
}

// press taps a button of the dialog.
func (h *harness) press(dlg fyne.CanvasObject, button string) {
	h.t.Helper()
	b := uitest.FindButton(dlg, button)
	if b == nil {
		h.t.Fatalf("no %q button in the dialog (%v)", button, uitest.Texts(dlg, ""))
	}
	test.Tap(b)
}

func entries(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	uitest.Walk(o, func(c fyne.CanvasObject) bool {
		if e := widgets.EntryOf(c); e != nil {
			out = append(out, e)
			return false
		}
		return false
	})
	return out
}

func selects(o fyne.CanvasObject) []*widget.Select {
	var out []*widget.Select
	uitest.Walk(o, func(c fyne.CanvasObject) bool {
		if s, ok := c.(*widget.Select); ok {
			out = append(out, s)
		}
		return false
	})
	return out
}

// fill types each text into the dialog's entries, in order ("" leaves
// one as it is).
func fill(dlg fyne.CanvasObject, texts ...string) {
	for i, e := range entries(dlg) {
		if i < len(texts) && texts[i] != "" {
			e.SetText(texts[i])
		}
	}
}

// fieldError is the error shown under a field of the dialog's form.
func (h *harness) fieldError(field string) string {
	h.t.Helper()
	if h.s.dialog == nil || h.s.dialog.form == nil {
		h.t.Fatal("no form dialog")
	}
	return h.s.dialog.form.ErrorText(field)
}

func (h *harness) lastCall() string {
	if len(h.f.calls) == 0 {
		return ""
	}
	return h.f.calls[len(h.f.calls)-1]
}

func TestFormsOffUntilLoaded(t *testing.T) {
	env, _ := uitest.New(t)
	s := New(env, newFake())
	for _, a := range addButtons {
		s.Show(a.tab)
		if b := uitest.FindButton(s.Object(), a.text); b == nil || !b.Disabled() {
			t.Errorf("%q enabled before the screen knows whether the server answers", a.text)
		}
	}
}

func TestOpensEverySection(t *testing.T) {
	// Given the administrator online
	h := open(t, newFake())
	// Then every section lists what the server holds, retired entries included
	for _, c := range []struct {
		tab  int
		text string
	}{
		{tabStations, "PRESS2 · Press 2"},
		{tabStations, "OLD1 · Old press · retired"},
		{tabPeople, "Emma Roux (emma.roux) · Operator · PRESS2 · enabled"},
		{tabPeople, "Paul Left (paul.left) · Operator · ASSY1 · disabled"},
		{tabPeople, "Zoé Local (zoe.local) · Operator · PRESS2 · enabled · no password yet"},
		{tabCategories, "dimensional · Dimensional / Dimensionnel"},
		{tabCategories, "rust · Rust / Rouille · retired"},
		{tabSeverities, "Major · acknowledge within 8 h · resolve within 120 h (5 d 0 h)"},
		{tabWorkstations, "press2-pc · “PRESS2 by the door” · PRESS2 · series A"},
		{tabWorkstations, "old-pc · ASSY1 · series B · enrolled"},
	} {
		h.s.Show(c.tab)
		if !uitest.HasText(h.s.tabs.Selected().Content, c.text) {
			t.Errorf("section %d does not show %q", c.tab, c.text)
		}
	}
	if !uitest.HasText(h.s.lists[tabWorkstations], "last seen 2 h 0 min ago") {
		t.Error("the workstation's last contact is not shown")
	}
	if uitest.HasText(h.s.Object(), "needs the plant server") {
		t.Error("a banner is shown online")
	}
	// A retired station, a revoked workstation: no buttons on their rows
	for _, tab := range []int{tabStations, tabWorkstations} {
		for _, o := range h.s.lists[tab].Objects {
			if uitest.HasText(o, "retired") || uitest.HasText(o, "revoked") {
				if uitest.FindButton(o, "Retire") != nil || uitest.FindButton(o, "Revoke") != nil {
					t.Errorf("a retired or revoked row offers to retire or revoke it again")
				}
			}
		}
	}
}

func TestAddPersonShowsThePasswordOnce(t *testing.T) {
	h := open(t, newFake())
	// When the administrator adds an operator of PRESS2
	dlg := h.openAdd(tabPeople, "Add a person")
	fill(dlg, "marie.dupont", "Marie Dupont")
	sel := selects(dlg)
	sel[0].SetSelected("Operator")
	sel[1].SetSelected("PRESS2 · Press 2")
	h.press(dlg, "Add the person")
	// Then she is added, and her password shown once with a copy button
	if got := h.lastCall(); got != "add user marie.dupont" {
		t.Fatalf("call = %q", got)
	}
	secret := h.overlay()
	if !uitest.HasText(secret, "It will not be shown again") {
		t.Fatalf("no warning in %v", uitest.Texts(secret, ""))
	}
	if e := entries(secret); len(e) != 1 || e[0].Text != "pw-1-once" {
		t.Fatalf("password shown: %v", e)
	}
	h.press(secret, "Copy")
	if got := fyne.CurrentApp().Clipboard().Content(); got != "pw-1-once" {
		t.Fatalf("clipboard = %q", got)
	}
	// The shown password cannot be edited by a stray key
	test.Type(entries(secret)[0], "x")
	if entries(secret)[0].Text != "pw-1-once" {
		t.Fatal("the shown password changed")
	}
	h.press(secret, "Done")
	h.noDialog()
	// And the list, read again from the server, shows her; the password is gone
	if !uitest.HasText(h.s.lists[tabPeople], "Marie Dupont (marie.dupont) · Operator · PRESS2 · enabled") {
		t.Fatal("new person not listed")
	}
	if uitest.HasText(h.s.Object(), "pw-1-once") {
		t.Fatal("the password is still on screen")
	}
	if !uitest.HasText(h.s.Object(), "Saved on the plant server") {
		t.Fatal("no notice of where the change went")
	}
}

func TestResetPassword(t *testing.T) {
	h := open(t, newFake())
	dlg := h.openRow(tabPeople, "emma.roux", "Reset password")
	if !uitest.HasText(dlg, "The old one stops working") {
		t.Fatalf("no warning: %v", uitest.Texts(dlg, ""))
	}
	h.press(dlg, "Reset the password")
	if h.lastCall() != "reset password emma.roux" {
		t.Fatalf("call = %q", h.lastCall())
	}
	secret := h.overlay()
	if e := entries(secret); len(e) != 1 || e[0].Text != "pw-1-once" || !uitest.HasText(secret, "It will not be shown again") {
		t.Fatalf("reset password not shown once: %v", uitest.Texts(secret, ""))
	}
	h.press(secret, "Done")
	h.noDialog()
	// Your own password is not reset here, nor are you disabled
	if !h.rowButton(tabPeople, "(admin)", "Reset password").Disabled() || !h.rowButton(tabPeople, "(admin)", "Disable").Disabled() {
		t.Fatal("the administrator is offered to reset their own password or disable themself")
	}
	if !uitest.HasText(h.s.lists[tabPeople], "Plant Admin (admin) · Administrator · enabled · you") {
		t.Fatal("own row not marked")
	}
	// A disabled person's password cannot be reset before enabling them
	if !h.rowButton(tabPeople, "paul.left", "Reset password").Disabled() {
		t.Fatal("reset offered for a disabled person")
	}
}

func TestDisableAndEnable(t *testing.T) {
	h := open(t, newFake())
	dlg := h.openRow(tabPeople, "emma.roux", "Disable")
	// Without a reason: refused under the reason, nothing done
	h.press(dlg, "Disable")
	if got := h.fieldError("reason"); got != "is required" {
		t.Fatalf("reason error = %q", got)
	}
	if len(h.f.calls) != 0 {
		t.Fatalf("calls = %v", h.f.calls)
	}
	fill(h.overlay(), "Left the plant")
	h.press(h.overlay(), "Disable")
	h.noDialog()
	if h.lastCall() != "disable user emma.roux" || !uitest.HasText(h.s.lists[tabPeople], "Emma Roux (emma.roux) · Operator · PRESS2 · disabled") {
		t.Fatalf("not disabled: %v", h.f.calls)
	}
	// Enabled again
	h.press(h.openRow(tabPeople, "emma.roux", "Enable"), "Enable")
	h.noDialog()
	if h.lastCall() != "enable user emma.roux" || !uitest.HasText(h.s.lists[tabPeople], "Emma Roux (emma.roux) · Operator · PRESS2 · enabled") {
		t.Fatalf("not enabled: %v", h.f.calls)
	}
}

func TestChangeRoleStationAndName(t *testing.T) {
	h := open(t, newFake())
	dlg := h.openRow(tabPeople, "emma.roux", "Edit")
	if e := entries(dlg); e[0].Text != "Emma Roux" {
		t.Fatalf("name not filled in: %q", e[0].Text)
	}
	sel := selects(dlg)
	if sel[0].Selected != "Operator" || sel[1].Selected != "PRESS2 · Press 2" {
		t.Fatalf("current role and station not selected: %q %q", sel[0].Selected, sel[1].Selected)
	}
	sel[0].SetSelected("Quality engineer")
	sel[1].SetSelectedIndex(0) // none
	fill(dlg, "Emma Roux-Martin")
	h.press(dlg, "Save")
	h.noDialog()
	if h.lastCall() != "update user emma.roux engineer " {
		t.Fatalf("call = %q", h.lastCall())
	}
	if !uitest.HasText(h.s.lists[tabPeople], "Emma Roux-Martin (emma.roux) · Quality engineer · enabled") {
		t.Fatal("change not listed")
	}
}

func TestStations(t *testing.T) {
	h := open(t, newFake())
	// Add
	dlg := h.openAdd(tabStations, "Add a station")
	fill(dlg, "cut1", "Cutting 1")
	h.press(dlg, "Add the station")
	h.noDialog()
	if h.lastCall() != "add station CUT1" || !uitest.HasText(h.s.lists[tabStations], "CUT1 · Cutting 1") {
		t.Fatalf("not added: %v", h.f.calls)
	}
	// Rename
	dlg = h.openRow(tabStations, "CUT1", "Rename")
	if entries(dlg)[0].Text != "Cutting 1" {
		t.Fatal("current name not filled in")
	}
	fill(dlg, "Laser cutting")
	entries(dlg)[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter confirms: no mouse needed
	h.noDialog()
	if !uitest.HasText(h.s.lists[tabStations], "CUT1 · Laser cutting") {
		t.Fatal("not renamed")
	}
	// Retire, with confirmation and a reason
	dlg = h.openRow(tabStations, "CUT1", "Retire")
	if !uitest.HasText(dlg, "Retire station CUT1 · Laser cutting?") {
		t.Fatalf("no question: %v", uitest.Texts(dlg, ""))
	}
	h.press(dlg, "Cancel")
	h.noDialog()
	if h.lastCall() != "rename station CUT1 Laser cutting" {
		t.Fatal("cancel retired the station")
	}
	dlg = h.openRow(tabStations, "CUT1", "Retire")
	fill(dlg, "Line closed")
	h.press(dlg, "Retire the station")
	h.noDialog()
	if !uitest.HasText(h.s.lists[tabStations], "CUT1 · Laser cutting · retired") {
		t.Fatal("not retired")
	}
}

func TestCategories(t *testing.T) {
	h := open(t, newFake())
	dlg := h.openAdd(tabCategories, "Define a category")
	fill(dlg, "Burrs", "Burrs", "Bavures")
	h.press(dlg, "Define the category")
	h.noDialog()
	if h.lastCall() != "define category burrs" || !uitest.HasText(h.s.lists[tabCategories], "burrs · Burrs / Bavures") {
		t.Fatalf("not defined: %v", h.f.calls)
	}
	dlg = h.openRow(tabCategories, "burrs", "Edit the labels")
	fill(dlg, "Burrs on edges", "Bavures sur les bords")
	h.press(dlg, "Save")
	h.noDialog()
	if !uitest.HasText(h.s.lists[tabCategories], "burrs · Burrs on edges / Bavures sur les bords") {
		t.Fatal("labels not edited")
	}
	dlg = h.openRow(tabCategories, "burrs", "Retire")
	fill(dlg, "Merged into dimensional")
	h.press(dlg, "Retire the category")
	h.noDialog()
	if !uitest.HasText(h.s.lists[tabCategories], "burrs · Burrs on edges / Bavures sur les bords · retired") {
		t.Fatal("not retired")
	}
}

func TestSeverityDeadlines(t *testing.T) {
	h := open(t, newFake())
	dlg := h.openRow(tabSeverities, "Major", "Change the deadlines")
	if e := entries(dlg); e[0].Text != "8" || e[1].Text != "120" {
		t.Fatalf("current deadlines not filled in: %q %q", e[0].Text, e[1].Text)
	}
	if !uitest.HasText(dlg, "120 h (5 d 0 h)") {
		t.Fatal("no days shown beside the hours")
	}
	fill(dlg, "4", "72")
	h.press(dlg, "Save")
	h.noDialog()
	if h.lastCall() != "configure severity major 4 72" ||
		!uitest.HasText(h.s.lists[tabSeverities], "Major · acknowledge within 4 h · resolve within 72 h (3 d 0 h)") {
		t.Fatalf("not configured: %v", h.f.calls)
	}
}

func TestWorkstations(t *testing.T) {
	h := open(t, newFake())
	// The workstation in use is marked, and cannot revoke itself
	if !uitest.HasText(h.s.lists[tabWorkstations], "admin-pc · series C") || !uitest.HasText(h.s.lists[tabWorkstations], "this workstation") {
		t.Fatal("this workstation not marked")
	}
	if !h.rowButton(tabWorkstations, "admin-pc", "Revoke").Disabled() {
		t.Fatal("this workstation may revoke itself")
	}
	// A new enrolment code, shown once with its expiry
	dlg := h.openAdd(tabWorkstations, "New enrolment code")
	fill(dlg, "ASSY1, second PC")
	h.press(dlg, "Make the code")
	secret := h.overlay()
	if e := entries(secret); len(e) != 1 || e[0].Text != "ABCD-EFGH-JKLM" {
		t.Fatalf("code not shown: %v", uitest.Texts(secret, ""))
	}
	if !uitest.HasText(secret, "Valid once, until") || !uitest.HasText(secret, "It will not be shown again") {
		t.Fatalf("no expiry or warning: %v", uitest.Texts(secret, ""))
	}
	h.press(secret, "Done")
	if h.lastCall() != "enrol ASSY1, second PC" {
		t.Fatalf("call = %q", h.lastCall())
	}
	// A replacement code for a lost workstation
	dlg = h.openRow(tabWorkstations, "press2-pc", "Replacement code")
	if !uitest.HasText(dlg, "takes over press2-pc's identity") {
		t.Fatalf("no explanation: %v", uitest.Texts(dlg, ""))
	}
	h.press(dlg, "Make the code")
	if e := entries(h.overlay()); len(e) != 1 || e[0].Text != "WXYZ-EFGH-JKLM" {
		t.Fatal("replacement code not shown")
	}
	h.press(h.overlay(), "Done")
	// Revoke, with confirmation
	dlg = h.openRow(tabWorkstations, "press2-pc", "Revoke")
	if !uitest.HasText(dlg, "Revoke press2-pc?") {
		t.Fatalf("no question: %v", uitest.Texts(dlg, ""))
	}
	h.press(dlg, "Revoke")
	h.noDialog()
	if h.lastCall() != "revoke dev-1" || !uitest.HasText(h.s.lists[tabWorkstations], "revoked (revoked by an administrator)") {
		t.Fatalf("not revoked: %v", h.f.calls)
	}
}

// addButtons are the sections' add buttons.
var addButtons = []struct {
	tab  int
	text string
}{
	{tabStations, "Add a station"},
	{tabPeople, "Add a person"},
	{tabCategories, "Define a category"},
	{tabWorkstations, "New enrolment code"},
}

func TestWithoutTheServerTheBannerSaysSoAndFormsAreOff(t *testing.T) {
	for _, c := range []struct {
		access model.AdminAccess
		says   string
	}{
		{model.AdminUnreachable, "Administration needs the plant server, which does not answer"},
		{model.AdminSignedInOffline, "Administration needs the plant server, and you signed in without it"},
		{model.AdminNotEnrolled, "Administration needs the plant server, and this workstation is not connected to one"},
	} {
		f := newFake()
		f.offline(c.access)
		h := open(t, f)
		if !uitest.HasText(h.s.Object(), c.says) {
			t.Errorf("access %d: no banner %q", c.access, c.says)
		}
		// The lists show the last known directory, labelled as such
		if !uitest.HasText(h.s.lists[tabPeople], "Emma Roux") || !uitest.HasText(h.s.lists[tabPeople], "Last known on this workstation") {
			t.Errorf("access %d: last known directory not shown and labelled", c.access)
		}
		if !uitest.HasText(h.s.lists[tabWorkstations], "this list needs it") {
			t.Errorf("access %d: workstations not said to need the server", c.access)
		}
		// Every form is off
		for _, a := range addButtons {
			h.s.Show(a.tab)
			if b := uitest.FindButton(h.s.Object(), a.text); b == nil || !b.Disabled() {
				t.Errorf("access %d: %q not disabled", c.access, a.text)
			}
		}
		for _, r := range []struct {
			tab       int
			row, butt string
		}{
			{tabStations, "PRESS2", "Rename"}, {tabStations, "PRESS2", "Retire"},
			{tabPeople, "emma.roux", "Edit"}, {tabPeople, "emma.roux", "Reset password"}, {tabPeople, "emma.roux", "Disable"},
			{tabPeople, "paul.left", "Enable"},
			{tabCategories, "dimensional", "Edit the labels"}, {tabCategories, "dimensional", "Retire"},
			{tabSeverities, "Major", "Change the deadlines"},
		} {
			if b := h.rowButton(r.tab, r.row, r.butt); !b.Disabled() {
				t.Errorf("access %d: %q of %s not disabled", c.access, r.butt, r.row)
			}
		}
	}
}

func TestStandaloneKeepsItsDirectoryHere(t *testing.T) {
	// Given a standalone workstation: its directory is its own
	f := newFake()
	f.dir.Access, f.dir.Local, f.dir.Devices = model.AdminStandalone, true, nil
	h := open(t, f)
	if !uitest.HasText(h.s.Object(), "kept on this computer only") || uitest.HasText(h.s.Object(), "Last known") {
		t.Fatal("standalone banner missing, or its own directory called last known")
	}
	// Stations and people can be added; workstations need a server
	dlg := h.openAdd(tabStations, "Add a station")
	fill(dlg, "CUT1", "Cutting 1")
	h.press(dlg, "Add the station")
	h.noDialog()
	if !uitest.HasText(h.s.Object(), "Saved on this workstation.") {
		t.Fatal("no local notice")
	}
	dlg = h.openAdd(tabPeople, "Add a person")
	fill(dlg, "marie", "Marie")
	h.press(dlg, "Add the person")
	if e := entries(h.overlay()); len(e) != 1 || e[0].Text != "pw-1-once" {
		t.Fatal("password not shown")
	}
	h.press(h.overlay(), "Done")
	h.s.Show(tabWorkstations)
	if b := uitest.FindButton(h.s.Object(), "New enrolment code"); b == nil || !b.Disabled() {
		t.Fatal("enrolment offered without a server")
	}
	if !slices.Equal(f.calls, []string{"add station CUT1", "add user marie"}) {
		t.Fatalf("calls = %v", f.calls)
	}
}

// TestFieldErrors: bad input in every form is refused under its field,
// in words; the dialog stays open with what was typed, nothing is done.
func TestFieldErrors(t *testing.T) {
	cases := []struct {
		name  string
		open  func(h *harness) fyne.CanvasObject
		fill  []string
		press string
		field string
		says  string
	}{
		{"station code", func(h *harness) fyne.CanvasObject { return h.openAdd(tabStations, "Add a station") },
			[]string{"cut one!", "Cutting"}, "Add the station", "entity_id", "a station code is capital letters"},
		{"station name", func(h *harness) fyne.CanvasObject { return h.openAdd(tabStations, "Add a station") },
			[]string{"CUT1", " "}, "Add the station", "name", "is required"},
		{"station rename", func(h *harness) fyne.CanvasObject { return h.openRow(tabStations, "PRESS2", "Rename") },
			[]string{" "}, "Save", "name", "is required"},
		{"station retire", func(h *harness) fyne.CanvasObject { return h.openRow(tabStations, "PRESS2", "Retire") },
			nil, "Retire the station", "reason", "is required"},
		{"person login", func(h *harness) fyne.CanvasObject { return h.openAdd(tabPeople, "Add a person") },
			[]string{"Marie Dupont", "Marie"}, "Add the person", "entity_id", "a user id is lower-case letters"},
		{"person name", func(h *harness) fyne.CanvasObject { return h.openAdd(tabPeople, "Add a person") },
			[]string{"marie"}, "Add the person", "display_name", "is required"},
		{"person edit", func(h *harness) fyne.CanvasObject { return h.openRow(tabPeople, "emma.roux", "Edit") },
			[]string{" "}, "Save", "display_name", "is required"},
		{"person disable", func(h *harness) fyne.CanvasObject { return h.openRow(tabPeople, "emma.roux", "Disable") },
			nil, "Disable", "reason", "is required"},
		{"category code", func(h *harness) fyne.CanvasObject { return h.openAdd(tabCategories, "Define a category") },
			[]string{"burrs!", "Burrs", "Bavures"}, "Define the category", "entity_id", "a category code is lower-case letters"},
		{"category label", func(h *harness) fyne.CanvasObject { return h.openAdd(tabCategories, "Define a category") },
			[]string{"burrs", "Burrs"}, "Define the category", "label_fr", "is required"},
		{"category edit", func(h *harness) fyne.CanvasObject { return h.openRow(tabCategories, "dimensional", "Edit the labels") },
			[]string{" "}, "Save", "label_en", "is required"},
		{"category retire", func(h *harness) fyne.CanvasObject { return h.openRow(tabCategories, "dimensional", "Retire") },
			nil, "Retire the category", "reason", "is required"},
		{"severity hours", func(h *harness) fyne.CanvasObject { return h.openRow(tabSeverities, "Major", "Change the deadlines") },
			[]string{"two"}, "Save", "ack_hours", "write a whole number of hours"},
		{"severity order", func(h *harness) fyne.CanvasObject { return h.openRow(tabSeverities, "Major", "Change the deadlines") },
			[]string{"48", "24"}, "Save", "resolve_hours", "at least the time to acknowledge"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := open(t, newFake())
			dlg := c.open(h)
			fill(dlg, c.fill...)
			h.press(dlg, c.press)
			if got := h.fieldError(c.field); !strings.Contains(got, c.says) {
				t.Fatalf("error under %s = %q, want %q", c.field, got, c.says)
			}
			if len(h.f.calls) != 0 {
				t.Fatalf("done anyway: %v", h.f.calls)
			}
			if uitest.TopOverlay(h.env.Win) == nil {
				t.Fatal("the dialog closed")
			}
		})
	}
}

// TestServerRefusalsInWords: what the server refuses is said in words in
// the dialog, which stays open.
func TestServerRefusalsInWords(t *testing.T) {
	for _, c := range []struct {
		name   string
		refuse error
		open   func(h *harness) fyne.CanvasObject
		fill   []string
		press  string
		says   string
	}{
		{"duplicate station", nil, func(h *harness) fyne.CanvasObject { return h.openAdd(tabStations, "Add a station") },
			[]string{"PRESS2", "Press again"}, "Add the station", "A station with this code already exists."},
		{"last administrator", domain.RuleError(domain.EConflict, "user.last_admin", "the plant needs an enabled administrator"),
			func(h *harness) fyne.CanvasObject {
				dlg := h.openRow(tabPeople, "(admin)", "Edit")
				selects(dlg)[0].SetSelected("Operator")
				return dlg
			},
			nil, "Save", "The plant would be left without an enabled administrator"},
		{"forbidden", domain.Errorf(domain.EForbidden, "directory changes need an administrator's online session"),
			func(h *harness) fyne.CanvasObject { return h.openRow(tabPeople, "emma.roux", "Edit") },
			nil, "Save", "Your role may not do this"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake()
			f.refuse = c.refuse
			h := open(t, f)
			dlg := c.open(h)
			fill(dlg, c.fill...)
			h.press(dlg, c.press)
			if got := h.s.dialog.form.FormError(); !strings.Contains(got, c.says) {
				t.Fatalf("form error = %q, want %q", got, c.says)
			}
			if len(f.calls) != 0 || uitest.TopOverlay(h.env.Win) == nil {
				t.Fatalf("calls %v, or the dialog closed", f.calls)
			}
		})
	}
}

// TestServerGoneMidChange: the server stops answering while a dialog is
// open; the change is refused in words, nothing is done, and the screen
// turns to the banner and disabled forms at once.
func TestServerGoneMidChange(t *testing.T) {
	f := newFake()
	h := open(t, f)
	dlg := h.openAdd(tabStations, "Add a station")
	fill(dlg, "CUT1", "Cutting 1")
	// When the server goes away before the change is confirmed
	f.offline(model.AdminUnreachable)
	f.refuse = &domain.Error{Code: domain.EUnavailable, Rule: "admin.needs_server", Message: "administration needs the plant server"}
	h.press(dlg, "Add the station")
	// Then the dialog says so, and the screen shows the banner, forms off
	if got := h.s.dialog.form.FormError(); !strings.Contains(got, "Administration needs the plant server, which cannot be reached") {
		t.Fatalf("form error = %q", got)
	}
	if len(f.calls) != 0 {
		t.Fatalf("calls = %v", f.calls)
	}
	if !uitest.HasText(h.s.Object(), "Administration needs the plant server, which does not answer") {
		t.Fatal("no banner after the refusal")
	}
	h.s.Show(tabStations)
	if b := uitest.FindButton(h.s.Object(), "Add a station"); b == nil || !b.Disabled() {
		t.Fatal("adding still offered")
	}
}

// TestTryAgainOnceTheServerIsBack: the banner of an unreachable server
// offers to ask again; once it answers, the forms are back.
func TestTryAgainOnceTheServerIsBack(t *testing.T) {
	f := newFake()
	f.offline(model.AdminUnreachable)
	h := open(t, f)
	if uitest.FindButton(h.s.Object(), "Try again") == nil {
		t.Fatal("no way to ask the server again")
	}
	*f = *newFake() // the server answers again
	test.Tap(uitest.FindButton(h.s.Object(), "Try again"))
	if uitest.HasText(h.s.Object(), "needs the plant server") || uitest.FindButton(h.s.Object(), "Try again") != nil {
		t.Fatal("the banner stayed")
	}
	h.s.Show(tabStations)
	if b := uitest.FindButton(h.s.Object(), "Add a station"); b == nil || b.Disabled() {
		t.Fatal("forms still off")
	}
}
