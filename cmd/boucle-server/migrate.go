package main

import (
	"context"
	"flag"
	"fmt"

	"boucle/syncserver/plantmove"
)

// migrate copies a plant from its bbolt store to PostgreSQL
// (syncserver/plantmove): docs/deployment.md, "Moving a plant from bbolt
// to PostgreSQL".

// migrateSettings are migrate's own flags.
type migrateSettings struct {
	From string // the data directory of the bbolt store
	To   string // the PostgreSQL URL
}

func migrateFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Migrate.From, "from", "", "the data directory of the plant's bbolt store (the server stopped)")
	to := ""
	if kind, err := parseStore(c.Store); err == nil && kind == storePostgres {
		to = c.Store // BOUCLE_STORE, when it names the database
	}
	fs.StringVar(&c.Migrate.To, "to", to, "the PostgreSQL database, postgres://user@host:port/database (default: BOUCLE_STORE when it is one)")
}

// migrateStores checks --from and --to before anything is opened, and
// points the common settings at the source: the store migrate opens is
// --from's.
func migrateStores(c *config) error {
	if c.Migrate.From == "" {
		return fmt.Errorf("migrate: --from is required: the data directory of the plant's bbolt store")
	}
	if kind, err := parseStore(c.Migrate.From); err != nil || kind != storeDir {
		return fmt.Errorf("migrate --from %s: the source is a data directory (a bbolt store), not a URL", redactStore(c.Migrate.From))
	}
	if c.Migrate.To == "" {
		return fmt.Errorf("migrate: --to is required: the PostgreSQL database, postgres://user@host:port/database")
	}
	if kind, err := parseStore(c.Migrate.To); err != nil || kind != storePostgres {
		return fmt.Errorf("migrate --to %s: the target is a postgres:// URL", redactStore(c.Migrate.To))
	}
	c.Store, c.Data, c.dataFlag = "", c.Migrate.From, false
	return nil
}

// runMigrate copies the plant, or checks the copy made before, and says
// what it found.
func (m *Main) runMigrate(ctx context.Context) error {
	to := redactStore(m.cfg.Migrate.To)
	r, err := plantmove.Migrate(ctx, m.cfg.Migrate.From, m.cfg.Migrate.To, m.cfg.Plant, plantmove.Options{})
	if err != nil {
		return fmt.Errorf("migrate %s to plant %q of %s: %w", m.cfg.Migrate.From, m.cfg.Plant, to, err)
	}
	c := r.Counts
	if r.AlreadyThere {
		fmt.Fprintf(m.Stdout, "plant %q of %s already holds this log (epoch %s, %d events): nothing copied, the copy checked.\n", r.Plant, to, r.Epoch, c["events"])
	} else {
		fmt.Fprintf(m.Stdout, "plant %q copied from %s to %s (epoch %s).\n", r.Plant, m.cfg.Migrate.From, to, r.Epoch)
	}
	fmt.Fprintf(m.Stdout, "  events %d, refusals %d, replicas %d\n", c["events"], c["rejections"], c["replica_marks"])
	fmt.Fprintf(m.Stdout, "  accounts %d, devices %d, enrolment codes %d, refresh tokens %d in %d sign-ins, settings %d\n",
		c["accounts"], c["devices"], c["enrolments"], c["refresh_tokens"], c["refresh_families"], c["settings"])
	fmt.Fprintf(m.Stdout, "  evidence files %d (%d not referenced yet)\n", c["evidence"], c["evidence_uploads"])
	fmt.Fprintf(m.Stdout, "  states refolded on PostgreSQL: the same as the bbolt store's (hash %x)\n", r.StatesHash[:8])
	keyFile, _ := m.cfg.keyFile() // --from's key file when --key-file is not given: never an error
	fmt.Fprintf(m.Stdout, "The key file stays where it is: give the servers on PostgreSQL the same --key-file (%s), or every session and author key is lost.\n", keyFile)
	return nil
}
