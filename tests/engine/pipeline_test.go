package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
)

// A bulk insert RETURNING rows in a transaction, in two or more full
// batches, goes through a pipeline where the driver has one (PostgreSQL):
// each batch is sent before the rows of the one before are read. These
// scenarios run on every backend; on PostgreSQL they also check, through
// pg_prepared_statements, that the pipeline ran and what it keeps.

// pipeStatements counts the statements prepared on c's connection for
// pipelines (PostgreSQL only).
func pipeStatements(t *testing.T, c *core.Connection) int64 {
	t.Helper()
	res, err := c.Execute(context.Background(), core.Raw("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'retort_pipe_%'", nil))
	require.NoError(t, err)
	n, err := core.ScalarOne[int64](res)
	require.NoError(t, err)
	return n
}

// namedRows are n rows of bulkTable's name and flag columns.
func namedRows(prefix string, n int) [][]any {
	out := make([][]any, n)
	for i := range out {
		out[i] = []any{fmt.Sprintf("%s%05d", prefix, i), i%3 == 0}
	}
	return out
}

func TestInsertRowsPipelined(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		_, tbl, c := returningConn(t, b, bulkTable)
		cols := []*core.Column{tbl.C("name"), tbl.C("flag")}
		ctx := context.Background()
		// four full batches of 1,000 and a tail, three times over the
		// same shapes: every row comes back in input order with its
		// values
		total := int64(0)
		for round := range 3 {
			in := namedRows(fmt.Sprint("r", round, "-"), 4321)
			res, err := c.InsertRows(ctx, tbl, cols, in, tbl.C("id"), tbl.C("name"), tbl.C("flag"))
			require.NoError(t, err)
			got, err := core.ScanAll[bulkRow](res)
			require.NoError(t, err)
			require.Len(t, got, len(in))
			for i, r := range got {
				require.NotNil(t, r.Name, "row %d", i)
				require.Equal(t, in[i][0], *r.Name, "row %d", i)
				require.Equal(t, in[i][1], *r.Flag, "row %d", i)
				if i > 0 {
					require.Greater(t, r.ID, got[i-1].ID, "row %d", i)
				}
			}
			total += int64(len(in))
		}
		// without RETURNING: the rows affected add up
		for round := range 2 {
			res, err := c.InsertRows(ctx, tbl, cols, namedRows(fmt.Sprint("x", round, "-"), 3456))
			require.NoError(t, err)
			assert.Equal(t, int64(3456), res.RowsAffected())
			total += 3456
		}
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, total, countOn(t, c, tbl))
		if b.Name == testdb.Postgres {
			assert.Equal(t, int64(2), pipeStatements(t, c), "one statement for the full batches with RETURNING, one without, each prepared once")
		}

		// many shapes: every ordering of every set of RETURNING columns
		// (11 statements: the key is always returned, last when not
		// asked for), inserting name and flag, then name alone; a
		// connection keeps at most 16 statements for pipelines, and every
		// shape still inserts and returns right
		id, name, flag := tbl.C("id"), tbl.C("name"), tbl.C("flag")
		var shapes [][]core.Expr
		for _, set := range [][]*core.Column{{id}, {name}, {flag}, {id, name}, {id, flag}, {name, flag}, {id, name, flag}} {
			shapes = append(shapes, orderings(set)...)
		}
		for k := range 2 * len(shapes) {
			ret := shapes[k%len(shapes)]
			in := namedRows(fmt.Sprint("s", k, "-"), 2000)
			icols := cols
			if k >= len(shapes) {
				icols = cols[:1]
				for i := range in {
					in[i] = []any{in[i][0], nil}
				}
			}
			res, err := c.InsertRows(ctx, tbl, icols, rowsOf(in, len(icols)), ret...)
			require.NoError(t, err)
			all, err := res.All()
			require.NoError(t, err)
			require.Len(t, all, len(in), "shape %d", k)
			for i, row := range all {
				require.Equal(t, len(ret), row.Len())
				for j, col := range ret {
					switch col {
					case name:
						require.Equal(t, in[i][0], row.Index(j), "shape %d row %d", k, i)
					case flag:
						if in[i][1] == nil {
							require.Nil(t, row.Index(j), "shape %d row %d", k, i)
						} else {
							require.EqualValues(t, in[i][1], truthy(row.Index(j)), "shape %d row %d", k, i)
						}
					}
				}
			}
			total += int64(len(in))
		}
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, total, countOn(t, c, tbl))
		if b.Name == testdb.Postgres {
			assert.Equal(t, int64(16), pipeStatements(t, c))
		}
	})
}

