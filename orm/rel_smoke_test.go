package orm_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

type rsUser struct {
	ID        int64        `orm:"pk"`
	Name      string       `orm:"type:varchar(30)"`
	Addresses []*rsAddress `orm:"rel;back_populates:User;cascade:all,delete-orphan"`
}

func (rsUser) TableName() string { return "rs_users" }

type rsAddress struct {
	ID     int64   `orm:"pk"`
	Email  string  `orm:"type:varchar(50)"`
	UserID int64   `orm:"fk:rs_users.id"`
	User   *rsUser `orm:"rel;back_populates:Addresses"`
}

func (rsAddress) TableName() string { return "rs_addresses" }

type rsNode struct {
	ID       int64     `orm:"pk"`
	ParentID *int64    `orm:"fk:rs_nodes.id"`
	Name     string    `orm:"type:varchar(20)"`
	Children []*rsNode `orm:"rel;cascade:all,delete-orphan"`
}

func (rsNode) TableName() string { return "rs_nodes" }

type rsPost struct {
	ID    int64    `orm:"pk"`
	Title string   `orm:"type:varchar(20)"`
	Tags  []*rsTag `orm:"rel;secondary:rs_post_tags;back_populates:Posts"`
}

func (rsPost) TableName() string { return "rs_posts" }

type rsTag struct {
	ID    int64     `orm:"pk"`
	Name  string    `orm:"type:varchar(20)"`
	Posts []*rsPost `orm:"rel;secondary:rs_post_tags;back_populates:Tags"`
}

func (rsTag) TableName() string { return "rs_tags" }

type rsWidget struct {
	ID              int64      `orm:"pk"`
	FavoriteEntryID *int64     `orm:"fk:rs_entries.id"`
	Name            string     `orm:"type:varchar(20)"`
	Entries         []*rsEntry `orm:"rel;foreign_keys:rsEntry.WidgetID"`
	FavoriteEntry   *rsEntry   `orm:"rel;foreign_keys:rsWidget.FavoriteEntryID;post_update"`
}

func (rsWidget) TableName() string { return "rs_widgets" }

type rsEntry struct {
	ID       int64  `orm:"pk"`
	WidgetID *int64 `orm:"fk:rs_widgets.id"`
	Name     string `orm:"type:varchar(20)"`
}

func (rsEntry) TableName() string { return "rs_entries" }

func relEnv(t *testing.T) (*registry.Registry, *core.Engine, *[]string) {
	ctx := context.Background()
	md := core.NewMetaData()
	md.MustTable("rs_post_tags",
		core.Col("post_id", core.BigInteger{}, core.PrimaryKey(), core.References("rs_posts.id")),
		core.Col("tag_id", core.BigInteger{}, core.PrimaryKey(), core.References("rs_tags.id")))
	reg := registry.New(registry.WithMetaData(md))
	reg.MustRegister(&rsUser{}, &rsAddress{}, &rsNode{}, &rsPost{}, &rsTag{}, &rsWidget{}, &rsEntry{})
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	var stmts []string
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, strings.Fields(stmt.SQL)[0]+" "+tableOf(stmt.SQL))
		return nil
	})
	return reg, e, &stmts
}

func tableOf(sql string) string {
	f := strings.Fields(sql)
	for i, w := range f {
		if (w == "INTO" || w == "FROM" || w == "UPDATE") && i+1 < len(f) {
			return strings.Trim(f[i+1], `"`)
		}
	}
	if f[0] == "UPDATE" {
		return strings.Trim(f[1], `"`)
	}
	return ""
}

