package mssql_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/mssql"
)

// schema is SQLAlchemy reference's test schema: t(id, name, x, flag, ts)
// and o(id, t_id -> t.id, v), plus u for upserts and a sequence.
type schema struct {
	t, o, u, q *core.Table
	seq        *core.Sequence
}

func newSchema() schema {
	md := core.NewMetaData()
	var s schema
	s.t = md.MustTable("t",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}),
		core.Col("x", core.Integer{}),
		core.Col("flag", core.Boolean{}),
		core.Col("ts", core.DateTime{}),
	)
	s.o = md.MustTable("o",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("t_id", core.Integer{}, core.References("t.id")),
		core.Col("v", core.Integer{}),
	)
	s.u = md.MustTable("u",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("email", core.String{Length: 100}),
		core.Col("cnt", core.Integer{}),
	)
	s.q = md.MustTable("q",
		core.Col("id", core.Integer{}),
		core.Col("v", core.Integer{}),
	)
	s.seq = &core.Sequence{Name: "s1"}
	return s
}

type tcase struct {
	name  string
	build func(s schema) core.Statement
	want  string
	args  []any
	// err, when set, is a substring of the wanted error; unsupported says the
	// error must match core.ErrUnsupported.
	err         string
	unsupported bool
}

func run(t *testing.T, cases []tcase) {
	t.Helper()
	d := mssql.New()
	cache := core.NewStatementCache(100)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSchema()
			stmt := tc.build(s)
			got, err := core.Compile(d, stmt)
			if tc.err != "" || tc.unsupported {
				require.Error(t, err)
				if tc.unsupported {
					assert.True(t, errors.Is(err, core.ErrUnsupported), "want ErrUnsupported, got %v", err)
					assert.Contains(t, err.Error(), "mssql")
				}
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.SQL)
			assert.Equal(t, tc.args, got.Args)
			// the statement cache gives the same text and arguments, twice
			for range 2 {
				cached, err := cache.Compile(d, stmt)
				require.NoError(t, err)
				assert.Equal(t, tc.want, cached.SQL)
				assert.Equal(t, tc.args, cached.Args)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	run(t, []tcase{

		{
			name: "IS true / IS NOT false become comparisons: IS takes only NULL here",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).Where(s.t.C("flag").Is(true), s.t.C("flag").IsNot(false))
			},
			want: "SELECT t.id \nFROM t \nWHERE t.flag = 1 AND (t.flag = 1 OR t.flag IS NULL)",
		}, {
			name:  "limit renders TOP with a bound value",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Limit(10) },
			want:  "SELECT TOP (@p1) t.id \nFROM t",
			args:  []any{int64(10)},
		},
		{
			name:  "distinct TOP",
			build: func(s schema) core.Statement { return core.Select(s.t.C("name")).Distinct().Limit(3) },
			want:  "SELECT DISTINCT TOP (@p1) t.name \nFROM t",
			args:  []any{int64(3)},
		},
		{
			name: "TOP binds before WHERE binds",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).Where(s.t.C("x").Gt(1)).Limit(5)
			},
			want: "SELECT TOP (@p1) t.id \nFROM t \nWHERE t.x > @p2",
			args: []any{int64(5), 1},
		},
		{
			name: "offset with order by",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).OrderBy(s.t.C("id")).Offset(5)
			},
			want: "SELECT t.id \nFROM t ORDER BY t.id\n OFFSET @p1 ROWS",
			args: []any{int64(5)},
		},
		{
			name: "limit and offset with order by",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).OrderBy(s.t.C("id")).Limit(10).Offset(5)
			},
			want: "SELECT t.id \nFROM t ORDER BY t.id\n OFFSET @p1 ROWS\n FETCH FIRST @p2 ROWS ONLY",
			args: []any{int64(5), int64(10)},
		},
		{
			name:  "offset without order by is an error",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Limit(10).Offset(5) },
			err:   "mssql requires ORDER BY when using OFFSET",
		},
		{
			name: "limit on a union uses OFFSET 0 ROWS FETCH",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).UnionAll(core.Select(s.o.C("id"))).OrderBy(core.LiteralColumn("id", core.Integer{})).Limit(3)
			},
			want: "SELECT t.id \nFROM t UNION ALL SELECT o.id \nFROM o ORDER BY id\n OFFSET 0 ROWS\n FETCH FIRST @p1 ROWS ONLY",
			args: []any{int64(3)},
		},
		{
			name: "limit on a union without order by is an error",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).Union(core.Select(s.o.C("id"))).Limit(3)
			},
			err: "mssql requires ORDER BY",
		},
		{
			name: "limited union members use TOP inside parentheses",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).Limit(1).Union(core.Select(s.o.C("id")).Limit(2))
			},
			want: "(SELECT TOP (@p1) t.id \nFROM t) UNION (SELECT TOP (@p2) o.id \nFROM o)",
			args: []any{int64(1), int64(2)},
		},
		{
			name: "TOP in a scalar subquery",
			build: func(s schema) core.Statement {
				sub := core.Select(s.o.C("v")).Where(s.o.C("t_id").Eq(s.t.C("id"))).OrderBy(s.o.C("v").Desc()).Limit(1)
				return core.Select(s.t.C("id"), sub.ScalarSubquery().Label("top_v"))
			},
			want: "SELECT t.id, (SELECT TOP (@p1) o.v \nFROM o \nWHERE o.t_id = t.id ORDER BY o.v DESC) AS top_v \nFROM t",
			args: []any{int64(1)},
		},
		{
			name:  "boolean column in WHERE compares to 1",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("flag")) },
			want:  "SELECT t.id \nFROM t \nWHERE t.flag = 1",
		},
		{
			name:  "negated boolean column compares to 0",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(core.Not(s.t.C("flag"))) },
			want:  "SELECT t.id \nFROM t \nWHERE t.flag = 0",
		},
		{
			name: "boolean constants",
			build: func(s schema) core.Statement {
				return core.Select(core.True(), core.False())
			},
			want: "SELECT 1 AS anon_1, 0 AS anon_2",
		},
		{
			name:  "where true",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(core.True()) },
			want:  "SELECT t.id \nFROM t \nWHERE 1 = 1",
		},
		{
			name:  "concatenation with +",
			build: func(s schema) core.Statement { return core.Select(s.t.C("name").Concat("x")) },
			want:  "SELECT t.name + @p1 AS anon_1 \nFROM t",
			args:  []any{"x"},
		},
		{
			name:  "contains uses + around the wildcards",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("name").Contains("ab")) },
			want:  "SELECT t.id \nFROM t \nWHERE (t.name LIKE '%' + @p1 + '%' ESCAPE '/')",
			args:  []any{"ab"},
		},
		{
			name:  "ilike is lower() LIKE lower()",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("name").ILike("a%")) },
			want:  "SELECT t.id \nFROM t \nWHERE lower(t.name) LIKE lower(@p1)",
			args:  []any{"a%"},
		},
		{
			name:  "not ilike",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("name").NotILike("a%")) },
			want:  "SELECT t.id \nFROM t \nWHERE lower(t.name) NOT LIKE lower(@p1)",
			args:  []any{"a%"},
		},
		{
			name:  "is distinct from",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("x").IsDistinctFrom(5)) },
			want:  "SELECT t.id \nFROM t \nWHERE NOT EXISTS (SELECT t.x INTERSECT SELECT @p1)",
			args:  []any{5},
		},
		{
			name:  "is not distinct from",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("x").IsNotDistinctFrom(5)) },
			want:  "SELECT t.id \nFROM t \nWHERE EXISTS (SELECT t.x INTERSECT SELECT @p1)",
			args:  []any{5},
		},
		{
			name:  "modulo stays %",
			build: func(s schema) core.Statement { return core.Select(s.t.C("x").Mod(3)) },
			want:  "SELECT t.x % @p1 AS anon_1 \nFROM t",
			args:  []any{3},
		},
		{
			name:  "now() is CURRENT_TIMESTAMP",
			build: func(s schema) core.Statement { return core.Select(core.Now()) },
			want:  "SELECT CURRENT_TIMESTAMP AS now_1",
		},
		{
			name:  "char_length is LEN",
			build: func(s schema) core.Statement { return core.Select(core.CharLength(s.t.C("name"))) },
			want:  "SELECT LEN(t.name) AS char_length_1 \nFROM t",
		},
		{
			name:  "length is LEN",
			build: func(s schema) core.Statement { return core.Select(core.Func("length", core.Integer{}, s.t.C("name"))) },
			want:  "SELECT LEN(t.name) AS length_1 \nFROM t",
		},
		{
			name:  "current_date is GETDATE()",
			build: func(s schema) core.Statement { return core.Select(core.CurrentDate()) },
			want:  "SELECT GETDATE() AS current_date_1",
		},
		{
			name:  "current_timestamp",
			build: func(s schema) core.Statement { return core.Select(core.CurrentTimestamp()) },
			want:  "SELECT CURRENT_TIMESTAMP AS current_timestamp_1",
		},
		{
			name:  "random() is a per-row RAND(CHECKSUM(NEWID())): T-SQL has no random()",
			build: func(s schema) core.Statement { return core.Select(core.Random()) },
			want:  "SELECT RAND(CHECKSUM(NEWID())) AS random_1",
		},
		{
			name:  "sequence next value",
			build: func(s schema) core.Statement { return core.Select(core.NextValue(s.seq)) },
			want:  "SELECT NEXT VALUE FOR s1 AS anon_1",
		},
		{
			name: "schema-qualified sequence",
			build: func(s schema) core.Statement {
				return core.Select(core.NextValue(&core.Sequence{Name: "S2", Schema: "dbo"}))
			},
			want: "SELECT NEXT VALUE FOR dbo.[S2] AS anon_1",
		},
		{
			name: "except",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).Except(core.Select(s.o.C("t_id")))
			},
			want: "SELECT t.id \nFROM t EXCEPT SELECT o.t_id \nFROM o",
		},
		{
			name: "full outer join",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id"), s.o.C("v")).FullJoin(s.o, nil)
			},
			want: "SELECT t.id, o.v \nFROM t FULL OUTER JOIN o ON t.id = o.t_id",
		},
		{
			name:  "table alias uses AS",
			build: func(s schema) core.Statement { a := s.t.Alias("t1"); return core.Select(a.C("id")) },
			want:  "SELECT t1.id \nFROM t AS t1",
		},
	})
}

