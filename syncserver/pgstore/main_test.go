package pgstore

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"boucle/internal/pgtest"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"

	"github.com/google/uuid"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// newPool connects to a fresh database of the test's own.
func newPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool, err := pgxpool.New(context.Background(), pgtest.DB(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// newStore opens a migrated store on a fresh database, its refusals
// dated by a fixed clock.
func newStore(tb testing.TB) *Store { return newStores(tb, 1)[0] }

// newStores opens n stores on one fresh database, as n server instances
// sharing it would.
func newStores(tb testing.TB, n int) []*Store {
	tb.Helper()
	ctx := context.Background()
	// Connections enough for the concurrency tests' appenders and readers.
	url := pgtest.DB(tb) + "&pool_max_conns=24"
	out := make([]*Store, n)
	for i := range out {
		s, err := Open(ctx, url)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(s.Close)
		s.SetClock(func() time.Time { return testNow })
		out[i] = s
	}
	return out
}

// testNow is the time of the tests' store clock.
var testNow = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

// newPlant creates a plant in s.
func newPlant(tb testing.TB, s *Store, id string) *Plant {
	tb.Helper()
	if _, err := s.CreatePlant(context.Background(), id); err != nil {
		tb.Fatal(err)
	}
	return s.Plant(id)
}

// replica makes the events of one workstation, numbered from 1.
type replica struct {
	id  string
	seq uint64
}

// next returns the replica's next n events: notes on complaints, with a
// payload and a signature the size of real ones.
func (r *replica) next(n int) []domain.Event {
	out := make([]domain.Event, n)
	for i := range out {
		r.seq++
		e, err := domain.NewEvent(domain.ActionCompleted, fmt.Sprintf("a%06d", r.seq%997),
			&domain.NotePayload{Note: fmt.Sprintf("Lot L%05d sorted at the supplier station: %d parts with burrs on the inner edge, the punch changed.", r.seq, r.seq%50)})
		if err != nil {
			panic(err)
		}
		e.ID = uuid.Must(uuid.NewV7())
		e.HLC = hlc.New(1_780_000_000_000+int64(r.seq), 0)
		e.Replica, e.Seq, e.Author, e.Role = r.id, r.seq, "op1", domain.RoleOperator
		e.Parents = []uuid.UUID{uuid.Must(uuid.NewV7())}
		e.Sig = domain.Signature{Kid: "k1"}
		out[i] = e
	}
	return out
}

// mustAppend appends events and returns the results.
func mustAppend(tb testing.TB, p *Plant, events []domain.Event) []syncproto.EventResult {
	tb.Helper()
	res, err := p.Append(context.Background(), events)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// readAll reads the plant's log from the start, page by page, checking
// that positions follow each other.
func readAll(tb testing.TB, p *Plant, page int) []domain.Event {
	tb.Helper()
	var out []domain.Event
	var cursor uint64
	for {
		last, more, err := p.LogRaw(context.Background(), cursor, page, func(pos uint64, raw []byte) error {
			if pos != uint64(len(out))+1 {
				tb.Errorf("position %d after %d events", pos, len(out))
			}
			e, err := domain.DecodeEvent(raw)
			out = append(out, e)
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
		cursor = last
		if !more {
			return out
		}
	}
}
