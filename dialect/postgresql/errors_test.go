package postgresql_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/postgresql"
)

func TestTranslateErrorBySQLState(t *testing.T) {
	d := postgresql.New()
	cases := []struct {
		code       string
		kind       core.ErrorKind
		disconnect bool
	}{
		{"23505", core.ErrorIntegrity, false}, // unique_violation
		{"23503", core.ErrorIntegrity, false}, // foreign_key_violation
		{"23502", core.ErrorIntegrity, false}, // not_null_violation
		{"23514", core.ErrorIntegrity, false}, // check_violation
		{"22012", core.ErrorData, false},      // division_by_zero
		{"22003", core.ErrorData, false},      // numeric_value_out_of_range
		{"22P02", core.ErrorData, false},      // invalid_text_representation
		{"42P01", core.ErrorProgramming, false},
		{"42601", core.ErrorProgramming, false}, // syntax_error
		{"42703", core.ErrorProgramming, false}, // undefined_column
		{"3F000", core.ErrorProgramming, false}, // invalid_schema_name
		{"08006", core.ErrorOperational, true},  // connection_failure
		{"08003", core.ErrorOperational, true},  // connection_does_not_exist
		{"57P01", core.ErrorOperational, true},  // admin_shutdown
		{"57P02", core.ErrorOperational, true},  // crash_shutdown
		{"57P03", core.ErrorOperational, true},  // cannot_connect_now
		{"57014", core.ErrorOperational, false}, // query_canceled
		{"53300", core.ErrorOperational, false}, // too_many_connections
		{"53200", core.ErrorOperational, false}, // out_of_memory
		{"40001", core.ErrorOperational, false}, // serialization_failure
		{"40P01", core.ErrorOperational, false}, // deadlock_detected
		{"55P03", core.ErrorOperational, false}, // lock_not_available
		{"0A000", core.ErrorNotSupported, false},
		{"XX000", core.ErrorInternal, false},
		{"XX001", core.ErrorInternal, false},
		{"25006", core.ErrorInternal, false}, // read_only_sql_transaction
		{"P0001", core.ErrorInternal, false}, // raise_exception
		{"ZZ999", core.ErrorUnknown, false},
		{"", core.ErrorUnknown, false},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			err := &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: c.code, Message: "m"}
			kind, disc := d.TranslateError(err)
			assert.Equal(t, c.kind, kind)
			assert.Equal(t, c.disconnect, disc)
			// the same through wrapping
			kind, disc = d.TranslateError(fmt.Errorf("outer: %w", err))
			assert.Equal(t, c.kind, kind)
			assert.Equal(t, c.disconnect, disc)
		})
	}
}

func TestTranslateErrorFatalSeverityIsDisconnect(t *testing.T) {
	d := postgresql.New()
	// A FATAL error of any code ends the session; the localized severity
	// is the fallback when the unlocalized one is missing (servers < 9.6).
	for _, e := range []*pgconn.PgError{
		{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "28P01"},
		{Severity: "PANIC", SeverityUnlocalized: "PANIC", Code: "XX000"},
		{Severity: "FATAL", Code: "28000"},
	} {
		kind, disc := d.TranslateError(e)
		assert.True(t, disc, e.Code)
		assert.NotEqual(t, core.ErrorUnknown, kind, e.Code)
	}
	// A localized FATAL with an ERROR unlocalized severity is not fatal.
	_, disc := d.TranslateError(&pgconn.PgError{Severity: "FATAL", SeverityUnlocalized: "ERROR", Code: "42P01"})
	assert.False(t, disc)
}

func TestTranslateErrorConnectionErrors(t *testing.T) {
	d := postgresql.New()
	opErr := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	cases := []struct {
		name string
		err  error
	}{
		{"io.EOF", io.EOF},
		{"unexpected EOF", fmt.Errorf("receive message failed: %w", io.ErrUnexpectedEOF)},
		{"net.OpError", opErr},
		{"wrapped net.OpError", fmt.Errorf("failed to write: %w", opErr)},
		{"ECONNRESET", syscall.ECONNRESET},
		{"EPIPE", fmt.Errorf("write: %w", syscall.EPIPE)},
		{"net.ErrClosed", net.ErrClosed},
		{"conn closed", fmt.Errorf("x: %w", pgconn.ErrConnClosed)},
		{"connect error", &pgconn.ConnectError{}},
		{"connect error with server error", &pgconnConnectErr{pg: &pgconn.PgError{Severity: "FATAL", Code: "3D000"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind, disc := d.TranslateError(c.err)
			assert.Equal(t, core.ErrorOperational, kind)
			assert.True(t, disc)
		})
	}
}

// pgconnConnectErr is a ConnectError-like chain holding a server error: a
// *pgconn.ConnectError cannot be built with a cause outside pgconn, so this
// joins both.
type pgconnConnectErr struct{ pg *pgconn.PgError }

func (e *pgconnConnectErr) Error() string   { return "connect: " + e.pg.Error() }
func (e *pgconnConnectErr) Unwrap() []error { return []error{&pgconn.ConnectError{}, e.pg} }

func TestTranslateErrorContext(t *testing.T) {
	d := postgresql.New()
	kind, disc := d.TranslateError(context.Canceled)
	assert.Equal(t, core.ErrorOperational, kind)
	assert.True(t, disc, "a query interrupted by its context may have left the connection unusable")

	kind, disc = d.TranslateError(safeToRetryErr{context.DeadlineExceeded})
	assert.Equal(t, core.ErrorOperational, kind)
	assert.False(t, disc, "nothing was sent: the connection is fine")
}

type safeToRetryErr struct{ err error }

func (e safeToRetryErr) Error() string     { return "context already done: " + e.err.Error() }
func (e safeToRetryErr) Unwrap() error     { return e.err }
func (e safeToRetryErr) SafeToRetry() bool { return true }

func TestTranslateErrorNeverReadsMessageText(t *testing.T) {
	d := postgresql.New()
	for _, msg := range []string{
		"conn closed", "connection reset by peer", "duplicate key value violates unique constraint",
		"SQLSTATE 23505", "EOF", "timeout",
	} {
		kind, disc := d.TranslateError(errors.New(msg))
		assert.Equal(t, core.ErrorUnknown, kind, msg)
		assert.False(t, disc, msg)
	}
}

func TestNewDBErrorKeepsPgError(t *testing.T) {
	d := postgresql.New()
	orig := &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "23505",
		Message: `duplicate key value violates unique constraint "t_pkey"`, ConstraintName: "t_pkey"}
	err := core.NewDBError(d, orig, "INSERT INTO t (id) VALUES ($1)", []any{1}, false)
	assert.ErrorIs(t, err, core.ErrIntegrity)
	assert.ErrorIs(t, err, core.ErrDatabase)
	assert.NotErrorIs(t, err, core.ErrOperational)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "t_pkey", pgErr.ConstraintName)
	assert.False(t, core.IsDisconnect(err))
}

func TestKindOfSQLState(t *testing.T) {
	assert.Equal(t, core.ErrorIntegrity, postgresql.KindOfSQLState("23000"))
	assert.Equal(t, core.ErrorUnknown, postgresql.KindOfSQLState("2350"))
	assert.Equal(t, core.ErrorUnknown, postgresql.KindOfSQLState("235055"))
}

func BenchmarkTranslateError(b *testing.B) {
	d := postgresql.New()
	err := fmt.Errorf("x: %w", &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "23505"})
	b.ReportAllocs()
	for b.Loop() {
		d.TranslateError(err)
	}
}
