package main

import (
	"path/filepath"
	"strings"
	"testing"

	"boucle/internal/pgtest"
	"boucle/syncserver"
)

// migrate copies the demo plant to PostgreSQL and says what it copied;
// run again, it finds the same log there and only checks it. The keys'
// file is named: it is not copied. syncserver/plantmove's tests cover
// the copy itself and its refusals. Before, there was no migrate command.
func TestMigrateCommand(t *testing.T) {
	dir, url := t.TempDir(), pgtest.DB(t)
	mustRun(t, nil, "demo", "--data", dir)
	out := mustRun(t, nil, "migrate", "--from", dir, "--to", url, "--plant", "lyon")
	for _, want := range []string{`plant "lyon" copied from`, "accounts 14", "the same as the bbolt store's", "--key-file"} {
		if !strings.Contains(out, want) {
			t.Fatalf("migrate said:\n%s\nwant %q", out, want)
		}
	}
	out = mustRun(t, map[string]string{"BOUCLE_STORE": url, "BOUCLE_PLANT": "lyon"}, "migrate", "--from", dir)
	if !strings.Contains(out, "already holds this log") {
		t.Fatalf("second migrate said:\n%s", out)
	}

	// The copy serves: no new administrator (the accounts came along),
	// the demo's people and the bbolt plant's key, from its key file.
	quiet := map[string]string{"BOUCLE_LOG_LEVEL": "warn"}
	pg := func(args ...string) []string {
		return append(args, "--store", url, "--plant", "lyon", "--key-file", filepath.Join(dir, syncserver.DefaultKeyFile))
	}
	_, out, err := run(t, quiet, "", pg("serve", "--addr", "127.0.0.1:0")...)
	if err != nil || strings.Contains(out, "login:    admin") {
		t.Fatalf("serve on the copy: %v\n%s\nwant it served without a new administrator", err, out)
	}
	bboltKeys := mustRun(t, quiet, "keys", "list", "--data", dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{pg("user", "list"), "marc.dubois"},
		{pg("station", "list"), "PRESS"},
		{pg("keys", "list"), strings.Fields(strings.Split(bboltKeys, "\n")[1])[0]},
	} {
		if out := mustRun(t, quiet, c.args...); !strings.Contains(out, c.want) {
			t.Errorf("%v on the copy:\n%s\nwant %q", c.args[:2], out, c.want)
		}
	}
}

// Missing or misplaced stores are refused before anything is opened,
// naming the flag.
func TestMigrateFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "--to", "postgres://db/plant"}, "--from is required"},
		{[]string{"migrate", "--from", dir}, "--to is required"},
		{[]string{"migrate", "--from", "postgres://db/a", "--to", "postgres://db/plant"}, "the source is a data directory"},
		{[]string{"migrate", "--from", dir, "--to", dir}, "the target is a postgres:// URL"},
	} {
		_, _, err := run(t, nil, "", c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}
