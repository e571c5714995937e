// Package syncserver is the plant server: the Gin adapter that serves the
// sync protocol of package syncproto to enrolled workstations, the
// plant-wide views to managers and integrations, and the accounts, tokens
// and devices behind them, all kept in one boltstore file.
//
// The route table is Server.routes; errors carry the stable codes of
// package domain and are mapped to HTTP statuses in one table (errors.go);
// the protocol in prose is docs/sync-protocol.md. Administrator commands
// (users, stations, devices, backups) are the methods of Admin, which the
// boucle-server command runs in-process, or through the admin socket of a
// running server (adminsock.go).
package syncserver
