package engine_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
)

// bulkTable is a table with an autoincrementing key, a nullable string and
// a boolean (stored as an integer on SQLite, converted by the type).
func bulkTable(t *testing.T, e *core.Engine) *core.Table {
	t.Helper()
	md := core.NewMetaData()
	tbl := md.MustTable(fmt.Sprintf("eng_bulk_%d", seq.Add(1)),
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}),
		core.Col("flag", core.Boolean{}),
	)
	ctx := context.Background()
	require.NoError(t, e.CreateAll(ctx, md, true))
	t.Cleanup(func() { _ = e.DropAll(context.Background(), md, true) })
	return tbl
}

type bulkRow struct {
	ID   int64
	Name *string
	Flag *bool
}

// bulkConn is an engine on b, a bulkTable, a connection (closed at the
// end of the test) and the table's name and flag columns.
func bulkConn(t *testing.T, b testdb.Backend) (*core.Engine, *core.Table, *core.Connection, []*core.Column) {
	t.Helper()
	e := open(t, b)
	tbl := bulkTable(t, e)
	c, err := e.Connect(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return e, tbl, c, []*core.Column{tbl.C("name"), tbl.C("flag")}
}

func TestInsertRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, tbl, c, cols := bulkConn(t, b)
		ctx := context.Background()

		// without RETURNING, twice over the same shapes
		for round := range 2 {
			rows := make([][]any, 1500)
			for i := range rows {
				rows[i] = []any{fmt.Sprintf("x%d-%04d", round, i), i%2 == 0}
			}
			res, err := c.InsertRows(ctx, tbl, cols, rows)
			require.NoError(t, err)
			assert.Equal(t, int64(1500), res.RowsAffected())
		}
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, int64(3000), countOn(t, c, tbl))

		if !e.Dialect().Features().Has(core.FeatReturningInsert) {
			res, err := c.InsertRows(ctx, tbl, cols, [][]any{{"a", true}}, tbl.C("id"))
			assert.Error(t, err)
			if res != nil {
				res.Close()
			}
			return
		}
		// RETURNING in input order across batches, NULLs and booleans
		// converted by the column type; the shapes are reused on the second
		// round with other values
		for round := range 2 {
			rows := make([][]any, 2500)
			for i := range rows {
				var name any = fmt.Sprintf("r%d-%04d", round, i)
				var flag any = i%3 == 0
				if i%7 == 0 {
					name = nil
				}
				if i%11 == 0 {
					flag = nil
				}
				rows[i] = []any{name, flag}
			}
			res, err := c.InsertRows(ctx, tbl, cols, rows, tbl.C("name"), tbl.C("id"), tbl.C("flag"))
			require.NoError(t, err)
			all, err := res.All()
			require.NoError(t, err)
			require.Len(t, all, len(rows))
			var last int64
			for i, row := range all {
				if rows[i][0] == nil {
					assert.Nil(t, row.Index(0), "row %d", i)
				} else {
					assert.Equal(t, rows[i][0], fmt.Sprintf("%s", row.Index(0)), "row %d", i)
				}
				var id int64
				_, err := fmt.Sscan(fmt.Sprint(row.Index(1)), &id)
				require.NoError(t, err)
				assert.Greater(t, id, last, "row %d", i)
				last = id
			}
			require.NoError(t, c.Commit(ctx))
			// the stored values read back typed
			res, err = c.Execute(ctx, core.Select(tbl.C("id"), tbl.C("name"), tbl.C("flag")).
				Where(tbl.C("id").Gt(last-int64(len(rows)))).OrderBy(tbl.C("id")))
			require.NoError(t, err)
			got, err := core.ScanAll[bulkRow](res)
			require.NoError(t, err)
			require.Len(t, got, len(rows))
			for i, g := range got {
				if rows[i][0] == nil {
					assert.Nil(t, g.Name, "row %d", i)
				} else if assert.NotNil(t, g.Name, "row %d", i) {
					assert.Equal(t, rows[i][0], *g.Name)
				}
				if rows[i][1] == nil {
					assert.Nil(t, g.Flag, "row %d", i)
				} else if assert.NotNil(t, g.Flag, "row %d", i) {
					assert.Equal(t, rows[i][1], *g.Flag, "row %d", i)
				}
			}
			require.NoError(t, c.Commit(ctx))
		}
		if b.Name == testdb.SQLite {
			// the boolean went through the type: stored as an integer
			res, err := c.Execute(ctx, core.Raw("SELECT typeof(flag) FROM "+tbl.Name()+" WHERE flag IS NOT NULL LIMIT 1", nil))
			require.NoError(t, err)
			typ, err := core.ScalarOne[string](res)
			require.NoError(t, err)
			assert.Equal(t, "integer", typ)
		}

		// InsertMany goes the same way
		res, err := c.InsertMany(ctx, core.Insert(tbl).Returning(tbl.C("name")),
			[]map[string]any{{"name": "m1", "flag": true}, {"name": nil, "flag": false}, {"name": "m3", "flag": nil}})
		require.NoError(t, err)
		all, err := res.All()
		require.NoError(t, err)
		require.Len(t, all, 3)
		assert.Equal(t, "m1", fmt.Sprintf("%s", all[0].Index(0)))
		assert.Nil(t, all[1].Index(0))
		assert.Equal(t, "m3", fmt.Sprintf("%s", all[2].Index(0)))
		require.NoError(t, c.Commit(ctx))
	})
}

func TestInsertRowsErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		tbl := bulkTable(t, e)
		// (before the connection: SQLite's in-memory pool has one)
		_, other := setup(t, e)
		ctx := context.Background()
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		defer c.Close()
		cols := []*core.Column{tbl.C("name"), tbl.C("flag")}

		_, err = c.InsertRows(ctx, tbl, cols, [][]any{{"a", true}, {"b", false}, {"c"}})
		require.Error(t, err)
		var ae *core.ArgumentError
		assert.ErrorAs(t, err, &ae)
		assert.Contains(t, err.Error(), "row 2 has 1 values for 2 columns")
		assert.Equal(t, int64(0), countOn(t, c, tbl), "nothing inserted")

		_, err = c.InsertRows(ctx, tbl, []*core.Column{tbl.C("name"), other.C("v")}, [][]any{{"a", 1}})
		assert.ErrorAs(t, err, &ae)
		_, err = c.InsertRows(ctx, tbl, nil, [][]any{{"a"}})
		assert.ErrorAs(t, err, &ae)

		res, err := c.InsertRows(ctx, tbl, cols, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(0), res.RowsAffected())

		// a value that is an SQL expression compiles its batch on its own
		res, err = c.InsertRows(ctx, tbl, cols, [][]any{{core.Raw("'lit'", nil), true}, {"p", false}})
		require.NoError(t, err)
		assert.Equal(t, int64(2), res.RowsAffected())
		require.NoError(t, c.Commit(ctx))
		assert.Equal(t, int64(2), countOn(t, c, tbl))
	})
}

// countOn counts tbl's rows on c (the SQLite in-memory pool has one
// connection).
func countOn(t *testing.T, c *core.Connection, tbl *core.Table) int64 {
	t.Helper()
	res, err := c.Execute(context.Background(), core.Select(core.Count(tbl.C("id"))))
	require.NoError(t, err)
	v, err := core.ScalarOne[int64](res)
	require.NoError(t, err)
	return v
}

// TestInsertRowsListenersKeepArgs checks that the arguments an execute
// listener sees stay as they were after later batches ran.
func TestInsertRowsListenersKeepArgs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		tbl := bulkTable(t, e)
		ctx := context.Background()
		var seen [][]any
		rm := e.Events().OnAfterExecute(func(_ context.Context, _ *core.Connection, c core.Compiled, _ error) {
			seen = append(seen, c.Args)
		})
		defer rm()
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		defer c.Close()
		rows := make([][]any, 2500)
		for i := range rows {
			rows[i] = []any{fmt.Sprintf("n%04d", i), nil}
		}
		_, err = c.InsertRows(ctx, tbl, []*core.Column{tbl.C("name"), tbl.C("flag")}, rows)
		require.NoError(t, err)
		require.NoError(t, c.Commit(ctx))
		require.GreaterOrEqual(t, len(seen), 3)
		i := 0
		for _, args := range seen {
			for k := 0; k+1 < len(args); k += 2 {
				if s, ok := args[k].(string); ok && len(s) == 5 && s[0] == 'n' {
					assert.Equal(t, fmt.Sprintf("n%04d", i), s)
					i++
				}
			}
		}
		assert.Equal(t, len(rows), i, "every row's arguments seen once, in order")
	})
}

