package sqlite_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/sqlite"

	gosqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// memDB opens a private in-memory database with foreign keys on.
func memDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
}

// TestTranslateErrorLive raises real errors from modernc.org/sqlite and
// checks their code, their kind and the wrapping DBError.
func TestTranslateErrorLive(t *testing.T) {
	d := sqlite.New()
	db := memDB(t)
	mustExec(t, db,
		`CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER CHECK (n > 0))`,
		`CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))`,
		`CREATE TABLE strict_t (id INTEGER PRIMARY KEY, v INTEGER) STRICT`,
		`INSERT INTO parent (id, name, n) VALUES (1, 'a', 1)`,
	)
	cases := []struct {
		name string
		sql  string
		args []any
		code int
		kind core.ErrorKind
	}{
		{"unique", `INSERT INTO parent (id, name, n) VALUES (?, ?, ?)`, []any{2, "a", 1}, sqlite3.SQLITE_CONSTRAINT_UNIQUE, core.ErrorIntegrity},
		{"primary key", `INSERT INTO parent (id, name, n) VALUES (?, ?, ?)`, []any{1, "b", 1}, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, core.ErrorIntegrity},
		{"foreign key", `INSERT INTO child (id, parent_id) VALUES (?, ?)`, []any{1, 99}, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, core.ErrorIntegrity},
		{"not null", `INSERT INTO parent (id, name, n) VALUES (?, ?, ?)`, []any{3, nil, 1}, sqlite3.SQLITE_CONSTRAINT_NOTNULL, core.ErrorIntegrity},
		{"check", `INSERT INTO parent (id, name, n) VALUES (?, ?, ?)`, []any{4, "c", -1}, sqlite3.SQLITE_CONSTRAINT_CHECK, core.ErrorIntegrity},
		{"strict datatype", `INSERT INTO strict_t (id, v) VALUES (?, ?)`, []any{1, "xyz"}, sqlite3.SQLITE_CONSTRAINT_DATATYPE, core.ErrorIntegrity},
		{"mismatch", `INSERT INTO child (id) VALUES (?)`, []any{"not a rowid"}, sqlite3.SQLITE_MISMATCH, core.ErrorData},
		{"syntax", `SELEC 1`, nil, sqlite3.SQLITE_ERROR, core.ErrorOperational},
		{"no such table", `SELECT * FROM missing`, nil, sqlite3.SQLITE_ERROR, core.ErrorOperational},
		{"integer overflow", `SELECT abs(-9223372036854775807 - 1)`, nil, sqlite3.SQLITE_ERROR, core.ErrorOperational},
		{"too big", `SELECT zeroblob(2000000000)`, nil, sqlite3.SQLITE_TOOBIG, core.ErrorData},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if len(c.sql) > 6 && c.sql[:6] == "SELECT" {
				var v any
				err = db.QueryRow(c.sql, c.args...).Scan(&v)
			} else {
				_, err = db.Exec(c.sql, c.args...)
			}
			require.Error(t, err)
			var se *gosqlite.Error
			require.True(t, errors.As(err, &se), "%T %v", err, err)
			assert.Equal(t, c.code, se.Code(), "%v", err)

			kind, disconnect := d.TranslateError(err)
			assert.Equal(t, c.kind, kind, "%v", err)
			assert.False(t, disconnect)
			checkWrapped(t, d, err, c.kind, c.sql, c.args)
		})
	}
}

// checkWrapped checks the DBError that core.NewDBError builds around err.
func checkWrapped(t *testing.T, d core.Dialect, err error, kind core.ErrorKind, stmt string, args []any) {
	t.Helper()
	wrapped := core.NewDBError(d, err, stmt, args, false)
	var dbe *core.DBError
	require.True(t, errors.As(wrapped, &dbe))
	assert.Equal(t, kind, dbe.Kind)
	assert.True(t, errors.Is(wrapped, core.ErrDatabase))
	assert.True(t, errors.Is(wrapped, kindSentinel(kind)), "errors.Is(%v, %v)", wrapped, kind)
	if kind != core.ErrorIntegrity {
		assert.False(t, errors.Is(wrapped, core.ErrIntegrity))
	}
	var se *gosqlite.Error
	assert.True(t, errors.As(wrapped, &se), "the driver's error survives Unwrap")
	msg := wrapped.Error()
	assert.Contains(t, msg, kind.String())
	assert.Contains(t, msg, "[SQL: "+stmt+"]")
	if len(args) > 0 {
		assert.Contains(t, msg, fmt.Sprintf("[parameters: %v]", args))
	}
	hidden := core.NewDBError(d, err, stmt, args, true).Error()
	assert.Contains(t, hidden, "[parameters hidden]")
	if len(args) > 0 {
		assert.NotContains(t, hidden, fmt.Sprintf("%v", args))
	}
}

