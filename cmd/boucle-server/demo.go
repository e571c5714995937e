package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"boucle/shared/boltstore"
	"boucle/syncserver"
	"boucle/syncserver/demo"
	"boucle/syncserver/pgstore"
	"boucle/syncserver/plantmove"
)

// demoLogins is where the demo writes its logins, beside the store.
const demoLogins = "demo-logins.txt"

// runDemo seeds a demo plant into an empty data directory and prints the
// logins. On a store already seeded it says so and succeeds (make run may
// call it again); on a store holding a real plant it refuses. On
// PostgreSQL it seeds the plant named by --plant (runDemoOnPostgres).
func (m *Main) runDemo(ctx context.Context) error {
	if kind, err := parseStore(m.cfg.Store); err == nil && kind == storePostgres {
		return m.runDemoOnPostgres(ctx)
	}
	if syncserver.DialAdminOK(m.cfg.Data) {
		return fmt.Errorf("a server is running on %s: stop it before seeding a demo", m.cfg.Data)
	}
	keyFile, err := m.cfg.keyFile()
	if err != nil {
		return err
	}
	res, err := seedDemo(m.cfg.Data, keyFile, m.cfg.logger(m.Stderr))
	if errors.Is(err, demo.ErrSeeded) {
		fmt.Fprintf(m.Stdout, "%s: %v; nothing to do (logins in %s).\n", m.cfg.Data, err, filepath.Join(m.cfg.Data, demoLogins))
		return nil
	}
	if err != nil {
		return err
	}
	m.printDemo(m.Stdout, m.cfg.Data, res)
	return m.writeDemoLogins(res)
}

// seedDemo seeds the demo plant into the bbolt store in dir. Its
// confidential notes are sealed with the keys of the server that will
// serve it: those of keyFile, created now if need be.
func seedDemo(dir, keyFile string, log *slog.Logger) (demo.Result, error) {
	clock := demo.NewClock(time.Now())
	store, err := syncserver.OpenStore(dir, boltstore.Options{Now: clock.Now}, log)
	if err != nil {
		return demo.Result{}, lockedHint(err)
	}
	defer store.Close()
	serverKeys, _, err := syncserver.LoadKeyFile(keyFile, time.Now())
	if err != nil {
		return demo.Result{}, err
	}
	keys, err := serverKeys.Confidential()
	if err != nil {
		return demo.Result{}, err
	}
	return demo.Seed(store, clock, demo.Options{Keys: keys})
}

// runDemoOnPostgres seeds the demo in a temporary bbolt directory and
// copies it into the plant with plantmove, the way every plant comes
// from bbolt to PostgreSQL: one seeding code for both stores, and the
// copy's checks (counts, a refold giving the same states) vouch for it.
// A plant that already holds anything is refused, untouched. The logins
// are printed only: a database has no directory to keep them beside.
func (m *Main) runDemoOnPostgres(ctx context.Context) error {
	keyFile, err := m.cfg.keyFile()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "boucle-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	res, err := seedDemo(tmp, keyFile, m.cfg.logger(m.Stderr))
	if err != nil {
		return err
	}
	where := fmt.Sprintf("plant %q of %s", m.cfg.Plant, redactStore(m.cfg.Store))
	var notEmpty *pgstore.PlantNotEmptyError
	_, err = plantmove.Migrate(ctx, tmp, m.cfg.Store, m.cfg.Plant, plantmove.Options{})
	if errors.As(err, &notEmpty) {
		return fmt.Errorf("demo: %s is not empty (%d events, %d records): the demo seeds an empty plant only; name another with --plant", where, notEmpty.Events, notEmpty.Records)
	}
	if err != nil {
		return fmt.Errorf("demo: copying the demo plant into %s: %w", where, err)
	}
	m.printDemo(m.Stdout, where, res)
	fmt.Fprintf(m.Stdout, "Serve it with the same key file: boucle-server serve --store URL --plant %s --key-file %s\n", m.cfg.Plant, keyFile)
	return nil
}

func (m *Main) printDemo(w io.Writer, where string, res demo.Result) {
	fmt.Fprintf(w, "Demo plant seeded in %s: %d stations, %d users, %d complaints, %d plans, %d events, from %s to %s.\n\n",
		where, res.Stations, len(res.Users), res.Complaints, res.Plans, res.Events,
		res.From.Local().Format(time.DateOnly), res.To.Local().Format(time.DateOnly))
	fmt.Fprintf(w, "Every demo account's password is %q (a fixed password, set by the demo only).\n\n", demo.Password)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tROLE\tSTATION\tNAME")
	for _, u := range res.Users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Login, u.Role, u.Station, u.Name)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nmarc.dubois has left the plant: his account is disabled.")
	fmt.Fprintln(w, "\nEnrolment codes for workstations (one workstation each):")
	for _, en := range res.Enrolments {
		fmt.Fprintf(w, "  %s  (valid until %s)\n", en.Code, en.Expires.Local().Format(time.DateTime))
	}
	fmt.Fprintln(w, "More with: boucle-server device enrol", m.storeArgs())
}

// writeDemoLogins keeps the printout beside the store, readable by its
// owner only, for whoever missed the terminal.
func (m *Main) writeDemoLogins(res demo.Result) error {
	f, err := os.OpenFile(filepath.Join(m.cfg.Data, demoLogins), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	m.printDemo(f, m.cfg.Data, res)
	return f.Close()
}

// storeArgs are the flags that name this command's store, for the hints
// it prints (the URL without its password).
func (m *Main) storeArgs() string {
	if kind, err := parseStore(m.cfg.Store); err == nil && kind == storePostgres {
		return fmt.Sprintf("--store %s --plant %s", redactStore(m.cfg.Store), m.cfg.Plant)
	}
	return "--data " + m.cfg.Data
}
