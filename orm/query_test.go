package orm_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/hybrid"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// The query layer on SQLite: SQL-expression attributes, deferred columns
// loaded on demand, and the loading of column options. The scenario suites
// across backends are in tests/loading.

type qUser struct {
	ID        int64       `orm:"pk"`
	Name      string      `orm:"type:varchar(30)"`
	Bio       string      `orm:"deferred:profile"`
	Secret    string      `orm:"type:varchar(30)"`
	Addresses []*qAddress `orm:"rel;back_populates:User;order_by:ID"`
	NAddr     int         `orm:"column_property"`
	Score     int64       `orm:"query_expression"`
}

func (qUser) TableName() string { return "q_users" }

// qNameLen is a hybrid: the name's length, in Go and in SQL.
var qNameLen = &hybrid.Property[qUser, int64]{
	Name: "NameLen",
	Get:  func(u *qUser) int64 { return int64(len(u.Name)) },
	Expr: func(c *hybrid.Cols) core.Expr { return core.CharLength(c.C("Name")) },
}

func (qUser) Hybrids() []hybrid.Attr { return []hybrid.Attr{qNameLen} }

func (qUser) ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr {
	a, _ := md.Table("q_addresses")
	// correlated to the users table only, so that a query joining the
	// addresses keeps them in the subquery (SQLAlchemy's correlate_except)
	return map[string]core.Expr{"NAddr": core.Select(core.Count()).From(a).Where(a.C("user_id").Eq(self.C("id"))).Correlate(self).ScalarSubquery()}
}

type qAddress struct {
	ID     int64  `orm:"pk"`
	Email  string `orm:"type:varchar(50)"`
	UserID int64  `orm:"fk:q_users.id"`
	User   *qUser `orm:"rel;back_populates:Addresses"`
}

func (qAddress) TableName() string { return "q_addresses" }

type qEnv struct {
	reg   *registry.Registry
	e     *core.Engine
	stmts []string
	users *core.Table
	addrs *core.Table
}

func newQEnv(t *testing.T) *qEnv {
	t.Helper()
	ctx := context.Background()
	v := &qEnv{reg: registry.New()}
	require.NoError(t, v.reg.Register(&qUser{}, &qAddress{}))
	require.NoError(t, v.reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	v.e = e
	require.NoError(t, e.CreateAll(ctx, v.reg.MetaData(), false))
	v.users, _ = v.reg.MetaData().Table("q_users")
	v.addrs, _ = v.reg.MetaData().Table("q_addresses")
	s := orm.NewSession(v.reg, e)
	for k := 1; k <= 3; k++ {
		u := &qUser{Name: fmt.Sprint("u", k), Bio: fmt.Sprint("bio", k), Secret: "s"}
		for j := 0; j < k; j++ {
			u.Addresses = append(u.Addresses, &qAddress{Email: fmt.Sprintf("u%d_%d@x", k, j)})
		}
		require.NoError(t, s.Add(u))
	}
	require.NoError(t, s.Commit(ctx))
	require.NoError(t, s.Close())
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		v.stmts = append(v.stmts, stmt.SQL)
		return nil
	})
	return v
}

func (v *qEnv) take() []string {
	s := v.stmts
	v.stmts = nil
	return s
}

func TestColumnPropertyAndQueryExpression(t *testing.T) {
	v := newQEnv(t)
	ctx := context.Background()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	us, err := orm.Select[qUser](s).OrderBy(v.users.C("id")).All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 3)
	for i, u := range us {
		assert.Equal(t, i+1, u.NAddr, "the column_property is loaded with the row")
		assert.Zero(t, u.Score, "a query_expression stays unloaded without WithExpression")
		assert.Empty(t, u.Bio, "the deferred column is not loaded")
	}
	q := v.take()
	require.Len(t, q, 1)
	assert.Contains(t, q[0], "(SELECT count(*)")
	assert.NotContains(t, q[0], "bio")

	// with_expression, in a new session (the identity map keeps objects;
	// SQLite's in-memory engine has one connection)
	require.NoError(t, s.Close())
	s2 := orm.NewSession(v.reg, v.e)
	defer s2.Close()
	us, err = orm.Select[qUser](s2).OrderBy(v.users.C("id")).
		Options(loading.WithExpression("Score", v.users.C("id").Mul(10))).All(ctx)
	require.NoError(t, err)
	for i, u := range us {
		assert.Equal(t, int64(10*(i+1)), u.Score)
	}
	// a column_property changes nothing at flush
	us[0].NAddr = 99
	v.take()
	require.NoError(t, s2.Flush(ctx))
	assert.Empty(t, v.take(), "a read-only attribute is not written")

	// a WithExpression naming a column is an error naming it
	_, err = orm.Select[qUser](s2).Options(loading.WithExpression("Name", v.users.C("id"))).All(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "qUser.Name is not a query_expression attribute")
}

