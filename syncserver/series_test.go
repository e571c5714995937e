package syncserver_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"

	bolt "go.etcd.io/bbolt"
)

func TestSeriesCodesAreShortAndDistinct(t *testing.T) {
	for n, want := range map[uint64]string{0: "A", 1: "B", 7: "H", 8: "J", 23: "Z", 24: "AA", 25: "AB", 24 + 576 - 1: "ZZ", 24 + 576: "AAA"} {
		if got := syncserver.SeriesCode(n); got != want {
			t.Errorf("series %d = %q, want %q", n, got, want)
		}
	}
	seen := map[string]bool{}
	for n := range uint64(2000) {
		c := syncserver.SeriesCode(n)
		if seen[c] {
			t.Fatalf("series %d repeats %s", n, c)
		}
		seen[c] = true
	}
}

// seriesOf pulls as the device and returns the series the answer names.
func (h *harness) seriesOf(d *device) string {
	h.t.Helper()
	res := h.do(http.MethodGet, syncproto.RoutePull+"?limit=1", nil, d.headers(true))
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		h.t.Fatalf("pull: %d", res.StatusCode)
	}
	return res.Header.Get(syncproto.HeaderSeries)
}

// Each enrolled workstation gets a series of its own, told at enrolment
// and on every pull; the same replica enrolled again keeps its series.
func TestEnrolmentGivesEachWorkstationItsOwnSeries(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		first, second := h.workstation("op1"), h.workstation("op1")
		if a, b := h.seriesOf(first), h.seriesOf(second); a != "A" || b != "B" {
			t.Fatalf("series = %q, %q; want A, B", a, b)
		}
		en, err := h.admin.EnrolReplacement(t.Context(), second.id, "set up again", 0)
		if err != nil {
			t.Fatal(err)
		}
		var resp syncproto.EnrolResponse
		h.mustJSON(h.post(syncproto.RouteEnrol, syncproto.EnrolRequest{Code: en.Code, Name: "ws", Station: "PRESS2", Replica: second.replica}), http.StatusOK, &resp)
		if resp.Series != "B" {
			t.Fatalf("the same replica enrolled again: series %q, want B", resp.Series)
		}
		if third := h.workstation("op1"); h.seriesOf(third) != "C" {
			t.Fatalf("a new replica: series %q, want C", h.seriesOf(third))
		}
	})
}

// Workstations enrolled before series existed get one, in enrolment
// order, when the server starts, and learn it from their next pull.
// bbolt only: it writes a bbolt store of the version before series.
func TestWorkstationsEnrolledBeforeSeriesGetOne(t *testing.T) {
	dir := t.TempDir()
	h := openHarness(t, dir, true)
	old := []*device{h.workstation("op1"), h.workstation("op1")}
	err := h.store.Update(func(tx *boltstore.Tx) error { return stripSeries(tx.Bolt()) })
	if err != nil {
		t.Fatal(err)
	}
	h.http.Close()
	h.store.Close()

	h = openHarness(t, dir, false)
	for i, want := range []string{"A", "B"} {
		if got := h.seriesOf(old[i]); got != want {
			t.Fatalf("device %d: series %q, want %s", i, got, want)
		}
	}
}

// stripSeries turns every device record into one written before series.
func stripSeries(tx *bolt.Tx) error {
	b := tx.Bucket(boltstore.BucketDevices)
	if err := tx.Bucket(boltstore.BucketServerConfig).Delete([]byte("number_series_next")); err != nil {
		return err
	}
	records := map[string][]byte{}
	err := b.ForEach(func(k, v []byte) error {
		var d map[string]any
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		delete(d, "series")
		raw, err := json.Marshal(d)
		records[string(k)] = raw
		return err
	})
	if err != nil {
		return err
	}
	for k, v := range records {
		if err := b.Put([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

// Numbers of a series are looked up like the bare ones.
func TestNumberOfASeriesIsLookedUp(t *testing.T) {
	onEachStore(t, func(t *testing.T, on adapter) {
		h := on.harness(t)
		ws := h.workstation("op1")
		bare, series := filing(1, "bare series"), filing(1, "series B")
		series.Number = "PRESS2-2026-B0001"
		for i, r := range h.push(ws, h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", bare),
			h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c2", series)).Results {
			if r.Result != syncproto.Accepted {
				t.Fatalf("filing %d: %+v", i, r)
			}
		}
		if c := h.complaint(ws, "PRESS2-2026-B0001"); c.ID != "c2" {
			t.Fatalf("PRESS2-2026-B0001 → %s", c.ID)
		}
		if c := h.complaint(ws, "PRESS2-2026-0001"); c.ID != "c1" {
			t.Fatalf("PRESS2-2026-0001 → %s", c.ID)
		}
	})
}
