package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"
	"boucle/syncserver"
	"boucle/syncserver/demo"

	"github.com/google/uuid"
)

// viewReads are the reads the views port asks of a transaction, which
// the bbolt store's and this one's both have.
type viewReads interface {
	QueryComplaints(q boltstore.ComplaintQuery) (boltstore.ComplaintPage, error)
	Complaint(id string) (*domain.State, error)
	ComplaintWithNumber(number string) (string, bool)
	Timeline(complaintID string) ([]boltstore.TimelineEntry, error)
	QueryActions(q boltstore.ActionQuery) (boltstore.ActionPage, error)
	ListActions(f boltstore.ActionFilter) (boltstore.ActionPage, error)
	Plans(statuses ...domain.PlanStatus) ([]domain.Plan, error)
	State(k domain.EntityKey) (*domain.State, error)
	Users() ([]domain.User, error)
	Stations() ([]domain.Station, error)
	Categories() ([]domain.Category, error)
	Severities() ([]domain.SeverityConfig, error)
	ForEachState(typ domain.EntityType, fn func(*domain.State)) error
	Backlog() uint64
	LogLen() uint64
}

var demoEnd = time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)

// seededDemo seeds the demo plant into a bbolt server store and returns
// it with its log, in order.
func seededDemo(t *testing.T) (*boltstore.Store, []domain.Event) {
	t.Helper()
	clock := demo.NewClock(demoEnd)
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{Now: clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := demo.Seed(store, clock, demo.Options{End: demoEnd, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := store.CatchUp(); err != nil {
		t.Fatal(err)
	}
	var events []domain.Event
	err = store.View(func(tx *boltstore.Tx) error {
		for pos := uint64(0); ; {
			page, more, err := tx.LogAfter(pos, 1000)
			if err != nil {
				return err
			}
			for _, l := range page {
				events = append(events, l.Event)
				pos = l.Pos
			}
			if !more {
				return nil
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return store, events
}

// appendLog appends events to a plant's log as pushes do, unfolded.
func appendLog(t *testing.T, p *Plant, events []domain.Event) {
	t.Helper()
	for len(events) > 0 {
		n := min(len(events), 700)
		err := p.Update(context.Background(), func(tx *Tx) error {
			for i := range events[:n] {
				if err := tx.AppendNew(&events[i], boltstore.FilingOf(&events[i])); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		events = events[n:]
	}
}

// answers runs every query of the views on a transaction and returns the
// answers as JSON, one per query, named.
func answers(t *testing.T, tx viewReads) map[string]string {
	t.Helper()
	out := map[string]string{}
	put := func(name string, v any, err error) {
		raw, jerr := json.Marshal(v)
		if jerr != nil {
			t.Fatal(jerr)
		}
		if err != nil {
			raw = append(raw, []byte(" error "+string(domain.ErrorCode(err)))...)
		}
		out[name] = string(raw)
	}
	// Every complaint, page by page, then what each one shows.
	all, err := tx.QueryComplaints(boltstore.ComplaintQuery{ComplaintFilter: boltstore.ComplaintFilter{Limit: boltstore.MaxPageSize}})
	if err != nil || len(all.Rows) < 100 {
		t.Fatalf("QueryComplaints(all) = %d rows, %v", len(all.Rows), err)
	}
	var queries []boltstore.ComplaintQuery
	f := func(cf boltstore.ComplaintFilter) {
		queries = append(queries, boltstore.ComplaintQuery{ComplaintFilter: cf})
	}
	f(boltstore.ComplaintFilter{})
	f(boltstore.ComplaintFilter{Limit: 7})
	f(boltstore.ComplaintFilter{Overdue: true, Now: demoEnd})
	f(boltstore.ComplaintFilter{Overdue: true, Now: demoEnd, Limit: 3})
	f(boltstore.ComplaintFilter{Statuses: []domain.ComplaintStatus{domain.StatusClosed, domain.StatusResolved}, Limit: 9})
	f(boltstore.ComplaintFilter{Text: "lot", Limit: 11})
	f(boltstore.ComplaintFilter{Cursor: "zz"})
	seen := map[string]bool{}
	for _, r := range all.Rows {
		for _, cf := range []boltstore.ComplaintFilter{{Statuses: []domain.ComplaintStatus{r.Status}}, {SupplierStation: r.SupplierStation},
			{FilingStation: r.FilingStation}, {Assignee: r.Assignee}, {FiledBy: r.FiledBy}, {Category: r.Category}, {Severity: r.Severity},
			{Text: r.PartRef}, {Text: strings.ToUpper(r.Number)}} {
			key := fmt.Sprintf("%+v", cf)
			if !seen[key] {
				seen[key] = true
				cf.Limit = 5
				f(cf)
			}
		}
		if !seen[r.FilingStation+"/station"] {
			seen[r.FilingStation+"/station"] = true
			queries = append(queries, boltstore.ComplaintQuery{Station: r.FilingStation},
				boltstore.ComplaintQuery{From: r.FiledAt.Add(-40 * 24 * time.Hour), To: r.FiledAt, ComplaintFilter: boltstore.ComplaintFilter{Limit: 4}})
		}
	}
	for i, q := range queries {
		for page := 0; page < 40; page++ { // follow the cursors
			p, err := tx.QueryComplaints(q)
			put(fmt.Sprintf("complaints %d %+v page %d", i, q, page), p, err)
			if err != nil || p.Next == "" {
				break
			}
			q.Cursor = p.Next
		}
	}
	for _, r := range all.Rows {
		st, err := tx.Complaint(r.ID)
		put("complaint "+r.ID, st, err)
		st, err = boltstore.FindComplaintByNumber(tx, r.Number)
		put("number "+r.Number, st.Meta.Key, err)
		tl, err := tx.Timeline(r.ID)
		put("timeline "+r.ID, tl, err)
		for _, q := range []boltstore.ActionQuery{{ComplaintID: r.ID}, {ComplaintID: r.ID, Limit: 1}, {Station: r.SupplierStation, Limit: 6}} {
			actions(put, tx, q)
		}
		page, err := tx.ListActions(boltstore.ActionFilter{ComplaintID: r.ID})
		put("list actions of "+r.ID, page, err)
	}
	_, err = tx.Complaint("nobody")
	put("complaint nobody", nil, err)
	_, err = boltstore.FindComplaintByNumber(tx, "NOPE-1")
	put("number nobody", nil, err)
	users, err := tx.Users()
	put("users", users, err)
	for _, u := range users {
		actions(put, tx, boltstore.ActionQuery{Owner: u.Login, Statuses: []domain.ActionStatus{domain.ActionStatusOpen}, Limit: 3})
		page, err := tx.ListActions(boltstore.ActionFilter{Owner: u.Login, Limit: 2})
		put("list actions owner "+u.Login, page, err)
	}
	for _, q := range []boltstore.ActionQuery{{}, {Limit: 13}, {Overdue: true, Now: demoEnd, Limit: 4}, {Statuses: []domain.ActionStatus{domain.ActionStatusOpen}},
		{DueFrom: demoEnd.AddDate(0, 0, -30), DueTo: demoEnd, Statuses: []domain.ActionStatus{domain.ActionStatusOpen}, Limit: 5}, {Cursor: "x"}} {
		actions(put, tx, q)
	}
	for _, af := range []boltstore.ActionFilter{{}, {Limit: 9}, {Overdue: true, Now: demoEnd}} {
		page, err := tx.ListActions(af)
		put(fmt.Sprintf("list actions %+v", af), page, err)
	}
	plans, err := tx.Plans()
	put("plans", plans, err)
	plans, err = tx.Plans(domain.PlanStatusApproved)
	put("open plans", plans, err)
	stations, err := tx.Stations()
	put("stations", stations, err)
	categories, err := tx.Categories()
	put("categories", categories, err)
	severities, err := tx.Severities()
	put("severities", severities, err)
	for _, typ := range []domain.EntityType{domain.EntityComplaint, domain.EntityAction, domain.EntityPlan, domain.EntityUser,
		domain.EntityStation, domain.EntityCategory, domain.EntitySeverity, domain.EntityProblem} {
		var states []*domain.State
		err := tx.ForEachState(typ, func(st *domain.State) { states = append(states, st) })
		put("states "+string(typ), states, err)
	}
	put("log", [2]uint64{tx.LogLen(), tx.Backlog()}, nil)
	return out
}

func actions(put func(string, any, error), tx viewReads, q boltstore.ActionQuery) {
	for page := 0; page < 40; page++ {
		p, err := tx.QueryActions(q)
		put(fmt.Sprintf("actions %+v", q), p, err)
		if err != nil || p.Next == "" {
			return
		}
		q.Cursor = p.Next
	}
}

// compareAnswers reports every query whose answers differ.
func compareAnswers(t *testing.T, want, got map[string]string) {
	t.Helper()
	bad := 0
	for name, w := range want {
		if g := got[name]; g != w && bad < 5 {
			bad++
			t.Errorf("%s:\n bbolt    %.600s\n postgres %.600s", name, w, g)
		}
	}
	if len(want) != len(got) {
		t.Errorf("%d answers from bbolt, %d from postgres", len(want), len(got))
	}
}

func boltAnswers(t *testing.T, store *boltstore.Store) map[string]string {
	t.Helper()
	var out map[string]string
	if err := store.View(func(tx *boltstore.Tx) error { out = answers(t, tx); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func pgAnswers(t *testing.T, p *Plant) map[string]string {
	t.Helper()
	var out map[string]string
	if err := p.View(context.Background(), func(tx *Tx) error { out = answers(t, tx); return tx.Err() }); err != nil {
		t.Fatal(err)
	}
	return out
}

// The demo plant's log, folded by the PostgreSQL projector in steps that
// cut the entities' histories anywhere, answers every query of the views
// as the bbolt store that recorded it does.
func TestDemoPlantQueriesAnswerAsOnBbolt(t *testing.T) {
	bolt, events := seededDemo(t)
	want := boltAnswers(t, bolt)
	p := newPlant(t, newStore(t), "demo")
	appendLog(t, p, events)
	ctx := context.Background()
	if remaining, err := p.Project(ctx, 97); err != nil || remaining != uint64(len(events)-97) {
		t.Fatalf("Project(97) = %d, %v; want %d remaining", remaining, err, len(events)-97)
	}
	if err := p.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	compareAnswers(t, want, pgAnswers(t, p))
}

// Two server instances project one plant at once, in small steps: every
// event is folded once, none is lost (the states are bbolt's), and the
// mark ends at the log's end. Without the projection's lock, two folds of
// one entity from the same stored state lose one of them.
func TestTwoProjectorsFoldEveryEventOnce(t *testing.T) {
	bolt, events := seededDemo(t)
	want := boltAnswers(t, bolt)
	stores := newStores(t, 2)
	newPlant(t, stores[0], "demo")
	appendLog(t, stores[0].Plant("demo"), events)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Go(func() {
			p := stores[i%2].Plant("demo")
			for {
				remaining, err := p.Project(context.Background(), 13+i)
				if err != nil || remaining == 0 {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	compareAnswers(t, want, pgAnswers(t, stores[1].Plant("demo")))
}

// A plant's projections are its own: another plant of the database sees
// none of its states, rows or actions.
func TestProjectionsOfAnotherPlantAreNotSeen(t *testing.T) {
	_, events := seededDemo(t)
	s := newStore(t)
	demoPlant, other := newPlant(t, s, "demo"), newPlant(t, s, "other")
	appendLog(t, demoPlant, events)
	if err := demoPlant.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := other.View(context.Background(), func(tx *Tx) error {
		page, err := tx.QueryComplaints(boltstore.ComplaintQuery{})
		if err != nil || len(page.Rows) != 0 {
			t.Errorf("the other plant lists %d complaints (%v)", len(page.Rows), err)
		}
		actions, err := tx.QueryActions(boltstore.ActionQuery{})
		if err != nil || len(actions.Actions) != 0 {
			t.Errorf("the other plant lists %d actions (%v)", len(actions.Actions), err)
		}
		users, err := tx.Users()
		if err != nil || len(users) != 0 {
			t.Errorf("the other plant has users %v (%v)", users, err)
		}
		if _, err := tx.Complaint(events[len(events)-1].EntityID); domain.ErrorCode(err) != domain.ENotFound && events[len(events)-1].EntityType == domain.EntityComplaint {
			t.Errorf("the other plant finds a demo complaint: %v", err)
		}
		if tx.Backlog() != 0 || tx.LogLen() != 0 {
			t.Errorf("the other plant's log: %d events, %d awaiting", tx.LogLen(), tx.Backlog())
		}
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An event whose bytes do not decode is quarantined by the projector, told
// once, listed, and left out of the fold; the rest is folded.
func TestUndecodableEventIsQuarantined(t *testing.T) {
	s := newStore(t)
	p := newPlant(t, s, "p1")
	r := &replica{id: "ws-1"}
	appendLog(t, p, r.next(3))
	ctx := context.Background()
	if _, err := s.pool.Exec(ctx, "UPDATE events SET body = '\\x00ff'::bytea WHERE plant = 'p1' AND pos = 2"); err != nil {
		t.Fatal(err)
	}
	var told []boltstore.Quarantined
	s.OnQuarantine(func(q boltstore.Quarantined) { told = append(told, q) })
	if err := p.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.CatchUp(ctx); err != nil { // nothing left: told once
		t.Fatal(err)
	}
	listed, err := p.Quarantined(ctx)
	n, _ := p.QuarantinedCount(ctx)
	if err != nil || len(listed) != 1 || listed[0].Pos != 2 || n != 1 || len(told) != 1 || told[0].Event != listed[0].Event {
		t.Fatalf("quarantined %+v (count %d, %v), told %+v; want position 2 once", listed, n, err, told)
	}
	err = p.View(ctx, func(tx *Tx) error {
		if tx.Backlog() != 0 {
			t.Errorf("backlog %d after the quarantine; want 0", tx.Backlog())
		}
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Reference data pushed is folded at once (Ingest): the push's later
// checks and the views see it without a projection step, and the mark
// moves past it when nothing awaits before it.
func TestIngestFoldsAtOnce(t *testing.T) {
	_, events := seededDemo(t)
	var station domain.Event
	for _, e := range events {
		if e.Type == domain.StationDefined {
			station = e
			break
		}
	}
	p := newPlant(t, newStore(t), "p1")
	ctx := context.Background()
	err := p.Update(ctx, func(tx *Tx) error {
		if st, err := tx.Ingest(&station); err != nil || st != boltstore.Stored {
			return fmt.Errorf("Ingest = %v, %v", st, err)
		}
		if _, err := tx.State(station.Key()); err != nil {
			t.Errorf("the push does not see the station it ingested: %v", err)
		}
		if st, err := tx.Ingest(&station); err != nil || st != boltstore.Duplicate {
			t.Errorf("Ingest again = %v, %v; want a duplicate", st, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = p.View(ctx, func(tx *Tx) error {
		stations, err := tx.Stations()
		if err != nil || len(stations) != 1 || stations[0].Code != station.EntityID || tx.Backlog() != 0 {
			t.Errorf("Stations() = %+v, %v, backlog %d; want %s folded, none awaiting", stations, err, tx.Backlog(), station.EntityID)
		}
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// On PostgreSQL a backup is the database's: Backup says so, naming the
// tools and the page of the docs.
func TestBackupPointsToTheDatabasesTools(t *testing.T) {
	s := newStore(t)
	newPlant(t, s, "p1")
	srv, err := s.Server(context.Background(), "p1")
	if err != nil {
		t.Fatal(err)
	}
	err = srv.Backup(context.Background(), t.TempDir()+"/copy", func(*Tx) error { return errors.New("prepare must not run") })
	if err == nil || !strings.Contains(err.Error(), "pg_dump") || !strings.Contains(err.Error(), "docs/deployment.md") {
		t.Errorf("Backup = %v; want the refusal naming pg_dump and docs/deployment.md", err)
	}
	again, err := s.Server(context.Background(), "p1")
	if err != nil || again.Replica() != srv.Replica() || srv.Replica() == "" {
		t.Errorf("the plant's server replica: %q then %q (%v); want one id, kept", srv.Replica(), again.Replica(), err)
	}
	if err := srv.Health(context.Background()); err != nil {
		t.Errorf("Health() = %v", err)
	}
}

// Two instances record the server's events in one replica, one after the
// other: the sequence numbers follow each other, none reused, and each
// event is folded at once.
func TestServerEventsOfTwoInstancesAreNumberedInTurn(t *testing.T) {
	stores := newStores(t, 2)
	newPlant(t, stores[0], "p1")
	ctx := context.Background()
	var servers [2]*Server
	for i, s := range stores {
		srv, err := s.Server(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		servers[i] = srv
	}
	admin := boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}
	for i := range 6 {
		err := servers[i%2].Update(ctx, func(tx *Tx) error {
			return tx.RecordServerEvent(admin, boltstore.Command{Type: domain.StationDefined, EntityID: fmt.Sprintf("S%d", i),
				Payload: &domain.StationPayload{Name: "Station"}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := servers[1].View(ctx, func(tx *Tx) error {
		logged, _, err := tx.LogAfter(0, 10)
		if err != nil {
			return err
		}
		for i, l := range logged {
			if l.Event.Replica != servers[0].Replica() || l.Event.Seq != uint64(i+1) {
				t.Errorf("event %d: replica %s seq %d; want %s seq %d", i, l.Event.Replica, l.Event.Seq, servers[0].Replica(), i+1)
			}
		}
		stations, err := tx.Stations()
		if len(logged) != 6 || err != nil || len(stations) != 6 || tx.Backlog() != 0 {
			t.Errorf("%d events, stations %v (%v), backlog %d; want 6 folded at once", len(logged), stations, err, tx.Backlog())
		}
		return tx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A station defined by a push on one instance, stamped a little ahead of
// the clocks, is then changed by the server on another instance: the
// server's event is stamped after it, not refused as recorded before it.
func TestServerEventAfterAnotherInstancesPush(t *testing.T) {
	stores := newStores(t, 2)
	newPlant(t, stores[0], "p1")
	ctx := context.Background()
	srv, err := stores[1].Server(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	admin := boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}
	pushed, err := domain.NewEvent(domain.StationDefined, "S1", &domain.StationPayload{Name: "Pressing"})
	if err != nil {
		t.Fatal(err)
	}
	pushed.ID, pushed.HLC = uuid.Must(uuid.NewV7()), hlc.New(time.Now().Add(10*time.Minute).UnixMilli(), 0)
	pushed.Replica, pushed.Seq, pushed.Author, pushed.Role = "ws-1", 1, "admin", domain.RoleAdmin
	err = stores[0].Plant("p1").Update(ctx, func(tx *Tx) error { _, err := tx.Ingest(&pushed); return err })
	if err != nil {
		t.Fatal(err)
	}
	err = srv.Update(ctx, func(tx *Tx) error {
		return tx.RecordServerEvent(admin, boltstore.Command{Type: domain.StationUpdated, EntityID: "S1",
			Payload: &domain.StationPayload{Name: "Pressing 2"}})
	})
	if err != nil {
		t.Fatalf("the server's change after another instance's push: %v", err)
	}
}