func TestRelSmoke(t *testing.T) {
	ctx := context.Background()
	reg, e, stmts := relEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()

	// one-to-many with back_populates and delete-orphan
	u := &rsUser{Name: "jack"}
	a1, a2 := &rsAddress{Email: "a1"}, &rsAddress{Email: "a2"}
	u.Addresses = []*rsAddress{a1, a2}
	require.NoError(t, s.Add(u))
	assert.Len(t, s.New(), 3)
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, u.ID, a1.UserID)
	assert.Same(t, u, a2.User, "back_populates set at flush")
	t.Log(*stmts)
	*stmts = nil
	require.NoError(t, s.Flush(ctx))
	assert.Empty(t, *stmts)
	u.Addresses = u.Addresses[:1]
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, []string{"DELETE rs_addresses"}, *stmts)
	*stmts = nil

	// self-referential tree
	root := &rsNode{Name: "root"}
	for i := 0; i < 2; i++ {
		c := &rsNode{Name: "c"}
		for j := 0; j < 2; j++ {
			g := &rsNode{Name: "g", Children: []*rsNode{{Name: "gg"}}}
			c.Children = append(c.Children, g)
		}
		root.Children = append(root.Children, c)
	}
	require.NoError(t, s.Add(root))
	require.NoError(t, s.Flush(ctx))
	t.Log(*stmts)
	assert.Equal(t, []string{"INSERT rs_nodes", "INSERT rs_nodes", "INSERT rs_nodes", "INSERT rs_nodes"}, *stmts)
	assert.Equal(t, root.ID, *root.Children[1].ParentID)
	*stmts = nil
	require.NoError(t, s.Commit(ctx))
	s2 := orm.NewSession(reg, e)
	defer s2.Close()
	r2, err := orm.Get[rsNode](ctx, s2, root.ID)
	require.NoError(t, err)
	assert.False(t, s2.IsLoaded(r2, "Children"))
	require.NoError(t, s2.Delete(r2))
	*stmts = nil
	require.NoError(t, s2.Flush(ctx))
	t.Log(*stmts)
	n, err := orm.Select[rsNode](s2).Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	require.NoError(t, s2.Commit(ctx))

	// many-to-many
	p := &rsPost{Title: "p"}
	t1, t2 := &rsTag{Name: "t1"}, &rsTag{Name: "t2"}
	p.Tags = []*rsTag{t1, t2}
	require.NoError(t, s.Add(p))
	*stmts = nil
	require.NoError(t, s.Flush(ctx))
	t.Log(*stmts)
	assert.Equal(t, []*rsPost{p}, t1.Posts)
	p.Tags = p.Tags[1:]
	*stmts = nil
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, []string{"DELETE rs_post_tags"}, *stmts)
	assert.Empty(t, t1.Posts)

	// post_update
	w := &rsWidget{Name: "w"}
	en := &rsEntry{Name: "e"}
	w.Entries = []*rsEntry{en}
	w.FavoriteEntry = en
	require.NoError(t, s.Add(w))
	*stmts = nil
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, []string{"INSERT rs_widgets", "INSERT rs_entries", "UPDATE rs_widgets"}, *stmts)
	require.NotNil(t, w.FavoriteEntryID)
	assert.Equal(t, en.ID, *w.FavoriteEntryID)
	require.NoError(t, s.Delete(w))
	require.NoError(t, s.Delete(en))
	*stmts = nil
	require.NoError(t, s.Flush(ctx))
	t.Log(*stmts)
	require.NoError(t, s.Commit(ctx))

	// lazy loading
	s3 := orm.NewSession(reg, e)
	defer s3.Close()
	us, err := orm.Select[rsUser](s3).All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 1)
	*stmts = nil
	require.NoError(t, orm.LoadRelated(ctx, s3, us, "Addresses"))
	require.Len(t, us[0].Addresses, 1)
	assert.Len(t, *stmts, 1)
	ad := us[0].Addresses[0]
	require.NoError(t, s3.LoadRelationship(ctx, ad, "User"))
	assert.Same(t, us[0], ad.User)
	assert.Len(t, *stmts, 1, "many-to-one from the identity map")
	err = s3.LoadRelationship(ctx, ad, "Nope")
	assert.ErrorContains(t, err, "no relationship")
}

type rsAuthor struct {
	ID    int64                       `orm:"pk"`
	Name  string                      `orm:"type:varchar(30)"`
	Books collections.List[rsBook]    `orm:"rel;back_populates:Author;cascade:all,delete-orphan"`
	Raise collections.List[rsBookRaw] `orm:"rel;lazy:raise"`
}

func (rsAuthor) TableName() string { return "rs_authors" }

type rsBook struct {
	ID       int64     `orm:"pk"`
	Title    string    `orm:"type:varchar(30)"`
	AuthorID int64     `orm:"fk:rs_authors.id"`
	Author   *rsAuthor `orm:"rel;back_populates:Books"`
}

func (rsBook) TableName() string { return "rs_books" }

type rsBookRaw struct {
	ID       int64  `orm:"pk"`
	AuthorID *int64 `orm:"fk:rs_authors.id"`
}

func (rsBookRaw) TableName() string { return "rs_books_raw" }

