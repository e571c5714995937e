package boltstore_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// Complaints filed within one millisecond are listed newest first in the
// order they were filed, whatever the index, filter or page size: the HLC
// tells them apart where the millisecond ties and where the random bits of
// their UUIDv7 would shuffle them.
func TestNewestFirstIsFilingOrderWithinOneMillisecond(t *testing.T) {
	// Given 40 complaints filed in one millisecond (a frozen clock), against
	// CUT1 and PAINT in turn, every third acknowledged for eng1
	frozen := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s := mustOpen(t, boltstore.Options{Now: func() time.Time { return frozen }})
	seedPlant(t, s)
	const n = 40
	var ids []string
	for i := range n {
		id := file(t, s, filing([]string{"CUT1", "PAINT"}[i%2], fmt.Sprintf("P-%03d", i), "burr on the edge"))
		if i%3 == 0 {
			record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: frozen.Add(day), Assignee: "eng1"})
		}
		ids = append(ids, id)
	}
	newest := reversed(ids)
	filedAs := func(keep func(i int) bool) []string { // newest first, i indexes ids (filing order)
		return pick(newest, func(j int) bool { return keep(n - 1 - j) })
	}
	acked := func(i int) bool { return i%3 == 0 }
	cases := []struct {
		name string
		f    boltstore.ComplaintFilter
		want []string
	}{
		{"All", boltstore.ComplaintFilter{}, newest},
		{"TwoStatusesMerged", boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusNew, domain.StatusAcknowledged}}, newest},
		{"Status", boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusAcknowledged}}, filedAs(acked)},
		{"Supplier", boltstore.ComplaintFilter{SupplierStation: "PAINT"}, filedAs(func(i int) bool { return i%2 == 1 })},
		{"FilingStation", boltstore.ComplaintFilter{FilingStation: "PRESS2"}, newest},
		{"Assignee", boltstore.ComplaintFilter{Assignee: "eng1"}, filedAs(acked)},
		{"Text", boltstore.ComplaintFilter{Text: "burr"}, newest},
	}
	for _, tc := range cases {
		for _, limit := range []int{1, 7, 100} {
			t.Run(fmt.Sprintf("%s/limit%d", tc.name, limit), func(t *testing.T) {
				// When the list is paged through
				tc.f.Limit = limit
				// Then it is the filing order, reversed
				sameOrder(t, pages(t, s, tc.f), tc.want)
			})
		}
	}
	t.Run("QueryUpToTheMillisecond", func(t *testing.T) {
		// The plant-wide view "filed at or before" that very millisecond
		// starts its walk at the last HLC of the millisecond: all of them.
		q := boltstore.ComplaintQuery{To: frozen, From: frozen, ComplaintFilter: boltstore.ComplaintFilter{Limit: 7}}
		sameOrder(t, queryPages(t, s, q), newest)
		q.To = frozen.Add(-time.Millisecond)
		if got := queryPages(t, s, q); len(got) != 0 {
			t.Fatalf("filed before %v: got %v, want none", q.To, got)
		}
	})
}

// Two workstations may stamp the same HLC; the list then follows the rest
// of the fold order, the replica, newest first like the fold puts it last.
// "ws-a" prefixes "ws-ab": the shorter replica sorts first in the fold,
// so last in the list.
func TestNewestFirstBreaksHLCTiesByReplica(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s := mustOpen(t, boltstore.Options{Now: func() time.Time { return at }})
	seedPlant(t, s)
	same := hlc.New(at.UnixMilli()+1, 3)
	filed := []struct {
		name, replica string
		hlc           hlc.Timestamp
	}{{"a", "ws-a", same}, {"b", "ws-b", same}, {"ab", "ws-ab", same}, {"a earlier", "ws-a", same - 1}, {"b later", "ws-b", same + 1}}
	var events []domain.Event
	ids := map[string]string{}
	for i, f := range filed {
		p := filing("CUT1", "P-1", "dent")
		p.Number = fmt.Sprintf("PRESS2-2026-%04d", 100+i)
		raw, _ := json.Marshal(p)
		id := uuid.Must(uuid.NewV7()).String()
		ids[f.name] = id
		events = append(events, domain.Event{ID: uuid.Must(uuid.NewV7()), HLC: f.hlc, Replica: f.replica, Seq: uint64(1 + i/3),
			Author: "op1", Role: domain.RoleOperator, EntityType: domain.EntityComplaint, EntityID: id,
			Type: domain.ComplaintFiled, Schema: 1, Payload: raw})
	}
	if _, err := s.Ingest(events); err != nil {
		t.Fatal(err)
	}
	want := []string{ids["b later"], ids["b"], ids["ab"], ids["a"], ids["a earlier"]}
	for _, limit := range []int{1, 2, 10} {
		sameOrder(t, pages(t, s, boltstore.ComplaintFilter{Limit: limit}), want)
	}
}

// sameOrder fails at the first row out of place.
func sameOrder(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d of %d is %s, want %s (it belongs at row %d)", i, len(got), got[i], want[i], slices.Index(want, got[i]))
		}
	}
}

// queryPages walks every page of a plant-wide query.
func queryPages(t *testing.T, s *boltstore.Store, q boltstore.ComplaintQuery) []string {
	t.Helper()
	var ids []string
	for range 100 {
		var page boltstore.ComplaintPage
		if err := s.View(func(tx *boltstore.Tx) (err error) { page, err = tx.QueryComplaints(q); return err }); err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Rows {
			ids = append(ids, r.ID)
		}
		if page.Next == "" {
			return ids
		}
		q.Cursor = page.Next
	}
	t.Fatal("pagination does not end")
	return nil
}

// Plans drafted within one millisecond are listed the last drafted first,
// not in the order of their ids' random bits.
func TestPlansNewestFirstWithinOneMillisecond(t *testing.T) {
	frozen := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s := mustOpen(t, boltstore.Options{Now: func() time.Time { return frozen }})
	seedPlant(t, s)
	var want []string
	for i := range 20 {
		e := record(t, s, engineer, domain.PlanDrafted, "", &domain.PlanContentPayload{Title: fmt.Sprintf("Plan %d", i),
			SupplierStation: "CUT1", Categories: []string{"dimensional"}})
		want = append([]string{e.EntityID}, want...)
	}
	var plans []domain.Plan
	if err := s.View(func(tx *boltstore.Tx) (err error) { plans, err = tx.Plans(); return err }); err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(plans))
	for i, p := range plans {
		got[i] = p.ID
	}
	sameOrder(t, got, want)
}
