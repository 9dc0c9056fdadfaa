package orm_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// The query examples' models: authors with posts (one-to-many, the
// author's Bio deferred), and channels whose messages are a write-only
// collection.

type qxAuthor struct {
	ID    int64     `orm:"pk"`
	Name  string    `orm:"type:varchar(30)"`
	Bio   string    `orm:"type:varchar(100);deferred"`
	Posts []*qxPost `orm:"rel;back_populates:Author;order_by:ID"`
}

func (qxAuthor) TableName() string { return "qx_authors" }

type qxPost struct {
	ID       int64     `orm:"pk"`
	Title    string    `orm:"type:varchar(50)"`
	AuthorID int64     `orm:"fk:qx_authors.id"`
	Author   *qxAuthor `orm:"rel;back_populates:Posts"`
}

func (qxPost) TableName() string { return "qx_posts" }

type qxChannel struct {
	ID       int64                            `orm:"pk"`
	Name     string                           `orm:"type:varchar(30)"`
	Messages collections.WriteOnly[qxMessage] `orm:"rel;back_populates:Channel;cascade:all,delete-orphan;order_by:ID"`
}

func (qxChannel) TableName() string { return "qx_channels" }

type qxMessage struct {
	ID        int64      `orm:"pk"`
	Text      string     `orm:"type:varchar(50)"`
	ChannelID int64      `orm:"fk:qx_channels.id"`
	Channel   *qxChannel `orm:"rel;back_populates:Messages"`
}

func (qxMessage) TableName() string { return "qx_messages" }

// qxEnv is one example's registry, in-memory SQLite engine and tables, and
// the statements the engine ran since the last take.
type qxEnv struct {
	reg     *registry.Registry
	e       *core.Engine
	authors *core.Table
	posts   *core.Table
	stmts   []string
}

// qxSetup maps the authors and posts, creates their tables in a new
// in-memory database and adds three authors: ann with two posts, bob with
// one, cy with none. Statements are recorded from then on.
func qxSetup() *qxEnv {
	ctx := context.Background()
	v := &qxEnv{reg: registry.New()}
	v.reg.MustRegister(&qxAuthor{}, &qxPost{})
	qxMust(v.reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	qxMust(err)
	v.e = e
	qxMust(e.CreateAll(ctx, v.reg.MetaData(), false))
	v.authors, _ = v.reg.MetaData().Table("qx_authors")
	v.posts, _ = v.reg.MetaData().Table("qx_posts")
	s := orm.NewSession(v.reg, e)
	qxMust(s.AddAll(
		&qxAuthor{Name: "ann", Bio: "writes about Go", Posts: []*qxPost{{Title: "Go generics"}, {Title: "SQL joins"}}},
		&qxAuthor{Name: "bob", Bio: "writes about databases", Posts: []*qxPost{{Title: "Loader strategies"}}},
		&qxAuthor{Name: "cy", Bio: "reads"},
	))
	qxMust(s.Commit(ctx))
	qxMust(s.Close()) // an in-memory engine has one connection: close before the next session
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		v.stmts = append(v.stmts, strings.Join(strings.Fields(stmt.SQL), " "))
		return nil
	})
	return v
}

// take returns the statements run since the last call, without BEGIN,
// COMMIT and ROLLBACK.
func (v *qxEnv) take() []string {
	var out []string
	for _, q := range v.stmts {
		if q != "BEGIN" && q != "COMMIT" && q != "ROLLBACK" {
			out = append(out, q)
		}
	}
	v.stmts = nil
	return out
}

// printSQL prints the statements run since the last take, one per line.
func (v *qxEnv) printSQL() {
	for _, q := range v.take() {
		fmt.Println(q)
	}
}

func qxMust(err error) {
	if err != nil {
		panic(err)
	}
}

func qxTitles(ps []*qxPost) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Title)
	}
	return out
}

// Loader options choose how a query loads relationships: SelectInLoad
// loads the posts of every author the query returns with one more SELECT …
// IN after the rows.
func ExampleQuery_Options() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	authors, err := orm.Select[qxAuthor](s).OrderBy(v.authors.C("id")).
		Options(loading.SelectInLoad("Posts")).All(ctx)
	qxMust(err)
	for _, a := range authors {
		fmt.Println(a.Name, s.IsLoaded(a, "Posts"), qxTitles(a.Posts))
	}
	v.printSQL()
	// Output:
	// ann true [Go generics SQL joins]
	// bob true [Loader strategies]
	// cy true []
	// SELECT qx_authors.id, qx_authors.name FROM qx_authors ORDER BY qx_authors.id
	// SELECT qx_posts.id, qx_posts.title, qx_posts.author_id FROM qx_posts WHERE qx_posts.author_id IN (?, ?, ?) ORDER BY qx_posts.id
}