func TestRelInstrumented(t *testing.T) {
	ctx := context.Background()
	reg := registry.New()
	reg.MustRegister(&rsAuthor{}, &rsBook{}, &rsBookRaw{})
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	var evs []string
	defer orm.OnAppend[rsAuthor]("Books", func(ctx context.Context, s *orm.Session, a *rsAuthor, ev orm.AttributeEvent) error {
		evs = append(evs, fmt.Sprintf("%s %s %v", ev.Op, ev.Value.(*rsBook).Title, ev.AtFlush))
		return nil
	})()
	defer orm.OnRemove[rsAuthor]("Books", func(ctx context.Context, s *orm.Session, a *rsAuthor, ev orm.AttributeEvent) error {
		evs = append(evs, fmt.Sprintf("%s %s %v", ev.Op, ev.Value.(*rsBook).Title, ev.AtFlush))
		return nil
	})()
	s := orm.NewSession(reg, e)
	defer s.Close()
	a := &rsAuthor{Name: "a"}
	require.NoError(t, s.Add(a))
	b1 := &rsBook{Title: "b1"}
	require.NoError(t, a.Books.Append(b1))
	assert.Same(t, a, b1.Author, "back_populates at once")
	assert.Equal(t, orm.Pending, s.StateOf(b1), "save-update cascade at once")
	assert.Equal(t, []string{"append b1 false"}, evs)
	require.NoError(t, s.Commit(ctx))
	assert.Equal(t, a.ID, b1.AuthorID)

	s2 := orm.NewSession(reg, e)
	defer s2.Close()
	a2, err := orm.Get[rsAuthor](ctx, s2, a.ID)
	require.NoError(t, err)
	assert.False(t, a2.Books.Loaded())
	books, err := a2.Books.Items(ctx)
	require.NoError(t, err)
	require.Len(t, books, 1)
	assert.True(t, a2.Books.Loaded())
	assert.True(t, s2.IsLoaded(a2, "Books"))
	evs = nil
	require.NoError(t, a2.Books.Remove(books[0]))
	assert.Nil(t, books[0].Author)
	assert.Equal(t, []string{"remove b1 false"}, evs)
	require.NoError(t, s2.Flush(ctx))
	n, err := orm.Select[rsBook](s2).Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "delete-orphan")
	_, err = a2.Raise.Items(ctx)
	assert.ErrorContains(t, err, `rsAuthor.Raise is not available due to lazy="raise"`)
}

// TestRelAfterCommit: commit expires relationships (they load again),
// and an object the session wrote into an unloaded relationship can be
// removed from it.
func TestRelAfterCommit(t *testing.T) {
	ctx := context.Background()
	reg, e, stmts := relEnv(t)
	a := orm.NewSession(reg, e)
	defer a.Close()
	u := &rsUser{Name: "u", Addresses: []*rsAddress{{Email: "x"}}}
	require.NoError(t, a.Add(u))
	require.NoError(t, a.Commit(ctx))
	assert.False(t, a.IsLoaded(u, "Addresses"), "commit expires relationships")

	b := orm.NewSession(reg, e)
	defer b.Close()
	ub, err := orm.Get[rsUser](ctx, b, u.ID)
	require.NoError(t, err)
	ub.Addresses = []*rsAddress{{Email: "y"}} // an addition to an unloaded collection
	require.NoError(t, b.Commit(ctx))

	require.NoError(t, a.LoadRelationship(ctx, u, "Addresses"))
	assert.Len(t, u.Addresses, 2, "loaded again after commit")
	require.NoError(t, a.Rollback(ctx)) // one SQLite connection: free it for b

	// in b the relationship is unloaded, but b wrote "y": removing it is
	// a known removal (delete-orphan)
	require.False(t, b.IsLoaded(ub, "Addresses"))
	ub.Addresses = nil
	*stmts = nil
	require.NoError(t, b.Flush(ctx))
	assert.Equal(t, []string{"DELETE rs_addresses"}, *stmts)
}

type rsArticle struct {
	ID       int64                        `orm:"pk"`
	Title    string                       `orm:"type:varchar(30)"`
	Keywords collections.Set[rsKeyword]   `orm:"rel;secondary:rs_article_keywords;back_populates:Articles"`
	Notes    collections.List[rsNoteItem] `orm:"rel;cascade:all,delete-orphan;ordering:Position"`
}

func (rsArticle) TableName() string { return "rs_articles" }

type rsKeyword struct {
	ID       int64        `orm:"pk"`
	Word     string       `orm:"type:varchar(30)"`
	Articles []*rsArticle `orm:"rel;secondary:rs_article_keywords;back_populates:Keywords"`
}

func (rsKeyword) TableName() string { return "rs_keywords" }

type rsNoteItem struct {
	ID        int64  `orm:"pk"`
	ArticleID int64  `orm:"fk:rs_articles.id"`
	Position  int    `orm:""`
	Text      string `orm:"type:varchar(30)"`
}

func (rsNoteItem) TableName() string { return "rs_note_items" }

