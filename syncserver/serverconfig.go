package syncserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"path/filepath"

	"boucle/shared/boltstore"
	"boucle/shared/domain"
	"boucle/syncserver/boltserver"
)

// StoreFile is the name of the store in the data directory.
const StoreFile = "boucle.db"

// The server's settings (the port's Settings), by name. On bbolt they are
// the keys of boltstore.BucketServerConfig.
const (
	settingEpoch          = "epoch"              // the log's epoch: pull cursors are only valid within it
	settingEpochRestored  = "epoch_restored"     // "1" when the epoch began with a restore from backup
	settingPreviousEpoch  = "previous_epoch"     // the epoch before the restore
	settingRestorePending = "restore_pending"    // set in a backup copy: a server started from it renews its epoch
	settingLegacyJWTKey   = "jwt_key"            // the HS256 key older versions kept here: removed at start
	settingDemo           = "demo"               // set by the demo seed: the date it ran
	settingSeriesNext     = "number_series_next" // the number of complaint number series handed out (series.go)
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
	access := boltAccess(store)
	if err := prepareStore(store, access, log); err != nil {
		store.Close()
		return nil, err
	}
	if err := assignMissingSeries(access); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// boltPorts are the ports of a bbolt store: the adapter every server runs
// on until the log and the views move behind the port too (store.go).
func boltPorts(store *boltstore.Store) Store { return StoreOn(boltserver.New(store)) }

// boltAccess is the AccessStore of a bbolt store.
func boltAccess(store *boltstore.Store) AccessStore { return boltPorts(store) }

func prepareStore(store *boltstore.Store, access AccessStore, log *slog.Logger) error {
	var renew bool
	var ep Epoch
	err := access.UpdateAccess(context.Background(), func(t AccessTx) error { // at open
		old, err := epochIn(t)
		if err != nil {
			return err
		}
		pending, err := t.Setting(settingRestorePending)
		if err != nil {
			return err
		}
		renew = pending != nil
		switch {
		case old.ID == "":
			ep = Epoch{ID: newEpochID()}
		case renew:
			ep = Epoch{ID: newEpochID(), Restored: true, Previous: old.ID}
		default:
			return nil
		}
		return putEpoch(t, ep)
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

func putEpoch(t Settings, ep Epoch) error {
	if err := t.PutSetting(settingEpoch, []byte(ep.ID)); err != nil {
		return err
	}
	if ep.Restored {
		if err := t.PutSetting(settingEpochRestored, []byte("1")); err != nil {
			return err
		}
		if err := t.PutSetting(settingPreviousEpoch, []byte(ep.Previous)); err != nil {
			return err
		}
	}
	return t.DeleteSetting(settingRestorePending)
}

// epochIn reads the epoch saved by OpenStore.
func epochIn(t Settings) (Epoch, error) {
	names := []string{settingEpoch, settingEpochRestored, settingPreviousEpoch}
	raw, err := settingsOf(t, names...)
	if err != nil {
		return Epoch{}, err
	}
	return Epoch{ID: string(raw[0]), Restored: string(raw[1]) == "1", Previous: string(raw[2])}, nil
}

// settingsOf reads names in one round trip where the store can
// (SettingsReader), one by one otherwise.
func settingsOf(t Settings, names ...string) ([][]byte, error) {
	if r, ok := t.(SettingsReader); ok {
		return r.SettingsOf(names...)
	}
	raw := make([][]byte, len(names))
	for i, name := range names {
		var err error
		if raw[i], err = t.Setting(name); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// newEpochID returns a random id without ':' (the cursor separator).
func newEpochID() string { return hex.EncodeToString(randomBytes(8)) }

// randomBytes reads n bytes from the system's secure generator.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported systems (Go 1.24+ panics rather than return an error)
	return b
}