// Join joins a relationship's target so that the query can filter on it;
// ContainsEager then fills the relationship from the joined rows, so each
// author's Posts holds only the posts that matched, from one SELECT.
func ExampleQuery_Join() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	authors, err := orm.Select[qxAuthor](s).Join("Posts").Where(v.posts.C("title").Like("%er%")).
		OrderBy(v.authors.C("id"), v.posts.C("id")).
		Options(loading.ContainsEager("Posts")).All(ctx)
	qxMust(err)
	for _, a := range authors {
		fmt.Println(a.Name, qxTitles(a.Posts))
	}
	v.printSQL()
	// Output:
	// ann [Go generics]
	// bob [Loader strategies]
	// SELECT qx_authors.id, qx_authors.name, qx_posts.id AS id_1, qx_posts.title, qx_posts.author_id FROM qx_authors JOIN qx_posts ON qx_authors.id = qx_posts.author_id WHERE qx_posts.title LIKE ? ORDER BY qx_authors.id, qx_posts.id
}

// From selects the entity from an alias of its table (SQLAlchemy's
// aliased(User)); Where names the alias's columns. The rows still go
// through the identity map.
func ExampleQuery_From() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	a := v.authors.Alias("a")
	bob, err := orm.Select[qxAuthor](s).From(a).Where(a.C("name").Eq("bob")).One(ctx)
	qxMust(err)
	fmt.Println(bob.ID, bob.Name)
	v.printSQL()
	same, err := orm.Get[qxAuthor](ctx, s, bob.ID)
	qxMust(err)
	fmt.Println(same == bob, len(v.take()), "statements")
	// Output:
	// 2 bob
	// SELECT a.id, a.name FROM qx_authors AS a WHERE a.name = ? LIMIT ? OFFSET ?
	// true 0 statements
}

// FromStatement loads objects from the rows of a textual statement, matched
// to the entity's columns by name; loader options still apply.
func ExampleQuery_FromStatement() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	stmt := core.Raw("SELECT name, id FROM qx_authors WHERE name < :name ORDER BY name", map[string]any{"name": "c"})
	authors, err := orm.Select[qxAuthor](s).FromStatement(stmt).Options(loading.SelectInLoad("Posts")).All(ctx)
	qxMust(err)
	for _, a := range authors {
		fmt.Println(a.ID, a.Name, qxTitles(a.Posts))
	}
	v.printSQL()
	// Output:
	// 1 ann [Go generics SQL joins]
	// 2 bob [Loader strategies]
	// SELECT name, id FROM qx_authors WHERE name < ? ORDER BY name
	// SELECT qx_posts.id, qx_posts.title, qx_posts.author_id FROM qx_posts WHERE qx_posts.author_id IN (?, ?) ORDER BY qx_posts.id
}

// Select2 returns rows of two entities, both through the identity map:
// with an outer join, B is nil where there is no row for it.
func ExampleSelect2() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	rows, err := orm.Select2[qxAuthor, qxPost](s).OuterJoin("Posts").
		OrderBy(v.authors.C("id"), v.posts.C("id")).All(ctx)
	qxMust(err)
	for _, r := range rows {
		if r.B == nil {
			fmt.Println(r.A.Name, "-")
			continue
		}
		fmt.Println(r.A.Name, r.B.Title)
	}
	fmt.Println(rows[0].A == rows[1].A)
	v.printSQL()
	// Output:
	// ann Go generics
	// ann SQL joins
	// bob Loader strategies
	// cy -
	// true
	// SELECT qx_authors.id, qx_authors.name, qx_posts.id AS id_1, qx_posts.title, qx_posts.author_id FROM qx_authors LEFT OUTER JOIN qx_posts ON qx_authors.id = qx_posts.author_id ORDER BY qx_authors.id, qx_posts.id
}

// Select3 reads three entities per row; here three authors through two
// aliases of their table (FromB and FromC say which alias is which), each
// author one object of the identity map however many rows hold it.
func ExampleSelect3() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	a2, a3 := v.authors.Alias("a2"), v.authors.Alias("a3")
	rows, err := orm.Select3[qxAuthor, qxAuthor, qxAuthor](s).
		JoinOn(a2, v.authors.C("id").Lt(a2.C("id"))).
		JoinOn(a3, a2.C("id").Lt(a3.C("id"))).
		FromB(a2).FromC(a3).All(ctx)
	qxMust(err)
	for _, r := range rows {
		fmt.Println(r.A.Name, r.B.Name, r.C.Name)
	}
	v.printSQL()
	// Output:
	// ann bob cy
	// SELECT qx_authors.id, qx_authors.name, a2.id AS id_1, a2.name AS name_1, a3.id AS id_2, a3.name AS name_2 FROM qx_authors JOIN qx_authors AS a2 ON qx_authors.id < a2.id JOIN qx_authors AS a3 ON a2.id < a3.id
}

