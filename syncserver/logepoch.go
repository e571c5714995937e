package syncserver

import (
	"boucle/syncserver/boltserver"

	bolt "go.etcd.io/bbolt"
)

// readEpoch reads the epoch inside a transaction of the log (push, pull
// and the sync state, sync.go), so that a cursor and its epoch come from
// one snapshot. It goes away when the log moves behind the port.
func readEpoch(tx *bolt.Tx) Epoch {
	ep, _ := epochIn(boltserver.SettingsOf(tx))
	return ep
}
