package pgstore_test

import (
	"boucle/syncserver"
	"boucle/syncserver/pgstore"
)

// The records' and the evidence's sides of the server's store port,
// whole: a change of the port fails the build here. (The directory,
// Reference and RecordServerEvent, waits for the projections.)
var (
	_ syncserver.Accounts      = (*pgstore.Tx)(nil)
	_ syncserver.DeviceRecords = (*pgstore.Tx)(nil)
	_ syncserver.Enrolments    = (*pgstore.Tx)(nil)
	_ syncserver.RefreshTokens = (*pgstore.Tx)(nil)
	_ syncserver.Settings      = (*pgstore.Tx)(nil)
	_ syncserver.EvidenceTx    = (*pgstore.Tx)(nil)
)
