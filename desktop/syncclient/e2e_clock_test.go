package syncclient_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
)

// A workstation's clock jumps 2 days ahead while it is offline: what it
// records then reaches the real server, which refuses it (sync.clock_ahead)
// with the reason in words and keeps its own clock; the workstation shows
// the refusal, learns how far ahead it is and refuses to record further.
func TestE2EClockJumpsAheadOffline(t *testing.T) {
	t.Parallel()
	onEachStore(t, func(t *testing.T, on serverStore) {
		p := on.plant(t)
		var ahead atomic.Int64
		w := &workstation{name: "ws1", path: filepath.Join(t.TempDir(), "ws1.db"), now: func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }}
		w.open(t, testConfig())
		if err := w.sync.Enrol(context.Background(), p.srv.URL(), p.srv.enrolmentCode(), "ws1", "PRESS2"); err != nil {
			t.Fatal(err)
		}
		s := w.login(t, "op1", password("op1"))
		w.syncOnce(t)

		ahead.Store(int64(48 * time.Hour)) // unseen until the next answer
		w.fileComplaint(t, s, "stamped two days early")
		w.syncOnce(t)
		st := w.sync.Status()
		if len(st.Rejected) != 1 || st.Rejected[0].Code != domain.EInvalid || !strings.Contains(st.Rejected[0].Reason, "this workstation's clock is 2 days ahead of the server") {
			t.Fatalf("refusals = %+v", st.Rejected)
		}
		if st.ClockAhead < 47*time.Hour {
			t.Fatalf("ClockAhead = %v", st.ClockAhead)
		}
		if server := serverState(t, w, p.srv.URL()).ServerTime; server > hlc.FromTime(time.Now().Add(hlc.MaxDrift)) {
			t.Fatalf("the server's clock moved to %v", server)
		}
		_, err := w.store.Record(s.Actor(), boltstore.Command{Type: domain.ComplaintFiled, Payload: &domain.ComplaintFiledPayload{
			FilingStation: "PRESS2", SupplierStation: "CUT1", PartRef: "BRK-2231", Lot: "L0815", Quantity: 12,
			Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: "again"}})
		var refused *boltstore.ClockAheadError
		if !errors.As(err, &refused) {
			t.Fatalf("recording 2 days ahead: %v", err)
		}
	})
}
