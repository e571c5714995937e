package syncserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The server's secrets live in a key file beside the store, never inside
// it: `boucle-server backup` copies the store only, so a backup can
// neither mint access tokens nor forge an author's signature.
//
// The file holds one or more secrets, each named by a kid. The newest
// signs new access tokens and issues new author keys; the older ones
// still verify what they signed until they are retired. From each secret
// two keys are derived with distinct labels, so that neither use can
// stand in for the other: the HS256 key of the access tokens, and the
// master from which every author key is derived (shared/authorship).

// DefaultKeyFile is the name of the key file in the data directory.
const DefaultKeyFile = "server.keys"

// secretLen is the length of each secret, in bytes.
const secretLen = 32

// ServerKey is one secret of the key file.
type ServerKey struct {
	Kid     string    `json:"kid"`
	Secret  []byte    `json:"secret"`
	Created time.Time `json:"created"`
}

type keyFileBody struct {
	Keys []ServerKey `json:"keys"` // oldest first; the last one signs
}

// Keyring holds the secrets of the key file and the keys derived from
// them.
type Keyring struct {
	keys   []ServerKey
	jwt    map[string][]byte
	author map[string][]byte
}

// Labels of the derivations: HMAC-SHA256(secret, label).
const (
	labelJWT    = "boucle jwt hs256 v1"
	labelAuthor = "boucle author master v1"
)

// NewKeyring builds a keyring from secrets, oldest first.
func NewKeyring(keys ...ServerKey) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("the key file holds no key")
	}
	k := &Keyring{keys: keys, jwt: map[string][]byte{}, author: map[string][]byte{}}
	for _, sk := range keys {
		if sk.Kid == "" || len(sk.Secret) < secretLen {
			return nil, fmt.Errorf("key %q: a kid and a secret of at least %d bytes are needed", sk.Kid, secretLen)
		}
		if _, dup := k.jwt[sk.Kid]; dup {
			return nil, fmt.Errorf("key %q appears twice", sk.Kid)
		}
		k.jwt[sk.Kid] = derive(sk.Secret, labelJWT)
		k.author[sk.Kid] = derive(sk.Secret, labelAuthor)
	}
	return k, nil
}

func derive(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Current is the kid of the newest key: it signs and issues.
func (k *Keyring) Current() string { return k.keys[len(k.keys)-1].Kid }

// KeyInfo describes a key without its secret.
type KeyInfo struct {
	Kid     string
	Created time.Time
}

// Keys lists the keys, oldest first: the last one signs.
func (k *Keyring) Keys() []KeyInfo {
	out := make([]KeyInfo, len(k.keys))
	for i, sk := range k.keys {
		out[i] = KeyInfo{Kid: sk.Kid, Created: sk.Created}
	}
	return out
}

// jwtKey is the HS256 key of kid.
func (k *Keyring) jwtKey(kid string) ([]byte, bool) { v, ok := k.jwt[kid]; return v, ok }

// authorMaster is the master of the author keys issued under kid.
func (k *Keyring) authorMaster(kid string) ([]byte, bool) { v, ok := k.author[kid]; return v, ok }

func newServerKey(now time.Time) ServerKey {
	return ServerKey{Kid: hex.EncodeToString(randomBytes(6)), Secret: randomBytes(secretLen), Created: now.UTC().Truncate(time.Second)}
}

// LoadKeyFile reads the key file at path, creating it with one new key
// when it does not exist. It refuses a file that group or others may
// read: the file is as good as the plant's identity.
func LoadKeyFile(path string, now time.Time) (kr *Keyring, created bool, err error) {
	body, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		body = keyFileBody{Keys: []ServerKey{newServerKey(now)}}
		if err := writeKeyFile(path, body, true); err != nil {
			return nil, false, err
		}
		created = true
	} else if err != nil {
		return nil, false, err
	}
	kr, err = NewKeyring(body.Keys...)
	if err != nil {
		return nil, false, fmt.Errorf("key file %s: %w", path, err)
	}
	return kr, created, nil
}

// RotateKeys adds a new key to the file; it signs from the server's next
// start on, and the older keys still verify. It returns the new kid.
func RotateKeys(path string, now time.Time) (string, error) {
	body, err := readKeyFile(path)
	if err != nil {
		return "", err
	}
	sk := newServerKey(now)
	body.Keys = append(body.Keys, sk)
	return sk.Kid, writeKeyFile(path, body, false)
}

// RetireKey removes a key that no longer signs: access tokens it signed
// and author keys issued under it stop being accepted (their users sign
// in online again). The newest key cannot be retired.
func RetireKey(path, kid string) error {
	body, err := readKeyFile(path)
	if err != nil {
		return err
	}
	for i, sk := range body.Keys {
		if sk.Kid != kid {
			continue
		}
		if i == len(body.Keys)-1 {
			return fmt.Errorf("key %s is the newest, the one that signs: rotate first (boucle-server keys rotate)", kid)
		}
		body.Keys = append(body.Keys[:i], body.Keys[i+1:]...)
		return writeKeyFile(path, body, false)
	}
	return fmt.Errorf("no key %s in %s", kid, path)
}

func readKeyFile(path string) (keyFileBody, error) {
	var body keyFileBody
	fi, err := os.Stat(path)
	if err != nil {
		return body, err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return body, fmt.Errorf("key file %s can be read by group or others (mode %04o): run chmod 600 %s", path, perm, path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return body, err
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return body, fmt.Errorf("key file %s is not a Boucle key file: %v", path, err)
	}
	return body, nil
}

// writeKeyFile writes the file with mode 0600 through a temporary file
// renamed over it, so that a crash leaves the old file or the new one.
func writeKeyFile(path string, body keyFileBody, create bool) error {
	raw, err := json.MarshalIndent(body, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".server.keys-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if create {
		// Never replace a file that appeared meanwhile.
		if err := os.Link(tmp.Name(), path); err != nil {
			return fmt.Errorf("key file: %w", err)
		}
		return nil
	}
	return os.Rename(tmp.Name(), path)
}