// TestRecursiveCTE checks only the WITH head: SQL Server writes no
// RECURSIVE keyword. (The body is core's and tested there.)
func TestRecursiveCTE(t *testing.T) {
	s := newSchema()
	anchor := core.Select(s.t.C("id"), s.t.C("x")).Where(s.t.C("id").Eq(1)).CTE("r", true)
	step := core.Select(s.t.C("id"), s.t.C("x")).Join(anchor, s.t.C("x").Eq(anchor.C("id")))
	got, err := core.Compile(mssql.New(), core.Select(anchor.UnionAll(step).C("id")))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got.SQL, "WITH r(id, x) AS \n(SELECT t.id AS id, t.x AS x \nFROM t \nWHERE t.id = @p1"), got.SQL)
	assert.NotContains(t, got.SQL, "RECURSIVE")
}

func TestUnsupported(t *testing.T) {
	run(t, []tcase{
		{
			name:        "FOR UPDATE suggests table hints",
			build:       func(s schema) core.Statement { return core.Select(s.t.C("id")).ForUpdate(core.ForUpdateOptions{}) },
			unsupported: true,
			err:         "FOR UPDATE (SQL Server locks rows with table hints such as WITH (UPDLOCK, ROWLOCK)",
		},
		{
			name:        "NULLS FIRST",
			build:       func(s schema) core.Statement { return core.Select(s.t.C("id")).OrderBy(s.t.C("x").NullsFirst()) },
			unsupported: true,
			err:         "NULLS FIRST",
		},
		{
			name:        "DISTINCT ON",
			build:       func(s schema) core.Statement { return core.Select(s.t.C("id")).DistinctOn(s.t.C("name")) },
			unsupported: true,
			err:         "DISTINCT ON",
		},
		{
			name: "LATERAL",
			build: func(s schema) core.Statement {
				l := core.Select(s.o.C("v")).Where(s.o.C("t_id").Eq(s.t.C("id"))).Lateral("l")
				return core.Select(s.t.C("id"), l.C("v")).JoinFrom(s.t, l, core.True(), core.InnerJoin)
			},
			unsupported: true,
			err:         "LATERAL",
		},
		{
			name: "INTERSECT ALL",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).IntersectAll(core.Select(s.o.C("t_id")))
			},
			unsupported: true,
			err:         "INTERSECT ALL",
		},
		{
			name: "EXCEPT ALL",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).ExceptAll(core.Select(s.o.C("t_id")))
			},
			unsupported: true,
			err:         "EXCEPT ALL",
		},
		{
			name: "tuple IN",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).Where(core.Tuple(s.t.C("x"), s.t.C("name")).In(core.Tuple(1, "a")))
			},
			unsupported: true,
			err:         "tuple IN",
		},
		{
			name: "aggregate FILTER",
			build: func(s schema) core.Statement {
				return core.Select(core.Count(s.t.C("id")).Filter(s.t.C("x").Gt(1)))
			},
			unsupported: true,
			err:         "FILTER",
		},
		{
			name: "upsert from INSERT … SELECT",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).FromSelect([]*core.Column{s.u.C("id")}, core.Select(s.t.C("id"))).
					OnConflict(core.Upsert{DoNothing: true})
			},
			unsupported: true,
			err:         "upsert of INSERT … SELECT",
		},
		{
			name: "upsert on a named constraint",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(map[string]any{"id": 1}).OnConflict(core.Upsert{Constraint: "uq", DoNothing: true})
			},
			unsupported: true,
			err:         "named constraint",
		},
	})
}

