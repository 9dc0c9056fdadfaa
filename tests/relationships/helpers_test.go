// Package relationships_test holds the scenario tests of relationships in
// the unit of work (cascades, foreign key sync, back_populates,
// many-to-many, post_update, self-referential trees, keyed maps, ordering
// lists, explicit lazy loading and bad input), run on every reachable
// backend. The expected statement orders are SQLAlchemy 2.0's; where Retort
// deliberately differs, the test says so in a comment.
package relationships_test

import (
	"context"
	"strings"
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

// env opens the backend's engine, builds a configured registry of the
// models (on md when it is not nil, for Core-defined secondary tables),
// creates their tables (dropping leftovers of an aborted run first), drops
// them when the test ends, and starts recording statements.
func env(t *testing.T, b testdb.Backend, md *core.MetaData, models ...any) (*core.Engine, *registry.Registry, *recorder) {
	t.Helper()
	e, err := core.CreateEngine(testdb.EngineURL(t, b))
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	var opts []registry.Option
	if md != nil {
		opts = append(opts, registry.WithMetaData(md))
	}
	reg := registry.New(opts...)
	for _, m := range models {
		reg.MustRegister(m)
	}
	require.NoError(t, reg.Configure())
	meta := reg.MetaData()
	require.NoError(t, e.DropAll(bg, meta, true))
	require.NoError(t, e.CreateAll(bg, meta, false))
	t.Cleanup(func() { _ = e.DropAll(context.Background(), meta, true) })
	return e, reg, record(e)
}

// returning reports whether the dialect reads database-made keys of a
// multi-row INSERT back with RETURNING; without it, rows whose keys the
// database makes are inserted one by one (LastInsertID).
func returning(e *core.Engine) bool {
	return e.Dialect().Features().Has(core.FeatReturningInsert)
}

// ops reduces statements to "VERB table": INSERT/UPDATE/DELETE with their
// target table, SELECT with the first table of its FROM.
func ops(stmts []string) []string {
	out := make([]string, len(stmts))
	for i, q := range stmts {
		out[i] = op(q)
	}
	return out
}

func op(q string) string {
	f := strings.Fields(q)
	if len(f) == 0 {
		return ""
	}
	verb := strings.ToUpper(f[0])
	unq := func(s string) string { return strings.Trim(strings.TrimSuffix(s, ","), "\"`") }
	switch verb {
	case "UPDATE":
		if len(f) > 1 {
			return verb + " " + unq(f[1])
		}
	case "INSERT", "DELETE", "SELECT":
		for i, w := range f {
			if (strings.EqualFold(w, "INTO") || strings.EqualFold(w, "FROM")) && i+1 < len(f) {
				return verb + " " + unq(f[i+1])
			}
		}
	}
	return verb
}

// rep returns n copies of s.
func rep(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// inserts is the statements of one INSERT of n new rows of table whose keys
// the database makes: one multi-VALUES INSERT with RETURNING, or n
// single-row INSERTs on a dialect without RETURNING.
func inserts(e *core.Engine, table string, n int) []string {
	if returning(e) {
		return []string{"INSERT " + table}
	}
	return rep("INSERT "+table, n)
}

// cat concatenates string lists.
func cat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// table returns the mapped type's table.
func table(t *testing.T, reg *registry.Registry, model any) *core.Table {
	t.Helper()
	m, err := reg.Mapper(model)
	require.NoError(t, err)
	return m.Table()
}

// rows reads cols of every row of tbl ordered by orderBy (then by the other
// columns), with a plain Core SELECT on a new connection, outside any
// session.
func rows(t *testing.T, e *core.Engine, tbl *core.Table, orderBy []string, cols ...string) [][]any {
	t.Helper()
	items := make([]core.SelectItem, len(cols))
	for i, c := range cols {
		items[i] = tbl.C(c)
	}
	stmt := core.Select(items...).From(tbl)
	for _, o := range orderBy {
		stmt = stmt.OrderBy(tbl.C(o))
	}
	res, err := e.Execute(quiet, stmt)
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
	case uint64:
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
	res, err := e.Execute(quiet, core.Select(core.Count()).From(tbl))
	require.NoError(t, err)
	n, err := core.ScalarOne[int64](res)
	require.NoError(t, err)
	return n
}

func ptr[T any](v T) *T { return &v }
