package mapping_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/registry"
)

// UserEmail is mapped onto user_account JOIN address.
type UserEmail struct {
	UserID       int    `orm:"column:user_account.id"`
	AddressID    int    `orm:"pk;column:address.id"`
	Name         string `orm:"type:varchar(30)"`
	EmailAddress string `orm:"type:varchar(100)"`
}

// UserStats is mapped onto a select with an aggregate.
type UserStats struct {
	ID           int `orm:"pk"`
	Name         string
	AddressCount int
}

func TestMapSelectableJoin(t *testing.T) {
	reg := configured(t, registry.New(), &User{}, &Address{})
	users, addrs := mustMapper[User](t, reg).Table(), mustMapper[Address](t, reg).Table()
	j, err := core.NewJoin(users, addrs, nil, core.InnerJoin)
	require.NoError(t, err)
	m, err := reg.MapSelectable(&UserEmail{}, j)
	require.NoError(t, err)
	assert.True(t, m.ReadOnly())
	assert.Nil(t, m.Table())
	assert.Same(t, j, m.From())
	assert.Equal(t, "Mapper[UserEmail(join(user_account, address))]", m.String())
	h, err := registry.AttrOf(m, func(u *UserEmail) *int { return &u.UserID })
	require.NoError(t, err)
	assert.Same(t, users.C("id"), h.Expr)
	email, err := registry.AttrOf(m, func(u *UserEmail) *string { return &u.EmailAddress })
	require.NoError(t, err)
	assert.Same(t, addrs.C("email_address"), email.Expr)
	require.Len(t, m.PrimaryKey(), 1)
	assert.Equal(t, "AddressID", m.PrimaryKey()[0].Name())
	_, err = m.Column("Nmae")
	assert.ErrorContains(t, err, `did you mean "Name"?`)

	// ambiguous column name
	type Ambiguous struct {
		ID   int `orm:"pk"`
		Name string
	}
	_, err = reg.MapSelectable(&Ambiguous{}, j)
	var me *declarative.MappingError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "Ambiguous", me.Struct)
	assert.Equal(t, "ID", me.Field)
	assert.Contains(t, err.Error(), "ambiguous")
	assert.Contains(t, err.Error(), "column:user_account.id")
}

func TestMapSelectableErrors(t *testing.T) {
	reg := configured(t, registry.New(), &User{}, &Address{})
	users := mustMapper[User](t, reg).Table()
	sel := core.Select(users.C("id"), users.C("name"))
	type Missing struct {
		ID    int `orm:"pk"`
		Namee string
	}
	_, err := reg.MapSelectable(&Missing{}, sel)
	assert.ErrorContains(t, err, `Missing.Namee`)
	assert.ErrorContains(t, err, `did you mean column:name?`)
	type NoPK struct {
		Name string
	}
	_, err = reg.MapSelectable(&NoPK{}, sel)
	assert.ErrorContains(t, err, "no primary key")
	_, err = reg.MapSelectable(&User{}, sel)
	assert.ErrorContains(t, err, "cannot declare relationships")
	_, err = reg.MapSelectable(&NoPK{}, users)
	assert.ErrorContains(t, err, "MapTable")
	_, err = reg.MapSelectable(&NoPK{}, 42)
	assert.ErrorContains(t, err, "cannot map onto int")
}

func TestMapSelectableSubqueryLive(t *testing.T) {
	ctx := context.Background()
	reg := configured(t, registry.New(), &User{}, &Address{})
	users, addrs := mustMapper[User](t, reg).Table(), mustMapper[Address](t, reg).Table()
	stats := core.Select(users.C("id"), users.C("name"), core.Count(addrs.C("id")).Label("address_count")).
		From(users).JoinFrom(users, addrs, nil, core.LeftJoin).GroupBy(users.C("id"), users.C("name"))
	m, err := reg.MapSelectable(&UserStats{}, stats)
	require.NoError(t, err)
	require.Len(t, m.PrimaryKey(), 1) // users.id is a primary key of its table
	assert.Equal(t, "ID", m.PrimaryKey()[0].Name())
	count := registry.MustAttrOf(m, func(s *UserStats) *int { return &s.AddressCount })

	eng, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer eng.Close()
	require.NoError(t, eng.CreateAll(ctx, reg.MetaData(), false))
	for i, n := range []string{"spongebob", "sandy", "patrick"} {
		_, err := eng.Execute(ctx, core.Insert(users).Values(map[string]any{"id": i + 1, "name": n}))
		require.NoError(t, err)
	}
	for i, uid := range []int{1, 2, 2} {
		_, err := eng.Execute(ctx, core.Insert(addrs).Values(map[string]any{"id": i + 1, "user_id": uid, "email_address": "x"}))
		require.NoError(t, err)
	}
	sub := m.From().(*core.Subquery)
	q := core.Select(sub).Where(count.Ge(1)).OrderBy(sub.C("id"))
	res, err := eng.Execute(ctx, q)
	require.NoError(t, err)
	got, err := core.ScanAll[UserStats](res)
	require.NoError(t, err)
	assert.Equal(t, []UserStats{{1, "spongebob", 1}, {2, "sandy", 2}}, got)
}
