package main

import (
	"regexp"
	"strings"
	"testing"
)

// The reference-data commands, through the running server's admin socket,
// then on the stopped store: the same commands, the same refusals.
func TestReferenceCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BOUCLE_DATA": dir, "BOUCLE_LOG_LEVEL": "warn"}
	m, _, err := run(t, env, "", "serve", "--addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, env, "station", "add", "PRESS2", "--name", "Press 2")
	mustRun(t, env, "station", "rename", "PRESS2", "--name", "Press two")
	if _, _, err := run(t, env, "", "station", "retire", "PRESS2"); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("retire without a reason: %v", err)
	}
	mustRun(t, env, "station", "retire", "PRESS2", "--reason", "line moved")
	if out := mustRun(t, env, "station", "list"); !regexp.MustCompile(`PRESS2 +Press two +retired`).MatchString(out) {
		t.Fatalf("station list:\n%s", out)
	}

	mustRun(t, env, "category", "add", "burr", "--en", "Burr", "--fr", "Bavure")
	if _, _, err := run(t, env, "", "category", "add", "rust", "--en", "Rust"); err == nil || !strings.Contains(err.Error(), "label_fr") {
		t.Fatalf("category without a French label: %v", err)
	}
	mustRun(t, env, "category", "relabel", "burr", "--en", "Burrs", "--fr", "Bavures")
	mustRun(t, env, "category", "retire", "burr", "--reason", "merged")
	if out := mustRun(t, env, "category", "list"); !regexp.MustCompile(`burr +Burrs +Bavures +retired`).MatchString(out) {
		t.Fatalf("category list:\n%s", out)
	}

	mustRun(t, env, "severity", "set", "major", "--ack-hours", "4", "--resolve-hours", "72")
	if _, _, err := run(t, env, "", "severity", "set", "major", "--ack-hours", "8", "--resolve-hours", "4"); err == nil || !strings.Contains(err.Error(), "resolve_hours") {
		t.Fatalf("resolve before acknowledge: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	// Stopped: the commands open the store themselves.
	if out := mustRun(t, env, "severity", "list"); !regexp.MustCompile(`major +4 +72`).MatchString(out) {
		t.Fatalf("severity list:\n%s", out)
	}
	mustRun(t, env, "station", "add", "CUT1", "--name", "Cutting 1")
	mustRun(t, env, "user", "add", "bob", "--name", "Bob", "--role", "operator", "--station", "CUT1")
	mustRun(t, env, "user", "update", "bob", "--role", "engineer", "--station", "-")
	if out := mustRun(t, env, "user", "list"); !regexp.MustCompile(`bob +engineer +Bob +active`).MatchString(out) {
		t.Fatalf("user list:\n%s", out)
	}
	mustRun(t, env, "user", "disable", "bob", "--reason", "left")
	mustRun(t, env, "user", "enable", "bob", "--note", "back")
	if out := mustRun(t, env, "user", "list"); !regexp.MustCompile(`bob .*active`).MatchString(out) {
		t.Fatalf("user list after enable:\n%s", out)
	}
	// The plant's only administrator stays one.
	if _, _, err := run(t, env, "", "user", "disable", "admin"); err == nil || !strings.Contains(err.Error(), "user.last_admin") {
		t.Fatalf("disabling the last administrator: %v", err)
	}
	if _, _, err := run(t, env, "", "user", "update", "admin", "--role", "manager"); err == nil || !strings.Contains(err.Error(), "user.last_admin") {
		t.Fatalf("demoting the last administrator: %v", err)
	}
}
