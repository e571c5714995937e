package syncserver_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"boucle/internal/pgtest"
	"boucle/shared/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// roundTrips counts what the store sends PostgreSQL and waits for:
// each statement (BEGIN and COMMIT included), each batch, each copy.
type roundTrips struct {
	mu  sync.Mutex
	n   int
	sql []string
}

func (r *roundTrips) count(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	r.sql = append(r.sql, what)
}

// during is the round trips fn makes, and their statements.
func (r *roundTrips) during(fn func()) (int, []string) {
	r.mu.Lock()
	r.n, r.sql = 0, nil
	r.mu.Unlock()
	fn()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n, r.sql
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.count(d.SQL)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	r.count("batch")
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}
func (r *roundTrips) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceCopyFromStartData) context.Context {
	r.count("copy " + d.TableName.Sanitize())
	return ctx
}
func (r *roundTrips) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// The round trips to PostgreSQL of a workstation's push of one event and
// of its pull, the fleet's requests (BenchmarkFleetPostgres): each costs
// PostgreSQL CPU and a wait, and they, not the log's work, made most of a
// request's cost (docs/performance.md). The test fails if they grow
// back; lower the figures when a change cuts them.
func TestRoundTripsPerRequest(t *testing.T) {
	const maxPush, maxPull = 16, 9
	trips := &roundTrips{}
	place := &pgPlace{url: pgtest.SharedDB(t), plant: "t" + strings.ReplaceAll(uuid.NewString(), "-", ""), keys: newTestKeys(t), tracer: trips}
	h := openPostgresHarness(t, place, newClock(), true)
	d := h.workstation("op1")
	cursor := ""
	// The first of each warms the statement caches of the connection.
	for i, text := range []string{"first", "second", "third"} {
		e := h.event(d, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: text})
		push, pushSQL := trips.during(func() { h.push(d, e) })
		var p pulled
		pull, pullSQL := trips.during(func() { p = h.pull(d, cursor, 100) })
		cursor = p.cursor
		t.Logf("push %d: %d round trips %q", i, push, pushSQL)
		t.Logf("pull %d: %d round trips %q", i, pull, pullSQL)
		if i == 0 {
			continue
		}
		if push > maxPush || pull > maxPull {
			t.Errorf("a push makes %d round trips to PostgreSQL (at most %d), a pull %d (at most %d)", push, maxPush, pull, maxPull)
		}
	}
}
