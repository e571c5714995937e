// Command boucle-server is the plant server: it serves the sync protocol
// to the workstations and the plant-wide views, and administers the
// plant's users, stations and devices. Run it without arguments for help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.ParseFlags(os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(m.Stderr, "boucle-server:", err)
		}
		os.Exit(2)
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(m.Stderr, "boucle-server:", err)
		m.Close()
		os.Exit(1)
	}
	if m.Serving() {
		<-ctx.Done()
		stop() // a second signal kills at once
	}
	if err := m.Close(); err != nil {
		fmt.Fprintln(m.Stderr, "boucle-server:", err)
		os.Exit(1)
	}
}

// Main is the program: ParseFlags, then Run, then Close. A test runs it
// like main does, on 127.0.0.1 port 0 in a temporary directory.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	cmd  *command // the subcommand chosen by ParseFlags
	args []string // its positional arguments
	cfg  config

	serve *serving // while serve runs
}

// NewMain returns a program reading the process's environment and
// standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// command is a subcommand: its name (one or two words), what it takes,
// the flags it adds to the common ones, and what it does.
type command struct {
	name  string
	args  string // usage of the positional arguments
	nargs int    // how many
	help  string
	flags func(*flag.FlagSet, *config)
	run   func(*Main, context.Context) error
	// refuse, when set, turns down settings the command cannot work with,
	// before the store is resolved (backup on PostgreSQL: backup.go).
	refuse func(*config) error
}

// commands is the table of subcommands.
var commands = []*command{
	{name: "serve", help: "serve the plant (creates the administrator on first start)", flags: serveFlags, run: (*Main).runServe},
	{name: "user add", args: "LOGIN", nargs: 1, help: "register a user (a random password is printed, or --password-stdin)", flags: userAddFlags, run: (*Main).runUserAdd},
	{name: "user disable", args: "LOGIN", nargs: 1, help: "disable a user and revoke their sessions", flags: reasonFlags, run: (*Main).runUserDisable},
	{name: "user reset-password", args: "LOGIN", nargs: 1, help: "set a new password (random, or --password-stdin) and revoke sessions", flags: passwordFlags, run: (*Main).runUserReset},
	{name: "user list", help: "list the users", run: (*Main).runUserList},
	{name: "user update", args: "LOGIN", nargs: 1, help: "change a user's display name, role or home station", flags: userUpdateFlags, run: (*Main).runUserUpdate},
	{name: "user enable", args: "LOGIN", nargs: 1, help: "enable a disabled user", flags: noteFlags, run: (*Main).runUserEnable},
	{name: "group-user add", args: "LOGIN", nargs: 1, help: "PostgreSQL: create a group account, read-only across the database's plants (random password printed, or --password-stdin)", flags: groupUserAddFlags, run: (*Main).runGroupUserAdd, refuse: groupOnly},
	{name: "group-user list", help: "PostgreSQL: list the group's accounts", run: (*Main).runGroupUserList, refuse: groupOnly},
	{name: "group-user disable", args: "LOGIN", nargs: 1, help: "PostgreSQL: disable a group account and revoke its sessions", run: (*Main).runGroupUserDisable, refuse: groupOnly},
	{name: "group-user enable", args: "LOGIN", nargs: 1, help: "PostgreSQL: enable a disabled group account", run: (*Main).runGroupUserEnable, refuse: groupOnly},
	{name: "group-user reset-password", args: "LOGIN", nargs: 1, help: "PostgreSQL: set a group account's password (random, or --password-stdin) and revoke its sessions", flags: passwordFlags, run: (*Main).runGroupUserReset, refuse: groupOnly},
	{name: "station add", args: "CODE", nargs: 1, help: "define a station", flags: stationFlags, run: (*Main).runStationAdd},
	{name: "station list", help: "list the stations", run: (*Main).runStationList},
	{name: "station rename", args: "CODE", nargs: 1, help: "rename a station", flags: stationFlags, run: (*Main).runStationRename},
	{name: "station retire", args: "CODE", nargs: 1, help: "retire a station (--reason required)", flags: reasonFlags, run: (*Main).runStationRetire},
	{name: "category list", help: "list the defect categories", run: (*Main).runCategoryList},
	{name: "category add", args: "CODE", nargs: 1, help: "define a defect category", flags: labelFlags, run: (*Main).runCategoryAdd},
	{name: "category relabel", args: "CODE", nargs: 1, help: "change a category's labels", flags: labelFlags, run: (*Main).runCategoryRelabel},
	{name: "category retire", args: "CODE", nargs: 1, help: "retire a category (--reason required)", flags: reasonFlags, run: (*Main).runCategoryRetire},
	{name: "severity list", help: "list the severities' default deadlines", run: (*Main).runSeverityList},
	{name: "severity set", args: "SEVERITY", nargs: 1, help: "set a severity's default deadlines", flags: severityFlags, run: (*Main).runSeveritySet},
	{name: "device enrol", help: "print a one-time enrolment code for a workstation", flags: enrolFlags, run: (*Main).runDeviceEnrol},
	{name: "device list", help: "list the enrolled devices", run: (*Main).runDeviceList},
	{name: "device revoke", args: "DEVICE-ID", nargs: 1, help: "revoke a device", flags: reasonFlags, run: (*Main).runDeviceRevoke},
	{name: "keys list", help: "list the server's keys (kid and date; the newest signs)", run: (*Main).runKeysList},
	{name: "keys rotate", help: "add a new key that signs from the next start; older keys still verify", run: (*Main).runKeysRotate},
	{name: "keys retire", args: "KID", nargs: 1, help: "remove an older key: its tokens and author keys stop working", run: (*Main).runKeysRetire},
	{name: "check", help: "verify the store: every event, every state against its refold (bbolt: offline, server stopped, and the file's consistency; PostgreSQL: one snapshot, beside the instances)", run: (*Main).runCheck},
	{name: "quarantine list", help: "list the events whose stored bytes failed their check (pulls skip them)", run: (*Main).runQuarantineList},
	{name: "evidence move-to-s3", help: "copy the evidence files the store holds to the bucket of --evidence, each checked, then dropped from the store (bbolt: server stopped); run again to resume", flags: evidenceMoveFlags, run: (*Main).runEvidenceMove},
	{name: "backup", args: "DEST", nargs: 1, help: "write a hot copy of the store to DEST (a new file); on PostgreSQL, use the database's backups", run: (*Main).runBackup, refuse: backupOfDatabase},
	{name: "migrate", help: "copy the plant of a bbolt store (--from DIR, server stopped) to PostgreSQL (--to postgres://…), then check the copy", flags: migrateFlags, run: (*Main).runMigrate, refuse: migrateStores},
	{name: "demo", help: "seed a demo plant into an empty store", run: (*Main).runDemo},
}