// TestRelInstrumentedSet: an instrumented set on a many-to-many and an
// instrumented list as an ordering list.
func TestRelInstrumentedSet(t *testing.T) {
	ctx := context.Background()
	md := core.NewMetaData()
	md.MustTable("rs_article_keywords",
		core.Col("article_id", core.BigInteger{}, core.PrimaryKey(), core.References("rs_articles.id")),
		core.Col("keyword_id", core.BigInteger{}, core.PrimaryKey(), core.References("rs_keywords.id")))
	reg := registry.New(registry.WithMetaData(md))
	reg.MustRegister(&rsArticle{}, &rsKeyword{}, &rsNoteItem{})
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	s := orm.NewSession(reg, e)
	defer s.Close()
	a := &rsArticle{Title: "a"}
	require.NoError(t, s.Add(a))
	k1, k2 := &rsKeyword{Word: "k1"}, &rsKeyword{Word: "k2"}
	require.NoError(t, a.Keywords.Add(k1, k2))
	assert.Equal(t, []*rsArticle{a}, k1.Articles, "the plain side updated at once")
	n1, n2 := &rsNoteItem{Text: "n1"}, &rsNoteItem{Text: "n2"}
	require.NoError(t, a.Notes.Append(n2, n1))
	require.NoError(t, s.Commit(ctx))
	assert.Equal(t, []int{0, 1}, []int{n2.Position, n1.Position})

	s2 := orm.NewSession(reg, e)
	defer s2.Close()
	a2, err := orm.Get[rsArticle](ctx, s2, a.ID)
	require.NoError(t, err)
	kws, err := a2.Keywords.Items(ctx)
	require.NoError(t, err)
	require.Len(t, kws, 2)
	notes, err := a2.Notes.Items(ctx)
	require.NoError(t, err)
	assert.Equal(t, "n2", notes[0].Text, "ordered by position")
	require.NoError(t, a2.Keywords.Remove(kws[0]))
	require.NoError(t, a2.Notes.Replace(ctx, []*rsNoteItem{notes[1], notes[0]}))
	require.NoError(t, s2.Commit(ctx))
	sec, _ := md.Table("rs_article_keywords")
	r, err := e.Execute(ctx, core.Select(core.Count()).From(sec))
	require.NoError(t, err)
	nk, err := r.Scalar()
	require.NoError(t, err)
	assert.EqualValues(t, 1, nk)
	assert.Equal(t, []int{1, 0}, []int{notes[0].Position, notes[1].Position})
}

type rsBox struct {
	ID    int64      `orm:"pk"`
	Items []*rsThing `orm:"rel;secondary:rs_box_things;cascade:all,delete-orphan;single_parent"`
}

func (rsBox) TableName() string { return "rs_boxes" }

type rsThing struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(20)"`
}

func (rsThing) TableName() string { return "rs_things" }

// TestRelManyToManyCascades: delete and delete-orphan (single_parent) on a
// many-to-many delete the targets after their secondary rows.
func TestRelManyToManyCascades(t *testing.T) {
	ctx := context.Background()
	md := core.NewMetaData()
	md.MustTable("rs_box_things",
		core.Col("box_id", core.BigInteger{}, core.PrimaryKey(), core.References("rs_boxes.id")),
		core.Col("thing_id", core.BigInteger{}, core.PrimaryKey(), core.References("rs_things.id")))
	reg := registry.New(registry.WithMetaData(md))
	reg.MustRegister(&rsBox{}, &rsThing{})
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	var stmts []string
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, strings.Fields(stmt.SQL)[0]+" "+tableOf(stmt.SQL))
		return nil
	})
	s := orm.NewSession(reg, e)
	defer s.Close()
	b := &rsBox{Items: []*rsThing{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	require.NoError(t, s.Add(b))
	require.NoError(t, s.Flush(ctx))
	stmts = nil
	b.Items = b.Items[1:] // "a" is an orphan
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, []string{"DELETE rs_box_things", "DELETE rs_things"}, stmts)
	stmts = nil
	require.NoError(t, s.Delete(b))
	require.NoError(t, s.Flush(ctx))
	// (an executemany of the two secondary rows runs row by row while a
	// before-execute listener is registered)
	assert.Equal(t, []string{"DELETE rs_box_things", "DELETE rs_box_things", "DELETE rs_things", "DELETE rs_boxes"}, stmts)
	n, err := orm.Select[rsThing](s).Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
}

type rsRaiseParent struct {
	ID   int64         `orm:"pk"`
	Kids []*rsRaiseKid `orm:"rel;lazy:raise_on_sql;back_populates:Dad"`
}

