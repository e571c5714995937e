// Package boltserver is the bbolt adapter of the server's storage port
// (syncserver/store.go): the server's records kept in the plant's bbolt
// file, in the buckets shared/boltstore/schema.go declares, beside the log
// and projections shared/boltstore keeps. It is the only server package
// that reads those buckets.
package boltserver

import (
	"context"
	"encoding/json"
	"errors"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/shared/hlc"

	bolt "go.etcd.io/bbolt"
)

// Store adapts a server's boltstore.Store.
type Store struct{ db *boltstore.Store }

// New returns the adapter of a store opened by syncserver.OpenStore.
func New(db *boltstore.Store) *Store { return &Store{db: db} }

// Tx is one bbolt transaction seen through the port. It embeds the
// boltstore transaction for the directory's reads (State, Users, ...).
type Tx struct {
	*boltstore.Tx
}

// View runs fn in a read-only bbolt transaction.
// A bbolt transaction is local and short: the context is not consulted,
// so that a request whose client went away still commits what it began,
// as before the port.
func (s *Store) View(_ context.Context, fn func(*Tx) error) error {
	return s.db.View(func(t *boltstore.Tx) error { return fn(&Tx{t}) })
}

// Update runs fn in a read-write bbolt transaction, committed when fn
// returns nil.
func (s *Store) Update(_ context.Context, fn func(*Tx) error) error {
	return s.db.Update(func(t *boltstore.Tx) error { return fn(&Tx{t}) })
}

// CatchUp folds what the log holds and the projections lack.
func (s *Store) CatchUp(context.Context) error { return s.db.CatchUp() }

// Clock is the store's hybrid logical clock.
func (s *Store) Clock() *hlc.Clock { return s.db.Clock() }

// Replica is the store's own replica id.
func (s *Store) Replica() string { return s.db.Replica() }

// AcknowledgeOutbox acknowledges whatever the server recorded through
// helpers that fill the outbox (Store.SeedReference, the demo).
func (s *Store) AcknowledgeOutbox(context.Context) error {
	return s.db.Update(func(t *boltstore.Tx) error {
		evs, err := t.Outbox(t.OutboxLen())
		if err != nil {
			return err
		}
		for _, e := range evs {
			if err := t.Acknowledge(e.Seq); err != nil {
				return err
			}
		}
		return nil
	})
}

// Backup writes a hot copy of the store to dest (bbolt's Tx.WriteTo),
// then opens the copy and runs prepare in a transaction of it.
func (s *Store) Backup(ctx context.Context, dest string, prepare func(*Tx) error) error {
	if err := s.db.Backup(dest); err != nil {
		return err
	}
	backup, err := boltstore.Open(dest, boltstore.Options{})
	if err != nil {
		return err
	}
	err = New(backup).Update(ctx, prepare)
	if cerr := backup.Close(); err == nil {
		err = cerr
	}
	return err
}

// Project folds up to limit events awaiting projection.
func (s *Store) Project(_ context.Context, limit int) (uint64, error) { return s.db.Project(limit) }

// Health reads the schema version and the log's last page.
func (s *Store) Health(context.Context) error { return s.db.Health() }

// QuarantinedCount is how many logged events failed their check.
func (s *Store) QuarantinedCount() int { return s.db.QuarantinedCount() }

// OnQuarantine sets the function told of each newly quarantined event.
func (s *Store) OnQuarantine(fn func(boltstore.Quarantined)) { s.db.OnQuarantine(fn) }

// Quarantined lists the quarantined events.
func (s *Store) Quarantined(context.Context) (out []boltstore.Quarantined, err error) {
	err = s.db.View(func(t *boltstore.Tx) error { out = t.Quarantined(); return nil })
	return out, err
}

// IsClosed reports whether err is bbolt's refusal of a closed file.
func (s *Store) IsClosed(err error) bool { return errors.Is(err, bolt.ErrDatabaseNotOpen) }

// RecordServerEvent records cmd in actor's name and acknowledges it: the
// server's own events need no outbox.
func (t *Tx) RecordServerEvent(actor boltstore.Actor, cmd boltstore.Command) error {
	e, err := t.Record(actor, cmd)
	if err != nil {
		return err
	}
	return t.Acknowledge(e.Seq)
}

func (t *Tx) bucket(name []byte) *bolt.Bucket { return t.Bolt().Bucket(name) }

// putJSON stores v as JSON under key.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// getJSON reads the JSON value under key into a new T; nil when the key
// is absent.
func getJSON[T any](b *bolt.Bucket, key []byte) (*T, error) {
	raw := b.Get(key)
	if raw == nil {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, domain.Errorf(domain.EInternal, "corrupt record %q: %v", key, err)
	}
	return v, nil
}

// eachJSON decodes every value of b whose key starts with prefix, in key
// order; values that do not decode are skipped, as the server always did
// when listing.
func eachJSON[T any](b *bolt.Bucket, prefix []byte, fn func(k []byte, v *T) error) error {
	c := b.Cursor()
	for k, raw := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, raw = c.Next() {
		v := new(T)
		if json.Unmarshal(raw, v) != nil {
			continue
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func hasPrefix(k, prefix []byte) bool {
	return len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix)
}
