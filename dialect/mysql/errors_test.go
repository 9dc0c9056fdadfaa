package mysql_test

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/mysql"
)

var kindSentinels = map[core.ErrorKind]error{
	core.ErrorUnknown: core.ErrDatabase, core.ErrorInterface: core.ErrInterface, core.ErrorData: core.ErrData,
	core.ErrorOperational: core.ErrOperational, core.ErrorIntegrity: core.ErrIntegrity,
	core.ErrorInternal: core.ErrInternal, core.ErrorProgramming: core.ErrProgramming,
	core.ErrorNotSupported: core.ErrNotSupported,
}

// TestTranslateErrorNumbers classifies MySQLError values by Number.
func TestTranslateErrorNumbers(t *testing.T) {
	d := mysql.New()
	cases := []struct {
		number     uint16
		kind       core.ErrorKind
		disconnect bool
	}{
		{1062, core.ErrorIntegrity, false}, // duplicate entry
		{1586, core.ErrorIntegrity, false},
		{1451, core.ErrorIntegrity, false}, // FK: row is referenced
		{1452, core.ErrorIntegrity, false}, // FK: no referenced row
		{1048, core.ErrorIntegrity, false}, // column cannot be null
		{1364, core.ErrorIntegrity, false}, // no default value
		{3819, core.ErrorIntegrity, false}, // MySQL check constraint
		{4025, core.ErrorIntegrity, false}, // MariaDB check constraint
		{1064, core.ErrorProgramming, false},
		{1146, core.ErrorProgramming, false},
		{1054, core.ErrorProgramming, false},
		{1052, core.ErrorProgramming, false},
		{1136, core.ErrorProgramming, false},
		{1242, core.ErrorProgramming, false},
		{1050, core.ErrorProgramming, false},
		{1142, core.ErrorProgramming, false},
		{1213, core.ErrorOperational, false}, // deadlock
		{1205, core.ErrorOperational, false}, // lock wait timeout
		{1040, core.ErrorOperational, false}, // too many connections
		{1317, core.ErrorOperational, false}, // query interrupted
		{3024, core.ErrorOperational, false},
		{1969, core.ErrorOperational, false},
		{1045, core.ErrorOperational, false},
		{1927, core.ErrorOperational, true}, // MariaDB connection killed
		{2006, core.ErrorOperational, true}, // server gone away
		{2013, core.ErrorOperational, true}, // lost connection
		{2014, core.ErrorOperational, true},
		{2045, core.ErrorOperational, true},
		{2055, core.ErrorOperational, true},
		{4031, core.ErrorOperational, true},
		{1264, core.ErrorData, false}, // out of range
		{1265, core.ErrorData, false}, // data truncated
		{1406, core.ErrorData, false}, // data too long
		{1366, core.ErrorData, false}, // incorrect value
		{1292, core.ErrorData, false}, // truncated wrong value
		{1690, core.ErrorData, false}, // BIGINT value out of range
		{1365, core.ErrorData, false}, // division by zero
		{1235, core.ErrorNotSupported, false},
		{1286, core.ErrorNotSupported, false},
		{3, core.ErrorInternal, false}, // global / OS error
		{1999, core.ErrorUnknown, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.number), func(t *testing.T) {
			orig := &gomysql.MySQLError{Number: c.number, SQLState: [5]byte{'H', 'Y', '0', '0', '0'}, Message: "test"}
			err := fmt.Errorf("exec: %w", orig)
			kind, disconnect := d.TranslateError(err)
			assert.Equal(t, c.kind, kind)
			assert.Equal(t, c.disconnect, disconnect)
			assert.Equal(t, c.kind, mysql.ErrorKindOf(c.number))

			const stmt = "INSERT INTO t (a, b) VALUES (?, ?)"
			args := []any{7, "secret"}
			wrapped := core.NewDBError(d, err, stmt, args, false)
			assert.True(t, errors.Is(wrapped, kindSentinels[c.kind]))
			assert.True(t, errors.Is(wrapped, core.ErrDatabase))
			assert.Equal(t, c.kind == core.ErrorIntegrity, errors.Is(wrapped, core.ErrIntegrity))
			assert.Equal(t, c.disconnect, core.IsDisconnect(wrapped))
			var me *gomysql.MySQLError
			require.True(t, errors.As(wrapped, &me))
			assert.Same(t, orig, me)
			assert.True(t, errors.Is(wrapped, &gomysql.MySQLError{Number: c.number}), "MySQLError.Is by number")
			msg := wrapped.Error()
			assert.Contains(t, msg, c.kind.String())
			assert.Contains(t, msg, orig.Error())
			assert.Contains(t, msg, "[SQL: "+stmt+"]")
			assert.Contains(t, msg, "[parameters: [7 secret]]")
			hidden := core.NewDBError(d, err, stmt, args, true).Error()
			assert.Contains(t, hidden, "[parameters hidden]")
			assert.NotContains(t, hidden, "secret")
		})
	}
}

// TestTranslateErrorDriver classifies the driver's own errors and
// connection errors.
func TestTranslateErrorDriver(t *testing.T) {
	d := mysql.New()
	cases := []struct {
		err        error
		kind       core.ErrorKind
		disconnect bool
	}{
		{gomysql.ErrInvalidConn, core.ErrorOperational, true},
		{driver.ErrBadConn, core.ErrorOperational, true},
		{fmt.Errorf("read: %w", io.EOF), core.ErrorOperational, true},
		{io.ErrUnexpectedEOF, core.ErrorOperational, true},
		{&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, core.ErrorOperational, true},
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, core.ErrorOperational, true},
		{gomysql.ErrPktSync, core.ErrorInterface, true},
		{gomysql.ErrPktSyncMul, core.ErrorInterface, true},
		{gomysql.ErrMalformPkt, core.ErrorInterface, true},
		{gomysql.ErrPktTooLarge, core.ErrorInterface, false},
		{gomysql.ErrBusyBuffer, core.ErrorInterface, false},
		{gomysql.ErrNoTLS, core.ErrorInterface, false},
		{gomysql.ErrOldPassword, core.ErrorInterface, false},
		{errors.New("something else"), core.ErrorUnknown, false},
	}
	for _, c := range cases {
		kind, disconnect := d.TranslateError(c.err)
		assert.Equal(t, c.kind, kind, "%v", c.err)
		assert.Equal(t, c.disconnect, disconnect, "%v", c.err)
		wrapped := core.NewDBError(d, c.err, "SELECT 1", nil, false)
		assert.True(t, errors.Is(wrapped, c.err), "%v still matches through Unwrap", c.err)
		assert.Equal(t, c.disconnect, core.IsDisconnect(wrapped))
	}
	assert.True(t, core.SafeToRetry(core.NewDBError(d, driver.ErrBadConn, "SELECT 1", nil, false)))
	assert.False(t, core.SafeToRetry(core.NewDBError(d, gomysql.ErrInvalidConn, "SELECT 1", nil, false)),
		"ErrInvalidConn: the command may have reached the server")
}
