package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"boucle/internal/pgtest"
)

// group-user manages the group's accounts of a PostgreSQL database, beside
// the serve instances; the account signs in on a plant's server and lists
// the database's plants. On a bbolt store the command is refused, saying
// why, before anything is opened.
func TestGroupUserCommands(t *testing.T) {
	if err := parse(nil, "group-user", "list", "--store", t.TempDir()); err == nil || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("group-user list on a bbolt store: %v; want PostgreSQL named", err)
	}
	url := pgtest.DB(t)
	quiet := map[string]string{"BOUCLE_LOG_LEVEL": "warn"}
	keyFile := filepath.Join(t.TempDir(), "server.keys")
	m, _, err := run(t, quiet, "", "serve", "--addr", "127.0.0.1:0", "--store", url, "--plant", "works-1", "--key-file", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	group := func(args ...string) []string { return append(append([]string{"group-user"}, args...), "--store", url) }
	if _, out, err := run(t, quiet, "s3cret-password\n", group("add", "diane", "--name", "Diane Director", "--password-stdin")...); err != nil || !strings.Contains(out, "diane: password set") {
		t.Fatalf("group-user add: %v\n%s", err, out)
	}
	if _, _, err := run(t, quiet, "", group("add", "diane", "--name", "Again")...); err == nil || !strings.Contains(err.Error(), "already") {
		t.Fatalf("a second diane: %v; want a conflict", err)
	}
	if out := mustRun(t, quiet, group("list")...); !strings.Contains(out, "diane") || !strings.Contains(out, "group_quality") || !strings.Contains(out, "active") {
		t.Fatalf("group-user list:\n%s", out)
	}

	res, err := http.Post("http://"+m.Addr()+"/api/v1/group/auth/login", "application/json", strings.NewReader(`{"login":"diane","password":"s3cret-password"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tokens struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(res.Body).Decode(&tokens)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || tokens.AccessToken == "" {
		t.Fatalf("group sign-in on serve: %d", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+m.Addr()+"/api/v1/group/plants", nil)
	req.Header.Set("Authorization", "Bearer "+tokens.AccessToken)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var plants struct{ Plants []struct{ ID string } }
	_ = json.NewDecoder(res.Body).Decode(&plants)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(plants.Plants) != 1 || plants.Plants[0].ID != "works-1" {
		t.Fatalf("group plants: %d %+v", res.StatusCode, plants)
	}

	mustRun(t, quiet, group("disable", "diane")...)
	if out := mustRun(t, quiet, group("list")...); !strings.Contains(out, "disabled") {
		t.Fatalf("group-user list after disable:\n%s", out)
	}
	mustRun(t, quiet, group("enable", "diane")...)
	if out := mustRun(t, quiet, group("reset-password", "diane")...); !strings.Contains(out, "password: ") {
		t.Fatalf("group-user reset-password:\n%s", out)
	}
	if _, _, err := run(t, quiet, "", group("disable", "nobody")...); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Fatalf("group-user disable nobody: %v", err)
	}
}