func TestDeferredColumnsLoadOnRequest(t *testing.T) {
	v := newQEnv(t)
	ctx := context.Background()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	us, err := orm.Select[qUser](s).OrderBy(v.users.C("id")).Options(loading.LoadOnly("Name")).All(ctx)
	require.NoError(t, err)
	q := v.take()
	require.Len(t, q, 1)
	assert.True(t, strings.HasPrefix(q[0], "SELECT q_users.id, q_users.name, (SELECT count(*)"), q[0])
	u := us[0]
	assert.False(t, s.IsLoaded(u, "Secret"))
	assert.False(t, s.IsLoaded(u, "Bio"))
	assert.True(t, s.IsLoaded(u, "Name"))
	assert.Empty(t, u.Secret)

	// an explicit load of the deferred columns: one SELECT by key
	require.NoError(t, s.LoadColumns(ctx, u, "Secret", "Bio"))
	q = v.take()
	require.Len(t, q, 1)
	assert.Equal(t, "SELECT q_users.secret, q_users.bio \nFROM q_users \nWHERE q_users.id = ?", q[0])
	assert.Equal(t, "s", u.Secret)
	assert.Equal(t, "bio1", u.Bio)
	assert.True(t, s.IsLoaded(u, "Secret"))
	assert.True(t, s.IsLoaded(u, "Bio"))
	// loaded columns are not reloaded, and the object is clean
	require.NoError(t, s.LoadColumns(ctx, u, "Secret"))
	assert.Empty(t, v.take())
	require.NoError(t, s.Flush(ctx))
	assert.Empty(t, v.take())

	// a change to an unloaded column is written
	u2 := us[1]
	u2.Secret = "new"
	require.NoError(t, s.Flush(ctx))
	q = v.take()
	require.Len(t, q, 1)
	assert.Equal(t, "UPDATE q_users SET secret=? WHERE q_users.id = ?", q[0])

	// DeferRaise makes the later load an error naming the attribute
	require.NoError(t, s.Close())
	s2 := orm.NewSession(v.reg, v.e)
	defer s2.Close()
	us, err = orm.Select[qUser](s2).Options(loading.DeferRaise("Secret")).All(ctx)
	require.NoError(t, err)
	err = s2.LoadColumns(ctx, us[0], "Secret")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `qUser.Secret is not available due to raiseload`)

	// unknown names are errors with a hint
	err = s2.LoadColumns(ctx, us[0], "Secrte")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `did you mean "Secret"`)
}

type qAuthor struct {
	ID    int64                        `orm:"pk"`
	Name  string                       `orm:"type:varchar(30)"`
	Books collections.WriteOnly[qBook] `orm:"rel;back_populates:Author;order_by:ID"`
}

func (qAuthor) TableName() string { return "q_authors" }

type qBook struct {
	ID       int64    `orm:"pk"`
	AuthorID *int64   `orm:"fk:q_authors.id"`
	Title    string   `orm:"type:varchar(30)"`
	Author   *qAuthor `orm:"rel;back_populates:Books"`
}

func (qBook) TableName() string { return "q_books" }

