package syncserver_test

import (
	"os"
	"testing"

	"boucle/internal/pgtest"
)

// TestMain stops the PostgreSQL the log's contract started, if it did
// (store_log_contract_test.go).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
