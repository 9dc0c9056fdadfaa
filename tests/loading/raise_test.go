package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// TestRaiseLoadWildcard: scenario 8 of the reference, raiseload("*").
func TestRaiseLoadWildcard(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		base := func(s *orm.Session) *orm.Query[User] { return orm.Select[User](s).OrderBy(f.users.C("id")) }
		raises := func(t *testing.T, err error, what string) {
			t.Helper()
			require.Error(t, err, what)
			assert.Contains(t, err.Error(), what+` is not available due to lazy="raise"`)
		}

		t.Run("every relationship", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.RaiseLoad("*")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers}, sqlOf(f.rec))
			// the reference's 8a
			raises(t, s.LoadRelationship(bg, us[0], "Addresses"), "User.Addresses")
			raises(t, s.LoadRelationship(bg, us[0], "Orders"), "User.Orders")
			raises(t, orm.LoadRelated(bg, s, us, "Orders"), "User.Orders")
			assert.Empty(t, f.rec.Take())
			assert.Equal(t, "User 1", us[0].Fullname, "columns are not affected")
		})

		t.Run("explicit option wins", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.SelectInLoad("Orders"), loading.RaiseLoad("*")).All(bg)
			require.NoError(t, err)
			// the reference's 8b
			assert.Equal(t, []string{selUsers, selOrdersIn5}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2] u2:[3 4] u3:[5 6] u4:[7 8] u5:[9 10]", orderIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Orders"))
				assert.False(t, s.IsLoaded(u, "Addresses"))
			}
			raises(t, s.LoadRelationship(bg, us[0], "Addresses"), "User.Addresses")
			// the reference raises for Order.items too: a root wildcard
			// reaches the entities the query's loaders load
			raises(t, s.LoadRelationship(bg, us[0].Orders[0], "Items"), "Order.Items")
			assert.Empty(t, f.rec.Take())
		})

		t.Run("wildcard scoped to a path", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.SelectInLoad("Orders").RaiseLoad("*")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers, selOrdersIn5}, sqlOf(f.rec))
			// the reference's 8c: the wildcard applies under Orders only
			raises(t, s.LoadRelationship(bg, us[0].Orders[0], "Items"), "Order.Items")
			require.NoError(t, s.LoadRelationship(bg, us[0], "Addresses"))
			assert.Equal(t, []string{selAddrsOf}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]", addrIDs(us[:1]))
		})

		t.Run("many-to-one", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			as, err := orm.Select[Address](s).Where(f.addrs.C("id").Eq(1)).Options(loading.RaiseLoad("User")).All(bg)
			require.NoError(t, err)
			require.Len(t, as, 1)
			f.rec.Reset()
			// the reference's 8e
			raises(t, s.LoadRelationship(bg, as[0], "User"), "Address.User")
			assert.Nil(t, as[0].User)
			assert.Empty(t, f.rec.Take())
		})
	})
}
