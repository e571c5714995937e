// Package bench holds the desktop app's benchmarks against a store of
// 100,000 complaints (fixture.Large): cold start to the first list,
// resident memory, and scrolling the list. Saving from the form is
// BenchmarkSaveFromForm in desktop/ui/report.
//
//	go test ./desktop/bench -run '^$' -bench . -benchtime 10x
package bench_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"boucle/desktop/i18n"
	"boucle/desktop/internal/fixture"
	"boucle/desktop/ui"
	"boucle/desktop/ui/complaints"
	"boucle/desktop/ui/model"
	"boucle/desktop/viewmodel"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

var langOnce sync.Once

func newWindow(b *testing.B) fyne.Window {
	langOnce.Do(func() { _ = i18n.Init("en") })
	test.NewApp()
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1280, 800))
	return w
}

func engineer() model.Session {
	return model.Session{Login: fixture.Engineer.Login, Role: domain.RoleEngineer}
}

type nav struct{}

func (nav) Push(string, fyne.CanvasObject) {}
func (nav) Back()                          {}
func (nav) Touch()                         {}

// firstList opens the store and shows the triage inbox's first page in a
// laid-out window: what happens between launching the app and seeing
// the list.
func firstList(b *testing.B, path string, w fyne.Window) (*boltstore.Store, *complaints.Inbox) {
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := viewmodel.New(s, "PRESS2", nil)
	m.SetSession(engineer())
	env := ui.Env{Win: w, Async: ui.Inline, Now: time.Now, Nav: nav{}}
	in := complaints.NewInbox(env, m, func(string) {})
	w.SetContent(in.Object())
	in.Load()
	if len(in.List.Rows()) == 0 {
		b.Fatal("empty first page")
	}
	w.Canvas().Refresh(in.Object())
	return s, in
}

// BenchmarkColdStartFirstList: open the 100k store, read the inbox's
// first page (new complaints first) and build the list widget. Target
// ≤ 1.5 s.
func BenchmarkColdStartFirstList(b *testing.B) {
	path := fixture.Large(b)
	w := newWindow(b)
	b.ResetTimer()
	for b.Loop() {
		s, _ := firstList(b, path, w)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkResidentMemory measures the resident memory of a fresh process
// that opened the 100k store and shows the first list (a subprocess, so
// that building the fixture and other benchmarks do not count). Target
// ≤ 250 MB.
func BenchmarkResidentMemory(b *testing.B) {
	path := fixture.Large(b)
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestResidentMemoryChild$", "-test.v")
		cmd.Env = append(os.Environ(), "BOUCLE_RSS_CHILD="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("child: %v\n%s", err, out)
		}
		m := parseChild(b, string(out))
		b.ReportMetric(m["rss"], "RSS-MB")
		b.ReportMetric(m["anon"], "RssAnon-MB")
		b.ReportMetric(m["file"], "RssFile-MB")
		b.ReportMetric(m["heap"], "heap-MB")
		// Once more with the similarity index of the report form built.
		cmd = exec.Command(os.Args[0], "-test.run", "^TestResidentMemoryChild$", "-test.v")
		cmd.Env = append(os.Environ(), "BOUCLE_RSS_CHILD="+path, "BOUCLE_RSS_INDEX=1")
		if out, err = cmd.CombinedOutput(); err != nil {
			b.Fatalf("child: %v\n%s", err, out)
		}
		m = parseChild(b, string(out))
		b.ReportMetric(m["rss"], "RSS-with-index-MB")
		b.ReportMetric(m["anon"], "RssAnon-with-index-MB")
		b.ReportMetric(m["heap"], "heap-with-index-MB")
	}
}

// parseChild reads the child's "measure NAME VALUE" lines.
func parseChild(b *testing.B, out string) map[string]float64 {
	m := map[string]float64{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "measure" {
			m[f[1]], _ = strconv.ParseFloat(f[2], 64)
		}
	}
	if len(m) == 0 {
		b.Fatalf("no measure in:\n%s", out)
	}
	return m
}

// TestResidentMemoryChild is the subprocess of BenchmarkResidentMemory;
// it does nothing in a normal test run.
func TestResidentMemoryChild(t *testing.T) {
	path := os.Getenv("BOUCLE_RSS_CHILD")
	if path == "" {
		t.Skip("only run by BenchmarkResidentMemory")
	}
	b := &testing.B{}
	w := newWindow(b)
	s, in := firstList(b, path, w)
	defer s.Close()
	// Scroll a few pages, as a user would, before measuring.
	for i := 0; i < 5; i++ {
		in.List.LoadMore()
	}
	if os.Getenv("BOUCLE_RSS_INDEX") != "" {
		// The report form's similarity index, built on first use.
		m := viewmodel.New(s, "PRESS2", nil)
		<-m.WarmSimilar()
	}
	debug.FreeOSMemory() // a GC, and the freed memory back to the system
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st := procStatus(t)
	fmt.Printf("measure rss %.1f\nmeasure anon %.1f\nmeasure file %.1f\nmeasure heap %.1f\n",
		st["VmRSS"], st["RssAnon"], st["RssFile"], float64(ms.HeapAlloc)/(1<<20))
}

// procStatus reads the memory lines of /proc/self/status, in MB: VmRSS
// is RssAnon (the process's own memory) plus RssFile (pages of mapped
// files, the store's included, which the kernel can drop and reread).
func procStatus(t testing.TB) map[string]float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.HasSuffix(v, " kB") {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, " kB")), 64)
			out[k] = kb / 1024
		}
	}
	return out
}

