package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver"

	bolterrors "go.etcd.io/bbolt/errors"
)

// admin returns the administration commands on the plant in --data: the
// running server's, through its admin socket, or the store's, opened here
// when no server runs. The store must exist: serve or demo creates it.
func (m *Main) admin() (syncserver.AdminAPI, func(), error) {
	if m.cfg.Postgres != "" {
		p, err := m.openPostgres(context.Background(), false, m.cfg.logger(m.Stderr))
		if err != nil {
			return nil, nil, err
		}
		return syncserver.NewAdminOn(p.ports, nil), p.Close, nil
	}
	if c, err := syncserver.DialAdmin(m.cfg.Data); err == nil {
		return c, func() {}, nil
	}
	if _, err := os.Stat(filepath.Join(m.cfg.Data, syncserver.StoreFile)); err != nil {
		return nil, nil, fmt.Errorf("no plant in %s: start it once with 'boucle-server serve --data %s' (or seed a demo with 'demo')", m.cfg.Data, m.cfg.Data)
	}
	store, err := syncserver.OpenStore(m.cfg.Data, boltstore.Options{}, m.cfg.logger(m.Stderr))
	if err != nil {
		return nil, nil, lockedHint(err)
	}
	return syncserver.NewAdmin(store, nil), func() { store.Close() }, nil
}

// lockedHint explains bbolt's lock timeout: another process holds the file.
func lockedHint(err error) error {
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("%w: the store is in use by another process (a running server without its admin socket?)", err)
	}
	return err
}

// withAdmin runs fn on the plant's admin commands.
func (m *Main) withAdmin(fn func(syncserver.AdminAPI) error) error {
	a, done, err := m.admin()
	if err != nil {
		return err
	}
	defer done()
	return fn(a)
}

// password returns the password to set: the first line of standard input
// with --password-stdin, otherwise "" (the server generates one).
func (m *Main) password() (string, error) {
	if !m.cfg.PasswordStdin {
		return "", nil
	}
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (m *Main) printCredentials(c syncserver.Credentials) {
	if c.Password == "" {
		fmt.Fprintf(m.Stdout, "%s: password set.\n", c.Login)
		return
	}
	fmt.Fprintf(m.Stdout, "login:    %s\npassword: %s\n(shown only this once)\n", c.Login, c.Password)
}

func (m *Main) runUserAdd(ctx context.Context) error {
	if m.cfg.Name == "" {
		return fmt.Errorf("--name is required")
	}
	pw, err := m.password()
	if err != nil {
		return err
	}
	u := syncserver.NewUser{Login: m.args[0], DisplayName: m.cfg.Name, Role: domain.Role(m.cfg.Role), Station: m.cfg.Station, Password: pw}
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		creds, err := a.AddUser(ctx, u)
		if err == nil {
			m.printCredentials(creds)
		}
		return err
	})
}

func (m *Main) runUserDisable(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		if err := a.DisableUser(ctx, m.args[0], m.cfg.Reason); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s disabled; their sessions are revoked.\n", m.args[0])
		return nil
	})
}

func (m *Main) runUserReset(ctx context.Context) error {
	pw, err := m.password()
	if err != nil {
		return err
	}
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		creds, err := a.ResetPassword(ctx, m.args[0], pw)
		if err == nil {
			m.printCredentials(creds)
		}
		return err
	})
}

func (m *Main) runUserList(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		users, err := a.Users(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "LOGIN\tROLE\tSTATION\tNAME\tSTATE")
		for _, u := range users {
			state := "active"
			switch {
			case u.Disabled:
				state = "disabled"
			case !u.HasPassword:
				state = "no password"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Login, u.Role, u.Station, u.DisplayName, state)
		}
		return w.Flush()
	})
}

func (m *Main) runStationAdd(ctx context.Context) error {
	if m.cfg.Name == "" {
		return fmt.Errorf("--name is required")
	}
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		if err := a.AddStation(ctx, m.args[0], m.cfg.Name); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "station %s defined.\n", m.args[0])
		return nil
	})
}

func (m *Main) runStationList(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		stations, err := a.Stations(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "CODE\tNAME\tSTATE")
		for _, s := range stations {
			state := "active"
			if s.Retired {
				state = "retired"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", s.Code, s.Name, state)
		}
		return w.Flush()
	})
}

func (m *Main) runDeviceEnrol(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		enrol := a.EnrolDevice
		if m.cfg.Replace != "" {
			enrol = func(ctx context.Context, note string, ttl time.Duration) (syncserver.Enrolment, error) {
				return a.EnrolReplacement(ctx, m.cfg.Replace, note, ttl)
			}
		}
		en, err := enrol(ctx, m.cfg.Note, m.cfg.TTL)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "enrolment code: %s\nvalid until %s, for one workstation; shown only this once.\n",
			en.Code, en.Expires.Local().Format(time.DateTime))
		if m.cfg.Replace != "" {
			fmt.Fprintf(m.Stdout, "it may take over the data of device %s, which it revokes.\n", m.cfg.Replace)
		}
		return nil
	})
}

func (m *Main) runDeviceList(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		devices, err := a.Devices(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "DEVICE\tNAME\tSTATION\tSERIES\tREPLICA\tENROLLED\tLAST SEEN\tNOTE\tSTATE")
		for _, d := range devices {
			state := "active"
			if d.Revoked {
				state = "revoked: " + d.Why
			}
			seen := "-"
			if !d.LastSeen.IsZero() {
				seen = d.LastSeen.Local().Format(time.DateTime)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Name, d.Station, d.Series, d.Replica, d.Enrolled.Local().Format(time.DateTime), seen, d.Note, state)
		}
		return w.Flush()
	})
}

func (m *Main) runDeviceRevoke(ctx context.Context) error {
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		if err := a.RevokeDevice(ctx, m.args[0], m.cfg.Reason); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "device %s revoked.\n", m.args[0])
		return nil
	})
}

// runBackup writes a hot copy: through the running server when there is
// one (the path is made absolute, as the server's working directory may
// differ), else from the store opened here.
func (m *Main) runBackup(ctx context.Context) error {
	dest, err := filepath.Abs(m.args[0])
	if err != nil {
		return err
	}
	return m.withAdmin(func(a syncserver.AdminAPI) error {
		info, err := a.Backup(ctx, dest)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "backup written: %s (%d bytes, epoch %s)\n"+
			"To restore: stop the server, put this file in place of %s, start it: it begins a new epoch and the workstations re-push what it lacks.\n",
			info.Path, info.Bytes, info.Epoch, filepath.Join(m.cfg.Data, syncserver.StoreFile))
		return nil
	})
}
