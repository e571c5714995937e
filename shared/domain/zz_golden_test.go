package domain_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"boucle/shared/domain"
)

// temporary: hash of the fold of a fixed history, to compare before/after optimisation
func TestZZGolden(t *testing.T) {
	if os.Getenv("GOLDEN") == "" {
		t.Skip()
	}
	events := history(t, 3000)
	// same ids every run: overwrite ids deterministically
	states, _ := domain.Fold(events)
	keys := make([]domain.EntityKey, 0, len(states))
	for k := range states {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b domain.EntityKey) int { return cmpStr(a.String(), b.String()) })
	h := sha256.New()
	for _, k := range keys {
		b, _ := json.Marshal(states[k])
		h.Write(b)
	}
	os.WriteFile(os.Getenv("GOLDEN"), []byte(fmt.Sprintf("%x\n", h.Sum(nil))), 0o644)
}

func cmpStr(a, b string) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}
