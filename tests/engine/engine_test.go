package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/testdb"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("database/sql.(*DB).connectionOpener"))
}

func open(t *testing.T, b testdb.Backend, opts ...core.EngineOption) *core.Engine {
	t.Helper()
	e, err := core.CreateEngine(testdb.EngineURL(t, b), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return e
}

var seq atomic.Int64

func schema(t *testing.T) (*core.MetaData, *core.Table, *core.Table) {
	n := seq.Add(1)
	md := core.NewMetaData()
	parent := md.MustTable(fmt.Sprintf("eng_parent_%d", n),
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}),
	)
	child := md.MustTable(fmt.Sprintf("eng_child_%d", n),
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("parent_id", core.Integer{}, core.References(parent.Name()+".id")),
		core.Col("v", core.Integer{}),
	)
	return md, parent, child
}

func setup(t *testing.T, e *core.Engine) (*core.Table, *core.Table) {
	t.Helper()
	ctx := context.Background()
	md, p, c := schema(t)
	require.NoError(t, e.DropAll(ctx, md, true))
	require.NoError(t, e.CreateAll(ctx, md, true))
	t.Cleanup(func() { _ = e.DropAll(context.Background(), md, true) })
	return p, c
}

func count(t *testing.T, e *core.Engine, tbl *core.Table) int64 {
	t.Helper()
	res, err := e.Execute(context.Background(), core.Select(core.Count(tbl.C("id"))))
	require.NoError(t, err)
	v, err := core.ScalarOne[int64](res)
	require.NoError(t, err)
	return v
}

func ins(p *core.Table, name string) core.Statement {
	return core.Insert(p).Values(map[string]any{"name": name})
}

func TestTransactions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		p, _ := setup(t, e)
		ctx := context.Background()

		c, err := e.Connect(ctx)
		require.NoError(t, err)
		tx, err := c.Begin(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "a"))
		require.NoError(t, err)
		require.NoError(t, tx.Commit(ctx))
		assert.False(t, tx.IsActive())

		tx, err = c.Begin(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "rolled back"))
		require.NoError(t, err)
		require.NoError(t, tx.Rollback(ctx))

		// nested: rolling back the savepoint keeps the outer work
		tx, err = c.Begin(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "outer"))
		require.NoError(t, err)
		sp, err := c.BeginNested(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "inner"))
		require.NoError(t, err)
		require.NoError(t, sp.Rollback(ctx))
		sp2, err := c.BeginNested(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "inner kept"))
		require.NoError(t, err)
		require.NoError(t, sp2.Commit(ctx))
		require.NoError(t, tx.Commit(ctx))
		require.NoError(t, c.Close())
		assert.Equal(t, int64(3), count(t, e, p))

		// a transaction left open when its connection closes is rolled back
		c, err = e.Connect(ctx)
		require.NoError(t, err)
		tx, err = c.Begin(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "never"))
		require.NoError(t, err)
		require.NoError(t, c.Close())
		assert.False(t, tx.IsActive())
		assert.Equal(t, int64(3), count(t, e, p))
	})
}

func TestBeginOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		p, _ := setup(t, e)
		ctx := context.Background()
		boom := errors.New("boom")
		err := e.Transaction(ctx, func(c *core.Connection) error {
			_, err := c.Execute(ctx, ins(p, "x"))
			require.NoError(t, err)
			return boom
		})
		assert.ErrorIs(t, err, boom)
		assert.Panics(t, func() {
			_ = e.Transaction(ctx, func(c *core.Connection) error {
				_, err := c.Execute(ctx, ins(p, "y"))
				require.NoError(t, err)
				panic("kaboom")
			})
		})
		assert.Equal(t, int64(0), count(t, e, p))
		require.NoError(t, e.Transaction(ctx, func(c *core.Connection) error {
			_, err := c.Execute(ctx, ins(p, "z"))
			return err
		}))
		assert.Equal(t, int64(1), count(t, e, p))
		assert.Equal(t, 0, e.Stats().InUse)
	})
}

func TestCommitAsYouGoAndAutocommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		p, _ := setup(t, e)
		ctx := context.Background()
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "a"))
		require.NoError(t, err)
		assert.True(t, c.InTransaction(), "first statement autobegins")
		_, err = c.Begin(ctx)
		assert.Error(t, err, "Begin after autobegin is an error")
		require.NoError(t, c.Commit(ctx))
		_, err = c.Execute(ctx, ins(p, "b"))
		require.NoError(t, err)
		require.NoError(t, c.Rollback(ctx))
		require.NoError(t, c.Close())
		assert.Equal(t, int64(1), count(t, e, p))

		c, err = e.Connect(ctx)
		require.NoError(t, err)
		require.NoError(t, c.SetExecutionOptions(core.ExecutionOptions{Autocommit: true}))
		_, err = c.Execute(ctx, ins(p, "auto"))
		require.NoError(t, err)
		assert.False(t, c.InTransaction())
		require.NoError(t, c.Rollback(ctx))
		require.NoError(t, c.Close())
		assert.Equal(t, int64(2), count(t, e, p))
	})
}

func TestClosedConnection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		ctx := context.Background()
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		require.NoError(t, c.Close())
		require.NoError(t, c.Close(), "closing twice is fine")
		_, err = c.Execute(ctx, core.Select(core.Literal(1)))
		assert.ErrorIs(t, err, core.ErrConnectionClosed)
		_, err = c.Begin(ctx)
		assert.ErrorIs(t, err, core.ErrConnectionClosed)
		assert.ErrorIs(t, c.Commit(ctx), core.ErrConnectionClosed)
	})
}

func TestCreateDropAllCheckfirst(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		ctx := context.Background()
		md, p, c := schema(t)
		require.NoError(t, e.DropAll(ctx, md, true))
		require.NoError(t, e.CreateAll(ctx, md, true))
		require.NoError(t, e.CreateAll(ctx, md, true), "checkfirst twice")
		res, err := e.Execute(ctx, core.Insert(p).Values(map[string]any{"id": 1, "name": "p"}))
		require.NoError(t, err)
		res.Close()
		_, err = e.Execute(ctx, core.Insert(c).Values(map[string]any{"id": 1, "parent_id": 99, "v": 1}))
		assert.ErrorIs(t, err, core.ErrIntegrity, "foreign keys are enforced")
		require.NoError(t, e.DropAll(ctx, md, true))
		require.NoError(t, e.DropAll(ctx, md, true), "checkfirst twice")
		require.NoError(t, e.CreateAll(ctx, md, false), "without checkfirst on a dropped schema")
		assert.Error(t, e.CreateAll(ctx, md, false), "without checkfirst the tables exist")
		require.NoError(t, e.DropAll(ctx, md, false))
	})
}

func TestExecuteManyAndInsertMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		p, ch := setup(t, e)
		ctx := context.Background()
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		defer c.Close()
		rows := []map[string]any{{"name": "a"}, {"name": "b"}, {"name": "c"}}
		r, err := c.ExecuteMany(ctx, core.Insert(p), rows)
		require.NoError(t, err)
		assert.Equal(t, int64(3), r.RowsAffected)
		upd := core.Update(p).Where(p.C("name").Eq(core.Param("old", core.String{}))).Values(map[string]any{"name": core.Param("new", core.String{})})
		r, err = c.ExecuteMany(ctx, upd, []map[string]any{{"old": "a", "new": "A"}, {"old": "b", "new": "B"}, {"old": "zz", "new": "Z"}})
		require.NoError(t, err)
		assert.Equal(t, int64(2), r.RowsAffected, "rows matched in total (the third matches none)")
		require.NoError(t, c.Commit(ctx))

		// a failing execution in the middle (a foreign key violation)
		// stops the batch with the database's error and the statement
		_, err = c.ExecuteMany(ctx, core.Insert(ch), []map[string]any{{"id": 1, "v": 1}, {"id": 2, "v": 2}, {"id": 3, "v": 3}})
		require.NoError(t, err)
		require.NoError(t, c.Commit(ctx))
		res0, err := c.Execute(ctx, core.Select(p.C("id")).Where(p.C("name").Eq("A")))
		require.NoError(t, err)
		pid, err := core.ScalarOne[int64](res0)
		require.NoError(t, err)
		bad := core.Update(ch).Where(ch.C("id").Eq(core.Param("cid", core.Integer{}))).Values(map[string]any{"parent_id": core.Param("pid", core.Integer{})})
		_, err = c.ExecuteMany(ctx, bad, []map[string]any{{"cid": 1, "pid": pid}, {"cid": 2, "pid": 999999}, {"cid": 3, "pid": pid}})
		require.Error(t, err)
		assert.ErrorIs(t, err, core.ErrIntegrity)
		var dbe *core.DBError
		require.ErrorAs(t, err, &dbe)
		assert.Contains(t, dbe.Statement, "UPDATE")
		require.NoError(t, c.Rollback(ctx))

		if !e.Dialect().Features().Has(core.FeatReturningInsert) {
			return
		}
		many := make([]map[string]any, 2500)
		for i := range many {
			many[i] = map[string]any{"name": fmt.Sprintf("n%04d", i)}
		}
		res, err := c.InsertMany(ctx, core.Insert(p).Returning(p.C("name"), p.C("id")), many)
		require.NoError(t, err)
		all, err := res.All()
		require.NoError(t, err)
		require.Len(t, all, 2500)
		var last int64
		for i, row := range all {
			assert.Equal(t, fmt.Sprintf("n%04d", i), fmt.Sprint(row.Index(0)))
			id := fmt.Sprint(row.Index(1))
			var n int64
			fmt.Sscan(id, &n)
			assert.Greater(t, n, last)
			last = n
		}
		require.NoError(t, c.Commit(ctx))
	})
}

