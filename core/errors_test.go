package core_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
)

// translating is a dialect whose TranslateError answers a fixed kind.
type translating struct {
	core.Dialect
	kind       core.ErrorKind
	disconnect bool
}

func (d translating) TranslateError(error) (core.ErrorKind, bool) { return d.kind, d.disconnect }

var sentinels = map[core.ErrorKind]error{
	core.ErrorUnknown: core.ErrDatabase, core.ErrorInterface: core.ErrInterface, core.ErrorData: core.ErrData,
	core.ErrorOperational: core.ErrOperational, core.ErrorIntegrity: core.ErrIntegrity,
	core.ErrorInternal: core.ErrInternal, core.ErrorProgramming: core.ErrProgramming,
	core.ErrorNotSupported: core.ErrNotSupported,
}

func TestErrorKindString(t *testing.T) {
	names := map[core.ErrorKind]string{
		core.ErrorUnknown: "DatabaseError", core.ErrorInterface: "InterfaceError", core.ErrorData: "DataError",
		core.ErrorOperational: "OperationalError", core.ErrorIntegrity: "IntegrityError",
		core.ErrorInternal: "InternalError", core.ErrorProgramming: "ProgrammingError",
		core.ErrorNotSupported: "NotSupportedError", core.ErrorKind(200): "DatabaseError",
	}
	for k, want := range names {
		assert.Equal(t, want, k.String())
	}
	assert.Equal(t, "retort: IntegrityError", core.ErrIntegrity.Error())
}

// TestDBErrorIs: each kind matches its own sentinel and ErrDatabase, and no
// other sentinel.
func TestDBErrorIs(t *testing.T) {
	orig := errors.New("driver says no")
	for kind := range sentinels {
		err := core.NewDBError(translating{core.DefaultDialect, kind, false}, orig, "SELECT 1", nil, false)
		for other, s := range sentinels {
			want := other == kind || other == core.ErrorUnknown
			assert.Equal(t, want, errors.Is(err, s), "%v is %v", kind, other)
		}
		assert.True(t, errors.Is(err, orig))
		assert.False(t, errors.Is(err, sql.ErrNoRows))
	}
}

// TestDBErrorLongParams: an error message shows at most 100 parameters
// and at most 300 characters of each, as SQLAlchemy's do; the error keeps
// them all.
func TestDBErrorLongParams(t *testing.T) {
	d := translating{core.DefaultDialect, core.ErrorIntegrity, false}
	params := make([]any, 250)
	for i := range params {
		params[i] = i
	}
	long := strings.Repeat("é", 140) + strings.Repeat("x", 200) + strings.Repeat("ü", 160)
	params[0], params[249] = long, nil
	err := core.NewDBError(d, errors.New("boom"), "INSERT", params, false)
	var e *core.DBError
	require.ErrorAs(t, err, &e)
	assert.Len(t, e.Params, 250)

	var want strings.Builder
	want.WriteString("retort: IntegrityError: boom\n[SQL: INSERT]\n[parameters: [")
	want.WriteString(strings.Repeat("é", 140) + strings.Repeat("x", 10) + " ... (200 characters truncated) ... " + strings.Repeat("x", 0) + strings.Repeat("ü", 150))
	for i := 1; i < 50; i++ {
		fmt.Fprintf(&want, " %d", i)
	}
	want.WriteString(" ... 150 parameters truncated ...")
	for i := 200; i < 249; i++ {
		fmt.Fprintf(&want, " %d", i)
	}
	want.WriteString(" <nil>]]")
	assert.Equal(t, want.String(), err.Error())

	// at 100 parameters, all are shown
	err = core.NewDBError(d, errors.New("boom"), "INSERT", params[1:101], false)
	assert.NotContains(t, err.Error(), "truncated")
	assert.True(t, strings.HasSuffix(err.Error(), " 99 100]]"), err.Error())
}

func TestNewDBError(t *testing.T) {
	d := translating{core.DefaultDialect, core.ErrorIntegrity, false}
	assert.Nil(t, core.NewDBError(d, nil, "SELECT 1", nil, false))

	orig := fmt.Errorf("duplicate key")
	err := core.NewDBError(d, orig, "INSERT INTO t (a) VALUES ($1)", []any{42, "x"}, false)
	var e *core.DBError
	require.True(t, errors.As(err, &e))
	assert.Equal(t, core.ErrorIntegrity, e.Kind)
	assert.Equal(t, "INSERT INTO t (a) VALUES ($1)", e.Statement)
	assert.Equal(t, []any{42, "x"}, e.Params)
	assert.Same(t, orig, e.Orig)
	assert.Same(t, orig, errors.Unwrap(err))
	assert.Equal(t, "retort: IntegrityError: duplicate key\n[SQL: INSERT INTO t (a) VALUES ($1)]\n[parameters: [42 x]]", err.Error())

	hidden := core.NewDBError(d, orig, "INSERT INTO t (a) VALUES ($1)", []any{42, "x"}, true)
	assert.Equal(t, "retort: IntegrityError: duplicate key\n[SQL: INSERT INTO t (a) VALUES ($1)]\n[parameters hidden]", hidden.Error())

	noParams := core.NewDBError(d, orig, "SELECT 1", nil, false)
	assert.Equal(t, "retort: IntegrityError: duplicate key\n[SQL: SELECT 1]", noParams.Error())
	noStmt := core.NewDBError(d, orig, "", nil, false)
	assert.Equal(t, "retort: IntegrityError: duplicate key", noStmt.Error())

	// An error already wrapped is returned as is, even wrapped further.
	again := fmt.Errorf("flush: %w", err)
	assert.Same(t, again, core.NewDBError(translating{core.DefaultDialect, core.ErrorData, false}, again, "X", nil, false))
}

