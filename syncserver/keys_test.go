package syncserver_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/syncproto"
	"boucle/syncserver"

	"github.com/golang-jwt/jwt/v5"
)

// The key file is created on first start with mode 0600, read again at
// the next, and refused when group or others may read it.
func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), syncserver.DefaultKeyFile)
	now := time.Now()
	kr, created, err := syncserver.LoadKeyFile(path, now)
	if err != nil || !created {
		t.Fatalf("first load: created %v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	again, created, err := syncserver.LoadKeyFile(path, now)
	if err != nil || created || again.Current() != kr.Current() {
		t.Fatalf("second load: kid %s (was %s), created %v, %v", again.Current(), kr.Current(), created, err)
	}
	t.Run("ErrReadableByOthers", func(t *testing.T) {
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(path, 0o600)
		_, _, err := syncserver.LoadKeyFile(path, now)
		if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Fatalf("a key file readable by the group: %v", err)
		}
	})
	t.Run("ErrRetireNewest", func(t *testing.T) {
		if err := syncserver.RetireKey(path, kr.Current()); err == nil || !strings.Contains(err.Error(), "rotate first") {
			t.Fatalf("retiring the only key: %v", err)
		}
	})
}

// Rotation: tokens signed by the previous key still verify after a
// restart with a new key, new tokens name the new kid; once the old key
// is retired, its tokens are refused.
// bbolt only: it rotates the key file beside the bbolt store (on
// PostgreSQL the command reads --key-file: cmd/boucle-server).
func TestKeyRotation(t *testing.T) {
	dir := t.TempDir()
	h := openHarness(t, dir, true)
	old := h.login("eng1", nil)
	oldKid := parseUnverifiedHeader(t, old.AccessToken)
	keyFile := filepath.Join(dir, syncserver.DefaultKeyFile)
	newKid, err := syncserver.RotateKeys(keyFile, h.clock.Now())
	if err != nil || newKid == oldKid {
		t.Fatalf("rotate: %s, %v", newKid, err)
	}
	restart := func() *harness {
		h.http.Close()
		h.store.Close()
		h = openHarness(t, dir, false)
		return h
	}
	h = restart()
	h.mustJSON(h.do(http.MethodGet, "/stations", nil, bearer(old.AccessToken)), http.StatusOK, nil)
	if kid := parseUnverifiedHeader(t, h.login("eng1", nil).AccessToken); kid != newKid {
		t.Fatalf("new token's kid = %s, want %s", kid, newKid)
	}
	if err := syncserver.RetireKey(keyFile, oldKid); err != nil {
		t.Fatal(err)
	}
	h = restart()
	h.mustError(h.do(http.MethodGet, "/stations", nil, bearer(old.AccessToken)), http.StatusUnauthorized, domain.EUnauthorized)
}

// A store of an older version kept its JWT key inside (so inside every
// backup): the server removes it at start and says so.
// bbolt only: the key older versions kept was in the bbolt file.
func TestStoredJWTKeyIsRemoved(t *testing.T) {
	dir := t.TempDir()
	h := openHarness(t, dir, true)
	h.http.Close()
	if err := h.store.Update(func(tx *boltstore.Tx) error {
		return tx.Bolt().Bucket(boltstore.BucketServerConfig).Put([]byte("jwt_key"), []byte("0123456789abcdef0123456789abcdef"))
	}); err != nil {
		t.Fatal(err)
	}
	h.store.Close()
	h = openHarness(t, dir, false)
	_ = h.store.View(func(tx *boltstore.Tx) error {
		if tx.Bolt().Bucket(boltstore.BucketServerConfig).Get([]byte("jwt_key")) != nil {
			t.Fatal("the JWT key is still in the store")
		}
		return nil
	})
	if !strings.Contains(h.logBuf.String(), "every user signs in again") {
		t.Fatalf("log says:\n%s", h.logBuf.String())
	}
}

// The access TTL is capped.
func TestAccessTTLIsCapped(t *testing.T) {
	store, err := syncserver.OpenStore(t.TempDir(), boltstore.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := syncserver.New(store, syncserver.Config{AccessTTL: 2 * time.Hour}); err == nil {
		t.Fatal("a 2 h access token lifetime was accepted")
	}
}

func parseUnverifiedHeader(t *testing.T, token string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(token, &syncserver.Claims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}

// Author keys follow the key file: after a rotation, events signed with a
// key issued under the previous kid still verify and new sign-ins bring
// keys of the new kid; once the old kid is retired, its events are
// refused with the reason to sign in online again.
// bbolt only: it rotates the key file beside the bbolt store.
func TestAuthorKeysFollowRotation(t *testing.T) {
	dir := t.TempDir()
	h := openHarness(t, dir, true)
	ws := h.workstation("op1")
	oldKid := ws.keys["op1"].Kid
	early := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintFiled, "c1", filing(1, "signed before the rotation"))
	late := h.event(ws, "op1", domain.RoleOperator, domain.ComplaintMessagePosted, "c1", &domain.MessagePayload{Text: "signed before the rotation too"})
	keyFile := filepath.Join(dir, syncserver.DefaultKeyFile)
	if _, err := syncserver.RotateKeys(keyFile, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	restart := func() {
		h.http.Close()
		h.store.Close()
		h = openHarness(t, dir, false)
	}
	restart()
	ws.tokens = h.login("op1", ws)
	if r := h.push(ws, early).Results[0]; r.Result != syncproto.Accepted {
		t.Fatalf("event signed under the previous kid: %+v", r)
	}
	if kid := ws.keys["op1"].Kid; kid == oldKid {
		t.Fatal("a sign-in after the rotation brought a key of the old kid")
	}
	if err := syncserver.RetireKey(keyFile, oldKid); err != nil {
		t.Fatal(err)
	}
	restart()
	ws.tokens = h.login("op1", ws)
	if r := h.push(ws, late).Results[0]; r.Result != syncproto.Rejected || !strings.Contains(r.Reason, "sign in online") {
		t.Fatalf("event signed under a retired kid: %+v", r)
	}
}