func TestDML(t *testing.T) {
	run(t, []tcase{
		{
			name:  "insert",
			build: func(s schema) core.Statement { return core.Insert(s.t).Values(map[string]any{"name": "a", "x": 1}) },
			want:  "INSERT INTO t (name, x) VALUES (@p1, @p2)",
			args:  []any{"a", 1},
		},
		{
			name: "insert OUTPUT inserted",
			build: func(s schema) core.Statement {
				return core.Insert(s.t).Values(map[string]any{"name": "a", "x": 1}).Returning(s.t.C("id"), s.t.C("name"))
			},
			want: "INSERT INTO t (name, x) OUTPUT inserted.id, inserted.name VALUES (@p1, @p2)",
			args: []any{"a", 1},
		},
		{
			name: "OUTPUT of an expression and a label",
			build: func(s schema) core.Statement {
				return core.Insert(s.t).Values(map[string]any{"x": 1}).Returning(s.t.C("x").Add(1).Label("x1"))
			},
			want: "INSERT INTO t (x) OUTPUT inserted.x + @p1 AS x1 VALUES (@p2)",
			args: []any{1, 1},
		},
		{
			name: "multi-row insert",
			build: func(s schema) core.Statement {
				return core.Insert(s.t).Values(map[string]any{"name": "a"}).Values(map[string]any{"name": "b"})
			},
			want: "INSERT INTO t (name) VALUES (@p1), (@p2)",
			args: []any{"a", "b"},
		},
		{
			name:  "empty insert is DEFAULT VALUES",
			build: func(s schema) core.Statement { return core.Insert(s.t).Values(map[string]any{}) },
			want:  "INSERT INTO t DEFAULT VALUES",
		},
		{
			name: "empty insert with OUTPUT",
			build: func(s schema) core.Statement {
				return core.Insert(s.t).Values(map[string]any{}).Returning(s.t.C("id"))
			},
			want: "INSERT INTO t OUTPUT inserted.id DEFAULT VALUES",
		},
		{
			name: "update OUTPUT inserted",
			build: func(s schema) core.Statement {
				return core.Update(s.t).Set(s.t.C("name"), "b").Where(s.t.C("id").Eq(5)).Returning(s.t.C("id"), s.t.C("name"))
			},
			want: "UPDATE t SET name=@p1 OUTPUT inserted.id, inserted.name WHERE t.id = @p2",
			args: []any{"b", 5},
		},
		{
			name: "delete OUTPUT deleted",
			build: func(s schema) core.Statement {
				return core.Delete(s.t).Where(s.t.C("id").Eq(5)).Returning(s.t.C("id"))
			},
			want: "DELETE FROM t OUTPUT deleted.id WHERE t.id = @p1",
			args: []any{5},
		},
		{
			name: "update from another table",
			build: func(s schema) core.Statement {
				return core.Update(s.t).Set(s.t.C("name"), "z").Where(s.t.C("id").Eq(s.o.C("t_id")), s.o.C("v").Eq(5))
			},
			want: "UPDATE t SET name=@p1 FROM t, o WHERE t.id = o.t_id AND o.v = @p2",
			args: []any{"z", 5},
		},
		{
			name: "update from with OUTPUT",
			build: func(s schema) core.Statement {
				return core.Update(s.t).Set(s.t.C("name"), "z").Where(s.t.C("id").Eq(s.o.C("t_id"))).Returning(s.t.C("id"))
			},
			want: "UPDATE t SET name=@p1 OUTPUT inserted.id FROM t, o WHERE t.id = o.t_id",
			args: []any{"z"},
		},
		{
			name: "delete from another table",
			build: func(s schema) core.Statement {
				return core.Delete(s.t).Where(s.t.C("id").Eq(s.o.C("t_id")), s.o.C("v").Eq(5))
			},
			want: "DELETE FROM t FROM t, o WHERE t.id = o.t_id AND o.v = @p1",
			args: []any{5},
		},
		{
			name: "delete from another table with OUTPUT",
			build: func(s schema) core.Statement {
				return core.Delete(s.t).Where(s.t.C("id").Eq(s.o.C("t_id"))).Returning(s.t.C("id"))
			},
			want: "DELETE FROM t OUTPUT deleted.id FROM t, o WHERE t.id = o.t_id",
		},
		{
			name: "insert with a sequence default",
			build: func(s schema) core.Statement {
				md := core.NewMetaData()
				st := md.MustTable("st", core.Col("id", core.Integer{}, core.PrimaryKey(), core.WithSequence(s.seq)), core.Col("v", core.Integer{}))
				return core.Insert(st).Values(map[string]any{"v": 1})
			},
			want: "INSERT INTO st (v, id) VALUES (@p1, NEXT VALUE FOR s1)",
			args: []any{1},
		},
	})
}

