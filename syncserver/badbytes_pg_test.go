package syncserver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// A stored event whose bytes no longer decode, changed in PostgreSQL
// (tampering or a bug at rest, as TestPullSkipsADamagedEvent does to the
// bbolt file): before, it was served as stored and every workstation's
// pull stalled on it, even once the projector had quarantined it. Now
// the pull quarantines it, as bbolt does, and goes on past it: every
// other event exactly once, the event listed for the administrator,
// counted and logged.
func TestPullSkipsADamagedEventOnPostgres(t *testing.T) {
	for name, damage := range map[string]string{
		"version byte":   "set_byte(body, 0, 9)",
		"trailing bytes": "body || '\\x00'::bytea",
		"cut short":      "substring(body from 1 for 40)",
	} {
		t.Run(name, func(t *testing.T) {
			h := adapter{postgres: true}.harness(t)
			ws, events := plantWithMessages(h, 60)
			damaged := events[31]
			changeStoredBody(t, h, damaged.ID, damage)

			for round, projected := range []bool{false, true} {
				if projected {
					if err := h.ports.CatchUp(t.Context()); err != nil {
						t.Fatal(err)
					}
				}
				pulled, cursor := h.pullAll(ws, "")
				seen := map[uuid.UUID]int{}
				for _, e := range pulled {
					seen[e.ID]++
				}
				for i, e := range events {
					if want := 1 - boolInt(e.ID == damaged.ID); seen[e.ID] != want {
						t.Fatalf("round %d: event %d pulled %d times; want %d", round, i, seen[e.ID], want)
					}
				}
				if want := fmt.Sprintf(":%d", h.logLen()); !strings.HasSuffix(cursor, want) {
					t.Fatalf("round %d: cursor %s does not reach the end of the log (%s)", round, cursor, want)
				}
			}
			q, err := h.admin.Quarantined(t.Context())
			if err != nil || len(q) != 1 || q[0].Event != damaged.ID {
				t.Fatalf("quarantine = %+v, %v; want the damaged event once", q, err)
			}
			if m := metrics(t, h); !strings.Contains(m, "boucle_store_quarantined_events 1") {
				t.Fatalf("metrics do not report the quarantined event:\n%s", grepLines(m, "boucle_store"))
			}
			if log := h.logBuf.String(); strings.Count(log, damaged.ID.String()) != 1 || !strings.Contains(log, "quarantined") {
				t.Fatalf("want one log line for the quarantined event:\n%s", log)
			}
		})
	}
}

// changeStoredBody rewrites the stored bytes of one event of h's plant
// with the SQL expression change (of body).
func changeStoredBody(t *testing.T, h *harness, id uuid.UUID, change string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), h.pgOpen.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	tag, err := conn.Exec(t.Context(), "UPDATE events SET body = "+change+" WHERE plant = $1 AND id = $2", h.pgOpen.plant, id)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("damage event %s: %v, %d rows", id, err, tag.RowsAffected())
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
