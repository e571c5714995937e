package domain_test

import (
	"errors"
	"reflect"
	"testing"

	"boucle/shared/domain"
)

// FuzzDecodeEvent feeds the decoder arbitrary bytes: it never panics, it
// refuses with EMalformed or ETooLarge only, and whatever it accepts
// re-encodes to bytes that decode to the same event, which folds without
// panicking. The seed corpus (here and in testdata/fuzz) runs with every
// go test.
func FuzzDecodeEvent(f *testing.F) {
	for _, e := range codecEvents(f) {
		raw := domain.EncodeEvent(&e)
		f.Add(raw)
		f.Add(raw[:len(raw)/2])                   // truncated
		f.Add(append(raw[:len(raw):len(raw)], 0)) // trailing byte
	}
	// One event of every kind the fold handles, conflict resolutions included.
	r := newDesk()
	for _, s := range append(complaintPath[domain.StatusClosed], actionPath[domain.ActionStatusEffective]...) {
		r.mustEmitAs(f, s.author, s.role, s.typ, cid, s.payload())
	}
	for _, s := range planPath[domain.PlanStatusEffective] {
		r.mustEmitAs(f, s.author, s.role, s.typ, pid, s.payload())
	}
	r.mustEmitAs(f, mona, domain.RoleManager, domain.ComplaintConflictResolved, cid,
		&domain.ResolveConflictPayload{Field: "deadline", Value: []byte(`"2026-04-01T10:00:00+02:00"`)})
	r.mustEmitAs(f, adam, domain.RoleAdmin, domain.StationDefined, "PRESS2", &domain.StationPayload{Name: "Press 2"})
	for _, e := range union(r) {
		f.Add(domain.EncodeEvent(&e))
	}
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add([]byte{2, 0, 0})
	f.Add([]byte{2, 2, 'k', '1'}) // signed, MAC missing
	f.Add([]byte{3, 0})           // a future encoding
	f.Add(make([]byte, domain.MaxEventBytes+1))

	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := domain.DecodeEvent(b)
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || (de.Code != domain.EMalformed && de.Code != domain.ETooLarge) {
				t.Fatalf("error %v (%T) is not malformed or too large", err, err)
			}
			return
		}
		again, err := domain.DecodeEvent(domain.EncodeEvent(&e))
		if err != nil {
			t.Fatalf("re-encoded event refused: %v", err)
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("re-encoded event differs:\n%+v\n%+v", again, e)
		}
		// Whatever it carries, folding it never panics.
		_ = domain.Validate(&e)
		domain.Fold([]domain.Event{e, e})
	})
}
