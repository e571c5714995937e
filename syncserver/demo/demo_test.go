package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"
	"boucle/syncserver/demo"
)

func TestSeedWritesAPlantInEveryState(t *testing.T) {
	end := time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)
	clock := demo.NewClock(end)
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{Now: clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	res, err := demo.Seed(store, clock, demo.Options{End: end, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stations != 8 || len(res.Users) != 14 || res.Complaints != 110 || len(res.Enrolments) != 3 || res.Events < 1000 {
		t.Fatalf("result = %+v", res)
	}

	statuses := map[domain.ComplaintStatus]int{}
	var reopened, escalated, overdue, claims, withPhotos int
	var plans []domain.Plan
	var actions boltstore.ActionPage
	err = store.View(func(tx *boltstore.Tx) error {
		page, err := tx.ListComplaints(boltstore.ComplaintFilter{Limit: boltstore.MaxPageSize})
		if err != nil {
			return err
		}
		for _, r := range page.Rows {
			statuses[r.Status]++
			if r.Reopens > 0 {
				reopened++
			}
			if r.Escalated {
				escalated++
			}
			if r.Overdue(end) {
				overdue++
			}
			if r.Kind == domain.KindClaim {
				claims++
			}
			st, err := tx.Complaint(r.ID)
			if err != nil {
				return err
			}
			if len(st.Complaint.Attachments) > 0 {
				withPhotos++
				if !tx.HasBlob(st.Complaint.Attachments[0].SHA256) {
					t.Errorf("%s: photo not stored", r.Number)
				}
			}
			if len(st.Meta.Flags) > 0 || st.Meta.Updated.Time().After(end) {
				t.Errorf("%s: flags %+v, updated %s", r.Number, st.Meta.Flags, st.Meta.Updated)
			}
		}
		if plans, err = tx.Plans(); err != nil {
			return err
		}
		actions, err = tx.QueryActions(boltstore.ActionQuery{Limit: boltstore.MaxPageSize})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []domain.ComplaintStatus{domain.StatusNew, domain.StatusInvestigating, domain.StatusActionsInProgress,
		domain.StatusClosed, domain.StatusRejected, domain.StatusDuplicate, domain.StatusWithdrawn} {
		if statuses[s] == 0 {
			t.Errorf("no complaint %s: %v", s, statuses)
		}
	}
	if reopened == 0 || escalated == 0 || overdue == 0 || claims == 0 || withPhotos == 0 {
		t.Errorf("reopened %d, escalated %d, overdue %d, claims %d, with photos %d", reopened, escalated, overdue, claims, withPhotos)
	}
	byStatus := map[domain.PlanStatus]domain.Plan{}
	for _, p := range plans {
		byStatus[p.Status] = p
	}
	if p := byStatus[domain.PlanStatusInProgress]; len(plans) != 3 || len(p.SignOffs) != 1 || p.SignOffs[0].Decision != domain.PlanStatusApproved || len(p.Actions) != 2 {
		t.Errorf("plans = %+v", plans)
	}
	if p := byStatus[domain.PlanStatusDraft]; len(p.SignOffs) != 1 || p.SignOffs[0].Decision != domain.PlanStatusRejected {
		t.Errorf("the revised plan = %+v", p)
	}
	kinds := map[domain.ActionKind]int{}
	for _, a := range actions.Actions {
		kinds[a.Kind]++
	}
	if kinds[domain.ActionContainment] == 0 || kinds[domain.ActionCorrective] == 0 || kinds[domain.ActionPreventive] != 5 {
		t.Errorf("actions by kind = %v", kinds)
	}

	admin := syncserver.NewAdmin(store, nil)
	users, err := admin.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if !u.HasPassword || u.Disabled != (u.Login == "marc.dubois") {
			t.Errorf("user %+v", u)
		}
	}
	if _, err := demo.Seed(store, clock, demo.Options{End: end}); !errors.Is(err, demo.ErrSeeded) {
		t.Fatalf("second seed: %v", err)
	}
}

func TestSeedRefusesARealPlant(t *testing.T) {
	clock := demo.NewClock(time.Now())
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{Now: clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := syncserver.NewAdmin(store, nil).Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(store, clock, demo.Options{}); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("seed over a plant: %v", err)
	}
}

// The demo's internal notes are sealed under the plant's key, as an
// engineer's workstation records them, and open with it.
func TestSeedSealsInternalNotes(t *testing.T) {
	end := time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)
	clock := demo.NewClock(end)
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{Now: clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := demo.Seed(store, clock, demo.Options{End: end, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	keys, err := syncserver.PlantKeys(store, syncserver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var notes int
	err = store.View(func(tx *boltstore.Tx) error {
		return tx.ForEachState(domain.EntityComplaint, func(st *domain.State) {
			for _, m := range st.Complaint.Messages {
				if !m.Internal {
					continue
				}
				notes++
				if text, err := keys.Open(st.Complaint.ID, m.Sealed); m.Text != "" || err != nil || text == "" {
					t.Errorf("%s: note %+v opens to %q, %v", st.Complaint.Number, m, text, err)
				}
			}
		})
	})
	if err != nil || notes < 10 {
		t.Fatalf("%d internal notes, %v", notes, err)
	}
}
