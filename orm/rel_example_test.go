package orm_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// The relationship examples' models: an account with its mail addresses
// (one-to-many), articles and labels (many-to-many), a shelf whose books
// are an instrumented List, and a self-referential category tree.

type exAccount struct {
	ID    int64     `orm:"pk"`
	Name  string    `orm:"type:varchar(30)"`
	Mails []*exMail `orm:"rel;back_populates:Account;cascade:all,delete-orphan"`
}

func (exAccount) TableName() string { return "ex_accounts" }

type exMail struct {
	ID        int64      `orm:"pk"`
	Email     string     `orm:"type:varchar(50)"`
	AccountID int64      `orm:"fk:ex_accounts.id"`
	Account   *exAccount `orm:"rel;back_populates:Mails"`
}

func (exMail) TableName() string { return "ex_mails" }

type exArticle struct {
	ID     int64      `orm:"pk"`
	Title  string     `orm:"type:varchar(30)"`
	Labels []*exLabel `orm:"rel;secondary:ex_article_labels;back_populates:Articles"`
}

func (exArticle) TableName() string { return "ex_articles" }

type exLabel struct {
	ID       int64        `orm:"pk"`
	Name     string       `orm:"type:varchar(30)"`
	Articles []*exArticle `orm:"rel;secondary:ex_article_labels;back_populates:Labels"`
}

func (exLabel) TableName() string { return "ex_labels" }

type exShelf struct {
	ID    int64                      `orm:"pk"`
	Name  string                     `orm:"type:varchar(30)"`
	Books collections.List[exVolume] `orm:"rel;back_populates:Shelf;cascade:all,delete-orphan"`
}

func (exShelf) TableName() string { return "ex_shelves" }

type exVolume struct {
	ID      int64    `orm:"pk"`
	Title   string   `orm:"type:varchar(30)"`
	ShelfID int64    `orm:"fk:ex_shelves.id"`
	Shelf   *exShelf `orm:"rel;back_populates:Books"`
}

func (exVolume) TableName() string { return "ex_volumes" }

type exCategory struct {
	ID       int64         `orm:"pk"`
	ParentID *int64        `orm:"fk:ex_categories.id"`
	Name     string        `orm:"type:varchar(30)"`
	Children []*exCategory `orm:"rel;back_populates:Parent;cascade:all,delete-orphan"`
	Parent   *exCategory   `orm:"rel;remote_side:ID;back_populates:Children"`
}

func (exCategory) TableName() string { return "ex_categories" }

// relExampleDB returns a registry with the relationship examples' models
// and an in-memory SQLite engine with their tables; *n counts the
// statements the engine executes.
func relExampleDB() (*registry.Registry, *core.Engine, *int) {
	md := core.NewMetaData()
	md.MustTable("ex_article_labels",
		core.Col("article_id", core.BigInteger{}, core.PrimaryKey(), core.References("ex_articles.id")),
		core.Col("label_id", core.BigInteger{}, core.PrimaryKey(), core.References("ex_labels.id")))
	reg := registry.New(registry.WithMetaData(md))
	reg.MustRegister(&exAccount{}, &exMail{}, &exArticle{}, &exLabel{}, &exShelf{}, &exVolume{}, &exCategory{})
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
	n := new(int)
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		*n++
		return nil
	})
	return reg, e, n
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// Adding the parent adds its children (the save-update cascade); the
// flush inserts the parent first, copies its key into the children's
// foreign keys and sets the back_populates side. Dropping a child from
// the slice makes it an orphan, which the next flush deletes.
func Example_oneToMany() {
	ctx := context.Background()
	reg, e, _ := relExampleDB()
	defer e.Close()
	s := orm.NewSession(reg, e)
	defer s.Close()

	work, home := &exMail{Email: "jack@work"}, &exMail{Email: "jack@home"}
	jack := &exAccount{Name: "jack", Mails: []*exMail{work, home}}
	check(s.Add(jack))
	fmt.Println(s.StateOf(work), work.Account == nil)
	check(s.Flush(ctx))
	fmt.Println(jack.ID, work.AccountID, home.AccountID, work.Account == jack)

	jack.Mails = jack.Mails[:1]
	check(s.Flush(ctx))
	fmt.Println(s.StateOf(home), len(jack.Mails), home.Account == nil)
	n, err := orm.Select[exMail](s).Count(ctx)
	check(err)
	fmt.Println(n, "row")
	// Output:
	// pending true
	// 1 1 1 true
	// deleted 1 true
	// 1 row
}

