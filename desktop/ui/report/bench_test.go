package report

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/i18n"
	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui"
	"boucle/desktop/ui/model"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

type benchNav struct{}

func (benchNav) Push(string, fyne.CanvasObject) {}
func (benchNav) Back()                          {}
func (benchNav) Touch()                         {}

// BenchmarkSaveFromForm fills the report form and taps Save, in a store
// of 100k complaints: the form's checks, the store's transaction with its
// fsync (the draft deleted in it: the form keeps drafts, as the
// operator's does), the similar-complaints reset and the form's reset.
// Target: p99 ≤ 20 ms. The draft writes made while filling are not timed
// (they run off the UI goroutine in the app). Besides wall time, each
// save's CPU time (cpu-ms): on a shared machine the wall time's tail is
// mostly the wait for a core.
func BenchmarkSaveFromForm(b *testing.B) {
	s, err := boltstore.Open(fixture.CopyLarge(b), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	_ = i18n.Init("en")
	test.NewApp()
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1280, 800))
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(model.Session{Login: fixture.Operator.Login, Role: domain.RoleOperator})
	f := NewForm(ui.Env{Win: w, Async: ui.Inline, Now: time.Now, Nav: benchNav{}}, m, func(string) {})
	f.KeepDrafts()
	w.SetContent(f.Object())
	f.Load()
	runtime.LockOSThread() // the save's CPU time is its thread's
	defer runtime.UnlockOSThread()
	var times, cpu []time.Duration
	for b.Loop() {
		b.StopTimer()
		f.station.Pick("CUT1")
		f.part.SetText("BR-2040")
		f.lot.SetText("L-1")
		f.quantity.SetText("3")
		f.category.SetSelectedIndex(0)
		f.severity.SetSelected("Major")
		f.description.SetText("Burr on the edge")
		b.StartTimer()
		start, startCPU := time.Now(), threadCPU()
		test.Tap(f.save)
		times, cpu = append(times, time.Since(start)), append(cpu, threadCPU()-startCPU)
		if f.SavedText() == "" {
			b.Fatalf("not saved: %q", f.form.FormError())
		}
	}
	slices.Sort(times)
	slices.Sort(cpu)
	// Nearest rank: p99 of 100 saves is the 99th, not the slowest.
	rank := func(d []time.Duration, p int) float64 { return float64(d[max((len(d)*p+99)/100-1, 0)]) / 1e6 }
	b.ReportMetric(rank(times, 50), "p50-ms")
	b.ReportMetric(rank(times, 99), "p99-ms")
	b.ReportMetric(float64(times[len(times)-1])/1e6, "max-ms")
	b.ReportMetric(rank(cpu, 50), "p50-cpu-ms")
	b.ReportMetric(rank(cpu, 99), "p99-cpu-ms")
}
