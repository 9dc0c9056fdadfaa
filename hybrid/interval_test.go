package hybrid_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/hybrid"
	"github.com/retort-orm/retort/registry"
)

// Interval is SQLAlchemy's hybrid example.
type Interval struct {
	ID    int `orm:"pk"`
	Start int
	End   int
	Label string `orm:"type:varchar(20)"`
}

func (Interval) TableName() string { return "interval" }

// Hybrids declares Length and Contains on the model; Intersects and
// LabelCI are registered with RegisterHybrids in the tests.
func (Interval) Hybrids() []hybrid.Attr { return []hybrid.Attr{Length, Contains} }

var Length = &hybrid.Property[Interval, int]{
	Name: "Length",
	Get:  func(i *Interval) int { return i.End - i.Start },
	Expr: func(c *hybrid.Cols) core.Expr {
		end := hybrid.Field(c, func(i *Interval) *int { return &i.End })
		return end.Sub(c.C("Start"))
	},
	Set: func(i *Interval, v int) { i.End = i.Start + v },
	Update: func(c *hybrid.Cols, v int) []core.Assign {
		return []core.Assign{{Col: c.Column("End"), Value: c.C("Start").Add(v)}}
	},
}

var Contains = &hybrid.Method[Interval, int, bool]{
	Name: "Contains",
	Call: func(i *Interval, p int) bool { return i.Start <= p && p <= i.End },
	Expr: func(c *hybrid.Cols, p int) core.Expr {
		return core.And(c.C("Start").Le(p), c.C("End").Ge(p))
	},
}

var Intersects = &hybrid.Method[Interval, Interval, bool]{
	Name: "Intersects",
	Call: func(i *Interval, o Interval) bool { return Contains.Invoke(i, o.Start) || Contains.Invoke(i, o.End) },
	Expr: func(c *hybrid.Cols, o Interval) core.Expr {
		return core.Or(core.And(c.C("Start").Le(o.Start), c.C("End").Ge(o.Start)),
			core.And(c.C("Start").Le(o.End), c.C("End").Ge(o.End)))
	},
}

// LabelCI compares case-insensitively (SQLAlchemy's custom Comparator).
var LabelCI = &hybrid.Property[Interval, string]{
	Name:       "LabelCI",
	Get:        func(i *Interval) string { return strings.ToLower(i.Label) },
	Expr:       func(c *hybrid.Cols) core.Expr { return core.Lower(c.C("Label")) },
	Comparator: func(x core.Expr, v string) core.Expr { return x.Eq(core.Lower(core.AsExpr(v))) },
}

func intervalMapper(t *testing.T) (*registry.Registry, *registry.Mapper) {
	t.Helper()
	reg := registry.New()
	require.NoError(t, reg.Register(&Interval{}))
	require.NoError(t, reg.RegisterHybrids(Intersects, LabelCI))
	require.NoError(t, reg.Configure())
	m, err := registry.MapperFor[Interval](reg)
	require.NoError(t, err)
	return reg, m
}

func compile(t *testing.T, dialect string, stmt core.Statement) core.Compiled {
	t.Helper()
	d, err := core.LookupDialect(dialect)
	require.NoError(t, err)
	c, err := core.Compile(d, stmt)
	require.NoError(t, err)
	return c
}

func TestHybridInstanceForm(t *testing.T) {
	i := &Interval{Start: 5, End: 10}
	assert.Equal(t, 5, Length.Value(i))
	assert.True(t, Contains.Invoke(i, 7))
	assert.False(t, Contains.Invoke(i, 11))
	assert.True(t, Intersects.Invoke(i, Interval{Start: 8, End: 20}))
	assert.False(t, Intersects.Invoke(i, Interval{Start: 11, End: 20}))
	require.NoError(t, Length.SetValue(i, 3))
	assert.Equal(t, 8, i.End)
	err := LabelCI.SetValue(i, "x")
	assert.ErrorIs(t, err, hybrid.ErrReadOnly)
}

