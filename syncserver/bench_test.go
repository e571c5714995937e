package syncserver_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"boucle/shared/authorship"
	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/shared/syncproto"

	"github.com/google/uuid"
)

// Sync throughput over loopback HTTP, every commit fsync'd (the store's
// default): 100k events in batches of 5000, as a workstation back from a
// long time offline pushes its outbox, and as a new workstation pulls the
// plant's log. Run with:
//
//	go test ./syncserver -run '^$' -bench 'Push|Pull' -benchtime 3x
const (
	benchEvents = 100_000
	benchBatch  = syncproto.MaxBatchEvents
)

// history returns n events of complaint cases recorded on one workstation,
// ten per case (filed, acknowledged, analysed, two solutions proposed, one
// chosen, a corrective action assigned, linked and completed, resolved,
// verified), with the authors of the harness's directory, signed with the
// keys they hold on d (see harness.signIn). Cases go in
// waves: the workstation works on wave cases at a time, step by step, as
// a shift works on the complaints in hand.
func history(d *device, n, wave int) []domain.Event {
	start := time.Now().Add(-30 * 24 * time.Hour)
	events := make([]domain.Event, 0, n)
	last := map[domain.EntityKey]uuid.UUID{}
	add := func(author string, role domain.Role, t domain.EventType, id string, p domain.Payload) {
		e, err := domain.NewEvent(t, id, p)
		if err != nil {
			panic(err)
		}
		d.seq++
		e.ID = uuid.Must(uuid.NewV7())
		e.HLC = hlc.New(start.UnixMilli()+int64(d.seq), 0)
		e.Replica, e.Seq, e.Author, e.Role = d.replica, d.seq, author, role
		if p, ok := last[e.Key()]; ok {
			e.Parents = []uuid.UUID{p}
		}
		last[e.Key()] = e.ID
		if k := d.keys[author]; k.Valid() { // signed by its author, as a workstation signs
			authorship.Sign(k, &e)
		}
		events = append(events, e)
	}
	deadline := start.Add(10 * 24 * time.Hour)
	containment, rootCause, ish := "Lot quarantined, 100% sorting at the supplier station", "Punch changed every 80k strokes instead of 50k", domain.IshikawaMachine
	whys := []string{"Burrs on edge", "Worn punch", "Punch change interval exceeded"}
	steps := []func(c int){
		func(c int) {
			p := filing(c+1, "Parts received with burrs on the inner edge; about one in ten affected, found at incoming inspection.")
			p.Lot = fmt.Sprintf("L%05d", c%5003)
			add("op1", domain.RoleOperator, domain.ComplaintFiled, fmt.Sprintf("c%06d", c), p)
		},
		func(c int) {
			add("eng1", domain.RoleEngineer, domain.ComplaintAcknowledged, fmt.Sprintf("c%06d", c), &domain.AcknowledgePayload{Deadline: deadline, Assignee: "eng1"})
		},
		func(c int) {
			add("eng1", domain.RoleEngineer, domain.ComplaintAnalysisRecorded, fmt.Sprintf("c%06d", c),
				&domain.AnalysisPayload{Containment: &containment, Whys: &whys, Ishikawa: &ish, RootCause: &rootCause})
		},
		func(c int) {
			add("eng1", domain.RoleEngineer, domain.ComplaintSolutionProposed, fmt.Sprintf("c%06d", c), &domain.ProposeSolutionPayload{
				Options: []domain.SolutionOption{{ID: "rework", Text: "Deburr the lot at the supplier station"}, {ID: "replace", Text: "Replace the lot from stock"}}})
		},
		func(c int) {
			add("op1", domain.RoleOperator, domain.ComplaintSolutionChosen, fmt.Sprintf("c%06d", c), &domain.ChooseSolutionPayload{SolutionID: "rework"})
		},
		func(c int) {
			add("eng1", domain.RoleEngineer, domain.ActionAssigned, fmt.Sprintf("a%06d", c), &domain.ActionAssignedPayload{Kind: domain.ActionCorrective,
				Title: "Enforce the 50k punch change", Owner: "eng2", Due: deadline, ComplaintID: fmt.Sprintf("c%06d", c)})
		},
		func(c int) {
			add("eng1", domain.RoleEngineer, domain.ComplaintActionLinked, fmt.Sprintf("c%06d", c), &domain.LinkActionPayload{
				ActionID: fmt.Sprintf("a%06d", c), Kind: domain.ActionCorrective, Title: "Enforce the 50k punch change"})
		},
		func(c int) {
			add("eng2", domain.RoleEngineer, domain.ActionCompleted, fmt.Sprintf("a%06d", c), &domain.NotePayload{Note: "Counter added to the press"})
		},
		func(c int) {
			add("eng1", domain.RoleEngineer, domain.ComplaintResolved, fmt.Sprintf("c%06d", c), &domain.ResolvePayload{Summary: "Lot deburred, punch change enforced"})
		},
		func(c int) {
			add("op1", domain.RoleOperator, domain.ComplaintVerified, fmt.Sprintf("c%06d", c), &domain.VerifyPayload{Rating: 1 + c%5, Comment: "OK"})
		},
	}
	cases := (n + len(steps) - 1) / len(steps)
	for first := 0; first < cases; first += wave {
		for _, step := range steps {
			for c := first; c < min(first+wave, cases); c++ {
				if len(events) < n {
					step(c)
				}
			}
		}
	}
	return events
}

