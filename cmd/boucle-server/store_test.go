package main

import (
	"bytes"
	"strings"
	"testing"
)

// Every command takes --store; a postgres:// URL is refused, naming the
// flag and never showing the URL's password, until the PostgreSQL store
// can run a plant.
func TestStorePostgresRefusedOnEveryCommand(t *testing.T) {
	const url = "postgres://boucle:s3cret@db.plant.example:5432/plant?sslmode=require"
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			args := append(strings.Fields(c.name), "--store", url)
			for range c.nargs {
				args = append(args, "x")
			}
			err := parse(nil, args...)
			if err == nil || !strings.Contains(err.Error(), "--store") || !strings.Contains(err.Error(), "PostgreSQL") {
				t.Fatalf("%s --store postgres://…: err = %v; want a refusal naming --store and PostgreSQL", c.name, err)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("the refusal shows the password: %v", err)
			}
		})
	}
	t.Run("FromTheEnvironment", func(t *testing.T) {
		err := parse(map[string]string{"BOUCLE_STORE": "postgresql://boucle:s3cret@db/plant"}, "serve")
		if err == nil || !strings.Contains(err.Error(), "--store") || strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("BOUCLE_STORE=postgresql://…: err = %v; want a refusal naming --store, no password", err)
		}
	})
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
