package boltstore_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
)

// wallClock is a settable physical clock.
type wallClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *wallClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *wallClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// A workstation whose clock is 2 days ahead of the server's time it last
// saw refuses to record, naming the rule, even after a restart; setting
// the clock right lifts the refusal.
func TestRecordRefusedWhileTheClockIsFarAheadOfTheServer(t *testing.T) {
	wall := &wallClock{t: time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "ws.db")
	s, err := boltstore.Open(path, boltstore.Options{Now: wall.Now})
	if err != nil {
		t.Fatal(err)
	}
	seedPlant(t, s)
	server := hlc.FromTime(wall.Now().Add(-48 * time.Hour))
	if err := s.NoteServerTime(server); err != nil {
		t.Fatal(err)
	}
	refused := func(s *boltstore.Store) error {
		_, err := s.Record(operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("CUT1", "P-1", "dent")})
		return err
	}
	var ahead *boltstore.ClockAheadError
	err = refused(s)
	if !errors.As(err, &ahead) || ahead.Ahead != 48*time.Hour || domain.AsError(err).Rule != boltstore.RuleClockAhead {
		t.Fatalf("record 2 days ahead: %v", err)
	}
	if got := s.ClockAhead(); got != 48*time.Hour {
		t.Fatalf("ClockAhead = %v", got)
	}
	// Offline a day later, still ahead by 2 days: still refused, after a restart too.
	wall.Set(wall.Now().Add(24 * time.Hour))
	s.Close()
	if s, err = boltstore.Open(path, boltstore.Options{Now: wall.Now}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := refused(s); !errors.As(err, &ahead) {
		t.Fatalf("after a restart: %v", err)
	}
	// The clock set right (back two days): recording works again.
	wall.Set(wall.Now().Add(-48 * time.Hour))
	if err := refused(s); err != nil {
		t.Fatalf("clock set right: %v", err)
	}
}

// A clock within the drift, or behind the server's, records; behind, its
// events still sort after the server time it saw.
func TestRecordAllowedWithinTheDriftOrBehind(t *testing.T) {
	wall := &wallClock{t: time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)}
	s := mustOpen(t, boltstore.Options{Now: wall.Now})
	seedPlant(t, s)
	if err := s.NoteServerTime(hlc.FromTime(wall.Now().Add(-4 * time.Minute))); err != nil {
		t.Fatal(err)
	}
	file(t, s, filing("CUT1", "P-1", "4 minutes ahead"))
	server := hlc.FromTime(wall.Now().Add(48 * time.Hour)) // this clock lags 2 days
	if err := s.NoteServerTime(server); err != nil {
		t.Fatal(err)
	}
	evs, err := s.Record(operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: filing("CUT1", "P-2", "2 days behind")})
	if err != nil || evs[0].HLC <= server {
		t.Fatalf("record behind: %v, stamped %v (server %v)", err, evs[0].HLC, server)
	}
}

// Pulled timestamps far ahead of the server's time move no clock: the
// event is stored, flagged, and the clock stays.
func TestIngestFarAheadMovesNoWorkstationClock(t *testing.T) {
	wall := &wallClock{t: time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)}
	s := mustOpen(t, boltstore.Options{Now: wall.Now})
	s.Clock().SetMaxAhead(hlc.MaxDrift)
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	if err := s.NoteServerTime(hlc.FromTime(wall.Now())); err != nil {
		t.Fatal(err)
	}
	far := remote(t, s, "ws-9", 1, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "from the future"})
	far.HLC = hlc.FromTime(wall.Now().Add(48 * time.Hour))
	before := s.Clock().Last()
	if _, err := s.Ingest([]domain.Event{far}); err != nil {
		t.Fatal(err)
	}
	if s.Clock().Last() != before {
		t.Fatalf("the clock moved from %v to %v", before, s.Clock().Last())
	}
	var alerts []boltstore.ClockAlert
	_ = s.View(func(tx *boltstore.Tx) error { alerts = tx.ClockAlerts(); return nil })
	if len(alerts) != 1 || alerts[0].Event != far.ID {
		t.Fatalf("alerts = %+v", alerts)
	}
}

// A complaint whose last event is stamped far ahead (stored before servers
// checked clocks): recording on it failed with an internal error ("local
// clock behind the entity's last event"). It now names the rule and when
// the record's last change is stamped, and other complaints record.
func TestRecordOnARecordStampedAheadNamesTheRule(t *testing.T) {
	wall := &wallClock{t: time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)}
	s := mustOpen(t, boltstore.Options{Now: wall.Now})
	s.Clock().SetMaxAhead(hlc.MaxDrift)
	seedPlant(t, s)
	id := file(t, s, filing("CUT1", "P-1", "dent"))
	far := remote(t, s, "ws-9", 1, operator, domain.ComplaintMessagePosted, id, &domain.MessagePayload{Text: "from the future"})
	far.HLC = hlc.FromTime(wall.Now().Add(48 * time.Hour))
	if _, err := s.Ingest([]domain.Event{far}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Record(operator, boltstore.Command{Type: domain.ComplaintMessagePosted, EntityID: id, Payload: &domain.MessagePayload{Text: "now"}})
	if de := domain.AsError(err); de.Rule != boltstore.RuleRecordAhead || de.Code != domain.EConflict {
		t.Fatalf("record on the complaint stamped ahead: %v", err)
	}
	file(t, s, filing("CUT1", "P-2", "another complaint records"))
}
