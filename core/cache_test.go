package core

import (
	"errors"
	"strings"
	"testing"
)

func keyOf(t *testing.T, st Statement) (string, []any) {
	t.Helper()
	k := &KeyWriter{}
	k.WriteNode(st)
	if k.err != nil {
		t.Fatalf("key: %v", k.err)
	}
	return string(k.buf), append([]any(nil), k.values...)
}

func TestCacheKeyIgnoresValuesButNotShape(t *testing.T) {
	s := newBenchSchema()
	k1, v1 := keyOf(t, s.build(1))
	k2, v2 := keyOf(t, s.build(2))
	if k1 != k2 {
		t.Fatalf("same shape, different values: keys differ")
	}
	if v1[2] == v2[2] {
		t.Fatalf("extracted values should differ: %v %v", v1, v2)
	}
	u := s.users
	base := Select(u.C("id")).Where(u.C("id").Eq(1))
	variants := map[string]Statement{
		"other column":    Select(u.C("name")).Where(u.C("id").Eq(1)),
		"other operator":  Select(u.C("id")).Where(u.C("id").Ne(1)),
		"limit":           base.Limit(1),
		"offset":          base.Offset(1),
		"distinct":        base.Distinct(),
		"order":           base.OrderBy(u.C("id")),
		"order desc":      base.OrderBy(u.C("id").Desc()),
		"for update":      base.ForUpdate(ForUpdateOptions{}),
		"skip locked":     base.ForUpdate(ForUpdateOptions{SkipLocked: true}),
		"in 2 values":     Select(u.C("id")).Where(u.C("id").In(1, 2)),
		"in 3 values":     Select(u.C("id")).Where(u.C("id").In(1, 2, 3)),
		"label":           Select(u.C("id").Label("x")).Where(u.C("id").Eq(1)),
		"cast":            Select(Cast(u.C("id"), String{Length: 5})).Where(u.C("id").Eq(1)),
		"cast other type": Select(Cast(u.C("id"), String{Length: 6})).Where(u.C("id").Eq(1)),
		"null compare":    Select(u.C("id")).Where(u.C("id").Eq(nil)),
		"named param":     Select(u.C("id")).Where(u.C("id").Eq(Param("id", nil))),
		"alias":           Select(u.Alias("u2").C("id")).Where(u.C("id").Eq(1)),
		"raw":             Select(u.C("id")).Where(Raw("id = :x", map[string]any{"x": 1})),
		"raw other text":  Select(u.C("id")).Where(Raw("id > :x", map[string]any{"x": 1})),
	}
	bk, _ := keyOf(t, base)
	seen := map[string]string{bk: "base"}
	for name, st := range variants {
		k, _ := keyOf(t, st)
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share a cache key", name, other)
		}
		seen[k] = name
	}
}

func TestCacheKeyIsBounded(t *testing.T) {
	s := newBenchSchema()
	k, _ := keyOf(t, s.build(1))
	// The key is a compact encoding (ids, tags, short names), not SQL text.
	if len(k) > 160 {
		t.Fatalf("key for the 3-table join is %d bytes; expected a compact key", len(k))
	}
	sql := MustCompile(DefaultDialect, s.build(1)).SQL
	if len(k) >= len(sql) {
		t.Fatalf("key (%d bytes) is not smaller than the SQL (%d bytes)", len(k), len(sql))
	}
}

func TestStatementCacheMatchesCompile(t *testing.T) {
	s := newBenchSchema()
	cache := NewStatementCache(8)
	for i := 0; i < 5; i++ {
		st := s.build(i)
		want := MustCompile(DefaultDialect, st)
		for round := 0; round < 2; round++ {
			got, err := cache.Compile(DefaultDialect, st)
			if err != nil {
				t.Fatal(err)
			}
			if got.SQL != want.SQL || len(got.Args) != len(want.Args) {
				t.Fatalf("cache gave %q %v, want %q %v", got.SQL, got.Args, want.SQL, want.Args)
			}
			for j := range got.Args {
				if got.Args[j] != want.Args[j] {
					t.Fatalf("arg %d: %v, want %v", j, got.Args[j], want.Args[j])
				}
			}
		}
	}
	hits, misses := cache.Stats()
	if misses != 1 || hits != 9 {
		t.Fatalf("hits %d misses %d, want 9 and 1", hits, misses)
	}
}

