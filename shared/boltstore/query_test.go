package boltstore_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// fakeClock is a physical clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// plantWithComplaints files n complaints one minute apart, against
// suppliers CUT1 and PAINT in turn, and acknowledges every third one for
// eng1 with a deadline of one hour.
func plantWithComplaints(t *testing.T, n int) (*boltstore.Store, *fakeClock, []string) {
	clock := &fakeClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	s := mustOpen(t, boltstore.Options{Now: clock.now})
	seedPlant(t, s)
	var ids []string
	for i := 0; i < n; i++ {
		clock.t = clock.t.Add(time.Minute)
		supplier := []string{"CUT1", "PAINT"}[i%2]
		id := file(t, s, filing(supplier, fmt.Sprintf("P-%03d", i), fmt.Sprintf("Défaut n°%d: éraflure sur la face %c", i, 'A'+i%3)))
		if i%3 == 0 {
			record(t, s, engineer, domain.ComplaintAcknowledged, id, &domain.AcknowledgePayload{Deadline: clock.t.Add(time.Hour), Assignee: "eng1"})
		}
		ids = append(ids, id)
	}
	return s, clock, ids
}

// pages walks every page of a filter and returns the ids in order.
func pages(t *testing.T, s *boltstore.Store, f boltstore.ComplaintFilter) []string {
	t.Helper()
	var ids []string
	for i := 0; i < 100; i++ {
		var page boltstore.ComplaintPage
		if err := s.View(func(tx *boltstore.Tx) (err error) { page, err = tx.ListComplaints(f); return err }); err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Rows {
			ids = append(ids, r.ID)
		}
		if page.Next == "" {
			return ids
		}
		f.Cursor = page.Next
	}
	t.Fatal("pagination does not end")
	return nil
}

func reversed(ids []string) []string { out := slices.Clone(ids); slices.Reverse(out); return out }

func pick(ids []string, keep func(i int) bool) []string {
	var out []string
	for i, id := range ids {
		if keep(i) {
			out = append(out, id)
		}
	}
	return out
}

func TestListComplaintsFiltersAndPages(t *testing.T) {
	s, clock, ids := plantWithComplaints(t, 23)
	newestFirst := reversed(ids)
	acked := func(i int) bool { return (22-i)%3 == 0 } // index in newestFirst → index 22-i in ids
	cases := []struct {
		name string
		f    boltstore.ComplaintFilter
		want []string
	}{
		{"All", boltstore.ComplaintFilter{}, newestFirst},
		{"Status", boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusAcknowledged}}, pick(newestFirst, acked)},
		{"TwoStatusesMerged", boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusNew, domain.StatusAcknowledged}}, newestFirst},
		{"Supplier", boltstore.ComplaintFilter{SupplierStation: "PAINT"}, pick(newestFirst, func(i int) bool { return (22-i)%2 == 1 })},
		{"SupplierAndStatus", boltstore.ComplaintFilter{SupplierStation: "CUT1", Statuses: []domain.ComplaintStatus{domain.StatusNew}},
			pick(newestFirst, func(i int) bool { return (22-i)%2 == 0 && !acked(i) })},
		{"Assignee", boltstore.ComplaintFilter{Assignee: "eng1"}, pick(newestFirst, acked)},
		{"FilingStation", boltstore.ComplaintFilter{FilingStation: "PRESS2"}, newestFirst},
		{"NoMatch", boltstore.ComplaintFilter{FilingStation: "CUT1"}, nil},
	}
	for _, tc := range cases {
		for _, limit := range []int{1, 4, 50} {
			t.Run(fmt.Sprintf("%s/limit%d", tc.name, limit), func(t *testing.T) {
				tc.f.Limit = limit
				if got := pages(t, s, tc.f); !slices.Equal(got, tc.want) {
					t.Fatalf("got %d ids, want %d\n got %v\nwant %v", len(got), len(tc.want), got, tc.want)
				}
			})
		}
	}

	t.Run("Overdue", func(t *testing.T) {
		// Acknowledged complaints i=0,3,...,21 had a deadline one hour
		// after their minute; at 09:00 those filed before 08:00 are
		// overdue: none. At 09:10 the first ten minutes' are: i=0,3,6,9.
		now := time.Date(2026, 3, 2, 9, 10, 30, 0, time.UTC)
		got := pages(t, s, boltstore.ComplaintFilter{Overdue: true, Now: now, Limit: 2})
		want := []string{ids[0], ids[3], ids[6], ids[9]} // oldest deadline first
		if !slices.Equal(got, want) {
			t.Fatalf("overdue = %v, want %v", got, want)
		}
		_ = clock
	})
}

