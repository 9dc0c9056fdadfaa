package postgresql_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/postgresql"
	"github.com/retort-orm/retort/internal/testdb"
)

// A users/addresses schema. "user" and "order" are reserved words on
// PostgreSQL (quoted); "key" is not.
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
	{name: "placeholders_are_dollar_numbers",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").Gt(1), u("name").Eq("a")) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score > $1 AND users.name = $2",
		wantArgs: []any{1, "a"}},
	{name: "reserved_words_quoted",
		build: func() core.Statement {
			return core.Select(u("key"), orders.C("user")).Where(orders.C("user").Eq(u("id")))
		},
		want: "SELECT users.key, \"order\".\"user\" \nFROM users, \"order\" \nWHERE \"order\".\"user\" = users.id"},

	// ---------------------------------------------------- LIMIT / OFFSET
	{name: "limit_only",
		build:    func() core.Statement { return core.Select(u("id")).Limit(10) },
		want:     "SELECT users.id \nFROM users \n LIMIT $1",
		wantArgs: []any{int64(10)}},
	{name: "offset_only_limit_all",
		build:    func() core.Statement { return core.Select(u("id")).Offset(5) },
		want:     "SELECT users.id \nFROM users\n LIMIT ALL OFFSET $1",
		wantArgs: []any{int64(5)}},
	{name: "limit_offset_order_by",
		build:    func() core.Statement { return core.Select(u("id")).OrderBy(u("id")).Limit(10).Offset(5) },
		want:     "SELECT users.id \nFROM users ORDER BY users.id \n LIMIT $1 OFFSET $2",
		wantArgs: []any{int64(10), int64(5)}},
	{name: "limited_union_members_parenthesised",
		build: func() core.Statement {
			return core.Select(u("id")).Limit(1).Union(core.Select(a("id")).Limit(2))
		},
		want:     "(SELECT users.id \nFROM users \n LIMIT $1) UNION (SELECT addresses.id \nFROM addresses \n LIMIT $2)",
		wantArgs: []any{int64(1), int64(2)}},

	// ---------------------------------------------------- booleans
	{name: "true_false_constants",
		build: func() core.Statement { return core.Select(core.True(), core.False()) },
		want:  "SELECT true AS anon_1, false AS anon_2"},
	{name: "where_true",
		build: func() core.Statement { return core.Select(u("id")).Where(core.True()) },
		want:  "SELECT users.id \nFROM users \nWHERE true"},
	{name: "where_false",
		build: func() core.Statement { return core.Select(u("id")).Where(core.False()) },
		want:  "SELECT users.id \nFROM users \nWHERE false"},
	{name: "bare_bool_column",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").Gt(1), u("active")) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score > $1 AND users.active",
		wantArgs: []any{1}},
	{name: "not_bool_column",
		build: func() core.Statement { return core.Select(u("id")).Where(core.Not(u("active"))) },
		want:  "SELECT users.id \nFROM users \nWHERE NOT users.active"},

	// ---------------------------------------------------- IN
	{name: "in_values",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").In(1, 2)) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score IN ($1, $2)",
		wantArgs: []any{1, 2}},
	{name: "tuple_in",
		build: func() core.Statement {
			return core.Select(u("id")).Where(core.Tuple(u("score"), u("name")).In([]any{1, "a"}, []any{2, "b"}))
		},
		want:     "SELECT users.id \nFROM users \nWHERE (users.score, users.name) IN (($1, $2), ($3, $4))",
		wantArgs: []any{1, "a", 2, "b"}},
	{name: "empty_in_is_false",
		build: func() core.Statement { return core.Select(u("id")).Where(u("score").In()) },
		want:  "SELECT users.id \nFROM users \nWHERE (users.score IN (NULL) AND (1 != 1))"},
	{name: "empty_not_in_is_true",
		build: func() core.Statement { return core.Select(u("id")).Where(u("score").NotIn()) },
		want:  "SELECT users.id \nFROM users \nWHERE (users.score NOT IN (NULL) OR (1 = 1))"},

	// ---------------------------------------------------- operators
	{name: "ilike_native",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").ILike("a%")) },
		want:     "SELECT users.id \nFROM users \nWHERE users.name ILIKE $1",
		wantArgs: []any{"a%"}},
	{name: "not_ilike_native",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").NotILike("a%")) },
		want:     "SELECT users.id \nFROM users \nWHERE users.name NOT ILIKE $1",
		wantArgs: []any{"a%"}},
	{name: "ilike_escape",
		build: func() core.Statement {
			return core.Select(u("id")).Where(core.Not(u("name").LikeEscape("a/%", '/')))
		},
		want:     "SELECT users.id \nFROM users \nWHERE NOT (users.name LIKE $1 ESCAPE '/')",
		wantArgs: []any{"a/%"}},
	{name: "is_distinct_from_native",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").IsDistinctFrom(5)) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score IS DISTINCT FROM $1",
		wantArgs: []any{5}},
	{name: "is_not_distinct_from_native",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("score").IsNotDistinctFrom(5)) },
		want:     "SELECT users.id \nFROM users \nWHERE users.score IS NOT DISTINCT FROM $1",
		wantArgs: []any{5}},
	{name: "concat_pipes",
		build:    func() core.Statement { return core.Select(u("name").Concat("x")) },
		want:     "SELECT users.name || $1 AS anon_1 \nFROM users",
		wantArgs: []any{"x"}},
	{name: "contains_parenthesised_and_escaped",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").Contains("5%_/")) },
		want:     "SELECT users.id \nFROM users \nWHERE (users.name LIKE '%' || $1 || '%' ESCAPE '/')",
		wantArgs: []any{"5/%/_//"}},
	{name: "startswith",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").StartsWith("ab")) },
		want:     "SELECT users.id \nFROM users \nWHERE (users.name LIKE $1 || '%' ESCAPE '/')",
		wantArgs: []any{"ab"}},
	{name: "endswith",
		build:    func() core.Statement { return core.Select(u("id")).Where(u("name").EndsWith("ab")) },
		want:     "SELECT users.id \nFROM users \nWHERE (users.name LIKE '%' || $1 ESCAPE '/')",
		wantArgs: []any{"ab"}},
	{name: "division_is_plain_slash",
		build:    func() core.Statement { return core.Select(u("score").Div(3)) },
		want:     "SELECT users.score / $1 AS anon_1 \nFROM users",
		wantArgs: []any{3}},
	{name: "modulo",
		build:    func() core.Statement { return core.Select(u("score").Mod(3)) },
		want:     "SELECT users.score % $1 AS anon_1 \nFROM users",
		wantArgs: []any{3}},
	{name: "nulls_first",
		build: func() core.Statement { return core.Select(u("id")).OrderBy(u("score").Desc().NullsFirst()) },
		want:  "SELECT users.id \nFROM users ORDER BY users.score DESC NULLS FIRST"},

	// ---------------------------------------------------- functions
	{name: "now_and_current_timestamp",
		build: func() core.Statement { return core.Select(core.Now(), core.CurrentTimestamp(), core.CurrentDate()) },
		want:  "SELECT now() AS now_1, CURRENT_TIMESTAMP AS current_timestamp_1, CURRENT_DATE AS current_date_1"},
	{name: "char_length",
		build: func() core.Statement { return core.Select(core.CharLength(u("name"))) },
		want:  "SELECT char_length(users.name) AS char_length_1 \nFROM users"},
	{name: "random",
		build: func() core.Statement { return core.Select(u("id")).OrderBy(core.Random()) },
		want:  "SELECT users.id \nFROM users ORDER BY random()"},
	{name: "aggregate_filter",
		build: func() core.Statement { return core.Select(core.Count(u("id")).Filter(u("score").Gt(1))) },
		want:  "SELECT count(users.id) FILTER (WHERE users.score > $1) AS count_1 \nFROM users", wantArgs: []any{1}},
	{name: "literal_bool_and_bytes",
		build: func() core.Statement { return core.Select(core.Literal(true), core.Literal([]byte{0xde, 0xad})) },
		want:  "SELECT true AS anon_1, '\\xdead' AS anon_2"},

	// ---------------------------------------------------- select forms
	{name: "distinct_on",
		build: func() core.Statement { return core.Select(u("id"), u("name")).DistinctOn(u("name")) },
		want:  "SELECT DISTINCT ON (users.name) users.id, users.name \nFROM users"},
	{name: "full_outer_join",
		build: func() core.Statement {
			return core.Select(u("id"), a("id")).FullJoin(addresses, u("id").Eq(a("user_id")))
		},
		want: "SELECT users.id, addresses.id AS id_1 \nFROM users FULL OUTER JOIN addresses ON users.id = addresses.user_id"},
	{name: "lateral_join_on_true",
		build: func() core.Statement {
			l := core.Select(a("email")).Where(a("user_id").Eq(u("id"))).Lateral("l")
			return core.Select(u("id"), l.C("email")).Join(l, core.True())
		},
		want: "SELECT users.id, l.email \nFROM users JOIN LATERAL (SELECT addresses.email AS email \nFROM addresses \nWHERE addresses.user_id = users.id) AS l ON true"},
	{name: "intersect_all_except_all",
		build: func() core.Statement {
			return core.Select(u("id")).IntersectAll(core.Select(a("user_id")))
		},
		want: "SELECT users.id \nFROM users INTERSECT ALL SELECT addresses.user_id \nFROM addresses"},
	{name: "sequence_next_value",
		build: func() core.Statement { return core.Select(core.NextValue(&core.Sequence{Name: "user_seq"})) },
		want:  "SELECT nextval('user_seq') AS anon_1"},

	// ---------------------------------------------------- locking
	{name: "for_update_after_limit",
		build:    func() core.Statement { return core.Select(u("id")).Limit(1).ForUpdate(core.ForUpdateOptions{}) },
		want:     "SELECT users.id \nFROM users \n LIMIT $1 FOR UPDATE",
		wantArgs: []any{int64(1)}},
	{name: "for_share_nowait",
		build: func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockShare, NoWait: true})
		},
		want: "SELECT users.id \nFROM users FOR SHARE NOWAIT"},
	{name: "for_no_key_update_of_skip_locked",
		build: func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockNoKeyUpdate, Of: []core.Node{u("id")}, SkipLocked: true})
		},
		want: "SELECT users.id \nFROM users FOR NO KEY UPDATE OF users SKIP LOCKED"},
	{name: "for_key_share",
		build: func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockKeyShare})
		},
		want: "SELECT users.id \nFROM users FOR KEY SHARE"},

	// ---------------------------------------------------- DML
	{name: "insert_returning_qualified",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"name": "a", "score": 1}).Returning(u("id"), u("name"))
		},
		want:     "INSERT INTO users (name, score) VALUES ($1, $2) RETURNING users.id, users.name",
		wantArgs: []any{"a", 1}},
	{name: "insert_default_values",
		build: func() core.Statement { return core.Insert(users).Values(map[string]any{}) },
		want:  "INSERT INTO users DEFAULT VALUES"},
	{name: "update_from_returning",
		build: func() core.Statement {
			return core.Update(users).Set(u("name"), "z").Where(u("id").Eq(a("user_id")), a("email").Eq("e")).Returning(u("id"))
		},
		want:     "UPDATE users SET name=$1 FROM addresses WHERE users.id = addresses.user_id AND addresses.email = $2 RETURNING users.id",
		wantArgs: []any{"z", "e"}},
	{name: "delete_using",
		build: func() core.Statement {
			return core.Delete(users).Where(u("id").Eq(a("user_id")), a("email").Eq("e")).Returning(u("id"))
		},
		want:     "DELETE FROM users USING addresses WHERE users.id = addresses.user_id AND addresses.email = $1 RETURNING users.id",
		wantArgs: []any{"e"}},
	{name: "upsert_do_update_excluded_returning",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"id": 1, "name": "a", "score": 1}).OnConflict(core.Upsert{
				Target: []*core.Column{u("id")},
				Set:    []core.Assign{{Col: u("name"), Value: core.Excluded(u("name"))}, {Col: u("score"), Value: core.Excluded(u("score"))}},
				Where:  u("score").Lt(5),
			}).Returning(u("id"))
		},
		want:     "INSERT INTO users (id, name, score) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name, score = excluded.score WHERE users.score < $4 RETURNING users.id",
		wantArgs: []any{1, "a", 1, 5}},
	{name: "upsert_partial_index_target_inline",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"name": "a", "score": 1}).OnConflict(core.Upsert{
				Target: []*core.Column{u("name")}, TargetWhere: u("score").Gt(0),
				Set: []core.Assign{{Col: u("score"), Value: core.Excluded(u("score"))}},
			})
		},
		want:     "INSERT INTO users (name, score) VALUES ($1, $2) ON CONFLICT (name) WHERE score > 0 DO UPDATE SET score = excluded.score",
		wantArgs: []any{"a", 1}},
	{name: "upsert_on_constraint",
		build: func() core.Statement {
			return core.Insert(users).Values(map[string]any{"id": 1}).OnConflict(core.Upsert{Constraint: "users_pkey", DoNothing: true})
		},
		want:     "INSERT INTO users (id) VALUES ($1) ON CONFLICT ON CONSTRAINT users_pkey DO NOTHING",
		wantArgs: []any{1}},
}

