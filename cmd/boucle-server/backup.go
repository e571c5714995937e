package main

import "fmt"

// backupOfDatabase refuses `backup` on a PostgreSQL store before the store
// is opened: the database's own backups (pg_dump, or base backups with the
// WAL archived) already copy every plant in it consistently, with
// point-in-time recovery, which a second copy by boucle-server would not
// improve. The answer says so and where the guide says how.
func backupOfDatabase(c *config) error {
	if kind, err := parseStore(c.Store); err != nil || kind != storePostgres {
		return nil // a directory, or a value resolveStore refuses with its own message
	}
	return fmt.Errorf("backup --store %s: a PostgreSQL store is backed up by PostgreSQL itself, not by boucle-server: "+
		"pg_dump for a copy of the database, or pg_basebackup with the WAL archived for a restore to any moment; "+
		"see docs/deployment.md, \"Backups\". The key file (--key-file) is not in the database: back it up apart. "+
		"boucle-server backup copies a bbolt store (--store DIR or --data DIR)", redactStore(c.Store))
}