func (rsRaiseParent) TableName() string { return "rs_raise_parents" }

type rsRaiseKid struct {
	ID    int64          `orm:"pk"`
	DadID int64          `orm:"fk:rs_raise_parents.id"`
	Dad   *rsRaiseParent `orm:"rel;lazy:raise_on_sql;back_populates:Kids"`
}

func (rsRaiseKid) TableName() string { return "rs_raise_kids" }

// TestRelRaiseOnSQL: raise_on_sql refuses a load that needs SQL and
// allows a many-to-one found in the identity map.
func TestRelRaiseOnSQL(t *testing.T) {
	ctx := context.Background()
	reg := registry.New()
	reg.MustRegister(&rsRaiseParent{}, &rsRaiseKid{})
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	s := orm.NewSession(reg, e)
	defer s.Close()
	p := &rsRaiseParent{Kids: []*rsRaiseKid{{}}}
	require.NoError(t, s.Add(p))
	require.NoError(t, s.Commit(ctx))
	s2 := orm.NewSession(reg, e)
	defer s2.Close()
	p2, err := orm.Get[rsRaiseParent](ctx, s2, p.ID)
	require.NoError(t, err)
	assert.ErrorContains(t, s2.LoadRelationship(ctx, p2, "Kids"), `rsRaiseParent.Kids is not available due to lazy="raise_on_sql"`)
	k2, err := orm.Get[rsRaiseKid](ctx, s2, p.Kids[0].ID)
	require.NoError(t, err)
	require.NoError(t, s2.LoadRelationship(ctx, k2, "Dad"), "found in the identity map: no SQL needed")
	assert.Same(t, p2, k2.Dad)
	require.NoError(t, s2.Expunge(p2))
	k2b := k2
	require.NoError(t, s2.Expire(k2b))
	assert.ErrorContains(t, s2.LoadRelationship(ctx, k2b, "Dad"), `raise_on_sql`)
}

// TestRelLargeCollection: a collection longer than the scan threshold is
// diffed through the map index: one removal, one addition.
func TestRelLargeCollection(t *testing.T) {
	ctx := context.Background()
	reg, e, stmts := relEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	u := &rsUser{Name: "big"}
	for i := 0; i < 50; i++ {
		u.Addresses = append(u.Addresses, &rsAddress{Email: fmt.Sprint(i)})
	}
	require.NoError(t, s.Add(u))
	require.NoError(t, s.Flush(ctx))
	gone := u.Addresses[17]
	u.Addresses = append(u.Addresses[:17:17], u.Addresses[18:]...)
	u.Addresses = append(u.Addresses, &rsAddress{Email: "new"})
	*stmts = nil
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, []string{"INSERT rs_addresses", "DELETE rs_addresses"}, *stmts)
	assert.Equal(t, orm.Deleted, s.StateOf(gone))
	assert.Len(t, u.Addresses, 50)
}

// A closed session's objects become garbage at the next collection once
// the program drops them: nothing the next sessions reuse (pooled maps,
// slabs) keeps them, or the objects they point to, alive.
func TestClosedSessionObjectsAreCollected(t *testing.T) {
	ctx := context.Background()
	reg, e, _ := relEnv(t)
	s := orm.NewSession(reg, e)
	for i := range 3 {
		u := &rsUser{Name: fmt.Sprint("u", i)}
		for k := range 4 {
			u.Addresses = append(u.Addresses, &rsAddress{Email: fmt.Sprint("a", i, k)})
		}
		require.NoError(t, s.Add(u))
	}
	require.NoError(t, s.Commit(ctx))
	require.NoError(t, s.Close())

	load := func() (weak.Pointer[rsUser], weak.Pointer[rsAddress]) {
		s := orm.NewSession(reg, e)
		defer s.Close()
		users, err := orm.Select[rsUser](s).All(ctx)
		require.NoError(t, err)
		require.NoError(t, orm.LoadRelated(ctx, s, users, "Addresses"))
		require.Len(t, users, 3)
		require.Len(t, users[2].Addresses, 4)
		return weak.Make(users[2]), weak.Make(users[2].Addresses[3])
	}
	wu, wa := load()
	// the next session takes what the closed one left for reuse
	s2 := orm.NewSession(reg, e)
	defer s2.Close()
	_, err := orm.Select[rsUser](s2).Limit(1).All(ctx)
	require.NoError(t, err)
	runtime.GC()
	assert.Nil(t, wu.Value(), "a loaded object outlived its session")
	assert.Nil(t, wa.Value(), "a related object outlived its session")
}
