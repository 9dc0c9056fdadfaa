package sqlite_test

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/sqlite"

	_ "modernc.org/sqlite"
)

// A users/addresses schema. "order" and "key" are reserved words on SQLite
// (quoted); "user" is not.
var (
	md    = core.NewMetaData()
	users = md.MustTable("users",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}),
		core.Col("active", core.Boolean{}),
		core.Col("score", core.Integer{}),
		core.Col("key", core.String{Length: 20}),
	)
	addresses = md.MustTable("addresses",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("user_id", core.Integer{}, core.References("users.id")),
		core.Col("email", core.String{Length: 100}),
	)
	orders = md.MustTable("order",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("user", core.Integer{}),
	)
)

func u(name string) *core.Column { return users.C(name) }
func a(name string) *core.Column { return addresses.C(name) }

type compileCase struct {
	name     string
	build    func() core.Statement
	want     string
	wantArgs []any
}

var compileCases = []compileCase{
	// ---------------------------------------------------- placeholders, quoting
	{name: "placeholders_are_question_marks",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").Gt(1), u("name").Eq("a")) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score > ? AND users.name = ?",
		wantArgs: []any{1, "a"}},
	{name: "reserved_words_quoted",
		build: func() core.Statement {
			return core.Select(u("key"), orders.C("user")).Where(orders.C("user").Eq(u("id")))
		},
		want: "SELECT users.\"key\", \"order\".user \nFROM users, \"order\" \nWHERE \"order\".user = users.id"},

	// ---------------------------------------------------- LIMIT / OFFSET
	{name: "limit_only_adds_offset_zero",
		build:    func() core.Statement { return core.Select(u("id")).Limit(10) },
		want:     "SELECT users.id \nFROM users\n LIMIT ? OFFSET ?",
		wantArgs: []any{int64(10), int64(0)}},
	{name: "offset_only_limit_minus_one",
		build:    func() core.Statement { return core.Select(u("id")).Offset(5) },
		want:     "SELECT users.id \nFROM users\n LIMIT ? OFFSET ?",
		wantArgs: []any{int64(-1), int64(5)}},
	{name: "limit_offset_order_by",
		build:    func() core.Statement { return core.Select(u("id")).OrderBy(u("id")).Limit(10).Offset(5) },
		want:     "SELECT users.id \nFROM users ORDER BY users.id\n LIMIT ? OFFSET ?",
		wantArgs: []any{int64(10), int64(5)}},
	{name: "compound_limit",
		build: func() core.Statement {
			return core.Select(u("id")).Union(core.Select(a("id"))).OrderBy(core.LiteralColumn("id", core.Integer{})).Limit(3)
		},
		want:     "SELECT users.id \nFROM users UNION SELECT addresses.id \nFROM addresses ORDER BY id\n LIMIT ? OFFSET ?",
		wantArgs: []any{int64(3), int64(0)}},

	// ---------------------------------------------------- booleans
	{name: "true_false_constants_are_1_0",
		build: func() core.Statement { return core.Select(core.True(), core.False()) },
		want:  "SELECT 1 AS anon_1, 0 AS anon_2"},
	{name: "where_true_is_1_eq_1",
		build: func() core.Statement { return core.Select(u("id")).Where(core.True()) },
		want:  "SELECT users.id \nFROM users \nWHERE 1 = 1"},
	{name: "where_false_is_0_eq_1",
		build: func() core.Statement { return core.Select(u("id")).Where(core.False()) },
		want:  "SELECT users.id \nFROM users \nWHERE 0 = 1"},
	{name: "bare_bool_column_compared_to_1",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").Gt(1), u("active")) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score > ? AND users.active = 1",
		wantArgs: []any{1}},
	{name: "not_bool_column_compared_to_0",
		build: func() core.Statement { return core.Select(u("id")).Where(core.Not(u("active"))) },
		want:  "SELECT users.id \nFROM users \nWHERE users.active = 0"},
	{name: "join_on_true",
		build: func() core.Statement { return core.Select(u("id")).Join(addresses, core.True()) },
		want:  "SELECT users.id \nFROM users JOIN addresses ON 1 = 1"},

	// ---------------------------------------------------- IN
	{name: "in_values",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").In(1, 2)) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score IN (?, ?)",
		wantArgs: []any{1, 2}},
	{name: "empty_in_is_empty_subquery",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").In(), u("score").Gt(1)) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1) AND users.score > ?",
		wantArgs: []any{1}},
	{name: "empty_not_in_parenthesised",
		build: func() core.Statement { return core.Select(u("id")).Where(u("score").NotIn()) },
		want:  "SELECT users.id \nFROM users \nWHERE (users.score NOT IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1))"},
	{name: "empty_tuple_in_one_column_per_item",
		build: func() core.Statement { return core.Select(u("id")).Where(core.Tuple(u("score"), u("name")).In()) },
		want:  "SELECT users.id \nFROM users \nWHERE (users.score, users.name) IN (SELECT 1, 1 FROM (SELECT 1, 1) WHERE 1!=1)"},
	{name: "tuple_in_uses_values",
		build: func() core.Statement {
			return core.Select(u("id")).Where(core.Tuple(u("score"), u("name")).In([]any{1, "a"}, []any{2, "b"}))
		},
		want:     "SELECT users.id \nFROM users \nWHERE (users.score, users.name) IN (VALUES (?, ?), (?, ?))",
		wantArgs: []any{1, "a", 2, "b"}},
	{name: "tuple_not_in_uses_values",
		build: func() core.Statement {
			return core.Select(u("id")).Where(core.Tuple(u("score"), u("name")).NotIn([]any{1, "a"}))
		},
		want:     "SELECT users.id \nFROM users \nWHERE ((users.score, users.name) NOT IN (VALUES (?, ?)))",
		wantArgs: []any{1, "a"}},

	// ---------------------------------------------------- operators
	{name: "is_distinct_from_is_is_not",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").IsDistinctFrom(5)) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score IS NOT ?",
		wantArgs: []any{5}},
	{name: "is_not_distinct_from_is_is",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").IsNotDistinctFrom(5)) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score IS ?",
		wantArgs: []any{5}},
	{name: "concat_pipes",
		build:    func() core.Statement { return core.Select(u("name").Concat("x")) },
		want:     "SELECT users.name || ? AS anon_1 \nFROM users",
		wantArgs: []any{"x"}},
	{name: "ilike_is_lower_like",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").ILike("a%")) },
		want:     "SELECT users.id \nFROM users \nWHERE lower(users.name) LIKE lower(?)",
		wantArgs: []any{"a%"}},
	{name: "not_ilike_is_lower_not_like",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").NotILike("a%")) },
		want:     "SELECT users.id \nFROM users \nWHERE lower(users.name) NOT LIKE lower(?)",
		wantArgs: []any{"a%"}},
	{name: "contains_parenthesised_and_escaped",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").Contains("5%_/")) },
		want:     "SELECT users.id \nFROM users \nWHERE (users.name LIKE '%' || ? || '%' ESCAPE '/')",
		wantArgs: []any{"5/%/_//"}},
	{name: "startswith",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").StartsWith("ab")) },
		want:     "SELECT users.id \nFROM users \nWHERE (users.name LIKE ? || '%' ESCAPE '/')",
		wantArgs: []any{"ab"}},
	{name: "endswith",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").EndsWith("ab")) },
		want:     "SELECT users.id \nFROM users \nWHERE (users.name LIKE '%' || ? ESCAPE '/')",
		wantArgs: []any{"ab"}},
	{name: "division_is_plain_slash",
		build:    func() core.Statement { return core.Select(u("score").Div(3)) },
		want:     "SELECT users.score / ? AS anon_1 \nFROM users",
		wantArgs: []any{3}},
	{name: "modulo",
		build:    func() core.Statement { return core.Select(u("score").Mod(3)) },
		want:     "SELECT users.score % ? AS anon_1 \nFROM users",
		wantArgs: []any{3}},
	{name: "nulls_last",
		build: func() core.Statement { return core.Select(u("id")).OrderBy(u("score").Desc().NullsLast()) },
		want:  "SELECT users.id \nFROM users ORDER BY users.score DESC NULLS LAST"},

	// ---------------------------------------------------- functions
	{name: "now_is_current_timestamp",
		build: func() core.Statement { return core.Select(core.Now(), core.CurrentTimestamp(), core.CurrentDate()) },
		want:  "SELECT CURRENT_TIMESTAMP AS now_1, CURRENT_TIMESTAMP AS current_timestamp_1, CURRENT_DATE AS current_date_1"},
	{name: "localtimestamp_is_datetime_localtime",
		build: func() core.Statement { return core.Select(core.Func("localtimestamp", core.DateTime{})) },
		want:  "SELECT DATETIME(CURRENT_TIMESTAMP, 'localtime') AS localtimestamp_1"},
	{name: "char_length_is_length",
		build: func() core.Statement { return core.Select(core.CharLength(u("name"))) },
		want:  "SELECT length(users.name) AS char_length_1 \nFROM users"},
	{name: "random",
		build: func() core.Statement { return core.Select(u("id")).OrderBy(core.Random()) },
		want:  "SELECT users.id \nFROM users ORDER BY random()"},
	{name: "aggregate_filter",
		build: func() core.Statement { return core.Select(core.Count(u("id")).Filter(u("score").Gt(1))) },
		want:  "SELECT count(users.id) FILTER (WHERE users.score > ?) AS count_1 \nFROM users", wantArgs: []any{1}},
	{name: "window_function",
		build: func() core.Statement {
			return core.Select(core.RowNumber().Over(core.Window{PartitionBy: []core.Expr{u("name")}, OrderBy: []core.Expr{u("score").Desc()}}))
		},
		want: "SELECT row_number() OVER (PARTITION BY users.name ORDER BY users.score DESC) AS anon_1 \nFROM users"},
	{name: "literal_bool_and_bytes",
		build: func() core.Statement { return core.Select(core.Literal(true), core.Literal([]byte{0xde, 0xad})) },
		want:  "SELECT 1 AS anon_1, X'dead' AS anon_2"},

	// ---------------------------------------------------- joins, CTE, compounds
	{name: "full_outer_join",
		build: func() core.Statement {
			return core.Select(u("id"), a("id")).FullJoin(addresses, u("id").Eq(a("user_id")))
		},
		want: "SELECT users.id, addresses.id AS id_1 \nFROM users FULL OUTER JOIN addresses ON users.id = addresses.user_id"},
	{name: "recursive_cte",
		build: func() core.Statement {
			r := core.Select(u("id")).Where(u("id").Eq(1)).CTE("r", true)
			r = r.UnionAll(core.Select(u("id")).Join(r, u("score").Eq(r.C("id"))))
			// From(r): the columns of the CTE Union returns still name the anchor
			return core.Select(r.C("id")).From(r)
		},
		want:     "WITH RECURSIVE r(id) AS \n(SELECT users.id AS id \nFROM users \nWHERE users.id = ? UNION ALL SELECT users.id AS id \nFROM users JOIN r ON users.score = r.id)\n SELECT r.id \nFROM r",
		wantArgs: []any{1}},
	{name: "intersect_except",
		build: func() core.Statement { return core.Select(u("id")).Intersect(core.Select(a("user_id"))) },
		want:  "SELECT users.id \nFROM users INTERSECT SELECT addresses.user_id \nFROM addresses"},

	// ---------------------------------------------------- locking
	{name: "for_update_renders_nothing",
		build:    func() core.Statement { return core.Select(u("id")).Limit(1).ForUpdate(core.ForUpdateOptions{}) },
		want:     "SELECT users.id \nFROM users\n LIMIT ? OFFSET ?",
		wantArgs: []any{int64(1), int64(0)}},
	{name: "for_share_renders_nothing",
		build: func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockShare})
		},
		want: "SELECT users.id \nFROM users"},

	// ---------------------------------------------------- DML
	{name: "insert_returning_unqualified",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"name": "a", "score": 1}).Returning(u("id"), u("name"))
		},
		want:     "INSERT INTO users (name, score) VALUES (?, ?) RETURNING id, name",
		wantArgs: []any{"a", 1}},
	{name: "insert_default_values",
		build: func() core.Statement { return core.Insert(users).Values(map[string]any{}) },
		want:  "INSERT INTO users DEFAULT VALUES"},
	{name: "insert_multi_values",
		build: func() core.Statement { return core.Insert(addresses).Columns(a("email")).Row("x").Row("y") },
		want:  "INSERT INTO addresses (email) VALUES (?), (?)", wantArgs: []any{"x", "y"}},
	{name: "update_returning_unqualified",
		build: func() core.Statement {
			return core.Update(users).Set(u("name"), "b").Where(u("id").Eq(5)).Returning(u("id"), u("name"))
		},
		want:     "UPDATE users SET name=? WHERE users.id = ? RETURNING id, name",
		wantArgs: []any{"b", 5}},
	{name: "update_from",
		build: func() core.Statement {
			return core.Update(users).Set(u("name"), "z").Where(u("id").Eq(a("user_id")), a("email").Eq("e")).Returning(u("id"))
		},
		want:     "UPDATE users SET name=? FROM addresses WHERE users.id = addresses.user_id AND addresses.email = ? RETURNING id",
		wantArgs: []any{"z", "e"}},
	{name: "update_where_bool_column",
		build:    func() core.Statement { return core.Update(users).Set(u("active"), false).Where(u("active")) },
		want:     "UPDATE users SET active=? WHERE users.active = 1",
		wantArgs: []any{false}},
	{name: "delete_returning_unqualified",
		build:    func() core.Statement { return core.Delete(users).Where(u("id").Eq(5)).Returning(u("id")) },
		want:     "DELETE FROM users WHERE users.id = ? RETURNING id",
		wantArgs: []any{5}},
	{name: "upsert_do_nothing",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"id": 1, "name": "a"}).OnConflict(core.Upsert{DoNothing: true})
		},
		want:     "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
		wantArgs: []any{1, "a"}},
	{name: "upsert_do_update_excluded_returning",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"id": 1, "name": "a", "score": 1}).OnConflict(core.Upsert{
				Target: []*core.Column{u("id")},
				Set:    []core.Assign{{Col: u("name"), Value: core.Excluded(u("name"))}, {Col: u("score"), Value: core.Excluded(u("score"))}},
				Where:  u("score").Lt(5),
			}).Returning(u("id"))
		},
		want:     "INSERT INTO users (id, name, score) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, score = excluded.score WHERE users.score < ? RETURNING id",
		wantArgs: []any{1, "a", 1, 5}},
	{name: "upsert_partial_index_target",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"name": "a", "score": 1}).OnConflict(core.Upsert{
				Target: []*core.Column{u("name")}, TargetWhere: u("score").Gt(0),
				Set: []core.Assign{{Col: u("score"), Value: core.Excluded(u("score"))}},
			})
		},
		want:     "INSERT INTO users (name, score) VALUES (?, ?) ON CONFLICT (name) WHERE score > 0 DO UPDATE SET score = excluded.score",
		wantArgs: []any{"a", 1}},
}