// historyAuthors are the users who record a history.
var historyAuthors = []string{"op1", "eng1", "eng2"}

// batches encodes events as push bodies of benchBatch events.
func batches(events []domain.Event) [][]byte {
	var out [][]byte
	for i := 0; i < len(events); i += benchBatch {
		out = append(out, syncproto.AppendBatch(nil, events[i:min(i+benchBatch, len(events))]))
	}
	return out
}

// pushAll pushes the batches in turn and checks that every event was
// accepted.
func pushAll(b testing.TB, h *harness, d *device, bodies [][]byte) {
	client := h.http.Client()
	for _, body := range bodies {
		req, _ := http.NewRequest(http.MethodPost, h.http.URL+syncproto.Prefix+syncproto.RoutePush, bytes.NewReader(body))
		req.Header = d.headers(true)
		req.Header.Set("Content-Type", syncproto.ContentTypeBatch)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := io.ReadAll(res.Body)
		res.Body.Close()
		var resp syncproto.PushResponse
		if err == nil {
			resp, err = syncproto.DecodePushResponse(raw) // as the workstation reads it (syncclient.Client.Push)
		}
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("push: %d %v", res.StatusCode, err)
		}
		for _, r := range resp.Results {
			if r.Result != syncproto.Accepted {
				b.Fatalf("event %s: %+v", r.ID, r)
			}
		}
	}
}

// benchmarkPush measures the pushes alone: the projector folds what they
// logged once they pause, so each round waits for it outside the timer,
// reports how long the fold took apart (fold-events/s), and closes its
// server, so that no round's fold runs into the next round's pushes.
// open serves a fresh plant (newHarness: bbolt; pgHarness: PostgreSQL).
func benchmarkPush(b *testing.B, wave int, open func(testing.TB) *harness) {
	var total, cpu, fold, pgCPU time.Duration
	var pages, wal int64
	for b.Loop() {
		b.StopTimer()
		h := open(b)
		d := h.workstation("op1")
		h.signIn(d, historyAuthors...)
		bodies := batches(history(d, benchEvents, wave))
		b.StartTimer()
		start, cpu0, pages0, pg0, wal0 := time.Now(), processCPU(), pagesWritten(h), h.pgCPU(), h.walPosition()
		pushAll(b, h, d, bodies)
		total += time.Since(start)
		cpu += processCPU() - cpu0
		pages += pagesWritten(h) - pages0
		pgCPU += h.pgCPU() - pg0
		wal += h.walPosition() - wal0
		b.StopTimer()
		start = time.Now()
		if err := h.catchUp(); err != nil {
			b.Fatal(err)
		}
		fold += time.Since(start)
		h.closed() // closed again by the harness's cleanup: at most once
		b.StartTimer()
	}
	events := float64(benchEvents * b.N)
	b.ReportMetric(events/total.Seconds(), "events/s")
	// The CPU time of client and server for each event: on a shared
	// machine, wall time tells the load as much as the cost.
	b.ReportMetric(float64(cpu.Nanoseconds())/events, "cpu-ns/event")
	b.ReportMetric(events/fold.Seconds(), "fold-events/s")
	if pages > 0 { // bbolt: the bytes of the pages the pushes' commits wrote, for each event
		b.ReportMetric(float64(pages)/events, "page-B/event")
	}
	if wal > 0 { // PostgreSQL: its processes' CPU and the write-ahead log's bytes, for each event
		b.ReportMetric(float64(pgCPU.Nanoseconds())/events, "pg-cpu-ns/event")
		b.ReportMetric(float64(wal)/events, "wal-B/event")
	}
}

