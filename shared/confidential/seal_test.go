package confidential_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"boucle/shared/confidential"
)

func key(id string, b byte) confidential.Key {
	return confidential.Key{ID: id, Secret: bytes.Repeat([]byte{b}, confidential.KeyLen)}
}

func mustKeyring(t *testing.T, current confidential.Key, older ...confidential.Key) *confidential.Keyring {
	t.Helper()
	k, err := confidential.NewKeyring(current, older...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpens(t *testing.T) {
	k := mustKeyring(t, key("k2", 2))
	sealed, err := k.Seal("c1", "Supplier suspected of hiding the scrap rate")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sealed, "k2:") || strings.Contains(sealed, "scrap") {
		t.Fatalf("sealed = %q", sealed)
	}
	got, err := k.Open("c1", sealed)
	if err != nil || got != "Supplier suspected of hiding the scrap rate" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	again, _ := k.Seal("c1", "Supplier suspected of hiding the scrap rate")
	if again == sealed {
		t.Fatal("two seals of one text are equal: the nonce is not random")
	}
}

func TestOpenRefuses(t *testing.T) {
	k := mustKeyring(t, key("k1", 1))
	sealed, _ := k.Seal("c1", "note")
	t.Run("OtherComplaint", func(t *testing.T) {
		if _, err := k.Open("c2", sealed); !errors.Is(err, confidential.ErrTampered) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Altered", func(t *testing.T) {
		b := []byte(sealed)
		b[len(b)-3] ^= 'A' ^ 'B'
		if b[len(b)-3] == sealed[len(sealed)-3] {
			b[len(b)-3] = 'C'
		}
		if _, err := k.Open("c1", string(b)); !errors.Is(err, confidential.ErrTampered) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("NoKid", func(t *testing.T) {
		if _, err := k.Open("c1", "plain"); !errors.Is(err, confidential.ErrTampered) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("UnknownKid", func(t *testing.T) {
		other := mustKeyring(t, key("k9", 9))
		if _, err := other.Open("c1", sealed); !errors.Is(err, confidential.ErrLocked) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("NilKeyring", func(t *testing.T) {
		var none *confidential.Keyring
		if _, err := none.Open("c1", sealed); !errors.Is(err, confidential.ErrLocked) {
			t.Fatalf("err = %v", err)
		}
		if _, err := none.Seal("c1", "x"); !errors.Is(err, confidential.ErrLocked) {
			t.Fatalf("err = %v", err)
		}
	})
}

// After a rotation the keyring seals with the new key and still opens
// what the old one sealed.
func TestRotation(t *testing.T) {
	old := mustKeyring(t, key("k1", 1))
	sealed, _ := old.Seal("c1", "before")
	k := mustKeyring(t, key("k2", 2), key("k1", 1))
	if got, err := k.Open("c1", sealed); err != nil || got != "before" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	now, _ := k.Seal("c1", "after")
	if !strings.HasPrefix(now, "k2:") {
		t.Fatalf("sealed with %q", now)
	}
	if keys := k.Keys(); len(keys) != 2 || keys[0].ID != "k2" {
		t.Fatalf("Keys = %v", keys)
	}
}

// SealFixed gives the same bytes for the same event and text, different
// bytes for another event, and they open.
func TestSealFixed(t *testing.T) {
	k := mustKeyring(t, key("k1", 1))
	a, _ := k.SealFixed("c1", "e1", "note")
	b, _ := k.SealFixed("c1", "e1", "note")
	c, _ := k.SealFixed("c1", "e2", "note")
	if a != b || a == c {
		t.Fatalf("a=%q b=%q c=%q", a, b, c)
	}
	if got, err := k.Open("c1", a); err != nil || got != "note" {
		t.Fatalf("Open = %q, %v", got, err)
	}
}

func TestNewKeyringRefusesBadKeys(t *testing.T) {
	for _, k := range []confidential.Key{{ID: "", Secret: make([]byte, 32)}, {ID: "a:b", Secret: make([]byte, 32)}, {ID: "k", Secret: make([]byte, 16)}} {
		if _, err := confidential.NewKeyring(k); err == nil {
			t.Errorf("NewKeyring(%q, %d bytes) accepted", k.ID, len(k.Secret))
		}
	}
}

// Wrapped keys open with the same wrapping key, user and replica only.
func TestWrapKeys(t *testing.T) {
	k := mustKeyring(t, key("k2", 2), key("k1", 1))
	wrapping := bytes.Repeat([]byte{9}, confidential.KeyLen)
	sealed, err := confidential.WrapKeys(k.Keys(), wrapping, "eng1", "ws-1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, k.Keys()[0].Secret) {
		t.Fatal("the wrapped form holds the key")
	}
	got, err := confidential.UnwrapKeys(sealed, wrapping, "eng1", "ws-1")
	if err != nil {
		t.Fatal(err)
	}
	note, _ := k.Seal("c1", "note")
	if text, err := got.Open("c1", note); err != nil || text != "note" {
		t.Fatalf("unwrapped keys open %q, %v", text, err)
	}
	for name, try := range map[string]func() error{
		"OtherWrappingKey": func() error {
			_, err := confidential.UnwrapKeys(sealed, bytes.Repeat([]byte{8}, confidential.KeyLen), "eng1", "ws-1")
			return err
		},
		"OtherUser":    func() error { _, err := confidential.UnwrapKeys(sealed, wrapping, "eng2", "ws-1"); return err },
		"OtherReplica": func() error { _, err := confidential.UnwrapKeys(sealed, wrapping, "eng1", "ws-2"); return err },
		"Truncated":    func() error { _, err := confidential.UnwrapKeys(sealed[:10], wrapping, "eng1", "ws-1"); return err },
	} {
		if err := try(); !errors.Is(err, confidential.ErrUnwrap) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
