package pgstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/boltstore"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

// The log's speed on PostgreSQL beside the bbolt server store's, on the
// same events: a workstation's outbox of 100k events pushed in batches of
// 5000 (each batch one transaction: look-up of the batch, the sequence
// rules, the append, a durable commit), then read back from the start in
// pages of 5000, as pulls read it. PostgreSQL runs with fsync and
// synchronous_commit on (internal/pgtest); bbolt fsyncs every commit.
const (
	benchEvents = 100_000
	benchBatch  = 5000
)

func BenchmarkLogAppend100k(b *testing.B) {
	events := (&replica{id: "ws-bench"}).next(benchEvents)
	b.Run("bbolt", func(b *testing.B) {
		timed(b, len(events), func() func() {
			s := openBolt(b)
			return func() {
				for i := 0; i < len(events); i += benchBatch {
					if err := s.Update(func(t *boltstore.Tx) error { return boltAppend(t, events[i:min(i+benchBatch, len(events))]) }); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	})
	b.Run("postgres", func(b *testing.B) {
		s := newStore(b)
		plants := 0
		timed(b, len(events), func() func() {
			plants++
			p := newPlant(b, s, fmt.Sprintf("bench-%d", plants))
			return func() {
				for i := 0; i < len(events); i += benchBatch {
					if _, err := p.Append(context.Background(), events[i:min(i+benchBatch, len(events))]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	})
	b.ReportMetric(float64(len(domain.EncodeEvent(&events[0]))), "bytes/event")
}

// BenchmarkLogAppendSmall is the log's part of a fleet's pushes: 1000
// pushes of two events each, one after the other, each one transaction
// with its durable commit. Its figures per event are half a push's.
func BenchmarkLogAppendSmall(b *testing.B) {
	const pushes, size = 1000, 2
	events := (&replica{id: "ws-bench"}).next(pushes * size)
	s := newStore(b)
	plants := 0
	b.Run("postgres", func(b *testing.B) {
		timed(b, len(events), func() func() {
			plants++
			p := newPlant(b, s, fmt.Sprintf("small-%d", plants))
			return func() {
				for i := 0; i < len(events); i += size {
					if _, err := p.Append(context.Background(), events[i:i+size]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	})
}

func BenchmarkLogRead100k(b *testing.B) {
	events := (&replica{id: "ws-bench"}).next(benchEvents)
	b.Run("bbolt", func(b *testing.B) {
		s := openBolt(b)
		for i := 0; i < len(events); i += benchBatch {
			if err := s.Update(func(t *boltstore.Tx) error { return boltAppend(t, events[i:min(i+benchBatch, len(events))]) }); err != nil {
				b.Fatal(err)
			}
		}
		timed(b, len(events), func() func() {
			return func() {
				var cursor uint64
				for more := true; more; {
					err := s.View(func(t *boltstore.Tx) error {
						var err error
						cursor, more, err = t.LogRaw(cursor, benchBatch, countBytes)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				if cursor != uint64(len(events)) {
					b.Fatalf("read to %d", cursor)
				}
			}
		})
	})
	b.Run("postgres", func(b *testing.B) {
		p := newPlant(b, newStore(b), "bench")
		for i := 0; i < len(events); i += benchBatch {
			mustAppend(b, p, events[i:min(i+benchBatch, len(events))])
		}
		timed(b, len(events), func() func() {
			return func() {
				var cursor uint64
				for more := true; more; {
					var err error
					if cursor, more, err = p.LogRaw(context.Background(), cursor, benchBatch, countBytes); err != nil {
						b.Fatal(err)
					}
				}
				if cursor != uint64(len(events)) {
					b.Fatalf("read to %d", cursor)
				}
			}
		})
	})
}

// timed runs setup untimed then the work it returns timed, once per
// round, and reports the events per second of the timed parts, with the
// CPU time per event of this process (the adapter, pgx, bbolt) and, for
// PostgreSQL, of the server's processes: the machine's load disturbs
// these much less than wall time; and the bytes written to PostgreSQL's
// write-ahead log per event.
func timed(b *testing.B, n int, setup func() func()) {
	var total, client, server time.Duration
	var wal int64
	rounds := 0
	pg := strings.HasSuffix(b.Name(), "/postgres")
	for b.Loop() {
		b.StopTimer()
		work := setup()
		b.StartTimer()
		start, cpu := time.Now(), processCPU()
		var pgCPU time.Duration
		var lsn int64
		if pg {
			pgCPU, lsn = serverCPU(b), serverWAL(b)
		}
		work()
		total += time.Since(start)
		client += processCPU() - cpu
		if pg {
			server += serverCPU(b) - pgCPU
			wal += serverWAL(b) - lsn
		}
		rounds++
	}
	events := float64(n * rounds)
	b.ReportMetric(events/total.Seconds(), "events/s")
	b.ReportMetric(float64(client.Nanoseconds())/events, "cpu-ns/event")
	if pg {
		b.ReportMetric(float64(server.Nanoseconds())/events, "pg-cpu-ns/event")
		b.ReportMetric(float64(wal)/events, "wal-B/event")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func serverCPU(b *testing.B) time.Duration {
	d, err := pgtest.Server(b).CPUTime()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func serverWAL(b *testing.B) int64 {
	n, err := pgtest.Server(b).WALPosition()
	if err != nil {
		b.Fatal(err)
	}
	return n
}

var readBytes int

// countBytes is a pull's callback that keeps nothing.
func countBytes(_ uint64, raw []byte) error {
	readBytes += len(raw)
	return nil
}

func openBolt(b *testing.B) *boltstore.Store {
	s, err := boltstore.Open(filepath.Join(b.TempDir(), "server.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// boltAppend is the bbolt server store's part of a push: the batch looked
// up at once, the sequence checked, each new event logged.
func boltAppend(t *boltstore.Tx, batch []domain.Event) error {
	ids := make([]uuid.UUID, len(batch))
	for i := range batch {
		ids[i] = batch[i].ID
	}
	found := t.LookUpEvents(ids)
	for i := range batch {
		e := &batch[i]
		if found[i].Logged {
			continue
		}
		if e.Seq != t.ReplicaSeq(e.Replica)+1 {
			return fmt.Errorf("event %d: sequence %d after %d", i, e.Seq, t.ReplicaSeq(e.Replica))
		}
		if err := t.AppendNew(e, nil); err != nil {
			return err
		}
	}
	return nil
}
