package postgresql

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/retort-orm/retort/core"
)

var _ core.ErrorTranslator = (*Dialect)(nil)

// TranslateError implements [core.ErrorTranslator] for pgx. It classifies
// a server error by the SQLSTATE of its *pgconn.PgError, following
// psycopg2's mapping, which is what SQLAlchemy sees:
//
//	class 0A                         NotSupported
//	class 20, 21, 3D, 3F, 42, 44     Programming (42P01 undefined table, 42601 syntax …)
//	class 22                         Data
//	class 23                         Integrity
//	class 24, 25, 2B, 2D, 2F, 38, 39, 3B, F0, P0, XX
//	                                 Internal
//	class 08, 26, 27, 28, 34, 40, 53, 54, 55, 57, 58, HV
//	                                 Operational (40001 serialization failure,
//	                                 40P01 deadlock, 55P03 lock not available,
//	                                 57014 query cancelled, 57P01 admin shutdown …)
//
// The connection is reported lost (disconnect) for class 08, for 57P01,
// 57P02 and 57P03, and for any FATAL or PANIC error, after which PostgreSQL
// closes the session. Errors that never reached a server answer are
// operational disconnects too: a failed connection attempt
// (*pgconn.ConnectError, whatever the server said), a network error (net.Error, io.EOF,
// io.ErrUnexpectedEOF, a reset or broken pipe), a pgconn timeout (pgx closes
// the connection when a deadline interrupts a query) and an operation on a
// closed connection (pgconn.ErrConnClosed). A context error is operational;
// it is a disconnect unless pgconn reports that nothing was sent
// (pgconn.SafeToRetry), because pgx closes a connection whose query was
// interrupted.
//
// Nothing is classified by message text. Anything else is ErrorUnknown.
func (d *Dialect) TranslateError(err error) (kind core.ErrorKind, disconnect bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		kind = KindOfSQLState(pgErr.Code)
		disconnect = disconnectSQLState(pgErr.Code) ||
			pgErr.SeverityUnlocalized == "FATAL" || pgErr.SeverityUnlocalized == "PANIC" ||
			(pgErr.SeverityUnlocalized == "" && (pgErr.Severity == "FATAL" || pgErr.Severity == "PANIC"))
		var ce *pgconn.ConnectError
		if errors.As(err, &ce) {
			// A server error while connecting (too many clients, bad
			// password, database missing): no session exists, and, as
			// with psycopg2, a failed connect is operational.
			return core.ErrorOperational, true
		}
		return kind, disconnect
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return core.ErrorOperational, !pgconn.SafeToRetry(err)
	}
	var ce *pgconn.ConnectError
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.As(err, &ce),
		pgconn.Timeout(err),
		errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.As(err, &opErr),
		errors.As(err, &netErr):
		return core.ErrorOperational, true
	}
	return core.ErrorUnknown, false
}

// KindOfSQLState returns the error kind of a PostgreSQL SQLSTATE code (see
// [Dialect.TranslateError]); ErrorUnknown for a code of no known class.
func KindOfSQLState(code string) core.ErrorKind {
	if len(code) != 5 {
		return core.ErrorUnknown
	}
	switch code[:2] {
	case "0A":
		return core.ErrorNotSupported
	case "20", "21", "3D", "3F", "42", "44":
		return core.ErrorProgramming
	case "22":
		return core.ErrorData
	case "23":
		return core.ErrorIntegrity
	case "24", "25", "2B", "2D", "2F", "38", "39", "3B", "F0", "P0", "XX":
		return core.ErrorInternal
	case "08", "26", "27", "28", "34", "40", "53", "54", "55", "57", "58", "HV":
		return core.ErrorOperational
	}
	return core.ErrorUnknown
}

// disconnectSQLState reports the codes after which the session is gone.
func disconnectSQLState(code string) bool {
	switch code {
	case "57P01", // admin_shutdown (pg_terminate_backend)
		"57P02", // crash_shutdown
		"57P03": // cannot_connect_now
		return true
	}
	return len(code) == 5 && code[:2] == "08"
}