// insertInOrder inserts in (rows of name and flag) into tbl, RETURNING
// id and name, and checks that every name comes back in input order.
func insertInOrder(t *testing.T, c *core.Connection, tbl *core.Table, in [][]any) {
	t.Helper()
	res, err := c.InsertRows(context.Background(), tbl, []*core.Column{tbl.C("name"), tbl.C("flag")}, in, tbl.C("id"), tbl.C("name"))
	require.NoError(t, err)
	got, err := core.ScanAll[bulkRow](res)
	require.NoError(t, err)
	require.Len(t, got, len(in))
	for i, r := range got {
		require.Equal(t, in[i][0], *r.Name, "row %d", i)
	}
}

// rowsOf cuts each row of in to its first n values.
func rowsOf(in [][]any, n int) [][]any {
	out := make([][]any, len(in))
	for i, r := range in {
		out[i] = r[:n]
	}
	return out
}

// orderings returns every ordering of cols, as RETURNING lists.
func orderings(cols []*core.Column) [][]core.Expr {
	if len(cols) <= 1 {
		return [][]core.Expr{{cols[0]}}
	}
	var out [][]core.Expr
	for i, first := range cols {
		rest := append(append([]*core.Column{}, cols[:i]...), cols[i+1:]...)
		for _, o := range orderings(rest) {
			out = append(out, append([]core.Expr{first}, o...))
		}
	}
	return out
}

// truthy reads a boolean column's raw value: a bool, or SQLite's and
// MariaDB's integers.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	}
	panic(fmt.Sprintf("a %T for a boolean", v))
}

// returningEngine opens b and makes a table with mk; on a backend
// without INSERT … RETURNING it skips the test.
func returningEngine(t *testing.T, b testdb.Backend, mk func(*testing.T, *core.Engine) *core.Table) (*core.Engine, *core.Table) {
	t.Helper()
	e := open(t, b)
	if !e.Dialect().Features().Has(core.FeatReturningInsert) {
		t.Skip("no INSERT … RETURNING")
	}
	return e, mk(t, e)
}

