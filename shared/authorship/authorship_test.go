package authorship_test

import (
	"errors"
	"testing"

	"boucle/shared/authorship"
	"boucle/shared/domain"

	"github.com/google/uuid"
)

func event(t *testing.T) domain.Event {
	t.Helper()
	e, err := domain.NewEvent(domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "Bavures"})
	if err != nil {
		t.Fatal(err)
	}
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), 1<<40, "ws-1", 1, "op1", domain.RoleOperator
	return e
}

// A key is bound to its master, user and replica; the MAC to every byte
// of the event but the signature itself, and it survives the encoding.
func TestDeriveSignVerify(t *testing.T) {
	master := []byte("0123456789abcdef0123456789abcdef")
	k := authorship.Key{Kid: "k1", Secret: authorship.Derive(master, "op1", "ws-1", 0)}
	for _, other := range [][32]byte{
		authorship.Derive(master, "op2", "ws-1", 0),
		authorship.Derive(master, "op1", "ws-2", 0),
		authorship.Derive([]byte("another master, 32 bytes long..."), "op1", "ws-1", 0),
		authorship.Derive(master, "op1\x00ws", "-1", 0),
		authorship.Derive(master, "op1", "ws-1", 1), // after a password reset
	} {
		if other == k.Secret {
			t.Fatal("two different inputs derive the same key")
		}
	}
	e := event(t)
	authorship.Sign(k, &e)
	var v authorship.Verifier
	if !e.Signed() || !v.Verify(k.Secret, &e) {
		t.Fatal("a signed event does not verify")
	}
	decoded, err := domain.DecodeEvent(domain.EncodeEvent(&e))
	if err != nil || !v.Verify(k.Secret, &decoded) {
		t.Fatalf("the signature does not survive the encoding: %v", err)
	}
	for name, change := range map[string]func(*domain.Event){
		"Author":  func(e *domain.Event) { e.Author = "mgr" },
		"Role":    func(e *domain.Event) { e.Role = domain.RoleManager },
		"Payload": func(e *domain.Event) { e.Payload = []byte(`{"text":"Rayures"}`) },
		"Seq":     func(e *domain.Event) { e.Seq++ },
		"Replica": func(e *domain.Event) { e.Replica = "ws-2" },
		"MAC":     func(e *domain.Event) { e.Sig.MAC[0] ^= 1 },
	} {
		t.Run(name, func(t *testing.T) {
			forged := e
			change(&forged)
			if v.Verify(k.Secret, &forged) {
				t.Fatalf("changed %s still verifies", name)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	k := authorship.Key{Kid: "k1", Secret: authorship.Derive([]byte("0123456789abcdef0123456789abcdef"), "op1", "ws-1", 0)}
	p := authorship.Params{Time: 1, MemoryKiB: 64, Threads: 1}
	w, err := authorship.Wrap(k, "correct horse", "op1", "ws-1", p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := authorship.Unwrap(w, "correct horse", "op1", "ws-1")
	if err != nil || got != k {
		t.Fatalf("unwrap = %v, %v", got, err)
	}
	for name, try := range map[string][3]string{
		"ErrWrongPassword": {"wrong horse", "op1", "ws-1"},
		"ErrOtherUser":     {"correct horse", "op2", "ws-1"},
		"ErrOtherReplica":  {"correct horse", "op1", "ws-2"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := authorship.Unwrap(w, try[0], try[1], try[2]); !errors.Is(err, authorship.ErrWrongPassword) {
				t.Fatalf("unwrap = %v", err)
			}
		})
	}
	if _, err := authorship.Wrap(k, "pw", "op1", "ws-1", authorship.Params{}); err == nil {
		t.Fatal("wrapped without argon2id parameters")
	}
}

func BenchmarkVerify(b *testing.B) {
	e, _ := domain.NewEvent(domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: string(make([]byte, 300))})
	e.ID, e.HLC, e.Replica, e.Seq, e.Author, e.Role = uuid.Must(uuid.NewV7()), 1<<40, "ws-1", 1, "op1", domain.RoleOperator
	k := authorship.Key{Kid: "k1"}
	authorship.Sign(k, &e)
	var v authorship.Verifier
	for b.Loop() {
		v.Verify(k.Secret, &e)
	}
}