func TestQueryShapes(t *testing.T) {
	v := newQEnv(t)
	ctx := context.Background()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()

	// an aliased entity: a self-join's second copy
	u2 := v.users.Alias("u2")
	us, err := orm.Select[qUser](s).From(u2).Where(u2.C("name").Eq("u2")).All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 1)
	assert.Equal(t, "u2", us[0].Name)
	q := v.take()
	assert.Contains(t, q[0], "FROM q_users AS u2 \nWHERE u2.name = ?")

	// the same row, the same pointer, whatever it was read through
	again, err := orm.Get[qUser](ctx, s, us[0].ID)
	require.NoError(t, err)
	assert.Same(t, us[0], again)

	// entities from a subquery and from a UNION
	sub := core.Select(v.users.Columns()[0], v.users.Columns()[1], v.users.Columns()[2], v.users.Columns()[3]).
		From(v.users).Where(v.users.C("id").Gt(1)).Subquery("")
	us, err = orm.Select[qUser](s).From(sub).OrderBy(sub.C("id")).All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 2)
	assert.Equal(t, "u2", us[0].Name)
	un := core.Select(v.users.C("id"), v.users.C("name"), v.users.C("secret")).From(v.users).Where(v.users.C("id").Eq(1)).
		UnionAll(core.Select(v.users.C("id"), v.users.C("name"), v.users.C("secret")).From(v.users).Where(v.users.C("id").Eq(3))).Subquery("")
	us, err = orm.Select[qUser](s).From(un).OrderBy(un.C("id")).All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 2)
	assert.Equal(t, []int64{1, 3}, []int64{us[0].ID, us[1].ID})
	// a FROM element without the entity's columns is an error naming one
	_, err = orm.Select[qUser](s).From(core.Select(v.users.C("id")).From(v.users).Subquery("")).All(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has no column for qUser.Name")

	// a textual statement, matched by column name
	v.take()
	us, err = orm.Select[qUser](s).FromStatement(core.Raw("SELECT name, id FROM q_users WHERE id < 3 ORDER BY id", nil)).All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 2)
	assert.Equal(t, "u1", us[0].Name)
	_, err = orm.Select[qUser](s).FromStatement(core.Raw("SELECT name FROM q_users", nil)).All(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "primary key column id")

	// two entities per row
	rows, err := orm.Select2[qUser, qAddress](s).Join("Addresses").OrderBy(v.addrs.C("id")).All(ctx)
	require.NoError(t, err)
	require.Len(t, rows, 6)
	assert.Equal(t, "u1", rows[0].A.Name)
	assert.Equal(t, "u3", rows[5].A.Name)
	assert.Same(t, rows[4].A, rows[5].A, "the identity map holds one object per row")
	assert.Equal(t, "u3_2@x", rows[5].B.Email)

	// any / has / with_parent
	v.take()
	us, err = orm.Select[qUser](s).Where(orm.Any[qUser](s, "Addresses", v.addrs.C("email").Like("u2_%"))).All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 1)
	assert.Contains(t, v.take()[0], "EXISTS (SELECT 1 \nFROM q_addresses \nWHERE q_users.id = q_addresses.user_id AND q_addresses.email LIKE ?)")
	as, err := orm.Select[qAddress](s).Where(orm.Has[qAddress](s, "User", v.users.C("name").Eq("u3"))).All(ctx)
	require.NoError(t, err)
	assert.Len(t, as, 3)
	as, err = orm.Select[qAddress](s).Where(orm.WithParent(s, us[0], "Addresses")).All(ctx)
	require.NoError(t, err)
	assert.Len(t, as, 2)
	_, err = orm.Select[qUser](s).Where(orm.Any[qUser](s, "Adresses")).All(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Adresses")

	// Get through a query with options
	s.ExpungeAll()
	u, err := orm.Select[qUser](s).Options(loading.SelectInLoad("Addresses")).Get(ctx, 3)
	require.NoError(t, err)
	assert.True(t, s.IsLoaded(u, "Addresses"))
	assert.Len(t, u.Addresses, 3)
	_, err = orm.Select[qUser](s).Get(ctx, 99)
	assert.ErrorIs(t, err, core.ErrNoResultFound)
}