// returningConn is returningEngine and a connection on it, closed when
// the test ends.
func returningConn(t *testing.T, b testdb.Backend, mk func(*testing.T, *core.Engine) *core.Table) (*core.Engine, *core.Table, *core.Connection) {
	t.Helper()
	e, tbl := returningEngine(t, b, mk)
	c, err := e.Connect(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return e, tbl, c
}

// uniqueTable is a table whose code column is unique.
func uniqueTable(t *testing.T, e *core.Engine) *core.Table {
	t.Helper()
	md := core.NewMetaData()
	tbl := md.MustTable(fmt.Sprintf("eng_pipe_%d", seq.Add(1)),
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("code", core.String{Length: 20}, core.Unique()),
	)
	require.NoError(t, e.CreateAll(context.Background(), md, true))
	t.Cleanup(func() { _ = e.DropAll(context.Background(), md, true) })
	return tbl
}

func TestInsertRowsPipelineError(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		_, tbl, c := returningConn(t, b, uniqueTable)
		ctx := context.Background()
		cols := []*core.Column{tbl.C("code")}
		rows := func(dup int) [][]any {
			out := make([][]any, 3500)
			for i := range out {
				out[i] = []any{fmt.Sprintf("c%05d", i)}
			}
			if dup >= 0 {
				out[dup][0] = "c00010"
			}
			return out
		}
		// the third batch repeats a code of the first: the error is the
		// third batch's, with its own parameters, with RETURNING and
		// without
		for _, ret := range [][]core.Expr{{tbl.C("id")}, nil} {
			_, err := c.InsertRows(ctx, tbl, cols, rows(2345), ret...)
			require.Error(t, err)
			assert.ErrorIs(t, err, core.ErrIntegrity)
			var dbe *core.DBError
			require.ErrorAs(t, err, &dbe)
			require.NotEmpty(t, dbe.Params)
			assert.Equal(t, "c02000", dbe.Params[0], "the failing batch's parameters")
			assert.Contains(t, dbe.Params, any("c00010"))
			require.NoError(t, c.Rollback(ctx))
			assert.Equal(t, int64(0), countOn(t, c, tbl), "nothing of the failed insert stays")
		}

		// the connection is usable, and the same statements run again
		res, err := c.InsertRows(ctx, tbl, cols, rows(-1), tbl.C("id"))
		require.NoError(t, err)
		ids, err := core.Scalars[int64](res)
		require.NoError(t, err)
		assert.Len(t, ids, 3500)
		require.NoError(t, c.Rollback(ctx))
		res, err = c.InsertRows(ctx, tbl, cols, rows(-1))
		require.NoError(t, err)
		assert.Equal(t, int64(3500), res.RowsAffected())
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, int64(3500), countOn(t, c, tbl))
		if b.Name == testdb.Postgres {
			assert.Equal(t, int64(2), pipeStatements(t, c), "with RETURNING and without")
		}
	})
}

// TestPipelineStatementsDeallocated: the statements prepared for
// pipelines are dropped behind Retort's back, through pgx or as SQL.
func TestPipelineStatementsDeallocated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		if b.Name != testdb.Postgres {
			t.Skip("PostgreSQL's pipeline")
		}
		_, tbl, c, cols := bulkConn(t, b)
		ctx := context.Background()
		// two full batches, no tail: every statement is the pipeline's
		insert := func(prefix string) error {
			res, err := c.InsertRows(ctx, tbl, cols, namedRows(prefix, 2000), tbl.C("id"))
			if err != nil {
				return err
			}
			ids, err := core.Scalars[int64](res)
			if err == nil && len(ids) != 2000 {
				err = fmt.Errorf("%d keys", len(ids))
			}
			return err
		}
		require.NoError(t, insert("a"))
		require.NoError(t, c.Commit(ctx))
		require.Equal(t, int64(1), pipeStatements(t, c))

		// pgx's DeallocateAll: pgx forgets the statement too, and it is
		// prepared again at once
		pc, ok := c.DriverConn().(interface{ PgxConn() *pgx.Conn })
		require.True(t, ok)
		require.NoError(t, pc.PgxConn().DeallocateAll(ctx))
		require.NoError(t, insert("b"))
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, int64(1), pipeStatements(t, c))

		// the statement deallocated on the server alone (as a DEALLOCATE
		// sent as SQL does): the next insert fails, as pgx's own cached
		// statements do, and the one after prepares it again
		require.NoError(t, pc.PgxConn().PgConn().Deallocate(ctx, "retort_pipe_1"))
		require.Equal(t, int64(0), pipeStatements(t, c))
		require.NoError(t, c.Commit(ctx))
		err := insert("c")
		require.Error(t, err)
		assert.Contains(t, err.Error(), `prepared statement "retort_pipe_1" does not exist`)
		require.NoError(t, c.Rollback(ctx))
		require.NoError(t, insert("d"))
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, int64(6000), countOn(t, c, tbl))
		assert.Equal(t, int64(1), pipeStatements(t, c))
	})
}

