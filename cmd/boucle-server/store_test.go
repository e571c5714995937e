package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"boucle/internal/pgtest"
)

// The command that works on a bbolt store's file (backup) refuses a postgres://
// store before opening anything, naming the command and the store and
// never the URL's password; so does a PostgreSQL store with no place for
// the key file, and a plant name PostgreSQL's store cannot hold.
func TestStorePostgresRefusals(t *testing.T) {
	const url = "postgres://boucle:s3cret@db.plant.example:5432/plant?sslmode=require"
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"Backup", nil, []string{"backup", "x", "--store", url}, []string{"backup --store", "pg_dump"}},
		{"BackupFromTheEnvironment", map[string]string{"BOUCLE_STORE": url}, []string{"backup", "x"}, []string{"backup --store"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := parse(tc.env, tc.args...)
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Fatalf("%v: err = %v; want %q", tc.args, err, w)
				}
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("the refusal shows the password: %v", err)
			}
		})
	}
	t.Run("NoKeyFile", func(t *testing.T) {
		_, _, err := run(t, nil, "", "serve", "--store", url, "--addr", "127.0.0.1:0")
		if err == nil || !strings.Contains(err.Error(), "--key-file") || strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("serve --store postgres://… without --key-file or --data: %v; want --key-file named, no password", err)
		}
	})
	t.Run("DemoWithNoKeyFile", func(t *testing.T) {
		_, _, err := run(t, nil, "", "demo", "--store", url)
		if err == nil || !strings.Contains(err.Error(), "--key-file") || strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("demo --store postgres://… without --key-file or --data: %v; want --key-file named, no password", err)
		}
	})
	t.Run("BadPlant", func(t *testing.T) {
		_, _, err := run(t, nil, "", "station", "list", "--store", url, "--plant", "Works 1")
		if err == nil || !strings.Contains(err.Error(), "--plant") {
			t.Fatalf("--plant 'Works 1': %v; want --plant named", err)
		}
	})
}

// The commands on a plant in PostgreSQL (internal/pgtest's server): serve
// migrates the database and creates the plant named by --plant on its
// first start, with its administrator; the administration commands work
// on the same plant beside the running server (no admin socket: they
// open the database); --store and --plant come from flags or from
// BOUCLE_STORE and BOUCLE_PLANT; a second plant in the database sees
// nothing of the first; a plant no serve created is refused by name.
func TestStorePostgresRunsTheCommands(t *testing.T) {
	url := pgtest.DB(t)
	keyFile := filepath.Join(t.TempDir(), "server.keys")
	quiet := map[string]string{"BOUCLE_LOG_LEVEL": "warn"}
	pg := func(plant string, args ...string) []string {
		return append(args, "--store", url, "--plant", plant, "--key-file", keyFile)
	}

	if _, _, err := run(t, quiet, "", pg("works-1", "station", "list")...); err == nil || !strings.Contains(err.Error(), `no plant "works-1"`) || !strings.Contains(err.Error(), "serve") {
		t.Fatalf("station list before serve: %v; want the plant named missing, and serve", err)
	}
	_, out, err := run(t, quiet, "", pg("works-1", "serve", "--addr", "127.0.0.1:0")...)
	if err != nil || !strings.Contains(out, "login:    admin") {
		t.Fatalf("serve --store postgres://…: %v\n%s\nwant the administrator created", err, out)
	}
	mustRun(t, quiet, pg("works-1", "station", "add", "WELD5", "--name", "Welding 5")...)
	if _, _, err := run(t, quiet, "s3cret-password\n", pg("works-1", "user", "add", "bob", "--name", "Bob", "--role", "operator", "--station", "WELD5", "--password-stdin")...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, quiet, "", pg("works-1", "user", "add", "olga", "--name", "Olga", "--role", "operator", "--station", "NOPE")...); err == nil || !strings.Contains(err.Error(), "station") {
		t.Errorf("an operator of an unknown station: %v; want the field station named", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{pg("works-1", "station", "list"), "WELD5"},
		{pg("works-1", "user", "list"), "bob"},
		{pg("works-1", "device", "enrol", "--note", "press line"), "enrolment code:"},
		{pg("works-1", "category", "list"), "dimensional"},
		{pg("works-1", "quarantine", "list"), "no quarantined event"},
		{pg("works-1", "keys", "list"), "signs and verifies"},
		{pg("works-1", "check"), "ok\n"},
	} {
		if out := mustRun(t, quiet, c.args...); !strings.Contains(out, c.want) {
			t.Errorf("%v:\n%s\nwant %q", c.args[:2], out, c.want)
		}
	}
	env := map[string]string{"BOUCLE_LOG_LEVEL": "warn", "BOUCLE_STORE": url, "BOUCLE_PLANT": "works-1"}
	if out := mustRun(t, env, "station", "list"); !strings.Contains(out, "WELD5") {
		t.Errorf("station list with BOUCLE_STORE and BOUCLE_PLANT:\n%s", out)
	}

	if _, out, err := run(t, quiet, "", pg("works-2", "serve", "--addr", "127.0.0.1:0")...); err != nil || !strings.Contains(out, "login:    admin") {
		t.Fatalf("serve --plant works-2 on the same database: %v\n%s", err, out)
	}
	if out := mustRun(t, quiet, pg("works-2", "station", "list")...); strings.Contains(out, "WELD5") {
		t.Errorf("works-2 lists works-1's station:\n%s", out)
	}
	if out := mustRun(t, quiet, pg("works-2", "user", "list")...); strings.Contains(out, "bob") {
		t.Errorf("works-2 lists works-1's user:\n%s", out)
	}
}

func TestStoreFlagErrors(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"UnknownScheme", nil, []string{"user", "list", "--store", "mysql://db/plant"}, "a directory or a postgres:// URL"},
		{"TwoDifferentStores", nil, []string{"user", "list", "--store", "/srv/a", "--data", "/srv/b"}, "two different stores"},
		{"NoStoreAtAll", nil, []string{"user", "list"}, "--store DIR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := parse(tc.env, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
}

// A directory given to --store (or BOUCLE_STORE) is the data directory:
// the plant a server created there with --data is the one the commands
// read with --store, and the reverse.
func TestStoreDirectoryIsTheDataDirectory(t *testing.T) {
	dir := t.TempDir()
	quiet := map[string]string{"BOUCLE_LOG_LEVEL": "warn"}
	m, _, err := run(t, quiet, "", "serve", "--store", dir, "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	mustRun(t, quiet, "station", "add", "WELD5", "--name", "Welding 5", "--data", dir)
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"Flag", quiet, []string{"station", "list", "--store", dir}},
		{"Environment", map[string]string{"BOUCLE_STORE": dir}, []string{"station", "list"}},
		{"StoreWinsOverTheDataVariable", map[string]string{"BOUCLE_DATA": t.TempDir()}, []string{"station", "list", "--store", dir}},
		{"SameDirectoryTwice", quiet, []string{"station", "list", "--store", dir, "--data", dir}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if out := mustRun(t, c.env, c.args...); !strings.Contains(out, "WELD5") {
				t.Fatalf("%v:\n%s\nwant station WELD5", c.args, out)
			}
		})
	}
	if out := mustRun(t, quiet, "check", "--store", dir); !strings.Contains(out, "store "+dir) || !strings.HasSuffix(out, "ok\n") {
		t.Fatalf("check --store %s:\n%s\nwant that store checked, ok", dir, out)
	}
}

