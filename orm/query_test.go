package orm_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
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

func (qUser) ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr {
	a, _ := md.Table("q_addresses")
	return map[string]core.Expr{"NAddr": core.Select(core.Count()).From(a).Where(a.C("user_id").Eq(self.C("id"))).ScalarSubquery()}
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
