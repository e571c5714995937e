package syncserver

import (
	"fmt"
	"time"

	"boucle/shared/domain"
	"boucle/shared/hlc"
)

// DefaultMaxClockDrift is how far ahead of the server's wall clock a pushed
// event may be stamped (hlc.MaxDrift, five minutes): far more than clocks
// kept by NTP ever differ, or than an unsynchronised PC clock drifts in
// weeks, and short enough that a wrong date is caught at once.
const DefaultMaxClockDrift = hlc.MaxDrift

// RuleClockAhead refuses an event stamped too far ahead of the server.
const RuleClockAhead = "sync.clock_ahead"

// clockLimit is the server's wall clock when a push began and the drift
// allowed: the latest stamp an event of that push may carry.
type clockLimit struct {
	now   time.Time
	drift time.Duration
}

func (s *Server) clockLimit() clockLimit {
	return clockLimit{now: s.now(), drift: s.cfg.MaxClockDrift}
}

// check refuses an event stamped more than the drift ahead of the server's
// wall clock. Accepting it would move the server's clock, then, through
// every pull, every workstation's: one bad clock would set the whole
// plant's time. The workstation shows the reason, so it says it in words.
func (l clockLimit) check(e *domain.Event) error {
	ahead := e.HLC.Time().Sub(l.now)
	if ahead <= l.drift {
		return nil
	}
	return domain.RuleError(domain.EInvalid, RuleClockAhead,
		"this workstation's clock is %s ahead of the server's (event stamped %s UTC, server time %s UTC; %s allowed): set the workstation's date and time right, then record it again",
		durationInWords(ahead), e.HLC.Time().Format("2006-01-02 15:04"), l.now.UTC().Format("2006-01-02 15:04"), durationInWords(l.drift))
}

// durationInWords rounds a duration to what a person needs to read:
// "2 days", "5 hours", "12 minutes", "40 seconds".
func durationInWords(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d >= 24*time.Hour:
		return unit(int64(d.Round(24*time.Hour)/(24*time.Hour)), "day")
	case d >= time.Hour:
		return unit(int64(d.Round(time.Hour)/time.Hour), "hour")
	case d >= time.Minute:
		return unit(int64(d.Round(time.Minute)/time.Minute), "minute")
	}
	return unit(int64(d.Round(time.Second)/time.Second), "second")
}
