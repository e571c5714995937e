package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"boucle/shared/syncproto"
)

// run runs one command like main does, with env as the environment, and
// returns its standard output. serve keeps running: the caller closes it.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (*Main, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	if err := m.ParseFlags(args); err != nil {
		return m, out.String(), err
	}
	err := m.Run(context.Background())
	if m.Serving() {
		t.Cleanup(func() { m.Close() })
	}
	return m, out.String(), err
}

func mustRun(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	_, out, err := run(t, env, "", args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out
}

// The real serve on 127.0.0.1 port 0 in a temporary directory: first start
// creates the administrator, the API answers, administration commands go
// through the admin socket while it runs (a hot backup among them), and it
// stops gracefully.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BOUCLE_DATA": dir, "BOUCLE_LOG_LEVEL": "warn"}
	m, out, err := run(t, env, "", "serve", "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	password := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
	if password == nil || !strings.HasPrefix(m.Addr(), "127.0.0.1:") {
		t.Fatalf("addr %q, output:\n%s", m.Addr(), out)
	}
	base := "http://" + m.Addr()
	res, err := http.Get(base + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	login := func(login, pw string) int {
		body, _ := json.Marshal(syncproto.LoginRequest{Login: login, Password: pw})
		res, err := http.Post(base+syncproto.Prefix+syncproto.RouteLogin, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := login("admin", password[1]); code != http.StatusOK {
		t.Fatalf("admin login: %d", code)
	}

	// Administration while serving, through the admin socket.
	mustRun(t, env, "station", "add", "PRESS2", "--name", "Press 2")
	_, out, err = run(t, env, "a secret of 16+\n", "user", "add", "bob", "--name", "Bob Builder", "--role", "operator", "--station", "PRESS2", "--password-stdin")
	if err != nil || !strings.Contains(out, "bob: password set") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	if code := login("bob", "a secret of 16+"); code != http.StatusOK {
		t.Fatalf("bob login: %d", code)
	}
	if out := mustRun(t, env, "device", "enrol", "--note", "press desk"); !regexp.MustCompile(`code: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`).MatchString(out) {
		t.Fatalf("enrol printed:\n%s", out)
	}
	if _, _, err := run(t, env, "", "device", "enrol", "--replace", "no-such-device"); err == nil || !strings.Contains(err.Error(), "no device no-such-device") {
		t.Fatalf("enrol --replace of an unknown device: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "hot.db")
	if out := mustRun(t, env, "backup", backup); !strings.Contains(out, "backup written") {
		t.Fatalf("backup printed:\n%s", out)
	}
	if _, _, err := run(t, env, "", "user", "add", "bob", "--name", "Bob"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second add: %v", err)
	}

	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("still serving after Close")
	}
	// Stopped: the commands open the store themselves.
	if out := mustRun(t, env, "user", "list"); !strings.Contains(out, "bob") || !strings.Contains(out, "admin") {
		t.Fatalf("user list:\n%s", out)
	}
	mustRun(t, env, "user", "disable", "bob", "--reason", "left")
	if out := mustRun(t, env, "user", "list"); !regexp.MustCompile(`bob .*disabled`).MatchString(out) {
		t.Fatalf("user list after disable:\n%s", out)
	}

	// The backup serves as a restored plant: the admin password still works.
	restored := t.TempDir()
	if err := os.Rename(backup, filepath.Join(restored, "boucle.db")); err != nil {
		t.Fatal(err)
	}
	m2, out, err := run(t, map[string]string{"BOUCLE_LOG_LEVEL": "warn"}, "", "serve", "--data", restored, "--addr", "127.0.0.1:0")
	if err != nil || strings.Contains(out, "password:") {
		t.Fatalf("restored serve: %v\n%s", err, out)
	}
	base = "http://" + m2.Addr()
	if code := login("bob", "a secret of 16+"); code != http.StatusOK {
		t.Fatalf("bob login on the restored plant: %d", code)
	}
}

// With a certificate and key, serve answers HTTPS only.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	m, _, err := run(t, map[string]string{"BOUCLE_TLS_CERT": cert, "BOUCLE_TLS_KEY": key, "BOUCLE_LOG_LEVEL": "warn"}, "",
		"serve", "--data", dir, "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Get("https://" + m.Addr() + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("https healthz: %v %v", res, err)
	}
	res.Body.Close()
	if res.TLS == nil || res.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("TLS state %+v", res.TLS)
	}
	if res, err := http.Get("http://" + m.Addr() + "/healthz"); err == nil && res.StatusCode == http.StatusOK {
		t.Fatal("plain HTTP answered")
	}
}

// selfSigned writes a certificate and key for 127.0.0.1 in dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "boucle test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// The key file: created on first start beside the store (so outside its
// backups), refused when others may read it, rotated and retired by the
// keys commands; --key-file puts it elsewhere.
func TestKeyFileCommands(t *testing.T) {
	dir := t.TempDir()
	m, _, err := run(t, nil, "", "serve", "--data", dir, "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	keyFile := filepath.Join(dir, "server.keys")
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", fi, err)
	}
	first := strings.Fields(strings.Split(mustRun(t, nil, "keys", "list", "--data", dir), "\n")[1])[0]
	if out := mustRun(t, nil, "keys", "rotate", "--data", dir); !strings.Contains(out, "Added key") {
		t.Fatalf("rotate printed %q", out)
	}
	if out := mustRun(t, nil, "keys", "list", "--data", dir); strings.Count(out, "verifies") != 2 || !strings.Contains(out, first+" ") {
		t.Fatalf("list printed:\n%s", out)
	}
	mustRun(t, nil, "keys", "retire", first, "--data", dir)
	if out := mustRun(t, nil, "keys", "list", "--data", dir); strings.Contains(out, first) {
		t.Fatalf("retired key still listed:\n%s", out)
	}
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, nil, "", "serve", "--data", dir, "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("serve with a readable key file: %v", err)
	}
	elsewhere := filepath.Join(t.TempDir(), "plant.keys")
	m, _, err = run(t, map[string]string{"BOUCLE_KEY_FILE": elsewhere}, "", "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if _, err := os.Stat(elsewhere); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, nil, "", "serve", "--data", dir, "--access-ttl", "2h"); err == nil {
		t.Fatal("a 2 h access TTL was accepted")
	}
	if _, _, err := run(t, map[string]string{"BOUCLE_MAX_CLOCK_DRIFT": "0s"}, "", "serve", "--data", dir); err == nil || !strings.Contains(err.Error(), "--max-clock-drift") {
		t.Fatalf("a zero clock drift: %v", err)
	}
}

func TestDemoIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, nil, "demo", "--data", dir)
	if !strings.Contains(out, "boucle-demo") || !strings.Contains(out, "claire.martin") || !strings.Contains(out, "Enrolment codes") {
		t.Fatalf("demo printed:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, demoLogins)); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, nil, "demo", "--data", dir); !strings.Contains(out, "already holds the demo plant") {
		t.Fatalf("second demo printed:\n%s", out)
	}
	// A real plant is refused.
	real := t.TempDir()
	m, _, err := run(t, nil, "", "serve", "--data", real, "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if _, _, err := run(t, nil, "", "demo", "--data", real); err == nil || !strings.Contains(err.Error(), "already holds a plant") {
		t.Fatalf("demo over a plant: %v", err)
	}
}

