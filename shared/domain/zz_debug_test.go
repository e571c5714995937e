package domain_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"boucle/shared/domain"
	"pgregory.net/rapid"
)

func TestZZDump(tt *testing.T) {
	if os.Getenv("DUMP") == "" {
		tt.Skip()
	}
	var all []domain.Event
	n := 0
	rapid.Check(tt, func(t *rapid.T) {
		n++
		for _, e := range genHistory(t) {
			e.EntityID = fmt.Sprintf("%d-%s", n, e.EntityID)
			all = append(all, e)
		}
	})
	b, _ := json.Marshal(all)
	os.WriteFile(os.Getenv("DUMP"), b, 0o644)
}

func TestZZGoldenRich(t *testing.T) {
	if os.Getenv("GOLDEN") == "" {
		t.Skip()
	}
	b, _ := os.ReadFile("/tmp/golden/rich.json")
	var all []domain.Event
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	states, _ := domain.Fold(all)
	out := map[string]json.RawMessage{}
	for k, s := range states {
		out[k.String()], _ = json.Marshal(s)
	}
	b, _ = json.Marshal(out)
	os.WriteFile(os.Getenv("GOLDEN")+".rich", b, 0o644)
	t.Logf("%d events %d states", len(all), len(states))
}