// TestInsertRowsPipelineListeners: with execute listeners the batches
// still pipeline; each batch is seen before it is sent and after its rows
// are read, with the arguments it ran with, and a listener that changes
// one batch's SQL has that batch run on its own.
func TestInsertRowsPipelineListeners(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, tbl := returningEngine(t, b, bulkTable)
		ctx := context.Background()
		var before, after [][]any
		var errs []error
		batch := 0
		rmB := e.Events().OnBeforeExecute(func(_ context.Context, _ *core.Connection, c *core.Compiled) error {
			if !strings.HasPrefix(c.SQL, "INSERT") {
				return nil
			}
			batch++
			before = append(before, c.Args)
			if batch == 3 {
				c.SQL += " -- the third batch"
			}
			return nil
		})
		defer rmB()
		rmA := e.Events().OnAfterExecute(func(_ context.Context, _ *core.Connection, c core.Compiled, err error) {
			if strings.HasPrefix(c.SQL, "INSERT") {
				after = append(after, c.Args)
				errs = append(errs, err)
			}
		})
		defer rmA()
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		defer c.Close()
		in := namedRows("l", 4000)
		insertInOrder(t, c, tbl, in)
		require.NoError(t, c.Commit(ctx))
		require.Len(t, before, 4)
		require.Len(t, after, 4)
		for k := range 4 {
			require.NoError(t, errs[k])
			// the arguments as each batch ran, kept as they were
			assert.Equal(t, in[k*1000][0], before[k][0], "batch %d", k)
			assert.Equal(t, in[k*1000+999][0], after[k][len(after[k])-2], "batch %d", k)
		}
		if b.Name == testdb.Postgres {
			// the first two batches went through the pipeline
			assert.Equal(t, int64(1), pipeStatements(t, c))
		}
	})
}

// TestInsertRowsPipelineCancel: a context cancelled while batches are in
// flight stops the insert with the context's error; the transaction
// rolls back and the connection goes on serving statements.
func TestInsertRowsPipelineCancel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, tbl, c := returningConn(t, b, uniqueTable)
		cols := []*core.Column{tbl.C("code")}
		rows := make([][]any, 4000)
		for i := range rows {
			rows[i] = []any{fmt.Sprintf("c%05d", i)}
		}
		for _, ret := range [][]core.Expr{{tbl.C("id")}, nil} {
			ctx, cancel := context.WithCancel(context.Background())
			batch := 0
			rm := e.Events().OnBeforeExecute(func(_ context.Context, _ *core.Connection, cs *core.Compiled) error {
				if strings.HasPrefix(cs.SQL, "INSERT") {
					if batch++; batch == 3 {
						cancel() // batches 1 and 2 are in flight or done
					}
				}
				return nil
			})
			_, err := c.InsertRows(ctx, tbl, cols, rows, ret...)
			rm()
			cancel()
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled)
			require.NoError(t, c.Rollback(context.Background()))
			assert.Equal(t, int64(0), countOn(t, c, tbl))
		}
		res, err := c.InsertRows(context.Background(), tbl, cols, rows, tbl.C("id"))
		require.NoError(t, err)
		ids, err := core.Scalars[int64](res)
		require.NoError(t, err)
		assert.Len(t, ids, len(rows))
		require.NoError(t, c.Commit(context.Background()))
		assert.Equal(t, int64(len(rows)), countOn(t, c, tbl))
	})
}

