package mssql

import (
	"errors"

	gomssql "github.com/microsoft/go-mssqldb"
	"github.com/retort-orm/retort/core"
)

var _ core.ErrorTranslator = (*Dialect)(nil)

// TranslateError implements [core.ErrorTranslator] for
// github.com/microsoft/go-mssqldb. An mssql.Error is classified by its
// Number ([ErrorKindOf]); when that number is not one Retort knows, the
// earlier errors of the same batch (Error.All, last first) are tried, so a
// batch that ends on a generic error keeps the kind of its cause.
//
// A disconnect is reported for:
//
//   - mssql.ServerError (the server aborted the session) and any error of
//     severity (Class) 20 or more, which ends the connection;
//   - the numbers of [IsDisconnectNumber], SQLAlchemy's mssql dialects'
//     list in SQL Server numbers (233, 10053, 10054, 3971, …);
//   - mssql.StreamError (a broken TDS stream: InterfaceError);
//   - the errors of [core.ConnectionLost] (driver.ErrBadConn, which
//     mssql.RetryableError matches, io.EOF, network errors).
//
// A query cancelled by its context gives the context's error, which
// [core.NewDBError] makes an OperationalError.
func (d *Dialect) TranslateError(err error) (core.ErrorKind, bool) {
	var srv gomssql.ServerError
	if errors.As(err, &srv) {
		kind := core.ErrorOperational
		var inner gomssql.Error
		if errors.As(srv.Unwrap(), &inner) {
			if k := errorKind(inner); k != core.ErrorUnknown {
				kind = k
			}
		}
		return kind, true
	}
	var se gomssql.Error
	if errors.As(err, &se) {
		kind := errorKind(se)
		disconnect := se.Class >= 20 || IsDisconnectNumber(se.Number)
		if kind == core.ErrorUnknown && disconnect {
			kind = core.ErrorOperational
		}
		return kind, disconnect
	}
	var stream gomssql.StreamError
	if errors.As(err, &stream) {
		return core.ErrorInterface, true
	}
	if core.ConnectionLost(err) {
		return core.ErrorOperational, true
	}
	return core.ErrorUnknown, false
}

// errorKind classifies e by its number, then by the other errors of its
// batch, last first.
func errorKind(e gomssql.Error) core.ErrorKind {
	if k := ErrorKindOf(e.Number); k != core.ErrorUnknown {
		return k
	}
	for i := len(e.All) - 1; i >= 0; i-- {
		if k := ErrorKindOf(e.All[i].Number); k != core.ErrorUnknown {
			return k
		}
	}
	return core.ErrorUnknown
}

// ErrorKindOf classifies a SQL Server error number (mssql.Error.Number, or
// SQLErrorNumber()):
//
//   - IntegrityError: 2627 unique or primary key constraint, 2601 unique
//     index, 547 foreign key or check constraint, 515 NULL into a NOT NULL
//     column, 1505 duplicate key while creating a unique index;
//   - DataError: truncation (8152, 2628), conversion (245, 8114, 8115,
//     241, 242, 248, 295, 8169), arithmetic overflow (220, 232, 517),
//     division by zero 8134, invalid floating point operation 3623;
//   - ProgrammingError: syntax (102, 105, 156), invalid column or object
//     (207, 208), 4104 unbound multi-part identifier, 209 ambiguous
//     column, 137 undeclared variable, wrong argument or value counts (109,
//     110, 174, 201, 213, 8144), 512 subquery returned more than one
//     value, 2714/2705/1913 already exists, 3701 cannot drop, 2812 no such
//     procedure, 8120 GROUP BY misuse, 195 unknown function, 4145
//     non-boolean condition, 544/8101 explicit identity value, foreign key
//     definitions (1767, 1776, 1785), permission denied (229, 230, 262);
//   - OperationalError: deadlock 1205, lock timeout 1222, snapshot update
//     conflict 3960, out of memory or space (701, 802, 8645, 1105, 9002),
//     login and database availability (18456, 4060, 4064), Azure SQL
//     transient errors (40197, 40501, 40613, 10928, 10929, 49918–49920,
//     40549–40553), and every number of [IsDisconnectNumber];
//   - InternalError: 8624 internal query processor error;
//   - NotSupportedError: 40508, 40510, 40512 (not supported on Azure SQL).
//
// Any other number is a DatabaseError ([core.ErrorUnknown]).
func ErrorKindOf(number int32) core.ErrorKind {
	switch number {
	case 2627, 2601, 547, 515, 1505:
		return core.ErrorIntegrity
	case 8152, 2628, 245, 8114, 8115, 241, 242, 248, 295, 8169, 220, 232, 517, 8134, 3623:
		return core.ErrorData
	case 102, 105, 156, 207, 208, 4104, 209, 137, 109, 110, 174, 201, 213, 8144, 512,
		2714, 2705, 1913, 3701, 2812, 8120, 195, 4145, 544, 8101, 1767, 1776, 1785, 229, 230, 262:
		return core.ErrorProgramming
	case 1205, 1222, 3960, 701, 802, 8645, 1105, 9002, 18456, 4060, 4064,
		40197, 40501, 40613, 10928, 10929, 49918, 49919, 49920, 40549, 40550, 40551, 40552, 40553:
		return core.ErrorOperational
	case 8624:
		return core.ErrorInternal
	case 40508, 40510, 40512:
		return core.ErrorNotSupported
	}
	if IsDisconnectNumber(number) {
		return core.ErrorOperational
	}
	return core.ErrorUnknown
}

// IsDisconnectNumber reports whether a SQL Server error number means the
// connection is gone: SQLAlchemy's mssql dialects list these as SQLSTATEs
// and messages (08S01, 10054, "connection reset", "failed to resume the
// transaction", …); in SQL Server numbers they are -2 (client timeout),
// 233 (no process on the other end of the pipe), 596 (session in the kill
// state), 3971 (failed to resume the transaction), 6005 (shutdown in
// progress), 10053, 10054, 10060, 10061, 11001 (transport), 40197, 40613
// and 40549–40553 (Azure SQL ended the session).
func IsDisconnectNumber(number int32) bool {
	switch number {
	case -2, 233, 596, 3971, 6005, 10053, 10054, 10060, 10061, 11001,
		40197, 40613, 40549, 40550, 40551, 40552, 40553:
		return true
	}
	return false
}
