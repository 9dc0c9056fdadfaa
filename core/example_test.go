package core_test

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
)

func Example() {
	md := core.NewMetaData()
	users := md.MustTable("users",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}),
	)
	addresses := md.MustTable("addresses",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("user_id", core.Integer{}, core.References("users.id")),
		core.Col("email", core.String{Length: 100}),
	)
	stmt := core.Select(users.C("name"), addresses.C("email")).
		Join(addresses, nil).
		Where(users.C("name").Eq("spongebob")).
		OrderBy(addresses.C("email"))
	c, _ := core.Compile(core.DefaultDialect, stmt)
	fmt.Println(oneSpace(c.SQL))
	fmt.Println(c.Args)
	// Output:
	// SELECT users.name, addresses.email
	// FROM users JOIN addresses ON users.id = addresses.user_id
	// WHERE users.name = :name_1 ORDER BY addresses.email
	// [spongebob]
}

func ExampleTypedCol() {
	md := core.NewMetaData()
	users := md.MustTable("users",
		core.Col("id", core.BigInteger{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}),
	)
	id := core.TypedCol[int64](users.C("id"))
	name := core.TypedCol[string](users.C("name"))
	// name.Eq(5) would not compile: a Typed[string] compares with strings only.
	stmt := core.Select(id, name).Where(id.In(1, 2, 3), name.Ne(""))
	fmt.Println(oneSpace(stmt.String()))
	// Output:
	// SELECT users.id, users.name
	// FROM users
	// WHERE users.id IN (:id_1, :id_2, :id_3) AND users.name != :name_4
}

func ExampleStatementCache() {
	md := core.NewMetaData()
	users := md.MustTable("users", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("name", core.String{}))
	cache := core.NewStatementCache(100)
	for _, id := range []int{1, 2, 3} {
		// built anew each time, compiled once: the key is the statement's shape
		c, _ := cache.Compile(core.DefaultDialect, core.Select(users.C("name")).Where(users.C("id").Eq(id)))
		fmt.Println(c.Args)
	}
	hits, misses := cache.Stats()
	fmt.Println("hits:", hits, "misses:", misses)
	// Output:
	// [1]
	// [2]
	// [3]
	// hits: 2 misses: 1
}

func ExampleRenderLiteral() {
	md := core.NewMetaData()
	users := md.MustTable("users", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("name", core.String{}))
	sql, _ := core.RenderLiteral(core.DefaultDialect, core.Select(users.C("id")).Where(users.C("name").Eq("O'Brien")))
	fmt.Println(oneSpace(sql))
	// Output:
	// SELECT users.id
	// FROM users
	// WHERE users.name = 'O''Brien'
}

// oneSpace drops the space SQLAlchemy-style SQL keeps before each line
// break (example output cannot end lines with spaces).
func oneSpace(s string) string { return strings.ReplaceAll(s, " \n", "\n") }
