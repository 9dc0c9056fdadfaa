package relationship_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
	"github.com/retort-orm/retort/relationship"
)

// Live models: their own table names, so that runs on a shared server do
// not meet other packages' tables.

type apUser struct {
	ID        int64        `orm:"pk"`
	Name      string       `orm:"type:varchar(30)"`
	Addresses []*apAddress `orm:"rel;back_populates:User;order_by:ID"`
}

func (apUser) TableName() string { return "ap_users" }

type apAddress struct {
	ID     int64   `orm:"pk"`
	Email  string  `orm:"type:varchar(50)"`
	UserID int64   `orm:"fk:ap_users.id"`
	User   *apUser `orm:"rel;back_populates:Addresses"`
}

func (apAddress) TableName() string { return "ap_addresses" }

var (
	apEmails   = relationship.MustProxy[apUser]("Addresses", func(a *apAddress) *string { return &a.Email })
	apUserName = relationship.MustScalarProxy[apAddress]("User", func(u *apUser) *string { return &u.Name })
)

// TestLive filters users with the proxy's SQL form and reads the proxy
// after loading the relationship, on every reachable backend.
func TestLive(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		ctx := context.Background()
		e, err := core.CreateEngine(testdb.EngineURL(t, b))
		require.NoError(t, err)
		defer e.Close()
		reg := registry.New()
		reg.MustRegister(&apUser{}, &apAddress{})
		require.NoError(t, reg.Configure())
		md := reg.MetaData()
		require.NoError(t, e.DropAll(ctx, md, true))
		require.NoError(t, e.CreateAll(ctx, md, false))
		defer func() { _ = e.DropAll(context.Background(), md, true) }()

		s := orm.NewSession(reg, e)
		defer s.Close()
		u1, u2, u3 := &apUser{Name: "u1"}, &apUser{Name: "u2"}, &apUser{Name: "u3"}
		require.NoError(t, apEmails.Append(u1, "u1a@example.com", "u1b@other.org"))
		require.NoError(t, apEmails.Append(u2, "u2a@example.com"))
		for _, u := range []*apUser{u1, u2, u3} {
			require.NoError(t, s.Add(u))
		}
		require.NoError(t, s.Commit(ctx))

		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		ids := func(q *orm.Query[apUser]) []string {
			t.Helper()
			us, err := q.All(ctx)
			require.NoError(t, err)
			var names []string
			for _, u := range us {
				names = append(names, u.Name)
			}
			return names
		}
		users := mapper[apUser](t, reg).Table()
		q := func(w core.Expr) *orm.Query[apUser] {
			return orm.Select[apUser](s2).Where(w).OrderBy(users.C("id"))
		}
		c := apEmails.SQL(reg)
		require.NoError(t, c.Err())
		col, err := c.Column()
		require.NoError(t, err)
		assert.Equal(t, []string{"u1", "u2"}, ids(q(c.Any())))
		assert.Equal(t, []string{"u3"}, ids(q(core.Not(c.Any()))))
		assert.Equal(t, []string{"u1"}, ids(q(c.Any(col.Like("%other%")))))
		assert.Equal(t, []string{"u2"}, ids(q(c.Includes("u2a@example.com"))))
		assert.Equal(t, []string{"u2"}, ids(q(c.Eq("u2a@example.com"))))
		// the trap: Contains is LIKE '%v%', so a fragment matches
		assert.Equal(t, []string{"u1", "u2"}, ids(q(c.Contains("@example"))))
		assert.Empty(t, ids(q(c.Includes("@example"))))
		anyAddr, err := relationship.Any(mapper[apUser](t, reg), "Addresses", col.Eq("u1b@other.org"))
		require.NoError(t, err)
		assert.Equal(t, []string{"u1"}, ids(q(anyAddr)))

		// scalar proxy: addresses of u2
		addrs, err := orm.Select[apAddress](s2).Where(apUserName.SQL(reg).Eq("u2")).All(ctx)
		require.NoError(t, err)
		require.Len(t, addrs, 1)
		assert.Equal(t, "u2a@example.com", addrs[0].Email)

		// the instance form reads what the program loaded
		all := must2(orm.Select[apUser](s2).OrderBy(users.C("id")).All(ctx))(t)
		require.NoError(t, orm.LoadRelated(ctx, s2, all, "Addresses"))
		require.Len(t, all, 3)
		assert.Equal(t, []string{"u1a@example.com", "u1b@other.org"}, apEmails.Get(all[0]))
		assert.Equal(t, []string{"u2a@example.com"}, apEmails.Get(all[1]))
		assert.Empty(t, apEmails.Get(all[2]))

		// and its changes are flushed like any change to the collection
		require.NoError(t, apEmails.Append(all[2], "u3a@example.com"))
		require.NoError(t, s2.Commit(ctx))
		s3 := orm.NewSession(reg, e)
		defer s3.Close()
		got, err := orm.Select[apUser](s3).Where(apEmails.SQL(reg).Includes("u3a@example.com")).All(ctx)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, "u3", got[0].Name)
	})
}

func must2[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		require.NoError(t, err)
		return v
	}
}
