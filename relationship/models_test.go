package relationship_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

// The models of SQLAlchemy's reference scenarios (/tmp/sqla_loading.md
// §14): users with addresses, orders with items of products, posts with
// tags through a secondary table, a self-referential tree, and notes in a
// keyed map.

type User struct {
	ID        int64            `orm:"pk"`
	Name      string           `orm:"type:varchar(30)"`
	Addresses []*Address       `orm:"rel;back_populates:User;order_by:ID"`
	Notes     map[string]*Note `orm:"rel;collection:map(Key)"`
	Nick      string           `orm:"-"`
}

func (User) TableName() string { return "users" }

type Address struct {
	ID     int64  `orm:"pk"`
	Email  string `orm:"type:varchar(50)"`
	UserID int64  `orm:"fk:users.id"`
	User   *User  `orm:"rel;back_populates:Addresses"`
}

func (Address) TableName() string { return "addresses" }

type Note struct {
	ID     int64  `orm:"pk"`
	UserID int64  `orm:"fk:users.id"`
	Key    string `orm:"type:varchar(20)"`
	Text   string `orm:"type:varchar(50)"`
}

func (Note) TableName() string { return "notes" }

type Order struct {
	ID    int64        `orm:"pk"`
	Items []*OrderItem `orm:"rel"`
}

func (Order) TableName() string { return "orders" }

type OrderItem struct {
	ID        int64    `orm:"pk"`
	OrderID   int64    `orm:"fk:orders.id"`
	ProductID int64    `orm:"fk:products.id"`
	Qty       int      `orm:""`
	Product   *Product `orm:"rel"`
}

func (OrderItem) TableName() string { return "order_items" }

type Product struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
}

func (Product) TableName() string { return "products" }

type Post struct {
	ID    int64  `orm:"pk"`
	Title string `orm:"type:varchar(30)"`
	Tags  []*Tag `orm:"rel;secondary:post_tags"`
}

func (Post) TableName() string { return "posts" }

type Tag struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
}

func (Tag) TableName() string { return "tags" }

type Node struct {
	ID       int64   `orm:"pk"`
	ParentID *int64  `orm:"fk:nodes.id"`
	Name     string  `orm:"type:varchar(30)"`
	Parent   *Node   `orm:"rel;remote_side:ID;back_populates:Children"`
	Children []*Node `orm:"rel;back_populates:Parent"`
}

func (Node) TableName() string { return "nodes" }

// newRegistry configures every model above, with the post_tags secondary
// table defined in Core.
func newRegistry(t testing.TB) *registry.Registry {
	t.Helper()
	md := core.NewMetaData()
	md.MustTable("post_tags",
		core.Col("post_id", core.BigInteger{}, core.PrimaryKey(), core.References("posts.id")),
		core.Col("tag_id", core.BigInteger{}, core.PrimaryKey(), core.References("tags.id")))
	reg := registry.New(registry.WithMetaData(md))
	require.NoError(t, reg.Register(&User{}, &Address{}, &Note{}, &Order{}, &OrderItem{}, &Product{}, &Post{}, &Tag{}, &Node{}))
	require.NoError(t, reg.Configure())
	return reg
}