func TestFlags(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"NoData", nil, []string{"user", "list"}, "no data directory"},
		{"UnknownCommand", nil, []string{"frobnicate"}, "unknown command"},
		{"MissingArg", map[string]string{"BOUCLE_DATA": "x"}, []string{"user", "add"}, "takes 1 argument"},
		{"BadEnvDuration", map[string]string{"BOUCLE_DATA": "x", "BOUCLE_ACCESS_TTL": "soon"}, []string{"serve"}, "BOUCLE_ACCESS_TTL"},
		{"HalfTLS", map[string]string{"BOUCLE_DATA": "x"}, []string{"serve", "--tls-cert", "c.pem"}, "go together"},
		{"BadLogFormat", map[string]string{"BOUCLE_DATA": "x"}, []string{"serve", "--log-format", "xml"}, "log-format"},
		{"NoPlantYet", map[string]string{"BOUCLE_DATA": "/nonexistent/boucle"}, []string{"station", "list"}, "no plant in"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, tc.env, "", tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("FlagsAfterArguments", func(t *testing.T) {
		var m Main
		m.Getenv, m.Stderr = func(string) string { return "" }, &bytes.Buffer{}
		if err := m.ParseFlags([]string{"user", "add", "bob", "--data", "d", "--name", "Bob", "--role", "engineer"}); err != nil {
			t.Fatal(err)
		}
		if m.args[0] != "bob" || m.cfg.Role != "engineer" || m.cfg.Data != "d" {
			t.Fatalf("parsed %v %+v", m.args, m.cfg)
		}
	})
	t.Run("FlagWinsOverEnv", func(t *testing.T) {
		var m Main
		m.Getenv, m.Stderr = func(k string) string { return map[string]string{"BOUCLE_ADDR": "0.0.0.0:1", "BOUCLE_DATA": "e"}[k] }, &bytes.Buffer{}
		if err := m.ParseFlags([]string{"serve", "--addr", "127.0.0.1:2"}); err != nil {
			t.Fatal(err)
		}
		if m.cfg.Addr != "127.0.0.1:2" || m.cfg.Data != "e" {
			t.Fatalf("cfg %+v", m.cfg)
		}
	})
}
