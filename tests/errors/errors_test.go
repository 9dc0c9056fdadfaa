// Package errors_test checks, on live databases, that each dialect turns
// its driver's errors into Retort's typed hierarchy (issue 3, row C11):
// a unique, foreign key, NOT NULL or CHECK violation is an IntegrityError,
// a syntax error or a missing table a ProgrammingError (an
// OperationalError on SQLite, as Python's sqlite3 has it), a division by
// zero or a numeric overflow a DataError; the driver's error, the
// statement and the parameters stay reachable.
//
// SQLite always runs; PostgreSQL and MariaDB/MySQL run when internal/testdb
// finds them (and fail when RETORT_REQUIRE lists them). Each backend runs
// twice: straight on its driver (database/sql, or pgx for PostgreSQL) with
// the statement compiled by core.Compile and the error wrapped by
// core.NewDBError, and through a core.Engine, whose Connection wraps the
// error itself.
package errors_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gosqlite "modernc.org/sqlite"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/mysql"
	"github.com/retort-orm/retort/dialect/postgresql"
	"github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/testdb"
)

// The schema: a parent with a unique NOT NULL name and a CHECK on qty, and
// a child referencing it. The rerr_ prefix keeps clear of other suites'
// tables in the shared test databases.
var (
	md     = core.NewMetaData()
	parent = md.MustTable("rerr_parent",
		core.Col("id", core.Integer{}, core.PrimaryKey(), core.Autoincrement(false)),
		core.Col("name", core.String{Length: 20}, core.NotNull(), core.Unique()),
		core.Col("qty", core.Integer{}),
		&core.CheckConstraint{Name: "ck_rerr_parent_qty", Expr: core.Raw("qty > 0", nil)},
	)
	child = md.MustTable("rerr_child",
		core.Col("id", core.Integer{}, core.PrimaryKey(), core.Autoincrement(false)),
		core.Col("parent_id", core.Integer{}, core.References("rerr_parent.id")),
	)
)

// backend runs statements on one live database.
type backend struct {
	name string
	d    core.Dialect
	// run executes sql with args and reads any rows; it returns the
	// driver's error as is.
	run func(ctx context.Context, sql string, args []any) error
	// driverErr reports whether err holds the driver's own error type.
	driverErr func(err error) bool
	// engine is an Engine on the same database.
	engine *core.Engine
}

// scenario is one failing statement and the kind expected per backend; a
// backend missing from want has no such error (SQLite's 1/0 is NULL).
type scenario struct {
	name string
	stmt func() core.Statement // nil for raw SQL
	raw  map[string]string     // per backend, or "" key for all
	want map[string]core.ErrorKind
}

func all(k core.ErrorKind) map[string]core.ErrorKind {
	return map[string]core.ErrorKind{testdb.SQLite: k, testdb.Postgres: k, testdb.MySQL: k}
}

