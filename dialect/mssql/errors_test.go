package mssql_test

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	gomssql "github.com/microsoft/go-mssqldb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/mssql"
)

var kindSentinels = map[core.ErrorKind]error{
	core.ErrorUnknown: core.ErrDatabase, core.ErrorInterface: core.ErrInterface, core.ErrorData: core.ErrData,
	core.ErrorOperational: core.ErrOperational, core.ErrorIntegrity: core.ErrIntegrity,
	core.ErrorInternal: core.ErrInternal, core.ErrorProgramming: core.ErrProgramming,
	core.ErrorNotSupported: core.ErrNotSupported,
}

// TestTranslateErrorNumbers classifies mssql.Error values by Number.
func TestTranslateErrorNumbers(t *testing.T) {
	d := mssql.New()
	cases := []struct {
		number     int32
		kind       core.ErrorKind
		disconnect bool
	}{
		{2627, core.ErrorIntegrity, false}, // unique / PK constraint
		{2601, core.ErrorIntegrity, false}, // unique index
		{547, core.ErrorIntegrity, false},  // FK or CHECK
		{515, core.ErrorIntegrity, false},  // NOT NULL
		{8152, core.ErrorData, false},      // truncated
		{2628, core.ErrorData, false},
		{245, core.ErrorData, false}, // conversion failed
		{8114, core.ErrorData, false},
		{8115, core.ErrorData, false},
		{8134, core.ErrorData, false}, // divide by zero
		{220, core.ErrorData, false},  // arithmetic overflow
		{102, core.ErrorProgramming, false},
		{156, core.ErrorProgramming, false},
		{207, core.ErrorProgramming, false},
		{208, core.ErrorProgramming, false},
		{4104, core.ErrorProgramming, false},
		{2714, core.ErrorProgramming, false},
		{1205, core.ErrorOperational, false}, // deadlock victim
		{1222, core.ErrorOperational, false}, // lock timeout
		{18456, core.ErrorOperational, false},
		{40501, core.ErrorOperational, false},
		{-2, core.ErrorOperational, true},
		{233, core.ErrorOperational, true},
		{596, core.ErrorOperational, true},
		{3971, core.ErrorOperational, true},
		{10053, core.ErrorOperational, true},
		{10054, core.ErrorOperational, true},
		{40613, core.ErrorOperational, true},
		{8624, core.ErrorInternal, false},
		{40508, core.ErrorNotSupported, false},
		{50000, core.ErrorUnknown, false}, // RAISERROR
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.number), func(t *testing.T) {
			orig := gomssql.Error{Number: c.number, Class: 16, Message: "test"}
			kind, disconnect := d.TranslateError(orig)
			assert.Equal(t, c.kind, kind)
			assert.Equal(t, c.disconnect, disconnect)
			assert.Equal(t, c.kind, mssql.ErrorKindOf(c.number))
			assert.Equal(t, c.disconnect, mssql.IsDisconnectNumber(c.number))

			const stmt = "INSERT INTO t (a, b) VALUES (@p1, @p2)"
			args := []any{7, "secret"}
			wrapped := core.NewDBError(d, fmt.Errorf("exec: %w", orig), stmt, args, false)
			assert.True(t, errors.Is(wrapped, kindSentinels[c.kind]))
			assert.True(t, errors.Is(wrapped, core.ErrDatabase))
			assert.Equal(t, c.kind == core.ErrorIntegrity, errors.Is(wrapped, core.ErrIntegrity))
			assert.Equal(t, c.disconnect, core.IsDisconnect(wrapped))
			var se gomssql.Error
			require.True(t, errors.As(wrapped, &se))
			assert.Equal(t, c.number, se.SQLErrorNumber())
			msg := wrapped.Error()
			assert.Contains(t, msg, c.kind.String())
			assert.Contains(t, msg, "mssql: test")
			assert.Contains(t, msg, "[SQL: "+stmt+"]")
			assert.Contains(t, msg, "[parameters: [7 secret]]")
			hidden := core.NewDBError(d, orig, stmt, args, true).Error()
			assert.Contains(t, hidden, "[parameters hidden]")
			assert.NotContains(t, hidden, "secret")
		})
	}
}

// TestTranslateErrorBatch: a batch whose last error is generic keeps the
// kind of an earlier one; a fatal severity ends the connection.
func TestTranslateErrorBatch(t *testing.T) {
	d := mssql.New()
	first := gomssql.Error{Number: 2627, Class: 14, Message: "Violation of PRIMARY KEY constraint"}
	last := gomssql.Error{Number: 50000, Class: 16, Message: "custom"}
	last.All = []gomssql.Error{first, last}
	kind, disconnect := d.TranslateError(last)
	assert.Equal(t, core.ErrorIntegrity, kind)
	assert.False(t, disconnect)

	fatal := gomssql.Error{Number: 50000, Class: 20, Message: "fatal"}
	kind, disconnect = d.TranslateError(fatal)
	assert.Equal(t, core.ErrorOperational, kind)
	assert.True(t, disconnect)

	fatalDeadlock := gomssql.Error{Number: 1205, Class: 21}
	kind, disconnect = d.TranslateError(fatalDeadlock)
	assert.Equal(t, core.ErrorOperational, kind)
	assert.True(t, disconnect)
}

// TestTranslateErrorDriver covers the driver's other error types and the
// connection errors.
func TestTranslateErrorDriver(t *testing.T) {
	d := mssql.New()
	cases := []struct {
		err        error
		kind       core.ErrorKind
		disconnect bool
	}{
		{gomssql.ServerError{}, core.ErrorOperational, true},
		{fmt.Errorf("wrapped: %w", gomssql.ServerError{}), core.ErrorOperational, true},
		{gomssql.StreamError{InnerError: errors.New("bad token")}, core.ErrorInterface, true},
		{gomssql.RetryableError{}, core.ErrorOperational, true},
		{driver.ErrBadConn, core.ErrorOperational, true},
		{io.EOF, core.ErrorOperational, true},
		{&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, core.ErrorOperational, true},
		{errors.New("something else"), core.ErrorUnknown, false},
	}
	for _, c := range cases {
		kind, disconnect := d.TranslateError(c.err)
		assert.Equal(t, c.kind, kind, "%#v", c.err)
		assert.Equal(t, c.disconnect, disconnect, "%#v", c.err)
	}
	var srv gomssql.ServerError
	assert.True(t, errors.As(core.NewDBError(d, gomssql.ServerError{}, "SELECT 1", nil, false), &srv))
	assert.True(t, core.SafeToRetry(core.NewDBError(d, gomssql.RetryableError{}, "SELECT 1", nil, false)),
		"RetryableError matches driver.ErrBadConn")
	assert.False(t, core.SafeToRetry(core.NewDBError(d, gomssql.Error{Number: 1205}, "SELECT 1", nil, false)))
}
