package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"boucle/shared/boltstore"
	"boucle/syncserver"
	"boucle/syncserver/demo"
)

// demoLogins is where the demo writes its logins, beside the store.
const demoLogins = "demo-logins.txt"

// runDemo seeds a demo plant into an empty data directory and prints the
// logins. On a store already seeded it says so and succeeds (make run may
// call it again); on a store holding a real plant it refuses.
func (m *Main) runDemo(context.Context) error {
	if syncserver.DialAdminOK(m.cfg.Data) {
		return fmt.Errorf("a server is running on %s: stop it before seeding a demo", m.cfg.Data)
	}
	clock := demo.NewClock(time.Now())
	store, err := syncserver.OpenStore(m.cfg.Data, boltstore.Options{Now: clock.Now}, m.cfg.logger(m.Stderr))
	if err != nil {
		return lockedHint(err)
	}
	defer store.Close()
	// The notes are sealed with the keys of the server that will serve
	// this store: its key file, created now if need be.
	keyFile, err := m.cfg.keyFile()
	if err != nil {
		return err
	}
	serverKeys, _, err := syncserver.LoadKeyFile(keyFile, time.Now())
	if err != nil {
		return err
	}
	keys, err := serverKeys.Confidential()
	if err != nil {
		return err
	}
	res, err := demo.Seed(store, clock, demo.Options{Keys: keys})
	if errors.Is(err, demo.ErrSeeded) {
		fmt.Fprintf(m.Stdout, "%s: %v; nothing to do (logins in %s).\n", m.cfg.Data, err, filepath.Join(m.cfg.Data, demoLogins))
		return nil
	}
	if err != nil {
		return err
	}
	m.printDemo(m.Stdout, res)
	return m.writeDemoLogins(res)
}

func (m *Main) printDemo(w io.Writer, res demo.Result) {
	fmt.Fprintf(w, "Demo plant seeded in %s: %d stations, %d users, %d complaints, %d plans, %d events, from %s to %s.\n\n",
		m.cfg.Data, res.Stations, len(res.Users), res.Complaints, res.Plans, res.Events,
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
	fmt.Fprintln(w, "More with: boucle-server device enrol --data", m.cfg.Data)
}

// writeDemoLogins keeps the printout beside the store, readable by its
// owner only, for whoever missed the terminal.
func (m *Main) writeDemoLogins(res demo.Result) error {
	f, err := os.OpenFile(filepath.Join(m.cfg.Data, demoLogins), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	m.printDemo(f, res)
	return f.Close()
}