func TestTextSearchFoldsAccentsAndCase(t *testing.T) {
	s, _, ids := plantWithComplaints(t, 12)
	cases := []struct {
		query string
		want  []string
	}{
		{"ERAFLURE", reversed(ids)},
		{"éraflure face B", pick(reversed(ids), func(i int) bool { return (11-i)%3 == 1 })},
		{"P-007", []string{ids[7]}},
		{"PRESS2-2026-0003", []string{ids[2]}},
		{"n°1", []string{ids[11], ids[10], ids[1]}},
		{"rouille", nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			if got := pages(t, s, boltstore.ComplaintFilter{Text: tc.query, Limit: 2}); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("WithSupplier", func(t *testing.T) {
		// Words match anywhere in the text ("a" would match "face"), so
		// the test looks for "b", which only the face letter has.
		got := pages(t, s, boltstore.ComplaintFilter{Text: "face b", SupplierStation: "CUT1"})
		want := pick(reversed(ids), func(i int) bool { j := 11 - i; return j%3 == 1 && j%2 == 0 })
		if !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}

func TestIndexesFollowStatusChanges(t *testing.T) {
	s, clock, ids := plantWithComplaints(t, 3)
	record(t, s, engineer, domain.ComplaintRejected, ids[1], &domain.ReasonPayload{Reason: "not our part"})
	if got := pages(t, s, boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusNew}}); !slices.Equal(got, []string{ids[2]}) {
		t.Fatalf("new = %v", got)
	}
	if got := pages(t, s, boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusRejected}}); !slices.Equal(got, []string{ids[1]}) {
		t.Fatalf("rejected = %v", got)
	}
	// Rejecting the acknowledged one takes it off the overdue index.
	record(t, s, engineer, domain.ComplaintRejected, ids[0], &domain.ReasonPayload{Reason: "duplicate lot"})
	if got := pages(t, s, boltstore.ComplaintFilter{Overdue: true, Now: clock.t.Add(48 * time.Hour)}); len(got) != 0 {
		t.Fatalf("a rejected complaint is still listed overdue: %v", got)
	}
}

func TestListActionsByOwnerDueAndOverdue(t *testing.T) {
	s, clock, ids := plantWithComplaints(t, 2)
	due := []time.Duration{3 * time.Hour, time.Hour, 2 * time.Hour}
	owners := []string{"eng2", "eng2", "eng1"}
	for i := range due {
		record(t, s, engineer, domain.ActionAssigned, fmt.Sprintf("a%d", i), &domain.ActionAssignedPayload{
			Kind: domain.ActionContainment, Title: fmt.Sprintf("sort lot %d", i), Owner: owners[i], Due: clock.t.Add(due[i]), ComplaintID: ids[0]})
	}
	record(t, s, engineer, domain.ActionCompleted, "a2", &domain.NotePayload{})
	list := func(f boltstore.ActionFilter) []string {
		var out []string
		for {
			var page boltstore.ActionPage
			if err := s.View(func(tx *boltstore.Tx) (err error) { page, err = tx.ListActions(f); return err }); err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Actions {
				out = append(out, a.ID)
			}
			if page.Next == "" {
				return out
			}
			f.Cursor = page.Next
		}
	}
	if got := list(boltstore.ActionFilter{Owner: "eng2", Limit: 1}); !slices.Equal(got, []string{"a1", "a0"}) {
		t.Fatalf("eng2 by due = %v", got)
	}
	if got := list(boltstore.ActionFilter{}); !slices.Equal(got, []string{"a1", "a0"}) {
		t.Fatalf("pending by due = %v (a2 is done)", got)
	}
	if got := list(boltstore.ActionFilter{Overdue: true, Now: clock.t.Add(150 * time.Minute)}); !slices.Equal(got, []string{"a1"}) {
		t.Fatalf("overdue = %v", got)
	}
	if got := list(boltstore.ActionFilter{ComplaintID: ids[0]}); len(got) != 3 {
		t.Fatalf("actions of the complaint = %v", got)
	}
}

// FoldText takes a short cut for ASCII text; both ways fold alike.
func TestFoldTextASCIIAndAccented(t *testing.T) {
	for in, want := range map[string]string{
		"Rayure PROFONDE, lot L0815": "rayure profonde, lot l0815",
		"Éraflure sur la face B":     "eraflure sur la face b",
		"n°1 ÇA COINCE":              "n°1 ca coince",
		"":                           "",
	} {
		if got := boltstore.FoldText(in); got != want {
			t.Errorf("FoldText(%q) = %q, want %q", in, got, want)
		}
	}
}
