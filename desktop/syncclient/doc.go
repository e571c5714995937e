// Package syncclient is the workstation's half of the sync protocol
// (shared/syncproto): an HTTP Client for the routes, the sign-in of users
// online and offline, and the Syncer, the background loop that pushes the
// outbox, uploads evidence, pulls the plant's log into the local store and
// reports a Status the UI shows.
//
// The package never imports Fyne: the UI subscribes to Status and calls
// Notify after a local save, SyncNow on the user's demand.
//
// Behaviour the server relies on is written down in docs/sync-protocol.md,
// section "Client behaviour".
package syncclient