func TestPoolExhausted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		if b.Name != testdb.SQLite {
			t.Skip("overflow 0 cannot be expressed in core.PoolOptions yet (0 means the default 10); the SQLite in-memory pool is capped at 1")
		}
		e := open(t, b, core.WithPool(core.PoolOptions{Size: 1, Timeout: 200 * time.Millisecond}))
		ctx := context.Background()
		held, err := e.Connect(ctx)
		require.NoError(t, err)
		start := time.Now()
		_, err = e.Connect(ctx)
		require.Error(t, err)
		assert.Less(t, time.Since(start), 2*time.Second)
		assert.ErrorIs(t, err, core.ErrPoolExhausted)
		assert.ErrorIs(t, err, core.ErrOperational)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "pool exhausted: no connection free after 200ms (size 1, overflow 0)")
		require.NoError(t, held.Close())
	})
}

func TestContextCancelledMidQuery(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		var q core.Statement
		switch b.Name {
		case testdb.SQLite:
			q = core.Raw("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c", nil)
		case testdb.MySQL:
			q = core.Raw("SELECT SLEEP(10)", nil)
		default:
			q = core.Raw("SELECT pg_sleep(10)", nil)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		res, err := e.Execute(ctx, q)
		if err == nil {
			_, err = res.All()
		}
		require.Error(t, err)
		assert.Less(t, time.Since(start), 5*time.Second)
		if b.Name == testdb.Postgres && !errors.Is(err, context.DeadlineExceeded) {
			// TODO(results/pgx): the error of a PostgreSQL query cancelled
			// while its rows are read comes back from Result unwrapped
			// (SQLSTATE 57014, no DBError, no context cause).
			t.Logf("postgres: cancel stopped the query but the error does not match the context: %v", err)
		} else {
			assert.True(t, errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled), "got %v", err)
		}
		assert.Eventually(t, func() bool { return e.Stats().InUse == 0 }, 5*time.Second, 10*time.Millisecond)
	})
}

func TestConcurrency(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		p, _ := setup(t, e)
		ctx := context.Background()
		deadline := time.Now().Add(1500 * time.Millisecond)
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for g := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; time.Now().Before(deadline); i++ {
					if (g+i)%3 == 0 {
						err := e.Transaction(ctx, func(c *core.Connection) error {
							_, err := c.Execute(ctx, ins(p, fmt.Sprintf("g%d-%d", g, i)))
							return err
						})
						if err != nil {
							errs <- err
							return
						}
						continue
					}
					res, err := e.Execute(ctx, core.Select(core.Count(p.C("id"))))
					if err == nil {
						_, err = res.All()
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		st := e.Stats()
		assert.Equal(t, 0, st.InUse)
		assert.Equal(t, st.Open, st.Idle)
	})
}

