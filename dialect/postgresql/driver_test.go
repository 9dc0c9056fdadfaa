package postgresql_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/postgresql"
	"github.com/retort-orm/retort/internal/testdb"
)

// openDriver opens a pool on the test server, closed when the test ends.
func openDriver(t *testing.T, opts core.PoolOptions) (*postgresql.Dialect, core.Driver) {
	t.Helper()
	url := testdb.URL(t, testdb.Postgres)
	d := postgresql.New()
	dr, err := d.Open(url, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = dr.Close() })
	return d, dr
}

func acquire(t *testing.T, dr core.Driver) core.DriverConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := dr.Acquire(ctx)
	require.NoError(t, err)
	return c
}

// queryInt runs a one-value query.
func queryInt(ctx context.Context, c core.DriverConn, sql string, args ...any) (int64, error) {
	rows, err := c.Query(ctx, sql, args)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Close()
}

func backendPID(t *testing.T, c core.DriverConn) int64 {
	t.Helper()
	pid, err := queryInt(context.Background(), c, "SELECT pg_backend_pid()")
	require.NoError(t, err)
	require.NotZero(t, pid)
	return pid
}

// terminate kills a backend from a connection of its own and waits until
// the server no longer lists it.
func terminate(t *testing.T, pid int64) {
	t.Helper()
	ctx := context.Background()
	killer, err := pgx.Connect(ctx, testdb.URL(t, testdb.Postgres))
	require.NoError(t, err)
	defer killer.Close(ctx)
	var ok bool
	require.NoError(t, killer.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok))
	require.True(t, ok, "pg_terminate_backend(%d)", pid)
	require.Eventually(t, func() bool {
		var n int
		_ = killer.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid).Scan(&n)
		return n == 0
	}, 5*time.Second, 10*time.Millisecond)
}

func TestOpenRegistersAsOpener(t *testing.T) {
	for _, scheme := range []string{"postgresql", "postgres"} {
		d, err := core.LookupDialect(scheme)
		require.NoError(t, err, scheme)
		_, ok := d.(core.Opener)
		assert.True(t, ok, scheme)
		_, ok = d.(core.ErrorTranslator)
		assert.True(t, ok, scheme)
	}
}

