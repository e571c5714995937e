package syncclient

import (
	"errors"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
)

// Status is a snapshot of the sync state, for the UI's status bar.
type Status struct {
	Enrolled      bool                  // a server is configured (false: standalone)
	Online        bool                  // the server answered the last attempt
	Syncing       bool                  // a cycle is running
	Pending       int                   // local events the server has not acknowledged
	LastSuccess   time.Time             // end of the last complete cycle
	LastError     string                // last failure other than being offline; "" after a success
	Rejected      []boltstore.Rejection // refusals not yet dismissed
	OpenConflicts int                   // entities with concurrent writes to settle
	ClockAlerts   []boltstore.ClockAlert
	// ClockAhead is how far this workstation's clock is ahead of the
	// server's when more than hlc.MaxDrift (recording is refused), else 0.
	ClockAhead   time.Duration
	Progress     Progress // during a long pull; zero otherwise
	SignInNeeded bool     // the server refused the session: someone must sign in online
	EnrolNeeded  bool     // the server refused the device credential (revoked): enrol again
	Stalled      bool     // alert: the outbox has not moved for StallAfter while the server answers
}

// Progress of a long pull: position reached in the server's log, of Total.
type Progress struct {
	Pulled uint64
	Total  uint64
}

// Active reports whether a long pull is under way.
func (p Progress) Active() bool { return p.Total > 0 }

// status is the Syncer's own part of Status, guarded by Syncer.mu.
type status struct {
	online, syncing, signInNeeded bool
	enrolNeeded                   bool
	lastSuccess                   time.Time
	lastError                     string
	progress                      Progress
	lastAnswer                    time.Time // any HTTP answer, whatever its status
	conflictsDirty                bool      // the store changed: count conflicts again
	openConflicts                 int
	watch                         watchdog
	stalled                       bool
}

// Status returns a snapshot of the sync state.
func (s *Syncer) Status() Status {
	var st Status
	_ = s.store.View(func(tx *boltstore.Tx) error {
		st.Pending = tx.OutboxLen()
		st.Rejected = tx.OpenRejections()
		st.ClockAlerts = tx.ClockAlerts()
		return nil
	})
	st.ClockAhead = s.store.ClockAhead()
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Enrolled = s.client != nil
	st.Online, st.Syncing, st.SignInNeeded, st.EnrolNeeded = s.st.online, s.st.syncing, s.st.signInNeeded, s.st.enrolNeeded
	st.LastSuccess, st.LastError, st.Progress = s.st.lastSuccess, s.st.lastError, s.st.progress
	st.OpenConflicts, st.Stalled = s.st.openConflicts, s.st.stalled
	return st
}

// countConflicts counts the conflicted entities again if the store
// changed. It scans every state, so it runs once per cycle, not per page.
func (s *Syncer) countConflicts() {
	s.mu.Lock()
	dirty := s.st.conflictsDirty
	s.st.conflictsDirty = false
	s.mu.Unlock()
	if !dirty {
		return
	}
	n, _ := s.store.CountConflicted()
	s.mu.Lock()
	s.st.openConflicts = n
	s.mu.Unlock()
}

// Subscribe calls fn with a new snapshot after every change, on the
// Syncer's goroutine: fn must return quickly (a Fyne UI hands it to
// fyne.Do) and must not call SyncOnce, which waits for that goroutine's
// cycle. It returns the function that cancels the subscription.
func (s *Syncer) Subscribe(fn func(Status)) (cancel func()) {
	s.mu.Lock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

// publish sends a snapshot to the subscribers.
func (s *Syncer) publish() {
	st := s.Status()
	s.mu.Lock()
	fns := make([]func(Status), 0, len(s.subs))
	for _, fn := range s.subs {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn(st)
	}
}

// answered records an HTTP answer and notes the server's clock, so that
// local events sort after what the server had seen.
func (s *Syncer) answered(t hlc.Timestamp) {
	s.noteServerTime(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.lastAnswer = s.cfg.Now()
	s.st.online = true
}

func (s *Syncer) setSyncing(on bool) {
	s.mu.Lock()
	s.st.syncing = on
	if !on {
		s.st.progress = Progress{}
	}
	s.mu.Unlock()
	s.publish()
}

func (s *Syncer) setProgress(p Progress) {
	s.mu.Lock()
	s.st.progress = p
	s.mu.Unlock()
	s.publish()
}

func (s *Syncer) storeChanged() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.conflictsDirty = true
}

func (s *Syncer) setSignInNeeded(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.signInNeeded = v
}

// endCycle records a cycle's outcome: quiet when offline, the error
// otherwise, and what the watchdog makes of the outbox.
func (s *Syncer) endCycle(err error) {
	var head uint64
	var pending bool
	_ = s.store.View(func(tx *boltstore.Tx) error { head, pending = tx.OutboxFirst(); return nil })
	s.countConflicts()
	s.mu.Lock()
	now := s.cfg.Now()
	s.st.syncing = false
	s.st.progress = Progress{}
	switch {
	case err == nil:
		s.st.online, s.st.lastSuccess, s.st.lastError, s.st.signInNeeded, s.st.enrolNeeded = true, now, "", false, false
	case IsOffline(err):
		s.st.online = false
	case errors.Is(err, ErrNotEnrolled):
	default:
		s.st.lastError = domain.ErrorMessage(err)
		s.st.signInNeeded = s.st.signInNeeded || errors.Is(err, ErrSignInNeeded)
		s.st.enrolNeeded = s.st.enrolNeeded || isDeviceRefused(err)
	}
	wasStalled := s.st.stalled
	// A refused session is not a stall: its cause is known and shown.
	stalled := s.st.watch.observe(now, head, pending, s.st.lastAnswer, s.cfg.StallAfter) && !s.st.signInNeeded
	s.st.stalled = stalled
	s.mu.Unlock()
	s.log(err, stalled && !wasStalled)
	s.publish()
}

func (s *Syncer) log(err error, newlyStalled bool) {
	l := s.cfg.Logger
	switch {
	case newlyStalled:
		l.Warn("sync stalled: the outbox has not moved while the server answers", "after", s.cfg.StallAfter, "error", err)
	case err == nil, errors.Is(err, ErrNotEnrolled):
	case IsOffline(err):
		l.Debug("sync: server unreachable", "error", err)
	default:
		l.Warn("sync failed", "error", err)
	}
}

// watchdog raises Stalled when the oldest pending event stays the same for
// a while although the server answers: something refuses it (a bug, a
// full disk, a misconfigured account), and someone should look.
type watchdog struct {
	head    uint64    // oldest pending replica sequence last seen
	since   time.Time // when it became the oldest
	stalled bool
}

// observe updates the watchdog after a cycle and returns Stalled.
func (w *watchdog) observe(now time.Time, head uint64, pending bool, lastAnswer time.Time, after time.Duration) bool {
	switch {
	case !pending:
		*w = watchdog{}
	case head != w.head:
		*w = watchdog{head: head, since: now}
	default:
		w.stalled = now.Sub(w.since) >= after && lastAnswer.After(w.since)
	}
	return w.stalled
}

// noteServerTime hands the server's time to the store: the clock follows
// it, and the store keeps how far ahead of it this workstation's clock is
// (boltstore.Store.NoteServerTime). A failure to save it is logged: the
// clock has followed it anyway.
func (s *Syncer) noteServerTime(t hlc.Timestamp) {
	if err := s.store.NoteServerTime(t); err != nil {
		s.cfg.Logger.Warn("sync: could not save the server's time", "error", err)
	}
}