func TestUpsert(t *testing.T) {
	row := map[string]any{"id": 1, "email": "a", "cnt": 1}
	run(t, []tcase{
		{
			name: "do nothing matches on the primary key",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).OnConflict(core.Upsert{DoNothing: true})
			},
			want: "MERGE INTO u WITH (HOLDLOCK) USING (VALUES (@p1, @p2, @p3)) AS excluded (id, email, cnt) ON u.id = excluded.id" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt);",
			args: []any{1, "a", 1},
		},
		{
			name: "update set with excluded and an expression",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).OnConflict(core.Upsert{
					Target: []*core.Column{s.u.C("id")},
					Set: []core.Assign{
						{Col: s.u.C("email"), Value: core.Excluded(s.u.C("email"))},
						{Col: s.u.C("cnt"), Value: s.u.C("cnt").Add(1)},
					},
				})
			},
			want: "MERGE INTO u WITH (HOLDLOCK) USING (VALUES (@p1, @p2, @p3)) AS excluded (id, email, cnt) ON u.id = excluded.id" +
				" WHEN MATCHED THEN UPDATE SET email = excluded.email, cnt = (u.cnt + @p4)" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt);",
			args: []any{1, "a", 1, 1},
		},
		{
			name: "target columns and a where condition",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).OnConflict(core.Upsert{
					Target: []*core.Column{s.u.C("email")},
					Set:    []core.Assign{{Col: s.u.C("cnt"), Value: core.Excluded(s.u.C("cnt"))}},
					Where:  core.Or(s.u.C("cnt").Lt(5), s.u.C("cnt").IsNull()),
				})
			},
			want: "MERGE INTO u WITH (HOLDLOCK) USING (VALUES (@p1, @p2, @p3)) AS excluded (id, email, cnt) ON u.email = excluded.email" +
				" WHEN MATCHED AND (u.cnt < @p4 OR u.cnt IS NULL) THEN UPDATE SET cnt = excluded.cnt" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt);",
			args: []any{1, "a", 1, 5},
		},
		{
			name: "multi-row upsert renders several VALUES rows",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).Values(map[string]any{"id": 2, "email": "b", "cnt": 2}).
					OnConflict(core.Upsert{DoNothing: true})
			},
			want: "MERGE INTO u WITH (HOLDLOCK) USING (VALUES (@p1, @p2, @p3), (@p4, @p5, @p6)) AS excluded (id, email, cnt) ON u.id = excluded.id" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt);",
			args: []any{1, "a", 1, 2, "b", 2},
		},
		{
			name: "upsert with OUTPUT",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).
					OnConflict(core.Upsert{Set: []core.Assign{{Col: s.u.C("cnt"), Value: core.Excluded(s.u.C("cnt"))}}}).
					Returning(s.u.C("id"))
			},
			want: "MERGE INTO u WITH (HOLDLOCK) USING (VALUES (@p1, @p2, @p3)) AS excluded (id, email, cnt) ON u.id = excluded.id" +
				" WHEN MATCHED THEN UPDATE SET cnt = excluded.cnt" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt)" +
				" OUTPUT inserted.id;",
			args: []any{1, "a", 1},
		},
		{
			name: "match column not inserted is an error",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(map[string]any{"email": "a"}).OnConflict(core.Upsert{DoNothing: true})
			},
			err: `MERGE matches on column "id", which the INSERT gives no value`,
		},
		{
			name: "table without primary key needs a target",
			build: func(s schema) core.Statement {
				return core.Insert(s.q).Values(map[string]any{"id": 1}).OnConflict(core.Upsert{DoNothing: true})
			},
			err: "MERGE needs Upsert.Target columns",
		},
	})
}