func TestOpenBadURL(t *testing.T) {
	_, err := postgresql.New().Open("postgres://u:secret@host:notaport/db", core.PoolOptions{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret")
}

func TestOpenPoolSettings(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{Size: 2, Overflow: 3})
	st := dr.Stats()
	assert.Equal(t, 5, st.MaxOpen)
	assert.Equal(t, 0, st.Open, "no connection is opened before it is needed")

	_, dr = openDriver(t, core.PoolOptions{Size: 2, Overflow: -1})
	assert.Greater(t, dr.Stats().MaxOpen, 1000, "negative overflow: no limit")
}

func TestDriverExecQueryScan(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{})
	ctx := context.Background()
	c := acquire(t, dr)
	defer c.Release(false)

	_, err := c.Exec(ctx, "CREATE TEMP TABLE drv_rows (id bigint PRIMARY KEY, name text, score numeric)", nil)
	require.NoError(t, err)
	res, err := c.Exec(ctx, "INSERT INTO drv_rows VALUES ($1, $2, $3), ($4, $5, $6)",
		[]any{1, "ann", "1.5", 2, nil, "2.25"})
	require.NoError(t, err)
	assert.Equal(t, int64(2), res.RowsAffected)
	assert.False(t, res.HasLastInsertID)

	rows, err := c.Query(ctx, "SELECT id, name AS who FROM drv_rows WHERE id >= $1 ORDER BY id", []any{1})
	require.NoError(t, err)
	assert.Equal(t, []string{"id", "who"}, rows.Columns())
	var got []string
	for rows.Next() {
		var id int64
		var name *string
		require.NoError(t, rows.Scan(&id, &name))
		if name == nil {
			got = append(got, fmt.Sprintf("%d:NULL", id))
		} else {
			got = append(got, fmt.Sprintf("%d:%s", id, *name))
		}
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	assert.Equal(t, []string{"1:ann", "2:NULL"}, got)

	// The connection is usable again after the rows are closed, and a
	// statement error comes back as pgx's own error.
	_, err = c.Exec(ctx, "INSERT INTO drv_rows VALUES ($1, $2, $3)", []any{1, "dup", "0"})
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23505", pgErr.Code)
	n, err := queryInt(ctx, c, "SELECT count(*) FROM drv_rows")
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	require.NoError(t, c.Ping(ctx))
}

func TestDriverLiveErrorTranslation(t *testing.T) {
	d, dr := openDriver(t, core.PoolOptions{})
	ctx := context.Background()
	c := acquire(t, dr)
	defer c.Release(false)

	_, err := c.Exec(ctx, "CREATE TEMP TABLE drv_uniq (id int PRIMARY KEY, parent int REFERENCES drv_uniq (id), v int CHECK (v > 0))", nil)
	require.NoError(t, err)
	const ins = "INSERT INTO drv_uniq (id, v) VALUES ($1, $2)"
	_, err = c.Exec(ctx, ins, []any{1, 1})
	require.NoError(t, err)

	check := func(sql string, args []any, want error, code string) {
		t.Helper()
		_, err := c.Exec(ctx, sql, args)
		require.Error(t, err)
		err = core.NewDBError(d, err, sql, args, false)
		assert.ErrorIs(t, err, want, sql)
		var pgErr *pgconn.PgError
		require.ErrorAs(t, err, &pgErr, "the pgx error stays reachable through Unwrap")
		assert.Equal(t, code, pgErr.Code)
		var dbErr *core.DBError
		require.ErrorAs(t, err, &dbErr)
		assert.Equal(t, sql, dbErr.Statement)
		assert.False(t, dbErr.Disconnect)
	}
	check(ins, []any{1, 1}, core.ErrIntegrity, "23505")
	check("INSERT INTO drv_uniq (id, parent, v) VALUES ($1, $2, $3)", []any{2, 99, 1}, core.ErrIntegrity, "23503")
	check(ins, []any{3, -1}, core.ErrIntegrity, "23514")
	check("SELECT 1 / 0", nil, core.ErrData, "22012")
	check("SELECT * FROM drv_no_such_table", nil, core.ErrProgramming, "42P01")
	check("SELEKT 1", nil, core.ErrProgramming, "42601")
	check("LOCK TABLE drv_uniq", nil, core.ErrInternal, "25P01") // outside a transaction block

	// The connection survives all of these.
	require.NoError(t, c.Ping(ctx))
}

func TestDriverTransactions(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{})
	ctx := context.Background()
	c := acquire(t, dr)
	defer c.Release(false)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE drv_tx (id int)", nil)
	require.NoError(t, err)

	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	_, err = c.Exec(ctx, "INSERT INTO drv_tx VALUES (1)", nil)
	require.NoError(t, err)
	require.NoError(t, c.Rollback(ctx))

	require.NoError(t, c.Begin(ctx, core.TxOptions{Isolation: core.Serializable}))
	rows, err := c.Query(ctx, "SHOW transaction_isolation", nil)
	require.NoError(t, err)
	require.True(t, rows.Next())
	var iso string
	require.NoError(t, rows.Scan(&iso))
	require.NoError(t, rows.Close())
	assert.Equal(t, "serializable", iso)
	_, err = c.Exec(ctx, "INSERT INTO drv_tx VALUES (2)", nil)
	require.NoError(t, err)
	require.NoError(t, c.Commit(ctx))

	n, err := queryInt(ctx, c, "SELECT coalesce(sum(id), 0) FROM drv_tx")
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "the rolled-back row is gone, the committed one stays")

	require.NoError(t, c.Begin(ctx, core.TxOptions{ReadOnly: true, Isolation: core.RepeatableRead}))
	rows, err = c.Query(ctx, "SELECT current_setting('transaction_read_only'), current_setting('transaction_isolation')", nil)
	require.NoError(t, err)
	require.True(t, rows.Next())
	var ro string
	require.NoError(t, rows.Scan(&ro, &iso))
	require.NoError(t, rows.Close())
	assert.Equal(t, "on", ro)
	assert.Equal(t, "repeatable read", iso)
	_, err = c.Exec(ctx, "CREATE TEMP TABLE drv_tx_ro (id int)", nil)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "25006", pgErr.Code) // read_only_sql_transaction
	require.NoError(t, c.Rollback(ctx))

	// A failed transaction cannot commit.
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	_, err = c.Exec(ctx, "SELECT 1/0", nil)
	require.Error(t, err)
	assert.ErrorIs(t, c.Commit(ctx), pgx.ErrTxCommitRollback)

	assert.Error(t, c.Commit(ctx), "no transaction open")
	assert.Error(t, c.Rollback(ctx), "no transaction open")
	assert.ErrorIs(t, c.Begin(ctx, core.TxOptions{Isolation: core.Snapshot}), core.ErrNotSupported)
}

