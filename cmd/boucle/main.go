// Command boucle is the desktop app of Boucle: the plant's internal
// quality tracker, for operators, quality engineers and plant managers.
// It works offline on its own store and syncs with the plant server.
//
//	boucle [--server URL] [--data DIR] [--enrol CODE --station CODE]
//
// The data folder (--data, else $BOUCLE_DATA, else the user's config
// folder) holds the store and the workstation's settings.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"boucle/desktop/assets"
	"boucle/desktop/i18n"
	"boucle/desktop/syncclient"
	"boucle/desktop/ui"
	"boucle/desktop/ui/shell"
	"boucle/desktop/ui/widgets"
	"boucle/desktop/viewmodel"
)

// Main is the program: flags, then Run.
type Main struct {
	Server  string // plant server address, offered on the first run
	Data    string // data folder
	Enrol   string // one-time enrolment code: enrol at start, without the first-run screen
	Station string // station this workstation serves, with Enrol
	Name    string // workstation name, with Enrol

	log *slog.Logger
}

func main() {
	m := &Main{}
	if err := m.ParseFlags(os.Args[1:], os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "boucle:", err)
		os.Exit(2)
	}
	if err := m.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "boucle:", err)
		os.Exit(1)
	}
}

// ParseFlags reads the command line and the environment.
func (m *Main) ParseFlags(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("boucle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&m.Server, "server", os.Getenv("BOUCLE_SERVER"), "plant server address, e.g. http://server:8477 (env BOUCLE_SERVER)")
	fs.StringVar(&m.Data, "data", os.Getenv("BOUCLE_DATA"), "data folder: store and settings (env BOUCLE_DATA; default: the user's config folder)")
	fs.StringVar(&m.Enrol, "enrol", "", "one-time enrolment code: connect to --server at start")
	fs.StringVar(&m.Station, "station", "", "station this workstation serves, with --enrol")
	fs.StringVar(&m.Name, "name", "", "workstation name, with --enrol (default: the host name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if m.Data == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return fmt.Errorf("no --data and no config folder: %w", err)
		}
		m.Data = filepath.Join(dir, "boucle")
	}
	if m.Enrol != "" && m.Server == "" {
		return errors.New("--enrol needs --server")
	}
	return nil
}

// Run opens the data folder, starts the sync loop and shows the window
// until it is closed.
func (m *Main) Run() error {
	m.log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ws, err := viewmodel.OpenWorkstation(m.Data, m.Server, syncclient.Config{Logger: m.log, Now: testClock(m.log)})
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := i18n.Init(ws.Settings().Language); err != nil {
		m.log.Error("translations", "error", err)
	}
	if m.Enrol != "" && ws.FirstRun() {
		if err := ws.Enrol(m.Server, m.Enrol, m.Station, m.Name); err != nil {
			m.log.Error("enrolment at start failed; the first-run screen asks again", "error", i18n.Error(err))
		}
	}

	a := newApp()
	w := a.NewWindow("Boucle")
	w.SetIcon(assets.Icon)
	w.Resize(fyne.NewSize(1280, 800))
	w.SetMaster()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sh := shell.New(a, w, ws, ws.Model(), ui.Background)
	sh.Start()
	pressing := startScreenshotMode(sh, w, ws, m.log)
	// The sync loop reports to the window through fyne.Do, which needs
	// the app running: start it once it is (and the test mode's presses).
	a.Lifecycle().SetOnStarted(func() {
		go func() { _ = ws.Run(ctx) }()
		if pressing != nil {
			go pressing()
		}
	})
	w.ShowAndRun()
	sh.Close()
	cancel()
	signOutQuietly(ws)
	return nil
}

// newApp creates the Fyne app with its metadata: 'fyne package' compiles
// FyneApp.toml in; a plain 'go build' gets the embedded copy.
func newApp() fyne.App {
	a := app.NewWithID(assets.Metadata.ID)
	if md := a.Metadata(); md.Name == "" {
		app.SetMetadata(assets.Metadata)
	}
	a.SetIcon(assets.Icon)
	a.Settings().SetTheme(widgets.Theme()) // a focus seen on every button
	return a
}

// signOutQuietly ends the session when the window closes, waiting a
// little for the server to revoke it.
func signOutQuietly(ws *viewmodel.Workstation) {
	done := make(chan struct{})
	go func() { ws.SignOut(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
	}
}
