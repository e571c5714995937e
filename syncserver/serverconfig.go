package syncserver

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"path/filepath"

	"boucle/shared/boltstore"
	"boucle/shared/domain"

	bolt "go.etcd.io/bbolt"
)

// StoreFile is the name of the store in the data directory.
const StoreFile = "boucle.db"

// Well-known keys of boltstore.BucketServerConfig.
var (
	keyEpoch          = []byte("epoch")           // the log's epoch: pull cursors are only valid within it
	keyEpochRestored  = []byte("epoch_restored")  // "1" when the epoch began with a restore from backup
	keyPreviousEpoch  = []byte("previous_epoch")  // the epoch before the restore
	keyRestorePending = []byte("restore_pending") // set in a backup copy: a server started from it renews its epoch
	keyLegacyJWTKey   = []byte("jwt_key")         // the HS256 key older versions kept here: removed at start
	keyDemo           = []byte("demo")            // set by the demo seed: the date it ran
)

// Epoch identifies one history of the server's log. A restore from backup
// starts a new one: log positions handed out after the backup are reused,
// so cursors of the old epoch mean nothing in the new one.
type Epoch struct {
	ID       string `json:"id"`
	Restored bool   `json:"restored,omitempty"` // began with a restore (for the record: it grants nothing)
	Previous string `json:"previous,omitempty"`
}

// OpenStore opens the server's store in dir (creating it) and prepares it:
// an epoch on first open, a new epoch and replica id when the file is a
// backup copy opened for the first time. Every subcommand opens the store
// through it, so a restored copy is renewed before anything is recorded.
func OpenStore(dir string, opts boltstore.Options, log *slog.Logger) (*boltstore.Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("no data directory: pass --data or set BOUCLE_DATA")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	store, err := boltstore.Open(filepath.Join(dir, StoreFile), opts)
	if domain.ErrorCode(err) == boltstore.ECorrupt {
		return nil, restoreHint(dir, err)
	}
	if err != nil {
		return nil, err
	}
	if err := prepareStore(store, log); err != nil {
		store.Close()
		return nil, err
	}
	if err := assignMissingSeries(store); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func prepareStore(store *boltstore.Store, log *slog.Logger) error {
	var renew bool
	var ep Epoch
	err := store.Update(func(t *boltstore.Tx) error {
		b := t.Bolt().Bucket(boltstore.BucketServerConfig)
		old := string(b.Get(keyEpoch))
		renew = b.Get(keyRestorePending) != nil
		switch {
		case old == "":
			ep = Epoch{ID: newEpochID()}
		case renew:
			ep = Epoch{ID: newEpochID(), Restored: true, Previous: old}
		default:
			return nil
		}
		return putEpoch(b, ep)
	})
	if err != nil || !renew {
		return err
	}
	replica, err := store.RenewReplica()
	if err != nil {
		return err
	}
	log.Warn("store restored from a backup: new epoch; workstations will re-push what it lacks",
		"epoch", ep.ID, "previous_epoch", ep.Previous, "replica", replica)
	return nil
}

func putEpoch(b *bolt.Bucket, ep Epoch) error {
	if err := b.Put(keyEpoch, []byte(ep.ID)); err != nil {
		return err
	}
	if ep.Restored {
		if err := b.Put(keyEpochRestored, []byte("1")); err != nil {
			return err
		}
		if err := b.Put(keyPreviousEpoch, []byte(ep.Previous)); err != nil {
			return err
		}
	}
	return b.Delete(keyRestorePending)
}

// readEpoch reads the epoch saved by OpenStore.
func readEpoch(tx *bolt.Tx) Epoch {
	b := tx.Bucket(boltstore.BucketServerConfig)
	return Epoch{ID: string(b.Get(keyEpoch)), Restored: string(b.Get(keyEpochRestored)) == "1", Previous: string(b.Get(keyPreviousEpoch))}
}

// markRestorePending flags a backup copy so that a server started from it
// begins a new epoch.
func markRestorePending(path string) error {
	backup, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		return err
	}
	err = backup.Update(func(t *boltstore.Tx) error {
		return t.Bolt().Bucket(boltstore.BucketServerConfig).Put(keyRestorePending, []byte("1"))
	})
	if cerr := backup.Close(); err == nil {
		err = cerr
	}
	return err
}

// newEpochID returns a random id without ':' (the cursor separator).
func newEpochID() string { return hex.EncodeToString(randomBytes(8)) }

// randomBytes reads n bytes from the system's secure generator.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported systems (Go 1.24+ panics rather than return an error)
	return b
}