// TestInsertRowsGoDefault covers a table whose omitted column has a Go-side
// default: the statement is not a plain shape, and each row gets its own
// default value.
func TestInsertRowsGoDefault(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		md := core.NewMetaData()
		var n atomic.Int64
		tbl := md.MustTable(fmt.Sprintf("eng_bulkdef_%d", seq.Add(1)),
			core.Col("id", core.Integer{}, core.PrimaryKey()),
			core.Col("name", core.String{Length: 50}),
			core.Col("k", core.Integer{}, core.DefaultFunc(func() any { return n.Add(1) })),
		)
		ctx := context.Background()
		require.NoError(t, e.CreateAll(ctx, md, true))
		t.Cleanup(func() { _ = e.DropAll(context.Background(), md, true) })
		c, err := e.Connect(ctx)
		require.NoError(t, err)
		defer c.Close()
		for range 2 {
			res, err := c.InsertRows(ctx, tbl, []*core.Column{tbl.C("name")}, [][]any{{"a"}, {nil}, {"c"}})
			require.NoError(t, err)
			assert.Equal(t, int64(3), res.RowsAffected())
		}
		res, err := c.Execute(ctx, core.Select(tbl.C("name"), tbl.C("k")).OrderBy(tbl.C("id")))
		require.NoError(t, err)
		all, err := res.All()
		require.NoError(t, err)
		require.Len(t, all, 6)
		assert.Nil(t, all[1].Index(0))
		assert.Equal(t, "c", fmt.Sprintf("%s", all[5].Index(0)))
		assert.NotNil(t, all[5].Index(1))
		require.NoError(t, c.Commit(ctx))
	})
}

// InsertRowsFunc fills each row on demand, in order, straight into the
// batches (three batches here on every backend that batches); RETURNING
// comes back in input order; a fill error stops the insert as it is; bad
// arguments are refused naming the table.
func TestInsertRowsFunc(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, tbl, c, cols := bulkConn(t, b)
		ctx := context.Background()
		const n = 2100
		var calls []int
		fill := func(i int, dst []any) error {
			calls = append(calls, i)
			require.Len(t, dst, 2)
			var name any = fmt.Sprintf("f-%04d", i)
			if i%5 == 0 {
				name = nil
			}
			dst[0], dst[1] = name, i%2 == 0
			return nil
		}
		var ret []core.Expr
		if e.Dialect().Features().Has(core.FeatReturningInsert) {
			ret = []core.Expr{tbl.C("id"), tbl.C("name")}
		}
		res, err := c.InsertRowsFunc(ctx, tbl, cols, n, fill, ret...)
		require.NoError(t, err)
		require.Len(t, calls, n)
		for i, k := range calls {
			require.Equal(t, i, k, "fill is called once per row, in order")
		}
		if ret != nil {
			all, err := res.All()
			require.NoError(t, err)
			require.Len(t, all, n)
			for i, row := range all {
				if i%5 == 0 {
					assert.Nil(t, row.Index(1), "row %d", i)
				} else {
					assert.Equal(t, fmt.Sprintf("f-%04d", i), fmt.Sprintf("%s", row.Index(1)), "row %d", i)
				}
			}
		} else {
			assert.Equal(t, int64(n), res.RowsAffected())
		}
		assert.Equal(t, int64(n), countOn(t, c, tbl))

		boom := fmt.Errorf("no value for row 1500")
		_, err = c.InsertRowsFunc(ctx, tbl, cols, n, func(i int, dst []any) error {
			if i == 1500 {
				return boom
			}
			dst[0], dst[1] = "x", true
			return nil
		})
		assert.ErrorIs(t, err, boom)
		require.NoError(t, c.Rollback(ctx))

		_, err = c.InsertRowsFunc(ctx, tbl, cols, 1, nil)
		assert.ErrorContains(t, err, "nil fill function")
		_, err = c.InsertRowsFunc(ctx, tbl, nil, 1, fill)
		assert.ErrorContains(t, err, "no columns")
		_, err = c.InsertRowsFunc(ctx, tbl, cols, -1, fill)
		assert.ErrorContains(t, err, `insert rows into "`+tbl.Name()+`": -1 rows`)
		_, err = c.InsertRowsFunc(ctx, tbl, []*core.Column{core.NewMetaData().MustTable("other", core.Col("name", core.String{})).C("name")}, 1, fill)
		assert.ErrorContains(t, err, `column "name" is not a column of the table`)
	})
}

// RowsHint guesses a result's size from the last result of the same
// cached statement read to its end; a statement never read has none, and
// a result left before its end does not change the guess.
func TestResultRowsHint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		_, tbl, c, cols := bulkConn(t, b)
		ctx := context.Background()
		rows := make([][]any, 40)
		for i := range rows {
			rows[i] = []any{fmt.Sprintf("h%02d", i), true}
		}
		_, err := c.InsertRows(ctx, tbl, cols, rows)
		require.NoError(t, err)
		query := func(limit int64) *core.Result {
			res, err := c.Execute(ctx, core.Select(tbl.C("id"), tbl.C("name")).OrderBy(tbl.C("id")).Limit(limit))
			require.NoError(t, err)
			return res
		}
		res := query(25)
		assert.Zero(t, res.RowsHint(), "no result of the statement was read yet")
		n := 0
		for res.Next() {
			n++
		}
		require.NoError(t, res.Err())
		assert.Equal(t, 25, n)
		res = query(30)
		assert.Equal(t, 25, res.RowsHint(), "the last result had 25 rows")
		require.True(t, res.Next())
		require.NoError(t, res.Close()) // left after one row
		res = query(10)
		assert.Equal(t, 25, res.RowsHint())
		all, err := res.All()
		require.NoError(t, err)
		assert.Len(t, all, 10)
		res = query(3)
		assert.Equal(t, 10, res.RowsHint())
		require.NoError(t, res.Close())
		// another statement has its own
		res, err = c.Execute(ctx, core.Select(tbl.C("name")).Where(tbl.C("id").Gt(0)))
		require.NoError(t, err)
		assert.Zero(t, res.RowsHint())
		require.NoError(t, res.Close())
	})
}