// ParseFlags picks the subcommand and reads its flags, over the BOUCLE_*
// environment variables, over the defaults.
func (m *Main) ParseFlags(args []string) error {
	cmd, rest := findCommand(args)
	if cmd == nil {
		m.usage()
		if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			return flag.ErrHelp
		}
		return fmt.Errorf("unknown command %q", joinFirst(args, 2))
	}
	m.cmd = cmd
	fs := flag.NewFlagSet("boucle-server "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "usage: boucle-server %s [flags] %s\n  %s\n\nflags:\n", cmd.name, cmd.args, cmd.help)
		fs.PrintDefaults()
	}
	env := m.Getenv
	commonFlags(fs, &m.cfg, env)
	if cmd.flags != nil {
		cmd.flags(fs, &m.cfg)
	}
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		return err
	}
	if len(pos) != cmd.nargs {
		fs.Usage()
		return fmt.Errorf("%s takes %d argument(s), got %d", cmd.name, cmd.nargs, len(pos))
	}
	m.args = pos
	fs.Visit(func(f *flag.Flag) { m.cfg.dataFlag = m.cfg.dataFlag || f.Name == "data" })
	if cmd.refuse != nil {
		if err := cmd.refuse(&m.cfg); err != nil {
			return err
		}
	}
	return m.cfg.check()
}

// Run runs the subcommand. serve returns once the server listens; main
// then waits for a signal and calls Close.
func (m *Main) Run(ctx context.Context) error { return m.cmd.run(m, ctx) }

// Serving reports whether Run started the server.
func (m *Main) Serving() bool { return m.serve != nil }

// Close stops the server gracefully, if it runs, and closes the store.
func (m *Main) Close() error {
	if m.serve == nil {
		return nil
	}
	err := m.serve.close()
	m.serve = nil
	return err
}

func findCommand(args []string) (*command, []string) {
	for _, c := range commands {
		words := len(splitWords(c.name))
		if len(args) >= words && joinFirst(args, words) == c.name {
			return c, args[words:]
		}
	}
	return nil, nil
}

// parseInterspersed parses flags placed before, between or after the
// positional arguments ("user add bob --role engineer").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func (m *Main) usage() {
	fmt.Fprintln(m.Stderr, "usage: boucle-server COMMAND [flags] [args]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(m.Stderr, "  %-28s %s\n", c.name+" "+c.args, c.help)
	}
	fmt.Fprintln(m.Stderr, "\nEvery command takes --store DIR or --data DIR (or BOUCLE_STORE, BOUCLE_DATA); --store postgres://… with --plant names a plant on PostgreSQL. Run 'boucle-server COMMAND -h' for its flags.")
	fmt.Fprintln(m.Stderr, "Administration commands work whether or not the server runs (through its admin socket when it does).")
}