// Begin sends nothing: the BEGIN goes with the transaction's first
// statement (one round trip), or not at all when none runs; every path
// that sends a statement sends it first.
func TestDriverDeferredBegin(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: 0})
	ctx := context.Background()
	c := acquire(t, dr)
	defer c.Release(false)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE drv_defer (id int)", nil)
	require.NoError(t, err)
	txStatus := func() byte { return c.(interface{ PgxConn() *pgx.Conn }).PgxConn().PgConn().TxStatus() }

	// The transaction starts at its first statement, not at Begin.
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	time.Sleep(60 * time.Millisecond)
	n, err := queryInt(ctx, c, "SELECT (extract(epoch FROM statement_timestamp() - transaction_timestamp()) * 1000)::bigint")
	require.NoError(t, err)
	assert.Less(t, n, int64(50), "the BEGIN was sent with the first statement, not at Begin")
	_, err = c.Exec(ctx, "INSERT INTO drv_defer VALUES (1)", nil)
	require.NoError(t, err)
	require.NoError(t, c.Rollback(ctx))
	assert.Equal(t, byte('I'), txStatus())

	// A transaction without statements commits and rolls back nothing.
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	require.NoError(t, c.Commit(ctx))
	require.NoError(t, c.Begin(ctx, core.TxOptions{Isolation: core.Serializable}))
	require.NoError(t, c.Rollback(ctx))
	assert.Error(t, c.Commit(ctx), "no transaction open")
	assert.Equal(t, byte('I'), txStatus())

	// An Exec first, then a batch, then PgxConn: all in the transaction.
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	assert.Error(t, c.Begin(ctx, core.TxOptions{}), "a pending transaction is open")
	_, _, err = c.(core.BatchExecer).ExecBatch(ctx, "INSERT INTO drv_defer VALUES ($1)", [][]any{{2}, {3}})
	require.NoError(t, err)
	assert.Equal(t, byte('T'), txStatus())
	require.NoError(t, c.Rollback(ctx))
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	pc := c.(interface{ PgxConn() *pgx.Conn }).PgxConn() // sends the BEGIN
	assert.Equal(t, byte('T'), pc.PgConn().TxStatus())
	_, err = pc.Exec(ctx, "INSERT INTO drv_defer VALUES (4)")
	require.NoError(t, err)
	require.NoError(t, c.Rollback(ctx))
	n, err = queryInt(ctx, c, "SELECT count(*) FROM drv_defer")
	require.NoError(t, err)
	assert.Zero(t, n, "every insert ran in its rolled-back transaction")

	// A committed batch with its BEGIN stays.
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	_, _, err = c.(core.BatchExecer).ExecBatch(ctx, "INSERT INTO drv_defer VALUES ($1)", [][]any{{5}, {6}})
	require.NoError(t, err)
	require.NoError(t, c.Commit(ctx))
	n, err = queryInt(ctx, c, "SELECT count(*) FROM drv_defer")
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	// A failing first statement fails the transaction it began.
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	rows, err := c.Query(ctx, "SELECT 1/0", nil)
	if err == nil {
		// (pgx reports a query's error from its rows)
		for rows.Next() {
		}
		err = rows.Close()
	}
	require.Error(t, err)
	assert.ErrorIs(t, c.Commit(ctx), pgx.ErrTxCommitRollback)
	assert.Equal(t, byte('I'), txStatus())
}

