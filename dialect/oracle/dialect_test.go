package oracle_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/oracle"
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
	d := oracle.New()
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
					assert.Contains(t, err.Error(), "oracle")
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
			name:  "limit is FETCH FIRST with a bound value",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Limit(10) },
			want:  "SELECT t.id \nFROM t\n FETCH FIRST :1 ROWS ONLY",
			args:  []any{int64(10)},
		},
		{
			name:  "offset only",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Offset(5) },
			want:  "SELECT t.id \nFROM t\n OFFSET :1 ROWS",
			args:  []any{int64(5)},
		},
		{
			name: "limit and offset, ordered",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).OrderBy(s.t.C("id")).Limit(10).Offset(5)
			},
			want: "SELECT t.id \nFROM t ORDER BY t.id\n OFFSET :1 ROWS\n FETCH FIRST :2 ROWS ONLY",
			args: []any{int64(5), int64(10)},
		},
		{
			name:  "FROM-less select gets FROM DUAL",
			build: func(s schema) core.Statement { return core.Select(core.True(), core.False()) },
			want:  "SELECT 1 AS anon_1, 0 AS anon_2 FROM DUAL",
		},
		{
			name:  "table alias has no AS",
			build: func(s schema) core.Statement { a := s.t.Alias("t1"); return core.Select(a.C("id")) },
			want:  "SELECT t1.id \nFROM t t1",
		},
		{
			name: "subquery alias has no AS",
			build: func(s schema) core.Statement {
				sq := core.Select(s.t.C("id")).Subquery("sq")
				return core.Select(sq.C("id"))
			},
			want: "SELECT sq.id \nFROM (SELECT t.id AS id \nFROM t) sq",
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
			name:  "concatenation with ||",
			build: func(s schema) core.Statement { return core.Select(s.t.C("name").Concat("x")) },
			want:  "SELECT t.name || :1 AS anon_1 \nFROM t",
			args:  []any{"x"},
		},
		{
			name:  "modulo is mod()",
			build: func(s schema) core.Statement { return core.Select(s.t.C("x").Mod(3)) },
			want:  "SELECT mod(t.x, :1) AS anon_1 \nFROM t",
			args:  []any{3},
		},
		{
			name:  "ilike is lower() LIKE lower()",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("name").ILike("a%")) },
			want:  "SELECT t.id \nFROM t \nWHERE lower(t.name) LIKE lower(:1)",
			args:  []any{"a%"},
		},
		{
			name:  "is distinct from is DECODE = 1",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("x").IsDistinctFrom(5)) },
			want:  "SELECT t.id \nFROM t \nWHERE DECODE(t.x, :1, 0, 1) = 1",
			args:  []any{5},
		},
		{
			name:  "is not distinct from is DECODE = 0",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Where(s.t.C("x").IsNotDistinctFrom(5)) },
			want:  "SELECT t.id \nFROM t \nWHERE DECODE(t.x, :1, 0, 1) = 0",
			args:  []any{5},
		},
		{
			name:  "now() is CURRENT_TIMESTAMP",
			build: func(s schema) core.Statement { return core.Select(core.Now()) },
			want:  "SELECT CURRENT_TIMESTAMP AS now_1 FROM DUAL",
		},
		{
			name:  "char_length is LENGTH",
			build: func(s schema) core.Statement { return core.Select(core.CharLength(s.t.C("name"))) },
			want:  "SELECT LENGTH(t.name) AS char_length_1 \nFROM t",
		},
		{
			name:  "random() is DBMS_RANDOM.VALUE",
			build: func(s schema) core.Statement { return core.Select(core.Random()) },
			want:  "SELECT DBMS_RANDOM.VALUE AS random_1 FROM DUAL",
		},
		{
			name:  "sequence next value",
			build: func(s schema) core.Statement { return core.Select(core.NextValue(s.seq)) },
			want:  "SELECT s1.nextval AS anon_1 FROM DUAL",
		},
		{
			name: "schema-qualified sequence",
			build: func(s schema) core.Statement {
				return core.Select(core.NextValue(&core.Sequence{Name: "s2", Schema: "App"}))
			},
			want: `SELECT "App".s2.nextval AS anon_1 FROM DUAL`,
		},
		{
			name:  "except is MINUS",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Except(core.Select(s.o.C("t_id"))) },
			want:  "SELECT t.id \nFROM t MINUS SELECT o.t_id \nFROM o",
		},
		{
			name:  "intersect",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).Intersect(core.Select(s.o.C("t_id"))) },
			want:  "SELECT t.id \nFROM t INTERSECT SELECT o.t_id \nFROM o",
		},
		{
			name:  "nulls first",
			build: func(s schema) core.Statement { return core.Select(s.t.C("id")).OrderBy(s.t.C("x").Desc().NullsFirst()) },
			want:  "SELECT t.id \nFROM t ORDER BY t.x DESC NULLS FIRST",
		},
		{
			name: "lateral",
			build: func(s schema) core.Statement {
				l := core.Select(s.o.C("v")).Where(s.o.C("t_id").Eq(s.t.C("id"))).Lateral("l")
				return core.Select(s.t.C("id"), l.C("v")).JoinFrom(s.t, l, core.True(), core.InnerJoin)
			},
			want: "SELECT t.id, l.v \nFROM t JOIN LATERAL (SELECT o.v AS v \nFROM o \nWHERE o.t_id = t.id) l ON 1 = 1",
		},
		{
			name: "for update",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).Where(s.t.C("x").Eq(1)).ForUpdate(core.ForUpdateOptions{})
			},
			want: "SELECT t.id \nFROM t \nWHERE t.x = :1 FOR UPDATE",
			args: []any{1},
		},
		{
			name: "for update of a column, nowait",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).ForUpdate(core.ForUpdateOptions{Of: []core.Node{s.t.C("x")}, NoWait: true})
			},
			want: "SELECT t.id \nFROM t FOR UPDATE OF t.x NOWAIT",
		},
		{
			name: "for update of a table names its primary key, skip locked",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).ForUpdate(core.ForUpdateOptions{Of: []core.Node{s.t}, SkipLocked: true})
			},
			want: "SELECT t.id \nFROM t FOR UPDATE OF t.id SKIP LOCKED",
		},
		{
			name: "for no key update is a plain FOR UPDATE",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockNoKeyUpdate})
			},
			want: "SELECT t.id \nFROM t FOR UPDATE",
		},
		{
			name: "nowait and skip locked together is an error",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).ForUpdate(core.ForUpdateOptions{NoWait: true, SkipLocked: true})
			},
			err: "NOWAIT or SKIP LOCKED, not both",
		},
	})
}