var scenarios = []scenario{
	{
		name: "unique violation",
		stmt: func() core.Statement {
			return core.Insert(parent).Values(map[string]any{"id": 2, "name": "first", "qty": 1})
		},
		want: all(core.ErrorIntegrity),
	},
	{
		name: "primary key violation",
		stmt: func() core.Statement {
			return core.Insert(parent).Values(map[string]any{"id": 1, "name": "other", "qty": 1})
		},
		want: all(core.ErrorIntegrity),
	},
	{
		name: "foreign key violation",
		stmt: func() core.Statement {
			return core.Insert(child).Values(map[string]any{"id": 1, "parent_id": 99})
		},
		want: all(core.ErrorIntegrity),
	},
	{
		name: "foreign key restrict on delete",
		stmt: func() core.Statement {
			return core.Delete(parent).Where(parent.C("id").Eq(1))
		},
		want: all(core.ErrorIntegrity),
	},
	{
		name: "not null violation",
		stmt: func() core.Statement {
			return core.Insert(parent).Values(map[string]any{"id": 3, "name": nil, "qty": 1})
		},
		want: all(core.ErrorIntegrity),
	},
	{
		name: "check violation",
		stmt: func() core.Statement {
			return core.Insert(parent).Values(map[string]any{"id": 4, "name": "negative", "qty": -5})
		},
		want: all(core.ErrorIntegrity),
	},
	{
		name: "syntax error",
		raw:  map[string]string{"": "SELEC 1"},
		want: map[string]core.ErrorKind{
			testdb.SQLite: core.ErrorOperational, testdb.Postgres: core.ErrorProgramming, testdb.MySQL: core.ErrorProgramming,
		},
	},
	{
		name: "missing table",
		raw:  map[string]string{"": "SELECT * FROM rerr_missing"},
		want: map[string]core.ErrorKind{
			testdb.SQLite: core.ErrorOperational, testdb.Postgres: core.ErrorProgramming, testdb.MySQL: core.ErrorProgramming,
		},
	},
	{
		name: "unknown column",
		raw:  map[string]string{"": "SELECT nope FROM rerr_parent"},
		want: map[string]core.ErrorKind{
			testdb.SQLite: core.ErrorOperational, testdb.Postgres: core.ErrorProgramming, testdb.MySQL: core.ErrorProgramming,
		},
	},
	{
		// SQLite's 1/0 is NULL and MySQL's SELECT 1/0 too; in strict mode
		// (MariaDB's default ERROR_FOR_DIVISION_BY_ZERO) writing it fails.
		name: "division by zero",
		raw: map[string]string{
			testdb.SQLite:   "SELECT 1 / 0",
			testdb.Postgres: "SELECT 1 / 0",
			testdb.MySQL:    "INSERT INTO rerr_parent (id, name, qty) VALUES (50, 'div', 1 / 0)",
		},
		want: map[string]core.ErrorKind{testdb.Postgres: core.ErrorData, testdb.MySQL: core.ErrorData},
	},
	{
		// SQLite reports integer overflow as SQLITE_ERROR.
		name: "numeric overflow",
		raw: map[string]string{
			testdb.SQLite:   "SELECT abs(-9223372036854775807 - 1)",
			testdb.Postgres: "SELECT CAST(9223372036854775807 AS BIGINT) + 1",
			testdb.MySQL:    "SELECT CAST(9223372036854775807 AS SIGNED) + 1",
		},
		want: map[string]core.ErrorKind{
			testdb.SQLite: core.ErrorOperational, testdb.Postgres: core.ErrorData, testdb.MySQL: core.ErrorData,
		},
	},
	{
		name: "string too long",
		stmt: func() core.Statement {
			return core.Insert(parent).Values(map[string]any{"id": 5, "name": strings.Repeat("x", 30), "qty": 1})
		},
		want: map[string]core.ErrorKind{testdb.Postgres: core.ErrorData, testdb.MySQL: core.ErrorData},
	},
}

func TestErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		be := open(t, b)
		if be == nil {
			return
		}
		ctx := context.Background()
		setup(t, ctx, be)

		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				q, args := statement(t, be, sc)
				want, fails := sc.want[be.name]

				err := be.run(ctx, q, args)
				if !fails {
					assert.NoError(t, err, "%s has no error for %s", be.name, sc.name)
					return
				}
				require.Error(t, err, q)
				assert.True(t, be.driverErr(err), "driver error type: %T %v", err, err)
				checkWrapped(t, be.d, err, want, q, args)

				t.Run("engine", func(t *testing.T) {
					err := execEngine(ctx, be, sc, q)
					require.Error(t, err)
					var dbe *core.DBError
					require.True(t, errors.As(err, &dbe), "the engine returned a bare %T (%v): an error met "+
						"while reading rows must reach Result.Err/Close wrapped by core.NewDBError too", err, err)
					assert.Equal(t, want, dbe.Kind, "%v", err)
					assert.True(t, be.driverErr(err), "driver error type: %T %v", err, err)
					assert.Contains(t, err.Error(), "[SQL: ")
				})
			})
		}
	})
}

// statement compiles a scenario for the backend.
func statement(t *testing.T, be *backend, sc scenario) (string, []any) {
	t.Helper()
	if sc.stmt == nil {
		if q, ok := sc.raw[be.name]; ok {
			return q, nil
		}
		return sc.raw[""], nil
	}
	c, err := core.Compile(be.d, sc.stmt())
	require.NoError(t, err)
	return c.SQL, c.Args
}

