package bench_test

import (
	"testing"
	"time"

	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui/model"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
)

// BenchmarkProblemScreens times what the problem screens read over the
// 100k store once its dataset is built (the first read builds it, as the
// dashboard's does; first-ms): a complaint's problem panel, its problem's
// page, the dashboard's list of recurrences and the dashboard itself with
// its recurring problems and themes.
func BenchmarkProblemScreens(b *testing.B) {
	s, err := boltstore.Open(fixture.Large(b), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Engineer.Login, Role: fixture.Engineer.Role})
	page, err := m.ListComplaints(model.ComplaintQuery{PageSize: 1}, "")
	if err != nil || len(page.Rows) == 0 {
		b.Fatalf("no complaint: %v", err)
	}
	id := page.Rows[0].ID
	start := time.Now()
	cp, err := m.ComplaintProblem(id)
	if err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	q := model.DashboardQuery{Period: model.Last90Days}
	var panel, problem, recurrences, dashboard time.Duration
	for b.Loop() {
		start = time.Now()
		if _, err := m.ComplaintProblem(id); err != nil {
			b.Fatal(err)
		}
		panel += time.Since(start)
		start = time.Now()
		if _, err := m.Problem(cp.Problem.ID); err != nil {
			b.Fatal(err)
		}
		problem += time.Since(start)
		start = time.Now()
		if _, err := m.Recurrences(q); err != nil {
			b.Fatal(err)
		}
		recurrences += time.Since(start)
		start = time.Now()
		if _, err := m.Dashboard(q); err != nil {
			b.Fatal(err)
		}
		dashboard += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(float64(first.Milliseconds()), "first-ms")
	b.ReportMetric(float64(panel.Microseconds())/1000/n, "panel-ms")
	b.ReportMetric(float64(problem.Microseconds())/1000/n, "page-ms")
	b.ReportMetric(float64(recurrences.Microseconds())/1000/n, "recurrences-ms")
	b.ReportMetric(float64(dashboard.Microseconds())/1000/n, "dashboard-ms")
}

// BenchmarkProposeWhileFiling times the filing form's "Looks like a known
// problem" over the 100k store, the description changing on every call as
// it does while the operator types: the first call waits for the dataset
// and its problems (first-ms), the others propose from it.
func BenchmarkProposeWhileFiling(b *testing.B) {
	s, err := boltstore.Open(fixture.Large(b), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Operator.Login, Role: fixture.Operator.Role})
	q := model.ProblemQuery{SupplierStation: "CUT1", PartRef: "P-00041", Category: "surface"}
	typed := []string{"burr", "burr on the", "burr on the edge of", "bavure sur le bord", "scratch on the face", "rayure profonde sur"}
	start := time.Now()
	if _, err := m.ProposeProblems(q, 3); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	shown := 0
	i := 0
	for b.Loop() {
		q.Description = typed[i%len(typed)]
		i++
		got, err := m.ProposeProblems(q, 3)
		if err != nil {
			b.Fatal(err)
		}
		shown += len(got)
	}
	if shown == 0 {
		b.Fatal("nothing proposed")
	}
	b.ReportMetric(float64(first.Milliseconds()), "first-ms")
}
