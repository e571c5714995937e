package main

import (
	"fmt"
	"net/url"
	"strings"
)

// The plant's store is named by --store (BOUCLE_STORE): a directory holds
// the bbolt store (the default, and what --data names), a postgres:// URL
// a PostgreSQL database. Every command takes it, through commonFlags.

// storeKind is what a --store value names.
type storeKind int

const (
	storeDir      storeKind = iota // a data directory: the bbolt store
	storePostgres                  // postgres:// or postgresql://
)

// resolveStore reads --store and --data into the data directory every
// command opens: --store (or BOUCLE_STORE) wins over --data (or
// BOUCLE_DATA), unless both flags are given and differ. It refuses a store
// it cannot open with a message naming the flag.
func (c *config) resolveStore() error {
	if c.Store == "" {
		if c.Data == "" {
			return fmt.Errorf("no data directory: pass --data DIR or --store DIR (a PostgreSQL store: --store postgres://…), or set BOUCLE_DATA or BOUCLE_STORE")
		}
		return nil
	}
	kind, err := parseStore(c.Store)
	if err != nil {
		return err
	}
	switch {
	case kind == storePostgres:
		// The plant is in the database (--plant names it); --data, when
		// given, is only where the key file is kept (keyFile).
		c.Postgres = c.Store
		return nil
	case c.dataFlag && c.Data != c.Store:
		return fmt.Errorf("--store %s and --data %s name two different stores: pass one of them", c.Store, c.Data)
	}
	c.Data = c.Store
	return nil
}

// parseStore tells a directory from a database URL.
func parseStore(s string) (storeKind, error) {
	scheme, _, isURL := strings.Cut(s, "://")
	if !isURL {
		return storeDir, nil
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		if _, err := url.Parse(s); err != nil {
			return 0, fmt.Errorf("--store: not a valid postgres:// URL (%s)", redactStore(s))
		}
		return storePostgres, nil
	}
	return 0, fmt.Errorf("--store %s: a store is a directory or a postgres:// URL, not %s://", redactStore(s), scheme)
}

// redactStore hides a URL's password, which must not reach a terminal's
// scroll-back or a log.
func redactStore(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if scheme, _, ok := strings.Cut(s, "://"); ok {
			return scheme + "://…"
		}
		return s
	}
	return u.Redacted()
}
