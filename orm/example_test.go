package orm_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// exUser is the model of the examples: a version counter makes concurrent
// updates detectable.
type exUser struct {
	ID       int64  `orm:"pk"`
	Name     string `orm:"type:varchar(30)"`
	Fullname *string
	Version  int `orm:"version"`
}

func (exUser) TableName() string { return "ex_users" }

// exampleDB returns a registry with exUser and an in-memory SQLite engine
// with its table.
func exampleDB() (*registry.Registry, *core.Engine) {
	reg := registry.New()
	reg.MustRegister(&exUser{})
	if err := reg.Configure(); err != nil {
		panic(err)
	}
	e, err := core.CreateEngine("sqlite://")
	if err != nil {
		panic(err)
	}
	if err := e.CreateAll(context.Background(), reg.MetaData(), false); err != nil {
		panic(err)
	}
	return reg, e
}

func ptr[T any](v T) *T { return &v }

// A Session tracks plain structs: Add makes them pending, Commit INSERTs
// them, and Get returns the one object the session holds for a key.
func ExampleNewSession() {
	ctx := context.Background()
	reg, e := exampleDB()
	defer e.Close()

	s := orm.NewSession(reg, e)
	defer s.Close()
	u := &exUser{Name: "spongebob", Fullname: ptr("Spongebob Squarepants")}
	fmt.Println(s.StateOf(u))
	if err := s.Add(u); err != nil {
		panic(err)
	}
	fmt.Println(s.StateOf(u))
	if err := s.Commit(ctx); err != nil {
		panic(err)
	}
	fmt.Println(s.StateOf(u), u.ID, u.Version)

	got, err := orm.Get[exUser](ctx, s, u.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(got == u, got.Name)

	_, err = orm.Get[exUser](ctx, s, 42)
	fmt.Println(errors.Is(err, core.ErrNoResultFound))
	// Output:
	// transient
	// pending
	// persistent 1 1
	// true spongebob
	// true
}

// Select is a typed query through the identity map.
func ExampleSelect() {
	ctx := context.Background()
	reg, e := exampleDB()
	defer e.Close()
	s := orm.NewSession(reg, e)
	defer s.Close()
	for _, n := range []string{"spongebob", "sandy", "patrick", "squidward"} {
		if err := s.Add(&exUser{Name: n}); err != nil {
			panic(err)
		}
	}
	name := registry.MustAttr(reg, func(u *exUser) *string { return &u.Name })

	users, err := orm.Select[exUser](s).
		Where(name.Ne("squidward")).
		OrderBy(name.Desc()).
		Limit(2).
		All(ctx) // autoflush INSERTs the pending users first
	if err != nil {
		panic(err)
	}
	for _, u := range users {
		fmt.Println(u.ID, u.Name)
	}
	n, err := orm.Select[exUser](s).Where(name.Gt("r")).Count(ctx)
	fmt.Println(n, err)
	// Output:
	// 1 spongebob
	// 2 sandy
	// 3 <nil>
}

// Rolling back a SAVEPOINT restores the objects it touched as they were
// when it began.
func ExampleSession_BeginNested() {
	ctx := context.Background()
	reg, e := exampleDB()
	defer e.Close()
	s := orm.NewSession(reg, e)
	defer s.Close()
	u := &exUser{Name: "spongebob"}
	if err := s.Add(u); err != nil {
		panic(err)
	}

	sp, err := s.BeginNested(ctx) // flushes u first
	if err != nil {
		panic(err)
	}
	u.Name = "squarepants"
	extra := &exUser{Name: "plankton"}
	_ = s.Add(extra)
	if err := s.Flush(ctx); err != nil {
		panic(err)
	}
	fmt.Println(u.Name, u.Version, extra.ID)

	if err := sp.Rollback(ctx); err != nil {
		panic(err)
	}
	fmt.Println(u.Name, u.Version, extra.ID, s.StateOf(extra))

	if err := s.Commit(ctx); err != nil {
		panic(err)
	}
	n, _ := orm.Select[exUser](s).Count(ctx)
	fmt.Println(n)
	// Output:
	// squarepants 2 2
	// spongebob 1 0 transient
	// 1
}

// A version counter turns a lost update into an error: the second
// session's UPDATE matches no row, because the first changed the version.
func ExampleStaleDataError() {
	ctx := context.Background()
	reg, e := exampleDB()
	defer e.Close()

	setup := orm.NewSession(reg, e)
	_ = setup.Add(&exUser{ID: 1, Name: "sandy"})
	if err := setup.Commit(ctx); err != nil {
		panic(err)
	}
	setup.Close()

	// both sessions load version 1; without expire_on_commit the first
	// keeps its object as loaded after Commit
	s1 := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
	defer s1.Close()
	mine, _ := orm.Get[exUser](ctx, s1, 1)
	_ = s1.Commit(ctx) // ends the read transaction

	s2 := orm.NewSession(reg, e)
	theirs, _ := orm.Get[exUser](ctx, s2, 1)
	theirs.Name = "sandy cheeks"
	if err := s2.Commit(ctx); err != nil {
		panic(err)
	}
	s2.Close()

	mine.Name = "sandy c."
	err := s1.Commit(ctx)
	var stale *orm.StaleDataError
	fmt.Println(errors.As(err, &stale), stale.Op, stale.Matched)
	_ = s1.Rollback(ctx)

	s3 := orm.NewSession(reg, e)
	defer s3.Close()
	u, _ := orm.Get[exUser](ctx, s3, 1)
	fmt.Println(u.Name, u.Version)
	// Output:
	// true UPDATE 0
	// sandy cheeks 2
}

// Session event listeners are typed functions; a before_flush listener may
// still change the session, and the flush sees its changes.
func ExampleSessionEvents_OnBeforeFlush() {
	ctx := context.Background()
	reg, e := exampleDB()
	defer e.Close()
	f := orm.NewFactory(reg, e)
	f.Events().OnBeforeFlush(func(ctx context.Context, s *orm.Session) error {
		for _, obj := range s.New() {
			if u, ok := obj.(*exUser); ok && u.Fullname == nil {
				u.Fullname = ptr(u.Name + " (no full name)")
			}
		}
		return nil
	})
	s := f.New()
	defer s.Close()
	remove := s.Events().OnAfterFlush(func(ctx context.Context, s *orm.Session) error {
		fmt.Println("flushed", len(s.New()), "new object(s)")
		return nil
	})
	u := &exUser{Name: "patrick"}
	_ = s.Add(u)
	if err := s.Commit(ctx); err != nil {
		panic(err)
	}
	fmt.Println(*u.Fullname)

	remove()
	_ = s.Add(&exUser{Name: "gary"})
	_ = s.Commit(ctx) // the after_flush listener is gone
	// Output:
	// flushed 1 new object(s)
	// patrick (no full name)
}

// Merge copies an object from outside the session (decoded from a request,
// say) onto the session's own instance of its row.
func ExampleMerge() {
	ctx := context.Background()
	reg, e := exampleDB()
	defer e.Close()
	s := orm.NewSession(reg, e)
	defer s.Close()
	_ = s.Add(&exUser{ID: 7, Name: "squidward"})
	if err := s.Commit(ctx); err != nil {
		panic(err)
	}

	incoming := &exUser{ID: 7, Name: "squidward tentacles"} // Version 0: not checked
	u, err := orm.Merge(ctx, s, incoming)
	if err != nil {
		panic(err)
	}
	fmt.Println(u == incoming, s.StateOf(u), s.Inspect(u).Modified)
	if err := s.Commit(ctx); err != nil {
		panic(err)
	}

	fresh, _ := orm.Merge(ctx, s, &exUser{Name: "larry"}) // no key: a new pending copy
	fmt.Println(s.StateOf(fresh))
	_ = s.Commit(ctx)
	u2, _ := orm.Get[exUser](ctx, s, 7)
	fmt.Println(u2.Name, u2.Version, fresh.ID)
	// Output:
	// false persistent [Name]
	// pending
	// squidward tentacles 2 8
}
