package main

import (
	"strings"
	"testing"

	"boucle/internal/pgtest"
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