func TestCompile(t *testing.T) {
	d := sqlite.New()
	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.Compile(d, tc.build())
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.SQL)
			assert.Equal(t, tc.wantArgs, got.Args)
		})
	}
}

// Every golden statement is accepted by the SQLite library Retort ships
// with (modernc.org/sqlite), and runs with its arguments.
func TestCompiledSQLRunsOnSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, ddl := range []string{
		`CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50), active BOOLEAN, score INTEGER, "key" VARCHAR(20))`,
		`CREATE TABLE addresses (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), email VARCHAR(100))`,
		`CREATE TABLE "order" (id INTEGER PRIMARY KEY, user INTEGER)`,
		`CREATE UNIQUE INDEX ix_users_name ON users (name) WHERE score > 0`,
	} {
		_, err := db.Exec(ddl)
		require.NoError(t, err)
	}
	d := sqlite.New()
	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.Compile(d, tc.build())
			require.NoError(t, err)
			rows, err := db.Query(got.SQL, got.Args...)
			require.NoError(t, err, got.SQL)
			for rows.Next() {
			}
			require.NoError(t, rows.Err())
			require.NoError(t, rows.Close())
		})
	}
}

func TestUnsupported(t *testing.T) {
	cases := []struct {
		name      string
		build     func() core.Statement
		construct string
	}{
		{"for_update_nowait", func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{NoWait: true})
		}, "NOWAIT"},
		{"for_update_skip_locked", func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{SkipLocked: true})
		}, "SKIP LOCKED"},
		{"for_update_of", func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{Of: []core.Node{users}})
		}, "FOR UPDATE OF"},
		{"distinct_on", func() core.Statement { return core.Select(u("id")).DistinctOn(u("name")) }, "DISTINCT ON"},
		{"lateral", func() core.Statement {
			l := core.Select(a("email")).Where(a("user_id").Eq(u("id"))).Lateral("l")
			return core.Select(u("id")).Join(l, core.True())
		}, "LATERAL"},
		{"delete_using", func() core.Statement {
			return core.Delete(users).Where(u("id").Eq(a("user_id")))
		}, "DELETE … USING"},
		{"intersect_all", func() core.Statement { return core.Select(u("id")).IntersectAll(core.Select(a("id"))) }, "INTERSECT ALL"},
		{"except_all", func() core.Statement { return core.Select(u("id")).ExceptAll(core.Select(a("id"))) }, "EXCEPT ALL"},
		{"limited_union_member", func() core.Statement {
			return core.Select(u("id")).Limit(1).Union(core.Select(a("id")))
		}, "inside UNION"},
		{"sequence", func() core.Statement { return core.Select(core.NextValue(&core.Sequence{Name: "s1"})) }, "sequence"},
		{"on_conflict_on_constraint", func() core.Statement {
			return core.Insert(users).Values(map[string]any{"id": 1}).OnConflict(core.Upsert{Constraint: "uq", DoNothing: true})
		}, "ON CONFLICT ON CONSTRAINT"},
	}
	d := sqlite.New()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := core.Compile(d, tc.build())
			require.Error(t, err)
			assert.True(t, errors.Is(err, core.ErrUnsupported), "%v", err)
			var ue *core.UnsupportedCompilationError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "sqlite", ue.Dialect)
			assert.Contains(t, err.Error(), "sqlite")
			assert.Contains(t, ue.Construct, tc.construct)
		})
	}
}

