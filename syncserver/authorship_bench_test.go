package syncserver

import (
	"syscall"
	"testing"
	"time"

	"boucle/shared/authorship"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

// The cost of checking authorship, per event, on one core, against all
// the state-free checks of a push on every core (run with -benchtime 20x). Besides wall
// time, the CPU time the process spent (getrusage): on a loaded machine it
// tells the cost where wall time only tells the load.
func benchBatch(b *testing.B) (*Server, []domain.Event) {
	keys, err := NewKeyring(ServerKey{Kid: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{keys: keys}
	master, _ := keys.authorMaster("k1")
	events := make([]domain.Event, 5000)
	for i := range events {
		e, err := domain.NewEvent(domain.ComplaintAnalysisRecorded, "c1", &domain.AnalysisPayload{Containment: ptr("Lot quarantined, 100% sorting at the supplier station"),
			RootCause: ptr("Punch changed every 80k strokes instead of 50k"), Whys: &[]string{"Burrs on edge", "Worn punch", "Punch change interval exceeded"}})
		if err != nil {
			b.Fatal(err)
		}
		e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), 1<<40, "ws-1", uint64(i+1), []string{"op1", "eng1", "eng2"}[i%3], domain.RoleEngineer
		e.Parents = []uuid.UUID{uuid.Must(uuid.NewV7())}
		authorship.Sign(authorship.Key{Kid: "k1", Secret: authorship.Derive(master, e.Author, e.Replica, 0)}, &e)
		events[i] = e
	}
	return s, events
}

func ptr[T any](v T) *T { return &v }

func BenchmarkVerifyAuthorship5000(b *testing.B) {
	s, events := benchBatch(b)
	var total time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		start := time.Now()
		sv := newSignatureVerifier(s.keys, map[string]uint64{})
		for i := range events {
			if err := sv.check(&events[i]); err != nil {
				b.Fatal(err)
			}
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N*len(events)), "cpu-ns/event")
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*len(events)), "ns/event")
}

// BenchmarkPrevalidate5000: every state-free check, signatures included,
// on every core.
func BenchmarkPrevalidate5000(b *testing.B) {
	s, events := benchBatch(b)
	var total time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		start := time.Now()
		pv := s.prevalidate(events, map[string]uint64{})
		for i := range events {
			if err := pv.result(i).invalid; err != nil {
				b.Fatal(err)
			}
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N*len(events)), "cpu-ns/event")
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*len(events)), "ns/event")
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