// A BEGIN that cannot be sent (the backend is gone) fails the first
// statement; Rollback then has nothing to do, and the connection is
// dropped on release.
func TestDriverDeferredBeginOnDeadConnection(t *testing.T) {
	d, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: 0})
	ctx := context.Background()
	c := acquire(t, dr)
	terminate(t, backendPID(t, c))
	require.NoError(t, c.Begin(ctx, core.TxOptions{}), "nothing is sent yet")
	_, err := c.Exec(ctx, "SELECT 1", nil)
	require.Error(t, err)
	assert.True(t, core.IsDisconnect(core.NewDBError(d, err, "SELECT 1", nil, false)), "%v", err)
	_, err = c.Query(ctx, "SELECT 1", nil)
	assert.ErrorContains(t, err, "the transaction did not begin")
	require.NoError(t, c.Rollback(ctx))
	c.Release(true)
	c = acquire(t, dr)
	defer c.Release(false)
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	n, err := queryInt(ctx, c, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int64(7), n)
	require.NoError(t, c.Commit(ctx))
}

func TestDriverReleaseRollsBackOpenTransaction(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: -1})
	ctx := context.Background()
	c := acquire(t, dr)
	pid := backendPID(t, c)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE drv_reset (id int)", nil)
	require.NoError(t, err)
	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	_, err = c.Exec(ctx, "INSERT INTO drv_reset VALUES (1)", nil)
	require.NoError(t, err)
	rows, err := c.Query(ctx, "SELECT generate_series(1, 1000)", nil)
	require.NoError(t, err)
	require.True(t, rows.Next())
	c.Release(false) // rows still open, transaction still open
	c.Release(false) // a second release does nothing

	c = acquire(t, dr)
	defer c.Release(false)
	assert.Equal(t, pid, backendPID(t, c), "the connection went back to the pool")
	n, err := queryInt(ctx, c, "SELECT count(*) FROM drv_reset")
	require.NoError(t, err)
	assert.Zero(t, n, "the transaction was rolled back on release")
}

// A backend killed mid-transaction: the next statement fails with an
// operational disconnect, the broken connection is dropped on release, and
// the pool hands out a working new one.
func TestFaultBackendKilledMidTransaction(t *testing.T) {
	d, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: 0})
	ctx := context.Background()

	victim := acquire(t, dr)
	pid := backendPID(t, victim)
	require.NoError(t, victim.Begin(ctx, core.TxOptions{}))
	_, err := victim.Exec(ctx, "SELECT 1", nil)
	require.NoError(t, err)

	terminate(t, pid)

	const stmt = "SELECT 2"
	_, err = victim.Exec(ctx, stmt, nil)
	require.Error(t, err)
	err = core.NewDBError(d, err, stmt, nil, false) // what the engine does
	var dbErr *core.DBError
	require.ErrorAs(t, err, &dbErr)
	assert.Equal(t, core.ErrorOperational, dbErr.Kind, "%v", err)
	assert.True(t, dbErr.Disconnect, "%v", err)
	assert.ErrorIs(t, err, core.ErrOperational)
	assert.True(t, core.IsDisconnect(err))

	victim.Release(true)
	assert.Eventually(t, func() bool { return dr.Stats().Open == 0 }, time.Second, 5*time.Millisecond,
		"the broken connection was dropped")

	c := acquire(t, dr)
	defer c.Release(false)
	assert.NotEqual(t, pid, backendPID(t, c), "a new backend")
	n, err := queryInt(ctx, c, "SELECT 41 + $1::int", 1)
	require.NoError(t, err)
	assert.Equal(t, int64(42), n)
}