func TestHybridSQLForm(t *testing.T) {
	_, m := intervalMapper(t)
	length, err := Length.SQL(m)
	require.NoError(t, err)
	stmt := core.Select(length.Label("length")).Where(length.Gt(3))
	pg := compile(t, "postgresql", stmt)
	assert.Contains(t, pg.SQL, `SELECT interval."end" - interval.start AS length`)
	assert.Contains(t, pg.SQL, `WHERE interval."end" - interval.start > $1`)
	assert.Equal(t, []any{3}, pg.Args)
	lite := compile(t, "sqlite", stmt)
	assert.Contains(t, lite.SQL, `SELECT interval."end" - interval.start AS length`)
	assert.Contains(t, lite.SQL, `WHERE interval."end" - interval.start > ?`)

	contains, err := Contains.SQL(m, 7)
	require.NoError(t, err)
	c := compile(t, "postgresql", core.Select(m.Table()).Where(contains.Expr))
	assert.Contains(t, c.SQL, `WHERE interval.start <= $1 AND interval."end" >= $2`)
	assert.Equal(t, []any{7, 7}, c.Args)

	// the string name resolves like a field and is built once at Configure
	byName, err := m.Column("Length")
	require.NoError(t, err)
	assert.Equal(t, compile(t, "sqlite", core.Select(length)).SQL, compile(t, "sqlite", core.Select(core.TypedCol[int](byName))).SQL)
	typed, err := registry.TypedColumn[int](m, "Length")
	require.NoError(t, err)
	_ = typed.Gt(1)
	_, err = registry.TypedColumn[string](m, "Length")
	assert.Error(t, err)
	_, err = m.HybridSQL("Contains")
	assert.ErrorContains(t, err, "needs an argument")

	names := []string{}
	for _, h := range m.Hybrids() {
		names = append(names, h.HybridName())
	}
	assert.Equal(t, []string{"Length", "Contains", "Intersects", "LabelCI"}, names)
	h, ok := m.Hybrid("Contains")
	require.True(t, ok)
	assert.True(t, h.IsMethod())
}

func TestHybridComparatorAndUpdate(t *testing.T) {
	_, m := intervalMapper(t)
	eq, err := LabelCI.Eq(m, "AbC")
	require.NoError(t, err)
	c := compile(t, "sqlite", core.Select(m.Table()).Where(eq))
	assert.Contains(t, c.SQL, "WHERE lower(interval.label) = lower(?)")
	ne, err := LabelCI.Ne(m, "AbC")
	require.NoError(t, err)
	assert.Contains(t, compile(t, "sqlite", core.Select(m.Table()).Where(ne)).SQL, "WHERE lower(interval.label) != lower(?)")
	plain, err := Length.Eq(m, 4)
	require.NoError(t, err)
	assert.Contains(t, compile(t, "sqlite", core.Select(m.Table()).Where(plain)).SQL, `interval."end" - interval.start = ?`)

	sets, err := Length.UpdateValues(m, 10)
	require.NoError(t, err)
	require.Len(t, sets, 1)
	upd := core.Update(m.Table()).Set(sets[0].Col, sets[0].Value).Where(m.Table().C("id").Eq(1))
	uc := compile(t, "postgresql", upd)
	assert.Contains(t, uc.SQL, `UPDATE interval SET "end"=(interval.start + $1) WHERE interval.id = $2`)
	_, err = LabelCI.UpdateValues(m, "x")
	assert.ErrorIs(t, err, hybrid.ErrReadOnly)
}

func TestHybridLiveSQLite(t *testing.T) {
	ctx := context.Background()
	reg, m := intervalMapper(t)
	eng, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer eng.Close()
	require.NoError(t, eng.CreateAll(ctx, reg.MetaData(), false))
	rows := []Interval{{1, 1, 4, "Alpha"}, {2, 10, 20, "beta"}, {3, 5, 12, "GAMMA"}, {4, 0, 1, "alpha"}}
	for _, r := range rows {
		_, err := eng.Execute(ctx, core.Insert(m.Table()).Values(map[string]any{"id": r.ID, "start": r.Start, "end": r.End, "label": r.Label}))
		require.NoError(t, err)
	}
	query := func(conds ...core.Expr) []Interval {
		t.Helper()
		res, err := eng.Execute(ctx, core.Select(m.Table()).Where(conds...).OrderBy(m.Table().C("id")))
		require.NoError(t, err)
		out, err := core.ScanAll[Interval](res)
		require.NoError(t, err)
		return out
	}
	ids := func(is []Interval) []int {
		out := []int{}
		for _, i := range is {
			out = append(out, i.ID)
		}
		return out
	}
	length, err := Length.SQL(m)
	require.NoError(t, err)
	long := query(length.Gt(5))
	assert.Equal(t, []int{2, 3}, ids(long))
	for _, i := range long { // the instance form agrees with the SQL form
		assert.Greater(t, Length.Value(&i), 5)
	}
	contains, err := Contains.SQL(m, 11)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, ids(query(contains.Expr)))
	inter, err := Intersects.SQL(m, Interval{Start: 2, End: 6})
	require.NoError(t, err)
	got := query(inter.Expr)
	assert.Equal(t, []int{1, 3}, ids(got))
	for _, r := range rows {
		want := false
		for _, g := range got {
			want = want || g.ID == r.ID
		}
		assert.Equal(t, want, Intersects.Invoke(&r, Interval{Start: 2, End: 6}), "interval %d", r.ID)
	}
	ci, err := LabelCI.Eq(m, "ALPHA")
	require.NoError(t, err)
	assert.Equal(t, []int{1, 4}, ids(query(ci)))

	// the update expression: set Length = 100 on interval 1
	sets, err := Length.UpdateValues(m, 100)
	require.NoError(t, err)
	_, err = eng.Execute(ctx, core.Update(m.Table()).Set(sets[0].Col, sets[0].Value).Where(m.Table().C("id").Eq(1)))
	require.NoError(t, err)
	one := query(m.Table().C("id").Eq(1))
	require.Len(t, one, 1)
	assert.Equal(t, 100, Length.Value(&one[0]))
	assert.Equal(t, 101, one[0].End)
}

