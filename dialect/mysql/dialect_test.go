package mysql_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/mysql"
)

// The schema of SQLAlchemy's reference (/tmp/sqla-ref.md), plus u for
// upserts and k, a table without a primary key.
var (
	md = core.NewMetaData()
	t  = md.MustTable("t",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}),
		core.Col("x", core.Integer{}),
		core.Col("flag", core.Boolean{}),
		core.Col("ts", core.DateTime{}),
	)
	o = md.MustTable("o",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("t_id", core.Integer{}, core.References("t.id")),
		core.Col("v", core.Integer{}),
	)
	u = md.MustTable("u",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("email", core.String{Length: 100}),
		core.Col("cnt", core.Integer{}),
	)
	k = md.MustTable("k",
		core.Col("code", core.String{Length: 10}),
		core.Col("n", core.Integer{}),
	)
	// r has reserved and mixed-case names.
	r = md.MustTable("order",
		core.Col("key", core.Integer{}, core.PrimaryKey()),
		core.Col("Name", core.String{}),
		core.Col("rank", core.Integer{}),   // reserved by MySQL only
		core.Col("offset", core.Integer{}), // reserved by MariaDB only
		core.Col("user", core.Integer{}),
	)
	q = md.MustTable("q",
		core.Col("id", core.Integer{}, core.PrimaryKey(), core.WithSequence(&core.Sequence{Name: "q_seq"})),
		core.Col("v", core.Integer{}),
	)
)

// tTable is t for tests whose *testing.T shadows it.
var tTable = t

func tc(name string) *core.Column { return t.C(name) }
func oc(name string) *core.Column { return o.C(name) }
func uc(name string) *core.Column { return u.C(name) }

func sel(items ...core.SelectItem) *core.SelectStmt { return core.Select(items...) }

func ins() *core.InsertStmt {
	return core.Insert(u).Values(map[string]any{"id": 1, "email": "a", "cnt": 1})
}

type compileCase struct {
	name  string
	build func() core.Statement
	want  string
	args  []any
	// wantErr, when set, is a construct the error must name; the error must
	// match core.ErrUnsupported unless argErr is set.
	wantErr string
	argErr  bool
}

