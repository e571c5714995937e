package pgstore

import (
	"errors"
	"fmt"
	"io"
	"net"

	"boucle/shared/domain"

	"github.com/jackc/pgx/v5/pgconn"
)

// unavailable turns a failure to reach the database into EUnavailable, so
// that the server answers 503 with Retry-After (syncserver/errors.go) and
// the workstation tries again later, keeping its outbox; any other error
// is returned as it is. A refused connection, a connection lost or timed
// out, and a server shutting down or starting up are unavailability; a
// statement's own failure is not.
func unavailable(err error) error {
	if err == nil || !isUnreachable(err) {
		return err
	}
	return fmt.Errorf("%w (%w)", errDatabaseUnreachable, err)
}

// isUnreachable reports whether err says the database could not be
// reached or went away.
func isUnreachable(err error) bool {
	var pgErr *pgconn.PgError
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &pgErr):
		// The server answered. Class 08: connection exception;
		// 57P01-57P03: it shuts down, crashed, or is starting up. Any
		// other (a refused password, an unknown database) is no outage:
		// waiting would not mend it.
		return pgErr.Code[:2] == "08" || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	case errors.As(err, &connect), errors.As(err, &netErr), pgconn.Timeout(err):
		return true
	}
	// ErrConnClosed: the connection was lost under a previous statement.
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, pgconn.ErrConnClosed)
}

// errDatabaseUnreachable is what the client is told; the cause is logged.
var errDatabaseUnreachable = &domain.Error{Code: domain.EUnavailable, Message: "the database cannot be reached: try again shortly"}
