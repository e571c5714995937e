package boltstore

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"boucle/shared/domain"
)

// Rebuild in chunks of two entities ends where one big chunk would.
func TestRebuildAcrossChunks(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "b.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin := Actor{Login: "admin", Role: domain.RoleAdmin}
	for i := 0; i < 7; i++ {
		code := fmt.Sprintf("ST%d", i)
		if _, err := s.Record(admin, Command{Type: domain.StationDefined, EntityID: code, Payload: &domain.StationPayload{Name: "Station " + code}},
			Command{Type: domain.StationUpdated, EntityID: code, Payload: &domain.StationPayload{Name: "Renamed " + code}}); err != nil {
			t.Fatal(err)
		}
	}
	defer func(n int) { rebuildChunk = n }(rebuildChunk)
	rebuildChunk = 2
	if err := s.Rebuild(); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		stations, err := tx.Stations()
		if err != nil || len(stations) != 7 {
			t.Fatalf("stations = %v, %v", stations, err)
		}
		for _, st := range stations {
			if st.Name != "Renamed "+st.Code {
				b, _ := json.Marshal(st)
				t.Fatalf("station after rebuild: %s", b)
			}
		}
		if tx.Backlog() != 0 {
			t.Fatalf("backlog %d after rebuild", tx.Backlog())
		}
		return nil
	})
}