// A backend killed while its connection is idle in the pool: with PrePing
// the next checkout notices and replaces it, so the caller never sees it.
func TestFaultPrePingReplacesDeadConnection(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: 0, PrePing: true})
	c := acquire(t, dr)
	pid := backendPID(t, c)
	c.Release(false)

	terminate(t, pid)

	c = acquire(t, dr)
	defer c.Release(false)
	assert.NotEqual(t, pid, backendPID(t, c))
}

// A context cancelled mid-query stops the query on the server and returns
// promptly with an error matching context.Canceled.
func TestFaultContextCancelledMidQuery(t *testing.T) {
	d, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: 0})
	c := acquire(t, dr)
	pid := backendPID(t, c)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := queryInt(ctx, c, "SELECT pg_sleep(10)::text::int8")
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.Less(t, elapsed, 2*time.Second)
	assert.ErrorIs(t, err, context.Canceled, "%v", err)

	err = core.NewDBError(d, err, "SELECT pg_sleep(10)", nil, false)
	assert.ErrorIs(t, err, core.ErrOperational)
	assert.ErrorIs(t, err, context.Canceled)
	c.Release(core.IsDisconnect(err))

	// The server is no longer running the query, and the connection
	// survived (the cancel request stopped the query, not the session).
	check := acquire(t, dr)
	defer check.Release(false)
	assert.Equal(t, pid, backendPID(t, check))
	n, err := queryInt(context.Background(), check,
		"SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(10)%' AND state = 'active'")
	require.NoError(t, err)
	assert.Zero(t, n)
	n, err = queryInt(context.Background(), check, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int64(7), n)
}

// With every connection held, a checkout fails after the pool timeout with
// a clear operational error instead of hanging.
func TestFaultPoolExhausted(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: 0, Timeout: 200 * time.Millisecond})
	held := acquire(t, dr)
	defer held.Release(false)

	start := time.Now()
	c, err := dr.Acquire(context.Background())
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.Nil(t, c)
	assert.GreaterOrEqual(t, elapsed, 150*time.Millisecond)
	assert.Less(t, elapsed, time.Second)
	assert.ErrorIs(t, err, core.ErrOperational)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, core.ErrPoolExhausted)
	var ex *postgresql.PoolExhaustedError
	require.ErrorAs(t, err, &ex)
	assert.Equal(t, 1, ex.MaxConns)
	assert.Contains(t, err.Error(), "pool exhausted")
	assert.False(t, core.IsDisconnect(err))
	assert.GreaterOrEqual(t, dr.Stats().WaitCount, int64(1))

	// The caller's own, shorter deadline wins and is reported as such.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = dr.Acquire(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, errors.As(err, &ex), "not the pool's timeout: %v", err)

	held.Release(false)
	c = acquire(t, dr)
	c.Release(false)
	assert.Equal(t, 1, dr.Stats().Open)
}

func TestFaultServerUnreachable(t *testing.T) {
	d := postgresql.New()
	dr, err := d.Open("postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", core.PoolOptions{Timeout: 3 * time.Second})
	require.NoError(t, err, "the pool connects lazily")
	defer dr.Close()
	_, err = dr.Acquire(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, core.ErrOperational)
	assert.True(t, core.IsDisconnect(err), "%v", err)
}

func TestWrapPool(t *testing.T) {
	url := testdb.URL(t, testdb.Postgres)
	pool, err := pgxpool.New(context.Background(), url)
	require.NoError(t, err)
	defer pool.Close()

	dr := postgresql.WrapPool(pool)
	c := acquire(t, dr)
	n, err := queryInt(context.Background(), c, "SELECT $1::int8 * 2", 21)
	require.NoError(t, err)
	assert.Equal(t, int64(42), n)
	assert.Equal(t, 1, dr.Stats().InUse)
	c.Release(false)
	require.NoError(t, dr.Close())
	require.NoError(t, pool.Ping(context.Background()), "the caller's pool stays open")
}

