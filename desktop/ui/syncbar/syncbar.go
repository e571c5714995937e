// Package syncbar is the status bar at the bottom of every screen: online
// or offline (or standalone), events waiting for the server, the last
// sync, errors, events the server refused with the reason, "Sync now", and
// a progress bar during a long first pull.
package syncbar

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// Source is the sync client, seen from the bar.
type Source interface {
	Status() model.SyncStatus
	Subscribe(func(model.SyncStatus)) (cancel func())
	SyncNow()
}

// Bar is the status bar.
type Bar struct {
	env     ui.Env
	src     Source
	connect func() // standalone: opens the enrolment; nil hides the button
	// openRefused, when set, opens the refusals screen and reports
	// whether it could; otherwise the button shows a read-only list.
	openRefused func() bool

	state    *widget.Label
	pending  *widget.Label
	last     *widget.Label
	problem  *widget.Label
	refused  *widget.Button
	syncNow  *widget.Button
	enrol    *widget.Button
	progress *widget.ProgressBar
	st       model.SyncStatus
	cancel   func()
	obj      fyne.CanvasObject
}

// New builds the bar and subscribes to the sync client; Stop ends it.
func New(env ui.Env, src Source, connect func()) *Bar {
	b := &Bar{env: env, src: src, connect: connect}
	b.state = widget.NewLabel("")
	b.state.TextStyle.Bold = true
	b.pending = widget.NewLabel("")
	b.last = widget.NewLabel("")
	b.problem = widget.NewLabel("")
	b.problem.Importance = widget.DangerImportance
	b.problem.Truncation = fyne.TextTruncateEllipsis
	b.problem.Alignment = fyne.TextAlignTrailing
	b.refused = widget.NewButtonWithIcon("", theme.WarningIcon(), b.refusedTapped)
	b.refused.Importance = widget.DangerImportance
	b.syncNow = widget.NewButtonWithIcon(lang.X("sync.now", "Sync now"), theme.ViewRefreshIcon(), func() {
		env.Nav.Touch()
		src.SyncNow()
	})
	b.enrol = widget.NewButtonWithIcon(lang.X("sync.connect", "Connect to a server"), theme.LoginIcon(), func() {
		if b.connect != nil {
			b.connect()
		}
	})
	b.progress = widget.NewProgressBar()
	b.progress.Hide()
	left := container.NewHBox(b.state, b.pending, b.last)
	right := container.NewHBox(b.refused, b.syncNow, b.enrol)
	b.obj = container.NewVBox(widget.NewSeparator(), b.progress,
		container.NewBorder(nil, nil, left, right, b.problem))
	b.cancel = src.Subscribe(func(s model.SyncStatus) { fyne.Do(func() { b.Show(s) }) })
	b.Show(src.Status())
	return b
}

// Object is the bar's widget tree.
func (b *Bar) Object() fyne.CanvasObject { return b.obj }

// Stop ends the subscription.
func (b *Bar) Stop() {
	if b.cancel != nil {
		b.cancel()
	}
}

// Tick refreshes the "last sync" age.
func (b *Bar) Tick() { b.Show(b.st) }

// Show displays a status.
func (b *Bar) Show(s model.SyncStatus) {
	b.st = s
	now := b.env.Now()
	switch {
	case !s.Enrolled:
		b.state.SetText("● " + lang.X("sync.standalone", "Standalone (this computer only)"))
		b.state.Importance = widget.MediumImportance
	case s.Syncing:
		b.state.SetText("● " + lang.X("sync.syncing", "Syncing…"))
		b.state.Importance = widget.SuccessImportance
	case s.Online:
		b.state.SetText("● " + lang.X("sync.online", "Online"))
		b.state.Importance = widget.SuccessImportance
	default:
		b.state.SetText("● " + lang.X("sync.offline", "Offline: work goes on, it syncs later"))
		b.state.Importance = widget.WarningImportance
	}
	b.state.Refresh()
	b.pending.SetText(lang.X("sync.pending", "{{.N}} to send", map[string]any{"N": s.Pending}))
	if s.Enrolled {
		b.last.SetText(lang.X("sync.last", "last sync {{.When}}", map[string]any{"When": i18n.Ago(s.LastSuccess, now)}))
		b.last.Show()
		b.syncNow.Show()
		b.enrol.Hide()
	} else {
		b.last.Hide()
		b.syncNow.Hide()
		b.enrol.Hidden = b.connect == nil
		b.enrol.Refresh()
	}
	b.showProblem(s)
	if n := len(s.Rejected); n > 0 {
		b.refused.SetText(lang.X("sync.refused", "{{.N}} refused", map[string]any{"N": n}))
		b.refused.Show()
	} else {
		b.refused.Hide()
	}
	if s.Total > 0 {
		b.progress.Max = float64(s.Total)
		b.progress.SetValue(float64(min(s.Pulled, s.Total)))
		b.progress.Show()
	} else {
		b.progress.Hide()
	}
}

func (b *Bar) showProblem(s model.SyncStatus) {
	var text string
	switch {
	case s.ClockAhead > 0:
		text = lang.X("sync.clock_ahead", "Clock {{.D}} ahead of the server's: set this workstation's date and time. Recording is paused.",
			map[string]any{"D": i18n.Duration(s.ClockAhead)})
	case s.SignInNeeded:
		text = lang.X("sync.signin_needed", "Sync is waiting for someone to sign in online")
	case s.Stalled:
		text = lang.X("sync.stalled", "Events are not leaving this workstation: call support")
	case s.LastError != "":
		text = lang.X("sync.error", "Sync error: {{.Msg}}", map[string]any{"Msg": s.LastError})
	case s.OpenConflicts > 0:
		text = lang.X("sync.conflicts", "{{.N}} records with concurrent changes to settle", map[string]any{"N": s.OpenConflicts})
	case s.ClockAlerts > 0:
		text = lang.X("sync.clock", "A workstation's clock is far ahead: check the time settings")
	}
	b.problem.SetText(text)
	b.problem.Hidden = text == ""
	b.problem.Refresh()
}

// OnRefused sets what the refused button opens (see Bar.openRefused).
func (b *Bar) OnRefused(open func() bool) { b.openRefused = open }

func (b *Bar) refusedTapped() {
	b.env.Nav.Touch()
	if b.openRefused != nil && b.openRefused() {
		return
	}
	b.showRefused()
}

// RefusedButton is the button that opens the refusals (tests).
func (b *Bar) RefusedButton() *widget.Button { return b.refused }

// showRefused lists the events the server refused, with its reasons.
func (b *Bar) showRefused() {
	box := container.NewVBox()
	for _, r := range b.st.Rejected {
		box.Add(ui.Heading(fmt.Sprintf("%s · %s · %s", i18n.DateTime(r.At), r.Entity, i18n.EventType(r.Type))))
		box.Add(ui.Wrapped(r.Reason))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(640, 320))
	dialog.ShowCustom(lang.X("sync.refused_title", "Changes the server refused"), lang.X("action.close", "Close"), scroll, b.env.Win)
}

// Texts returns what the bar shows (tests): state, pending, last, problem.
func (b *Bar) Texts() (state, pending, last, problem string) {
	return b.state.Text, b.pending.Text, b.last.Text, b.problem.Text
}

// ProgressVisible reports whether the progress bar shows (tests).
func (b *Bar) ProgressVisible() bool { return b.progress.Visible() }
