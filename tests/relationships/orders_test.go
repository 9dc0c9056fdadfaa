package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type relCustomer struct {
	ID     int64       `orm:"pk"`
	Name   string      `orm:"type:varchar(30)"`
	Orders []*relOrder `orm:"rel;back_populates:Customer"`
}

func (relCustomer) TableName() string { return "rel_customers" }

type relOrder struct {
	ID         int64           `orm:"pk"`
	CustomerID int64           `orm:"fk:rel_customers.id"`
	Customer   *relCustomer    `orm:"rel;back_populates:Orders"`
	Items      []*relOrderItem `orm:"rel;back_populates:Order;cascade:all,delete-orphan"`
}

func (relOrder) TableName() string { return "rel_orders" }

type relProduct struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
}

func (relProduct) TableName() string { return "rel_products" }

type relOrderItem struct {
	ID        int64       `orm:"pk"`
	OrderID   int64       `orm:"fk:rel_orders.id"`
	ProductID int64       `orm:"fk:rel_products.id"`
	Order     *relOrder   `orm:"rel;back_populates:Items"`
	Product   *relProduct `orm:"rel"`
}

func (relOrderItem) TableName() string { return "rel_order_items" }

// TestMapperOrder: scenario 2 (reference §2). Objects added in reverse
// order (items first) are INSERTed in mapper dependency order: customers
// and products (unrelated; ordered by type name as SQLAlchemy orders by
// class name: relCustomer < relProduct), then orders, then order items.
func TestMapperOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relCustomer{}, &relOrder{}, &relProduct{}, &relOrderItem{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		c := &relCustomer{Name: "c"}
		p1, p2 := &relProduct{Name: "p1"}, &relProduct{Name: "p2"}
		o := &relOrder{Customer: c}
		i1 := &relOrderItem{Order: o, Product: p1}
		i2 := &relOrderItem{Order: o, Product: p2}
		o.Items = []*relOrderItem{i1, i2}
		require.NoError(t, s.AddAll(i1, i2))
		require.NoError(t, s.Add(o))
		require.NoError(t, s.AddAll(c, p1, p2))
		// SQLAlchemy's insert_order (the reference's s2.py): the
		// save-update cascade of Add(i1) goes depth first and reaches o,
		// c (through o), i2 (through o.Items) and p2 (through i2) before
		// i1's own product p1
		assert.Equal(t, []any{i1, o, c, i2, p2, p1}, s.New())
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat(
			[]string{"INSERT rel_customers"},
			inserts(e, "rel_products", 2),
			[]string{"INSERT rel_orders"},
			inserts(e, "rel_order_items", 2),
		), ops(got), "%q", got)
		assert.Equal(t, c.ID, o.CustomerID)
		assert.Equal(t, o.ID, i1.OrderID)
		assert.Equal(t, o.ID, i2.OrderID)
		assert.Equal(t, p1.ID, i1.ProductID)
		assert.Equal(t, p2.ID, i2.ProductID)
		// rows within a table follow the order the cascade reached them
		// (SQLAlchemy's insert_order): p2 before p1
		assert.Less(t, p2.ID, p1.ID)
		assert.Less(t, i1.ID, i2.ID)
		assert.Equal(t, []*relOrder{o}, c.Orders, "back_populates filled at flush")
		require.NoError(t, s.Commit(bg))

		assert.Equal(t, [][]any{{o.ID, c.ID}}, rows(t, e, table(t, reg, &relOrder{}), []string{"id"}, "id", "customer_id"))
		assert.Equal(t, [][]any{{i1.ID, o.ID, p1.ID}, {i2.ID, o.ID, p2.ID}},
			rows(t, e, table(t, reg, &relOrderItem{}), []string{"id"}, "id", "order_id", "product_id"))
		assert.Equal(t, [][]any{{p2.ID, "p2"}, {p1.ID, "p1"}},
			rows(t, e, table(t, reg, &relProduct{}), []string{"id"}, "id", "name"))
	})
}
