package syncserver

import (
	"bytes"
	"testing"

	"boucle/shared/confidential"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	"github.com/google/uuid"
)

// What servedEvent costs pull per event: a header read for most events,
// a decode for the notes already sealed, a reseal for legacy plain notes.
// BenchmarkPull100k's budget (400k events/s) is 2.5 µs an event.
func BenchmarkServedEvent(b *testing.B) {
	keys, err := confidential.NewKeyring(confidential.Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, confidential.KeyLen)})
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{conf: keys}
	sealed, _ := keys.Seal("c1", "Chased the supplier station's team leader.")
	for _, c := range []struct {
		name string
		typ  domain.EventType
		p    domain.Payload
	}{
		{"Other", domain.ComplaintResolved, &domain.ResolvePayload{Summary: "Lot deburred, punch change enforced"}},
		{"Message", domain.ComplaintMessagePosted, &domain.MessagePayload{Text: "We are sorting the lot."}},
		{"SealedNote", domain.ComplaintMessagePosted, &domain.MessagePayload{Internal: true, Sealed: sealed}},
		{"LegacyNote", domain.ComplaintMessagePosted, &domain.MessagePayload{Internal: true, Text: "Chased the supplier station's team leader."}},
	} {
		e, err := domain.NewEvent(c.typ, "c1", c.p)
		if err != nil {
			b.Fatal(err)
		}
		e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), hlc.New(1<<40, 0), "ws-1", 1, "eng1", domain.RoleEngineer
		raw := domain.EncodeEvent(&e)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.servedEvent(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