func TestWriteOnlyCollection(t *testing.T) {
	ctx := context.Background()
	reg := registry.New()
	require.NoError(t, reg.Register(&qAuthor{}, &qBook{}))
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	var stmts []string
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, stmt.SQL)
		return nil
	})
	books, _ := reg.MetaData().Table("q_books")

	s := orm.NewSession(reg, e)
	defer s.Close()
	a := &qAuthor{Name: "ann"}
	b1, b2, b3 := &qBook{Title: "one"}, &qBook{Title: "two"}, &qBook{Title: "three"}
	require.NoError(t, a.Books.Add(b1, b2, b3))
	require.NoError(t, s.Add(a))
	require.NoError(t, s.Commit(ctx))
	require.NotNil(t, b1.AuthorID)
	assert.Equal(t, a.ID, *b1.AuthorID)
	added, removed := a.Books.Pending()
	assert.Empty(t, added, "written: nothing pending")
	assert.Empty(t, removed)

	// query, count and page it without loading it
	n, err := orm.Related[qBook](s, a, "Books").Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
	stmts = nil
	page, err := orm.Related[qBook](s, a, "Books").Limit(2).All(ctx)
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, "one", page[0].Title, "ordered by the relationship's order_by")
	assert.Contains(t, stmts[0], "WHERE q_books.author_id = ? ORDER BY q_books.id")
	assert.False(t, s.IsLoaded(a, "Books"))
	err = s.LoadRelationship(ctx, a, "Books")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "write_only")
	_, err = orm.Select[qAuthor](s).Options(loading.SelectInLoad("Books")).All(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "qAuthor.Books is a write_only relationship")

	// a removal sets the foreign key NULL at the next flush
	require.NoError(t, a.Books.Remove(page[1]))
	stmts = nil
	require.NoError(t, s.Flush(ctx))
	require.Len(t, stmts, 1)
	assert.Equal(t, "UPDATE q_books SET author_id=? WHERE q_books.id = ?", stmts[0])
	assert.Nil(t, page[1].AuthorID)
	n, err = orm.Related[qBook](s, a, "Books").Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	// an addition after a load is one INSERT with the key set
	require.NoError(t, a.Books.Add(&qBook{Title: "four"}))
	stmts = nil
	require.NoError(t, s.Flush(ctx))
	require.Len(t, stmts, 1)
	assert.Contains(t, stmts[0], "INSERT INTO q_books")
	res, err := s.Execute(ctx, core.Select(core.Count()).From(books).Where(books.C("author_id").Eq(a.ID)))
	require.NoError(t, err)
	cnt, err := core.ScalarOne[int64](res)
	require.NoError(t, err)
	assert.Equal(t, int64(3), cnt)
}

func TestHybridsInQueries(t *testing.T) {
	v := newQEnv(t)
	ctx := context.Background()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	m, err := v.reg.Mapper(&qUser{})
	require.NoError(t, err)
	nameLen, err := m.HybridSQL("NameLen")
	require.NoError(t, err)
	// in WHERE and ORDER BY, and loaded into a query_expression field
	s2 := orm.Select[qUser](s).Where(nameLen.Ge(2)).OrderBy(nameLen, v.users.C("id")).
		Options(loading.WithExpression("Score", nameLen))
	us, err := s2.All(ctx)
	require.NoError(t, err)
	require.Len(t, us, 3)
	for _, u := range us {
		assert.Equal(t, qNameLen.Get(u), u.Score, "the SQL form agrees with the Go form")
	}
	st, err := s2.Statement()
	require.NoError(t, err)
	sql := st.String()
	assert.Contains(t, sql, "char_length(q_users.name) AS score")
	assert.Contains(t, sql, "WHERE char_length(q_users.name) >= ")
}

func TestColumnSelects(t *testing.T) {
	v := newQEnv(t)
	ctx := context.Background()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	names, err := orm.Scalars[string](ctx, s, core.Select(v.users.C("name")).From(v.users).OrderBy(v.users.C("id")))
	require.NoError(t, err)
	assert.Equal(t, []string{"u1", "u2", "u3"}, names)
	type nameCount struct {
		Name string
		N    int64
	}
	rows, err := orm.Rows[nameCount](ctx, s, core.Select(v.users.C("name"), core.Count(v.addrs.C("id")).Label("n")).
		From(v.users).Join(v.addrs, v.addrs.C("user_id").Eq(v.users.C("id"))).GroupBy(v.users.C("name")).OrderBy(v.users.C("name")))
	require.NoError(t, err)
	assert.Equal(t, []nameCount{{"u1", 1}, {"u2", 2}, {"u3", 3}}, rows)
	// a pending change is flushed first
	u, err := orm.Get[qUser](ctx, s, 1)
	require.NoError(t, err)
	u.Name = "x1"
	names, err = orm.Scalars[string](ctx, s, core.Select(v.users.C("name")).From(v.users).Where(v.users.C("id").Eq(1)))
	require.NoError(t, err)
	assert.Equal(t, []string{"x1"}, names)
}
