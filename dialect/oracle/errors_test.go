package oracle_test

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/sijms/go-ora/v2/network"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/oracle"
)

var kindSentinels = map[core.ErrorKind]error{
	core.ErrorUnknown: core.ErrDatabase, core.ErrorInterface: core.ErrInterface, core.ErrorData: core.ErrData,
	core.ErrorOperational: core.ErrOperational, core.ErrorIntegrity: core.ErrIntegrity,
	core.ErrorInternal: core.ErrInternal, core.ErrorProgramming: core.ErrProgramming,
	core.ErrorNotSupported: core.ErrNotSupported,
}

// TestTranslateErrorCodes classifies go-ora OracleError values by ErrCode.
func TestTranslateErrorCodes(t *testing.T) {
	d := oracle.New()
	cases := []struct {
		code       int
		kind       core.ErrorKind
		disconnect bool
	}{
		{1, core.ErrorIntegrity, false},    // unique constraint
		{2291, core.ErrorIntegrity, false}, // parent key not found
		{2292, core.ErrorIntegrity, false}, // child record found
		{1400, core.ErrorIntegrity, false}, // cannot insert NULL
		{1407, core.ErrorIntegrity, false}, // cannot update to NULL
		{2290, core.ErrorIntegrity, false}, // check constraint
		{942, core.ErrorProgramming, false},
		{904, core.ErrorProgramming, false},
		{933, core.ErrorProgramming, false},
		{936, core.ErrorProgramming, false},
		{900, core.ErrorProgramming, false},
		{1008, core.ErrorProgramming, false},
		{6550, core.ErrorProgramming, false},
		{1438, core.ErrorData, false},
		{12899, core.ErrorData, false},
		{1722, core.ErrorData, false},
		{1476, core.ErrorData, false},
		{1843, core.ErrorData, false},
		{60, core.ErrorOperational, false}, // deadlock
		{54, core.ErrorOperational, false}, // resource busy NOWAIT
		{8177, core.ErrorOperational, false},
		{1013, core.ErrorOperational, false},
		{1017, core.ErrorOperational, false},
		{28, core.ErrorOperational, true},
		{1012, core.ErrorOperational, true},
		{1033, core.ErrorOperational, true},
		{1034, core.ErrorOperational, true},
		{1089, core.ErrorOperational, true},
		{2396, core.ErrorOperational, true},
		{3113, core.ErrorOperational, true},
		{3114, core.ErrorOperational, true},
		{3135, core.ErrorOperational, true},
		{6413, core.ErrorOperational, true},
		{12170, core.ErrorOperational, true},
		{12514, core.ErrorOperational, true},
		{12541, core.ErrorOperational, true},
		{28547, core.ErrorOperational, true},
		{600, core.ErrorInternal, false},
		{3001, core.ErrorNotSupported, false},
		{20001, core.ErrorUnknown, false}, // RAISE_APPLICATION_ERROR
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("ORA-%05d", c.code), func(t *testing.T) {
			orig := &network.OracleError{ErrCode: c.code, ErrMsg: fmt.Sprintf("ORA-%05d: test", c.code)}
			kind, disconnect := d.TranslateError(orig)
			assert.Equal(t, c.kind, kind)
			assert.Equal(t, c.disconnect, disconnect)
			assert.Equal(t, c.kind, oracle.ErrorKindOf(c.code))
			assert.Equal(t, c.disconnect, oracle.IsDisconnectCode(c.code))
			for _, bad := range []int{28, 1012, 1033, 1034, 1089, 3113, 3114, 3135, 12528, 12537} {
				if c.code == bad {
					assert.True(t, orig.Bad(), "go-ora's own list")
				}
			}

			const stmt = "INSERT INTO t (a, b) VALUES (:1, :2)"
			args := []any{7, "secret"}
			wrapped := core.NewDBError(d, fmt.Errorf("exec: %w", orig), stmt, args, false)
			assert.True(t, errors.Is(wrapped, kindSentinels[c.kind]))
			assert.True(t, errors.Is(wrapped, core.ErrDatabase))
			assert.Equal(t, c.kind == core.ErrorIntegrity, errors.Is(wrapped, core.ErrIntegrity))
			assert.Equal(t, c.disconnect, core.IsDisconnect(wrapped))
			var oe *network.OracleError
			require.True(t, errors.As(wrapped, &oe))
			assert.Same(t, orig, oe)
			msg := wrapped.Error()
			assert.Contains(t, msg, c.kind.String())
			assert.Contains(t, msg, fmt.Sprintf("ORA-%05d: test", c.code))
			assert.Contains(t, msg, "[SQL: "+stmt+"]")
			assert.Contains(t, msg, "[parameters: [7 secret]]")
			hidden := core.NewDBError(d, orig, stmt, args, true).Error()
			assert.Contains(t, hidden, "[parameters hidden]")
			assert.NotContains(t, hidden, "secret")
		})
	}
}

// TestTranslateErrorDriver covers go-ora's connection errors.
func TestTranslateErrorDriver(t *testing.T) {
	d := oracle.New()
	cases := []struct {
		err        error
		kind       core.ErrorKind
		disconnect bool
	}{
		{network.ErrConnReset, core.ErrorOperational, true},
		{driver.ErrBadConn, core.ErrorOperational, true},
		{io.EOF, core.ErrorOperational, true},
		{&net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}, core.ErrorOperational, true},
		{errors.New("something else"), core.ErrorUnknown, false},
	}
	for _, c := range cases {
		kind, disconnect := d.TranslateError(c.err)
		assert.Equal(t, c.kind, kind, "%v", c.err)
		assert.Equal(t, c.disconnect, disconnect, "%v", c.err)
	}
}