// TestNewDBErrorContext: cancellation and deadline are OperationalErrors
// that keep matching the context's errors.
func TestNewDBErrorContext(t *testing.T) {
	d := translating{core.DefaultDialect, core.ErrorUnknown, false}
	for _, ctxErr := range []error{context.Canceled, context.DeadlineExceeded} {
		err := core.NewDBError(d, fmt.Errorf("query: %w", ctxErr), "SELECT 1", nil, false)
		assert.True(t, errors.Is(err, core.ErrOperational))
		assert.True(t, errors.Is(err, ctxErr))
		assert.False(t, core.IsDisconnect(err))
	}
}

// TestNewDBErrorConnectionFallback: with no translator, or one that cannot
// tell, an error of ConnectionLost is an OperationalError and a disconnect;
// a translator's verdict otherwise stands.
func TestNewDBErrorConnectionFallback(t *testing.T) {
	err := core.NewDBError(core.DefaultDialect, io.EOF, "SELECT 1", nil, false)
	assert.True(t, errors.Is(err, core.ErrOperational))
	assert.True(t, core.IsDisconnect(err))

	err = core.NewDBError(translating{core.DefaultDialect, core.ErrorUnknown, false}, driver.ErrBadConn, "SELECT 1", nil, false)
	assert.True(t, errors.Is(err, core.ErrOperational))
	assert.True(t, core.IsDisconnect(err))

	err = core.NewDBError(translating{core.DefaultDialect, core.ErrorInterface, false}, io.EOF, "SELECT 1", nil, false)
	assert.True(t, errors.Is(err, core.ErrInterface))
	assert.False(t, core.IsDisconnect(err))

	err = core.NewDBError(core.DefaultDialect, errors.New("other"), "SELECT 1", nil, false)
	assert.True(t, errors.Is(err, core.ErrDatabase))
	assert.False(t, errors.Is(err, core.ErrOperational))
	assert.False(t, core.IsDisconnect(err))
	assert.False(t, core.IsDisconnect(errors.New("plain")))
	assert.False(t, core.IsDisconnect(nil))
}

func TestConnectionLost(t *testing.T) {
	lost := []error{
		driver.ErrBadConn,
		fmt.Errorf("x: %w", driver.ErrBadConn),
		io.EOF,
		io.ErrUnexpectedEOF,
		net.ErrClosed,
		syscall.ECONNRESET,
		syscall.EPIPE,
		syscall.ECONNREFUSED,
		syscall.ECONNABORTED,
		&net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}},
		&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused")},
		&net.DNSError{Err: "no such host", Name: "db", IsNotFound: true},
	}
	for _, err := range lost {
		assert.True(t, core.ConnectionLost(err), "%v", err)
	}
	for _, err := range []error{nil, errors.New("syntax error"), context.Canceled, context.DeadlineExceeded,
		fmt.Errorf("dial: %w", context.DeadlineExceeded), sql.ErrNoRows, sql.ErrTxDone} {
		assert.False(t, core.ConnectionLost(err), "%v", err)
	}
}

// retryable is an error with pgconn's SafeToRetry method.
type retryable bool

func (r retryable) Error() string     { return "retryable" }
func (r retryable) SafeToRetry() bool { return bool(r) }

func TestSafeToRetry(t *testing.T) {
	d := core.DefaultDialect
	yes := []error{
		driver.ErrBadConn,
		core.NewDBError(d, driver.ErrBadConn, "SELECT 1", nil, false),
		core.NewDBError(d, fmt.Errorf("conn: %w", retryable(true)), "UPDATE t SET a = 1", nil, false),
		&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		core.NewDBError(d, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, "", nil, false),
	}
	for _, err := range yes {
		assert.True(t, core.SafeToRetry(err), "%v", err)
	}
	no := []error{
		nil,
		io.EOF,
		io.ErrUnexpectedEOF,
		errors.New("unknown"),
		retryable(false),
		core.NewDBError(d, retryable(false), "SELECT 1", nil, false),
		&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET},
		&net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE},
		core.NewDBError(translating{d, core.ErrorIntegrity, false}, errors.New("dup"), "INSERT", nil, false),
		context.Canceled,
	}
	for _, err := range no {
		assert.False(t, core.SafeToRetry(err), "%v", err)
	}
}

func TestNoResultFoundMatchesErrNoRows(t *testing.T) {
	assert.True(t, errors.Is(core.ErrNoResultFound, sql.ErrNoRows))
	assert.True(t, errors.Is(fmt.Errorf("get: %w", core.ErrNoResultFound), sql.ErrNoRows))
	assert.False(t, errors.Is(core.ErrMultipleResultsFound, sql.ErrNoRows))
	assert.False(t, errors.Is(core.ErrNoResultFound, core.ErrDatabase))
}