func kindSentinel(k core.ErrorKind) error {
	return map[core.ErrorKind]error{
		core.ErrorUnknown: core.ErrDatabase, core.ErrorInterface: core.ErrInterface, core.ErrorData: core.ErrData,
		core.ErrorOperational: core.ErrOperational, core.ErrorIntegrity: core.ErrIntegrity,
		core.ErrorInternal: core.ErrInternal, core.ErrorProgramming: core.ErrProgramming,
		core.ErrorNotSupported: core.ErrNotSupported,
	}[k]
}

// TestTranslateErrorBusy holds a write lock on a file database from one
// handle and writes from another with no busy timeout: SQLITE_BUSY.
func TestTranslateErrorBusy(t *testing.T) {
	d := sqlite.New()
	path := filepath.Join(t.TempDir(), "busy.db")
	db1, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	require.NoError(t, err)
	defer db1.Close()
	db2, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	require.NoError(t, err)
	defer db2.Close()
	mustExec(t, db1, `CREATE TABLE t (id INTEGER)`)

	tx, err := db1.Begin()
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.Exec(`INSERT INTO t VALUES (1)`)
	require.NoError(t, err)

	_, err = db2.Exec(`INSERT INTO t VALUES (2)`)
	require.Error(t, err)
	var se *gosqlite.Error
	require.True(t, errors.As(err, &se), "%T %v", err, err)
	assert.Equal(t, sqlite3.SQLITE_BUSY, se.Code()&0xff)
	checkWrapped(t, d, err, core.ErrorOperational, `INSERT INTO t VALUES (2)`, nil)
}

// TestTranslateErrorReadOnlyAndCantOpen: writing through a read-only
// handle, and opening a file in a directory that does not exist.
func TestTranslateErrorReadOnlyAndCantOpen(t *testing.T) {
	d := sqlite.New()
	dir := t.TempDir()
	path := filepath.Join(dir, "ro.db")
	rw, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	mustExec(t, rw, `CREATE TABLE t (id INTEGER)`)
	require.NoError(t, rw.Close())

	ro, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	require.NoError(t, err)
	defer ro.Close()
	_, err = ro.Exec(`INSERT INTO t VALUES (1)`)
	require.Error(t, err)
	var se *gosqlite.Error
	require.True(t, errors.As(err, &se), "%T %v", err, err)
	assert.Equal(t, sqlite3.SQLITE_READONLY, se.Code()&0xff)
	checkWrapped(t, d, err, core.ErrorOperational, `INSERT INTO t VALUES (1)`, nil)

	bad, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "no", "such", "dir.db"))
	require.NoError(t, err)
	defer bad.Close()
	err = bad.Ping()
	require.Error(t, err)
	require.True(t, errors.As(err, &se), "%T %v", err, err)
	assert.Equal(t, sqlite3.SQLITE_CANTOPEN, se.Code()&0xff)
	kind, disconnect := d.TranslateError(err)
	assert.Equal(t, core.ErrorOperational, kind)
	assert.False(t, disconnect)
}

