// Package confidential seals what only engineers, managers and
// administrators may read (engineers' internal notes) under the plant's
// confidential key, so that an operator's workstation, its files and its
// pulls carry only ciphertext.
//
// A sealed text is "<kid>:<base64url(nonce ‖ ciphertext ‖ tag)>":
// XChaCha20-Poly1305 under the key named kid, with the complaint's id as
// associated data, so a sealed note cannot be moved to another complaint.
// Keys rotate: the keyring seals with its current key and opens with any
// key it holds.
package confidential

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeyLen is the length of a confidential key.
const KeyLen = chacha20poly1305.KeySize

// Key is one confidential key of the plant, named by its kid.
type Key struct {
	ID     string `json:"kid"`
	Secret []byte `json:"key"` // KeyLen bytes
}

// Errors of Open.
var (
	// ErrLocked: the keyring lacks the key the text was sealed with (an
	// operator's session, or a workstation that never received that key).
	ErrLocked = errors.New("confidential: key not available")
	// ErrTampered: the text does not open under its key (altered, or moved
	// to another complaint).
	ErrTampered = errors.New("confidential: sealed text does not open")
)

// Keyring holds the plant's confidential keys. The zero value and nil hold
// none: they seal nothing and open nothing (ErrLocked).
type Keyring struct {
	current string
	keys    map[string][]byte
}

// NewKeyring returns a keyring that seals with current and opens with
// current and every older key.
func NewKeyring(current Key, older ...Key) (*Keyring, error) {
	k := &Keyring{current: current.ID, keys: map[string][]byte{}}
	for _, key := range append([]Key{current}, older...) {
		if key.ID == "" || strings.ContainsAny(key.ID, ": ") {
			return nil, fmt.Errorf("confidential: kid %q must be non-empty, without ':' or spaces", key.ID)
		}
		if len(key.Secret) != KeyLen {
			return nil, fmt.Errorf("confidential: key %s has %d bytes, not %d", key.ID, len(key.Secret), KeyLen)
		}
		k.keys[key.ID] = append([]byte(nil), key.Secret...)
	}
	return k, nil
}

// Keys returns copies of every key, the current one first (what a login
// answer delivers).
func (k *Keyring) Keys() []Key {
	if !k.Unlocked() {
		return nil
	}
	out := []Key{{ID: k.current, Secret: append([]byte(nil), k.keys[k.current]...)}}
	for id, s := range k.keys {
		if id != k.current {
			out = append(out, Key{ID: id, Secret: append([]byte(nil), s...)})
		}
	}
	return out
}

// Unlocked reports whether the keyring can seal.
func (k *Keyring) Unlocked() bool { return k != nil && k.keys[k.current] != nil }

// Seal encrypts text for the complaint under the current key, with a
// random nonce.
func (k *Keyring) Seal(complaintID, text string) (string, error) {
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return k.seal(complaintID, text, nonce)
}

// SealFixed encrypts text for the complaint under the current key with a
// nonce derived from the key, the event's id and the text (a synthetic
// nonce: the same event always seals to the same bytes, and a nonce is
// only ever reused for the very same text). The server seals legacy
// plaintext notes this way in pull answers, so every workstation stores
// identical bytes whoever pulled.
func (k *Keyring) SealFixed(complaintID, eventID, text string) (string, error) {
	if !k.Unlocked() {
		return "", ErrLocked
	}
	mac := hmac.New(sha256.New, k.keys[k.current])
	mac.Write([]byte("boucle confidential nonce v1\x00" + complaintID + "\x00" + eventID + "\x00" + text))
	return k.seal(complaintID, text, mac.Sum(nil)[:chacha20poly1305.NonceSizeX])
}

func (k *Keyring) seal(complaintID, text string, nonce []byte) (string, error) {
	if !k.Unlocked() {
		return "", ErrLocked
	}
	aead, err := chacha20poly1305.NewX(k.keys[k.current])
	if err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(text), associated(complaintID))
	return k.current + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a sealed text of the complaint: ErrLocked when the
// keyring lacks its key, ErrTampered when it does not open.
func (k *Keyring) Open(complaintID, sealed string) (string, error) {
	kid, body, ok := strings.Cut(sealed, ":")
	if !ok {
		return "", ErrTampered
	}
	if k == nil || k.keys[kid] == nil {
		return "", ErrLocked
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return "", ErrTampered
	}
	aead, err := chacha20poly1305.NewX(k.keys[kid])
	if err != nil {
		return "", err
	}
	text, err := aead.Open(nil, raw[:chacha20poly1305.NonceSizeX], raw[chacha20poly1305.NonceSizeX:], associated(complaintID))
	if err != nil {
		return "", ErrTampered
	}
	return string(text), nil
}

// associated binds a sealed text to its complaint.
func associated(complaintID string) []byte {
	return []byte("boucle internal note v1\x00" + complaintID)
}
