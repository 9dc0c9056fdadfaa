package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// TestQueryChainedJoins: joins along a path of relationships, by dotted
// name and by probe field address, and their mistakes.
func TestQueryChainedJoins(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		// users whose orders hold product 4: items 4, 8, 12, 16, 20 are in
		// orders 2, 4, 6, 8, 10, one per user
		want := []int64{1, 2, 3, 4, 5}
		ids := func(us []*User) []int64 {
			var out []int64
			for _, u := range us {
				out = append(out, u.ID)
			}
			return out
		}
		const joined = "FROM users JOIN orders ON users.id = orders.user_id JOIN order_items ON orders.id = order_items.order_id WHERE order_items.product_id = ?"

		t.Run("dotted path", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).Join("Orders.Items").Where(f.items.C("product_id").Eq(4)).
				OrderBy(f.users.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, want, ids(us))
			got := sqlOf(f.rec)
			require.Len(t, got, 1)
			assert.Contains(t, got[0], joined)
		})

		t.Run("probe field addresses", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, o := registry.Probe[User](), registry.Probe[Order]()
			us, err := orm.Select[User](s).Join(&u.Orders).Join(&o.Items).Where(f.items.C("product_id").Eq(4)).
				OrderBy(f.users.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, want, ids(us))
			assert.Contains(t, sqlOf(f.rec)[0], joined)
		})

		t.Run("contains_eager along the path", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).Join("Orders").Join("Items").Where(f.items.C("product_id").Eq(4)).
				OrderBy(f.users.C("id")).
				Options(loading.ContainsEager("Orders").ContainsEager("Items")).All(bg)
			require.NoError(t, err)
			require.Len(t, us, 5)
			for _, u := range us {
				require.Len(t, u.Orders, 1, "only the order the filter kept")
				require.Len(t, u.Orders[0].Items, 1)
				assert.Equal(t, int64(4), u.Orders[0].Items[0].ProductID)
			}
			assert.Len(t, sqlOf(f.rec), 1)
		})

		t.Run("mistakes", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			// a relationship of an entity the query does not have
			_, err := orm.Select[User](s).Join(&registry.Probe[Order]().Items).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "the query has no Order to join from")
			// a step that names no relationship
			_, err = orm.Select[User](s).Join("Orders.Itemz").All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Itemz")
			// an alias of another table
			_, err = orm.Select[User](s).JoinAlias("Orders", f.items.Alias("x")).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "the alias is of table order_items, not of Order's table orders")
			assert.Empty(t, sqlOf(f.rec), "no SQL for a mistake")
		})
	})
}
