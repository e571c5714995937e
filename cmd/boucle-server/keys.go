package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"boucle/syncserver"
)

// The key commands work on the key file alone: a running server reads it
// at start, so a rotation or a retirement takes effect at its next start.

func (m *Main) runKeysList(context.Context) error {
	path, err := m.cfg.keyFile()
	if err != nil {
		return err
	}
	keys, _, err := syncserver.LoadKeyFile(path, time.Now())
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "KID\tCREATED\tUSE")
	for i, k := range keys.Keys() {
		use := "verifies"
		if i == len(keys.Keys())-1 {
			use = "signs and verifies"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", k.Kid, k.Created.Format(time.DateTime), use)
	}
	return w.Flush()
}

func (m *Main) runKeysRotate(context.Context) error {
	path, err := m.cfg.keyFile()
	if err != nil {
		return err
	}
	kid, err := syncserver.RotateKeys(path, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Added key %s: it signs from the server's next start; older keys still verify until retired (boucle-server keys retire KID).\n", kid)
	return nil
}

func (m *Main) runKeysRetire(context.Context) error {
	path, err := m.cfg.keyFile()
	if err != nil {
		return err
	}
	if err := syncserver.RetireKey(path, m.args[0]); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Retired key %s: from the server's next start, its sessions and author keys are refused; their users sign in online again.\n", m.args[0])
	return nil
}