type BadHybrids struct {
	ID   int `orm:"pk"`
	Name string
}

func TestHybridConfigureErrors(t *testing.T) {
	cases := []struct {
		name string
		h    hybrid.Attr
		want string
	}{
		{"unknown column", &hybrid.Property[BadHybrids, string]{Name: "Upper", Get: func(b *BadHybrids) string { return b.Name }, Expr: func(c *hybrid.Cols) core.Expr { return core.Upper(c.C("Nmae")) }}, `BadHybrids.Upper`},
		{"name of a field", &hybrid.Property[BadHybrids, string]{Name: "Name", Get: func(b *BadHybrids) string { return b.Name }, Expr: func(c *hybrid.Cols) core.Expr { return c.C("Name") }}, "has the name of a mapped field"},
		{"no Expr", &hybrid.Property[BadHybrids, string]{Name: "X", Get: func(b *BadHybrids) string { return b.Name }}, "Get and Expr are both required"},
		{"no name", &hybrid.Method[BadHybrids, int, bool]{Call: func(*BadHybrids, int) bool { return true }, Expr: func(*hybrid.Cols, int) core.Expr { return core.True() }}, "has no Name"},
		{"method unknown column", &hybrid.Method[BadHybrids, int, bool]{Name: "M", Call: func(*BadHybrids, int) bool { return true }, Expr: func(c *hybrid.Cols, v int) core.Expr { return c.C("Idd").Eq(v) }}, `did you mean "ID"`},
		{"panicking SQL form", &hybrid.Property[BadHybrids, int]{Name: "P", Get: func(*BadHybrids) int { return 0 }, Expr: func(*hybrid.Cols) core.Expr { panic("boom") }}, "panicked: boom"},
		{"typed field of another struct", &hybrid.Property[BadHybrids, int]{Name: "F", Get: func(*BadHybrids) int { return 0 }, Expr: func(c *hybrid.Cols) core.Expr {
			return hybrid.Field(c, func(i *Interval) *int { return &i.End }).Expr
		}}, "takes a *hybrid_test.Interval"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reg := registry.New()
			require.NoError(t, reg.Register(&BadHybrids{}))
			require.NoError(t, reg.RegisterHybrids(tc.h))
			err := reg.Configure()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "BadHybrids")
			var me *declarative.MappingError
			assert.True(t, errors.As(err, &me))
		})
	}
	// two hybrids of one name
	reg := registry.New()
	require.NoError(t, reg.Register(&Interval{}))
	require.NoError(t, reg.RegisterHybrids(&hybrid.Property[Interval, int]{Name: "Length", Get: Length.Get, Expr: Length.Expr}))
	assert.ErrorContains(t, reg.Configure(), `two hybrid attributes are named "Length"`)
	// a hybrid of an unmapped type is built against the wrong entity
	_, m := intervalMapper(t)
	_, err := (&hybrid.Property[BadHybrids, int]{Name: "X", Get: func(*BadHybrids) int { return 0 }, Expr: func(c *hybrid.Cols) core.Expr { return c.C("ID") }}).SQL(m)
	assert.ErrorContains(t, err, "built against")
	assert.ErrorContains(t, registry.New().RegisterHybrids(nil), "nil hybrid")
	assert.ErrorContains(t, registry.New().RegisterHybrids((*hybrid.Property[Interval, int])(nil)), "nil hybrid")
}
