package orm_test

import (
	"context"
	"fmt"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

type exPlayer struct {
	ID    int64  `orm:"pk"`
	Name  string `orm:"type:varchar(30)"`
	Team  string `orm:"type:varchar(10)"`
	Score int
}

func (exPlayer) TableName() string { return "ex_players" }

// exampleSession returns a session on a new in-memory SQLite database with
// the exPlayer table.
func exampleSession() (*orm.Session, *registry.Registry, func()) {
	ctx := context.Background()
	reg := registry.New()
	reg.MustRegister(&exPlayer{})
	if err := reg.Configure(); err != nil {
		panic(err)
	}
	e, err := core.CreateEngine("sqlite://")
	if err != nil {
		panic(err)
	}
	if err := e.CreateAll(ctx, reg.MetaData(), false); err != nil {
		panic(err)
	}
	s := orm.NewSession(reg, e)
	return s, reg, func() { s.Close(); e.Close() }
}

func ExampleBulkInsert() {
	ctx := context.Background()
	s, _, done := exampleSession()
	defer done()

	players := []*exPlayer{
		{Name: "spongebob", Team: "krusty"},
		{Name: "squidward", Team: "krusty"},
		{Name: "plankton", Team: "bucket"},
	}
	// one INSERT … VALUES (…), (…), (…) RETURNING id; the keys come back in
	// input order
	if err := orm.BulkInsert(ctx, s, players); err != nil {
		panic(err)
	}
	for _, p := range players {
		fmt.Println(p.ID, p.Name, s.StateOf(p))
	}
	// with Track the objects join the identity map
	mrKrabs := &exPlayer{Name: "krabs", Team: "krusty"}
	if err := orm.BulkInsert(ctx, s, []*exPlayer{mrKrabs}, orm.Track()); err != nil {
		panic(err)
	}
	fmt.Println(mrKrabs.ID, mrKrabs.Name, s.StateOf(mrKrabs))
	if err := s.Commit(ctx); err != nil {
		panic(err)
	}
	// Output:
	// 1 spongebob transient
	// 2 squidward transient
	// 3 plankton transient
	// 4 krabs persistent
}

func ExampleBulkUpdate() {
	ctx := context.Background()
	s, _, done := exampleSession()
	defer done()
	players := []*exPlayer{{Name: "spongebob", Score: 1}, {Name: "patrick", Score: 2}}
	if err := orm.BulkInsert(ctx, s, players, orm.Track()); err != nil {
		panic(err)
	}
	// rows from elsewhere (a request body, a file), matched by primary key
	changes := []*exPlayer{{ID: 1, Score: 10}, {ID: 2, Score: 20}}
	if err := orm.BulkUpdate(ctx, s, changes, "Score"); err != nil {
		panic(err)
	}
	// the session's objects of those keys have the new values, and are clean
	fmt.Println(players[0].Name, players[0].Score, s.IsModified(players[0]))
	fmt.Println(players[1].Name, players[1].Score, s.IsModified(players[1]))
	// Output:
	// spongebob 10 false
	// patrick 20 false
}

func ExampleUpdateWhere() {
	ctx := context.Background()
	s, reg, done := exampleSession()
	defer done()
	players := []*exPlayer{{Name: "spongebob", Team: "krusty", Score: 1}, {Name: "plankton", Team: "bucket", Score: 2}}
	if err := orm.BulkInsert(ctx, s, players, orm.Track()); err != nil {
		panic(err)
	}
	team := registry.MustAttr(reg, func(p *exPlayer) *string { return &p.Team })
	score := registry.MustAttr(reg, func(p *exPlayer) *int { return &p.Score })

	// a Go value is set on the matched objects of the session
	n, err := orm.UpdateWhere[exPlayer](s).Where(team.Eq("krusty")).Set("Team", "chum").Execute(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(n, players[0].Team)

	// an SQL expression expires them: the next load refreshes them
	if _, err := orm.UpdateWhere[exPlayer](s).Set("Score", score.Expr.Mul(100)).Execute(ctx); err != nil {
		panic(err)
	}
	fmt.Println(players[0].Score, s.Inspect(players[0]).Expired)
	p, err := orm.Get[exPlayer](ctx, s, players[0].ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(p == players[0], p.Score)
	// Output:
	// 1 chum
	// 1 true
	// true 100
}

func ExampleDeleteWhere() {
	ctx := context.Background()
	s, reg, done := exampleSession()
	defer done()
	players := []*exPlayer{{Name: "spongebob", Score: 1}, {Name: "plankton", Score: 2}}
	if err := orm.BulkInsert(ctx, s, players, orm.Track()); err != nil {
		panic(err)
	}
	if err := s.Commit(ctx); err != nil {
		panic(err)
	}
	score := registry.MustAttr(reg, func(p *exPlayer) *int { return &p.Score })
	n, err := orm.DeleteWhere[exPlayer](s).Where(score.Expr.Lt(2)).Execute(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(n, s.StateOf(players[0]), s.StateOf(players[1]))
	// a rollback brings the deleted object back
	if err := s.Rollback(ctx); err != nil {
		panic(err)
	}
	fmt.Println(s.StateOf(players[0]))
	// Output:
	// 1 deleted persistent
	// persistent
}