func TestStatementCacheIsBounded(t *testing.T) {
	md := NewMetaData()
	tb := md.MustTable("t", Col("id", Integer{}, PrimaryKey()))
	cache := NewStatementCache(4)
	for i := 0; i < 20; i++ {
		st := Select(tb.C("id")).Where(tb.C("id").In(make([]any, i+1)...))
		if _, err := cache.Compile(DefaultDialect, st); err != nil {
			t.Fatal(err)
		}
	}
	if cache.Len() > 4 {
		t.Fatalf("cache holds %d entries, limit 4", cache.Len())
	}
}

func TestCacheHitAllocations(t *testing.T) {
	s := newBenchSchema()
	st := s.build(1)
	cache := NewStatementCache(8)
	if _, err := cache.Compile(DefaultDialect, st); err != nil {
		t.Fatal(err)
	}
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := cache.Compile(DefaultDialect, st); err != nil {
			t.Fatal(err)
		}
	})
	// one allocation: the argument slice handed to the caller
	if allocs > 1 {
		t.Fatalf("cache hit allocates %.0f times, want at most 1", allocs)
	}
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	fresh := s.build(2)
	_, _ = cache.Compile(DefaultDialect, fresh)
	allocs = testing.AllocsPerRun(200, func() {
		if _, err := cache.Compile(DefaultDialect, fresh); err != nil {
			t.Fatal(err)
		}
	})
	// the key walk writes into a pooled buffer: only the argument slice
	if allocs > 1 {
		t.Fatalf("cache hit for a rebuilt statement allocates %.0f times, want at most 1", allocs)
	}
}

func TestNamedParams(t *testing.T) {
	md := NewMetaData()
	tb := md.MustTable("t", Col("id", Integer{}, PrimaryKey()), Col("name", String{}))
	st := Select(tb.C("name")).Where(tb.C("id").Eq(Param("id", Integer{})))
	for _, compile := range []func() (Compiled, error){
		func() (Compiled, error) { return Compile(DefaultDialect, st) },
		func() (Compiled, error) { return NewStatementCache(2).Compile(DefaultDialect, st) },
	} {
		c, err := compile()
		if err != nil {
			t.Fatal(err)
		}
		args, err := c.BindNamed(map[string]any{"id": 7})
		if err != nil || len(args) != 1 || args[0] != 7 {
			t.Fatalf("BindNamed: %v %v", args, err)
		}
		_, err = c.BindNamed(nil)
		var ae *ArgumentError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), `"id"`) {
			t.Fatalf("missing param error should name it: %v", err)
		}
	}
}

func TestBuildersDoNotMutate(t *testing.T) {
	s := newBenchSchema()
	u := s.users
	base := Select(u.C("id")).Where(u.C("id").Gt(1))
	before := base.String()
	_ = base.Where(u.C("name").Eq("x")).OrderBy(u.C("id")).Limit(3).Join(s.orders, nil).Distinct()
	if after := base.String(); after != before {
		t.Fatalf("builder changed its receiver:\n%s\n%s", before, after)
	}
	ins := Insert(u).Values(map[string]any{"name": "a"})
	b := ins.String()
	_ = ins.Returning(u.C("id"))
	if ins.String() != b {
		t.Fatal("Insert.Returning changed its receiver")
	}
}

