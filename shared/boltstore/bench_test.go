package boltstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkRecordEvent saves one event per iteration, fsync'd, as a
// workstation does when an operator posts a message on one of 300 open
// complaints. Target: p99 ≤ 2 ms.
func BenchmarkRecordEvent(b *testing.B) {
	s := mustOpen(b, boltstore.Options{})
	seedPlant(b, s)
	ids := make([]string, 300)
	for i := range ids {
		ids[i] = file(b, s, filing("CUT1", "P-1", "scratch"))
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := s.Record(operator, boltstore.Command{Type: domain.ComplaintMessagePosted, EntityID: ids[i%len(ids)],
			Payload: &domain.MessagePayload{Text: "still waiting for the sorted lot"}}); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durations)
}

// BenchmarkFileComplaint saves a new complaint (number, indexes, outbox),
// fsync'd: what the operator's form does.
func BenchmarkFileComplaint(b *testing.B) {
	s := mustOpen(b, boltstore.Options{})
	seedPlant(b, s)
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		file(b, s, filing("CUT1", "P-1", "Rayure profonde sur la face A, lot trié"))
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durations)
}

func reportPercentiles(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	at := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

var (
	plant100kOnce sync.Once
	plant100kPath string
	plant100kErr  error
)

// plant100k builds, once per benchmark run, a store of 100,000 complaints
// over a year: a third acknowledged, a tenth rejected, with varied words.
// It is built with NoSync and large transactions: the fixture measures
// reads, not writes.
func plant100k(b *testing.B) *boltstore.Store {
	b.Helper()
	plant100kOnce.Do(func() {
		dir, err := os.MkdirTemp("", "boucle-bench-")
		if err != nil {
			plant100kErr = err
			return
		}
		plant100kPath = filepath.Join(dir, "plant.db")
		plant100kErr = buildPlant(plant100kPath, 100_000)
	})
	if plant100kErr != nil {
		b.Fatal(plant100kErr)
	}
	s, err := boltstore.Open(plant100kPath, boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

var (
	benchDefects = []string{"rayure", "bavure", "fissure", "cote hors tolérance", "scratch", "dent", "missing label", "corrosion", "wrong torque", "mixed lot"}
	benchPlaces  = []string{"face A", "face B", "chanfrein", "alésage", "flange", "thread", "weld seam", "edge"}
)

func buildPlant(path string, n int) error {
	clock := &fakeClock{t: time.Date(2025, 11, 1, 6, 0, 0, 0, time.UTC)}
	s, err := boltstore.Open(path, boltstore.Options{NoSync: true, Now: clock.now})
	if err != nil {
		return err
	}
	defer s.Close()
	seedPlant(&testing.B{}, s)
	rng := rand.New(rand.NewPCG(1, 2))
	const batch = 5000
	for done := 0; done < n; done += batch {
		err := s.Update(func(tx *boltstore.Tx) error {
			for i := done; i < done+batch && i < n; i++ {
				clock.t = clock.t.Add(5 * time.Minute)
				p := filing([]string{"CUT1", "PAINT"}[rng.IntN(2)], fmt.Sprintf("P-%05d", rng.IntN(20000)),
					fmt.Sprintf("%s sur %s, lot %d", benchDefects[rng.IntN(len(benchDefects))], benchPlaces[rng.IntN(len(benchPlaces))], i))
				p.Lot = fmt.Sprintf("L%06d", i)
				e, err := tx.Record(operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: p})
				if err != nil {
					return err
				}
				switch i % 10 {
				case 0, 3, 6:
					_, err = tx.Record(engineer, boltstore.Command{Type: domain.ComplaintAcknowledged, EntityID: e.EntityID,
						Payload: &domain.AcknowledgePayload{Deadline: clock.t.Add(72 * time.Hour), Assignee: "eng1"}})
				case 9:
					_, err = tx.Record(engineer, boltstore.Command{Type: domain.ComplaintRejected, EntityID: e.EntityID,
						Payload: &domain.ReasonPayload{Reason: "not a defect"}})
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkFirstPageByStatus100k: the triage list's first page among
// 100,000 complaints. Target ≤ 10 ms.
func BenchmarkFirstPageByStatus100k(b *testing.B) {
	s := plant100k(b)
	f := boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusAcknowledged}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var page boltstore.ComplaintPage
		_ = s.View(func(tx *boltstore.Tx) (err error) { page, err = tx.ListComplaints(f); return err })
		if len(page.Rows) != boltstore.DefaultPageSize {
			b.Fatalf("page of %d", len(page.Rows))
		}
	}
}

// BenchmarkTextSearch100k: a search that matches one complaint in
// 100,000, so every text is scanned (the worst case). Target ≤ 50 ms.
func BenchmarkTextSearch100k(b *testing.B) {
	s := plant100k(b)
	f := boltstore.ComplaintFilter{Text: "l054321"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var page boltstore.ComplaintPage
		_ = s.View(func(tx *boltstore.Tx) (err error) { page, err = tx.ListComplaints(f); return err })
		if len(page.Rows) != 1 {
			b.Fatalf("found %d", len(page.Rows))
		}
	}
}

// BenchmarkTextSearchCommon100k: a common word fills the first page early.
func BenchmarkTextSearchCommon100k(b *testing.B) {
	s := plant100k(b)
	f := boltstore.ComplaintFilter{Text: "rayure face"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.View(func(tx *boltstore.Tx) error { _, err := tx.ListComplaints(f); return err })
	}
}

// BenchmarkRawBoltCommit is the floor under BenchmarkRecordEvent: one
// 400-byte put in one fsync'd bbolt transaction, measured on the same
// machine at the same time so the two can be compared.
func BenchmarkRawBoltCommit(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{InitialMmapSize: 1 << 30, NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	value := make([]byte, 400)
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		err := db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("raw"))
			if err != nil {
				return err
			}
			return bk.Put([]byte(fmt.Sprintf("k%09d", i)), value)
		})
		if err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durations)
}