// TestInsertRowsPipelineSavepoint: a pipelined insert that fails inside a
// savepoint is undone by rolling back to it; the enclosing transaction
// keeps what it did before and goes on (SQLAlchemy's begin_nested
// pattern).
func TestInsertRowsPipelineSavepoint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		_, tbl, c := returningConn(t, b, uniqueTable)
		ctx := context.Background()
		cols := []*core.Column{tbl.C("code")}
		rows := func(prefix string, n int) [][]any {
			out := make([][]any, n)
			for i := range out {
				out[i] = []any{fmt.Sprintf("%s%05d", prefix, i)}
			}
			return out
		}
		res, err := c.InsertRows(ctx, tbl, cols, rows("a", 2000), tbl.C("id"))
		require.NoError(t, err)
		require.NoError(t, res.Close())

		sp, err := c.BeginNested(ctx)
		require.NoError(t, err)
		bad := rows("b", 3000)
		bad[1500][0] = "a00042" // the second batch collides with the first insert
		_, err = c.InsertRows(ctx, tbl, cols, bad, tbl.C("id"))
		require.ErrorIs(t, err, core.ErrIntegrity)
		require.NoError(t, sp.Rollback(ctx))

		sp, err = c.BeginNested(ctx)
		require.NoError(t, err)
		res, err = c.InsertRows(ctx, tbl, cols, rows("c", 2000), tbl.C("id"))
		require.NoError(t, err)
		ids, err := core.Scalars[int64](res)
		require.NoError(t, err)
		assert.Len(t, ids, 2000)
		require.NoError(t, sp.Commit(ctx))
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, int64(4000), countOn(t, c, tbl), "the first and the last insert")
	})
}

// TestInsertRowsPipelineListenerStatements: an execute listener that runs
// statements on the connection in the middle of a pipelined insert (a
// query, another bulk insert) ends the pipeline first; the statement
// sees the batches sent so far, and the insert finishes batch by batch
// with every row in order.
func TestInsertRowsPipelineListenerStatements(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, tbl := returningEngine(t, b, bulkTable)
		other := bulkTable(t, e)
		ctx := context.Background()
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		defer c.Close()
		count := func(t *testing.T, c *core.Connection, t2 *core.Table) int64 {
			t.Helper()
			res, err := c.Execute(ctx, core.Select(core.Count(t2.C("id"))))
			require.NoError(t, err)
			n, err := core.ScalarOne[int64](res)
			require.NoError(t, err)
			return n
		}
		for _, when := range []string{"before", "after"} {
			t.Run(when, func(t *testing.T) {
				var seen []int64
				batch, inside := 0, false
				listen := func(lc *core.Connection, sql string) {
					if inside || !strings.HasPrefix(sql, "INSERT INTO "+tbl.Name()) {
						return
					}
					if batch++; batch != 2 {
						return
					}
					inside = true
					defer func() { inside = false }()
					seen = append(seen, count(t, lc, tbl))
					res, err := lc.InsertRows(ctx, other, []*core.Column{other.C("name"), other.C("flag")}, namedRows("o", 2500), other.C("id"))
					require.NoError(t, err)
					ids, err := core.Scalars[int64](res)
					require.NoError(t, err)
					require.Len(t, ids, 2500)
				}
				var rm func()
				if when == "before" {
					rm = e.Events().OnBeforeExecute(func(_ context.Context, lc *core.Connection, cs *core.Compiled) error {
						listen(lc, cs.SQL)
						return nil
					})
				} else {
					rm = e.Events().OnAfterExecute(func(_ context.Context, lc *core.Connection, cs core.Compiled, _ error) {
						listen(lc, cs.SQL)
					})
				}
				before := count(t, c, tbl)
				in := namedRows(when, 4500)
				insertInOrder(t, c, tbl, in)
				rm()
				require.Len(t, seen, 1)
				switch {
				case when == "before":
					assert.Equal(t, before+1000, seen[0], "the first batch, read before the query")
				case b.Name == testdb.Postgres:
					// the second batch's result is read once the third
					// is sent: the query sees three
					assert.Equal(t, before+3000, seen[0], "the first three batches")
				default:
					assert.Equal(t, before+2000, seen[0], "the first two batches")
				}
				require.NoError(t, c.Commit(ctx))
				assert.Equal(t, before+int64(len(in)), count(t, c, tbl))
			})
		}
		assert.Equal(t, int64(5000), count(t, c, other))
	})
}