func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	p := func(q float64) float64 {
		return float64(times[min(len(times)-1, int(q*float64(len(times))))]) / 1e6
	}
	b.ReportMetric(p(0.5), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
	b.ReportMetric(float64(times[len(times)-1])/1e6, "max-ms")
}

// BenchmarkScrollList scrolls the inbox over the 100k store, 400 px per
// step (about six rows), reading pages as the list asks for them (inline,
// so each step's time includes any store read), and reports the slowest
// step: a frame stall. Target: no step over 100 ms.
func BenchmarkScrollList(b *testing.B) {
	path := fixture.Large(b)
	w := newWindow(b)
	s, in := firstList(b, path, w)
	defer s.Close()
	list := in.List.Widget()
	const steps = 1500 // ≈ 9,000 rows, 180 pages
	var times []time.Duration
	for b.Loop() {
		list.ScrollToTop()
		offset := float32(0)
		for i := 0; i < steps; i++ {
			offset += 400
			start := time.Now()
			list.ScrollToOffset(offset)
			w.Canvas().Refresh(list)
			times = append(times, time.Since(start))
		}
	}
	b.ReportMetric(float64(len(in.List.Rows())), "rows-loaded")
	reportPercentiles(b, times)
}

// BenchmarkSimilarIndex builds the report form's TF-IDF index over the
// 100k complaints (in the background in the app) and times a look-up.
func BenchmarkSimilarIndex(b *testing.B) {
	s, err := boltstore.Open(fixture.Large(b), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var build, look time.Duration
	for b.Loop() {
		m := viewmodel.New(s, "PRESS2", nil)
		start := time.Now()
		<-m.WarmSimilar()
		build += time.Since(start)
		start = time.Now()
		rows, err := m.SimilarOpen("CUT1", "P-00042", "burr on the edge of the bracket", 5)
		look += time.Since(start)
		if err != nil || len(rows) == 0 {
			b.Fatalf("rows %v err %v", rows, err)
		}
	}
	b.ReportMetric(float64(build.Milliseconds())/float64(b.N), "build-ms")
	b.ReportMetric(float64(look.Microseconds())/1000/float64(b.N), "lookup-ms")
}
