package syncbar

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"boucle/desktop/ui/model"
	"boucle/desktop/ui/uitest"
	"boucle/shared/domain"
)

// source is a test double of the sync client: it holds a status and
// counts the "Sync now" taps.
type source struct {
	st    model.SyncStatus
	kicks int
	fn    func(model.SyncStatus)
}

func (s *source) Status() model.SyncStatus { return s.st }
func (s *source) Subscribe(fn func(model.SyncStatus)) func() {
	s.fn = fn
	return func() { s.fn = nil }
}
func (s *source) SyncNow() { s.kicks++ }

func TestBar(t *testing.T) {
	env, _ := uitest.New(t)
	src := &source{st: model.SyncStatus{Enrolled: true, Online: true, Pending: 3, LastSuccess: time.Now().Add(-5 * time.Minute)}}
	b := New(env, src, nil)
	uitest.Show(env, b.Object())
	// Online with 3 pending
	state, pending, last, problem := b.Texts()
	if !strings.Contains(state, "Online") || pending != "3 to send" || !strings.Contains(last, "5 min ago") || problem != "" {
		t.Fatalf("texts %q %q %q %q", state, pending, last, problem)
	}
	// Sync now
	test.Tap(uitest.FindButton(b.Object(), "Sync now"))
	if src.kicks != 1 {
		t.Errorf("kicks = %d", src.kicks)
	}
	// Offline, with an error, a refusal and a first pull under way
	src.fn(model.SyncStatus{Enrolled: true, Online: false, LastError: "disk full", Pulled: 40, Total: 100,
		Rejected: []model.Rejection{{Type: domain.ComplaintVerified, Entity: "PRESS2-2026-0001", Reason: "not allowed while new"}}})
	state, _, _, problem = b.Texts()
	if !strings.Contains(state, "Offline") || !strings.Contains(problem, "disk full") || !b.ProgressVisible() {
		t.Fatalf("texts %q %q progress %v", state, problem, b.ProgressVisible())
	}
	refused := uitest.FindButton(b.Object(), "1 refused")
	if refused == nil {
		t.Fatal("no refused button")
	}
	test.Tap(refused)
	if !uitest.HasText(env.Win.Canvas().Overlays().Top(), "not allowed while new") {
		t.Error("the reason is not shown")
	}
}

func TestStandaloneBar(t *testing.T) {
	env, _ := uitest.New(t)
	connected := false
	b := New(env, &source{st: model.SyncStatus{Pending: 2}}, func() { connected = true })
	uitest.Show(env, b.Object())
	state, _, _, _ := b.Texts()
	if !strings.Contains(state, "Standalone") || uitest.FindButton(b.Object(), "Sync now") != nil {
		t.Fatalf("state %q", state)
	}
	test.Tap(uitest.FindButton(b.Object(), "Connect to a server"))
	if !connected {
		t.Error("connect not called")
	}
}

// A workstation whose clock is far ahead of the server's: the bar says by
// how much and that recording is paused, before any other problem.
func TestBarWarnsOfAClockAheadOfTheServer(t *testing.T) {
	env, _ := uitest.New(t)
	b := New(env, &source{st: model.SyncStatus{Enrolled: true, Online: true, LastError: "disk full", ClockAhead: 49 * time.Hour}}, nil)
	uitest.Show(env, b.Object())
	_, _, _, problem := b.Texts()
	if !strings.Contains(problem, "Clock 2 d 1 h ahead of the server's") || !strings.Contains(problem, "Recording is paused") {
		t.Fatalf("problem %q", problem)
	}
}