// parse parses a command line like main does, without running it.
func parse(env map[string]string, args ...string) error {
	m := &Main{Stderr: &bytes.Buffer{}, Getenv: func(k string) string { return env[k] }}
	return m.ParseFlags(args)
}

// demo on PostgreSQL seeds the plant named by --plant (through a bbolt
// seed copied by plantmove), which the administration commands then see
// with the demo's people and stations; a second demo into the same plant
// is refused, naming the plant and what it holds, and leaves it as it
// was. Before, demo
// refused every postgres:// store.
func TestDemoOnPostgres(t *testing.T) {
	url := pgtest.DB(t)
	keys := filepath.Join(t.TempDir(), "keys.json")
	quiet := map[string]string{"BOUCLE_LOG_LEVEL": "warn"}
	pg := func(args ...string) []string {
		return append(args, "--store", url, "--plant", "demo-lyon", "--key-file", keys)
	}
	out := mustRun(t, quiet, pg("demo")...)
	for _, want := range []string{`Demo plant seeded in plant "demo-lyon"`, "marc.dubois", "device enrol --store", "--key-file " + keys} {
		if !strings.Contains(out, want) {
			t.Fatalf("demo on PostgreSQL said:\n%s\nwant %q", out, want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{pg("user", "list"), "marc.dubois"},
		{pg("station", "list"), "PRESS"},
	} {
		if got := mustRun(t, quiet, c.args...); !strings.Contains(got, c.want) {
			t.Errorf("%v after the demo:\n%s\nwant %q", c.args[:2], got, c.want)
		}
	}
	before := mustRun(t, quiet, pg("user", "list")...)
	_, _, err := run(t, quiet, "", pg("demo")...)
	if err == nil || !strings.Contains(err.Error(), `plant "demo-lyon"`) || !strings.Contains(err.Error(), "already holds") {
		t.Fatalf("a second demo into the same plant: %v; want it refused, naming the plant", err)
	}
	if after := mustRun(t, quiet, pg("user", "list")...); after != before {
		t.Fatalf("the refused demo changed the plant's accounts:\n%s\nthen\n%s", before, after)
	}
}