// execEngine runs the scenario through the engine.
func execEngine(ctx context.Context, be *backend, sc scenario, q string) error {
	var stmt core.Statement
	if sc.stmt != nil {
		stmt = sc.stmt()
	} else {
		stmt = core.Raw(q, nil)
	}
	res, err := be.engine.Execute(ctx, stmt)
	if err != nil {
		return err
	}
	for res.Next() {
	}
	err = res.Err()
	if cerr := res.Close(); err == nil {
		err = cerr
	}
	return err
}

func checkWrapped(t *testing.T, d core.Dialect, err error, want core.ErrorKind, q string, args []any) {
	t.Helper()
	wrapped := core.NewDBError(d, err, q, args, false)
	var dbe *core.DBError
	require.True(t, errors.As(wrapped, &dbe))
	assert.Equal(t, want, dbe.Kind, "%v", err)
	assert.True(t, errors.Is(wrapped, sentinel(want)), "%v", wrapped)
	assert.Equal(t, want == core.ErrorIntegrity, errors.Is(wrapped, core.ErrIntegrity))
	assert.True(t, errors.Is(wrapped, core.ErrDatabase))
	assert.False(t, core.IsDisconnect(wrapped))
	assert.False(t, core.SafeToRetry(wrapped))
	msg := wrapped.Error()
	assert.Contains(t, msg, want.String())
	assert.Contains(t, msg, "[SQL: "+q+"]")
	if len(args) > 0 {
		assert.Contains(t, msg, fmt.Sprintf("[parameters: %v]", args))
		hidden := core.NewDBError(d, err, q, args, true).Error()
		assert.Contains(t, hidden, "[parameters hidden]")
		assert.NotContains(t, hidden, fmt.Sprintf("%v", args))
	}
}

func sentinel(k core.ErrorKind) error {
	return map[core.ErrorKind]error{
		core.ErrorUnknown: core.ErrDatabase, core.ErrorInterface: core.ErrInterface, core.ErrorData: core.ErrData,
		core.ErrorOperational: core.ErrOperational, core.ErrorIntegrity: core.ErrIntegrity,
		core.ErrorInternal: core.ErrInternal, core.ErrorProgramming: core.ErrProgramming,
		core.ErrorNotSupported: core.ErrNotSupported,
	}[k]
}

// setup drops and creates the schema and inserts parent 1 ("first") with
// child 10 referencing it.
func setup(t *testing.T, ctx context.Context, be *backend) {
	t.Helper()
	ddl := func(elems []core.DDLElement) {
		for _, el := range elems {
			c, err := core.Compile(be.d, el)
			require.NoError(t, err)
			require.NoError(t, be.run(ctx, c.SQL, c.Args), c.SQL)
		}
	}
	ddl(core.DropAllDDL(md, true))
	t.Cleanup(func() { ddl(core.DropAllDDL(md, true)) })
	ddl(core.CreateAllDDL(md, false))
	for _, st := range []core.Statement{
		core.Insert(parent).Values(map[string]any{"id": 1, "name": "first", "qty": 1}),
		core.Insert(child).Values(map[string]any{"id": 10, "parent_id": 1}),
	} {
		c, err := core.Compile(be.d, st)
		require.NoError(t, err)
		require.NoError(t, be.run(ctx, c.SQL, c.Args), c.SQL)
	}
}

// open connects to the backend, or returns nil after skipping it.
func open(t *testing.T, b testdb.Backend) *backend {
	t.Helper()
	switch b.Name {
	case testdb.SQLite:
		// One connection: every statement sees the same in-memory database.
		db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
		require.NoError(t, err)
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		d := sqlite.New()
		return &backend{
			name: b.Name, d: d, run: sqlRunner(db),
			driverErr: func(err error) bool { var e *gosqlite.Error; return errors.As(err, &e) },
			engine:    core.NewEngineFromDB(d, db),
		}
	case testdb.MySQL:
		db, err := sql.Open("mysql", b.URL)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, db.PingContext(ctx))
		d := mysql.New()
		return &backend{
			name: b.Name, d: d, run: sqlRunner(db),
			driverErr: func(err error) bool { var e *gomysql.MySQLError; return errors.As(err, &e) },
			engine:    core.NewEngineFromDB(d, db),
		}
	case testdb.Postgres:
		d := postgresql.New()
		if _, ok := core.Dialect(d).(core.ErrorTranslator); !ok {
			t.Skip("dialect/postgresql has no TranslateError yet: PostgreSQL error translation is not tested")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, b.URL)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close(context.Background()) })
		eng, err := core.CreateEngine(b.URL)
		require.NoError(t, err, "core.CreateEngine(%s)", b.Env)
		t.Cleanup(func() { eng.Close() })
		return &backend{
			name: b.Name, d: d,
			run: func(ctx context.Context, q string, args []any) error {
				_, err := conn.Exec(ctx, q, args...)
				return err
			},
			driverErr: func(err error) bool { var e *pgconn.PgError; return errors.As(err, &e) },
			engine:    eng,
		}
	}
	t.Skipf("%s: no server for the error suite here (SQL Server and Oracle are unit-tested in their dialect packages)", b.Name)
	return nil
}

