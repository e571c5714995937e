package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// Later schedules f on the UI goroutine after d and returns what cancels
// it. Screens take it from Env so that tests fire it by hand: no timer
// outlives a test, and none decides its outcome.
type Later func(d time.Duration, f func()) (cancel func())

// AfterDelay is the Later of the running app: a timer, then fyne.Do.
func AfterDelay(d time.Duration, f func()) func() {
	t := time.AfterFunc(d, func() { fyne.Do(f) })
	return func() { t.Stop() }
}

// Debounce runs the last of a burst of calls once the burst pauses for
// Delay: a search as you type reads the store once per pause, not once per
// key. With a nil Later it runs every call at once.
type Debounce struct {
	Later  Later
	Delay  time.Duration
	cancel func()
}

// Call schedules f, replacing the call waiting.
func (d *Debounce) Call(f func()) {
	d.Stop()
	if d.Later == nil {
		f()
		return
	}
	d.cancel = d.Later(d.Delay, func() { d.cancel = nil; f() })
}

// Now runs f at once, dropping the call waiting (Enter in a search field).
func (d *Debounce) Now(f func()) {
	d.Stop()
	f()
}

// Stop drops the call waiting, if any.
func (d *Debounce) Stop() {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
}