var cases = []compileCase{
	// ------------------------------------------------------------ placeholders, quoting
	{
		name:  "placeholders_are_question_marks",
		build: func() core.Statement { return sel(tc("id")).Where(tc("x").Eq(5), tc("name").Ne("a")) },
		want:  "SELECT t.id \nFROM t \nWHERE t.x = ? AND t.name != ?",
		args:  []any{5, "a"},
	},
	{
		name: "reserved_and_mixed_case_identifiers_backticked",
		build: func() core.Statement {
			return sel(r.C("key"), r.C("Name"), r.C("rank"), r.C("offset"), r.C("user"))
		},
		want: "SELECT `order`.`key`, `order`.`Name`, `order`.`rank`, `order`.`offset`, `order`.user \nFROM `order`",
	},

	// ------------------------------------------------------------ LIMIT / OFFSET
	{
		name:  "limit_only",
		build: func() core.Statement { return sel(tc("id")).Limit(10) },
		want:  "SELECT t.id \nFROM t \n LIMIT ?",
		args:  []any{int64(10)},
	},
	{
		name:  "limit_and_offset_binds_offset_first",
		build: func() core.Statement { return sel(tc("id")).OrderBy(tc("id")).Limit(10).Offset(5) },
		want:  "SELECT t.id \nFROM t ORDER BY t.id \n LIMIT ?, ?",
		args:  []any{int64(5), int64(10)},
	},
	{
		name:  "offset_only_uses_max_row_count",
		build: func() core.Statement { return sel(tc("id")).Offset(5) },
		want:  "SELECT t.id \nFROM t \n LIMIT ?, 18446744073709551615",
		args:  []any{int64(5)},
	},
	{
		name: "limit_on_union_and_its_members",
		build: func() core.Statement {
			return sel(tc("id")).Limit(1).Union(sel(oc("id")).Limit(2))
		},
		want: "(SELECT t.id \nFROM t \n LIMIT ?) UNION (SELECT o.id \nFROM o \n LIMIT ?)",
		args: []any{int64(1), int64(2)},
	},

	// ------------------------------------------------------------ booleans
	{
		name:  "where_true_compares_with_one",
		build: func() core.Statement { return sel(tc("id")).Where(core.True()) },
		want:  "SELECT t.id \nFROM t \nWHERE true = 1",
	},
	{
		name:  "where_false_compares_with_one",
		build: func() core.Statement { return sel(tc("id")).Where(core.False()) },
		want:  "SELECT t.id \nFROM t \nWHERE false = 1",
	},
	{
		name:  "select_true_false_literals",
		build: func() core.Statement { return sel(core.True(), core.False()) },
		want:  "SELECT true AS anon_1, false AS anon_2",
	},
	{
		name:  "where_bare_boolean_column",
		build: func() core.Statement { return sel(tc("id")).Where(tc("flag")) },
		want:  "SELECT t.id \nFROM t \nWHERE t.flag = 1",
	},
	{
		name:  "where_negated_boolean_column",
		build: func() core.Statement { return sel(tc("id")).Where(core.Not(tc("flag"))) },
		want:  "SELECT t.id \nFROM t \nWHERE t.flag = 0",
	},
	{
		name:  "bare_boolean_inside_or",
		build: func() core.Statement { return sel(tc("id")).Where(core.Or(tc("flag"), tc("x").Eq(1))) },
		want:  "SELECT t.id \nFROM t \nWHERE t.flag = 1 OR t.x = ?",
		args:  []any{1},
	},

	// ------------------------------------------------------------ operators
	{
		name:  "concat_is_a_function",
		build: func() core.Statement { return sel(tc("name").Concat("x")) },
		want:  "SELECT concat(t.name, ?) AS anon_1 \nFROM t",
		args:  []any{"x"},
	},
	{
		name:  "concat_chain_is_flattened",
		build: func() core.Statement { return sel(tc("name").Concat("x").Concat(tc("name"))) },
		want:  "SELECT concat(t.name, ?, t.name) AS anon_1 \nFROM t",
		args:  []any{"x"},
	},
	{
		name:  "string_add_is_concat",
		build: func() core.Statement { return sel(tc("name").Add("x")) },
		want:  "SELECT concat(t.name, ?) AS anon_1 \nFROM t",
		args:  []any{"x"},
	},
	{
		name:  "contains_uses_concat_and_escape",
		build: func() core.Statement { return sel(tc("id")).Where(tc("name").Contains("a_b")) },
		want:  "SELECT t.id \nFROM t \nWHERE (t.name LIKE concat('%', ?, '%') ESCAPE '/')",
		args:  []any{"a/_b"},
	},
	{
		name:  "startswith",
		build: func() core.Statement { return sel(tc("id")).Where(tc("name").StartsWith("ab")) },
		want:  "SELECT t.id \nFROM t \nWHERE (t.name LIKE concat(?, '%') ESCAPE '/')",
		args:  []any{"ab"},
	},
	{
		name:  "ilike_is_lower_like_lower",
		build: func() core.Statement { return sel(tc("id")).Where(tc("name").ILike("a%")) },
		want:  "SELECT t.id \nFROM t \nWHERE lower(t.name) LIKE lower(?)",
		args:  []any{"a%"},
	},
	{
		name:  "not_ilike",
		build: func() core.Statement { return sel(tc("id")).Where(tc("name").NotILike("a%")) },
		want:  "SELECT t.id \nFROM t \nWHERE lower(t.name) NOT LIKE lower(?)",
		args:  []any{"a%"},
	},
	{
		name:  "is_distinct_from_is_not_null_safe_equal",
		build: func() core.Statement { return sel(tc("id")).Where(tc("x").IsDistinctFrom(5)) },
		want:  "SELECT t.id \nFROM t \nWHERE NOT (t.x <=> ?)",
		args:  []any{5},
	},
	{
		name:  "is_not_distinct_from_is_null_safe_equal",
		build: func() core.Statement { return sel(tc("id")).Where(tc("x").IsNotDistinctFrom(tc("x").Add(1))) },
		want:  "SELECT t.id \nFROM t \nWHERE t.x <=> t.x + ?",
		args:  []any{1},
	},
	{
		name:  "modulo_and_division_are_standard",
		build: func() core.Statement { return sel(tc("x").Mod(3), tc("x").Div(2)) },
		want:  "SELECT t.x % ? AS anon_1, t.x / ? AS anon_2 \nFROM t",
		args:  []any{3, 2},
	},
	{
		name:  "empty_in_is_generic",
		build: func() core.Statement { return sel(tc("id")).Where(tc("x").In()) },
		want:  "SELECT t.id \nFROM t \nWHERE (t.x IN (NULL) AND (1 != 1))",
	},
	{
		name:  "empty_not_in_is_generic",
		build: func() core.Statement { return sel(tc("id")).Where(tc("x").NotIn()) },
		want:  "SELECT t.id \nFROM t \nWHERE (t.x NOT IN (NULL) OR (1 = 1))",
	},
	{
		name: "tuple_in",
		build: func() core.Statement {
			return sel(tc("id")).Where(core.Tuple(tc("x"), tc("name")).In(core.Tuple(1, "a")))
		},
		want: "SELECT t.id \nFROM t \nWHERE (t.x, t.name) IN ((?, ?))",
		args: []any{1, "a"},
	},

	// ------------------------------------------------------------ functions
	{
		name: "functions_now_rand_char_length_current_timestamp_sysdate",
		build: func() core.Statement {
			return sel(core.Now(), core.Random(), core.CharLength(tc("name")), core.CurrentTimestamp(), core.Func("sysdate", core.DateTime{}))
		},
		want: "SELECT now() AS now_1, rand() AS random_1, char_length(t.name) AS char_length_1, CURRENT_TIMESTAMP AS current_timestamp_1, SYSDATE() AS sysdate_1 \nFROM t",
	},
	{
		name: "window_function",
		build: func() core.Statement {
			return sel(core.RowNumber().Over(core.Window{PartitionBy: []core.Expr{tc("name")}, OrderBy: []core.Expr{tc("x").Desc()}}))
		},
		want: "SELECT row_number() OVER (PARTITION BY t.name ORDER BY t.x DESC) AS anon_1 \nFROM t",
	},

	// ------------------------------------------------------------ joins, set operations, CTEs
	{
		name:  "inner_join_says_inner",
		build: func() core.Statement { return sel(tc("id"), oc("v")).Join(o, nil) },
		want:  "SELECT t.id, o.v \nFROM t INNER JOIN o ON t.id = o.t_id",
	},
	{
		name:  "left_outer_join",
		build: func() core.Statement { return sel(tc("id"), oc("v")).OuterJoin(o, nil) },
		want:  "SELECT t.id, o.v \nFROM t LEFT OUTER JOIN o ON t.id = o.t_id",
	},
	{
		name: "intersect_all_and_except_all",
		build: func() core.Statement {
			return sel(tc("id")).IntersectAll(sel(oc("t_id")))
		},
		want: "SELECT t.id \nFROM t INTERSECT ALL SELECT o.t_id \nFROM o",
	},
	{
		name:  "except",
		build: func() core.Statement { return sel(tc("id")).Except(sel(oc("t_id"))) },
		want:  "SELECT t.id \nFROM t EXCEPT SELECT o.t_id \nFROM o",
	},
	{
		name: "recursive_cte",
		build: func() core.Statement {
			anchor := sel(tc("id"), tc("x")).Where(tc("id").Eq(1)).CTE("r", true)
			r := anchor.UnionAll(sel(tc("id"), tc("x")).Join(anchor, tc("x").Eq(anchor.C("id"))))
			return sel(r.C("id"))
		},
		want: "WITH RECURSIVE r(id, x) AS \n(SELECT t.id AS id, t.x AS x \nFROM t \nWHERE t.id = ? UNION ALL SELECT t.id AS id, t.x AS x \nFROM t INNER JOIN r ON t.x = r.id)\n SELECT r.id \nFROM r",
		args: []any{1},
	},

	// ------------------------------------------------------------ row locks
	{
		name:  "for_update",
		build: func() core.Statement { return sel(tc("id")).Where(tc("x").Eq(1)).ForUpdate(core.ForUpdateOptions{}) },
		want:  "SELECT t.id \nFROM t \nWHERE t.x = ? FOR UPDATE",
		args:  []any{1},
	},
	{
		name: "for_update_after_limit_nowait",
		build: func() core.Statement {
			return sel(tc("id")).Limit(1).ForUpdate(core.ForUpdateOptions{NoWait: true})
		},
		want: "SELECT t.id \nFROM t \n LIMIT ? FOR UPDATE NOWAIT",
		args: []any{int64(1)},
	},
	{
		name:  "for_update_skip_locked",
		build: func() core.Statement { return sel(tc("id")).ForUpdate(core.ForUpdateOptions{SkipLocked: true}) },
		want:  "SELECT t.id \nFROM t FOR UPDATE SKIP LOCKED",
	},
	{
		name:  "share_lock_is_lock_in_share_mode",
		build: func() core.Statement { return sel(tc("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockShare}) },
		want:  "SELECT t.id \nFROM t LOCK IN SHARE MODE",
	},
	{
		name: "share_lock_nowait",
		build: func() core.Statement {
			return sel(tc("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockShare, NoWait: true})
		},
		want: "SELECT t.id \nFROM t LOCK IN SHARE MODE NOWAIT",
	},
	{
		name:  "key_share_is_share_mode",
		build: func() core.Statement { return sel(tc("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockKeyShare}) },
		want:  "SELECT t.id \nFROM t LOCK IN SHARE MODE",
	},
	{
		name: "no_key_update_is_for_update",
		build: func() core.Statement {
			return sel(tc("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockNoKeyUpdate})
		},
		want: "SELECT t.id \nFROM t FOR UPDATE",
	},

	// ------------------------------------------------------------ INSERT
	{
		name:  "insert",
		build: func() core.Statement { return core.Insert(t).Values(map[string]any{"name": "a", "x": 1}) },
		want:  "INSERT INTO t (name, x) VALUES (?, ?)",
		args:  []any{"a", 1},
	},
	{
		name: "insert_multi_values",
		build: func() core.Statement {
			return core.Insert(t).Columns(tc("name"), tc("x")).Row("a", 1).Row("b", 2)
		},
		want: "INSERT INTO t (name, x) VALUES (?, ?), (?, ?)",
		args: []any{"a", 1, "b", 2},
	},
	{
		name:  "insert_without_values",
		build: func() core.Statement { return core.Insert(t).Values(map[string]any{}) },
		want:  "INSERT INTO t () VALUES ()",
	},
	{
		name: "insert_returning",
		build: func() core.Statement {
			return core.Insert(t).Values(map[string]any{"name": "a", "x": 1}).Returning(tc("id"), tc("name"))
		},
		want: "INSERT INTO t (name, x) VALUES (?, ?) RETURNING t.id, t.name",
		args: []any{"a", 1},
	},
	{
		name:  "insert_sequence_column_uses_nextval",
		build: func() core.Statement { return core.Insert(q).Values(map[string]any{"v": 1}) },
		want:  "INSERT INTO q (v, id) VALUES (?, nextval(q_seq))",
		args:  []any{1},
	},

	// ------------------------------------------------------------ upsert
	{
		name: "upsert_values_of_proposed_row",
		build: func() core.Statement {
			return ins().OnConflict(core.Upsert{
				Target: []*core.Column{uc("id")}, // ignored: any unique key
				Set: []core.Assign{
					{Col: uc("email"), Value: core.Excluded(uc("email"))},
					{Col: uc("cnt"), Value: uc("cnt").Add(1)},
				},
			})
		},
		want: "INSERT INTO u (id, email, cnt) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE email = VALUES(email), cnt = (u.cnt + ?)",
		args: []any{1, "a", 1, 1},
	},
	{
		name: "upsert_literal_value",
		build: func() core.Statement {
			return ins().OnConflict(core.Upsert{Set: []core.Assign{{Col: uc("cnt"), Value: 7}}})
		},
		want: "INSERT INTO u (id, email, cnt) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE cnt = ?",
		args: []any{1, "a", 1, 7},
	},
	{
		name:  "upsert_do_nothing_assigns_primary_key_to_itself",
		build: func() core.Statement { return ins().OnConflict(core.Upsert{DoNothing: true}) },
		want:  "INSERT INTO u (id, email, cnt) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE id = id",
		args:  []any{1, "a", 1},
	},
	{
		name: "upsert_do_nothing_without_primary_key_uses_target",
		build: func() core.Statement {
			return core.Insert(k).Values(map[string]any{"code": "a", "n": 1}).
				OnConflict(core.Upsert{DoNothing: true, Target: []*core.Column{k.C("code")}})
		},
		want: "INSERT INTO k (code, n) VALUES (?, ?) ON DUPLICATE KEY UPDATE code = code",
		args: []any{"a", 1},
	},
	{
		name: "upsert_multi_row_returning",
		build: func() core.Statement {
			return core.Insert(u).Columns(uc("id"), uc("email")).Row(1, "a").Row(2, "b").
				OnConflict(core.Upsert{Set: []core.Assign{{Col: uc("email"), Value: core.Excluded(uc("email"))}}}).
				Returning(uc("id"))
		},
		want: "INSERT INTO u (id, email) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE email = VALUES(email) RETURNING u.id",
		args: []any{1, "a", 2, "b"},
	},

	// ------------------------------------------------------------ UPDATE / DELETE
	{
		name: "update",
		build: func() core.Statement {
			return core.Update(t).Set(tc("name"), "b").Where(tc("id").Eq(5))
		},
		want: "UPDATE t SET name=? WHERE t.id = ?",
		args: []any{"b", 5},
	},
	{
		name: "multi_table_update_qualifies_set_columns",
		build: func() core.Statement {
			return core.Update(t).Set(tc("name"), "z").Where(tc("id").Eq(oc("t_id")), oc("v").Eq(5))
		},
		want: "UPDATE t, o SET t.name=? WHERE t.id = o.t_id AND o.v = ?",
		args: []any{"z", 5},
	},
	{
		name: "multi_table_update_from_alias",
		build: func() core.Statement {
			a := o.Alias("oa")
			return core.Update(t).Set(tc("x"), a.C("v").Add(1)).Where(tc("id").Eq(a.C("t_id")))
		},
		want: "UPDATE t, o AS oa SET t.x=(oa.v + ?) WHERE t.id = oa.t_id",
		args: []any{1},
	},
	{
		name:  "delete_returning",
		build: func() core.Statement { return core.Delete(t).Where(tc("id").Eq(5)).Returning(tc("id")) },
		want:  "DELETE FROM t WHERE t.id = ? RETURNING t.id",
		args:  []any{5},
	},
	{
		name: "multi_table_delete_names_target_in_using",
		build: func() core.Statement {
			return core.Delete(t).Where(tc("id").Eq(oc("t_id")), oc("v").Eq(5))
		},
		want: "DELETE FROM t USING t, o WHERE t.id = o.t_id AND o.v = ?",
		args: []any{5},
	},

	// ------------------------------------------------------------ refused constructs
	{
		name:    "full_outer_join_is_refused",
		build:   func() core.Statement { return sel(tc("id")).FullJoin(o, nil) },
		wantErr: "FULL OUTER JOIN",
	},
	{
		name:    "nulls_first_is_refused",
		build:   func() core.Statement { return sel(tc("id")).OrderBy(tc("x").NullsFirst()) },
		wantErr: "NULLS FIRST",
	},
	{
		name:    "distinct_on_is_refused",
		build:   func() core.Statement { return sel(tc("id")).DistinctOn(tc("name")) },
		wantErr: "DISTINCT ON",
	},
	{
		name: "lateral_is_refused",
		build: func() core.Statement {
			l := sel(oc("v")).Where(oc("t_id").Eq(tc("id"))).Lateral("l")
			return sel(tc("id"), l.C("v")).Join(l, core.True())
		},
		wantErr: "LATERAL",
	},
	{
		name:    "filter_clause_is_refused",
		build:   func() core.Statement { return sel(core.Count(tc("id")).Filter(tc("x").Gt(1))) },
		wantErr: "FILTER",
	},
	{
		name: "for_update_of_is_refused",
		build: func() core.Statement {
			return sel(tc("id")).ForUpdate(core.ForUpdateOptions{Of: []core.Node{t}})
		},
		wantErr: "FOR UPDATE OF",
	},
	{
		name: "update_returning_is_refused",
		build: func() core.Statement {
			return core.Update(t).Set(tc("name"), "b").Where(tc("id").Eq(5)).Returning(tc("id"))
		},
		wantErr: "UPDATE … RETURNING",
	},
	{
		name: "multi_table_delete_returning_is_refused",
		build: func() core.Statement {
			return core.Delete(t).Where(tc("id").Eq(oc("t_id"))).Returning(tc("id"))
		},
		wantErr: "DELETE … RETURNING",
	},
	{
		name: "upsert_where_is_refused",
		build: func() core.Statement {
			return ins().OnConflict(core.Upsert{
				Set:   []core.Assign{{Col: uc("cnt"), Value: core.Excluded(uc("cnt"))}},
				Where: uc("cnt").Lt(5),
			})
		},
		wantErr: "upsert with a WHERE",
	},
	{
		name: "upsert_constraint_is_refused",
		build: func() core.Statement {
			return ins().OnConflict(core.Upsert{Constraint: "uq_u_email", DoNothing: true})
		},
		wantErr: "upsert on a named constraint",
	},
	{
		name: "upsert_target_where_is_refused",
		build: func() core.Statement {
			return ins().OnConflict(core.Upsert{
				Target: []*core.Column{uc("email")}, TargetWhere: uc("cnt").Gt(0),
				Set: []core.Assign{{Col: uc("cnt"), Value: core.Excluded(uc("cnt"))}},
			})
		},
		wantErr: "TargetWhere",
	},
	{
		name: "upsert_do_nothing_without_key_is_an_argument_error",
		build: func() core.Statement {
			return core.Insert(k).Values(map[string]any{"code": "a"}).OnConflict(core.Upsert{DoNothing: true})
		},
		wantErr: "needs a primary key or a Target column",
		argErr:  true,
	},
}

func TestCompile(t *testing.T) {
	d, err := core.LookupDialect("mysql")
	require.NoError(t, err)
	cache := core.NewStatementCache(100)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.Compile(d, tc.build())
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				if tc.argErr {
					var ae *core.ArgumentError
					assert.True(t, errors.As(err, &ae), "want *core.ArgumentError, got %T", err)
					return
				}
				assert.True(t, errors.Is(err, core.ErrUnsupported), "want core.ErrUnsupported, got %v", err)
				var ue *core.UnsupportedCompilationError
				require.True(t, errors.As(err, &ue))
				assert.Equal(t, "mysql", ue.Dialect)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.SQL)
			assert.Equal(t, tc.args, got.Args)
			// through the statement cache, twice: same text and arguments
			for range 2 {
				cached, err := cache.Compile(d, tc.build())
				require.NoError(t, err)
				assert.Equal(t, tc.want, cached.SQL)
				assert.Equal(t, tc.args, cached.Args)
			}
		})
	}
}

func TestMariaDBSchemeIsTheSameDialect(t *testing.T) {
	my, err := core.LookupDialect("mysql")
	require.NoError(t, err)
	maria, err := core.LookupDialect("mariadb")
	require.NoError(t, err)
	assert.Same(t, my, maria)
	assert.Equal(t, "mysql", maria.Name())
}

func TestFeatures(t *testing.T) {
	f := mysql.New().Features()
	for _, want := range []core.Features{
		core.FeatReturningInsert, core.FeatReturningDelete, core.FeatMultiValuesInsert, core.FeatUpsert,
		core.FeatWindowFunctions, core.FeatCTE, core.FeatRecursiveKeyword, core.FeatIntersectExcept,
		core.FeatSetOpAll, core.FeatForUpdate, core.FeatNoWait, core.FeatSkipLocked, core.FeatBooleanCompare,
		core.FeatTupleIn, core.FeatSavepoints,
	} {
		assert.True(t, f.Has(want), "feature %b should be on", want)
	}
	for _, off := range []core.Features{
		core.FeatReturningUpdate, core.FeatFullJoin, core.FeatLateral, core.FeatNullsOrdering,
		core.FeatDistinctOn, core.FeatForShare, core.FeatForUpdateOf, core.FeatFilterClause,
		core.FeatNativeBoolean, core.FeatFromDual, core.FeatNoAliasAS, core.FeatNamedParams,
	} {
		assert.False(t, f.Has(off), "feature %b should be off", off)
	}
}

// A dialect value with MySQL 8's extra features renders FOR SHARE and
// FOR UPDATE OF.
func TestMySQL8Features(t *testing.T) {
	d := mysql.New()
	d.Feat |= core.FeatForShare | core.FeatForUpdateOf
	got, err := core.Compile(d, sel(tc("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockShare, SkipLocked: true}))
	require.NoError(t, err)
	assert.Equal(t, "SELECT t.id \nFROM t FOR SHARE SKIP LOCKED", got.SQL)
	got, err = core.Compile(d, sel(tc("id"), oc("v")).Join(o, nil).ForUpdate(core.ForUpdateOptions{Of: []core.Node{tTable}, NoWait: true}))
	require.NoError(t, err)
	assert.Equal(t, "SELECT t.id, o.v \nFROM t INNER JOIN o ON t.id = o.t_id FOR UPDATE OF t NOWAIT", got.SQL)
}

func TestRenderLiteral(t *testing.T) {
	d := mysql.New()
	for _, tc := range []struct {
		name  string
		value any
		want  string
	}{
		{"quote_doubled_and_backslash_doubled", `a\b'c`, `'a\\b''c'`},
		{"trailing_backslash_cannot_escape_the_quote", `x\`, `'x\\'`},
		{"bytes_as_hex", []byte{0xab, 0x01}, "X'ab01'"},
		{"nil_bytes_is_null", []byte(nil), "NULL"},
		{"true", true, "true"},
		{"false", false, "false"},
		{"int", 42, "42"},
		{"float", 1.5, "1.5"},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 600000000, time.UTC), "'2024-01-02 03:04:05.6'"},
		{"nil", nil, "NULL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.AppendLiteral(nil, tc.value, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
	sql, err := core.RenderLiteral(d, sel(tc("id")).Where(tc("name").Eq(`a\'`)).OrderBy(tc("id")).Limit(10).Offset(5))
	require.NoError(t, err)
	assert.Equal(t, "SELECT t.id \nFROM t \nWHERE t.name = 'a\\\\''' ORDER BY t.id \n LIMIT 5, 10", sql)

	_, err = d.AppendLiteral(nil, "a\x00b", nil)
	assert.Error(t, err, "a NUL byte is refused")
}

func TestIdentifierQuoting(t *testing.T) {
	d := mysql.New()
	for name, want := range map[string]string{
		"name":   "name",
		"Name":   "`Name`",
		"user":   "user",
		"order":  "`order`",
		"select": "`select`",
		"key":    "`key`",
		"index":  "`index`",
		"limit":  "`limit`",
		"offset": "`offset`",
		"rank":   "`rank`",
		"my col": "`my col`",
		"1abc":   "`1abc`",
		"a$b":    "a$b",
		"_x":     "_x",
		"a`b":    "`a``b`",
		`Ab"c`:   "`Ab\"c`",
	} {
		assert.Equal(t, want, string(d.AppendIdent(nil, name)), name)
	}
	// every word of both SQLAlchemy lists is quoted
	for _, w := range []string{"accessible", "zerofill", "returning", "lateral", "qualify", "system_time"} {
		got := string(d.AppendIdent(nil, w))
		assert.True(t, strings.HasPrefix(got, "`"), w)
	}
}

// A server without RETURNING (MySQL itself, MariaDB before 10.5) is the same
// dialect with the feature bits off: RETURNING is then a compile error
// naming the dialect and the construct, never an INSERT that drops it.
func TestReturningOnServerWithoutIt(t *testing.T) {
	d := mysql.New()
	d.Feat &^= core.FeatReturningInsert | core.FeatReturningDelete
	md := core.NewMetaData()
	users := md.MustTable("users", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("name", core.String{Length: 20}))
	for _, st := range []core.Statement{
		core.Insert(users).Values(map[string]any{"name": "a"}).Returning(users.C("id")),
		core.Delete(users).Where(users.C("id").Eq(1)).Returning(users.C("id")),
	} {
		_, err := core.Compile(d, st)
		if !errors.Is(err, core.ErrUnsupported) || !strings.Contains(err.Error(), "mysql") || !strings.Contains(err.Error(), "RETURNING") {
			t.Fatalf("want an unsupported-RETURNING error naming mysql, got %v", err)
		}
	}
}