// pagesWritten is the bytes of the pages the bbolt store's commits have
// written; 0 on PostgreSQL.
func pagesWritten(h *harness) int64 {
	if h.store == nil {
		return 0
	}
	st := h.store.DB().Stats().TxStats
	return st.GetPageAlloc()
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPush100k: a workstation's outbox of 100k events, 50 complaint
// cases in hand at a time.
func BenchmarkPush100k(b *testing.B) { benchmarkPush(b, 50, newHarness) }

// BenchmarkPush100kScattered: the worst case for the fold, every batch
// touching 5000 different entities (each case's steps 10k events apart).
func BenchmarkPush100kScattered(b *testing.B) { benchmarkPush(b, 10_000, newHarness) }

// BenchmarkPush100kPostgres: BenchmarkPush100k's outbox pushed to a
// server on PostgreSQL (internal/pgtest: fsync and synchronous_commit
// on), every check on.
func BenchmarkPush100kPostgres(b *testing.B) { benchmarkPush(b, 50, pgHarness) }

// BenchmarkPull100k: a new workstation pulls a log of 100k events, in
// pages of 5000, and decodes them.
func BenchmarkPull100k(b *testing.B) {
	h := newHarness(b)
	d := h.workstation("op1")
	h.signIn(d, historyAuthors...)
	pushAll(b, h, d, batches(history(d, benchEvents, 50)))
	// The projector folds what was pushed when pushes pause: let it finish,
	// so that the pull is measured alone, not against the fold's writes.
	if err := h.store.CatchUp(); err != nil {
		b.Fatal(err)
	}
	want := int(h.logLen())
	client := h.http.Client()
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		n, cursor := 0, ""
		for more := true; more; {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s%s%s?cursor=%s", h.http.URL, syncproto.Prefix, syncproto.RoutePull, cursor), nil)
			req.Header = d.headers(true)
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK {
				b.Fatalf("pull: %d %v", res.StatusCode, err)
			}
			events, err := syncproto.DecodeBatch(body)
			if err != nil {
				b.Fatal(err)
			}
			n += len(events)
			cursor, more = res.Header.Get(syncproto.HeaderCursor), res.Header.Get(syncproto.HeaderMore) == "true"
		}
		total += time.Since(start)
		if n != want {
			b.Fatalf("pulled %d of %d", n, want)
		}
	}
	b.ReportMetric(float64(want*b.N)/total.Seconds(), "events/s")
}

// BenchmarkStoreIngest100k is the floor under BenchmarkPush100k: the same
// events stored and folded by boltstore alone (Tx.Ingest, one fsync'd
// transaction per 5000), without HTTP, validation or author checks.
func BenchmarkStoreIngest100k(b *testing.B) {
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		h := newHarness(b)
		events := history(&device{replica: "ws-bench"}, benchEvents, 50)
		b.StartTimer()
		start := time.Now()
		for i := 0; i < len(events); i += benchBatch {
			err := h.store.Update(func(t *boltstore.Tx) error {
				for j := i; j < min(i+benchBatch, len(events)); j++ {
					if _, err := t.Ingest(&events[j]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(benchEvents*b.N)/total.Seconds(), "events/s")
}