// Relationships of loaded objects start unloaded: reading the field never
// runs a query. LoadRelated loads a relationship for many objects with
// one IN query.
func ExampleLoadRelated() {
	ctx := context.Background()
	reg, e, n := relExampleDB()
	defer e.Close()
	s := orm.NewSession(reg, e)
	defer s.Close()
	for _, name := range []string{"ann", "bob", "cid"} {
		check(s.Add(&exAccount{Name: name, Mails: []*exMail{{Email: name + "@a"}, {Email: name + "@b"}}}))
	}
	check(s.Commit(ctx))

	s2 := orm.NewSession(reg, e)
	defer s2.Close()
	accounts, err := orm.Select[exAccount](s2).All(ctx)
	check(err)
	fmt.Println(len(accounts[0].Mails), s2.IsLoaded(accounts[0], "Mails"))

	*n = 0
	check(orm.LoadRelated(ctx, s2, accounts, "Mails"))
	fmt.Println(*n, "statement")
	for _, a := range accounts {
		var emails []string
		for _, m := range a.Mails {
			emails = append(emails, m.Email)
		}
		fmt.Println(a.Name, strings.Join(emails, " "))
	}

	// the many-to-one side comes from the identity map
	*n = 0
	mail := accounts[1].Mails[0]
	check(s2.LoadRelationship(ctx, mail, "Account"))
	fmt.Println(mail.Account.Name, *n, "statements")
	// Output:
	// 0 false
	// 1 statement
	// ann ann@a ann@b
	// bob bob@a bob@b
	// cid cid@a cid@b
	// bob 0 statements
}

// A many-to-many relationship writes its association rows at flush: one
// per member added, one DELETE per member removed; the other side follows.
func Example_manyToMany() {
	ctx := context.Background()
	reg, e, _ := relExampleDB()
	defer e.Close()
	s := orm.NewSession(reg, e)
	defer s.Close()

	golang, sql := &exLabel{Name: "go"}, &exLabel{Name: "sql"}
	post := &exArticle{Title: "ORMs in Go", Labels: []*exLabel{golang, sql}}
	check(s.Add(post))
	check(s.Flush(ctx))
	fmt.Println(len(golang.Articles), golang.Articles[0].Title)

	post.Labels = post.Labels[1:]
	check(s.Flush(ctx))
	fmt.Println(len(golang.Articles), len(sql.Articles))
	links, _ := reg.MetaData().Table("ex_article_labels")
	res, err := s.Execute(ctx, core.Select(core.Count(links.C("label_id"))))
	check(err)
	count, err := res.Scalar()
	check(err)
	fmt.Println(count, "association row")
	// Output:
	// 1 ORMs in Go
	// 0 1
	// 1 association row
}

// A collections.List reports each change when it happens: the append
// event fires, the other side of back_populates is set and the new member
// joins the session at once, not at the next flush.
func ExampleOnAppend() {
	ctx := context.Background()
	reg, e, _ := relExampleDB()
	defer e.Close()
	defer orm.OnAppend[exShelf]("Books", func(ctx context.Context, s *orm.Session, shelf *exShelf, ev orm.AttributeEvent) error {
		fmt.Printf("%s %s to %s (at flush: %v)\n", ev.Op, ev.Value.(*exVolume).Title, shelf.Name, ev.AtFlush)
		return nil
	})()
	s := orm.NewSession(reg, e)
	defer s.Close()

	shelf := &exShelf{Name: "classics"}
	check(s.Add(shelf))
	emma := &exVolume{Title: "Emma"}
	check(shelf.Books.Append(emma))
	fmt.Println(emma.Shelf == shelf, s.StateOf(emma))
	check(s.Commit(ctx))
	fmt.Println(emma.ShelfID == shelf.ID)
	// Output:
	// append Emma to classics (at flush: false)
	// true pending
	// true
}

// A self-referential tree: the flush inserts each level before the next
// (it needs the parent's key) and deleting the root cascades to the whole
// tree.
func Example_selfReferential() {
	ctx := context.Background()
	reg, e, _ := relExampleDB()
	defer e.Close()
	s := orm.NewSession(reg, e)
	defer s.Close()

	root := &exCategory{Name: "root", Children: []*exCategory{
		{Name: "a", Children: []*exCategory{{Name: "a1"}, {Name: "a2"}}},
		{Name: "b"},
	}}
	check(s.Add(root))
	check(s.Flush(ctx))
	a1 := root.Children[0].Children[0]
	fmt.Println(*a1.ParentID == root.Children[0].ID, a1.Parent.Parent == root, root.ParentID == nil)

	check(s.Delete(root))
	check(s.Flush(ctx))
	n, err := orm.Select[exCategory](s).Count(ctx)
	check(err)
	fmt.Println(n, "rows left")
	// Output:
	// true true true
	// 0 rows left
}
