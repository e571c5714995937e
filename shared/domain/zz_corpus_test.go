package domain_test

import (
	"fmt"
	"os"
	"testing"

	"boucle/shared/domain"
)

func TestZZCorpus(t *testing.T) {
	if os.Getenv("CORPUS") == "" {
		t.Skip()
	}
	r := complaintIn(t, domain.StatusInvestigating)
	r.mustEmitAs(t, eric, domain.RoleEngineer, domain.ComplaintConflictResolved, cid,
		&domain.ResolveConflictPayload{Field: "whys", Value: []byte(`["worn punch","no gauge"]`)})
	evs := union(r)
	write := func(name string, b []byte) {
		os.MkdirAll("testdata/fuzz/FuzzDecodeEvent", 0o755)
		os.WriteFile("testdata/fuzz/FuzzDecodeEvent/"+name, []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)), 0o644)
	}
	write("complaint-filed", domain.EncodeEvent(&evs[0]))
	write("conflict-resolved", domain.EncodeEvent(&evs[len(evs)-1]))
	e := evs[1]
	e.Schema = 9
	write("newer-schema", domain.EncodeEvent(&e))
}
