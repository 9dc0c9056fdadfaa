// Package session_test holds the scenario tests of the ORM Session (issue 5):
// unit of work, identity map, transactions, SAVEPOINTs, version counters,
// events and bad input, run on every reachable backend.
package session_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/sqlrec"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/registry"
)

// recorder records the engine's statements (see sqlrec).
type recorder = sqlrec.Recorder

func record(e *core.Engine) *recorder { return sqlrec.Record(e) }

// quiet is the context of the test's own statements, which are not
// recorded.
var quiet = sqlrec.Quiet

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("database/sql.(*DB).connectionOpener"))
}

var bg = context.Background()

func open(t *testing.T, b testdb.Backend, opts ...core.EngineOption) *core.Engine {
	t.Helper()
	e, err := core.CreateEngine(testdb.EngineURL(t, b), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return e
}

// newReg returns a fresh, configured registry with the models.
func newReg(t *testing.T, opts []registry.Option, models ...any) *registry.Registry {
	t.Helper()
	reg := registry.New(opts...)
	for _, m := range models {
		reg.MustRegister(m)
	}
	require.NoError(t, reg.Configure())
	return reg
}

// setup creates the registry's tables (dropping leftovers of an aborted run
// first) and drops them when the test ends.
func setup(t *testing.T, e *core.Engine, reg *registry.Registry) {
	t.Helper()
	md := reg.MetaData()
	require.NoError(t, e.DropAll(bg, md, true))
	require.NoError(t, e.CreateAll(bg, md, false))
	t.Cleanup(func() { _ = e.DropAll(context.Background(), md, true) })
}

// env is one backend's engine and registry for a test.
func env(t *testing.T, b testdb.Backend, opts []registry.Option, models ...any) (*core.Engine, *registry.Registry, *recorder) {
	t.Helper()
	e := open(t, b)
	reg := newReg(t, opts, models...)
	setup(t, e, reg)
	return e, reg, record(e)
}

// table returns the mapped type's table.
func table(t *testing.T, reg *registry.Registry, model any) *core.Table {
	t.Helper()
	m, err := reg.Mapper(model)
	require.NoError(t, err)
	return m.Table()
}

// rows reads cols of every row of tbl ordered by orderBy, with a plain Core
// SELECT on a new connection (outside any session).
func rows(t *testing.T, e *core.Engine, tbl *core.Table, orderBy string, cols ...string) [][]any {
	t.Helper()
	items := make([]core.SelectItem, len(cols))
	for i, c := range cols {
		items[i] = tbl.C(c)
	}
	res, err := e.Execute(bg, core.Select(items...).From(tbl).OrderBy(tbl.C(orderBy)))
	require.NoError(t, err)
	all, err := res.All()
	require.NoError(t, err)
	out := make([][]any, 0, len(all))
	for _, r := range all {
		vals := make([]any, len(cols))
		for i := range cols {
			vals[i] = norm(r.Index(i))
		}
		out = append(out, vals)
	}
	return out
}

// norm makes driver values comparable across backends.
func norm(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case []byte:
		return string(x)
	case *string:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

func count(t *testing.T, e *core.Engine, tbl *core.Table) int64 {
	t.Helper()
	res, err := e.Execute(bg, core.Select(core.Count()).From(tbl))
	require.NoError(t, err)
	n, err := core.ScalarOne[int64](res)
	require.NoError(t, err)
	return n
}

// ph returns the n-th (1-based) placeholder of the dialect.
func ph(e *core.Engine, n int) string {
	if e.Dialect().Name() == "postgresql" {
		return "$" + string(rune('0'+n))
	}
	return "?"
}

func ptr[T any](v T) *T { return &v }
