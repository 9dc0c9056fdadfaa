// Command coresql builds one statement with Retort's Core expression
// language and prints the SQL and arguments each of the five dialects
// compiles it to. No database is needed.
package main

import (
	"fmt"
	"os"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mssql"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/oracle"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
)

func main() {
	md := core.NewMetaData()
	users := md.MustTable("users",
		core.Col("id", core.BigInteger{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}, core.NotNull()),
		core.Col("active", core.Boolean{}),
	)
	addresses := md.MustTable("addresses",
		core.Col("id", core.BigInteger{}, core.PrimaryKey()),
		core.Col("user_id", core.BigInteger{}, core.References("users.id")),
		core.Col("email", core.String{Length: 100}),
	)

	name := core.TypedCol[string](users.C("name"))
	stmt := core.Select(users.C("id"), name, core.Count(addresses.C("id")).Label("n_addresses")).
		OuterJoin(addresses, nil). // ON derived from the foreign key
		Where(users.C("active"), name.StartsWith("a")).
		GroupBy(users.C("id"), name.Expr).
		OrderBy(name.Expr).
		Limit(10).Offset(20)

	for _, scheme := range []string{"postgresql", "sqlite", "mysql", "mssql", "oracle"} {
		d, err := core.LookupDialect(scheme)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		c, err := core.Compile(d, stmt)
		if err != nil {
			fmt.Printf("-- %s: %v\n\n", scheme, err)
			continue
		}
		fmt.Printf("-- %s\n%s\n-- args: %v\n\n", scheme, c.SQL, c.Args)
	}
}
