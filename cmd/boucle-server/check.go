package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"boucle/shared/boltstore"
	"boucle/syncserver"
)

// runCheck verifies the store and prints what is wrong; it fails (exit
// status 1) when anything is. A bbolt store is checked offline (server
// stopped); a plant on PostgreSQL in one snapshot, beside its instances.
func (m *Main) runCheck(ctx context.Context) error {
	if m.cfg.Postgres != "" {
		return m.checkPostgres(ctx)
	}
	path := filepath.Join(m.cfg.Data, syncserver.StoreFile)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no store to check: %w", err)
	}
	r, err := boltstore.Check(path)
	if errors.Is(err, boltstore.ErrInUse) {
		return fmt.Errorf("%w: stop the server first, or check a copy ('boucle-server backup DEST', then check --data with DEST's folder)", err)
	}
	if err != nil {
		return fmt.Errorf("%w\nRestore the last backup: see 'boucle-server backup -h'", err)
	}
	if !m.printCheck("store "+path, r) {
		return fmt.Errorf("the store in %s fails its check (%d problems). Restore the last backup: stop the server, move %s aside, "+
			"copy the backup to that name, check it with this command, start the server: a new epoch begins and the workstations push back what they hold",
			m.cfg.Data, len(r.Problems), path)
	}
	return nil
}

// checkPostgres checks the plant of --plant: its events and its states
// against their refold (pgstore.Plant.Check).
func (m *Main) checkPostgres(ctx context.Context) error {
	p, err := m.openPostgres(ctx, false, m.cfg.logger(m.Stderr))
	if err != nil {
		return err
	}
	defer p.Close()
	r, err := p.srv.Check(ctx)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("plant %s in %s", m.cfg.Plant, redactStore(m.cfg.Postgres))
	if !m.printCheck(name, r) {
		return fmt.Errorf("the %s fails its check (%d problems): restore the database from its backups (docs/deployment.md, \"Backups\")", name, len(r.Problems))
	}
	return nil
}

// printCheck prints a check's report and tells whether it found nothing
// wrong.
func (m *Main) printCheck(name string, r boltstore.CheckReport) bool {
	if r.Schema == 0 {
		fmt.Fprintf(m.Stdout, "%s (schema unreadable)\n", name)
	} else {
		fmt.Fprintf(m.Stdout, "%s (schema %d)\n", name, r.Schema)
	}
	fmt.Fprintf(m.Stdout, "  events:      %d read, %d damaged\n", r.Events, r.Damaged)
	fmt.Fprintf(m.Stdout, "  states:      %d compared with their refold, %d differ, %d awaiting projection\n", r.States, r.Differ, r.NotCompared)
	fmt.Fprintf(m.Stdout, "  quarantined: %d\n", len(r.Quarantined))
	if len(r.Problems) == 0 {
		fmt.Fprintln(m.Stdout, "ok")
		return true
	}
	fmt.Fprintln(m.Stdout, "problems:")
	for _, p := range r.Problems {
		fmt.Fprintln(m.Stdout, "  "+p)
	}
	return false
}

// runQuarantineList lists the events whose stored bytes failed their
// check: pulls and folds skip them.
func (m *Main) runQuarantineList(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		list, err := a.Quarantined(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(m.Stdout, "no quarantined event")
			return nil
		}
		w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "POSITION\tEVENT\tFOUND\tREASON")
		for _, q := range list {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", q.Pos, q.Event, q.Found.Format("2006-01-02 15:04:05Z"), q.Reason)
		}
		return w.Flush()
	})
}
