// Command session runs the SQLAlchemy ORM tutorial's unit-of-work flow on an
// embedded SQLite database: mapped structs, a Session, an identity map,
// flushes that write only what changed, a SAVEPOINT rolled back, and a
// version counter that catches a lost update.
//
//	go run ./examples/session
//	ECHO=1 go run ./examples/session   # and print every statement
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// User is a plain struct mapped by its tags.
type User struct {
	ID       int64  `orm:"pk"`
	Name     string `orm:"type:varchar(30);unique"`
	Fullname *string
	Version  int `orm:"version"`
}

func (User) TableName() string { return "user_account" }

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	reg := registry.New()
	reg.MustRegister(&User{})
	if err := reg.Configure(); err != nil {
		return err
	}
	// a database file, so that two sessions can hold a connection each
	// (an in-memory SQLite database lives in a single connection)
	dir, err := os.MkdirTemp("", "retort-session")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var opts []core.EngineOption
	if os.Getenv("ECHO") != "" {
		echo := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, core.WithEcho(echo))
	}
	engine, err := core.CreateEngine("sqlite:///"+filepath.Join(dir, "tutorial.db"), opts...)
	if err != nil {
		return err
	}
	defer engine.Close()
	if err := engine.CreateAll(ctx, reg.MetaData(), false); err != nil {
		return err
	}
	sessions := orm.NewFactory(reg, engine)

	s := sessions.New()
	defer s.Close()
	full := "Spongebob Squarepants"
	spongebob := &User{Name: "spongebob", Fullname: &full}
	sandy := &User{Name: "sandy"}
	if err := s.AddAll(spongebob, sandy); err != nil {
		return err
	}
	if err := s.Commit(ctx); err != nil { // one INSERT … RETURNING for both
		return err
	}
	fmt.Printf("inserted: spongebob=%d sandy=%d\n", spongebob.ID, sandy.ID)

	same, err := orm.Get[User](ctx, s, spongebob.ID)
	if err != nil {
		return err
	}
	fmt.Println("same pointer from the identity map:", same == spongebob)

	sandy.Name = "sandy cheeks" // only this column is written
	if err := s.Commit(ctx); err != nil {
		return err
	}

	// a SAVEPOINT rolled back restores the object
	if err := s.Nested(ctx, func() error {
		sandy.Name = "patrick"
		if err := s.Flush(ctx); err != nil {
			return err
		}
		return errors.New("changed my mind")
	}); err != nil {
		fmt.Printf("savepoint rolled back (%v): name is %q again\n", err, sandy.Name)
	}
	if err := s.Commit(ctx); err != nil { // SQLite: one writer at a time
		return err
	}

	// a second session changes the row first: the version counter notices
	other := sessions.New()
	defer other.Close()
	theirs, err := orm.Get[User](ctx, other, sandy.ID)
	if err != nil {
		return err
	}
	theirs.Name = "sandy c."
	if err := other.Commit(ctx); err != nil {
		return err
	}
	sandy.Name = "sandy squirrel"
	err = s.Commit(ctx)
	var stale *orm.StaleDataError
	fmt.Println("lost update detected:", errors.As(err, &stale))
	if err := s.Rollback(ctx); err != nil {
		return err
	}

	users, err := orm.Select[User](s).
		OrderBy(registry.MustAttr(reg, func(u *User) *string { return &u.Name }).Expr).
		All(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		fmt.Printf("%d %s (version %d)\n", u.ID, u.Name, u.Version)
	}
	return s.Commit(ctx)
}
