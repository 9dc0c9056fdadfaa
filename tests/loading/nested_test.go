package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

const (
	// User.Orders has no order_by: no ORDER BY (as the reference's 3a).
	selOrdersIn5 = "SELECT orders.id, orders.user_id, orders.description FROM orders WHERE orders.user_id IN (?, ?, ?, ?, ?)"
	selItemsIn10 = "SELECT order_items.id, order_items.order_id, order_items.product_id, order_items.qty FROM order_items WHERE order_items.order_id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ORDER BY order_items.id"
)

// selProductsIn is the selectin load of n products (many-to-one: the
// distinct foreign key values, no ORDER BY, as the reference's).
func selProductsIn(n int) string {
	return "SELECT products.id, products.name FROM products WHERE products.id " + in(n)
}

// TestNestedSelectIn: scenario 3 of the reference,
// selectinload(User.orders).selectinload(Order.items).selectinload(OrderItem.product).
func TestNestedSelectIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		base := func(s *orm.Session) *orm.Query[User] { return orm.Select[User](s).OrderBy(f.users.C("id")) }
		chain := loading.SelectInLoad("Orders").SelectInLoad("Items").SelectInLoad("Product")

		t.Run("three levels", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(chain).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers, selOrdersIn5, selItemsIn10, selProductsIn(4)}, sqlOf(f.rec), "1 + 3")
			assert.Equal(t, refOrders, ordersSummary(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Orders"))
				assert.False(t, s.IsLoaded(u, "Addresses"))
				for _, o := range u.Orders {
					assert.True(t, s.IsLoaded(o, "Items"))
					for _, it := range o.Items {
						assert.True(t, s.IsLoaded(it, "Product"))
						assert.Equal(t, it.ProductID, it.Product.ID)
					}
				}
			}
			// the four products are four objects shared by the items
			assert.Same(t, us[0].Orders[0].Items[0].Product, us[4].Orders[0].Items[0].Product)
			assert.Equal(t, 5+10+20+4, s.Len())
		})

		t.Run("probe path", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.SelectInLoad(&registry.Probe[User]().Orders).
				SelectInLoad(&registry.Probe[Order]().Items).SelectInLoad(&registry.Probe[OrderItem]().Product)).All(bg)
			require.NoError(t, err)
			assert.Len(t, f.rec.Take(), 4)
			assert.Equal(t, refOrders, ordersSummary(us))
		})

		t.Run("products 1 and 2 in the session", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			p1, err := orm.Get[Product](bg, s, int64(1))
			require.NoError(t, err)
			p2, err := orm.Get[Product](bg, s, int64(2))
			require.NoError(t, err)
			f.rec.Reset()
			us, err := base(s).Options(chain).All(bg)
			require.NoError(t, err)
			// Deliberate difference: Retort leaves out of the IN list the
			// keys whose objects the identity map holds (IN (3, 4)); the
			// reference queries all four, IN (1, 2, 3, 4) (3b).
			assert.Equal(t, []string{selUsers, selOrdersIn5, selItemsIn10, selProductsIn(2)}, sqlOf(f.rec))
			assert.Equal(t, refOrders, ordersSummary(us))
			for _, u := range us {
				for _, o := range u.Orders {
					for _, it := range o.Items {
						switch it.ProductID {
						case 1:
							assert.Same(t, p1, it.Product, "identity kept")
						case 2:
							assert.Same(t, p2, it.Product, "identity kept")
						}
					}
				}
			}
		})

		t.Run("all products in the session", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			ps, err := orm.Select[Product](s).All(bg)
			require.NoError(t, err)
			require.Len(t, ps, 4)
			f.rec.Reset()
			us, err := base(s).Options(chain).All(bg)
			require.NoError(t, err)
			// Deliberate difference: no products SELECT at all (the
			// reference's 3c still runs IN (1, 2, 3, 4)).
			assert.Equal(t, []string{selUsers, selOrdersIn5, selItemsIn10}, sqlOf(f.rec))
			assert.Equal(t, refOrders, ordersSummary(us))
		})

		t.Run("joined then selectin", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.JoinedLoad("Orders").SelectInLoad("Items")).All(bg)
			require.NoError(t, err)
			// the reference's 3e
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, orders_1.id AS id_1, orders_1.user_id, orders_1.description FROM users LEFT OUTER JOIN orders AS orders_1 ON users.id = orders_1.user_id ORDER BY users.id",
				selItemsIn10,
			}, sqlOf(f.rec))
			for _, u := range us {
				require.Len(t, u.Orders, 2)
				for _, o := range u.Orders {
					require.Len(t, o.Items, 2)
					assert.Equal(t, 2*o.ID-1, o.Items[0].ID)
					assert.False(t, s.IsLoaded(o.Items[0], "Product"))
				}
			}
		})

		t.Run("joined three levels", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.JoinedLoad("Orders").JoinedLoad("Items").JoinedLoad("Product")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, orders_1.id AS id_1, orders_1.user_id, orders_1.description, " +
					"order_items_1.id AS id_2, order_items_1.order_id, order_items_1.product_id, order_items_1.qty, products_1.id AS id_3, products_1.name AS name_1 " +
					"FROM users LEFT OUTER JOIN orders AS orders_1 ON users.id = orders_1.user_id " +
					"LEFT OUTER JOIN order_items AS order_items_1 ON orders_1.id = order_items_1.order_id " +
					"LEFT OUTER JOIN products AS products_1 ON products_1.id = order_items_1.product_id ORDER BY users.id, order_items_1.id",
			}, sqlOf(f.rec))
			assert.Equal(t, refOrders, ordersSummary(us))
		})

		t.Run("inner then outer", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.JoinedLoadInner("Orders").JoinedLoad("Items")).All(bg)
			require.NoError(t, err)
			// the reference's 2c (which lists the items' columns before
			// the orders'; Retort keeps path order)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, orders_1.id AS id_1, orders_1.user_id, orders_1.description, " +
					"order_items_1.id AS id_2, order_items_1.order_id, order_items_1.product_id, order_items_1.qty " +
					"FROM users JOIN orders AS orders_1 ON users.id = orders_1.user_id " +
					"LEFT OUTER JOIN order_items AS order_items_1 ON orders_1.id = order_items_1.order_id ORDER BY users.id, order_items_1.id",
			}, sqlOf(f.rec))
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, userIDs(us))
			for _, u := range us {
				require.Len(t, u.Orders, 2)
			}
		})

		t.Run("outer then inner", func(t *testing.T) {
			// an order without items: the inner join drops it, not its user
			_, err := f.e.Execute(quiet, core.Insert(f.orders).Values(map[string]any{"id": 11, "user_id": 1, "description": "order 11"}))
			require.NoError(t, err)
			defer func() {
				_, err := f.e.Execute(quiet, core.Delete(f.orders).Where(f.orders.C("id").Eq(11)))
				require.NoError(t, err)
			}()
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.JoinedLoad("Orders").JoinedLoadInner("Items")).All(bg)
			require.NoError(t, err)
			// the reference's 2d: an inner join under an outer one is
			// right-nested, so that a user without orders stays and an
			// order without items goes
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, orders_1.id AS id_1, orders_1.user_id, orders_1.description, " +
					"order_items_1.id AS id_2, order_items_1.order_id, order_items_1.product_id, order_items_1.qty " +
					"FROM users LEFT OUTER JOIN (orders AS orders_1 JOIN order_items AS order_items_1 ON orders_1.id = order_items_1.order_id) " +
					"ON users.id = orders_1.user_id ORDER BY users.id, order_items_1.id",
			}, sqlOf(f.rec))
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, userIDs(us))
			assert.Equal(t, "u1:[1 2] u2:[3 4] u3:[5 6] u4:[7 8] u5:[9 10]", orderIDs(us), "order 11 has no items: the inner join leaves it out")
			for _, u := range us {
				for _, o := range u.Orders {
					assert.Len(t, o.Items, 2)
				}
			}
		})

		t.Run("selectin many-to-one", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			as, err := orm.Select[Address](s).Where(f.addrs.C("id").Le(7)).OrderBy(f.addrs.C("id")).
				Options(loading.SelectInLoad("User")).All(bg)
			require.NoError(t, err)
			// the reference's 3d: the distinct foreign keys, no ORDER BY
			assert.Equal(t, []string{
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses WHERE addresses.id <= ? ORDER BY addresses.id",
				"SELECT users.id, users.name, users.fullname FROM users WHERE users.id " + in(3),
			}, sqlOf(f.rec))
			require.Len(t, as, 7)
			var got []int64
			for _, a := range as {
				require.NotNil(t, a.User)
				got = append(got, a.User.ID)
			}
			assert.Equal(t, []int64{1, 1, 1, 2, 2, 2, 3}, got)
		})
	})
}
