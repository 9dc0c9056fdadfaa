package core

import (
	"testing"
)

type benchSchema struct {
	users, orders, items *Table
}

func newBenchSchema() benchSchema {
	md := NewMetaData()
	users := md.MustTable("users",
		Col("id", BigInteger{}, PrimaryKey()),
		Col("name", String{Length: 50}, NotNull()),
		Col("email", String{Length: 100}),
		Col("active", Boolean{}),
	)
	orders := md.MustTable("orders",
		Col("id", BigInteger{}, PrimaryKey()),
		Col("user_id", BigInteger{}, References("users.id")),
		Col("total", Numeric{Precision: 10, Scale: 2}),
		Col("status", String{Length: 20}),
	)
	items := md.MustTable("order_items",
		Col("id", BigInteger{}, PrimaryKey()),
		Col("order_id", BigInteger{}, References("orders.id")),
		Col("sku", String{Length: 30}),
		Col("qty", Integer{}),
	)
	return benchSchema{users, orders, items}
}

// build is the benchmark statement: a 3-table join with 5 predicates.
func (s benchSchema) build(i int) *SelectStmt {
	u, o, it := s.users, s.orders, s.items
	return Select(u.C("id"), u.C("name"), o.C("id"), o.C("total"), it.C("sku"), it.C("qty")).
		Join(o, nil).
		Join(it, nil).
		Where(
			u.C("active").Eq(true),
			u.C("name").Like("a%"),
			o.C("total").Gt(i),
			o.C("status").In("paid", "shipped"),
			it.C("qty").Between(1, 10),
		).
		OrderBy(o.C("id").Desc()).
		Limit(20)
}

func BenchmarkCompile3TableJoin(b *testing.B) {
	s := newBenchSchema()
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			_ = s.build(i)
		}
	})
	b.Run("cold", func(b *testing.B) {
		stmt := s.build(1)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compile(DefaultDialect, stmt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cache_hit_rebuilt_shape", func(b *testing.B) {
		// a different statement object of the same shape each time: the key
		// walk runs, the compile does not
		stmts := make([]*SelectStmt, 64)
		for i := range stmts {
			stmts[i] = s.build(i)
		}
		cache := NewStatementCache(100)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := cache.Compile(DefaultDialect, stmts[i%64]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cache_hit", func(b *testing.B) {
		stmt := s.build(1)
		cache := NewStatementCache(100)
		if _, err := cache.Compile(DefaultDialect, stmt); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cache.Compile(DefaultDialect, stmt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cache_hit_reused_args", func(b *testing.B) {
		// the engine's path: a per-connection argument buffer is reused
		stmt := s.build(1)
		cache := NewStatementCache(100)
		args := make([]any, 0, 16)
		b.ReportAllocs()
		for b.Loop() {
			c, err := cache.CompileAppend(args[:0], DefaultDialect, stmt)
			if err != nil {
				b.Fatal(err)
			}
			args = c.Args
		}
	})
	b.Run("build_and_cold", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := Compile(DefaultDialect, s.build(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build_and_cache_hit", func(b *testing.B) {
		cache := NewStatementCache(100)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := cache.Compile(DefaultDialect, s.build(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
