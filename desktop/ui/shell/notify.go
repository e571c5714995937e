package shell

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"boucle/desktop/i18n"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
)

// notifier sends a desktop notification when an action is newly assigned
// to the signed-in user, and when a deadline they care about passes. It
// looks every minute and after every sync. Only what happens during the
// session is news: an action assigned, a deadline passed since sign-in
// (what came before is on the screens), so that signing in, or the first
// pull of a new workstation, does not bring a burst.
type notifier struct {
	s        *Shell
	seeded   bool
	since    time.Time // start of the session
	actions  map[string]bool
	overdue  map[string]bool
	lastSync time.Time
	version  uint64
	interval time.Duration
	// sent counts notifications (tests).
	sent []*fyne.Notification
}

func newNotifier(s *Shell) *notifier { return &notifier{s: s, interval: time.Minute} }

func (n *notifier) start(stop chan struct{}) {
	n.seeded, n.actions, n.overdue = false, map[string]bool{}, map[string]bool{}
	// Events are stamped to the millisecond (their HLC): an action assigned
	// in the sign-in's millisecond, after it, is news too.
	n.since = n.s.env.Now().Truncate(time.Millisecond)
	n.look()
	cancel := n.s.ws.Subscribe(func(st model.SyncStatus) {
		fyne.Do(func() {
			if !st.LastSuccess.Equal(n.lastSync) {
				n.lastSync = st.LastSuccess
				n.look()
			}
		})
	})
	go func() {
		t := time.NewTicker(n.interval)
		defer t.Stop()
		defer cancel()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(func() {
					select {
					case <-stop:
					default:
						n.look()
					}
				})
			}
		}
	}()
}

// look reads the user's actions and overdue complaints off the UI
// goroutine and notifies what is new.
func (n *notifier) look() {
	me := n.s.session.Login
	ui.Load(n.s.env, n.s.m.Watch, func(w model.Watch, err error) {
		if err != nil || n.s.session.Login != me {
			return
		}
		if n.seeded && w.Version != n.version {
			n.s.refresh() // the store changed (a sync brought news): reload the screen
			n.s.updateBadges()
		}
		n.version = w.Version
		for _, a := range w.Actions {
			if !n.actions[a.ID] && n.seeded && a.AssignedBy != me && !a.AssignedAt.Before(n.since) {
				n.send(lang.X("notify.action_title", "New action for you"),
					lang.X("notify.action_body", "{{.Title}} · due {{.Due}} · {{.Number}}", map[string]any{
						"Title": a.Title, "Due": i18n.Date(a.Due), "Number": a.ComplaintNumber}))
			}
			n.actions[a.ID] = true
		}
		for _, c := range w.Overdue {
			if !n.overdue[c.ID] && n.seeded && c.Deadline.After(n.since) {
				n.send(lang.X("notify.deadline_title", "Deadline passed"),
					lang.X("notify.deadline_body", "{{.Number}} ({{.Supplier}}, {{.Part}}) was due on {{.Date}}", map[string]any{
						"Number": c.Number, "Supplier": c.SupplierStation, "Part": c.PartRef, "Date": i18n.DateTime(c.Deadline)}))
			}
			n.overdue[c.ID] = true
		}
		n.seeded = true
	})
}

func (n *notifier) send(title, body string) {
	note := fyne.NewNotification(title, body)
	n.sent = append(n.sent, note)
	n.s.app.SendNotification(note)
}
