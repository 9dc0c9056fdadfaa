// Command quickstart runs Retort's Core on an embedded SQLite database: it
// defines tables, creates them with Engine.CreateAll, inserts rows with
// RETURNING, and queries them with a join, logging each statement it runs
// (the engine's echo).
package main

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
)

func main() {
	ctx := context.Background()
	echo := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	engine, err := core.CreateEngine("sqlite://", core.WithEcho(echo))
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

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
	if err := engine.CreateAll(ctx, md, true); err != nil {
		log.Fatal(err)
	}

	people := []struct {
		name, fullname string
		emails         []string
	}{
		{"spongebob", "Spongebob Squarepants", []string{"spongebob@sqlalchemy.org"}},
		{"sandy", "Sandy Cheeks", []string{"sandy@sqlalchemy.org", "sandy@squirrelpower.org"}},
		{"patrick", "Patrick Star", nil},
	}
	// "begin once": one transaction, committed when the function returns nil
	err = engine.Transaction(ctx, func(c *core.Connection) error {
		for _, p := range people {
			res, err := c.Execute(ctx, core.Insert(users).
				Values(map[string]any{"name": p.name, "fullname": p.fullname}).
				Returning(users.C("id")))
			if err != nil {
				return err
			}
			id, err := core.ScalarOne[int64](res)
			if err != nil {
				return err
			}
			for _, e := range p.emails {
				if _, err := c.Execute(ctx, core.Insert(addresses).Values(map[string]any{"user_id": id, "email": e})); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	n := core.Count(addresses.C("id")).Label("n")
	res, err := engine.Execute(ctx, core.Select(users.C("name"), users.C("fullname"), n).
		OuterJoin(addresses, nil).
		GroupBy(users.C("id"), users.C("name"), users.C("fullname")).
		OrderBy(users.C("name")))
	if err != nil {
		log.Fatal(err)
	}
	rows, err := res.All()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	for _, r := range rows {
		fmt.Printf("%-10v %-22v %v address(es)\n", r.Index(0), r.Index(1), r.Index(2))
	}
}