// sqlRunner runs statements on database/sql, reading rows so that an
// error raised while producing them surfaces.
func sqlRunner(db *sql.DB) func(ctx context.Context, q string, args []any) error {
	return func(ctx context.Context, q string, args []any) error {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		err = rows.Err()
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		return err
	}
}

// TestDisconnect kills the server session under a pinned connection: the
// next statement fails with an OperationalError that reports the
// connection lost, keeps the driver's error and is not safe to retry
// blindly unless the driver proves nothing was sent.
func TestDisconnect(t *testing.T) {
	ctx := context.Background()
	t.Run(testdb.MySQL, func(t *testing.T) {
		u := testdb.URL(t, testdb.MySQL)
		db, err := sql.Open("mysql", u)
		require.NoError(t, err)
		defer db.Close()
		victim, err := db.Conn(ctx)
		require.NoError(t, err)
		defer victim.Close()
		var id int64
		require.NoError(t, victim.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id))
		_, err = db.ExecContext(ctx, fmt.Sprintf("KILL %d", id))
		require.NoError(t, err)
		time.Sleep(100 * time.Millisecond)

		_, err = victim.ExecContext(ctx, "SELECT 1")
		require.Error(t, err)
		t.Logf("%T: %v", err, err)
		d := mysql.New()
		wrapped := core.NewDBError(d, err, "SELECT 1", nil, false)
		assert.True(t, errors.Is(wrapped, core.ErrOperational), "%T %v", err, err)
		assert.True(t, core.IsDisconnect(wrapped), "%T %v", err, err)
	})
	t.Run(testdb.Postgres, func(t *testing.T) {
		u := testdb.URL(t, testdb.Postgres)
		victim, err := pgx.Connect(ctx, u)
		require.NoError(t, err)
		defer victim.Close(ctx)
		killer, err := pgx.Connect(ctx, u)
		require.NoError(t, err)
		defer killer.Close(ctx)
		_, err = killer.Exec(ctx, "SELECT pg_terminate_backend($1)", victim.PgConn().PID())
		require.NoError(t, err)
		time.Sleep(100 * time.Millisecond)

		_, err = victim.Exec(ctx, "SELECT 1")
		require.Error(t, err)
		t.Logf("%T: %v", err, err)
		wrapped := core.NewDBError(postgresql.New(), err, "SELECT 1", nil, false)
		assert.True(t, errors.Is(wrapped, core.ErrOperational), "%T %v", err, err)
		assert.True(t, core.IsDisconnect(wrapped), "%T %v", err, err)
	})
}

// TestCancel: a statement stopped by its context is an OperationalError
// that still matches the context's error or, on SQLite, carries
// SQLITE_INTERRUPT.
func TestCancel(t *testing.T) {
	queries := map[string]string{
		testdb.SQLite:   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
		testdb.MySQL:    "SELECT SLEEP(5)",
		testdb.Postgres: "SELECT pg_sleep(5)",
	}
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		q, ok := queries[b.Name]
		if !ok {
			t.Skipf("%s: no server for the error suite here", b.Name)
		}
		be := open(t, b)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := be.run(ctx, q, nil)
		require.Error(t, err)
		assert.Less(t, time.Since(start), 4*time.Second, "the statement was stopped")
		wrapped := core.NewDBError(be.d, err, q, nil, false)
		assert.True(t, errors.Is(wrapped, core.ErrOperational), "%T %v", err, err)
		var se *gosqlite.Error
		if !errors.As(err, &se) {
			assert.True(t, errors.Is(wrapped, context.DeadlineExceeded), "%T %v", err, err)
		}
	})
}
