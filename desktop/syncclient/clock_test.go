package syncclient_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
)

// skewedWorkstation is a workstation of PRESS2 whose physical clock is
// off by skew, enrolled with the server at url.
func skewedWorkstation(t *testing.T, name, url string, skew time.Duration) *workstation {
	t.Helper()
	w := &workstation{name: name, path: filepath.Join(t.TempDir(), name+".db"), now: func() time.Time { return time.Now().Add(skew) }}
	w.open(t, testConfig())
	if err := w.sync.Enrol(context.Background(), url, enrolmentCode, name, "PRESS2"); err != nil {
		t.Fatal(err)
	}
	return w
}

// A workstation whose clock is 2 days ahead of the server's warns (the
// status says how far) and refuses to record, naming the rule, instead of
// stamping events the server would refuse.
func TestWorkstationFarAheadOfTheServerRefusesToRecord(t *testing.T) {
	f := newFakeServer(t)
	a := skewedWorkstation(t, "a", f.URL(), 48*time.Hour)
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	if ahead := a.sync.Status().ClockAhead; ahead < 47*time.Hour || ahead > 49*time.Hour {
		t.Fatalf("status ClockAhead = %v", ahead)
	}
	_, err := a.store.Record(sa.Actor(), boltstore.Command{Type: domain.ComplaintMessagePosted, EntityID: "x", Payload: &domain.MessagePayload{Text: "hi"}})
	var ahead *boltstore.ClockAheadError
	if !errors.As(err, &ahead) || domain.AsError(err).Rule != boltstore.RuleClockAhead {
		t.Fatalf("record 2 days ahead: %v", err)
	}
}

// A workstation whose clock lags 2 days behind records as usual: its
// clock follows the server's time, so its events sort after what it saw,
// and the server accepts them.
func TestWorkstationBehindTheServerFollowsItsTime(t *testing.T) {
	f := newFakeServer(t)
	a := skewedWorkstation(t, "a", f.URL(), -48*time.Hour)
	sa := a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	server := f.db().Clock().Last()
	evs, err := a.store.Record(sa.Actor(), boltstore.Command{Type: domain.ComplaintFiled, Payload: &domain.ComplaintFiledPayload{
		FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: "BRK-2231", Lot: "L0815", Quantity: 12,
		Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "filed by a lagging clock"}})
	if err != nil {
		t.Fatal(err)
	}
	a.syncOnce(t)
	if a.pending() != 0 || a.sync.Status().ClockAhead != 0 || len(a.sync.Status().Rejected) != 0 {
		t.Fatalf("pending %d, status %+v", a.pending(), a.sync.Status())
	}
	if evs[0].HLC <= server {
		t.Fatalf("stamped %v, before the server's time %v", evs[0].HLC, server)
	}
}

// An event far ahead already in the server's log (stored before the
// server checked clocks) moves no workstation's clock when pulled: it is
// flagged, and the clock stays with the server's time.
func TestPulledTimestampFarAheadMovesNoClock(t *testing.T) {
	f := newFakeServer(t)
	f.db().Clock().SetMaxAhead(hlc.MaxDrift) // the server's own clock is bounded
	x := newWorkstation(t, "x", testConfig())
	x.now = func() time.Time { return time.Now().Add(48 * time.Hour) }
	x.store.Close()
	x.open(t, testConfig())
	far, err := x.store.Record(boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}, boltstore.Command{Type: domain.StationDefined, EntityID: "WELD9", Payload: &domain.StationPayload{Name: "From the future"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db().Ingest(far); err != nil {
		t.Fatal(err)
	}
	a := enrolled(t, "a", f.URL(), enrolmentCode, testConfig())
	a.login(t, "op1", "op1-secret")
	a.syncOnce(t)
	if last, limit := a.store.Clock().Last(), hlc.FromTime(time.Now().Add(time.Hour)); last > limit {
		t.Fatalf("the workstation's clock moved to %v", last)
	}
	if alerts := a.sync.Status().ClockAlerts; len(alerts) != 1 || alerts[0].Event != far[0].ID {
		t.Fatalf("alerts = %+v", alerts)
	}
}
