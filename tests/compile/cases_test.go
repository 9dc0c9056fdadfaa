package compile_test

import (
	"github.com/retort-orm/retort/core"
)

// The schema is SQLAlchemy reference's test schema (/tmp/sqla-ref.md), so
// the golden files compare line by line with SQLAlchemy's output:
//
//	t(id INTEGER PK, name VARCHAR(50), x INTEGER, flag BOOLEAN, ts DATETIME)
//	o(id INTEGER PK, t_id INTEGER FK -> t.id, v INTEGER)
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
	// e has two foreign keys to t, so a join to it needs an ON clause.
	e = md.MustTable("e",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("a_id", core.Integer{}, core.References("t.id")),
		core.Col("b_id", core.Integer{}, core.References("t.id")),
	)
	// d has client-side and server-side column defaults.
	d = md.MustTable("d",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("status", core.String{Length: 20}, core.Default("new")),
		core.Col("created", core.DateTime{}, core.ServerDefault(core.Now())),
		core.Col("note", core.Text{}),
	)
)

// c returns t's or o's column by name, for brevity.
func tc(name string) *core.Column { return t.C(name) }
func oc(name string) *core.Column { return o.C(name) }

func sel(items ...core.SelectItem) *core.SelectStmt { return core.Select(items...) }

var cases = []goldenCase{
	// ------------------------------------------------------------ comparisons and boolean operators
	{name: "select_table_all_columns", build: func() core.Statement { return sel(t) }},
	{name: "select_where_eq", build: func() core.Statement { return sel(tc("id")).Where(tc("x").Eq(5)) }},
	{name: "select_where_ne", build: func() core.Statement { return sel(tc("id")).Where(tc("x").Ne(5)) }},
	{name: "select_where_lt_le_gt_ge", build: func() core.Statement {
		return sel(tc("id")).Where(tc("x").Lt(1), tc("x").Le(2), tc("x").Gt(3), tc("x").Ge(4))
	}},
	{name: "select_where_or_of_ands", build: func() core.Statement {
		return sel(tc("id")).Where(core.Or(core.And(tc("x").Gt(1), tc("x").Lt(9)), tc("name").Eq("z")))
	}},
	{name: "select_where_and_of_ors", build: func() core.Statement {
		return sel(tc("id")).Where(core.And(core.Or(tc("x").Eq(1), tc("x").Eq(2)), core.Or(tc("name").Eq("a"), tc("name").Eq("b"))))
	}},
	{name: "select_where_not_inverts_comparison", build: func() core.Statement {
		return sel(tc("id")).Where(core.Not(tc("x").Eq(1)))
	}},
	{name: "select_where_not_of_or", build: func() core.Statement {
		return sel(tc("id")).Where(core.Not(core.Or(tc("x").Eq(1), tc("name").Eq("a"))))
	}},
	{name: "select_where_eq_nil_is_null", build: func() core.Statement { return sel(tc("id")).Where(tc("name").Eq(nil)) }},
	{name: "select_where_is_null_is_not_null", build: func() core.Statement {
		return sel(tc("id")).Where(tc("name").IsNull(), tc("x").IsNotNull())
	}},
	{name: "select_where_is_distinct_from", build: func() core.Statement {
		return sel(tc("id")).Where(tc("x").IsDistinctFrom(5))
	}},
	{name: "select_where_is_not_distinct_from", build: func() core.Statement {
		return sel(tc("id")).Where(tc("x").IsNotDistinctFrom(tc("id")))
	}},
	{name: "select_where_bool_column", build: func() core.Statement {
		return sel(tc("id")).Where(tc("flag"))
	}},
	{name: "select_where_not_bool_column", build: func() core.Statement {
		return sel(tc("id")).Where(core.Not(tc("flag")))
	}},
	{name: "select_where_bool_column_eq_true", note: "Eq(true) binds the value; SQLAlchemy renders the constant (= true / = 1).", build: func() core.Statement {
		return sel(tc("id")).Where(tc("flag").Eq(true))
	}},
	{name: "select_where_is_true_is_not_false", note: "IS takes the TRUE/FALSE keywords (1/0 where there are no booleans), never a parameter, as in SQLAlchemy.", build: func() core.Statement {
		return sel(tc("id")).Where(tc("flag").Is(true), core.Not(tc("flag").Is(false)))
	}},
	{name: "select_true_false_constants", build: func() core.Statement {
		return sel(core.True(), core.False())
	}},
	{name: "select_where_true_constant", build: func() core.Statement {
		return sel(tc("id")).Where(core.True())
	}},
	{name: "select_arithmetic_precedence", note: "Div is plain / everywhere; SQLAlchemy 2.0's true division adds CAST(… AS NUMERIC) on PostgreSQL/SQL Server and (… + 0.0) on SQLite.", build: func() core.Statement {
		return sel(tc("x").Add(1).Mul(2).Label("a"), tc("x").Sub(tc("id")).Div(3).Label("b"), tc("x").Mod(7).Label("c"), tc("x").Neg().Label("d"))
	}},
	{name: "select_string_concat", build: func() core.Statement {
		return sel(tc("name").Concat("-").Concat(tc("name")).Label("nn"))
	}},
	{name: "select_custom_operator_and_collate", note: "COLLATE is not parenthesised (SQLAlchemy: (x COLLATE c) = y), same meaning; the collation name is quoted as an identifier ([C] on SQL Server, SQLAlchemy: C).", build: func() core.Statement {
		return sel(tc("x").Op("&", 4).Label("bits")).Where(tc("name").Collate("C").Eq("a"))
	}},

	// ------------------------------------------------------------ IN, BETWEEN, LIKE
	{name: "select_where_in_values", build: func() core.Statement { return sel(tc("id")).Where(tc("x").In(1, 2, 3)) }},
	{name: "select_where_not_in_values", build: func() core.Statement { return sel(tc("id")).Where(tc("x").NotIn(1, 2)) }},
	{name: "select_where_empty_in_is_false", note: "the empty IN is parenthesised as a whole; same meaning as SQLAlchemy's x IN (NULL) AND (1 != 1).", build: func() core.Statement { return sel(tc("id")).Where(tc("x").In()) }},
	{name: "select_where_empty_not_in_is_true", build: func() core.Statement { return sel(tc("id")).Where(tc("x").NotIn()) }},
	{name: "select_where_tuple_in", note: "SQL Server has no row-value IN, so mssql refuses it; SQLAlchemy renders SQL the server rejects.", build: func() core.Statement {
		return sel(tc("id")).Where(core.Tuple(tc("id"), tc("name")).In([]any{1, "a"}, []any{2, "b"}))
	}},
	{name: "select_where_in_subquery", build: func() core.Statement {
		return sel(tc("id")).Where(tc("id").In(sel(oc("t_id")).Where(oc("v").Gt(10))))
	}},
	{name: "select_where_not_in_subquery", build: func() core.Statement {
		return sel(tc("id")).Where(tc("id").NotIn(sel(oc("t_id"))))
	}},
	{name: "select_where_between", build: func() core.Statement { return sel(tc("id")).Where(tc("x").Between(1, 10)) }},
	{name: "select_where_not_between", build: func() core.Statement { return sel(tc("id")).Where(tc("x").NotBetween(1, 10)) }},
	{name: "select_where_like_not_like", build: func() core.Statement {
		return sel(tc("id")).Where(tc("name").Like("a%"), tc("name").NotLike("%z"))
	}},
	{name: "select_where_ilike", build: func() core.Statement { return sel(tc("id")).Where(tc("name").ILike("a%")) }},
	{name: "select_where_not_ilike", build: func() core.Statement { return sel(tc("id")).Where(tc("name").NotILike("a%")) }},
	{name: "select_where_like_escape", build: func() core.Statement {
		return sel(tc("id")).Where(tc("name").LikeEscape("10!%%", '!'))
	}},
	{name: "select_where_contains_autoescapes", build: func() core.Statement {
		return sel(tc("id")).Where(tc("name").Contains("50%_off/"))
	}, note: "autoescape is always on: SQLAlchemy's contains(autoescape=True)"},
	{name: "select_where_startswith", build: func() core.Statement { return sel(tc("id")).Where(tc("name").StartsWith("ab")) },
		note: "autoescape is always on: SQLAlchemy's startswith(autoescape=True)"},
	{name: "select_where_endswith", build: func() core.Statement { return sel(tc("id")).Where(tc("name").EndsWith("yz")) },
		note: "autoescape is always on: SQLAlchemy's endswith(autoescape=True)"},

	// ------------------------------------------------------------ joins
	{name: "select_join_fk_derived", build: func() core.Statement {
		return sel(tc("id"), oc("v")).Join(o, nil)
	}},
	{name: "select_join_explicit_on", build: func() core.Statement {
		return sel(tc("id"), oc("v")).Join(o, core.And(oc("t_id").Eq(tc("id")), oc("v").Gt(0)))
	}},
	{name: "select_left_outer_join", build: func() core.Statement {
		return sel(tc("id"), oc("v")).OuterJoin(o, nil)
	}},
	{name: "select_full_outer_join", note: "MariaDB has no FULL OUTER JOIN: an error here; SQLAlchemy renders it.", build: func() core.Statement {
		return sel(tc("id"), oc("v")).FullJoin(o, nil)
	}},
	{name: "select_cross_join", note: "CROSS JOIN; SQLAlchemy has no cross join and writes JOIN … ON true / 1 = 1.", build: func() core.Statement {
		return sel(tc("id"), oc("v")).JoinFrom(t, o, nil, core.CrossJoin)
	}},
	{name: "select_join_chain_three_tables", build: func() core.Statement {
		return sel(tc("id"), oc("v"), e.C("id")).Join(o, nil).Join(e, e.C("a_id").Eq(tc("id")))
	}},
	{name: "select_join_ambiguous_fk_is_error", build: func() core.Statement {
		return sel(tc("id"), e.C("id")).Join(e, nil)
	}},
	{name: "select_lateral_join", note: "SQLite, MariaDB and SQL Server have no LATERAL: an error here, SQLAlchemy renders it anyway. LIMIT is bound (Oracle FETCH FIRST :1), SQLAlchemy inlines it.", build: func() core.Statement {
		lat := sel(oc("v")).Where(oc("t_id").Eq(tc("id"))).OrderBy(oc("v").Desc()).Limit(1).Lateral("top_o")
		return sel(tc("id"), lat.C("v")).From(t).Join(lat, core.True())
	}},
	{name: "select_implicit_cartesian_from", build: func() core.Statement {
		return sel(tc("id"), oc("v"))
	}},

	// ------------------------------------------------------------ aliases, subqueries
	{name: "select_named_alias", build: func() core.Statement {
		a := t.Alias("tt")
		return sel(a.C("id"), a.C("name")).Where(a.C("x").Gt(1))
	}},
	{name: "select_anonymous_alias", build: func() core.Statement {
		a := t.Alias("")
		return sel(a.C("id")).Where(a.C("x").Gt(1))
	}},
	{name: "select_self_join_two_anonymous_aliases", build: func() core.Statement {
		a, b := t.Alias(""), t.Alias("")
		return sel(a.C("id"), b.C("id")).JoinFrom(a, b, a.C("x").Eq(b.C("id")), core.InnerJoin)
	}},
	{name: "select_alias_joined_by_fk", build: func() core.Statement {
		a := o.Alias("oo")
		return sel(tc("name"), a.C("v")).Join(a, nil)
	}},
	{name: "select_from_named_subquery", build: func() core.Statement {
		sq := sel(oc("t_id"), core.Count().Label("n")).GroupBy(oc("t_id")).Subquery("counts")
		return sel(tc("name"), sq.C("n")).Join(sq, sq.C("t_id").Eq(tc("id")))
	}},
	{name: "select_from_anonymous_subquery", build: func() core.Statement {
		sq := sel(tc("id"), tc("x")).Where(tc("x").Gt(1)).Subquery("")
		return sel(sq.C("id")).Where(sq.C("x").Lt(9))
	}},
	{name: "select_scalar_subquery_column", build: func() core.Statement {
		n := sel(core.Count()).Where(oc("t_id").Eq(tc("id"))).ScalarSubquery().Label("n")
		return sel(tc("id"), n)
	}},
	{name: "select_correlated_subquery_in_where", build: func() core.Statement {
		mx := sel(core.Max(oc("v"))).Where(oc("t_id").Eq(tc("id"))).ScalarSubquery()
		return sel(tc("id")).Where(tc("x").Gt(mx))
	}},
	{name: "select_subquery_correlate_none", build: func() core.Statement {
		sub := sel(oc("id")).Where(oc("t_id").Eq(tc("id"))).Correlate().ScalarSubquery()
		return sel(tc("id")).Where(tc("x").Eq(sub))
	}},
	{name: "select_where_exists_correlated", build: func() core.Statement {
		return sel(tc("id")).Where(core.Exists(sel(oc("id")).Where(oc("t_id").Eq(tc("id")))))
	}},
	{name: "select_where_not_exists", note: "NOT EXISTS (…) where SQLAlchemy writes NOT (EXISTS (…)); same meaning.", build: func() core.Statement {
		return sel(tc("id")).Where(core.Not(sel(oc("id")).Where(oc("t_id").Eq(tc("id"))).Exists()))
	}},

	// ------------------------------------------------------------ CTEs, set operations
	{name: "select_cte_simple", build: func() core.Statement {
		c := sel(tc("id"), tc("x")).Where(tc("x").Gt(5)).CTE("big", false)
		return sel(c.C("id")).Where(c.C("x").Lt(100))
	}},
	{name: "select_two_ctes_joined", build: func() core.Statement {
		a := sel(tc("id")).Where(tc("x").Gt(1)).CTE("a", false)
		b := sel(oc("t_id")).Where(oc("v").Gt(2)).CTE("b", false)
		return sel(a.C("id")).Join(b, b.C("t_id").Eq(a.C("id")))
	}},
	{name: "select_cte_recursive_union_all", build: func() core.Statement {
		anchor := sel(tc("id"), tc("x")).Where(tc("id").Eq(1)).CTE("tree", true)
		step := sel(tc("id"), tc("x")).Join(anchor, tc("x").Eq(anchor.C("id")))
		tree := anchor.UnionAll(step)
		return sel(tree.C("id"))
	}},
	{name: "select_union", build: func() core.Statement {
		return sel(tc("id")).Where(tc("x").Eq(1)).Union(sel(oc("id")).Where(oc("v").Eq(2)))
	}},
	{name: "select_union_all_three", build: func() core.Statement {
		return sel(tc("id")).UnionAll(sel(oc("id")), sel(e.C("id")))
	}},
	{name: "select_intersect", build: func() core.Statement { return sel(tc("id")).Intersect(sel(oc("t_id"))) }},
	{name: "select_intersect_all", note: "INTERSECT ALL is refused where the database lacks it (SQLite, SQL Server, Oracle < 21); SQLAlchemy renders it.", build: func() core.Statement { return sel(tc("id")).IntersectAll(sel(oc("t_id"))) }},
	{name: "select_except", build: func() core.Statement { return sel(tc("id")).Except(sel(oc("t_id"))) }},
	{name: "select_except_all", note: "EXCEPT ALL is refused where the database lacks it (SQLite, SQL Server, Oracle < 21); SQLAlchemy renders it.", build: func() core.Statement { return sel(tc("id")).ExceptAll(sel(oc("t_id"))) }},
	{name: "select_union_order_by_limit", note: "SQL Server: OFFSET 0 ROWS FETCH FIRST n (SQLAlchemy silently drops the limit of a compound); Oracle binds FETCH FIRST, SQLAlchemy inlines it.", build: func() core.Statement {
		u := sel(tc("id")).Union(sel(oc("id")))
		return u.OrderBy(tc("id")).Limit(5)
	}},
	{name: "select_from_union_subquery", build: func() core.Statement {
		sq := sel(tc("id")).Union(sel(oc("id"))).Subquery("ids")
		return sel(core.Count()).From(sq)
	}},

	// ------------------------------------------------------------ grouping, ordering, limits
	{name: "select_group_by_having", build: func() core.Statement {
		return sel(oc("t_id"), core.Count().Label("n")).GroupBy(oc("t_id")).Having(core.Count().Gt(1))
	}},
	{name: "select_group_by_two_columns_order_by_aggregate", build: func() core.Statement {
		s := core.Sum(oc("v")).Label("total")
		return sel(tc("name"), tc("flag"), s).Join(o, nil).GroupBy(tc("name"), tc("flag")).OrderBy(core.Sum(oc("v")).Desc())
	}},
	{name: "select_order_by_asc_desc", build: func() core.Statement {
		return sel(tc("id")).OrderBy(tc("name").Asc(), tc("x").Desc())
	}},
	{name: "select_order_by_nulls_first", note: "MariaDB and SQL Server have no NULLS FIRST: an error here, SQLAlchemy renders it anyway.", build: func() core.Statement {
		return sel(tc("id")).OrderBy(tc("x").NullsFirst())
	}},
	{name: "select_order_by_desc_nulls_last", note: "MariaDB and SQL Server have no NULLS LAST: an error here, SQLAlchemy renders it anyway.", build: func() core.Statement {
		return sel(tc("id")).OrderBy(tc("x").Desc().NullsLast())
	}},
	{name: "select_limit_only", note: "SQL Server TOP (@p1) and Oracle FETCH FIRST :1 are bound; SQLAlchemy inlines them as post-compile literals.", build: func() core.Statement { return sel(tc("id")).Limit(10) }},
	{name: "select_offset_only", note: "Oracle OFFSET :1 ROWS is bound; SQLAlchemy inlines it.", build: func() core.Statement { return sel(tc("id")).Offset(5) }},
	{name: "select_limit_offset", note: "Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.", build: func() core.Statement { return sel(tc("id")).Limit(10).Offset(5) }},
	{name: "select_limit_order_by", note: "SQL Server TOP (@p1) and Oracle FETCH FIRST :1 are bound; SQLAlchemy inlines them as post-compile literals.", build: func() core.Statement { return sel(tc("id")).OrderBy(tc("id")).Limit(10) }},
	{name: "select_offset_order_by", note: "Oracle OFFSET :1 ROWS is bound; SQLAlchemy inlines it.", build: func() core.Statement { return sel(tc("id")).OrderBy(tc("id")).Offset(5) }},
	{name: "select_limit_offset_order_by", note: "Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.", build: func() core.Statement {
		return sel(tc("id")).OrderBy(tc("id")).Limit(10).Offset(5)
	}},
	{name: "select_distinct", build: func() core.Statement { return sel(tc("name")).Distinct() }},
	{name: "select_distinct_on", note: "DISTINCT ON is refused outside PostgreSQL; SQLAlchemy silently renders plain DISTINCT (deprecated).", build: func() core.Statement {
		return sel(tc("name"), tc("x")).DistinctOn(tc("name")).OrderBy(tc("name"), tc("x").Desc())
	}},
	{name: "select_count_distinct", build: func() core.Statement {
		return sel(core.Count(core.Distinct(tc("name"))))
	}},

	// ------------------------------------------------------------ row locking
	{name: "select_for_update", note: "SQL Server has no FOR UPDATE: an error pointing to table hints; SQLAlchemy silently drops it.", build: func() core.Statement {
		return sel(tc("id")).Where(tc("id").Eq(1)).ForUpdate(core.ForUpdateOptions{})
	}},
	{name: "select_for_update_nowait", note: "refused where unsupported (SQLite, SQL Server); SQLAlchemy silently drops the clause.", build: func() core.Statement {
		return sel(tc("id")).ForUpdate(core.ForUpdateOptions{NoWait: true})
	}},
	{name: "select_for_update_skip_locked", note: "refused where unsupported (SQLite, SQL Server); SQLAlchemy silently drops the clause.", build: func() core.Statement {
		return sel(tc("id")).ForUpdate(core.ForUpdateOptions{SkipLocked: true})
	}},
	{name: "select_for_update_of_table", note: "Oracle: OF t.id (SQLAlchemy renders an empty OF); refused on SQLite, MariaDB, SQL Server where SQLAlchemy drops it.", build: func() core.Statement {
		return sel(tc("id"), oc("v")).Join(o, nil).ForUpdate(core.ForUpdateOptions{Of: []core.Node{t}})
	}},
	{name: "select_for_share", note: "refused where unsupported (SQLite, SQL Server, Oracle); SQLAlchemy drops it or renders FOR UPDATE.", build: func() core.Statement {
		return sel(tc("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockShare})
	}},
	{name: "select_for_no_key_update_skip_locked", note: "refused where unsupported; SQLAlchemy drops the clause.", build: func() core.Statement {
		return sel(tc("id")).ForUpdate(core.ForUpdateOptions{Mode: core.LockNoKeyUpdate, SkipLocked: true})
	}},
	{name: "select_for_update_with_limit", note: "Oracle refuses FOR UPDATE with FETCH FIRST (ORA-02014); SQLite/SQL Server refuse FOR UPDATE; SQLAlchemy renders or drops.", build: func() core.Statement {
		return sel(tc("id")).OrderBy(tc("id")).Limit(1).ForUpdate(core.ForUpdateOptions{SkipLocked: true})
	}},

	// ------------------------------------------------------------ window functions, CASE, CAST, labels
	{name: "select_row_number_over_partition_order", build: func() core.Statement {
		return sel(tc("id"), core.RowNumber().Over(core.Window{PartitionBy: []core.Expr{tc("flag")}, OrderBy: []core.Expr{tc("x").Desc()}}).Label("rn"))
	}},
	{name: "select_window_rows_frame", build: func() core.Statement {
		return sel(core.Sum(tc("x")).Over(core.Window{OrderBy: []core.Expr{tc("id")}, Rows: &core.Frame{Start: nil, End: core.FrameBound(0)}}).Label("running"))
	}},
	{name: "select_window_range_frame_bounded", note: "frame offsets are rendered inline (integers from the program); SQLAlchemy binds them.", build: func() core.Statement {
		return sel(core.Avg(tc("x")).Over(core.Window{OrderBy: []core.Expr{tc("x")}, Range: &core.Frame{Start: core.FrameBound(-2), End: core.FrameBound(2)}}).Label("avg_near"))
	}},
	{name: "select_window_empty_over_and_dense_rank", build: func() core.Statement {
		return sel(core.Count().Over(core.Window{}).Label("total"), core.DenseRank().Over(core.Window{OrderBy: []core.Expr{tc("x")}}).Label("dr"))
	}},
	{name: "select_case_searched", build: func() core.Statement {
		return sel(core.Case([]core.When{{Cond: tc("x").Lt(0), Result: "neg"}, {Cond: tc("x").Eq(0), Result: "zero"}}, "pos").Label("sign"))
	}},
	{name: "select_case_simple", build: func() core.Statement {
		return sel(core.CaseValue(tc("x"), []core.When{{Cond: 1, Result: "one"}, {Cond: 2, Result: "two"}}, nil).Label("word"))
	}},
	{name: "select_case_in_where_with_columns", note: "a bare boolean column in CASE WHEN renders x = 1 on dialects without booleans; SQLAlchemy leaves it bare there.", build: func() core.Statement {
		return sel(tc("id")).Where(core.Case([]core.When{{Cond: tc("flag"), Result: tc("x")}}, tc("id")).Gt(3))
	}},
	{name: "select_cast_column", build: func() core.Statement {
		return sel(tc("x").Cast(core.String{Length: 10}).Label("xs"), tc("name").Cast(core.Numeric{Precision: 10, Scale: 2}).Label("n"))
	}},
	{name: "select_cast_bound_value", build: func() core.Statement {
		return sel(tc("id")).Where(tc("ts").Gt(core.Cast("2020-01-01", core.DateTime{})))
	}},
	{name: "select_labels_quoted_when_needed", build: func() core.Statement {
		return sel(tc("id").Label("Id"), tc("name").Label("full name"), tc("x").Label("select"))
	}},

	// ------------------------------------------------------------ functions
	{name: "select_count_star", build: func() core.Statement { return sel(core.Count()).From(t) }},
	{name: "select_max_min_sum_avg", build: func() core.Statement {
		return sel(core.Max(tc("x")), core.Min(tc("x")), core.Sum(tc("x")), core.Avg(tc("x")))
	}},
	{name: "select_coalesce", build: func() core.Statement {
		return sel(core.Coalesce(tc("name"), "unknown").Label("n"))
	}},
	{name: "select_now_and_current_timestamp", build: func() core.Statement {
		return sel(tc("id")).Where(tc("ts").Lt(core.Now()), tc("ts").Gt(core.CurrentTimestamp()))
	}},
	{name: "select_char_length", build: func() core.Statement {
		return sel(core.CharLength(tc("name")).Label("len")).Where(core.CharLength(tc("name")).Gt(3))
	}},
	{name: "select_order_by_random", note: "SQL Server TOP (@p1) and Oracle FETCH FIRST :1 are bound (SQLAlchemy inlines them); Oracle DBMS_RANDOM.VALUE where SQLAlchemy passes random() through.", build: func() core.Statement {
		return sel(tc("id")).OrderBy(core.Random()).Limit(3)
	}},
	{name: "select_aggregate_filter", note: "FILTER is refused where the database lacks it (MariaDB, SQL Server, Oracle); SQLAlchemy renders it.", build: func() core.Statement {
		return sel(core.Count().Filter(tc("flag")).Label("flagged"), core.Sum(tc("x")).Filter(tc("x").Gt(0)).Label("pos"))
	}},
	{name: "select_generic_function_bound_args", build: func() core.Statement {
		return sel(core.Func("substr", core.String{}, tc("name"), 1, 3).Label("pre"), core.Lower(tc("name")), core.Upper(tc("name")))
	}},
	{name: "select_no_from_constant", note: "core.Literal renders inline; SQLAlchemy's literal() is a bound parameter.", build: func() core.Statement {
		return sel(core.Literal(1).Label("one"))
	}},

	// ------------------------------------------------------------ text, literal columns, params
	{name: "raw_text_with_params", build: func() core.Statement {
		return core.Raw("SELECT id FROM t WHERE x > :lo AND name = :name", map[string]any{"lo": 5, "name": "a"})
	}},
	{name: "raw_text_escaped_colon", build: func() core.Statement {
		return core.Raw(`SELECT '12\:30' AS hm, x FROM t WHERE id = :id`, map[string]any{"id": 7})
	}},
	{name: "raw_text_param_supplied_later", build: func() core.Statement {
		return core.Raw("SELECT id FROM t WHERE x = :x", nil)
	}},
	{name: "raw_text_as_where_condition", build: func() core.Statement {
		return sel(tc("id")).Where(core.Raw("t.x > :m", map[string]any{"m": 3}))
	}},
	{name: "select_literal_column", build: func() core.Statement {
		return sel(tc("id"), core.LiteralColumn("'const'", core.String{}).Label("c")).OrderBy(core.LiteralColumn("1", nil))
	}},
	{name: "select_named_param", build: func() core.Statement {
		return sel(tc("id")).Where(tc("x").Eq(core.Param("wanted", core.Integer{})), tc("name").Ne(core.Param("skip", core.String{})))
	}},
	{name: "select_literal_values", build: func() core.Statement {
		return sel(tc("id")).Where(tc("name").Eq(core.Literal("it's")), tc("x").Eq(core.Literal(3)))
	}},

	// ------------------------------------------------------------ INSERT
	{name: "insert_single_values", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"id": 4, "name": "a", "flag": true})
	}},
	{name: "insert_multi_values", build: func() core.Statement {
		return core.Insert(o).Values(map[string]any{"t_id": 1, "v": 10}).Values(map[string]any{"t_id": 2, "v": 20}).Values(map[string]any{"t_id": 3, "v": 30})
	}},
	{name: "insert_columns_rows", note: "nil in Row renders NULL; SQLAlchemy binds None.", build: func() core.Statement {
		return core.Insert(o).Columns(oc("t_id"), oc("v")).Row(1, 10).Row(2, nil)
	}},
	{name: "insert_from_select", build: func() core.Statement {
		return core.Insert(o).FromSelect([]*core.Column{oc("t_id"), oc("v")}, sel(tc("id"), tc("x")).Where(tc("flag")))
	}},
	{name: "insert_executemany_form", build: func() core.Statement { return core.Insert(o) }},
	{name: "insert_no_columns_default_values", note: "no implicit RETURNING/OUTPUT of the primary key (ask with Returning); SQLAlchemy adds it on PostgreSQL, SQL Server, Oracle.", build: func() core.Statement {
		return core.Insert(d).Values(map[string]any{})
	}},
	{name: "insert_with_column_defaults", note: "columns filled from client-side defaults follow the given columns; SQLAlchemy puts all columns in table order.", build: func() core.Statement {
		return core.Insert(d).Values(map[string]any{"id": 1, "note": "n"})
	}},
	{name: "insert_executemany_with_column_defaults", build: func() core.Statement { return core.Insert(d) }},
	{name: "insert_returning", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"name": "a"}).Returning(tc("id"), tc("ts"))
	}},
	{name: "insert_multi_values_returning", build: func() core.Statement {
		return core.Insert(o).Values(map[string]any{"t_id": 1, "v": 1}).Values(map[string]any{"t_id": 2, "v": 2}).Returning(oc("id"))
	}},
	{name: "insert_sql_expression_value", note: "no implicit RETURNING/OUTPUT of the primary key (ask with Returning); SQLAlchemy adds it on PostgreSQL, SQL Server, Oracle.", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"name": core.Upper(core.Bind("a", core.String{})), "ts": core.Now()})
	}},
	{name: "insert_unknown_column_is_error", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"nope": 1})
	}},

	// ------------------------------------------------------------ upsert
	{name: "upsert_do_nothing", note: "MariaDB ON DUPLICATE KEY UPDATE id = id, SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"id": 1, "name": "a"}).OnConflict(core.Upsert{Target: []*core.Column{tc("id")}, DoNothing: true})
	}},
	{name: "upsert_do_update_excluded", note: "SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"id": 1, "name": "a", "x": 1}).OnConflict(core.Upsert{
			Target: []*core.Column{tc("id")},
			Set:    []core.Assign{{Col: tc("name"), Value: core.Excluded(tc("name"))}, {Col: tc("x"), Value: tc("x").Add(core.Excluded(tc("x")))}},
		})
	}},
	{name: "upsert_do_update_where", note: "MariaDB refuses the WHERE; SQL Server/Oracle MERGE (SQLAlchemy has no upsert there).", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"id": 1, "name": "a"}).OnConflict(core.Upsert{
			Target: []*core.Column{tc("id")},
			Set:    []core.Assign{{Col: tc("name"), Value: core.Excluded(tc("name"))}},
			Where:  tc("flag").IsNot(true),
		})
	}},
	{name: "upsert_on_constraint_returning", note: "ON CONFLICT ON CONSTRAINT is PostgreSQL only.", build: func() core.Statement {
		return core.Insert(t).Values(map[string]any{"id": 1, "name": "a"}).OnConflict(core.Upsert{
			Constraint: "t_pkey",
			Set:        []core.Assign{{Col: tc("name"), Value: "b"}},
		}).Returning(tc("id"))
	}},

	// ------------------------------------------------------------ UPDATE, DELETE
	{name: "update_set_values_where", build: func() core.Statement {
		return core.Update(t).Set(tc("name"), "b").Set(tc("flag"), false).Where(tc("id").Eq(1))
	}},
	{name: "update_set_expression", build: func() core.Statement {
		return core.Update(t).Set(tc("x"), tc("x").Add(1)).Set(tc("ts"), core.Now()).Where(tc("x").Lt(100))
	}},
	{name: "update_set_order_is_table_order", build: func() core.Statement {
		return core.Update(t).Set(tc("x"), 2).Set(tc("name"), "n")
	}},
	{name: "update_ordered_set", build: func() core.Statement {
		return core.Update(t).Set(tc("x"), 2).Set(tc("name"), "n").OrderedSet()
	}},
	{name: "update_set_scalar_subquery", build: func() core.Statement {
		return core.Update(t).Set(tc("x"), sel(core.Max(oc("v"))).Where(oc("t_id").Eq(tc("id"))).ScalarSubquery())
	}},
	{name: "update_returning", note: "MariaDB has no UPDATE … RETURNING: an error here; SQLAlchemy renders it.", build: func() core.Statement {
		return core.Update(t).Set(tc("x"), 0).Where(tc("flag")).Returning(tc("id"), tc("x"))
	}},
	{name: "update_from_other_table", build: func() core.Statement {
		return core.Update(t).Set(tc("x"), oc("v")).Where(oc("t_id").Eq(tc("id")), oc("v").Gt(5))
	}},
	{name: "update_executemany_form", note: "the executemany UPDATE sets the non-primary-key columns; SQLAlchemy sets every column.", build: func() core.Statement { return core.Update(o) }},
	{name: "update_named_params_where", build: func() core.Statement {
		return core.Update(o).Set(oc("v"), core.Param("new_v", core.Integer{})).Where(oc("id").Eq(core.Param("o_id", core.Integer{})))
	}},
	{name: "delete_where", build: func() core.Statement { return core.Delete(o).Where(oc("v").Lt(0)) }},
	{name: "delete_all_rows", build: func() core.Statement { return core.Delete(o) }},
	{name: "delete_returning", build: func() core.Statement {
		return core.Delete(o).Where(oc("id").In(1, 2)).Returning(oc("id"), oc("t_id"))
	}},
	{name: "delete_using_other_table", build: func() core.Statement {
		return core.Delete(o).Where(oc("t_id").Eq(tc("id")), tc("flag").Is(false))
	}},
	{name: "delete_where_exists_subquery", note: "NOT EXISTS (…) where SQLAlchemy writes NOT (EXISTS (…)); same meaning.", build: func() core.Statement {
		return core.Delete(o).Where(core.Not(core.Exists(sel(tc("id")).Where(tc("id").Eq(oc("t_id"))))))
	}},
}
