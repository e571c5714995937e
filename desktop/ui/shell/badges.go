package shell

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// Badges: a count beside a menu entry says what waits for the signed-in
// role on that screen (plans to sign for a manager, complaints to
// acknowledge for an engineer, complaints waiting for the complainant
// for an operator). The landing screen stays the same for every role: a
// home that moved with the data would surprise, and the badge is seen
// from every screen, updated as the data changes (a local change at once,
// a sync's when it ends).

// newBadge is a red pill holding a count, hidden until it counts
// something.
func newBadge() (*fyne.Container, *canvas.Text) {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameError))
	bg.CornerRadius = 10
	txt := canvas.NewText("", color.White)
	txt.TextStyle.Bold = true
	txt.Alignment = fyne.TextAlignCenter
	pill := container.NewStack(bg, container.NewPadded(txt))
	pill.Hide()
	return pill, txt
}

// waitingFor maps the counts to the screens they badge.
func waitingFor(w model.Waiting) map[string]int {
	return map[string]int{"plans": w.PlansToApprove, "inbox": w.ToAcknowledge, "mine": w.ForComplainant}
}

// updateBadges counts what waits, off the UI goroutine, and shows it.
func (s *Shell) updateBadges() {
	if s.session.Login == "" || len(s.badges) == 0 {
		return
	}
	me := s.session.Login
	ui.Load(s.env, s.m.Waiting, func(w model.Waiting, err error) {
		if err != nil || s.session.Login != me {
			return // a failed count leaves the badges as they were
		}
		counts := waitingFor(w)
		for i, sc := range s.screens {
			setBadge(s.badges[i], s.badgeTexts[i], counts[sc.ID])
		}
	})
}

func setBadge(pill *fyne.Container, txt *canvas.Text, n int) {
	if pill == nil {
		return
	}
	switch {
	case n <= 0:
		pill.Hide()
		return
	case n >= 100:
		txt.Text = "99+"
	default:
		txt.Text = fmt.Sprint(n)
	}
	txt.Refresh()
	pill.Show()
	pill.Refresh()
}

// Badges returns the counts shown beside the menu's entries, by screen id
// (tests).
func (s *Shell) Badges() map[string]string {
	out := map[string]string{}
	for i, sc := range s.screens {
		if s.badges[i] != nil && s.badges[i].Visible() {
			out[sc.ID] = s.badgeTexts[i].Text
		}
	}
	return out
}

// listenForRecords recounts the badges after every change recorded here,
// when the view model tells of them.
func (s *Shell) listenForRecords(stop chan struct{}) {
	r, ok := s.m.(interface{ OnRecorded(func()) (cancel func()) })
	if !ok {
		return
	}
	cancel := r.OnRecorded(func() { fyne.Do(s.updateBadges) })
	go func() {
		<-stop
		cancel()
	}()
}
