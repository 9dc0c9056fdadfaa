package loading_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// tripleIDs is "a/b/c" for each row of a Select3 (0 for a nil entity).
func tripleIDs[A, B, C any](rows []orm.Triple[A, B, C], aid func(*A) int64, bid func(*B) int64, cid func(*C) int64) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		var b, c int64
		if r.B != nil {
			b = bid(r.B)
		}
		if r.C != nil {
			c = cid(r.C)
		}
		out[i] = fmt.Sprintf("%d/%d/%d", aid(r.A), b, c)
	}
	return out
}

func oid(o *Order) int64      { return o.ID }
func iid(i *OrderItem) int64  { return i.ID }
func prodID(p *Product) int64 { return p.ID }

// TestQuerySelect3: three entities per row (orm.Select3, SQLAlchemy's
// select(User, Order, OrderItem)), through a two-step join path, an
// outer join that finds no row for the third entity, and a three-way
// self-join of aliases.
func TestQuerySelect3(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)

		t.Run("join path", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			rows, err := orm.Select3[User, Order, OrderItem](s).Join("Orders.Items").
				Where(f.users.C("id").Eq(1)).OrderBy(f.items.C("id")).All(bg)
			require.NoError(t, err)
			// what SQLAlchemy emits for select(User, Order, OrderItem)
			// .join(User.orders).join(Order.items): the later id columns
			// labelled id_1 and id_2 (User.bio is deferred)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, orders.id AS id_1, orders.user_id, orders.description, " +
					"order_items.id AS id_2, order_items.order_id, order_items.product_id, order_items.qty " +
					"FROM users JOIN orders ON users.id = orders.user_id JOIN order_items ON orders.id = order_items.order_id " +
					"WHERE users.id = ? ORDER BY order_items.id",
			}, sqlOf(f.rec))
			assert.Equal(t, []string{"1/1/1", "1/1/2", "1/2/3", "1/2/4"}, tripleIDs(rows, uid, oid, iid))
			require.Len(t, rows, 4)
			// one object per row of each table, whichever result row it
			// came from
			assert.Same(t, rows[0].A, rows[3].A)
			assert.Same(t, rows[0].B, rows[1].B)
			assert.NotSame(t, rows[1].B, rows[2].B)
			assert.Equal(t, "order 2", rows[2].B.Description)
			assert.Equal(t, int64(2), rows[3].C.OrderID)
			assert.Equal(t, int64(4), rows[3].C.Qty)
			assert.Equal(t, 7, s.Len(), "user 1, orders 1 and 2, items 1–4")
			o, err := orm.Get[Order](bg, s, 2)
			require.NoError(t, err)
			assert.Same(t, rows[2].B, o, "the identity map holds the row's order")
		})

		t.Run("outer join without a third row", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			// each item of orders 1 and 2 with its product when that is p1
			on := core.And(f.items.C("product_id").Eq(f.products.C("id")), f.products.C("name").Eq("p1"))
			rows, err := orm.Select3[Order, OrderItem, Product](s).Join("Items").OuterJoinOn(f.products, on).
				Where(f.orders.C("id").Le(2)).OrderBy(f.items.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT orders.id, orders.user_id, orders.description, order_items.id AS id_1, order_items.order_id, " +
					"order_items.product_id, order_items.qty, products.id AS id_2, products.name " +
					"FROM orders JOIN order_items ON orders.id = order_items.order_id " +
					"LEFT OUTER JOIN products ON order_items.product_id = products.id AND products.name = ? " +
					"WHERE orders.id <= ? ORDER BY order_items.id",
			}, sqlOf(f.rec))
			// items 1–4 have products 1–4: only item 1's is p1
			assert.Equal(t, []string{"1/1/1", "1/2/0", "2/3/0", "2/4/0"}, tripleIDs(rows, oid, iid, prodID))
			require.Len(t, rows, 4)
			assert.Nil(t, rows[1].C, "no product row: C is nil")
			assert.Equal(t, "p1", rows[0].C.Name)
			assert.Equal(t, 7, s.Len(), "orders 1 and 2, items 1–4, product 1: no empty Product for the NULL rows")
		})

		t.Run("self-join through aliases", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u2, u3 := f.users.Alias("u2"), f.users.Alias("u3")
			rows, err := orm.Select3[User, User, User](s).
				JoinOn(u2, f.users.C("id").Lt(u2.C("id"))).JoinOn(u3, u2.C("id").Lt(u3.C("id"))).
				FromB(u2).FromC(u3).Where(u3.C("id").Le(4)).
				OrderBy(f.users.C("id"), u2.C("id"), u3.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, u2.id AS id_1, u2.name AS name_1, u2.fullname AS fullname_1, " +
					"u3.id AS id_2, u3.name AS name_2, u3.fullname AS fullname_2 " +
					"FROM users JOIN users AS u2 ON users.id < u2.id JOIN users AS u3 ON u2.id < u3.id " +
					"WHERE u3.id <= ? ORDER BY users.id, u2.id, u3.id",
			}, sqlOf(f.rec))
			assert.Equal(t, []string{"1/2/3", "1/2/4", "1/3/4", "2/3/4"}, tripleIDs(rows, uid, uid, uid))
			require.Len(t, rows, 4)
			assert.Same(t, rows[0].B, rows[3].A, "user 2 as B of row 1 and as A of row 4")
			assert.Same(t, rows[0].C, rows[2].B, "user 3 as C and as B")
			assert.Same(t, rows[1].C, rows[3].C)
			assert.Equal(t, 4, s.Len())
		})

		t.Run("Each, selectin options for A", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			var got []string
			err := orm.Select3[Order, OrderItem, Product](s).Join("Items.Product").
				Where(f.orders.C("user_id").Eq(1)).OrderBy(f.items.C("id")).
				Options(loading.SelectInLoad("Items")).
				Each(bg, func(o *Order, i *OrderItem, p *Product) error {
					got = append(got, fmt.Sprintf("%d/%d/%s/%d", o.ID, i.ID, p.Name, len(o.Items)))
					return nil
				})
			require.NoError(t, err)
			assert.Equal(t, []string{"1/1/p1/2", "1/2/p2/2", "2/3/p3/2", "2/4/p4/2"}, got)
			assert.Len(t, sqlOf(f.rec), 2, "the rows, then one selectin load of the orders' items")
		})

		t.Run("bad input", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			_, err := orm.Select3[User, Order, OrderItem](s).Join("Orders.Items").
				Options(loading.JoinedLoad("Addresses")).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Select3 of User, Order, OrderItem: joined loading of a collection repeats the rows")
			_, err = orm.Select3[User, Order, OrderItem](s).Join("Orders").FromC(f.users.Alias("u9")).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Select3: the")
			assert.Contains(t, err.Error(), "OrderItem.ID")
			_, err = orm.Select3[User, Order, struct{ X int }](s).All(bg)
			require.Error(t, err, "an unmapped third type")
			assert.Empty(t, sqlOf(f.rec), "no statement for a query that cannot be built")
		})
	})
}
