package core

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"unicode/utf8"
)

// ErrorKind classifies a database error as the DB-API (PEP 249) does, which
// is SQLAlchemy's hierarchy.
type ErrorKind uint8

// Error kinds.
const (
	ErrorUnknown      ErrorKind = iota // a DatabaseError of no finer kind
	ErrorInterface                     // the driver itself failed
	ErrorData                          // bad data: overflow, invalid value, division by zero
	ErrorOperational                   // the database: connection lost, deadlock, timeout, out of resources
	ErrorIntegrity                     // a constraint: unique, foreign key, not null, check
	ErrorInternal                      // the database's internal error
	ErrorProgramming                   // bad SQL, missing table, wrong number of parameters
	ErrorNotSupported                  // a feature the database does not have
)

var kindNames = [...]string{
	ErrorUnknown: "DatabaseError", ErrorInterface: "InterfaceError", ErrorData: "DataError",
	ErrorOperational: "OperationalError", ErrorIntegrity: "IntegrityError", ErrorInternal: "InternalError",
	ErrorProgramming: "ProgrammingError", ErrorNotSupported: "NotSupportedError",
}

// String is the SQLAlchemy name of the kind.
func (k ErrorKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "DatabaseError"
}

// DBError is an error raised by the database or its driver while running a
// statement. It keeps the driver's error (Unwrap), the statement and its
// parameters (hidden from Error() when the engine hides parameters).
//
// Match a kind with errors.Is against the sentinels (errors.Is(err,
// core.ErrIntegrity)) or errors.As into *DBError and read Kind.
type DBError struct {
	Kind       ErrorKind
	Statement  string
	Params     []any
	HideParams bool
	// Disconnect reports that the connection was lost; the pool discards it.
	Disconnect bool
	Orig       error
}

func (e *DBError) Error() string {
	var b strings.Builder
	b.WriteString("retort: ")
	b.WriteString(e.Kind.String())
	b.WriteString(": ")
	if e.Orig != nil {
		b.WriteString(e.Orig.Error())
	}
	if e.Statement != "" {
		b.WriteString("\n[SQL: ")
		b.WriteString(e.Statement)
		b.WriteString("]")
		if e.HideParams {
			b.WriteString("\n[parameters hidden]")
		} else if len(e.Params) > 0 {
			b.WriteString("\n[parameters: ")
			writeParams(&b, e.Params)
			b.WriteString("]")
		}
	}
	return b.String()
}

// Unwrap returns the driver's error.
func (e *DBError) Unwrap() error { return e.Orig }

// The limits of the parameters an error message shows, SQLAlchemy's: at
// most maxShownParams values (the first and the last half), each at most
// maxParamChars characters (its start and its end).
const (
	maxShownParams = 100
	maxParamChars  = 300
)

