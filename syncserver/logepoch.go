package syncserver

// readEpoch reads the epoch inside a transaction of the log (push, pull
// and the sync state, sync.go), so that a cursor and its epoch come from
// one snapshot.
func readEpoch(t Settings) Epoch {
	ep, _ := epochIn(t)
	return ep
}