func TestBuildErrorsAreKeptAndReturned(t *testing.T) {
	s := newBenchSchema()
	u, it := s.users, s.items
	cases := map[string]struct {
		st   Statement
		want string
	}{
		"insert unknown column": {Insert(u).Values(map[string]any{"nope": 1}), `unknown column "nope"`},
		"join without fk":       {Select(u.C("id")).Join(it, nil), "foreign key"},
		"update foreign column": {Update(u).Set(it.C("sku"), "x"), `column "sku" is not a column of that table`},
		"update set twice":      {Update(u).Set(u.C("name"), "a").Set(u.C("name"), "b"), "set twice"},
		"union column count":    {Select(u.C("id")).Union(Select(u.C("id"), u.C("name"))), "has 2 columns"},
		"row length":            {Insert(u).Columns(u.C("id"), u.C("name")).Row(1), "2 columns"},
		"select nothing":        {Select(), "no columns"},
		"nil item":              {Select(nil), "item 1 is nil"},
		"upsert empty":          {Insert(u).Values(map[string]any{"id": 1}).OnConflict(Upsert{}), "DoNothing or at least one Set"},
	}
	for name, tc := range cases {
		_, err := Compile(DefaultDialect, tc.st)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", name, err, tc.want)
		}
		if _, err2 := NewStatementCache(2).Compile(DefaultDialect, tc.st); err2 == nil {
			t.Errorf("%s: cached compile gave no error", name)
		}
	}
}

func TestTableDefinitionErrors(t *testing.T) {
	cases := map[string]struct {
		items []TableItem
		want  string
	}{
		"duplicate column": {[]TableItem{Col("a", Integer{}), Col("a", Integer{})}, `duplicate column name "a"`},
		"no type":          {[]TableItem{Col("a", nil)}, `column "a" has no type`},
		"pk missing col":   {[]TableItem{Col("a", Integer{}), &PrimaryKeyConstraint{Columns: []string{"b"}}}, `missing column "b"`},
		"fk missing col":   {[]TableItem{Col("a", Integer{}), &ForeignKeyConstraint{Columns: []string{"zz"}, RefTable: "x", RefColumns: []string{"id"}}}, `missing column "zz"`},
		"fk arity":         {[]TableItem{Col("a", Integer{}), &ForeignKeyConstraint{Columns: []string{"a"}, RefTable: "x", RefColumns: []string{"id", "k"}}}, "references 2 columns"},
		"index no columns": {[]TableItem{Col("a", Integer{}), &Index{Name: "ix"}}, `index "ix" has no columns`},
		"check no expr":    {[]TableItem{Col("a", Integer{}), &CheckConstraint{Name: "ck"}}, `"ck" has no expression`},
	}
	for name, tc := range cases {
		_, err := NewMetaData().NewTable("t", tc.items...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `table "t"`) {
			t.Errorf("%s: error %v, want it to name table t and mention %q", name, err, tc.want)
		}
	}
	md := NewMetaData()
	md.MustTable("t", Col("a", Integer{}))
	if _, err := md.NewTable("t", Col("a", Integer{})); err == nil {
		t.Error("duplicate table accepted")
	}
}

func TestNULInIdentifiersIsAnError(t *testing.T) {
	if _, err := NewMetaData().NewTable("a\x00b", Col("id", Integer{})); err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("table name with NUL: %v", err)
	}
	if _, err := NewMetaData().NewTable("t", Col("i\x00d", Integer{})); err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("column name with NUL: %v", err)
	}
	md := NewMetaData()
	tb := md.MustTable("t", Col("id", Integer{}))
	_, err := Compile(DefaultDialect, Select(tb.C("id").Label("x\x00y")))
	if err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("label with NUL: %v", err)
	}
}

func TestInsertAddRowsMatchesRow(t *testing.T) {
	md := NewMetaData()
	tb := md.MustTable("t", Col("id", Integer{}, PrimaryKey()), Col("name", String{}))
	one := Insert(tb).Columns(tb.C("id"), tb.C("name")).Row(1, "a").Row(2, "b")
	many := Insert(tb).Columns(tb.C("id"), tb.C("name")).AddRows([][]any{{1, "a"}, {2, "b"}})
	a, b := MustCompile(DefaultDialect, one), MustCompile(DefaultDialect, many)
	if a.SQL != b.SQL || len(a.Args) != 4 || len(b.Args) != 4 || a.Args[3] != b.Args[3] {
		t.Fatalf("Row: %s %v\nAddRows: %s %v", a.SQL, a.Args, b.SQL, b.Args)
	}
	if _, err := Compile(DefaultDialect, Insert(tb).Columns(tb.C("id")).AddRows([][]any{{1, 2}})); err == nil || !strings.Contains(err.Error(), "row 1 has 2 values for 1 columns") {
		t.Fatalf("bad row length: %v", err)
	}
}