func TestUnsupported(t *testing.T) {
	run(t, []tcase{
		{
			name: "FOR SHARE",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockShare})
			},
			unsupported: true,
			err:         "FOR SHARE",
		},
		{
			name: "FOR KEY SHARE",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockKeyShare})
			},
			unsupported: true,
			err:         "FOR KEY SHARE",
		},
		{
			name: "FOR UPDATE with a row limit",
			build: func(s schema) core.Statement {
				return core.Select(s.t.C("id")).OrderBy(s.t.C("id")).Limit(1).ForUpdate(core.ForUpdateOptions{})
			},
			unsupported: true,
			err:         "FOR UPDATE together with LIMIT/OFFSET",
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
			name:        "EXCEPT ALL",
			build:       func(s schema) core.Statement { return core.Select(s.t.C("id")).ExceptAll(core.Select(s.o.C("t_id"))) },
			unsupported: true,
			err:         "EXCEPT ALL",
		},
		{
			name:        "DISTINCT ON",
			build:       func(s schema) core.Statement { return core.Select(s.t.C("id")).DistinctOn(s.t.C("name")) },
			unsupported: true,
			err:         "DISTINCT ON",
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
			name: "multi-row VALUES",
			build: func(s schema) core.Statement {
				return core.Insert(s.t).Values(map[string]any{"name": "a"}).Values(map[string]any{"name": "b"})
			},
			unsupported: true,
			err:         "multi-row VALUES",
		},
		{
			name: "UPDATE … FROM",
			build: func(s schema) core.Statement {
				return core.Update(s.t).Set(s.t.C("name"), "z").Where(s.t.C("id").Eq(s.o.C("t_id")))
			},
			unsupported: true,
			err:         "UPDATE … FROM",
		},
		{
			name: "DELETE … USING",
			build: func(s schema) core.Statement {
				return core.Delete(s.t).Where(s.t.C("id").Eq(s.o.C("t_id")))
			},
			unsupported: true,
			err:         "DELETE … USING",
		},
		{
			name: "INSERT … SELECT … RETURNING",
			build: func(s schema) core.Statement {
				return core.Insert(s.o).FromSelect([]*core.Column{s.o.C("v")}, core.Select(s.t.C("x"))).Returning(s.o.C("id"))
			},
			unsupported: true,
			err:         "INSERT … SELECT … RETURNING",
		},
		{
			name: "upsert with RETURNING",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(map[string]any{"id": 1}).OnConflict(core.Upsert{DoNothing: true}).Returning(s.u.C("id"))
			},
			unsupported: true,
			err:         "RETURNING",
		},
		{
			name: "multi-row upsert",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(map[string]any{"id": 1}).Values(map[string]any{"id": 2}).OnConflict(core.Upsert{DoNothing: true})
			},
			unsupported: true,
			err:         "multi-row VALUES in an upsert",
		},
		{
			name: "upsert from INSERT … SELECT",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).FromSelect([]*core.Column{s.u.C("id")}, core.Select(s.t.C("id"))).OnConflict(core.Upsert{DoNothing: true})
			},
			unsupported: true,
			err:         "upsert of INSERT … SELECT",
		},
	})
}