func TestCompile(t *testing.T) {
	d := postgresql.New()
	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.Compile(d, tc.build())
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.SQL)
			assert.Equal(t, tc.wantArgs, got.Args)
		})
	}
}

// Every golden statement is accepted by a PostgreSQL server, through pgx
// with server-side parameters, inside a transaction that is rolled back.
func TestCompiledSQLRunsOnPostgres(t *testing.T) {
	url := testdb.URL(t, testdb.Postgres)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	for _, ddl := range []string{
		`CREATE TEMP TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(50), active BOOLEAN, score INTEGER, key VARCHAR(20))`,
		`CREATE TEMP TABLE addresses (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), email VARCHAR(100))`,
		`CREATE TEMP TABLE "order" (id INTEGER PRIMARY KEY, "user" INTEGER)`,
		`CREATE UNIQUE INDEX ix_users_name ON users (name) WHERE score > 0`,
		`CREATE TEMP SEQUENCE user_seq`,
		// generic plans: a bound partial-index predicate would fail to match
		`SET LOCAL plan_cache_mode = force_generic_plan`,
	} {
		_, err := tx.Exec(ctx, ddl)
		require.NoError(t, err, ddl)
	}
	d := postgresql.New()
	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.Compile(d, tc.build())
			require.NoError(t, err)
			_, err = tx.Exec(ctx, "SAVEPOINT s")
			require.NoError(t, err)
			t.Cleanup(func() { _, _ = tx.Exec(ctx, "ROLLBACK TO SAVEPOINT s") })
			rows, err := tx.Query(ctx, got.SQL, got.Args...)
			require.NoError(t, err, got.SQL)
			rows.Close()
			require.NoError(t, rows.Err(), got.SQL)
		})
	}
}

