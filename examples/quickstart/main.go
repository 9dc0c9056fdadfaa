// Command quickstart runs Retort's Core on an embedded SQLite database: it
// defines tables, creates them with the compiled DDL, inserts rows with
// RETURNING, and queries them with a join, printing each statement it runs.
//
// Retort's Engine (connections, pooling, results) is not written yet, so
// this example hands the compiled SQL and arguments to database/sql itself.
// When the Engine lands, it does that part.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	_ "modernc.org/sqlite"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/sqlite"
)

func main() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database

	md := core.NewMetaData()
	users := md.MustTable("users",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}, core.NotNull()),
		core.Col("fullname", core.String{Length: 100}),
	)
	addresses := md.MustTable("addresses",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("user_id", core.Integer{}, core.NotNull(), core.References("users.id", core.OnDelete("CASCADE"))),
		core.Col("email", core.String{Length: 100}, core.NotNull(), core.Unique()),
	)

	d := sqlite.New()
	cache := core.NewStatementCache(100)
	run := func(stmt core.Statement) *sql.Rows {
		c, err := cache.Compile(d, stmt)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\n  -- args: %v\n", c.SQL, c.Args)
		rows, err := db.QueryContext(ctx, c.SQL, c.Args...)
		if err != nil {
			log.Fatal(err)
		}
		return rows
	}
	exec := func(stmt core.Statement) {
		rows := run(stmt)
		if err := rows.Close(); err != nil {
			log.Fatal(err)
		}
	}

	for _, ddl := range core.DDLFor(d, core.CreateAllDDL(md, true)) {
		exec(ddl)
	}

	people := []struct {
		name, fullname string
		emails         []string
	}{
		{"spongebob", "Spongebob Squarepants", []string{"spongebob@sqlalchemy.org"}},
		{"sandy", "Sandy Cheeks", []string{"sandy@sqlalchemy.org", "sandy@squirrelpower.org"}},
		{"patrick", "Patrick Star", nil},
	}
	for _, p := range people {
		rows := run(core.Insert(users).
			Values(map[string]any{"name": p.name, "fullname": p.fullname}).
			Returning(users.C("id")))
		var id int64
		for rows.Next() {
			if err := rows.Scan(&id); err != nil {
				log.Fatal(err)
			}
		}
		rows.Close()
		for _, e := range p.emails {
			exec(core.Insert(addresses).Values(map[string]any{"user_id": id, "email": e}))
		}
	}

	n := core.Count(addresses.C("id")).Label("n")
	rows := run(core.Select(users.C("name"), users.C("fullname"), n).
		OuterJoin(addresses, nil).
		GroupBy(users.C("id"), users.C("name"), users.C("fullname")).
		OrderBy(users.C("name")))
	defer rows.Close()
	fmt.Println()
	for rows.Next() {
		var name, fullname string
		var count int64
		if err := rows.Scan(&name, &fullname, &count); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-10s %-22s %d address(es)\n", name, fullname, count)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
}