func TestDML(t *testing.T) {
	out := func(t core.Type) core.OutParam { return core.OutParam{Type: t} }
	run(t, []tcase{
		{
			name:  "insert",
			build: func(s schema) core.Statement { return core.Insert(s.t).Values(map[string]any{"name": "a", "x": 1}) },
			want:  "INSERT INTO t (name, x) VALUES (:1, :2)",
			args:  []any{"a", 1},
		},
		{
			name: "insert RETURNING INTO output parameters",
			build: func(s schema) core.Statement {
				return core.Insert(s.t).Values(map[string]any{"name": "a", "x": 1}).Returning(s.t.C("id"), s.t.C("name"))
			},
			want: "INSERT INTO t (name, x) VALUES (:1, :2) RETURNING t.id, t.name INTO :3, :4",
			args: []any{"a", 1, out(core.Integer{}), out(core.String{Length: 50})},
		},
		{
			name: "RETURNING drops labels",
			build: func(s schema) core.Statement {
				return core.Insert(s.t).Values(map[string]any{"x": 1}).Returning(s.t.C("x").Add(1).Label("x1"))
			},
			want: "INSERT INTO t (x) VALUES (:1) RETURNING t.x + :2 INTO :3",
			args: []any{1, 1, out(core.Integer{})},
		},
		{
			name: "update RETURNING INTO",
			build: func(s schema) core.Statement {
				return core.Update(s.t).Set(s.t.C("name"), "b").Where(s.t.C("id").Eq(5)).Returning(s.t.C("id"), s.t.C("name"))
			},
			want: "UPDATE t SET name=:1 WHERE t.id = :2 RETURNING t.id, t.name INTO :3, :4",
			args: []any{"b", 5, out(core.Integer{}), out(core.String{Length: 50})},
		},
		{
			name:  "delete RETURNING INTO",
			build: func(s schema) core.Statement { return core.Delete(s.t).Where(s.t.C("id").Eq(5)).Returning(s.t.C("id")) },
			want:  "DELETE FROM t WHERE t.id = :1 RETURNING t.id INTO :2",
			args:  []any{5, out(core.Integer{})},
		},
		{
			name:  "empty insert is (pk) VALUES (DEFAULT)",
			build: func(s schema) core.Statement { return core.Insert(s.t).Values(map[string]any{}) },
			want:  "INSERT INTO t (id) VALUES (DEFAULT)",
		},
		{
			name:  "empty insert with RETURNING",
			build: func(s schema) core.Statement { return core.Insert(s.t).Values(map[string]any{}).Returning(s.t.C("id")) },
			want:  "INSERT INTO t (id) VALUES (DEFAULT) RETURNING t.id INTO :1",
			args:  []any{out(core.Integer{})},
		},
		{
			name: "insert with a sequence default",
			build: func(s schema) core.Statement {
				md := core.NewMetaData()
				st := md.MustTable("st", core.Col("id", core.Integer{}, core.PrimaryKey(), core.WithSequence(s.seq)), core.Col("v", core.Integer{}))
				return core.Insert(st).Values(map[string]any{"v": 1})
			},
			want: "INSERT INTO st (v, id) VALUES (:1, s1.nextval)",
			args: []any{1},
		},
		{
			name: "insert from select",
			build: func(s schema) core.Statement {
				return core.Insert(s.o).FromSelect([]*core.Column{s.o.C("v")}, core.Select(s.t.C("x")))
			},
			want: "INSERT INTO o (v) SELECT t.x \nFROM t",
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
			want: "MERGE INTO u USING (SELECT :1 AS id, :2 AS email, :3 AS cnt FROM DUAL) excluded ON (u.id = excluded.id)" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt)",
			args: []any{1, "a", 1},
		},
		{
			name: "update set with excluded and an expression",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).OnConflict(core.Upsert{
					Set: []core.Assign{
						{Col: s.u.C("email"), Value: core.Excluded(s.u.C("email"))},
						{Col: s.u.C("cnt"), Value: s.u.C("cnt").Add(1)},
					},
				})
			},
			want: "MERGE INTO u USING (SELECT :1 AS id, :2 AS email, :3 AS cnt FROM DUAL) excluded ON (u.id = excluded.id)" +
				" WHEN MATCHED THEN UPDATE SET email = excluded.email, cnt = (u.cnt + :4)" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt)",
			args: []any{1, "a", 1, 1},
		},
		{
			name: "target columns and a where condition",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).OnConflict(core.Upsert{
					Target: []*core.Column{s.u.C("email")},
					Set:    []core.Assign{{Col: s.u.C("cnt"), Value: core.Excluded(s.u.C("cnt"))}},
					Where:  s.u.C("cnt").Lt(5),
				})
			},
			want: "MERGE INTO u USING (SELECT :1 AS id, :2 AS email, :3 AS cnt FROM DUAL) excluded ON (u.email = excluded.email)" +
				" WHEN MATCHED THEN UPDATE SET cnt = excluded.cnt WHERE u.cnt < :4" +
				" WHEN NOT MATCHED THEN INSERT (id, email, cnt) VALUES (excluded.id, excluded.email, excluded.cnt)",
			args: []any{1, "a", 1, 5},
		},
		{
			name: "updating a matched-on column is an error",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(row).OnConflict(core.Upsert{
					Set: []core.Assign{{Col: s.u.C("id"), Value: core.Excluded(s.u.C("id"))}},
				})
			},
			err: `Oracle's MERGE cannot update column "id"`,
		},
		{
			name: "match column not inserted is an error",
			build: func(s schema) core.Statement {
				return core.Insert(s.u).Values(map[string]any{"email": "a"}).OnConflict(core.Upsert{DoNothing: true})
			},
			err: `MERGE matches on column "id", which the INSERT gives no value`,
		},
	})
}

