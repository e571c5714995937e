package main

import (
	"strings"
	"testing"
)

// backup on a PostgreSQL store says that the database's own backups are
// the plant's (pg_dump, base backups) and where the deployment guide says
// how, never showing the URL's password. Before: the refusal every
// command gives ("cannot run a plant on PostgreSQL yet"), which names no
// way to back the plant up.
func TestBackupOnPostgresPointsToTheDatabasesOwnBackups(t *testing.T) {
	const url = "postgres://boucle:s3cret@db.plant.example:5432/plant"
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"Flag", nil, []string{"backup", "--store", url, "/srv/backup/boucle.db"}},
		{"Environment", map[string]string{"BOUCLE_STORE": url}, []string{"backup", "/srv/backup/boucle.db"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := parse(c.env, c.args...)
			if err == nil {
				t.Fatal("backup of a PostgreSQL store accepted")
			}
			for _, want := range []string{"--store", "PostgreSQL", "pg_dump", "pg_basebackup", "docs/deployment.md"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v; want it to say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the answer shows the password: %v", err)
			}
		})
	}
}