func TestQuoting(t *testing.T) {
	d := mssql.New()
	for name, want := range map[string]string{
		"name":   "name",
		"Name":   "[Name]",
		"NAME":   "[NAME]",
		"user":   "[user]",
		"key":    "[key]",
		"index":  "[index]",
		"file":   "[file]",
		"merge":  "[merge]",
		"rank":   "rank",
		"limit":  "limit",
		"my col": "[my col]",
		"1abc":   "[1abc]",
		"a$b":    "a$b",
		"_x":     "_x",
		"a]b":    "[a]]b]",
		`Ab"c`:   `[Ab"c]`,
	} {
		assert.Equal(t, want, string(d.AppendIdent(nil, name)), name)
	}
}

func TestQuotedTableAndColumns(t *testing.T) {
	md := core.NewMetaData()
	tb := md.MustTable("Order", core.Col("ID", core.Integer{}, core.PrimaryKey()), core.Col("user", core.String{}), core.InSchema("MySchema"))
	got, err := core.Compile(mssql.New(), core.Select(tb.C("ID"), tb.C("user")).Where(tb.C("ID").Eq(1)))
	require.NoError(t, err)
	assert.Equal(t, "SELECT [MySchema].[Order].[ID], [MySchema].[Order].[user] \nFROM [MySchema].[Order] \nWHERE [MySchema].[Order].[ID] = @p1", got.SQL)
}