func TestQuoting(t *testing.T) {
	d := oracle.New()
	for name, want := range map[string]string{
		"name":   "name",
		"Name":   `"Name"`,
		"NAME":   `"NAME"`,
		"user":   `"user"`,
		"key":    "key",
		"index":  `"index"`,
		"level":  `"level"`,
		"uid":    `"uid"`,
		"date":   `"date"`,
		"size":   `"size"`,
		"number": `"number"`,
		"offset": "offset",
		"_x":     `"_x"`,
		"a$b":    "a$b",
		"1abc":   `"1abc"`,
		"my col": `"my col"`,
		`Ab"c`:   `"Ab""c"`,
	} {
		assert.Equal(t, want, string(d.AppendIdent(nil, name)), name)
	}
}

func TestLiterals(t *testing.T) {
	d := oracle.New()
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"it's", "'it''s'"},
		{"héllo", "'héllo'"},
		{[]byte{0xde, 0xad, 0x01}, "HEXTORAW('dead01')"},
		{true, "1"},
		{false, "0"},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "TIMESTAMP '2024-01-02 03:04:05'"},
	} {
		got, err := d.AppendLiteral(nil, tc.v, nil)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got))
	}
}

func TestRenderLiteralReturning(t *testing.T) {
	s := newSchema()
	sql, err := core.RenderLiteral(oracle.New(), core.Insert(s.t).Values(map[string]any{"x": 1}).Returning(s.t.C("id"), s.t.C("x")))
	require.NoError(t, err)
	assert.Equal(t, "INSERT INTO t (x) VALUES (1) RETURNING t.id, t.x INTO :ret_0, :ret_1", sql)
}

func TestRegisteredAndFeatures(t *testing.T) {
	d, err := core.LookupDialect("oracle")
	require.NoError(t, err)
	assert.Equal(t, "oracle", d.Name())
	f := oracle.New().Features()
	for _, on := range []core.Features{core.FeatReturningInsert, core.FeatUpsert, core.FeatNoAliasAS, core.FeatFromDual, core.FeatBooleanCompare, core.FeatForUpdateOf, core.FeatLateral, core.FeatNullsOrdering, core.FeatSequences} {
		assert.True(t, f.Has(on))
	}
	for _, off := range []core.Features{core.FeatMultiValuesInsert, core.FeatForShare, core.FeatSetOpAll, core.FeatRecursiveKeyword, core.FeatUpdateFrom, core.FeatDeleteUsing, core.FeatNativeBoolean, core.FeatDistinctOn, core.FeatFilterClause} {
		assert.False(t, f.Has(off))
	}
	assert.Equal(t, ":12", string(oracle.New().AppendPlaceholder(nil, 12, "x")))
}