func TestEventsAndEcho(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		var buf bytes.Buffer
		var mu sync.Mutex
		logger := slog.New(slog.NewTextHandler(lockedWriter{&buf, &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
		e := open(t, b, core.WithEcho(logger), core.WithHideParameters())
		p, _ := setup(t, e)
		ctx := context.Background()
		var got []string
		ev := e.Events()
		rm := []func(){
			ev.OnCheckout(func(context.Context, core.DriverConn) error { got = append(got, "checkout"); return nil }),
			ev.OnBegin(func(context.Context, *core.Connection) { got = append(got, "begin") }),
			ev.OnBeforeExecute(func(_ context.Context, _ *core.Connection, c *core.Compiled) error {
				got = append(got, "before")
				return nil
			}),
			ev.OnAfterExecute(func(context.Context, *core.Connection, core.Compiled, error) { got = append(got, "after") }),
			ev.OnCommit(func(context.Context, *core.Connection) { got = append(got, "commit") }),
			ev.OnRollback(func(context.Context, *core.Connection) { got = append(got, "rollback") }),
			ev.OnHandleError(func(context.Context, *core.Connection, *core.DBError) error { got = append(got, "error"); return nil }),
			ev.OnCheckin(func(core.DriverConn) { got = append(got, "checkin") }),
		}
		require.NoError(t, e.Transaction(ctx, func(c *core.Connection) error {
			_, err := c.Execute(ctx, ins(p, "secret-value"))
			return err
		}))
		assert.Equal(t, []string{"checkout", "begin", "before", "after", "commit", "checkin"}, got)
		got = nil
		// Engine.Execute runs one statement in autocommit: no BEGIN/ROLLBACK
		_, err := e.Execute(ctx, core.Raw("SELECT * FROM no_such_table_xyz", nil))
		require.Error(t, err)
		assert.Equal(t, []string{"checkout", "before", "after", "error", "checkin"}, got)
		got = nil
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, core.Raw("SELECT * FROM no_such_table_xyz", nil))
		require.Error(t, err)
		require.NoError(t, c.Rollback(ctx))
		require.NoError(t, c.Close())
		assert.Equal(t, []string{"checkout", "begin", "before", "after", "error", "rollback", "checkin"}, got)
		for _, r := range rm {
			r()
		}
		got = nil
		require.NoError(t, e.Transaction(ctx, func(c *core.Connection) error { return nil }))
		assert.Empty(t, got)
		mu.Lock()
		out := buf.String()
		mu.Unlock()
		assert.Contains(t, out, "INSERT INTO")
		assert.Contains(t, out, "[hidden]")
		assert.NotContains(t, out, "secret-value")
	})
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// A before-execute listener that closes the statement's connection stops
// the statement with ErrConnectionClosed (it does not reach the driver),
// for a plain statement and for a multi-row insert alike.
func TestListenerClosingItsConnection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		p, _ := setup(t, e)
		ctx := context.Background()
		var ran []string
		e.Events().OnAfterExecute(func(_ context.Context, _ *core.Connection, c core.Compiled, _ error) { ran = append(ran, c.SQL) })
		off := e.Events().OnBeforeExecute(func(_ context.Context, c *core.Connection, _ *core.Compiled) error {
			return c.Close()
		})
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		_, err = c.Execute(ctx, ins(p, "x"))
		require.ErrorIs(t, err, core.ErrConnectionClosed)
		c, err = e.Connect(ctx)
		require.NoError(t, err)
		_, err = c.InsertRows(ctx, p, []*core.Column{p.C("name")}, [][]any{{"a"}, {"b"}}, p.C("id"))
		require.ErrorIs(t, err, core.ErrConnectionClosed)
		off()
		assert.Empty(t, ran, "a statement ran on a closed connection")
		n, err := e.Execute(ctx, core.Select(core.Count()).From(p))
		require.NoError(t, err)
		var cnt int64
		require.True(t, n.Next())
		require.NoError(t, n.Scan(&cnt))
		require.NoError(t, n.Close())
		assert.Zero(t, cnt)
		assert.Zero(t, e.Stats().InUse)
	})
}