func TestUnsupportedWhenFeatureOff(t *testing.T) {
	// a near-compatible server without some features: switch bits off
	d := postgresql.New()
	d.Feat &^= core.FeatDistinctOn | core.FeatSkipLocked
	cases := []struct {
		name      string
		build     func() core.Statement
		construct string
	}{
		{"distinct_on", func() core.Statement { return core.Select(u("id")).DistinctOn(u("name")) }, "DISTINCT ON"},
		{"skip_locked", func() core.Statement {
			return core.Select(u("id")).ForUpdate(core.ForUpdateOptions{SkipLocked: true})
		}, "SKIP LOCKED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := core.Compile(d, tc.build())
			require.Error(t, err)
			assert.True(t, errors.Is(err, core.ErrUnsupported), "%v", err)
			var ue *core.UnsupportedCompilationError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "postgresql", ue.Dialect)
			assert.Contains(t, err.Error(), "postgresql")
			assert.Contains(t, ue.Construct, tc.construct)
		})
	}
}

func TestRegisteredAndFeatures(t *testing.T) {
	for _, scheme := range []string{"postgresql", "postgres"} {
		d, err := core.LookupDialect(scheme)
		require.NoError(t, err)
		assert.Equal(t, "postgresql", d.Name())
		f := d.Features()
		assert.True(t, f.Has(postgresql.Features))
		assert.False(t, f.Has(core.FeatBooleanCompare))
		assert.False(t, f.Has(core.FeatTupleInValues))
		assert.False(t, f.Has(core.FeatNamedParams))
	}
}