func TestLiterals(t *testing.T) {
	d := mssql.New()
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"plain", "'plain'"},
		{"it's", "'it''s'"},
		{"héllo", "N'héllo'"},
		{[]byte{0xde, 0xad, 0x01}, "0xdead01"},
		{true, "1"},
		{false, "0"},
		{42, "42"},
		{nil, "NULL"},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "'2024-01-02 03:04:05'"},
	} {
		got, err := d.AppendLiteral(nil, tc.v, nil)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got))
	}
	sql, err := core.RenderLiteral(d, core.Select(core.Literal("ü")).Limit(2))
	require.NoError(t, err)
	assert.Equal(t, "SELECT TOP (2) N'ü' AS anon_1", sql)
}

func TestRegisteredAndFeatures(t *testing.T) {
	for _, scheme := range []string{"mssql", "sqlserver"} {
		d, err := core.LookupDialect(scheme)
		require.NoError(t, err)
		assert.Equal(t, "mssql", d.Name())
	}
	f := mssql.New().Features()
	for _, on := range []core.Features{core.FeatReturningInsert, core.FeatUpsert, core.FeatMultiValuesInsert, core.FeatBooleanCompare, core.FeatUpdateFrom, core.FeatDeleteUsing, core.FeatSequences, core.FeatIntersectExcept} {
		assert.True(t, f.Has(on))
	}
	for _, off := range []core.Features{core.FeatForUpdate, core.FeatNullsOrdering, core.FeatDistinctOn, core.FeatLateral, core.FeatRecursiveKeyword, core.FeatSetOpAll, core.FeatNativeBoolean, core.FeatNoAliasAS, core.FeatFromDual, core.FeatTupleIn} {
		assert.False(t, f.Has(off))
	}
	assert.Equal(t, "@p12", string(mssql.New().AppendPlaceholder(nil, 12, "x")))
	assert.True(t, strings.HasPrefix(string(mssql.New().AppendBool(nil, true)), "1"))
}