// writeParams writes params as fmt's %v does ("[a b c]"), shortened as
// SQLAlchemy shortens the parameters of its error messages: past 100
// values only the first and last 50 are shown, and a value longer than
// 300 characters keeps its first and last 150. (A bulk insert's batch has
// thousands of parameters.)
func writeParams(b *strings.Builder, params []any) {
	b.WriteByte('[')
	for i, p := range params {
		if len(params) > maxShownParams && i == maxShownParams/2 {
			fmt.Fprintf(b, " ... %d parameters truncated ...", len(params)-maxShownParams)
		}
		if len(params) > maxShownParams && i >= maxShownParams/2 && i < len(params)-maxShownParams/2 {
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		s := fmt.Sprint(p)
		if n := utf8.RuneCountInString(s); n > maxParamChars {
			r := []rune(s)
			half := maxParamChars / 2
			s = fmt.Sprintf("%s ... (%d characters truncated) ... %s", string(r[:half]), n-maxParamChars, string(r[n-half:]))
		}
		b.WriteString(s)
	}
	b.WriteByte(']')
}

// Is matches the kind sentinels: errors.Is(err, ErrIntegrity).
func (e *DBError) Is(target error) bool {
	if k, ok := target.(kindSentinel); ok {
		return ErrorKind(k) == e.Kind || (ErrorKind(k) == ErrorUnknown)
	}
	return false
}

type kindSentinel ErrorKind

func (k kindSentinel) Error() string { return "retort: " + ErrorKind(k).String() }

// Sentinels for errors.Is. ErrDatabase matches every DBError.
var (
	ErrDatabase     error = kindSentinel(ErrorUnknown)
	ErrInterface    error = kindSentinel(ErrorInterface)
	ErrData         error = kindSentinel(ErrorData)
	ErrOperational  error = kindSentinel(ErrorOperational)
	ErrIntegrity    error = kindSentinel(ErrorIntegrity)
	ErrInternal     error = kindSentinel(ErrorInternal)
	ErrProgramming  error = kindSentinel(ErrorProgramming)
	ErrNotSupported error = kindSentinel(ErrorNotSupported)
)

// ErrNoResultFound is returned by One when there is no row. It also
// matches sql.ErrNoRows with errors.Is.
var ErrNoResultFound = &resultError{msg: "retort: no result found (One expected exactly one row)", noRows: true}

// ErrMultipleResultsFound is returned by One and OneOrNone when there is
// more than one row.
var ErrMultipleResultsFound = &resultError{msg: "retort: multiple results found (expected at most one row)"}

type resultError struct {
	msg    string
	noRows bool
}

func (e *resultError) Error() string { return e.msg }

// Is makes ErrNoResultFound match sql.ErrNoRows.
func (e *resultError) Is(target error) bool { return e.noRows && target == sql.ErrNoRows }

// IsDisconnect reports whether err means the connection to the database
// was lost.
func IsDisconnect(err error) bool {
	var e *DBError
	return errors.As(err, &e) && e.Disconnect
}

// NewDBError wraps a driver error raised while running stmt: the dialect
// (an [ErrorTranslator]) classifies it, and an error it leaves unclassified
// that [ConnectionLost] recognises becomes an OperationalError with
// Disconnect set; context cancellation and deadline
// errors keep matching context.Canceled / context.DeadlineExceeded through
// Unwrap. It returns nil for a nil err, and err itself when it is already a
// *DBError.
func NewDBError(d Dialect, err error, stmt string, params []any, hideParams bool) error {
	if err == nil {
		return nil
	}
	var already *DBError
	if errors.As(err, &already) {
		return err
	}
	e := &DBError{Kind: ErrorUnknown, Statement: stmt, Params: params, HideParams: hideParams, Orig: err}
	if t, ok := d.(ErrorTranslator); ok {
		e.Kind, e.Disconnect = t.TranslateError(err)
	}
	if e.Kind == ErrorUnknown && !e.Disconnect && ConnectionLost(err) {
		e.Kind, e.Disconnect = ErrorOperational, true
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		e.Kind = ErrorOperational
	}
	return e
}

// ConnectionLost reports whether err, a driver error, is one every driver
// returns when its connection is gone or could not be made, whatever the
// database: [driver.ErrBadConn], [io.EOF] or [io.ErrUnexpectedEOF] on a
// read, [net.ErrClosed], any [net.Error] (a *net.OpError from a dial, read
// or write, an i/o timeout, a DNS failure), and ECONNRESET, ECONNREFUSED,
// ECONNABORTED or EPIPE from the system. Dialects call it from
// [ErrorTranslator.TranslateError] for errors that carry no database code;
// such an error is an OperationalError with Disconnect set. The context's
// errors are not (context.DeadlineExceeded is a net.Error): a cancelled
// statement is an OperationalError through [NewDBError], and a driver that
// had to drop the connection to stop it tells its pool on its own.
func ConnectionLost(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// SafeToRetry reports whether err proves that the statement never reached
// the database server, so that running it again cannot apply it twice:
//
//   - an error matching [driver.ErrBadConn], which database/sql drivers
//     return only when nothing was sent (database/sql has already retried
//     such a call on a fresh connection before handing the error back);
//   - an error whose chain holds a SafeToRetry() bool method reporting true
//     (pgx's pgconn errors; this is pgconn.SafeToRetry);
//   - a *net.OpError from a dial: the connection was never made.
//
// It is false for anything else, a lost connection included: a statement
// cut off mid-flight may or may not have been applied.
//
// Retort never retries on its own a write (a flush, INSERT, UPDATE, DELETE
// or any DML) nor a COMMIT, whatever this function says; a caller that
// retries decides so knowingly, typically by re-running a whole
// transaction after an OperationalError such as a deadlock or a
// serialization failure.
func SafeToRetry(err error) bool {
	if err == nil {
		return false
	}
	var r interface{ SafeToRetry() bool }
	if errors.As(err, &r) {
		return r.SafeToRetry()
	}
	if errors.Is(err, driver.ErrBadConn) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
