package sqlite

import (
	"errors"

	"github.com/retort-orm/retort/core"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ core.ErrorTranslator = (*Dialect)(nil)

// TranslateError implements [core.ErrorTranslator] for modernc.org/sqlite:
// it reads the result code of a *sqlite.Error (primary or extended; the
// primary code is its low byte) and classifies it as Python's sqlite3
// module does, which is what SQLAlchemy reports:
//
//   - SQLITE_CONSTRAINT and its extended codes (UNIQUE, PRIMARYKEY,
//     FOREIGNKEY, NOTNULL, CHECK, DATATYPE, …): IntegrityError;
//   - SQLITE_ERROR (a syntax error, no such table or column, integer
//     overflow), SQLITE_BUSY, LOCKED, IOERR, CANTOPEN, FULL, NOMEM,
//     INTERRUPT (a cancelled context), READONLY, PERM, ABORT, PROTOCOL,
//     EMPTY, SCHEMA, NOLFS, AUTH: OperationalError. SQLite gives a syntax error and a
//     missing table the same code as a locked database, so they are not
//     ProgrammingError here; Python's sqlite3 makes the same choice;
//   - SQLITE_TOOBIG and SQLITE_MISMATCH: DataError (Python's sqlite3 calls
//     MISMATCH an IntegrityError; a STRICT table's type check is
//     SQLITE_CONSTRAINT_DATATYPE, which stays an IntegrityError);
//   - SQLITE_MISUSE and SQLITE_RANGE (a bind index out of range):
//     InterfaceError;
//   - SQLITE_INTERNAL and SQLITE_NOTFOUND: InternalError;
//   - SQLITE_CORRUPT, NOTADB and anything else: DatabaseError
//     ([core.ErrorUnknown]).
//
// SQLite has no connection to lose: only the errors of
// [core.ConnectionLost] (driver.ErrBadConn and the like) report a
// disconnect.
func (d *Dialect) TranslateError(err error) (core.ErrorKind, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return ErrorKindOf(se.Code()), false
	}
	if core.ConnectionLost(err) {
		return core.ErrorOperational, true
	}
	return core.ErrorUnknown, false
}

// ErrorKindOf classifies a primary or extended SQLite result code, the
// value of (*sqlite.Error).Code(), as [Dialect.TranslateError] does.
func ErrorKindOf(code int) core.ErrorKind {
	switch code & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		return core.ErrorIntegrity
	case sqlite3.SQLITE_ERROR, sqlite3.SQLITE_PERM, sqlite3.SQLITE_ABORT, sqlite3.SQLITE_BUSY,
		sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_INTERRUPT,
		sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL,
		sqlite3.SQLITE_EMPTY, sqlite3.SQLITE_SCHEMA, sqlite3.SQLITE_NOLFS, sqlite3.SQLITE_AUTH:
		return core.ErrorOperational
	case sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_MISMATCH:
		return core.ErrorData
	case sqlite3.SQLITE_MISUSE, sqlite3.SQLITE_RANGE:
		return core.ErrorInterface
	case sqlite3.SQLITE_INTERNAL, sqlite3.SQLITE_NOTFOUND:
		return core.ErrorInternal
	}
	return core.ErrorUnknown
}
