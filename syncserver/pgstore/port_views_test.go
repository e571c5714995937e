package pgstore_test

import (
	"boucle/syncserver"
	"boucle/syncserver/pgstore"
)

// The whole store port: a plant's transactions are every port's, and a
// Server is an adapter (syncserver.StoreOn takes it).
var (
	_ syncserver.StoreTx                   = (*pgstore.Tx)(nil)
	_ syncserver.Transactions[*pgstore.Tx] = (*pgstore.Server)(nil)
)