// Any filters on a collection relationship with a correlated EXISTS, Has on
// a many-to-one; core.Not turns Any into "has none".
func ExampleAny() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	q := orm.Select[qxAuthor](s).Where(orm.Any[qxAuthor](s, "Posts", v.posts.C("title").Like("SQL%")))
	authors, err := q.All(ctx)
	qxMust(err)
	fmt.Println(authors[0].Name)
	v.printSQL()

	none, err := orm.Select[qxAuthor](s).Where(core.Not(orm.Any[qxAuthor](s, "Posts"))).All(ctx)
	qxMust(err)
	fmt.Println(none[0].Name)

	posts, err := orm.Select[qxPost](s).Where(orm.Has[qxPost](s, "Author", v.authors.C("name").Eq("bob"))).All(ctx)
	qxMust(err)
	fmt.Println(qxTitles(posts))
	// Output:
	// ann
	// SELECT qx_authors.id, qx_authors.name FROM qx_authors WHERE EXISTS (SELECT 1 FROM qx_posts WHERE qx_authors.id = qx_posts.author_id AND qx_posts.title LIKE ?)
	// cy
	// [Loader strategies]
}

// A write-only collection is never loaded: Add and Remove record changes
// that the next flush writes, and Related queries the members, to count
// or page them.
func ExampleRelated() {
	ctx := context.Background()
	reg := registry.New()
	reg.MustRegister(&qxChannel{}, &qxMessage{})
	qxMust(reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	qxMust(err)
	defer e.Close()
	qxMust(e.CreateAll(ctx, reg.MetaData(), false))
	var stmts []string
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, strings.Fields(stmt.SQL)[0])
		return nil
	})
	s := orm.NewSession(reg, e)
	defer s.Close()

	general := &qxChannel{Name: "general"}
	qxMust(s.Add(general))
	hello, spam, bye := &qxMessage{Text: "hello"}, &qxMessage{Text: "spam"}, &qxMessage{Text: "bye"}
	qxMust(general.Messages.Add(hello, spam, bye))
	fmt.Println(spam.Channel == general) // in a session, the back_populates side is set at once
	qxMust(s.Commit(ctx))
	fmt.Println(stmts)

	n, err := orm.Related[qxMessage](s, general, "Messages").Count(ctx)
	qxMust(err)
	fmt.Println(n, "messages")

	qxMust(general.Messages.Remove(spam)) // an orphan: deleted at the next flush
	stmts = nil
	page, err := orm.Related[qxMessage](s, general, "Messages").Limit(10).All(ctx) // the autoflush writes the removal first
	qxMust(err)
	fmt.Println(stmts)
	for _, m := range page {
		fmt.Println(m.ID, m.Text)
	}
	fmt.Println(s.IsLoaded(general, "Messages"))
	// Output:
	// true
	// [INSERT INSERT]
	// 3 messages
	// [DELETE SELECT]
	// 1 hello
	// 3 bye
	// false
}

// A deferred column (tag deferred), or one a LoadOnly option left out,
// stays unloaded; LoadColumns loads it with one SELECT by primary key. Go
// cannot load on a field read, so this is the explicit form of SQLAlchemy's
// load on attribute access.
func ExampleSession_LoadColumns() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	ann, err := orm.Select[qxAuthor](s).FilterBy(map[string]any{"Name": "ann"}).One(ctx)
	qxMust(err)
	fmt.Printf("%q %v\n", ann.Bio, s.IsLoaded(ann, "Bio"))
	v.take()
	qxMust(s.LoadColumns(ctx, ann, "Bio"))
	fmt.Printf("%q %v\n", ann.Bio, s.IsLoaded(ann, "Bio"))
	v.printSQL()

	bob, err := orm.Select[qxAuthor](s).FilterBy(map[string]any{"Name": "bob"}).
		Options(loading.LoadOnly("ID"), loading.Undefer("Bio")).One(ctx)
	qxMust(err)
	fmt.Printf("%q %q\n", bob.Name, bob.Bio)
	v.printSQL()
	// Output:
	// "" false
	// "writes about Go" true
	// SELECT qx_authors.bio FROM qx_authors WHERE qx_authors.id = ?
	// "" "writes about databases"
	// SELECT qx_authors.id, qx_authors.bio FROM qx_authors WHERE qx_authors.name = ? LIMIT ? OFFSET ?
}

// YieldPer streams the rows in batches: each batch's selectin loads run
// for that batch, and the objects of a batch the callback has seen leave
// the session again, so memory stays bounded by the batch size.
func ExampleQuery_YieldPer() {
	ctx := context.Background()
	v := qxSetup()
	defer v.e.Close()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	var first *qxAuthor
	err := orm.Select[qxAuthor](s).OrderBy(v.authors.C("id")).Options(loading.SelectInLoad("Posts")).
		YieldPer(2).Each(ctx, func(a *qxAuthor) error {
		if first == nil {
			first = a
		}
		fmt.Println(a.Name, qxTitles(a.Posts), len(v.take()), "statements; ann in the session:", s.Contains(first))
		return nil
	})
	qxMust(err)
	// Output:
	// ann [Go generics SQL joins] 2 statements; ann in the session: true
	// bob [Loader strategies] 0 statements; ann in the session: true
	// cy [] 1 statements; ann in the session: false
}
