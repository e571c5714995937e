package boltstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
)

var (
	admin    = boltstore.Actor{Login: "admin", Role: domain.RoleAdmin}
	operator = boltstore.Actor{Login: "op1", Role: domain.RoleOperator}
	engineer = boltstore.Actor{Login: "eng1", Role: domain.RoleEngineer}
	manager  = boltstore.Actor{Login: "mgr", Role: domain.RoleManager}
)

// mustOpen opens a store in a fresh temporary folder, closed at the end.
func mustOpen(tb testing.TB, opts boltstore.Options) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(filepath.Join(tb.TempDir(), "boucle.db"), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// seedPlant records a small plant: three stations, one user per role, the
// default categories and severities.
func seedPlant(tb testing.TB, s *boltstore.Store) {
	tb.Helper()
	var cmds []boltstore.Command
	for code, name := range map[string]string{"PRESS2": "Press 2", "CUT1": "Cutting 1", "PAINT": "Paint shop"} {
		cmds = append(cmds, boltstore.Command{Type: domain.StationDefined, EntityID: code, Payload: &domain.StationPayload{Name: name}})
	}
	users := []struct {
		login string
		role  domain.Role
	}{{"admin", domain.RoleAdmin}, {"op1", domain.RoleOperator}, {"eng1", domain.RoleEngineer}, {"eng2", domain.RoleEngineer}, {"mgr", domain.RoleManager}}
	for _, u := range users {
		cmds = append(cmds, boltstore.Command{Type: domain.UserRegistered, EntityID: u.login, Payload: &domain.UserPayload{DisplayName: u.login, Role: u.role}})
	}
	if _, err := s.Record(admin, cmds...); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SeedReference(admin); err != nil {
		tb.Fatal(err)
	}
}

func filing(supplier, part, desc string) *domain.ComplaintFiledPayload {
	return &domain.ComplaintFiledPayload{FilingStation: "PRESS2", SupplierStation: supplier, PartRef: part, Lot: "L-77",
		Quantity: 12, Category: "dimensional", Severity: domain.SeverityMajor, Kind: domain.KindComplaint, Description: desc}
}

// file records a complaint and returns its id.
func file(tb testing.TB, s *boltstore.Store, p *domain.ComplaintFiledPayload) string {
	tb.Helper()
	evs, err := s.Record(operator, boltstore.Command{Type: domain.ComplaintFiled, Payload: p})
	if err != nil {
		tb.Fatal(err)
	}
	return evs[0].EntityID
}

func record(tb testing.TB, s *boltstore.Store, a boltstore.Actor, typ domain.EventType, id string, p domain.Payload) domain.Event {
	tb.Helper()
	evs, err := s.Record(a, boltstore.Command{Type: typ, EntityID: id, Payload: p})
	if err != nil {
		tb.Fatalf("%s: %v", typ, err)
	}
	return evs[0]
}

func complaint(tb testing.TB, s *boltstore.Store, id string) *domain.State {
	tb.Helper()
	var st *domain.State
	if err := s.View(func(t *boltstore.Tx) (err error) { st, err = t.Complaint(id); return err }); err != nil {
		tb.Fatal(err)
	}
	return st
}

func logLen(tb testing.TB, s *boltstore.Store) uint64 {
	var n uint64
	_ = s.View(func(t *boltstore.Tx) error { n = t.LogLen(); return nil })
	return n
}

func ptr[T any](v T) *T { return &v }

var day = 24 * time.Hour