// A RETURNING of the generated key alone (what a unit of work fetches
// after a bulk insert) is read unboxed; it reads back the same through
// every way of reading a Result: the typed direct path, conversion to
// other integer types and to any, Scalars, All, and more than one batch.
func TestInsertRowsReturningKeyOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		_, tbl, c := returningConn(t, b, bulkTable)
		cols := []*core.Column{tbl.C("name"), tbl.C("flag")}
		ctx := context.Background()
		rows := func(n int) [][]any {
			out := make([][]any, n)
			for i := range out {
				out[i] = []any{fmt.Sprint("k", i), i%2 == 0}
			}
			return out
		}
		increasing := func(ids []int64, n int) {
			t.Helper()
			require.Len(t, ids, n)
			for i := 1; i < n; i++ {
				require.Greater(t, ids[i], ids[i-1], "row %d", i)
			}
		}

		// typed pointers (the direct path), across batches of 1,000
		res, err := c.InsertRows(ctx, tbl, cols, rows(2500), tbl.C("id"))
		require.NoError(t, err)
		var ids []int64
		for {
			var id int64
			more, err := res.NextScan(&id)
			require.NoError(t, err)
			if !more {
				break
			}
			ids = append(ids, id)
		}
		increasing(ids, 2500)
		// the keys are the rows' keys, in input order
		got, err := c.Execute(ctx, core.Select(tbl.C("id"), tbl.C("name")).Where(tbl.C("id").In(ids[0], ids[1234], ids[2499])).OrderBy(tbl.C("id")))
		require.NoError(t, err)
		named, err := core.ScanAll[struct {
			ID   int64
			Name string
		}](got)
		require.NoError(t, err)
		require.Len(t, named, 3)
		assert.Equal(t, "k0", named[0].Name)
		assert.Equal(t, "k1234", named[1].Name)
		assert.Equal(t, "k2499", named[2].Name)

		// other destinations: int, any, sql-style conversion through Scan
		res, err = c.InsertRows(ctx, tbl, cols, rows(3), tbl.C("id"))
		require.NoError(t, err)
		var small int
		var boxed any
		require.True(t, res.Next())
		require.NoError(t, res.Scan(&small))
		require.True(t, res.Next())
		require.NoError(t, res.Scan(&boxed))
		require.True(t, res.Next())
		var s string
		require.NoError(t, res.Scan(&s))
		assert.False(t, res.Next())
		require.NoError(t, res.Err())
		assert.Greater(t, small, 0)
		require.IsType(t, int64(0), boxed)
		assert.Greater(t, boxed.(int64), int64(small))
		var third int64
		_, err = fmt.Sscan(s, &third)
		require.NoError(t, err)
		assert.Greater(t, third, boxed.(int64))
		// a wrong number of destinations is an error naming the counts
		res, err = c.InsertRows(ctx, tbl, cols, rows(1), tbl.C("id"))
		require.NoError(t, err)
		require.True(t, res.Next())
		var x, y int64
		err = res.Scan(&x, &y)
		require.Error(t, err)
		res.Close()

		// Scalars and All
		res, err = c.InsertRows(ctx, tbl, cols, rows(1001), tbl.C("id"))
		require.NoError(t, err)
		keys, err := core.Scalars[int64](res)
		require.NoError(t, err)
		increasing(keys, 1001)
		res, err = c.InsertRows(ctx, tbl, cols, rows(2), tbl.C("id"))
		require.NoError(t, err)
		all, err := res.All()
		require.NoError(t, err)
		require.Len(t, all, 2)
		require.IsType(t, int64(0), all[0].Index(0))
		assert.Greater(t, all[0].Index(0).(int64), keys[1000])
		assert.Greater(t, all[1].Index(0).(int64), all[0].Index(0).(int64))
		require.NoError(t, c.Commit(ctx))
	})
}
