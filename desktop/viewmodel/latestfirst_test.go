package viewmodel

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"boucle/desktop/ui/model"
)

// latestFirst gives the order of the stable sort it replaced, ties
// (the same moment and number) included.
func TestLatestFirstIsTheStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]model.RecurrenceRow, 5000)
	for i := range rows {
		rows[i] = model.RecurrenceRow{ComplaintID: fmt.Sprint("c", i), Number: fmt.Sprint("N-", r.IntN(300)),
			FiledAt: base.Add(time.Duration(r.IntN(200)) * time.Hour)}
	}
	want := slices.Clone(rows)
	slices.SortStableFunc(want, func(a, b model.RecurrenceRow) int {
		return cmp.Or(b.FiledAt.Compare(a.FiledAt), cmp.Compare(a.Number, b.Number))
	})
	if got := latestFirst(rows); !reflect.DeepEqual(got, want) {
		t.Fatal("latestFirst differs from the stable sort")
	}
}

// BenchmarkLatestFirst orders 100k recurrence rows filed in (FiledAt, ID)
// order, as the list of recurrences receives them; "stable" is the sort
// latestFirst replaced.
func BenchmarkLatestFirst(b *testing.B) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]model.RecurrenceRow, 100_000)
	for i := range rows {
		rows[i] = model.RecurrenceRow{ComplaintID: fmt.Sprint("c", i), Number: fmt.Sprintf("N-%06d", i), FiledAt: base.Add(time.Duration(i) * time.Second)}
	}
	b.Run("stable", func(b *testing.B) {
		for b.Loop() {
			slices.SortStableFunc(slices.Clone(rows), func(a, b model.RecurrenceRow) int {
				return cmp.Or(b.FiledAt.Compare(a.FiledAt), cmp.Compare(a.Number, b.Number))
			})
		}
	})
	b.Run("latestFirst", func(b *testing.B) {
		for b.Loop() {
			_ = latestFirst(rows)
		}
	})
}
