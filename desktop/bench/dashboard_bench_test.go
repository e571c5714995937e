package bench_test

import (
	"fmt"
	"testing"
	"time"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

// BenchmarkDashboardAfterHandling times the dashboard's refresh after an
// event that only handles a complaint (a message to the complainant) in a copy of the
// 100k store: the dataset is built again from the store's states, and
// adopts the problems of the last build instead of finding them again.
func BenchmarkDashboardAfterHandling(b *testing.B) {
	s, err := boltstore.Open(fixture.CopyLarge(b), boltstore.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: fixture.Engineer.Role})
	q := model.DashboardQuery{Period: model.Last90Days}
	if _, err := m.Dashboard(q); err != nil {
		b.Fatal(err)
	}
	page, err := m.ListComplaints(model.ComplaintQuery{PageSize: 1}, "")
	if err != nil || len(page.Rows) == 0 {
		b.Fatalf("no complaint: %v", err)
	}
	var refresh time.Duration
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		err := s.Update(func(t *boltstore.Tx) error {
			_, err := t.Record(fixture.Engineer, boltstore.Command{Type: domain.ComplaintMessagePosted, EntityID: page.Rows[0].ID,
				Payload: &domain.MessagePayload{Text: fmt.Sprint("message ", i)}})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if _, err := m.Dashboard(q); err != nil {
			b.Fatal(err)
		}
		refresh += time.Since(start)
	}
	b.ReportMetric(float64(refresh.Milliseconds())/float64(b.N), "refresh-ms")
}
