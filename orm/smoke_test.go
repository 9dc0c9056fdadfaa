package orm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

type smokeUser struct {
	ID       int64  `orm:"pk"`
	Name     string `orm:"type:varchar(30)"`
	Fullname *string
	Version  int `orm:"version"`
}

func (smokeUser) TableName() string { return "smoke_users" }

func TestSmoke(t *testing.T) {
	ctx := context.Background()
	reg := registry.New()
	reg.MustRegister(&smokeUser{})
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
	s := orm.NewSession(reg, e)
	defer s.Close()
	fn := "Spongebob Squarepants"
	u1 := &smokeUser{Name: "spongebob", Fullname: &fn}
	u2 := &smokeUser{Name: "sandy"}
	require.NoError(t, s.AddAll(u1, u2))
	require.NoError(t, s.Flush(ctx))
	require.NotZero(t, u1.ID)
	require.Equal(t, 1, u1.Version)
	t.Log(stmts)
	stmts = nil
	require.NoError(t, s.Flush(ctx))
	require.Empty(t, stmts)
	g, err := orm.Get[smokeUser](ctx, s, u1.ID)
	require.NoError(t, err)
	require.Same(t, u1, g)
	u2.Name = "sandy cheeks"
	require.NoError(t, s.Commit(ctx))
	t.Log(stmts)
	require.Equal(t, 2, u2.Version)
	all, err := orm.Select[smokeUser](s).OrderBy(registry.MustAttr(reg, func(u *smokeUser) *int64 { return &u.ID }).Expr).All(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Same(t, u1, all[0])
	require.NoError(t, s.Delete(u1))
	require.NoError(t, s.Commit(ctx))
	require.Equal(t, orm.Transient, s.StateOf(u1))
	n, err := orm.Select[smokeUser](s).Count(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	t.Log(stmts)
}