// The LIMIT/OFFSET stand-ins are constants of the compiled plan: a cache hit
// with different values still binds -1 / 0 in the right places.
func TestLimitStandInsThroughCache(t *testing.T) {
	sc := core.NewStatementCache(10)
	d := sqlite.New()
	got1, err := sc.Compile(d, core.Select(u("id")).Offset(5))
	require.NoError(t, err)
	got2, err := sc.Compile(d, core.Select(u("id")).Offset(7))
	require.NoError(t, err)
	assert.Equal(t, got1.SQL, got2.SQL)
	assert.Equal(t, []any{int64(-1), int64(5)}, got1.Args)
	assert.Equal(t, []any{int64(-1), int64(7)}, got2.Args)
	hits, _ := sc.Stats()
	assert.Equal(t, uint64(1), hits)
}

// The partial-index predicate of an upsert target is rendered inline (SQLite
// matches it against the index's own predicate), so its values are part of
// the cache key: a different value is a different statement.
func TestUpsertTargetWhereInlineThroughCache(t *testing.T) {
	sc := core.NewStatementCache(10)
	d := sqlite.New()
	build := func(min int) core.Statement {
		return core.Insert(users).Values(map[string]any{"name": "a"}).OnConflict(core.Upsert{
			Target: []*core.Column{u("name")}, TargetWhere: u("score").Gt(min), DoNothing: true,
		})
	}
	got0, err := sc.Compile(d, build(0))
	require.NoError(t, err)
	got5, err := sc.Compile(d, build(5))
	require.NoError(t, err)
	assert.Equal(t, "INSERT INTO users (name) VALUES (?) ON CONFLICT (name) WHERE score > 0 DO NOTHING", got0.SQL)
	assert.Equal(t, "INSERT INTO users (name) VALUES (?) ON CONFLICT (name) WHERE score > 5 DO NOTHING", got5.SQL)
	assert.Equal(t, []any{"a"}, got5.Args)
	again, err := sc.Compile(d, build(5))
	require.NoError(t, err)
	assert.Equal(t, got5, again)
	hits, misses := sc.Stats()
	assert.Equal(t, uint64(1), hits)
	assert.Equal(t, uint64(2), misses)
}

func TestRegisteredAndFeatures(t *testing.T) {
	d, err := core.LookupDialect("sqlite")
	require.NoError(t, err)
	assert.Equal(t, "sqlite", d.Name())
	f := d.Features()
	for _, want := range []core.Features{core.FeatReturningInsert, core.FeatUpsert, core.FeatUpdateFrom, core.FeatFullJoin,
		core.FeatTupleIn, core.FeatTupleInValues, core.FeatBooleanCompare, core.FeatNullsOrdering, core.FeatWindowFunctions} {
		assert.True(t, f.Has(want), "want feature %b", want)
	}
	for _, not := range []core.Features{core.FeatNativeBoolean, core.FeatForUpdate, core.FeatDistinctOn, core.FeatLateral,
		core.FeatSequences, core.FeatDeleteUsing, core.FeatSetOpAll, core.FeatSetOpParens} {
		assert.False(t, f.Has(not), "unwanted feature %b", not)
	}
}