// TestTranslateErrorInterrupt cancels a long query: SQLite is interrupted
// and the wrapped error is an OperationalError that still matches the
// context's error when the driver returns it.
func TestTranslateErrorInterrupt(t *testing.T) {
	d := sqlite.New()
	db := memDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	const q = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c`
	var n int64
	err := db.QueryRowContext(ctx, q).Scan(&n)
	require.Error(t, err)
	wrapped := core.NewDBError(d, err, q, nil, false)
	assert.True(t, errors.Is(wrapped, core.ErrOperational), "%v", wrapped)
	var se *gosqlite.Error
	if errors.As(err, &se) {
		assert.Equal(t, sqlite3.SQLITE_INTERRUPT, se.Code()&0xff)
	} else {
		assert.True(t, errors.Is(wrapped, context.DeadlineExceeded), "%v", err)
	}
}

// TestErrorKindOf pins the classification of every primary code and of
// extended codes through their low byte.
func TestErrorKindOf(t *testing.T) {
	cases := map[int]core.ErrorKind{
		sqlite3.SQLITE_CONSTRAINT:            core.ErrorIntegrity,
		sqlite3.SQLITE_CONSTRAINT_UNIQUE:     core.ErrorIntegrity,
		sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY: core.ErrorIntegrity,
		sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY: core.ErrorIntegrity,
		sqlite3.SQLITE_CONSTRAINT_NOTNULL:    core.ErrorIntegrity,
		sqlite3.SQLITE_CONSTRAINT_CHECK:      core.ErrorIntegrity,
		sqlite3.SQLITE_CONSTRAINT_TRIGGER:    core.ErrorIntegrity,
		sqlite3.SQLITE_ERROR:                 core.ErrorOperational,
		sqlite3.SQLITE_ERROR_MISSING_COLLSEQ: core.ErrorOperational,
		sqlite3.SQLITE_BUSY:                  core.ErrorOperational,
		sqlite3.SQLITE_BUSY_SNAPSHOT:         core.ErrorOperational,
		sqlite3.SQLITE_LOCKED:                core.ErrorOperational,
		sqlite3.SQLITE_LOCKED_SHAREDCACHE:    core.ErrorOperational,
		sqlite3.SQLITE_IOERR:                 core.ErrorOperational,
		sqlite3.SQLITE_IOERR_FSYNC:           core.ErrorOperational,
		sqlite3.SQLITE_CANTOPEN:              core.ErrorOperational,
		sqlite3.SQLITE_FULL:                  core.ErrorOperational,
		sqlite3.SQLITE_NOMEM:                 core.ErrorOperational,
		sqlite3.SQLITE_INTERRUPT:             core.ErrorOperational,
		sqlite3.SQLITE_READONLY:              core.ErrorOperational,
		sqlite3.SQLITE_PERM:                  core.ErrorOperational,
		sqlite3.SQLITE_ABORT:                 core.ErrorOperational,
		sqlite3.SQLITE_ABORT_ROLLBACK:        core.ErrorOperational,
		sqlite3.SQLITE_SCHEMA:                core.ErrorOperational,
		sqlite3.SQLITE_MISMATCH:              core.ErrorData,
		sqlite3.SQLITE_TOOBIG:                core.ErrorData,
		sqlite3.SQLITE_MISUSE:                core.ErrorInterface,
		sqlite3.SQLITE_RANGE:                 core.ErrorInterface,
		sqlite3.SQLITE_INTERNAL:              core.ErrorInternal,
		sqlite3.SQLITE_NOTFOUND:              core.ErrorInternal,
		sqlite3.SQLITE_CORRUPT:               core.ErrorUnknown,
		sqlite3.SQLITE_NOTADB:                core.ErrorUnknown,
		sqlite3.SQLITE_FORMAT:                core.ErrorUnknown,
		0:                                    core.ErrorUnknown,
	}
	for code, want := range cases {
		assert.Equal(t, want, sqlite.ErrorKindOf(code), "code %d", code)
	}
}

// TestTranslateErrorConnection: errors with no SQLite code.
func TestTranslateErrorConnection(t *testing.T) {
	d := sqlite.New()
	for _, err := range []error{
		driver.ErrBadConn, io.EOF, fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
		&net.OpError{Op: "read", Net: "unix", Err: errors.New("reset")},
	} {
		kind, disconnect := d.TranslateError(err)
		assert.Equal(t, core.ErrorOperational, kind, "%v", err)
		assert.True(t, disconnect, "%v", err)
		assert.True(t, core.IsDisconnect(core.NewDBError(d, err, "SELECT 1", nil, false)))
	}
	kind, disconnect := d.TranslateError(errors.New("something else"))
	assert.Equal(t, core.ErrorUnknown, kind)
	assert.False(t, disconnect)
}