func TestDriverConcurrentUse(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{Size: 4, Overflow: 0})
	var failures atomic.Int64
	done := make(chan struct{})
	for g := range 16 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 50 {
				c, err := dr.Acquire(context.Background())
				if err != nil {
					failures.Add(1)
					return
				}
				n, err := queryInt(context.Background(), c, "SELECT $1::int8 + $2::int8", g, i)
				if err != nil || n != int64(g+i) {
					failures.Add(1)
				}
				c.Release(false)
			}
		}()
	}
	for range 16 {
		<-done
	}
	assert.Zero(t, failures.Load())
	st := dr.Stats()
	assert.Equal(t, 0, st.InUse)
	assert.LessOrEqual(t, st.Open, 4)
}

// BenchmarkDriverOverhead measures the Driver alone against pgxpool on the
// same statement, without statement building or compiling.
func BenchmarkDriverOverhead(b *testing.B) {
	url := testdb.URL(b, testdb.Postgres)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	require.NoError(b, err)
	defer pool.Close()
	dr, err := postgresql.New().Open(url, core.PoolOptions{})
	require.NoError(b, err)
	defer dr.Close()
	const q = "SELECT $1::int8, 'name'::text"
	b.Run("raw_pgx", func(b *testing.B) {
		b.ReportAllocs()
		var n int64
		var s string
		for i := 0; b.Loop(); i++ {
			if err := pool.QueryRow(ctx, q, int64(i)).Scan(&n, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("driver", func(b *testing.B) {
		b.ReportAllocs()
		var n int64
		var s string
		args := make([]any, 1)
		for i := 0; b.Loop(); i++ {
			c, err := dr.Acquire(ctx)
			if err != nil {
				b.Fatal(err)
			}
			args[0] = int64(i)
			rows, err := c.Query(ctx, q, args)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				if err := rows.Scan(&n, &s); err != nil {
					b.Fatal(err)
				}
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
			c.Release(false)
		}
	})
}

// A steady-state checkout adds no allocation of Retort's own to pgxpool's:
// no timer while the pool has room, the wrapper recycled.
func TestDriverAcquireReleaseAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	url := testdb.URL(t, testdb.Postgres)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer pool.Close()
	_, dr := openDriver(t, core.PoolOptions{Size: 2, Overflow: 0})
	c := acquire(t, dr)
	c.Release(false)
	pc, err := pool.Acquire(ctx)
	require.NoError(t, err)
	pc.Release()

	raw := testing.AllocsPerRun(200, func() {
		pc, err := pool.Acquire(ctx)
		if err != nil {
			panic(err)
		}
		pc.Release()
	})
	ours := testing.AllocsPerRun(200, func() {
		c, err := dr.Acquire(ctx)
		if err != nil {
			panic(err)
		}
		c.Release(false)
	})
	assert.LessOrEqual(t, ours, raw, "pgxpool alone: %v allocs", raw)
}

// Fresh tells the engine which checkout got a newly opened connection; the
// engine fires its connect events on it.
func TestDriverFreshConnections(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{Size: 1, Overflow: 0})
	type freshConn interface{ Fresh() bool }
	c := acquire(t, dr)
	assert.True(t, c.(freshConn).Fresh())
	c.Release(false)
	c = acquire(t, dr)
	assert.False(t, c.(freshConn).Fresh())
	pid := backendPID(t, c)
	c.Release(true) // dropped: the next checkout opens a new one
	c = acquire(t, dr)
	defer c.Release(false)
	assert.True(t, c.(freshConn).Fresh())
	assert.NotEqual(t, pid, backendPID(t, c))

	// The pgx connection is reachable for COPY and batches.
	pc := c.(interface{ PgxConn() *pgx.Conn }).PgxConn()
	require.NotNil(t, pc)
	_, err := pc.Exec(context.Background(), "CREATE TEMP TABLE drv_copy (id int)")
	require.NoError(t, err)
	n, err := pc.CopyFrom(context.Background(), pgx.Identifier{"drv_copy"}, []string{"id"},
		pgx.CopyFromRows([][]any{{1}, {2}, {3}}))
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
}
