package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"boucle/syncserver"
	"boucle/syncserver/pgstore"
)

// The group of the plants of a PostgreSQL database: its accounts
// (group-user) and the group's routes every serve instance answers
// (syncserver/group.go). A bbolt store holds one plant: no group.

// groupOf is the group of the database's plants; its reports open each
// plant's views as that plant's own server does.
func groupOf(ctx context.Context, db *pgstore.Store) (syncserver.GroupStore, error) {
	g, err := db.Group(ctx)
	if err != nil {
		return nil, err
	}
	return syncserver.GroupOn(g, func(ctx context.Context, plant string) (syncserver.ViewStore, error) {
		srv, err := db.Server(ctx, plant)
		if err != nil {
			return nil, err
		}
		return syncserver.StoreOn(srv), nil
	}), nil
}

// groupOnly refuses the group's commands on a bbolt store, before
// anything is opened.
func groupOnly(c *config) error {
	if kind, err := parseStore(c.Store); err == nil && kind == storePostgres {
		return nil
	}
	return fmt.Errorf("group-user: a group's accounts are in the PostgreSQL database that holds its plants (--store postgres://…); a bbolt store holds one plant and has no group")
}

func groupUserAddFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Name, "name", "", "display name (required)")
	passwordFlags(fs, c)
}

// withGroupAdmin runs fn on the group's account commands, the database
// opened here (beside the serve instances, as the plant's commands).
func (m *Main) withGroupAdmin(ctx context.Context, fn func(*syncserver.GroupAdmin) error) error {
	db, err := pgstore.Open(ctx, m.cfg.Postgres)
	if err != nil {
		return fmt.Errorf("--store %s: %w", redactStore(m.cfg.Postgres), err)
	}
	defer db.Close()
	g, err := groupOf(ctx, db)
	if err != nil {
		return err
	}
	return fn(syncserver.NewGroupAdmin(g, nil))
}

func (m *Main) runGroupUserAdd(ctx context.Context) error {
	if m.cfg.Name == "" {
		return fmt.Errorf("--name is required")
	}
	pw, err := m.password()
	if err != nil {
		return err
	}
	return m.withGroupAdmin(ctx, func(a *syncserver.GroupAdmin) error {
		creds, err := a.AddUser(ctx, syncserver.NewGroupUser{Login: m.args[0], DisplayName: m.cfg.Name, Password: pw})
		if err == nil {
			m.printCredentials(creds)
		}
		return err
	})
}

func (m *Main) runGroupUserList(ctx context.Context) error {
	return m.withGroupAdmin(ctx, func(a *syncserver.GroupAdmin) error {
		users, err := a.Users(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "LOGIN\tROLE\tNAME\tPASSWORD SET\tSTATE")
		for _, u := range users {
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Login, u.Role, u.DisplayName, u.Changed.Local().Format(time.DateTime), state)
		}
		return w.Flush()
	})
}

func (m *Main) runGroupUserDisable(ctx context.Context) error {
	return m.withGroupAdmin(ctx, func(a *syncserver.GroupAdmin) error {
		if err := a.DisableUser(ctx, m.args[0]); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s disabled; their group sessions are revoked.\n", m.args[0])
		return nil
	})
}

func (m *Main) runGroupUserEnable(ctx context.Context) error {
	return m.withGroupAdmin(ctx, func(a *syncserver.GroupAdmin) error {
		if err := a.EnableUser(ctx, m.args[0]); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s enabled.\n", m.args[0])
		return nil
	})
}

func (m *Main) runGroupUserReset(ctx context.Context) error {
	pw, err := m.password()
	if err != nil {
		return err
	}
	return m.withGroupAdmin(ctx, func(a *syncserver.GroupAdmin) error {
		creds, err := a.ResetPassword(ctx, m.args[0], pw)
		if err == nil {
			m.printCredentials(creds)
		}
		return err
	})
}
